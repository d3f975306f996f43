"""What the store's helper modules need of the store, as small protocols.

:class:`~ecip_reader.userdata.store.UserDataStore` satisfies each of them; the
helpers (backups, re-attaching, note search) are typed against these rather
than the whole store, so they do not import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from ecip_reader.userdata import ops
from ecip_reader.userdata.models import Annotation, Bookmark, DocumentRef
from ecip_reader.userdata.session_plans import SessionPlan


class Queryable(Protocol):
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class BackedUp(Protocol):
    @property
    def path(self) -> Path: ...

    @property
    def backup_folder(self) -> Path: ...

    @property
    def read_only_reason(self) -> str | None: ...


class NotesOfDocuments(Protocol):
    def document(self, doc_hash: str) -> DocumentRef | None: ...

    def annotations(
        self,
        doc_hash: str | None = None,
        page: int | None = None,
        *,
        include_hidden: bool = False,
        own_only: bool = False,
        layer_id: int | None = None,
    ) -> list[Annotation]: ...

    def bookmarks(
        self,
        doc_hash: str | None = None,
        *,
        include_hidden: bool = False,
        own_only: bool = False,
        layer_id: int | None = None,
    ) -> list[Bookmark]: ...

    def sessions(
        self,
        *,
        include_hidden: bool = False,
        own_only: bool = False,
        layer_id: int | None = None,
    ) -> list[SessionPlan]: ...

    def apply(self, changes: Sequence[ops.Op], *, external: bool = False) -> object: ...
