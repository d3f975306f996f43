"""A corpus of bad and unusual files that people will feed the reader.

Each ``make_*`` function writes one file into a folder and returns a
:class:`BadFile` saying what the user must see: either the exact one-sentence
error, or that it opens (with its page count, the notes the reader shows and
words a search must find in it). Files are made with PyMuPDF and raw bytes;
the whole corpus takes well under two seconds.
"""

from __future__ import annotations

import random
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from tests.support.pdfs import text_pdf

USER_PASSWORD = "ward-7-rota"
OWNER_PASSWORD = "trust-it-owner"
LONG_PAGES = 2_001
ENORMOUS_POINTS = 14_400.0  # 200 inches
LAUNCH_MARKER = "launched.txt"


@dataclass(frozen=True)
class BadFile:
    case: str
    path: Path
    error: str | None = None  # exact open error, None when the file opens
    pages: int = 0  # page count when it opens
    notes: tuple[str, ...] = ()  # what the reader says about an opened file
    words: tuple[str, ...] = ()  # words a search must find in it (when it opens)
    password: str | None = None  # the password that opens it

    @property
    def opens(self) -> bool:
        return self.error is None or self.password is not None

    @property
    def name(self) -> str:
        return self.path.name


def _save(doc: pymupdf.Document, path: Path, **options: object) -> Path:
    doc.save(path, **options)
    doc.close()
    return path


def _good_bytes(words: list[str]) -> bytes:
    """A small valid PDF, one page per word, with text in literal strings."""
    return _raw_pdf(
        [
            b"BT /F1 12 Tf 72 770 Td (Page %d of the audit mentions %s.) Tj ET"
            % (n + 1, word.encode("ascii"))
            for n, word in enumerate(words)
        ]
    )


def write_good_pdf(path: Path, words: list[str]) -> BadFile:
    """An ordinary PDF, one page per word: the file that must keep working after bad ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_good_bytes(words))
    return BadFile("good", path, pages=len(words), words=tuple(words))


# ---------------------------------------------------------------- not PDFs at all


def make_empty(folder: Path) -> BadFile:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return BadFile("empty", path, error="empty.pdf is not a PDF: the file is empty.")


def make_random_bytes(folder: Path) -> BadFile:
    path = folder / "random-bytes.pdf"
    data = random.Random(20240611).randbytes(64 * 1024).replace(b"%PDF", b"%XDF")
    path.write_bytes(data)
    return BadFile("random-bytes", path, error="random-bytes.pdf is not a PDF.")


def make_png(folder: Path) -> BadFile:
    path = folder / "photo-of-poster.pdf"
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 30), False)
    pix.clear_with(180)
    path.write_bytes(pix.tobytes("png"))
    return BadFile("png", path, error="photo-of-poster.pdf is not a PDF: it is a PNG image.")


# ---------------------------------------------------------------- damaged PDFs


def make_truncated_header(folder: Path) -> BadFile:
    """Only the first line survived."""
    path = folder / "truncated-header.pdf"
    path.write_bytes(_good_bytes(["triage"])[:9])
    return BadFile(
        "truncated-header",
        path,
        error="truncated-header.pdf is damaged and could not be repaired.",
    )


def make_truncated_first_object(folder: Path) -> BadFile:
    """Cut inside the document catalogue: nothing of the page tree is left."""
    path = folder / "truncated-early.pdf"
    data = _good_bytes(["triage"])
    path.write_bytes(data[: data.index(b"/Pages") + 3])
    return BadFile(
        "truncated-early", path, error="truncated-early.pdf is damaged and could not be repaired."
    )


def make_truncated_middle(folder: Path) -> BadFile:
    """Cut inside the second page's content: MuPDF rebuilds what it can."""
    path = folder / "truncated-middle.pdf"
    data = _good_bytes(["ambulance", "handover", "escalation"])
    path.write_bytes(data[: data.index(b"handover") + 3])
    return BadFile(
        "truncated-middle",
        path,
        pages=3,
        notes=(
            "truncated-middle.pdf was damaged and has been repaired; some pages may be incomplete.",
        ),
        words=("ambulance",),
    )


def make_truncated_before_xref(folder: Path) -> BadFile:
    """Every object is there; the cross-reference table and trailer are gone."""
    path = folder / "truncated-end.pdf"
    data = _good_bytes(["paramedic", "pharmacy"])
    path.write_bytes(data[: data.rindex(b"\nxref")])
    return BadFile(
        "truncated-end",
        path,
        pages=2,
        notes=(
            "truncated-end.pdf was damaged and has been repaired; some pages may be incomplete.",
        ),
        words=("paramedic", "pharmacy"),
    )


