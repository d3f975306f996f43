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

    @property
    def problems(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    @property
    def warnings(self) -> list[Check]:
        return [check for check in self.checks if check.ok and check.warning]

    def summary(self) -> str:
        failed, warned = len(self.problems), len(self.warnings)
        warnings = f"{warned} warning{'s' if warned != 1 else ''}"
        if failed:
            also = f", and {warnings}" if warned else ""
            return f"installation NOT verified: {failed} of {len(self.checks)} checks failed{also}"
        if warned:
            return f"installation verified: passed with {warnings}"
        return "installation verified: every check passed"

    def lines(self) -> list[str]:
        return [check.line() for check in self.checks] + [self.summary()]

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "summary": self.summary(),
            "problems": [f"{c.name}: {c.detail}" for c in self.problems],
            "warnings": [f"{c.name}: {c.detail}" for c in self.warnings],
            "checks": [check.to_json() for check in self.checks],
        }


def some(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED_PROBLEMS])
    extra = len(names) - _LISTED_PROBLEMS
    return f"{shown} and {extra} more" if extra > 0 else shown
