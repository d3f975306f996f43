"""Undoable editing of the user's session plans.

Every change replaces the whole plan (a plan is a few dozen stops), so each
action is one :class:`~ecip_reader.userdata.undo.Change` of two
:class:`~ecip_reader.userdata.ops.PutSession` values and shares the undo
history of the notes: Ctrl+Z takes back a removed stop as it takes back a
deleted highlight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ecip_reader.errors import UserError
from ecip_reader.userdata import ops
from ecip_reader.userdata.editing import Annotator
from ecip_reader.userdata.models import DocumentRef, new_uuid
from ecip_reader.userdata.names import clean_name
from ecip_reader.userdata.session_plans import (
    MAX_STOPS,
    PlanError,
    SessionPlan,
    SessionStop,
    clean_stop_note,
    new_plan,
    new_stop,
)
from ecip_reader.userdata.undo import Change

IMPORTED_PLAN = (
    "This session plan came with a notes pack and cannot be changed; "
    "make a copy of it to change the copy."
)


class SessionEditor:
    """The undoable actions on session plans, in the undo history of ``annotator``."""

    def __init__(self, annotator: Annotator) -> None:
        self.annotator = annotator
        self.store = annotator.store

    def _push(self, label: str, do: Sequence[ops.Op], undo: Sequence[ops.Op]) -> None:
        self.annotator.history.push(Change(label, tuple(do), tuple(undo)))

    def plan(self, uuid: str) -> SessionPlan:
        found = self.store.session(uuid)
        if found is None:
            raise KeyError(uuid)
        return found

    def _own(self, uuid: str) -> SessionPlan:
        found = self.plan(uuid)
        if not found.is_own:
            raise UserError(IMPORTED_PLAN)
        return found

    def _replace(self, label: str, before: SessionPlan, after: SessionPlan) -> SessionPlan:
        self._push(label, [ops.PutSession(after)], [ops.PutSession(before)])
        return after

    def _with_stops(self, plan: SessionPlan, stops: Sequence[SessionStop]) -> SessionPlan:
        try:
            return plan.with_stops(stops)
        except PlanError as exc:
            raise UserError(f"{str(exc).capitalize()}.") from exc

    # -- plans ---------------------------------------------------------------------

    def create(self, name: str) -> SessionPlan:
        plan = new_plan(name, self.annotator.author)
        self._push("New session plan", [ops.PutSession(plan)], [ops.DeleteSession(plan.uuid)])
        return plan

    def copy(self, uuid: str, name: str = "") -> SessionPlan:
        """A plan of the user's own with the stops of ``uuid`` (an imported plan, say)."""
        source = self.plan(uuid)
        made = new_plan(name or f"{source.name} (copy)", self.annotator.author)
        made = replace(made, stops=tuple(replace(s, uuid=new_uuid()) for s in source.stops))
        self._push("Copy session plan", [ops.PutSession(made)], [ops.DeleteSession(made.uuid)])
        return made

    def rename(self, uuid: str, name: str) -> SessionPlan:
        before = self._own(uuid)
        cleaned = clean_name(name) or before.name
        return self._replace("Rename session plan", before, replace(before, name=cleaned))

    def delete(self, uuid: str) -> None:
        before = self._own(uuid)
        self._push("Delete session plan", [ops.DeleteSession(uuid)], [ops.PutSession(before)])

    # -- stops ---------------------------------------------------------------------

    def add_stop(
        self,
        uuid: str,
        document: DocumentRef,
        page: int,
        region: Sequence[float] | None = None,
        label: str = "",
        note: str = "",
        index: int | None = None,
    ) -> SessionStop:
        """Add a stop at ``index`` (at the end by default); the document is recorded too."""
        before = self._own(uuid)
        if len(before.stops) >= MAX_STOPS:
            raise UserError(f"A session plan can hold at most {MAX_STOPS} stops.")
        try:
            stop = new_stop(document.hash, page, region, label, note)
        except PlanError as exc:
            raise UserError(f"{str(exc).capitalize()}.") from exc
        stops = list(before.stops)
        stops.insert(len(stops) if index is None else max(0, min(index, len(stops))), stop)
        after = self._with_stops(before, stops)
        self._push(
            "Add stop to session plan",
            [ops.PutDocument(document), ops.PutSession(after)],
            [ops.PutSession(before)],
        )
        return stop

    def remove_stop(self, uuid: str, stop_uuid: str) -> None:
        before = self._own(uuid)
        index = before.index_of(stop_uuid)
        stops = [*before.stops[:index], *before.stops[index + 1 :]]
        self._replace("Remove stop", before, self._with_stops(before, stops))

    def move_stop(self, uuid: str, stop_uuid: str, to_index: int) -> SessionPlan:
        """Put the stop at ``to_index`` of the list without it (drag and drop, Ctrl+Up/Down)."""
        before = self._own(uuid)
        index = before.index_of(stop_uuid)
        stops = list(before.stops)
        stop = stops.pop(index)
        target = max(0, min(to_index, len(stops)))
        if target == index:
            return before
        stops.insert(target, stop)
        return self._replace("Move stop", before, self._with_stops(before, stops))

    def set_stop_note(self, uuid: str, stop_uuid: str, note: str) -> SessionStop:
        before = self._own(uuid)
        index = before.index_of(stop_uuid)
        try:
            changed = replace(before.stops[index], note=clean_stop_note(note))
        except PlanError as exc:
            raise UserError(f"{str(exc).capitalize()}.") from exc
        stops = [*before.stops[:index], changed, *before.stops[index + 1 :]]
        self._replace("Edit stop note", before, self._with_stops(before, stops))
        return changed