def make_broken_xref(folder: Path) -> BadFile:
    """Cross-reference offsets point at the wrong places."""
    path = folder / "broken-xref.pdf"
    data = bytearray(_good_bytes(["physiotherapy", "occupational"]))
    start = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", start)
    table = bytes(data[start:end])
    data[start:end] = table.replace(b"0000000", b"0000099")
    path.write_bytes(bytes(data))
    return BadFile(
        "broken-xref",
        path,
        pages=2,
        notes=("broken-xref.pdf was damaged and has been repaired; some pages may be incomplete.",),
        words=("physiotherapy", "occupational"),
    )


# ---------------------------------------------------------------- encryption


def make_user_password(folder: Path) -> BadFile:
    path = folder / "password.pdf"
    doc = text_pdf(["The confidential rota names every locum on the ward."])
    _save(
        doc,
        path,
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw=USER_PASSWORD,
        owner_pw=OWNER_PASSWORD,
        permissions=pymupdf.PDF_PERM_PRINT | pymupdf.PDF_PERM_COPY,
    )
    return BadFile(
        "password",
        path,
        error="password.pdf is password-protected.",
        pages=1,
        words=("locum",),
        password=USER_PASSWORD,
    )


def make_owner_password(folder: Path) -> BadFile:
    path = folder / "restricted.pdf"
    doc = text_pdf(["Restricted guidance on frailty assessment in the emergency department."])
    _save(
        doc,
        path,
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        owner_pw=OWNER_PASSWORD,
        permissions=pymupdf.PDF_PERM_ACCESSIBILITY,
    )
    return BadFile(
        "restricted",
        path,
        pages=1,
        notes=("restricted.pdf does not allow copying text or printing.",),
        words=("frailty",),
    )


# ---------------------------------------------------------------- unusual but valid


def _raw_pdf(contents: list[bytes], width: float = 595, height: float = 842) -> bytes:
    """A plain PDF written byte by byte: one page per content stream, Helvetica as F1."""
    count = len(contents)
    objects: list[bytes] = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Count %d/Kids[%s]>>"
        % (count, b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(count))),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    for n, stream in enumerate(contents):
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %g %g]/Resources<</Font<</F1 3 0 R>>>>"
            b"/Contents %d 0 R>>" % (width, height, 5 + 2 * n)
        )
        objects.append(b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_long(folder: Path) -> BadFile:
    path = folder / "thousands-of-pages.pdf"
    contents = [
        b"BT /F1 12 Tf 72 770 Td (Page %d of the long winter pressures report.) Tj ET" % (n + 1)
        for n in range(LONG_PAGES)
    ]
    contents[-1] = b"BT /F1 12 Tf 72 770 Td (The last page thanks the kaleidoscope team.) Tj ET"
    path.write_bytes(_raw_pdf(contents))
    return BadFile("long", path, pages=LONG_PAGES, words=("winter", "kaleidoscope"))


def make_image_only(folder: Path) -> BadFile:
    path = folder / "scanned-letter.pdf"
    doc = pymupdf.open()
    rng = random.Random(7)
    for _ in range(2):
        page = doc.new_page(width=595, height=842)
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 120, 160), False)
        pix.set_rect(pix.irect, (235,))
        for _ in range(300):
            pix.set_pixel(rng.randrange(120), rng.randrange(160), (20,))
        page.insert_image(pymupdf.Rect(36, 36, 559, 806), pixmap=pix)
    _save(doc, path, deflate=True)
    return BadFile(
        "image-only", path, pages=2, notes=("scanned-letter.pdf has no searchable text.",)
    )


