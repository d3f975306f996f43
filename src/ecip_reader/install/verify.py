"""Checks that an installation is intact, for ``ecip-reader verify``.

Each check returns a :class:`Check`: a name, whether it passed, and one line
of detail a person can act on. The checks are:

* **program files** (installed builds only): every file of the install folder
  against the SHA-256 list written when the installer was built;
* **bundled library**: every PDF against the hash in ``catalogue.json``;
* **search index**: the prebuilt index shipped with the library (or, when
  there is none, the one built on this machine) matches the catalogue;
* **policy**: the machine-wide policy file can be read, and each extra library
  folder it names can be reached;
* **user data**: the per-user folders can be created and written to.

Nothing here imports Qt, and nothing writes anywhere but the user's folders.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ecip_reader.errors import UserError
from ecip_reader.install.checks import Check, VerifyReport, some
from ecip_reader.install.manifest import check_program_files
from ecip_reader.library.catalogue import Catalogue, load_catalogue, sha256_file
from ecip_reader.paths import AppPaths, bundled_library_dir, install_root
from ecip_reader.settings import Policy, policy_of
from ecip_reader.writable import probe as write_probe
from ecip_reader.writable import reason_of


def _os_reason(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


# --- bundled library ------------------------------------------------------------------------


def check_bundled_library(library_dir: Path) -> tuple[Check, Catalogue | None]:
    """Every PDF of the library against its catalogue hash; all damaged files are named."""
    name = "bundled library"
    try:
        catalogue = load_catalogue(library_dir)
    except UserError as exc:
        return Check(name, False, str(exc)), None
    damaged = []
    for entry in catalogue.entries:
        try:
            if sha256_file(catalogue.path_of(entry)) != entry.sha256:
                damaged.append(entry.file)
        except OSError:
            damaged.append(entry.file)
    count = len(catalogue.entries)
    if damaged:
        detail = (
            f"{len(damaged)} of {count} files changed or damaged: {some(damaged)} "
            "(reinstall the application)"
        )
        return Check(name, False, detail), catalogue
    return Check(name, True, f"{count} documents, all hashes match ({library_dir})"), catalogue


# --- search index ---------------------------------------------------------------------------


def _index_problem(state: str, manifest: Any) -> str:
    from ecip_reader.search.schema import SCHEMA_VERSION

    if state == "stale":
        if manifest is not None and manifest.schema != SCHEMA_VERSION:
            return "stale (built by another version of the reader)"
        return "stale (built for another catalogue)"
    if state == "broken":
        return "damaged (index files missing or changed)"
    return state


def check_index(paths: AppPaths, library_dir: Path, catalogue: Catalogue | None) -> Check:
    """The index the reader will search: the prebuilt one shipped with the library,
    else the one built on this machine."""
    from ecip_reader.search.corpus import Corpus
    from ecip_reader.search.manifest import MANIFEST_FILE, READY
    from ecip_reader.search.manifest import check_index as index_state
    from ecip_reader.search.service import PREBUILT_DIR, SearchService, bundled_index_dir

    name = "search index"
    if catalogue is None:
        return Check(name, False, "not checked: the bundled library has no usable catalogue")
    prebuilt = library_dir / PREBUILT_DIR
    built_here = bundled_index_dir(paths)
    shipped = (prebuilt / MANIFEST_FILE).is_file()
    where = "prebuilt" if shipped else "built on this machine"
    folder = prebuilt if shipped else built_here
    state, manifest = index_state(folder, Corpus(library_dir.resolve(), catalogue), deep=True)
    if state == READY:
        service = SearchService(built_here, library_dir, catalogue)
        try:
            state = service.status()  # also opens the index
        finally:
            service.close()
    if state == READY and manifest is not None:
        detail = f"{where}, matches the catalogue ({manifest.documents} documents, "
        return Check(name, True, detail + f"{manifest.pages} pages; {folder})")
    if not shipped and state == "missing":
        detail = "missing (no prebuilt index beside the library and none built on this machine; "
        return Check(name, False, detail + "run `ecip-reader index`)")
    return Check(name, False, f"{where} index {_index_problem(state, manifest)} ({folder})")


# --- policy ---------------------------------------------------------------------------------


def check_policy(paths: AppPaths) -> tuple[list[Check], Policy]:
    """What the machine-wide policy applies, then one failed check per mistake in it.

    Every mistake is listed in the same run; none of them unlocks a setting
    (see :mod:`ecip_reader.settings.policy`), but each fails the verification.
    """
    name = "policy"
    path = paths.policy_file
    policy = policy_of(paths)
    keys = ", ".join(sorted(policy.values)) or "nothing"
    locked = ", ".join(sorted(policy.locked)) or "nothing"
    checks: list[Check] = []
    if policy.unreadable:
        checks.append(Check(name, True, f"{path}: every setting is locked at its safe value"))
    elif os.path.lexists(path) or policy.values or policy.locked:
        checks.append(Check(name, True, f"{path} read; sets {keys}; locks {locked}"))
    elif not policy.problems:
        checks.append(Check(name, True, f"no policy file at {path}; the defaults apply"))
    checks.extend(Check(name, False, problem) for problem in policy.problems)
    if paths.policy_override_ignored is not None:
        checks.append(
            Check(
                name,
                True,
                f"ECIP_READER_POLICY ({paths.policy_override_ignored}) is not read: the "
                f"administrator's policy {path} applies; try a new policy on a machine "
                "without one",
                warning=True,
            )
        )
    return checks, policy


def _extra_folder_check(name: str, path: Path) -> Check:
    from ecip_reader.search.corpus import Corpus
    from ecip_reader.search.manifest import MANIFEST_FILE, READY
    from ecip_reader.search.manifest import check_index as index_state
    from ecip_reader.search.service import PREBUILT_DIR

    try:
        pdfs = sum(1 for p in path.iterdir() if p.suffix.lower() == ".pdf")
    except OSError as exc:
        return Check(name, True, f"not reachable now: {_os_reason(exc)}", warning=True)
    found = f"reachable, {pdfs} PDF files"
    prebuilt = path / PREBUILT_DIR
    if not (prebuilt / MANIFEST_FILE).is_file():
        return Check(name, True, f"{found}, indexed on this machine when first used")
    try:
        library = Corpus.at(path)
    except UserError as exc:
        return Check(name, True, f"{found}; its catalogue cannot be used: {exc}", warning=True)
    if library.catalogue is None:
        problem = "cannot be used without a catalogue.json"
    else:
        state, manifest = index_state(prebuilt, library, deep=False)
        if state == READY:
            return Check(name, True, f"{found}, with its prebuilt index")
        problem = _index_problem(state, manifest)
    detail = f"{found}; its prebuilt index {problem}, so it is indexed on this machine"
    return Check(name, True, detail, warning=True)


def check_extra_folders(policy: Policy, bundled: Path) -> list[Check]:
    """Each extra library folder named by the policy: reachable, and how it is indexed.

    Problems here are warnings, not failures: the reader works without a share
    that is out of reach (a laptop that is offline), and indexes a share whose
    prebuilt index does not match it on the machine itself.
    """
    from ecip_reader.library.folders import extra_folders

    return [
        _extra_folder_check(f"extra library {folder.path}", folder.path)
        for folder in extra_folders(policy.values.get("extra_library_folders", []), bundled)
    ]


# --- user data ------------------------------------------------------------------------------


def check_user_data(paths: AppPaths, probe: Callable[[Path], None] = write_probe) -> Check:
    """Create, write and delete a small file in each per-user folder; name every one that fails."""
    name = "user data"
    failures: dict[str, list[str]] = {}  # reason -> folders
    for folder in (paths.data, paths.cache, paths.config):
        try:
            probe(folder)
        except OSError as exc:
            failures.setdefault(reason_of(exc), []).append(str(folder))
    if failures:
        why = "; ".join(f"{reason} ({', '.join(folders)})" for reason, folders in failures.items())
        return Check(name, False, f"not writable: {why}")
    return Check(name, True, f"writable ({paths.data})")


# --- everything -----------------------------------------------------------------------------


def verify_installation(paths: AppPaths, library_dir: Path | None = None) -> VerifyReport:
    """Run every check, in the order a person reads them."""
    root = install_root()
    library = library_dir or bundled_library_dir()
    checks: list[Check] = []

    program = check_program_files(root, frozen=bool(getattr(sys, "frozen", False)))
    if program is not None:
        checks.append(program)
    library_check, catalogue = check_bundled_library(library)
    checks.append(library_check)
    checks.append(check_index(paths, library, catalogue))
    policy_checks, policy = check_policy(paths)
    checks.extend(policy_checks)
    checks.extend(check_extra_folders(policy, library.absolute()))
    checks.append(check_user_data(paths))
    return VerifyReport(tuple(checks))
