"""config.yaml's last validated values, kept in `.cache/config.json` beside the build cache and
keyed by all that validation depends on: the file's bytes, its path, the `--output` folder and
the package's code (version.code_digest). A build whose config is unchanged so neither imports
the YAML parser nor validates again (a tenth of a no-change build's start-up at 10⁴ articles).

Only values JSON gives back exactly are kept (their repr is compared): a config holding, say,
a date in `extra:` is parsed each time, as before.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .version import code_digest

if TYPE_CHECKING:
    from .config import Config

FILE_NAME = "config.json"
_PATH_FIELDS = ("config_path", "site_dir", "output_dir")


def config_key(data: bytes, config_path: Path, output_dir: Path | None) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(json.dumps([code_digest(), str(config_path), None if output_dir is None else str(output_dir)]).encode())
    digest.update(b"\0" + data)
    return digest.hexdigest()


def cached_config(data: bytes, config_path: Path, output_dir: Path | None, parse: Callable[[], Config],
                  keep: bool = False) -> Config:
    """The Config the last build validated from the same inputs, or `parse()`'s, then kept
    where a .cache folder is (`keep`: made if missing, as the build about to run makes it)."""
    key = config_key(data, config_path, output_dir)
    record_path = config_path.parent / ".cache" / FILE_NAME
    try:
        record = json.loads(record_path.read_bytes())
        if isinstance(record, dict) and record.get("key") == key:
            return _config_of(record, config_path)
    except (OSError, ValueError, TypeError, KeyError):
        pass  # none kept, or unreadable: validate, as without it
    config = parse()
    _keep(config, key, record_path, keep)
    return config


def _config_of(record: dict, config_path: Path) -> Config:
    from .config import Config
    values = {name: tuple(value) if name in record["tuples"] else value for name, value in record["values"].items()}
    return Config(config_path=config_path, site_dir=config_path.parent, output_dir=Path(record["output_dir"]), **values)


def _keep(config: Config, key: str, record_path: Path, make_folder: bool) -> None:
    """Written atomically; any failure leaves the next build to validate again."""
    values = {name: value for name, value in vars(config).items() if name not in _PATH_FIELDS}
    record = {"key": key, "output_dir": str(config.output_dir), "values": values,
              "tuples": [name for name, value in values.items() if isinstance(value, tuple)]}
    try:
        text = json.dumps(record, ensure_ascii=False)
        if repr(_config_of(json.loads(text), config.config_path)) != repr(config):
            return  # a value JSON does not give back as it was
        if make_folder:
            record_path.parent.mkdir(exist_ok=True)
        elif not record_path.parent.is_dir():
            return
        temporary = record_path.with_name(f".{FILE_NAME}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8", errors="surrogateescape")
        os.replace(temporary, record_path)
    except (OSError, ValueError, TypeError):
        return
