"""Session plans in the notes database: reading them, and writing one inside a transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from ecip_reader.userdata.session_plans import Region, SessionPlan, SessionStop

Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]

_SELECT_PLANS = "SELECT id, uuid, name, author, created, modified, layer_id FROM sessions AS s"
_SELECT_STOPS = (
    "SELECT session_id, uuid, doc_hash, page, region, label, note FROM session_stops "
    "ORDER BY session_id, position"
)


def _region_to_json(region: Region | None) -> str | None:
    return None if region is None else json.dumps(list(region), separators=(",", ":"))


def _region_from_json(text: str | None) -> Region | None:
    if not text:
        return None
    x0, y0, x1, y1 = (float(v) for v in json.loads(text))
    return (x0, y0, x1, y1)


def read_plans(
    query: Query,
    *,
    uuid: str | None = None,
    include_hidden: bool = False,
    own_only: bool = False,
    layer_id: int | None = None,
) -> list[SessionPlan]:
    """Plans with their stops: the user's own first (by name), then those of layers."""
    clauses: list[str] = []
    params: list[Any] = []
    if uuid is not None:
        clauses.append("s.uuid = ?")
        params.append(uuid)
    if own_only:
        clauses.append("s.layer_id IS NULL")
    if layer_id is not None:
        clauses.append("s.layer_id = ?")
        params.append(layer_id)
    if not include_hidden:
        clauses.append(
            "(s.layer_id IS NULL OR s.layer_id IN (SELECT id FROM layers WHERE visible = 1))"
        )
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = query(_SELECT_PLANS + where, params)
    if not rows:
        return []
    wanted = {int(r[0]) for r in rows}
    stops: dict[int, list[SessionStop]] = {}
    for session_id, stop_uuid, doc_hash, page, region, label, note in query(_SELECT_STOPS, ()):
        if int(session_id) in wanted:
            stop = SessionStop(
                stop_uuid, doc_hash, int(page), _region_from_json(region), label, note
            )
            stops.setdefault(int(session_id), []).append(stop)
    plans = [
        SessionPlan(
            plan_uuid,
            name,
            author,
            created,
            modified,
            tuple(stops.get(int(row_id), ())),
            None if plan_layer is None else int(plan_layer),
        )
        for row_id, plan_uuid, name, author, created, modified, plan_layer in rows
    ]
    plans.sort(key=lambda p: (p.layer_id is not None, p.layer_id or 0, p.name.lower(), p.created))
    return plans


def plan_hashes(conn: sqlite3.Connection, uuid: str) -> set[str]:
    """The documents the stops of the plan ``uuid`` are on."""
    found = conn.execute(
        "SELECT DISTINCT doc_hash FROM session_stops WHERE session_id = "
        "(SELECT id FROM sessions WHERE uuid = ?)",
        (uuid,),
    )
    return {str(r[0]) for r in found}


def put_plan(conn: sqlite3.Connection, plan: SessionPlan, touched: set[str]) -> None:
    """Insert the plan, or replace the one with its UUID, stops and all."""
    touched.update(plan_hashes(conn, plan.uuid))
    conn.execute(
        "INSERT INTO sessions(uuid, name, author, created, modified, layer_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(uuid) DO UPDATE SET name = excluded.name, "
        "author = excluded.author, created = excluded.created, modified = excluded.modified, "
        "layer_id = excluded.layer_id",
        (plan.uuid, plan.name, plan.author, plan.created, plan.modified, plan.layer_id),
    )
    (session_id,) = conn.execute("SELECT id FROM sessions WHERE uuid = ?", (plan.uuid,)).fetchone()
    conn.execute("DELETE FROM session_stops WHERE session_id = ?", (session_id,))
    for position, stop in enumerate(plan.stops):
        conn.execute("INSERT OR IGNORE INTO documents(hash) VALUES (?)", (stop.doc_hash,))
        conn.execute(
            "INSERT INTO session_stops(session_id, position, uuid, doc_hash, page, region, "
            "label, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                position,
                stop.uuid,
                stop.doc_hash,
                stop.page,
                _region_to_json(stop.region),
                stop.label,
                stop.note,
            ),
        )
    touched.update(plan.doc_hashes)


def delete_plan(conn: sqlite3.Connection, uuid: str, touched: set[str]) -> None:
    touched.update(plan_hashes(conn, uuid))
    conn.execute("DELETE FROM sessions WHERE uuid = ?", (uuid,))