def _html_pdf(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A PDF whose text MuPDF lays out with its own fonts for every script."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    html = "".join(f"<p>{text}</p>" for text in paragraphs)
    page.insert_htmlbox(pymupdf.Rect(72, 72, 523, 770), html)
    doc.set_metadata({"title": title})
    return _save(doc, path, deflate=True)


def make_welsh(folder: Path) -> BadFile:
    path = _html_pdf(
        folder / "cymraeg.pdf",
        "Gofal brys",
        ["Mae'r gwasanaeth brys yn cadw dŵr yfed ym mhob tŷ gofal.", "Diolch i'r nyrsys."],
    )
    return BadFile("welsh", path, pages=1, words=("dŵr", "gwasanaeth"))


def make_polish(folder: Path) -> BadFile:
    path = _html_pdf(
        folder / "polski.pdf",
        "Opieka doraźna",
        ["Szpitalny oddział ratunkowy skrócił czas oczekiwania.", "Zażółć gęślą jaźń."],
    )
    return BadFile("polish", path, pages=1, words=("oczekiwania", "gęślą"))


def make_arabic(folder: Path) -> BadFile:
    """Arabic text; MuPDF extracts it as presentation forms, NFKC gives the letters back."""
    path = _html_pdf(folder / "arabic.pdf", "رعاية طارئة", ["مرحبا رعاية طارئة"])
    return BadFile("arabic", path, pages=1, words=("رعاية", "طارئة"))


def make_chinese(folder: Path) -> BadFile:
    path = _html_pdf(folder / "chinese.pdf", "急诊", ["急诊护理改进项目"])
    return BadFile("chinese", path, pages=1, words=("急诊护理改进项目",))


def make_control_metadata(folder: Path) -> BadFile:
    """Metadata carrying NUL, a terminal escape, a bell, a right-to-left override."""
    path = folder / "control-metadata.pdf"
    doc = text_pdf(["Sepsis screening on arrival saves lives."])
    doc.set_metadata(
        {
            "title": "Sepsis\x00 screening\x1b[2J\u202e audit\x07",
            "author": "Clinical\r\nGovernance\x0c Team\u200f",
        }
    )
    kind, info = doc.xref_get_key(-1, "Info")
    assert kind == "xref", kind
    # Only control characters, written as a UTF-16 string the way some tools do.
    doc.xref_set_key(int(info.split()[0]), "Keywords", "<FEFF001B0000007F>")
    _save(doc, path)
    return BadFile("control-metadata", path, pages=1, words=("sepsis",))


def launch_script(folder: Path) -> Path:
    """A script a Launch link points at; it leaves a marker file if it ever runs."""
    script = folder / "would-run.sh"
    script.write_text(f"#!/bin/sh\ntouch '{folder / LAUNCH_MARKER}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def make_actions(folder: Path) -> BadFile:
    """An opening script, a script link, a Launch link and a web link."""
    path = folder / "actions.pdf"
    script = launch_script(folder)
    doc = text_pdf(["Links and scripts appear in the bed management dashboard export."])
    page = doc[0]
    page.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": pymupdf.Rect(72, 300, 300, 320),
            "uri": "https://example.invalid/dashboard",
        }
    )
    page.insert_link(
        {"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 340, 300, 360), "file": str(script)}
    )
    catalog = doc.pdf_catalog()
    action = doc.get_new_xref()
    doc.update_object(action, f"<</S/JavaScript/JS(app.launchURL\\('file://{script}'\\))>>")
    doc.xref_set_key(catalog, "OpenAction", f"{action} 0 R")
    annot = doc.get_new_xref()
    doc.update_object(
        annot,
        "<</Type/Annot/Subtype/Link/Rect[72 400 300 420]/Border[0 0 0]"
        "/A<</S/JavaScript/JS(this.print\\(\\))>>>>",
    )
    doc.xref_set_key(
        page.xref, "Annots", doc.xref_get_key(page.xref, "Annots")[1].replace("]", f" {annot} 0 R]")
    )
    _save(doc, path)
    notes = (
        "actions.pdf contains scripts, which the reader never runs.",
        "actions.pdf has links that would start other programs; the reader never follows them.",
    )
    return BadFile("actions", path, pages=1, notes=notes, words=("dashboard",))


def make_attachment(folder: Path) -> BadFile:
    path = folder / "with-attachment.pdf"
    doc = text_pdf(["The spreadsheet of discharge times is attached to this summary."])
    doc.embfile_add("times.csv", b"ward,minutes\nA,42\n", filename="times.csv")
    _save(doc, path)
    notes = ("with-attachment.pdf has 1 attached file, which the reader does not open.",)
    return BadFile("attachment", path, pages=1, notes=notes, words=("spreadsheet",))


def make_enormous_page(folder: Path) -> BadFile:
    path = folder / "enormous-page.pdf"
    content = b"BT /F1 600 Tf 720 7200 Td (Gigantic wallchart) Tj ET"
    path.write_bytes(_raw_pdf([content], ENORMOUS_POINTS, ENORMOUS_POINTS))
    return BadFile("enormous-page", path, pages=1, words=("wallchart",))


# case name -> the function that writes it
CASES: dict[str, Callable[[Path], BadFile]] = {
    "empty": make_empty,
    "random-bytes": make_random_bytes,
    "png": make_png,
    "truncated-header": make_truncated_header,
    "truncated-early": make_truncated_first_object,
    "truncated-middle": make_truncated_middle,
    "truncated-end": make_truncated_before_xref,
    "broken-xref": make_broken_xref,
    "password": make_user_password,
    "restricted": make_owner_password,
    "long": make_long,
    "image-only": make_image_only,
    "welsh": make_welsh,
    "polish": make_polish,
    "arabic": make_arabic,
    "chinese": make_chinese,
    "control-metadata": make_control_metadata,
    "actions": make_actions,
    "attachment": make_attachment,
    "enormous-page": make_enormous_page,
}


def build_corpus(folder: Path) -> dict[str, BadFile]:
    """Write every case into ``folder``; returns them by case name."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus: dict[str, BadFile] = {}
    for case, make in CASES.items():
        made = make(folder)
        assert made.case == case, (made.case, case)
        corpus[case] = made
    return corpus
