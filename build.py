#!/usr/bin/env python3
"""newsarchive entry point: `python build.py --help`."""
import os
import sys

from newsarchive.cli import main

if __name__ == "__main__":
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`| head`): nothing more can be said
        pass
    # The build's objects need no freeing one by one (10⁵ articles take a noticeable while): end here.
    os._exit(code)
