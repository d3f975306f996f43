"""PDFs that are small on disk but take a render worker a very long time.

* :func:`write_inflating_pdf`: one page of about 2.5 MB carrying a
  triangle-mesh shading that inflates to about 1 GiB when the page is drawn.
  MuPDF spends minutes painting its 60 million page-sized triangles, while
  reading the page's text (which skips shadings) takes milliseconds: the file
  opens at once and is slow only to draw.
* :func:`write_slow_to_open_pdf`: one page whose own drawing instructions
  inflate to about 1 GiB; reading its text, which opening the file does to see
  whether it has any, already takes a worker close to a minute.
* :func:`write_named_destinations_pdf`: links to named destinations among
  20,000 names, as LaTeX writes them; reading every name at once is what made
  the links of a 1,600-page manual take seconds.

Files are written byte by byte; each compressed stream is one compressed
megabyte repeated, so making a file takes well under a second.
"""

from __future__ import annotations

import zlib
from pathlib import Path

INFLATED_BYTES = 1 << 30
CHUNK = 18 << 16  # about 1.1 MB: a whole number of triangles

# One triangle of a type 4 shading (free-form mesh): three vertices of a flag byte,
# two 16-bit coordinates and a grey level, spanning half of the page.
TRIANGLE = bytes.fromhex("00 0000 0000 40  00 ffff 0000 80  00 0000 ffff c0")


def repeated_flate(unit: bytes, total: int) -> tuple[bytes, int]:
    """A zlib stream of ``unit`` repeated to about ``total`` bytes, and its inflated size.

    Each megabyte is compressed on its own (a full flush resets the window), so
    one compressed block can simply be repeated.
    """
    block = unit * (CHUNK // len(unit))
    count = max(1, total // len(block))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush(zlib.Z_FINISH)
    check = 1
    for _ in range(count):
        check = zlib.adler32(block, check)
    body = b"\x78\xda" + first + again * (count - 1) + end + check.to_bytes(4, "big")
    return body, len(block) * count


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<<%s/Length %d>>stream\n%s\nendstream" % (entries, len(data), data)


def _write_one_page(path: Path, content: bytes, extra: bytes, shading: bool) -> Path:
    """A one-page A4 PDF with ``content``; ``extra`` (object 5) is its shading or more content."""
    if shading:
        contents, resources = b"4 0 R", b"/Shading<</Sh0 5 0 R>>"
    else:
        contents, resources = b"[4 0 R 5 0 R]", b""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Count 1/Kids[3 0 R]>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents %s"
        b"/Resources<</Font<</F1 6 0 R>>%s>>>>" % (contents, resources),
        _stream(b"", content),
        extra,
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    return _write_objects(path, objects)


def write_inflating_pdf(path: Path, inflated: int = INFLATED_BYTES) -> Path:
    """One A4 page with a line of text and a mesh shading inflating to ``inflated`` bytes."""
    mesh, _size = repeated_flate(TRIANGLE, inflated)
    shading = _stream(
        b"/ShadingType 4/ColorSpace/DeviceGray/BitsPerCoordinate 16/BitsPerComponent 8"
        b"/BitsPerFlag 8/Decode[0 595 0 842 0 1]/Filter/FlateDecode",
        mesh,
    )
    content = b"BT /F1 14 Tf 72 770 Td (A page with a very heavy drawing) Tj ET\nq /Sh0 sh Q\n"
    return _write_one_page(path, content, shading, shading=True)


def write_slow_to_open_pdf(path: Path, inflated: int = INFLATED_BYTES) -> Path:
    """One A4 page with a line of text, then lines to stroke inflating to ``inflated`` bytes."""
    lines, _size = repeated_flate(b"72 72 m 523 770 l S\n", inflated)
    content = b"BT /F1 14 Tf 72 770 Td (A page with a very long list of lines) Tj ET\n"
    return _write_one_page(path, content, _stream(b"/Filter/FlateDecode", lines), shading=False)


def write_named_destinations_pdf(path: Path, pages: int = 40, names: int = 20_000) -> Path:
    """A PDF whose page 1 links to named destinations, as LaTeX's hyperref writes them.

    The name tree holds ``names`` names ("n00000", …), name ``i`` pointing at
    page ``i % pages``. Page 1 links to "n00003" (page 4) and to the last name.
    """
    first_page = 4 + names // 500  # after catalogue, pages tree, font, and the name leaves
    leaves: list[bytes] = []
    kids: list[bytes] = []
    for start in range(0, names, 500):
        chunk = range(start, min(start + 500, names))
        pairs = b" ".join(
            b"(n%05d)[%d 0 R/XYZ 0 842 0]" % (i, first_page + 2 * (i % pages)) for i in chunk
        )
        number = 4 + len(leaves)
        leaves.append(b"<</Limits[(n%05d)(n%05d)]/Names[%s]>>" % (chunk[0], chunk[-1], pairs))
        kids.append(b"%d 0 R" % number)
    last = names - 1
    annots = (
        b"[<</Type/Annot/Subtype/Link/Rect[72 700 200 720]/Border[0 0 0]/Dest(n00003)>>"
        b" <</Type/Annot/Subtype/Link/Rect[72 650 200 670]/Border[0 0 0]/Dest(n%05d)>>]" % last
    )
    objects: list[bytes] = [
        b"<</Type/Catalog/Pages 2 0 R/Names<</Dests<</Kids[%s]>>>>>>" % b" ".join(kids),
        b"<</Type/Pages/Count %d/Kids[%s]>>"
        % (pages, b" ".join(b"%d 0 R" % (first_page + 2 * n) for n in range(pages))),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        *leaves,
    ]
    for number in range(pages):
        text = b"BT /F1 14 Tf 72 760 Td (Section %d) Tj ET" % (number + 1)
        extra = b"/Annots%s" % annots if number == 0 else b""
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents %d 0 R"
            b"/Resources<</Font<</F1 3 0 R>>>>%s>>" % (first_page + 2 * number + 1, extra)
        )
        objects.append(_stream(b"", text))
    return _write_objects(path, objects)


def _write_objects(path: Path, objects: list[bytes]) -> Path:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
