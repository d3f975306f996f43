"""Moving notes from one issue of a document to a re-issued one, by their quoted text.

Notes are anchored to the content hash of the PDF they were made on. When a
document is re-issued (a new file, a new hash), :func:`reattach` looks for each
quote, with its context, in the new document's page texts and moves the note
there — possibly to another page. A note whose quote is gone is kept, moved to
the new hash and marked "could not re-attach" (:attr:`AnchorStatus.DETACHED`),
so it is never lost; the UI lists it without drawing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ecip_reader.userdata import ops
from ecip_reader.userdata.access import NotesOfDocuments
from ecip_reader.userdata.anchoring import FindQuads, locate_quote
from ecip_reader.userdata.models import AnchorStatus, Annotation, DocumentRef


@dataclass(frozen=True)
class ReattachReport:
    moved: tuple[tuple[str, int, int], ...]  # (uuid, old page, new page) of re-attached notes
    detached: tuple[str, ...]  # uuids marked "could not re-attach"
    bookmarks: int  # bookmarks moved to the new document

    @property
    def summary(self) -> str:
        text = f"{len(self.moved)} notes re-attached"
        if self.detached:
            text += f", {len(self.detached)} could not re-attach"
        return text + "."


def _move(
    annotation: Annotation,
    new_hash: str,
    page_count: int,
    texts: Sequence[str],
    find: FindQuads | None,
) -> Annotation:
    if not annotation.kind.is_markup:
        # A sticky note or a drawing has no text to follow: it keeps its page if it still exists.
        if annotation.page <= page_count:
            return replace(annotation, doc_hash=new_hash, status=AnchorStatus.ATTACHED)
        return replace(
            annotation,
            doc_hash=new_hash,
            page=max(1, page_count),
            status=AnchorStatus.DETACHED,
        )
    found = locate_quote(annotation.anchor, texts, annotation.page)
    if found is None:
        return replace(annotation, doc_hash=new_hash, status=AnchorStatus.DETACHED)
    quads = tuple(find(found.page, annotation.anchor)) if find is not None else ()
    return replace(
        annotation,
        doc_hash=new_hash,
        page=found.page,
        quads=quads,
        status=AnchorStatus.ATTACHED,
    )


def reattach(
    store: NotesOfDocuments,
    old_hash: str,
    new_hash: str,
    page_texts: Sequence[str],
    find_quads: FindQuads | None = None,
) -> ReattachReport:
    """Move every note, bookmark and session stop of ``old_hash`` to ``new_hash`` (one transaction).

    ``page_texts`` are the new document's page texts, page 1 first.
    ``find_quads`` gives the passage's quads on its new page (see
    :func:`~ecip_reader.userdata.anchoring.quad_finder`); without it re-attached
    notes have no quads until the caller computes them.
    """
    if old_hash == new_hash:
        return ReattachReport((), (), 0)
    old_doc = store.document(old_hash) or DocumentRef(old_hash)
    new_doc = store.document(new_hash)
    if new_doc is None or not (new_doc.doc_id or new_doc.title):
        new_doc = DocumentRef(new_hash, old_doc.doc_id, old_doc.title)
    changes: list[ops.Op] = [ops.PutDocument(new_doc)]
    moved: list[tuple[str, int, int]] = []
    detached: list[str] = []
    page_count = len(page_texts)
    for annotation in store.annotations(old_hash, include_hidden=True):
        after = _move(annotation, new_hash, page_count, page_texts, find_quads)
        changes.append(ops.PutAnnotation(after))
        if after.status is AnchorStatus.DETACHED:
            detached.append(after.uuid)
        else:
            moved.append((after.uuid, annotation.page, after.page))
    bookmarks = store.bookmarks(old_hash, include_hidden=True)
    for bookmark in bookmarks:
        page = min(bookmark.page, max(1, page_count))
        changes.append(ops.PutBookmark(replace(bookmark, doc_hash=new_hash, page=page)))
    for plan in store.sessions(include_hidden=True):
        if old_hash in plan.doc_hashes:
            stops = [
                replace(s, doc_hash=new_hash, page=min(s.page, max(1, page_count)))
                if s.doc_hash == old_hash
                else s
                for s in plan.stops
            ]
            changes.append(ops.PutSession(replace(plan, stops=tuple(stops))))
    store.apply(changes, external=True)
    return ReattachReport(tuple(moved), tuple(detached), len(bookmarks))
