"""The README documents every config key, front-matter key and command option."""
from __future__ import annotations

import re

from conftest import REPO
from newsarchive.cli import make_parser
from newsarchive.config import OPTIONS
from newsarchive.content import KNOWN_KEYS

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make site" in first_block and "make test" in first_block


def test_every_config_key_is_documented():
    config_section = README.split("## Configuration")[1].split("\n## ")[0]
    missing = [o.name for o in OPTIONS if f"| `{o.name}` |" not in config_section]
    assert missing == []


def test_every_front_matter_key_is_documented():
    section = README.split("## Writing an article")[1].split("\n## ")[0]
    missing = [k for k in sorted(KNOWN_KEYS) if f"`{k}`" not in section]
    assert missing == []


def test_every_command_option_is_documented():
    parser = make_parser()
    commands = parser._subparsers._group_actions[0].choices
    section = README.split("## Commands")[1].split("\n## ")[0]
    missing = []
    for name, sub in commands.items():
        for action in sub._actions:
            missing += [f"{name} {opt}" for opt in action.option_strings if opt.startswith("--") and opt not in section]
    assert missing == []


def test_sample_config_sets_only_known_keys():
    keys = re.findall(r"^(\w+):", (REPO / "config.yaml").read_text(encoding="utf-8"), re.M)
    assert set(keys) <= {o.name for o in OPTIONS}
