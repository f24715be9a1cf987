"""``python -m nuem``: the ``nuem`` command line."""

import sys

from nuem.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
