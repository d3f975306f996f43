"""Can Qt start here? If not, one sentence that says what is missing.

Qt gives a person little to go on when it cannot start: a missing system library
surfaces as an ``ImportError`` naming only a file, and a platform plugin that
cannot be loaded, or that finds no display, aborts the whole process from C++
with a misleading hint (it blames ``xcb-cursor0`` whatever is missing). So before
the first ``QApplication`` is made, :func:`check_platform` looks at what Qt is
about to use — the platform plugins it would try, in Qt's own order, their
libraries and their display — and :func:`from_import_error` turns a failed
import into a sentence. Either way the sentence names the missing library and
the Debian/Ubuntu package that provides it.

This module imports no Qt at the top: it is used when Qt itself cannot load.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from ecip_reader.errors import UserError


class QtUnavailable(UserError):
    """Qt cannot start on this machine; the message says what is missing."""


# The Debian package (Ubuntu uses the same names) of each system library that
# Qt's modules and platform plugins used by the reader load. Ubuntu 24.04 and
# Debian 13 add "t64" to some of these names (libglib2.0-0t64, libcups2t64).
LIBRARY_PACKAGES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libavahi-client.so.3": "libavahi-client3",
    "libavahi-common.so.3": "libavahi-common3",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbsd.so.0": "libbsd0",
    "libcap.so.2": "libcap2",
    "libcom_err.so.2": "libcom-err2",
    "libcups.so.2": "libcups2",
    "libdbus-1.so.3": "libdbus-1-3",
    "libexpat.so.1": "libexpat1",
    "libffi.so.8": "libffi8",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libgcc_s.so.1": "libgcc-s1",
    "libgcrypt.so.20": "libgcrypt20",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgmp.so.10": "libgmp10",
    "libgnutls.so.30": "libgnutls30",
    "libgpg-error.so.0": "libgpg-error0",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libhogweed.so.6": "libhogweed6",
    "libidn2.so.0": "libidn2-0",
    "libk5crypto.so.3": "libk5crypto3",
    "libkeyutils.so.1": "libkeyutils1",
    "libkrb5.so.3": "libkrb5-3",
    "libkrb5support.so.0": "libkrb5support0",
    "liblz4.so.1": "liblz4-1",
    "liblzma.so.5": "liblzma5",
    "libmd.so.0": "libmd0",
    "libnettle.so.8": "libnettle8",
    "libp11-kit.so.0": "libp11-kit0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libpng16.so.16": "libpng16-16",
    "libstdc++.so.6": "libstdc++6",
    "libsystemd.so.0": "libsystemd0",
    "libtasn1.so.6": "libtasn1-6",
    "libunistring.so.2": "libunistring2",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}

# What the dynamic loader says when a library cannot be found.
_NOT_FOUND = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")

# The Qt modules the reader imports while it starts (QtGui comes with QtWidgets).
STARTUP_MODULES = ("QtCore", "QtWidgets", "QtSvg", "QtNetwork")


def missing_library(text: str) -> str | None:
    """The library named in a loader message such as ``libGL.so.1: cannot open …``."""
    found = _NOT_FOUND.search(text)
    return Path(found.group(1)).name if found else None


def missing_libraries(binary: Path) -> list[str]:
    """Every library ``binary`` needs that the loader cannot find (by asking ``ldd``)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    try:
        out = subprocess.run(
            [ldd, str(binary)], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    names = [line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line]
    return sorted(dict.fromkeys(names))


def apt_name(package: str) -> str:
    """``package``, or its "t64" name on systems that only know that one."""
    apt_cache = shutil.which("apt-cache")
    if apt_cache is None:
        return package
    for name in (package, f"{package}t64"):
        try:
            known = subprocess.run(
                [apt_cache, "show", "--no-all-versions", name],
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return package
        if known.returncode == 0 and known.stdout:
            return name
    return package


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def libraries_missing(libraries: Iterable[str], what: str) -> QtUnavailable:
    """The sentence for ``what`` (e.g. "Qt") failing because ``libraries`` are missing."""
    names = sorted(dict.fromkeys(libraries))
    packages = sorted({apt_name(LIBRARY_PACKAGES[n]) for n in names if n in LIBRARY_PACKAGES})
    are = "is" if len(names) == 1 else "are"
    sentence = f"{what} cannot start because the system library {_and(names)} {are} missing"
    if packages:
        it = "it" if len(names) == 1 else "them"
        return QtUnavailable(
            f"{sentence}; install {it} with: sudo apt-get install {' '.join(packages)}"
        )
    return QtUnavailable(f"{sentence}; reinstalling the reader should bring it back.")


def from_import_error(exc: ImportError) -> QtUnavailable | None:
    """The sentence for a Qt module that failed to import, or None when it is not a library."""
    library = missing_library(str(exc))
    if library is None:
        return None
    return libraries_missing([library], "Qt")


def import_startup_modules() -> None:
    """Import the Qt modules the window needs, or raise :class:`QtUnavailable`."""
    import importlib

    for module in STARTUP_MODULES:
        try:
            importlib.import_module(f"PySide6.{module}")
        except ImportError as exc:
            unavailable = from_import_error(exc)
            if unavailable is None:
                raise
            raise unavailable from None


# ----------------------------------------------------------------- platforms


def platform_candidates(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in its order (QT_QPA_PLATFORM, else the session's)."""
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        names = [part.split(":")[0].strip() for part in chosen.split(";")]
        return [name for name in names if name]
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def _plugin_folders(environ: Mapping[str, str]) -> list[Path]:
    """Where Qt looks for platform plugins, in its order."""
    from PySide6.QtCore import QCoreApplication

    folders = [Path(p) / "platforms" for p in QCoreApplication.libraryPaths()]
    extra = environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    if extra:
        folders.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return folders


def platform_plugins(environ: Mapping[str, str]) -> dict[str, Path]:
    """Each platform Qt can offer, and the plugin file that provides it (the first found)."""
    from PySide6.QtCore import QPluginLoader

    plugins: dict[str, Path] = {}
    for folder in _plugin_folders(environ):
        try:
            files = sorted(folder.glob("*.so"))
        except OSError:
            continue
        for file in files:
            meta: object = QPluginLoader(str(file)).metaData().get("MetaData")
            keys: object = meta.get("Keys") if isinstance(meta, dict) else None
            for key in keys if isinstance(keys, list) else []:
                plugins.setdefault(str(key), file)
    return plugins


def _load_problem(plugin: Path, name: str) -> QtUnavailable | None:
    """Why the plugin file cannot be loaded (a missing library), or None when it loads."""
    from PySide6.QtCore import QPluginLoader

    loader = QPluginLoader(str(plugin))
    if loader.load():
        return None  # Qt finds it loaded when it asks for the same file
    error = loader.errorString()
    libraries = missing_libraries(plugin) or [missing_library(error) or ""]
    if not libraries[0]:
        return QtUnavailable(f"Qt's {name} platform plugin cannot be loaded: {error}.")
    return libraries_missing(libraries, f"Qt's {name} platform ({_WHAT.get(name, name)})")


_WHAT = {"xcb": "windows on X11", "wayland": "windows on Wayland", "offscreen": "no screen"}


def _x11_problem(environ: Mapping[str, str]) -> QtUnavailable | None:
    display = environ.get("DISPLAY", "")
    if not display:
        return QtUnavailable(
            "There is no display to open the window on (DISPLAY is not set): start the "
            "reader in a desktop session, or on a virtual screen with xvfb-run "
            "(package xvfb)."
        )
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return libraries_missing(["libxcb.so.1"], "Qt's xcb platform (windows on X11)")
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = xcb.xcb_connection_has_error(connection) != 0
    finally:
        xcb.xcb_disconnect(connection)
    if failed:
        return QtUnavailable(
            f"The X display {display} cannot be reached: check that the desktop session "
            "is still running and that this user may open windows on it."
        )
    return None


def _wayland_problem(environ: Mapping[str, str]) -> QtUnavailable | None:
    name = environ.get("WAYLAND_DISPLAY") or "wayland-0"
    socket = Path(name)
    if not socket.is_absolute():
        runtime = environ.get("XDG_RUNTIME_DIR")
        if not runtime:
            return QtUnavailable(
                "There is no Wayland display to open the window on (XDG_RUNTIME_DIR is not set)."
            )
        socket = Path(runtime) / name
    try:
        is_socket = stat.S_ISSOCK(socket.stat().st_mode)
    except OSError:
        is_socket = False
    if not is_socket:
        return QtUnavailable(f"There is no Wayland display {name} to open the window on.")
    return None


def platform_problem(
    name: str, plugins: Mapping[str, Path], environ: Mapping[str, str]
) -> QtUnavailable | None:
    """Why the platform ``name`` would fail to start, or None when it should start."""
    plugin = plugins.get(name)
    if plugin is None:
        offered = ", ".join(sorted(plugins)) or "none"
        return QtUnavailable(
            f'Qt has no platform plugin called "{name}" (QT_QPA_PLATFORM); '
            f"the ones it has are: {offered}."
        )
    problem = _load_problem(plugin, name)
    if problem is None and name == "xcb":
        problem = _x11_problem(environ)
    elif problem is None and name.startswith("wayland"):
        problem = _wayland_problem(environ)
    return problem


def check_platform(environ: Mapping[str, str] | None = None) -> str:
    """The platform Qt will start on, or :class:`QtUnavailable` saying why none can.

    Qt tries the candidates in order and takes the first that starts; when none
    does, the reason given is the first candidate's (the one the session asks for).
    """
    env = os.environ if environ is None else environ
    import_startup_modules()
    plugins = platform_plugins(env)
    first: QtUnavailable | None = None
    for name in platform_candidates(env):
        problem = platform_problem(name, plugins, env)
        if problem is None:
            return name
        first = first or problem
    raise first or QtUnavailable("Qt has no platform to start on (QT_QPA_PLATFORM is empty).")
