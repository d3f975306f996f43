"""A crash in the middle of a burst of writes loses nothing that was confirmed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from ecip_reader.paths import AppPaths
from ecip_reader.userdata import UserDataStore

WRITER = textwrap.dedent(
    """
    from ecip_reader.paths import AppPaths
    from ecip_reader.userdata import AnnotationKind, Annotator, DocumentRef, TextAnchor
    from ecip_reader.userdata import UserDataStore

    store = UserDataStore.open(AppPaths.from_environment())
    annotator = Annotator(store, "Burst Writer")
    doc = DocumentRef("ab" * 32, "burst", "Burst")
    number = 0
    while True:
        number += 1
        made = annotator.add_markup(
            doc, 1 + number % 7, AnnotationKind.HIGHLIGHT, [(72, 90, 300, 104)],
            TextAnchor(f"passage {number}", "before", "after"), note="n" * (number % 500),
        )
        if number % 3 == 0:
            annotator.add_bookmark(doc, 1 + number % 7, f"mark {number}")
        # Printed only after add_markup returned, i.e. after the commit.
        print(made.uuid, flush=True)
    """
)


def test_sigkill_mid_burst_keeps_every_confirmed_annotation(app_paths: AppPaths) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    assert child.stdout is not None
    confirmed: list[str] = []
    try:
        while len(confirmed) < 150:
            line = child.stdout.readline()
            assert line, f"the writer stopped early: {child.stderr.read() if child.stderr else ''}"
            confirmed.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)
        # Lines already written before the kill were confirmed too.
        confirmed += [line.strip() for line in child.stdout if line.strip()]
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    with UserDataStore.open(app_paths) as store:
        assert store.recovery is None
        assert store.read_only_reason is None
        assert store.integrity_ok()
        assert store.query("PRAGMA integrity_check") == [("ok",)]
        present = {a.uuid for a in store.annotations()}
        missing = [uuid for uuid in confirmed if uuid not in present]
        assert missing == []
        # At most the one in flight when the kill came may be there unconfirmed.
        assert len(present) - len(confirmed) in (0, 1)
        # The full-text index was committed with the rows it indexes.
        assert len(store.search_text("passage", limit=10_000)) == len(present)
