"""``python -m ecip_reader`` runs the command line."""

import multiprocessing
import sys

from ecip_reader.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
