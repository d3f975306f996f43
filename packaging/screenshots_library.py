"""Pictures of two pages of the bundled library for the documentation.

    python packaging/screenshots_library.py [--out docs]

Saves ``library-case-study.png`` (page 1 of a case study, 100 dpi) and
``library-presentation.png`` (the title slide of a deck, 1334 pixels wide),
drawn from the PDFs in ``bundled_library/`` as they are now.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    ("northern-devon-perfect-week.pdf", "library-case-study.png", 827),
    ("event-breaking-the-cycle-together.pdf", "library-presentation.png", 1334),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    for name, picture, width in PAGES:
        with pymupdf.open(ROOT / "bundled_library" / name) as document:
            page = document[0]
            zoom = width / page.rect.width
            target = args.out / picture
            page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).save(target)
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
