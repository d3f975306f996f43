"""The elementary changes :meth:`UserDataStore.apply` makes in one transaction.

Every user action is a list of these (and its undo another list), so the undo
history only needs to remember two lists per action.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecip_reader.userdata.models import Annotation, Bookmark, DocumentRef, Layer
from ecip_reader.userdata.session_plans import SessionPlan


@dataclass(frozen=True)
class PutDocument:
    """Record (or update) the id and title known for a document hash."""

    document: DocumentRef


@dataclass(frozen=True)
class PutAnnotation:
    """Insert the annotation, or replace the one with the same UUID."""

    annotation: Annotation


@dataclass(frozen=True)
class DeleteAnnotation:
    uuid: str


@dataclass(frozen=True)
class PutBookmark:
    bookmark: Bookmark


@dataclass(frozen=True)
class DeleteBookmark:
    uuid: str


@dataclass(frozen=True)
class SetColourLabel:
    key: str
    label: str


@dataclass(frozen=True)
class PutLayer:
    """Insert the layer with its id, or update the one with that id."""

    layer: Layer


@dataclass(frozen=True)
class DeleteLayer:
    """Delete an imported layer with all its annotations and bookmarks."""

    layer_id: int


@dataclass(frozen=True)
class PutSession:
    """Insert the session plan, or replace the one with the same UUID (stops and all)."""

    plan: SessionPlan


@dataclass(frozen=True)
class DeleteSession:
    uuid: str


Op = (
    PutDocument
    | PutAnnotation
    | DeleteAnnotation
    | PutBookmark
    | DeleteBookmark
    | SetColourLabel
    | PutLayer
    | DeleteLayer
    | PutSession
    | DeleteSession
)
