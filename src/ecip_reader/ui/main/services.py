"""The core objects the main window works with, built once by ``ecip_reader.app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.library.sources import SourceSearches
from ecip_reader.paths import AppPaths
from ecip_reader.settings.store import Settings
from ecip_reader.ui.search.host import SearchHost
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata.reading_history import History

if TYPE_CHECKING:
    from ecip_reader.ui.reader.view import DocumentView
    from ecip_reader.ui.render.client import RenderClient


def _real_view(client: RenderClient, path: Path, doc_id: str, title: str) -> DocumentView:
    from ecip_reader.ui.reader.view import DocumentView  # loaded when the first document opens

    return DocumentView(client, path, doc_id, title)


ViewFactory = Callable[["RenderClient", Path, str, str], "DocumentView"]


@dataclass
class Services:
    paths: AppPaths
    settings: Settings
    history: History
    tasks: TaskRunner
    catalogue: Catalogue | None
    search: SearchHost
    render_client: Callable[[], RenderClient]  # starts the render worker on first use
    catalogue_error: str | None = None
    view_factory: ViewFactory = _real_view
    sources: SourceSearches = field(default_factory=SourceSearches)  # searches of other sources
