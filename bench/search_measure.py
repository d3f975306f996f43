"""Measuring an index build: wall time, pages per second, peak memory of the process tree.

The build runs as ``ecip-reader index`` in its own process (as a user would run
it), so its memory is not mixed with the benchmark's. A sampler thread adds up
the resident memory of that process and all its descendants (the extraction
worker) from ``/proc`` every 50 ms and keeps the peak. The CPU time of the
build (both processes) is reported too: on a shared machine the wall-clock rate
depends on what else runs, the CPU time much less.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process below it."""
    tree = _children()
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            pass
        stack.extend(tree.get(pid, ()))
    return total


class PeakSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def run_index(home: Path, library: Path | None, rebuild: bool = True) -> dict[str, Any]:
    """Run ``ecip-reader index --json``; its report plus wall time and peak tree RSS."""
    command = [sys.executable, "-m", "ecip_reader", "--data-dir", str(home), "index", "--json"]
    if library is not None:
        command += ["--library", str(library)]
    if rebuild:
        command.append("--rebuild")
    began = time.perf_counter()
    cpu_before = _children_cpu()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakSampler(process.pid)
    sampler.start()
    out, err = process.communicate()
    peak = sampler.stop()
    wall = time.perf_counter() - began
    if process.returncode != 0:
        raise RuntimeError(f"index failed ({process.returncode}): {err.strip()[-500:]}")
    report: dict[str, Any] = json.loads(out)
    report["wall_seconds"] = wall
    report["cpu_seconds"] = _children_cpu() - cpu_before
    report["peak_rss_mb"] = peak / 2**20
    return report


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (and the children they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_extraction(corpus: Path) -> dict[str, float]:
    """Text extraction alone, in this one process, of every PDF of ``corpus``: the
    same PyMuPDF call and text cleaning as the indexer, nothing else."""
    import pymupdf

    from ecip_reader.text import clean_text

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    flags = (
        pymupdf.TEXT_PRESERVE_LIGATURES
        | pymupdf.TEXT_PRESERVE_WHITESPACE
        | pymupdf.TEXT_MEDIABOX_CLIP
    )
    pages = 0
    began = time.perf_counter()
    cpu = time.process_time()
    for path in sorted(corpus.rglob("*.pdf")):
        try:
            doc = pymupdf.open(path)
        except Exception:
            continue
        try:
            for number in range(doc.page_count):
                try:
                    clean_text(doc.load_page(number).get_text("text", flags=flags))
                except Exception:
                    continue
                pages += 1
        finally:
            doc.close()
            pymupdf.TOOLS.store_shrink(100)
    seconds = time.perf_counter() - began
    cpu = time.process_time() - cpu
    return {"pages": pages, "seconds": seconds, "cpu_seconds": cpu}
