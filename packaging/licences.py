"""The third-party licence inventory of a build, made from what is really bundled.

The PyInstaller spec calls :func:`write_inventory` with the files it is about
to collect. Each file is traced to where it came from:

* a Python distribution (wheel) in the build's environment: its name,
  version, declared licence and the licence files it ships;
* the Python runtime itself (the interpreter library, the standard library,
  the extension modules and, on Windows and macOS, the libraries the Python
  installer brings): Python's own ``LICENSE.txt``, which lists them;
* on Linux, a Debian or Ubuntu package of the build machine (for example
  ``libsqlite3-0``): its version and its ``/usr/share/doc/PACKAGE/copyright``.

Licence texts a distribution does not ship itself (Qt's LGPL, MuPDF's AGPL,
ICU's licence) come from ``packaging/licences/``. Two files are written:
``THIRD-PARTY-LICENSES.txt`` (names, versions, licences and their full texts,
shown in Help → About) and ``third-party.json`` (the same inventory without
the texts, from which ``packaging/sbom.py`` writes each installer's bill of
materials). A bundled file whose origin cannot be found stops a Linux build.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "licences"
TEXT_NAME = "THIRD-PARTY-LICENSES.txt"
INVENTORY_NAME = "third-party.json"
OWN_DISTRIBUTION = "ecip-reader"

# Licence texts a distribution's wheel does not carry, by distribution name.
EXTRA_TEXTS = {
    "pyside6-essentials": ["LGPL-3.0.txt", "GPL-3.0.txt"],
    "shiboken6": ["LGPL-3.0.txt", "GPL-3.0.txt"],
    "pymupdf-lite": ["AGPL-3.0.txt"],
}
# What a distribution contains besides its own code, found by a bundled file's
# name: distribution -> (component, licence, text file or None, file marker, note).
EMBEDDED = {
    "pyside6-essentials": [
        (
            "ICU (International Components for Unicode)",
            "Unicode-DFS-2016",
            "ICU.txt",
            "libicu",
            "Qt's Unicode support on Linux.",
        ),
    ],
    "pymupdf-lite": [
        (
            "MuPDF",
            "AGPL-3.0-or-later",
            None,
            "libmupdf",
            "The PDF engine, with the FreeType, HarfBuzz, lcms2, libjpeg, OpenJPEG, jbig2dec, "
            "Gumbo and zlib code it builds in; covered by the AGPL text of pymupdf-lite above.",
        ),
    ],
}


def normal_name(name: str) -> str:
    """Distribution names compare case- and separator-insensitively (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)


@dataclass
class Component:
    name: str
    version: str
    licence: str
    origin: str  # "pypi", "python", "deb", "embedded"
    files: list[str] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (title, text)
    note: str = ""

    def key(self) -> tuple[str, str]:
        return (self.origin, self.name.lower())


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace").strip()


def distribution_licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    declared = str(meta.get("License") or "").strip()
    if declared and "\n" not in declared and len(declared) < 120:
        return declared
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    return " / ".join(classifiers) or "not declared"


def distribution_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if parts and parts[0].endswith(".dist-info") and LICENCE_FILE.search(parts[-1]):
            texts.append((parts[-1], _read(Path(str(file.locate())))))
    for extra in EXTRA_TEXTS.get(normal_name(str(dist.metadata["Name"])), []):
        texts.append((extra.removesuffix(".txt"), _read(TEXTS / extra)))
    return texts


class Tracer:
    """Finds the origin of bundled files, one component per origin."""

    def __init__(self, own: list[Path]) -> None:
        self.own = [p.resolve() for p in own]
        self.by_file: dict[Path, metadata.Distribution] = {}
        for dist in metadata.distributions():
            for file in dist.files or []:
                self.by_file[Path(str(file.locate())).resolve()] = dist
        self.components: dict[tuple[str, str], Component] = {}
        self.unknown: list[str] = []
        self.pending: list[tuple[str, Path]] = []
        self.python_roots = {
            Path(p).resolve()
            for p in (
                sys.base_prefix,
                sysconfig.get_path("stdlib"),
                sysconfig.get_config_var("LIBDIR") or sys.base_prefix,
            )
        }

    def _add(self, component: Component, dest: str) -> None:
        existing = self.components.setdefault(component.key(), component)
        existing.files.append(dest)

    def trace(self, dest: str, src: Path) -> None:
        """Note where ``dest`` came from; system files are looked up in :meth:`finish`."""
        dist = self.by_file.get(src.resolve())
        if dist is None:
            if not any(src.resolve().is_relative_to(root) for root in self.own):
                self.pending.append((dest, src))
            return
        name = str(dist.metadata["Name"])
        if normal_name(name) == OWN_DISTRIBUTION:
            return
        component = Component(name, str(dist.version), distribution_licence(dist), "pypi")
        if component.key() not in self.components:
            component.texts = distribution_texts(dist)
        self._add(component, dest)

    def _trace_system_files(self) -> None:
        """Debian packages first (a system Python is packaged too), then Python's own folder."""
        owners = debian_packages([src for _dest, src in self.pending])
        for dest, src in self.pending:
            package = owners.get(src)
            if package is not None:
                self._add(package, dest)
            elif any(src.resolve().is_relative_to(root) for root in self.python_roots):
                self._add(python_component(), dest)
            else:
                self.unknown.append(f"{dest} (from {src})")
        self.pending = []

    def finish(self) -> list[Component]:
        self._trace_system_files()
        components = sorted(self.components.values(), key=lambda c: c.name.lower())
        embedded: list[Component] = []
        for component in components:
            for name, licence, text, marker, note in EMBEDDED.get(normal_name(component.name), []):
                files = [f for f in component.files if marker in Path(f).name]
                if not files:
                    continue
                version = f"(part of {component.name} {component.version})"
                part = Component(name, version, licence, "embedded", files, note=note)
                if text:
                    part.texts = [(text.removesuffix(".txt"), _read(TEXTS / text))]
                embedded.append(part)
        return components + embedded


