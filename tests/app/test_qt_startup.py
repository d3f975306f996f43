"""When Qt cannot start, the reader says what is missing in one sentence and exits 1.

The window is started as a person would (``ecip-reader`` with no command, a
separate process) in situations where Qt really cannot start: no display, a
display that cannot be reached, a platform plugin that does not exist, and
system libraries that are not installed (hidden in a private mount namespace,
see ``tests/support/hidden_libraries.py``). Qt on its own aborts in each case
with a core dump or a misleading hint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

from ecip_reader.app.qt_startup import (
    LIBRARY_PACKAGES,
    QtUnavailable,
    check_platform,
    platform_candidates,
)
from tests.support.hidden_libraries import run_without

QT = Path(PySide6.__file__).parent / "Qt"
XCB_PLUGIN = QT / "plugins" / "platforms" / "libqxcb.so"
QT_GUI = QT / "lib" / "libQt6Gui.so.6"
# What the reader loads from Qt: its modules, and the plugins of the platforms,
# printing, images and input it uses.
QT_FILES = [
    *(QT / "lib" / f"libQt6{m}.so.6" for m in ("Core", "Gui", "Widgets", "Svg", "Network")),
    *(QT / "lib" / f"libQt6{m}.so.6" for m in ("PrintSupport", "DBus", "XcbQpa", "WaylandClient")),
    *(QT / "plugins" / "platforms" / f"libq{p}.so" for p in ("xcb", "wayland", "offscreen")),
    *sorted((QT / "plugins" / "xcbglintegrations").glob("*.so")),
    *sorted((QT / "plugins" / "printsupport").glob("*.so")),
    *sorted((QT / "plugins" / "iconengines").glob("*.so")),
    QT / "plugins" / "imageformats" / "libqsvg.so",
    QT / "plugins" / "platforminputcontexts" / "libcomposeplatforminputcontextplugin.so",
]


def start_window(env_changes: dict[str, str | None], tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        env.pop(name, None)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_reader(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecip_reader"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_sentence(done: subprocess.CompletedProcess[str]) -> str:
    """The failed start's only line on stderr (no traceback, no Qt abort message)."""
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("ecip-reader: ")
    return lines[0].removeprefix("ecip-reader: ")


def unused_x_display() -> str:
    for number in range(917, 999):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            return f":{number}"
    raise AssertionError("no free X display number")


def test_no_display_at_all(tmp_path: Path) -> None:
    said = one_sentence(run_reader(start_window({}, tmp_path)))
    assert said == (
        "There is no display to open the window on (DISPLAY is not set): start the reader "
        "in a desktop session, or on a virtual screen with xvfb-run (package xvfb)."
    )


def test_a_display_that_cannot_be_reached(tmp_path: Path) -> None:
    display = unused_x_display()
    said = one_sentence(run_reader(start_window({"DISPLAY": display}, tmp_path)))
    assert said.startswith(f"The X display {display} cannot be reached")


def test_a_platform_plugin_that_does_not_exist(tmp_path: Path) -> None:
    said = one_sentence(run_reader(start_window({"QT_QPA_PLATFORM": "vulcan"}, tmp_path)))
    assert said.startswith('Qt has no platform plugin called "vulcan" (QT_QPA_PLATFORM);')
    assert "offscreen" in said and "xcb" in said


