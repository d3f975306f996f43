"""The search benchmark's corpus: real PDFs that are not ours.

Debian's documentation packages ship hundreds of PDF manuals (LaTeX package
documentation, the R and Octave manuals). :func:`collect` links enough of them
into ``bench/corpus/`` (git-ignored) to reach the wanted number of pages,
installing the packages with apt-get first when allowed and needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGES = (
    "texlive-latex-base-doc",
    "texlive-latex-recommended-doc",
    "r-doc-pdf",
    "octave-doc",
    "texlive-science-doc",
)
SEARCH_ROOTS = ("/usr/share/doc", "/usr/share/texlive", "/usr/share/texmf")
COUNTS_FILE = ".page-counts.json"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def install_packages() -> None:
    """Install the documentation packages (needs root and Debian's mirror)."""
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        _log("cannot install documentation packages (no apt-get or not root)")
        return
    _log(f"installing {' '.join(PACKAGES)} …")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES],
        check=False,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def system_pdfs() -> list[Path]:
    found: set[Path] = set()
    for root in SEARCH_ROOTS:
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                if name.lower().endswith(".pdf"):
                    found.add(Path(dirpath) / name)
    return sorted(found)


def _page_count(path: Path) -> int:
    import pymupdf

    try:
        with pymupdf.open(path) as doc:
            return int(doc.page_count) if doc.is_pdf else 0
    except Exception:
        return 0


def corpus_pages(folder: Path) -> int:
    """Pages in the corpus folder, from the counts saved when it was collected."""
    try:
        counts = json.loads((folder / COUNTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        counts = {}
    total = 0
    for path in folder.glob("*.pdf"):
        if path.name not in counts:
            counts[path.name] = _page_count(path)
        total += int(counts[path.name])
    (folder / COUNTS_FILE).write_text(json.dumps(counts, indent=0), encoding="utf-8")
    return total


def collect(folder: Path, pages_wanted: int, allow_install: bool) -> int:
    """Fill ``folder`` with links to system PDFs until it holds ``pages_wanted`` pages."""
    folder.mkdir(parents=True, exist_ok=True)
    have = corpus_pages(folder)
    if have >= pages_wanted:
        return have
    sources = system_pdfs()
    if len(sources) < 300 and allow_install:
        install_packages()
        sources = system_pdfs()
    counts = json.loads((folder / COUNTS_FILE).read_text(encoding="utf-8"))
    taken = {os.path.realpath(p) for p in folder.glob("*.pdf")}
    for source in sources:
        if have >= pages_wanted:
            break
        if str(source.resolve()) in taken:
            continue
        pages = _page_count(source)
        if pages == 0:
            continue
        name = f"{len(counts):04d}-{source.name}"
        link = folder / name
        try:
            link.symlink_to(source)
        except OSError:
            shutil.copy2(source, link)
        counts[name] = pages
        have += pages
    (folder / COUNTS_FILE).write_text(json.dumps(counts, indent=0), encoding="utf-8")
    _log(f"corpus: {len(counts)} PDFs, {have} pages in {folder}")
    return have
