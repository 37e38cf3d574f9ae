"""``python -m bulkimpact``: the same command line as ``bulkimpact``."""

import sys

from bulkimpact.cli import main

if __name__ == "__main__":
    sys.exit(main())
