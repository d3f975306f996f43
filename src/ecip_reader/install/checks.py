"""The result of one installation check, and of all of them (``ecip-reader verify``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_LISTED_PROBLEMS = 5  # file names printed before "and N more"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # passed, but worth an administrator's attention

    def line(self) -> str:
        label = "FAIL" if not self.ok else "WARN" if self.warning else "OK"
        return f"{label:<4} {self.name}: {self.detail}"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "warning": self.warning}


@dataclass(frozen=True)
class VerifyReport:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def lines(self) -> list[str]:
        failed = sum(not check.ok for check in self.checks)
        summary = (
            "installation verified: every check passed"
            if failed == 0
            else f"installation NOT verified: {failed} of {len(self.checks)} checks failed"
        )
        return [check.line() for check in self.checks] + [summary]

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [check.to_json() for check in self.checks]}


def some(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED_PROBLEMS])
    extra = len(names) - _LISTED_PROBLEMS
    return f"{shown} and {extra} more" if extra > 0 else shown
