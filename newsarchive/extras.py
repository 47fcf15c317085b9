"""Optional parts that need packages beyond the core (`pip install 'newsarchive[EXTRA]'`).

A clone's `make site` / `make test` installs every extra (requirements-extras.txt); an
installed wheel has only what its user asked for, so a missing one is named, not a traceback.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from .errors import BuildError, Problem


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, or stop with a message naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BuildError(Problem(
            f"{purpose} needs the Python package '{module.split('.')[0]}', which is not installed ({exc})",
            hint=f"install the extra: pip install 'newsarchive[{extra}]' (in a clone, 'make site' installs every extra)",
        )) from None
