"""Entry point of the frozen application (PyInstaller runs this script).

``freeze_support`` must run first: the render and indexing workers are started
with the "spawn" method, which re-runs this executable with special arguments.
"""

import multiprocessing
import sys

from ecip_reader.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
