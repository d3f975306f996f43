"""Build the one-folder application with PyInstaller, on Linux, Windows or macOS.

Steps, in order; any failure stops the build:

1. check the bundled library (every PDF against catalogue.json);
2. build its search index with ``ecip-reader index --output`` so the installed
   application never indexes on first start (the index's lock file is not
   shipped);
3. render the icons (``make_icons.py``);
4. run PyInstaller on ``ecip-reader.spec`` (which also writes the licence
   inventory, ``THIRD-PARTY-LICENSES.txt`` and ``third-party.json``);
5. on Linux, finish the bundle (``linux/finish_bundle.py``: no build-machine
   library paths, stripped, glibc floor);
6. check that no lock, journal or cache file is in the bundle;
7. add ``policy-example.toml`` and write ``install-manifest.json`` (the hash of
   every installed file, checked by ``ecip-reader verify``); on macOS sign the
   ``.app`` instead (ad hoc, or with ``CODESIGN_IDENTITY``; hardened runtime
   with ``ENTITLEMENTS``): its code signature plays the manifest's part there;
8. run the built ``ecip-reader verify``, ``self-test`` and ``search`` with a
   throw-away home folder, so every file left out above is proven unneeded.

Usage (from the repository root, in the project's virtual environment)::

    python packaging/build.py [--out packaging/out]
    python packaging/build.py manifest ONEDIR     # rewrite the manifest only (after signing)

The one-folder application ends up in ``OUT/dist/ecip-reader`` (on macOS also
``OUT/dist/ECIP Case-Study Reader.app``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "ecip-reader.spec"
NAME = "ecip-reader"
APP_BUNDLE = "ECIP Case-Study Reader.app"
# Where the prebuilt index sits inside the bundle, relative to the install root;
# the search service looks for it there.
INDEX_DEST = "bundled_library/index"
GLIBC_FLOOR = "2.34"
# Files that record a program's running state, never to be shipped: Whoosh's
# lock files, SQLite journals, Python caches.
STATE_FILE = re.compile(r"(LOCK$|\.lock$|-journal$|-wal$|-shm$|\.pyc$|^__pycache__$)")


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("    $ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env, cwd=ROOT)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ecip_reader", *args]


def check_library() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from ecip_reader.library.catalogue import load_catalogue

    catalogue = load_catalogue(ROOT / "bundled_library", verify_hashes=True)
    print(f"    {len(catalogue)} documents, all hashes match")


def build_index(out: Path) -> Path:
    index = out / "index"
    if index.exists():
        shutil.rmtree(index)
    with tempfile.TemporaryDirectory(prefix="ecip-build-home-") as home:
        env = dict(os.environ, ECIP_READER_HOME=home)
        env.pop("ECIP_READER_LIBRARY", None)
        run(cli("index", "--library", str(ROOT / "bundled_library"), "--output", str(index)), env)
    for leftover in state_files(index):
        leftover.unlink()
        print(
            f"    removed {leftover.relative_to(out)} (state of the writer, not part of the index)"
        )
    return index


def state_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if STATE_FILE.search(p.name))


def executable(dist: Path) -> Path:
    """The built program to run from a script (on Windows its console twin)."""
    if sys.platform == "darwin":
        return dist / APP_BUNDLE / "Contents" / "MacOS" / NAME
    if sys.platform == "win32":
        return dist / NAME / f"{NAME}-cli.exe"
    return dist / NAME / NAME


def write_manifest(onedir: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from ecip_reader.install.manifest import write_manifest as write

    manifest = write(onedir / "_internal", onedir)
    count = len(json.loads(manifest.read_text(encoding="utf-8"))["files"])
    print(f"    {manifest}: {count} files")


def smoke_test(exe: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="ecip-verify-home-") as home:
        env = dict(os.environ, ECIP_READER_HOME=home, QT_QPA_PLATFORM="offscreen")
        env.pop("ECIP_READER_LIBRARY", None)
        empty_policy = Path(home) / "empty-policy.toml"  # named, so it must exist
        empty_policy.write_text("", encoding="utf-8")
        env["ECIP_READER_POLICY"] = str(empty_policy)
        run([str(exe), "verify"], env)
        run([str(exe), "self-test"], env)
        print("    $ " + f"{exe} search discharge", flush=True)
        found = subprocess.run(
            [str(exe), "search", "discharge"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if not found.strip():
            raise SystemExit("the built program found nothing for 'discharge'")
        print(f"    {len(found.splitlines())} lines of results")


def sign_app(app: Path) -> None:
    """Ad hoc, or with ``CODESIGN_IDENTITY`` (a Developer ID Application identity)
    and the hardened runtime that notarisation requires."""
    identity = os.environ.get("CODESIGN_IDENTITY", "-")
    command = ["codesign", "--force", "--deep", "--timestamp", "--sign", identity]
    if identity == "-":
        command = ["codesign", "--force", "--deep", "--sign", identity]
    else:
        command += [
            "--options",
            "runtime",
            "--entitlements",
            str(HERE / "macos" / "entitlements.plist"),
        ]
    run([*command, str(app)])


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(out: Path) -> int:
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    step("checking the bundled library")
    check_library()
    step("building the search index of the bundled library")
    index = build_index(out)
    step("rendering icons")
    icons = out / "icons"
    run([sys.executable, str(HERE / "make_icons.py"), str(icons)])
    step("running PyInstaller")
    dist, work = out / "dist", out / "pyinstaller"
    env = dict(
        os.environ,
        ECIP_PREBUILT_INDEX=str(index),
        ECIP_PREBUILT_INDEX_DEST=INDEX_DEST,
        ECIP_ICON_DIR=str(icons),
    )
    pyinstaller = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    run([*pyinstaller, "--distpath", str(dist), "--workpath", str(work), str(SPEC)], env)
    onedir = dist / NAME
    if sys.platform.startswith("linux"):
        step("finishing the bundle for Linux")
        run(
            [
                sys.executable,
                str(HERE / "linux" / "finish_bundle.py"),
                str(onedir),
                "--glibc-floor",
                GLIBC_FLOOR,
            ]
        )
    leftovers = state_files(dist)
    if leftovers:
        raise SystemExit("state files in the bundle: " + ", ".join(map(str, leftovers)))
    if sys.platform == "darwin":
        step("signing the application bundle")
        sign_app(dist / APP_BUNDLE)
    else:
        step("writing the install manifest")
        shutil.copyfile(HERE / "policy-example.toml", onedir / "policy-example.toml")
        if sys.platform == "win32":  # Group Policy templates, for the MSI to install
            shutil.copytree(HERE / "windows" / "policy", onedir / "policy-templates")
        write_manifest(onedir)
    step("verifying the built application")
    smoke_test(executable(dist))
    size = folder_size(onedir) / 1e6
    print(f"built {onedir} ({size:.1f} MB) in {time.monotonic() - started:.0f} s")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the one-folder application.")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="output folder")
    sub = parser.add_subparsers(dest="command")
    manifest = sub.add_parser("manifest", help="(re)write the install manifest of a onedir")
    manifest.add_argument("onedir", type=Path)
    args = parser.parse_args(argv)
    if args.command == "manifest":
        write_manifest(args.onedir.resolve())
        return 0
    return build(args.out.resolve())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