_PYTHON: Component | None = None


def python_component() -> Component:
    global _PYTHON
    if _PYTHON is None:
        candidates = [
            Path(sysconfig.get_path("stdlib")) / "LICENSE.txt",
            Path(sys.base_prefix) / "LICENSE.txt",
            Path(sys.base_prefix)
            / "share"
            / "doc"
            / f"python{sys.version_info[0]}.{sys.version_info[1]}"
            / "copyright",
        ]
        text = next((p for p in candidates if p.is_file()), None)
        if text is None:
            raise SystemExit("Python's LICENSE.txt was not found: cannot list its licence")
        _PYTHON = Component(
            "Python",
            platform.python_version(),
            "PSF-2.0",
            "python",
            texts=[("Python LICENSE", _read(text))],
            note="Python's licence file also lists the libraries its installers include.",
        )
    return _PYTHON


def debian_packages(files: list[Path]) -> dict[Path, Component]:
    """The Debian package of each file that belongs to one (one ``dpkg -S`` call)."""
    if not sys.platform.startswith("linux") or not files:
        return {}
    spellings: dict[str, Path] = {}
    for src in files:
        real = str(src.resolve())
        for name in (
            real,
            str(src),
            real.replace("/usr/lib/", "/lib/"),
            real.replace("/lib/", "/usr/lib/", 1),
        ):
            spellings.setdefault(name, src)
    try:
        result = subprocess.run(["dpkg", "-S", *spellings], capture_output=True, text=True)
    except OSError:
        return {}
    found: dict[Path, Component] = {}
    packages: dict[str, Component] = {}
    for line in result.stdout.splitlines():
        owner, _, path = line.partition(": ")
        src = spellings.get(path.strip())
        if src is None or src in found or owner.startswith("diversion"):
            continue
        package = owner.split(",")[0].split(":")[0].strip()
        if package not in packages:
            packages[package] = debian_component(package)
        found[src] = packages[package]
    return found


def debian_component(package: str) -> Component:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True
    )
    version = result.stdout.strip() or "unknown"
    copyright_file = Path("/usr/share/doc") / package / "copyright"
    text = _read(copyright_file) if copyright_file.is_file() else ""
    # In Debian's machine-readable format the "Files: *" paragraph holds the
    # licence of the program itself; other paragraphs cover single files.
    main = re.search(r"^Files: *\*\s*$(.*?)(?:^\s*$|\Z)", text, re.M | re.S)
    where = main.group(1) if main else text
    licences = sorted(set(re.findall(r"^License: *(\S+)", where, re.M)))
    return Component(
        package,
        version,
        " AND ".join(licences) or "see its copyright file",
        "deb",
        texts=[("copyright", text)] if text else [],
    )


def distribution_id() -> str:
    """``debian``, ``ubuntu``... from /etc/os-release (for package URLs)."""
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return "linux"
    match = re.search(r"^ID=\"?([a-z0-9._-]+)", text, re.M)
    return match.group(1) if match else "linux"


def render_text(components: list[Component], version: str, target: str) -> str:
    lines = [
        f"Third-party software in the ECIP Case-Study Reader {version} ({target})",
        "",
        "The reader is free software under the GNU Affero General Public License,",
        "version 3 or later. It is built with the software listed here; each entry",
        "gives the licence it is used under and the licence texts it comes with.",
        "",
        "Contents",
        "--------",
    ]
    lines += [f"  {c.name} {c.version} — {c.licence}" for c in components]
    for c in components:
        lines += [
            "",
            "=" * 78,
            f"{c.name} {c.version}",
            "=" * 78,
            f"Licence: {c.licence}",
            f"Bundled files: {len(c.files)}",
        ]
        if c.note:
            lines.append(c.note)
        for title, text in c.texts:
            lines += ["", f"--- {title} ---", "", text]
    return "\n".join(lines) + "\n"


def write_inventory(
    entries: list[tuple[str, str]], out: Path, version: str, own: list[Path]
) -> list[Path]:
    """Trace ``(dest, src)`` pairs and write the two inventory files into ``out``.

    Files below the ``own`` folders are the reader's own (its code, resources,
    library and index) and are not listed.
    """
    tracer = Tracer(own)
    for dest, src in entries:
        tracer.trace(dest, Path(src))
    components = tracer.finish()
    if tracer.unknown and sys.platform.startswith("linux"):
        raise SystemExit(
            "no licence is known for these bundled files:\n  " + "\n  ".join(tracer.unknown)
        )
    for line in tracer.unknown:
        print(f"warning: origin unknown, not in the licence inventory: {line}")
    target = f"{sys.platform}-{platform.machine().lower()}"
    out.mkdir(parents=True, exist_ok=True)
    text_path = out / TEXT_NAME
    text_path.write_text(render_text(components, version, target), encoding="utf-8")
    inventory = {
        "application": {
            "name": OWN_DISTRIBUTION,
            "version": version,
            "licence": "AGPL-3.0-or-later",
        },
        "target": target,
        "distribution": distribution_id() if sys.platform.startswith("linux") else sys.platform,
        "components": [
            {
                "name": c.name,
                "version": c.version,
                "licence": c.licence,
                "origin": c.origin,
                "files": sorted(c.files),
            }
            for c in components
        ],
    }
    json_path = out / INVENTORY_NAME
    json_path.write_text(json.dumps(inventory, indent=1) + "\n", encoding="utf-8")
    print(f"licence inventory: {len(components)} components, {text_path.stat().st_size // 1024} KB")
    return [text_path, json_path]
