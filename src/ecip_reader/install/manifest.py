"""The installed program's files: the hash list written into installers, and its check.

Installer builds write ``install-manifest.json`` (the SHA-256 of every file of
the one-folder application) into the install root; ``ecip-reader verify``
compares the installed files with it. A macOS ``.app`` carries no such list:
its code signature seals every file, so ``codesign --verify`` is used there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ecip_reader.install.checks import Check, some
from ecip_reader.library.catalogue import sha256_file

MANIFEST_NAME = "install-manifest.json"
MANIFEST_FORMAT = 1


def build_manifest(base: Path, skip: Iterable[Path] = ()) -> dict[str, Any]:
    """The hash list of every file below ``base`` (written into installers at build time)."""
    skipped = {p.resolve() for p in skip}
    files = {
        path.relative_to(base).as_posix(): sha256_file(path)
        for path in sorted(base.rglob("*"))
        if path.is_file() and not path.is_symlink() and path.resolve() not in skipped
    }
    return {"format": MANIFEST_FORMAT, "files": files}


def write_manifest(root: Path, base: Path) -> Path:
    """Write ``root/install-manifest.json`` listing the files below ``base``."""
    manifest = root / MANIFEST_NAME
    payload = build_manifest(base, skip=[manifest])
    payload["base"] = os.path.relpath(base, root)
    manifest.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def app_bundle(executable: Path) -> Path | None:
    """The macOS ``.app`` holding ``executable`` (``X.app/Contents/MacOS/exe``), if any."""
    bundle = executable.parent.parent.parent
    return bundle if bundle.suffix == ".app" else None


def check_code_signature(bundle: Path) -> Check:
    """macOS: the bundle's code signature seals every file in it."""
    name = "program files"
    try:
        result = subprocess.run(
            ["codesign", "--verify", "--deep", "--strict", str(bundle)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return Check(name, False, f"the code signature of {bundle} could not be checked ({exc})")
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1:] or ["invalid"]
        return Check(name, False, f"the code signature of {bundle} is broken: {reason[0]}")
    return Check(name, True, f"code signature of {bundle} valid (every file sealed)")


def check_program_files(root: Path, frozen: bool) -> Check | None:
    """Compare the install folder with its manifest; ``None`` when running from source.

    A frozen macOS bundle carries no manifest: its code signature is checked instead.
    """
    manifest = root / MANIFEST_NAME
    name = "program files"
    if not manifest.is_file():
        if not frozen:
            return None
        bundle = app_bundle(Path(sys.executable))
        if sys.platform == "darwin" and bundle is not None:
            return check_code_signature(bundle)
        return Check(name, False, f"the file list {manifest} is missing")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files: dict[str, str] = data["files"]
        if not isinstance(files, dict):
            raise TypeError("'files' is not a mapping")
        base = (root / str(data.get("base", "."))).resolve()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Check(name, False, f"the file list {manifest} cannot be read ({exc})")
    missing: list[str] = []
    changed: list[str] = []
    for rel, expected in files.items():
        path = base / rel
        try:
            if sha256_file(path) != expected:
                changed.append(rel)
        except FileNotFoundError:
            missing.append(rel)
        except OSError:
            changed.append(rel)
    if missing or changed:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing ({some(missing)})")
        if changed:
            parts.append(f"{len(changed)} changed or unreadable ({some(changed)})")
        return Check(name, False, f"{len(files)} files listed; " + "; ".join(parts))
    listed = set(files)
    manifest = manifest.resolve()
    extra = sorted(
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and p != manifest
        and p.relative_to(base).as_posix() not in listed
    )
    if extra:
        detail = (
            f"{len(files)} files intact; {len(extra)} files added since install ({some(extra)})"
        )
        return Check(name, True, detail, warning=True)
    return Check(name, True, f"{len(files)} files intact in {base}")
