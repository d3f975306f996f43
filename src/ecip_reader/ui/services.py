"""The core objects the main window works with, built once by ``ecip_reader.app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecip_reader.library.catalogue import Catalogue
from ecip_reader.paths import AppPaths
from ecip_reader.search.other_sources import SourceSearches
from ecip_reader.settings import Settings
from ecip_reader.ui.search.host import SearchHost
from ecip_reader.ui.tasks import TaskRunner
from ecip_reader.userdata.reading_history import ReadingHistory
from ecip_reader.writable import PreparedFolders

if TYPE_CHECKING:
    from ecip_reader.ui.render.client import RenderClient

# (render client, path, doc id, title) -> a document view; tests pass stand-ins.
ViewFactory = Callable[["RenderClient", Path, str, str], Any]


@dataclass
class Services:
    paths: AppPaths
    settings: Settings
    history: ReadingHistory
    tasks: TaskRunner
    catalogue: Catalogue | None
    search: SearchHost
    render_client: Callable[[], RenderClient]  # starts the render worker on first use
    catalogue_error: str | None = None
    view_factory: ViewFactory | None = None  # None: the real DocumentView
    sources: SourceSearches = field(default_factory=SourceSearches)  # searches of other sources
    folders: PreparedFolders | None = None  # which user folders can be written (None: all)
    policy_problem: str | None = None  # the sentence about mistakes in the policy
