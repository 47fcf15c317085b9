"""config.yaml's validated values kept in .cache (config_cache.py): taken from there only while
the file's bytes, its path, --output and the package's code are the same; otherwise validated again."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from newsarchive import config as config_module
from newsarchive import config_cache
from newsarchive.config import load_config
from newsarchive.errors import ConfigError


def _site(tmp_path: Path, text: str) -> Path:
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "config.yaml"


def _no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("config.yaml was parsed again")
    monkeypatch.setattr(config_module, "parse_config", refuse)


def test_an_unchanged_config_comes_from_the_record_equal_to_a_fresh_parse(tmp_path, monkeypatch):
    path = _site(tmp_path, "title: Kept\nbase_url: https://example.org/news\ntaxonomies: [tags]\nfeeds: [site]\nextra: {a: [1, 2]}\n")
    first = load_config(path, keep=True)
    record = json.loads((tmp_path / ".cache" / config_cache.FILE_NAME).read_text(encoding="utf-8"))
    assert record["values"]["title"] == "Kept" and record["tuples"] == ["taxonomies", "feeds"]
    _no_parsing(monkeypatch)
    again = load_config(path)
    assert again == first and repr(again) == repr(first)
    assert again.taxonomies == ("tags",) and again.base_url == "https://example.org/news/" and again.extra == {"a": [1, 2]}


def test_changed_bytes_output_or_code_validate_again(tmp_path, monkeypatch):
    path = _site(tmp_path, "title: One\n")
    load_config(path, keep=True)
    path.write_text("title: Two\n", encoding="utf-8")
    assert load_config(path).title == "Two"
    other = tmp_path / "elsewhere"
    assert load_config(path, other).output_dir == other.absolute()
    assert load_config(path).output_dir == tmp_path / "_site"
    monkeypatch.setattr(config_cache, "code_digest", lambda: "another generator")
    path.write_text("title: Two\nlanguage: nope nope\n", encoding="utf-8")
    with pytest.raises(ConfigError):  # a bad config is never kept, so it fails every time
        load_config(path)
    with pytest.raises(ConfigError):
        load_config(path)


def test_values_json_would_change_are_not_kept(tmp_path, monkeypatch):
    """YAML as config.py reads it gives only JSON's types; a value of another type (a date, a
    tuple in `extra`) would come back changed, so such a config is validated every time."""
    path = _site(tmp_path, "title: Dated\n")
    parse = config_module.parse_config
    monkeypatch.setattr(config_module, "parse_config",
                        lambda *args: replace(parse(*args), extra={"since": date(2021, 5, 1), "pair": (1, 2)}))
    first = load_config(path, keep=True)
    assert not (tmp_path / ".cache" / config_cache.FILE_NAME).exists()
    assert load_config(path) == first and first.extra["since"] == date(2021, 5, 1)


def test_no_cache_folder_is_made_unless_asked_and_a_damaged_record_is_ignored(tmp_path):
    path = _site(tmp_path, "title: Plain\n")
    load_config(path)
    assert not (tmp_path / ".cache").exists()
    load_config(path, keep=True)
    (tmp_path / ".cache" / config_cache.FILE_NAME).write_text('{"key": ', encoding="utf-8")
    assert load_config(path).title == "Plain"
    record = tmp_path / ".cache" / config_cache.FILE_NAME
    record.write_text(json.dumps({"key": "not this one", "values": {"title": "Forged"}}), encoding="utf-8")
    assert load_config(path).title == "Plain"
