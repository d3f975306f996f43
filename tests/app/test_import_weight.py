"""Starting the window does not load what it only needs later.

The window's first paint waits for ``import ecip_reader.app``. Whoosh (and the
standard library's network modules it pulls in), PyMuPDF and the notes store
are loaded once the window is up, by the code that needs them; a package
``__init__`` that re-exports them would quietly put them back on the start-up
path (this happened once, and the first paint took 2.4 times as long).
"""

from __future__ import annotations

import json
import subprocess
import sys

import ecip_reader.userdata as userdata

LATER = ("whoosh", "pymupdf", "fitz", "ecip_reader.userdata.store", "ecip_reader.search.service")


def test_importing_the_app_leaves_search_pdf_and_notes_for_later() -> None:
    probe = (
        "import json, sys\n"
        "import ecip_reader.app\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {LATER!r}"
        f" or m in {LATER!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert json.loads(out.stdout) == []


def test_every_name_the_notes_package_offers_can_be_imported() -> None:
    for name in userdata.__all__:
        value = getattr(userdata, name)
        assert value.__name__ == name
        assert value.__module__.startswith("ecip_reader.userdata.")
