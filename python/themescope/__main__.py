"""`python -m themescope`: the `themescope` command (see `themescope --help`)."""

from __future__ import annotations

import sys

from themescope.cli import main

if __name__ == "__main__":
    sys.exit(main())
