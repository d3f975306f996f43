"""The PyInstaller spec keeps what the reader uses and leaves out the rest.

The spec is run by PyInstaller, not imported; its constants and filter
functions are taken from its source and run here on their own.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.packaging.conftest import PACKAGING, ROOT

SPEC = PACKAGING / "ecip-reader.spec"
FILTER_NAMES = {
    "QT_MODULES_UNUSED",
    "QT_PLUGINS_KEPT",
    "QT_LIBS_DROPPED",
    "LINUX_SYSTEM_LIBS",
    "excludes",
    "_plugin_kept",
    "_kept",
    "_reachable_only",
}


def spec_filters(platform: str) -> dict[str, Any]:
    """The spec's filter constants and functions, as if PyInstaller ran on ``platform``."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    kept: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in FILTER_NAMES:
            kept.append(node)
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in FILTER_NAMES for t in targets):
                kept.append(node)
    module = ast.Module(body=kept, type_ignores=[])
    fake_sys = type("sys", (), {"platform": platform, "path": sys.path})
    namespace: dict[str, Any] = {
        "re": re,
        "Path": Path,
        "sys": fake_sys,
        "SPECPATH": str(PACKAGING),
    }
    exec(compile(module, str(SPEC), "exec"), namespace)
    return namespace


def qt_modules_used() -> set[str]:
    """The PySide6 modules the application imports."""
    used: set[str] = set()
    for path in (ROOT / "src" / "ecip_reader").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            used.update(n.split(".")[1] for n in names if n.startswith("PySide6."))
    return used


def test_no_qt_module_the_app_imports_is_left_out() -> None:
    spec = spec_filters("linux")
    used = qt_modules_used()
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    assert used.isdisjoint(spec["QT_MODULES_UNUSED"])
    for module in used:
        assert not spec["QT_LIBS_DROPPED"].search(f"libQt6{module[2:]}.so.6"), module
        assert not spec["QT_LIBS_DROPPED"].search(f"Qt6{module[2:]}.dll"), module


def test_heavy_qt_parts_are_left_out() -> None:
    spec = spec_filters("linux")
    for module in ("QtQml", "QtQuick", "QtWebEngineCore", "QtMultimedia", "Qt3DCore"):
        assert f"PySide6.{module}" in spec["excludes"]
    for library in ("libQt6Qml.so.6", "libQt6Quick.so.6", "Qt6Pdf.dll"):
        assert not spec["_kept"]((library, "src", "BINARY"))
    assert "ssl" in spec["excludes"]  # the reader never opens a connection
    assert "_hashlib" in spec["excludes"]  # and so needs no OpenSSL for hashing either
    windows = spec_filters("win32")["_kept"]
    assert not windows(("PySide6/opengl32sw.dll", "src", "BINARY"))
    assert windows(("PySide6/Qt6Gui.dll", "src", "BINARY"))


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/tls/libqcertonlybackend.so", False),
        ("PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
        ("PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),  # the reader installs no translator
        ("PySide6/Qt/translations/qtdeclarative_de.qm", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6/Qt/lib/libQt6Svg.so.6", True),
        ("PySide6/Qt/lib/libQt6Network.so.6", True),
        ("PySide6/Qt/lib/libQt6PrintSupport.so.6", True),
        ("pymupdf/libmupdf.so.28.5", True),
        ("pymupdf/mupdf-devel/include/mupdf/fitz.h", False),
    ],
)
def test_qt_plugins_and_files(dest: str, kept: bool) -> None:
    assert spec_filters("linux")["_kept"]((dest, "src", "BINARY")) is kept


def test_linux_system_libraries_come_from_the_system() -> None:
    linux = spec_filters("linux")["_kept"]
    windows = spec_filters("win32")["_kept"]
    for library in (
        "libX11.so.6",
        "libxcb-cursor.so.0",
        "libglib-2.0.so.0",
        "libstdc++.so.6",
        "libfontconfig.so.1",
        "libGL.so.1",
        "libwayland-client.so.0",
        "libcairo.so.2",
        "libcups.so.2",
        "libgnutls.so.30",
        "libavahi-client.so.3",
        "libgssapi_krb5.so.2",
        "libbrotlidec.so.1",
        "libssl.so.3",
    ):
        assert not linux((library, "src", "BINARY")), library
        assert windows((library, "src", "BINARY")), library
    for library in ("libpython3.11.so.1.0", "libicuuc.so.73", "libsqlite3.so.0"):
        assert linux((library, "src", "BINARY")), library


# Libraries that the kept Qt parts link and the spec leaves to the system, with
# the Debian package that provides each: libQt6Network links GSSAPI and Brotli,
# the CUPS print plugin links libcups.
SYSTEM_LIBS_OF_KEPT_QT_PARTS = {
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libcups.so.2": "libcups2",
}


def deb_depends() -> set[str]:
    """The package names in the Depends that packaging/linux/build.sh writes."""
    text = (PACKAGING / "linux" / "build.sh").read_text(encoding="utf-8")
    match = re.search(r'^DEPENDS="([^"]*)"', text, re.MULTILINE)
    assert match is not None
    return {
        alternative.strip().split(" ", 1)[0]
        for clause in match.group(1).split(",")
        for alternative in clause.split("|")
    }


def test_libraries_left_to_the_system_are_in_the_deb_depends() -> None:
    linux = spec_filters("linux")["_kept"]
    depends = deb_depends()
    for library, package in SYSTEM_LIBS_OF_KEPT_QT_PARTS.items():
        assert not linux((library, "src", "BINARY")), library
        assert package in depends, package


def test_linux_keeps_only_libraries_that_a_kept_file_needs() -> None:
    """What a left-out plugin dragged in (GTK, with the GTK theme) is dropped."""
    prune = spec_filters("linux")["_reachable_only"]
    plugin = Path(__file__).parent / "data" / "libhypot.so"  # needs libm.so.6
    libm = "/usr/lib/x86_64-linux-gnu/libm.so.6"
    binaries = [
        ("PySide6/Qt/plugins/imageformats/libhypot.so", str(plugin), "BINARY"),
        ("libm.so.6", libm, "BINARY"),
        ("libgtk-3.so.0", libm, "BINARY"),  # needed by nothing kept
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
    ]
    kept = [entry[0] for entry in prune(binaries)]
    assert kept == ["PySide6/Qt/plugins/imageformats/libhypot.so", "libm.so.6", "libQt6Core.so.6"]
