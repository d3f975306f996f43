"""The installer icons: ICO and ICNS containers of PNG images rendered from app.svg."""

from __future__ import annotations

import importlib.util
import struct
import sys
from types import ModuleType

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tests.packaging.conftest import PACKAGING

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icons"] = module
    spec.loader.exec_module(module)
    return module


def test_rendered_pngs_have_their_size_and_are_not_blank(qtbot: QtBot) -> None:
    icons = make_icons()
    pngs = icons.render_pngs(icons.SVG)
    assert sorted(pngs) == sorted(icons.SIZES)
    image = QImage.fromData(pngs[256], "PNG")
    assert (image.width(), image.height()) == (256, 256)
    centre = image.pixelColor(128, 40)  # the blue tile behind the open book
    assert centre.alpha() == 255 and centre.blue() > 150 and centre.red() < 60


def test_ico_directory_points_at_each_png() -> None:
    icons = make_icons()
    pngs = {size: PNG_SIGNATURE + bytes([size % 251]) * size for size in icons.SIZES}
    data = icons.ico_bytes(pngs)

    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(icons.ICO_SIZES))
    for index, size in enumerate(icons.ICO_SIZES):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert width == height == (0 if size == 256 else size)
        assert (planes, bits) == (1, 32)
        assert data[offset : offset + length] == pngs[size]


def test_icns_elements_hold_the_pngs() -> None:
    icons = make_icons()
    pngs = {size: PNG_SIGNATURE + b"x" * size for size in icons.SIZES}
    data = icons.icns_bytes(pngs)

    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    found = {}
    position = 8
    while position < len(data):
        kind = data[position : position + 4]
        length = struct.unpack_from(">I", data, position + 4)[0]
        found[kind] = data[position + 8 : position + length]
        position += length
    assert found == {kind: pngs[size] for size, kind in icons.ICNS_TYPES.items()}
