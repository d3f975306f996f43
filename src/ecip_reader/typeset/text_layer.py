"""Make the text layer searchable: ligature glyphs map back to their letters.

MuPDF shapes "fi", "fl", "ff", "ffi" and "ffl" into ligature glyphs and maps
them to the ligature characters (U+FB00–U+FB06) in each font's ToUnicode
CMap. Text extracted from such a page says "ﬁrst", so a search for "first"
finds nothing. This module rewrites every ToUnicode CMap so that each glyph
maps to its letters (NFKC of the ligature), which every PDF reader honours.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_RANGE = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])")
_CHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_SECTION = re.compile(r"begin(bfrange|bfchar)(.*?)end\1", re.S)
_LIGATURES = range(0xFB00, 0xFB07)

HEADER = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
    "/CIDSystemInfo <</Registry(Adobe)/Ordering(UCS)/Supplement 0>> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
)
FOOTER = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"


def _decode(hex_text: str) -> str:
    data = bytes.fromhex(hex_text)
    return data.decode("utf-16-be", errors="replace")


def _encode(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def parse_cmap(cmap: str) -> dict[int, str]:
    """Glyph code -> text, from the bfrange and bfchar sections of a ToUnicode CMap."""
    mapping: dict[int, str] = {}
    for kind, body in _SECTION.findall(cmap):
        if kind == "bfchar":
            for code, dest in _CHAR.findall(body):
                mapping[int(code, 16)] = _decode(dest)
            continue
        for low, high, dest in _RANGE.findall(body):
            first, last = int(low, 16), int(high, 16)
            if dest.startswith("["):
                for offset, item in enumerate(re.findall(r"<([0-9a-fA-F]+)>", dest)):
                    mapping[first + offset] = _decode(item)
                continue
            base = _decode(dest[1:-1])
            for offset in range(last - first + 1):
                mapping[first + offset] = base[:-1] + chr(ord(base[-1]) + offset)
    return mapping


def write_cmap(mapping: dict[int, str]) -> str:
    lines = [HEADER]
    codes = sorted(mapping)
    for start in range(0, len(codes), 100):
        chunk = codes[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar\n")
        lines.extend(f"<{code:04X}> <{_encode(mapping[code])}>\n" for code in chunk)
        lines.append("endbfchar\n")
    lines.append(FOOTER)
    return "".join(lines)


def unligature(mapping: dict[int, str]) -> bool:
    """Replace ligature characters by their letters in place; True if anything changed."""
    changed = False
    for code, text in mapping.items():
        if any(ord(ch) in _LIGATURES for ch in text):
            mapping[code] = unicodedata.normalize("NFKC", text)
            changed = True
    return changed


def fix_ligatures(doc: Any) -> int:
    """Rewrite the ToUnicode CMaps of ``doc`` that map glyphs to ligatures.

    Returns the number of CMaps rewritten.
    """
    fixed = 0
    for xref in range(1, doc.xref_length()):
        kind, value = doc.xref_get_key(xref, "ToUnicode")
        if kind != "xref":
            continue
        cmap_xref = int(value.split()[0])
        cmap = doc.xref_stream(cmap_xref).decode("latin-1")
        mapping = parse_cmap(cmap)
        if unligature(mapping):
            doc.update_stream(cmap_xref, write_cmap(mapping).encode("ascii"))
            fixed += 1
    return fixed
