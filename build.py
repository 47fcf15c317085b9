#!/usr/bin/env python3
"""newsarchive entry point: `python build.py --help`."""
from newsarchive.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