def test_a_wayland_session_with_no_wayland_display(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = start_window({"QT_QPA_PLATFORM": "wayland", "XDG_RUNTIME_DIR": str(runtime)}, tmp_path)
    said = one_sentence(run_reader(env))
    assert said == "There is no Wayland display wayland-0 to open the window on."


def test_a_missing_library_of_the_x11_plugin_is_named_with_its_package(tmp_path: Path) -> None:
    env = start_window({"QT_QPA_PLATFORM": "xcb"}, tmp_path)
    done = run_without(
        {"libxcb-icccm.so.4": XCB_PLUGIN}, [sys.executable, "-m", "ecip_reader"], tmp_path, env
    )
    assert one_sentence(done) == (
        "Qt's xcb platform (windows on X11) cannot start because the system library "
        "libxcb-icccm.so.4 is missing; install it with: sudo apt-get install libxcb-icccm4"
    )


def test_every_missing_library_is_named_at_once(tmp_path: Path) -> None:
    env = start_window({"QT_QPA_PLATFORM": "xcb"}, tmp_path)
    hidden = {"libxcb-icccm.so.4": XCB_PLUGIN, "libxcb-keysyms.so.1": XCB_PLUGIN}
    done = run_without(hidden, [sys.executable, "-m", "ecip_reader"], tmp_path, env)
    said = one_sentence(done)
    assert "libxcb-icccm.so.4 and libxcb-keysyms.so.1 are missing" in said
    assert said.endswith("install them with: sudo apt-get install libxcb-icccm4 libxcb-keysyms1")


def test_a_missing_library_of_qt_itself_is_named_with_its_package(tmp_path: Path) -> None:
    env = start_window({"QT_QPA_PLATFORM": "offscreen"}, tmp_path)
    done = run_without({"libGL.so.1": QT_GUI}, [sys.executable, "-m", "ecip_reader"], tmp_path, env)
    assert one_sentence(done) == (
        "Qt cannot start because the system library libGL.so.1 is missing; "
        "install it with: sudo apt-get install libgl1"
    )


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ["xcb"]),
        ({"DISPLAY": ":0"}, ["xcb"]),
        ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, ["wayland", "xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-1"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ["offscreen"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb:nograb"}, ["wayland", "xcb"]),
    ],
)
def test_the_platforms_are_tried_in_qts_order(environ: dict[str, str], expected: list[str]) -> None:
    assert platform_candidates(environ) == expected


def test_the_next_platform_is_used_when_the_first_cannot_start(tmp_path: Path) -> None:
    environ = {"QT_QPA_PLATFORM": "wayland;offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert check_platform(environ) == "offscreen"
    with pytest.raises(QtUnavailable) as caught:
        check_platform({"QT_QPA_PLATFORM": "wayland;vulcan", "XDG_RUNTIME_DIR": str(tmp_path)})
    assert str(caught.value) == "There is no Wayland display wayland-0 to open the window on."


# glibc itself: always there, since Python runs on it.
GLIBC = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "libresolv.so.2", "librt.so.1"}


def system_libraries() -> dict[str, Path]:
    """Every system library (name -> file) that the Qt files the reader loads need."""
    found: dict[str, Path] = {}
    missing: list[str] = []
    for file in QT_FILES:
        out = subprocess.run(["ldd", str(file)], capture_output=True, text=True, check=True)
        for line in out.stdout.splitlines():
            parts = line.split()
            if len(parts) < 3 or parts[1] != "=>" or parts[0] in GLIBC:
                continue
            if parts[2] == "not":
                missing.append(f"{parts[0]} (for {file.name})")
            elif not parts[2].startswith(str(QT.parent)) and "shiboken" not in parts[2]:
                found[parts[0]] = Path(parts[2])
    assert not missing, f"not installed: {missing}; ./bootstrap.sh installs them"
    return found


def test_the_package_named_for_each_library_is_the_one_that_provides_it() -> None:
    dpkg = shutil.which("dpkg")
    assert dpkg is not None, "dpkg is needed: Debian and Ubuntu are the supported systems"
    libraries = system_libraries()
    unknown = sorted(set(libraries) - set(LIBRARY_PACKAGES))
    assert not unknown, f"Qt loads libraries whose package is not named: {unknown}"
    out = subprocess.run(
        [dpkg, "-S", *(f"*/{name}" for name in libraries)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    owners: dict[Path, str] = {}
    for line in out.splitlines():
        package, _, path = line.partition(": ")
        for name in package.split(", "):
            owners[Path(path).resolve()] = name.split(":")[0]
    for name, path in libraries.items():
        owner = owners.get(path.resolve())
        assert owner in (LIBRARY_PACKAGES[name], LIBRARY_PACKAGES[name] + "t64"), (name, owner)
