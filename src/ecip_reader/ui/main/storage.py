"""Which of the user's folders cannot be written now, said once, and checked again until they can.

:class:`StorageWatch` is told when a save fails (notes, settings, reading
history, covers); it shows the sentence once — further failures of the same
folder are only logged — and from then on tries the folder every
:data:`RECHECK_MS` on a worker thread. When a write works again it takes the
sentence back, says so in the status bar and tells its listeners
(:attr:`StorageWatch.changed`), which switch their write actions back on and
save what waited in memory.

Folders that could not be written when the reader started are known from the
start (:class:`~ecip_reader.writable.PreparedFolders`), so the window says it
once and never repeats it for every setting the user changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QStatusBar

from ecip_reader.paths import AppPaths
from ecip_reader.ui.status import MessageBar
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.writable import (
    CACHE,
    CONFIG,
    DATA,
    PreparedFolders,
    capitalised,
    probe,
    what,
)

log = logging.getLogger(__name__)

RECHECK_MS = 5000
RECOVERED_MS = 8000  # how long "… can be saved again" stays in the status bar


class StorageWatch(QObject):
    changed = Signal(str)  # the folder role whose state changed (DATA, CONFIG or CACHE)

    def __init__(
        self,
        paths: AppPaths,
        folders: PreparedFolders | None,
        tasks: TaskRunner,
        message_bar: MessageBar,
        status_bar: QStatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._folders = {DATA: paths.data, CONFIG: paths.config, CACHE: paths.cache}
        self._tasks = tasks
        self._bar = message_bar
        self._status = status_bar
        self._failing: dict[str, str] = {}  # role -> the sentence shown for it
        self._checks: dict[str, list[Callable[[], bool]]] = {}  # more to try after the folder
        self._checking = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(RECHECK_MS)
        self._timer.timeout.connect(self.recheck)
        self._opening = ""
        if folders is not None:
            temporary = folders.stand_in_cache is not None
            self._opening = folders.sentence() or ""
            for problem in folders.problems:
                if problem.role == CACHE and temporary:
                    continue  # a temporary folder stands in; nothing waits to be saved
                self._failing[problem.role] = self._opening
        if self._opening:
            self._bar.show_message(self._opening)
        if self._failing:
            self._timer.start()

    # -- what listeners ask ---------------------------------------------------------------

    def is_failing(self, role: str) -> bool:
        return role in self._failing

    def reason(self, role: str) -> str | None:
        """The sentence that says why ``role``'s folder cannot be written, if it cannot."""
        return self._failing.get(role)

    def add_check(self, role: str, check: Callable[[], bool]) -> None:
        """Also require ``check()`` (run on a worker thread) before ``role`` counts as
        writable again, e.g. that the notes database takes a write."""
        self._checks.setdefault(role, []).append(check)

    # -- failures -----------------------------------------------------------------------

    def failed(self, role: str, sentence: str) -> None:
        """A save into ``role``'s folder failed with ``sentence`` (shown once per failure)."""
        if role in self._failing:
            log.info("still cannot save (%s): %s", role, sentence)
            return
        self._failing[role] = sentence
        self._bar.show_message(sentence)
        self._timer.start()
        self.changed.emit(role)

    # -- checking again -----------------------------------------------------------------

    def stop(self) -> None:
        """No more checks (the window is closing); a check under way is ignored."""
        self._stopped = True
        self._timer.stop()

    def recheck(self) -> None:
        """Try each failing folder once more, off the GUI thread."""
        if self._checking or self._stopped or not self._failing:
            return
        self._checking = True
        roles = list(self._failing)
        folders = {role: self._folders[role] for role in roles}
        checks = {role: list(self._checks.get(role, ())) for role in roles}

        def work() -> list[str]:
            working = []
            for role, folder in folders.items():
                try:
                    probe(folder)
                except OSError as exc:
                    log.debug("still not writable: %s (%s)", folder, exc)
                    continue
                if all(check() for check in checks[role]):
                    working.append(role)
            return working

        self._tasks.run(work, on_success=self._checked, on_failure=self._check_failed)

    def _check_failed(self, exc: BaseException) -> None:
        self._checking = False
        self._tasks.report(exc)

    def _checked(self, working: object) -> None:
        self._checking = False
        if self._stopped:
            return
        roles = [r for r in working if r in self._failing] if isinstance(working, list) else []
        self.recovered(*roles)

    def recovered(self, *roles: str) -> None:
        """Writes into these folders work again: take the sentences back, tell listeners."""
        back = [role for role in (DATA, CONFIG, CACHE) if role in roles and role in self._failing]
        sentences = {self._failing.pop(role) for role in back}
        for sentence in sentences - set(self._failing.values()):
            self._bar.withdraw(sentence)
        if not self._failing:
            self._timer.stop()
        if not back:
            return
        again = f"{capitalised(what(tuple(back)))} can be saved again."
        self._status.showMessage(again, RECOVERED_MS)
        for role in back:
            self.changed.emit(role)
