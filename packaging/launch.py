"""Entry point of the frozen bundle (both perfdesk and perfdesk-cli)."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
