"""Finding a quoted passage again: in page texts, and as quads in a page's word list.

Pure Python over data PyMuPDF produces (``page.get_text()`` and
``page.get_text("words")``), so the PDF work can run in a worker process and
only the resulting lists cross into the process that owns the store. See
:func:`ecip_reader.userdata.pdf_text.extract_pages` for that worker side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ecip_reader.userdata.models import CONTEXT_CHARS, Quad, TextAnchor, Word, normalise_text

# page (1-based), anchor -> the quads of that passage on that page (empty when not found)
FindQuads = Callable[[int, TextAnchor], Sequence[Quad]]


@dataclass(frozen=True)
class Location:
    page: int  # 1-based
    start: int  # offsets in the normalised page text
    end: int
    context: int  # how many characters of context matched around it


def _common_tail(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_head(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def locate_quote(
    anchor: TextAnchor, page_texts: Sequence[str], near_page: int = 1
) -> Location | None:
    """Where ``anchor``'s quote is in ``page_texts`` (page 1 first), or ``None``.

    Every occurrence is scored by how much of the stored context before and
    after it matches; ties go to the page nearest ``near_page``. An exact match
    is preferred; a match ignoring case is the fallback.
    """
    quote = normalise_text(anchor.quote)
    if not quote:
        return None
    prefix = normalise_text(anchor.prefix)
    suffix = normalise_text(anchor.suffix)
    pages = [normalise_text(text) for text in page_texts]
    for fold in (False, True):
        needle = quote.lower() if fold else quote
        best: tuple[tuple[int, int, int], Location] | None = None
        for index, text in enumerate(pages):
            haystack = text.lower() if fold else text
            start = haystack.find(needle)
            while start >= 0:
                end = start + len(needle)
                context = _common_tail(prefix, text[:start].rstrip()) + _common_head(
                    suffix, text[end:].lstrip()
                )
                key = (context, -abs(index + 1 - near_page), -start)
                if best is None or key > best[0]:
                    best = (key, Location(index + 1, start, end, context))
                start = haystack.find(needle, start + 1)
        if best is not None:
            return best[1]
    return None


def _word_texts(words: Sequence[Word]) -> list[str]:
    return [normalise_text(str(w[4])) for w in words]


def _matches_at(texts: Sequence[str], i: int, tokens: Sequence[str]) -> bool:
    if len(tokens) == 1:
        return tokens[0] in texts[i]
    last = i + len(tokens) - 1
    return (
        texts[i].endswith(tokens[0])
        and texts[last].startswith(tokens[-1])
        and all(texts[i + k] == tokens[k] for k in range(1, len(tokens) - 1))
    )


def _context_words(texts: Sequence[str], i: int, n: int, prefix: str, suffix: str) -> int:
    before = prefix.split(" ") if prefix else []
    after = suffix.split(" ") if suffix else []
    score = 0
    for k, token in enumerate(reversed(before)):
        j = i - 1 - k
        if j < 0 or not texts[j].endswith(token):
            break
        score += 1
    for k, token in enumerate(after):
        j = i + n + k
        if j >= len(texts) or not texts[j].startswith(token):
            break
        score += 1
    return score


def quads_for_quote(words: Sequence[Word], anchor: TextAnchor) -> list[Quad]:
    """The quads (one per text line) covering ``anchor``'s quote in one page's ``words``.

    When the quote occurs several times on the page, the occurrence whose
    neighbouring words best match the stored context wins. Empty when absent.
    """
    quote = normalise_text(anchor.quote)
    if not quote or not words:
        return []
    original = _word_texts(words)
    for texts, tokens in (
        (original, quote.split(" ")),
        ([t.lower() for t in original], quote.lower().split(" ")),
    ):
        n = len(tokens)
        starts = [i for i in range(len(texts) - n + 1) if _matches_at(texts, i, tokens)]
        if starts:
            prefix, suffix = normalise_text(anchor.prefix), normalise_text(anchor.suffix)
            if texts is not original:
                prefix, suffix = prefix.lower(), suffix.lower()
            best = max(starts, key=lambda i: (_context_words(texts, i, n, prefix, suffix), -i))
            return _line_quads(words[best : best + n])
    return []


def _line_quads(words: Sequence[Word]) -> list[Quad]:
    """One quad per (block, line): the union of the words' boxes on that line."""
    lines: dict[tuple[int, int], list[float]] = {}
    for x0, y0, x1, y1, _text, block, line, _number in words:
        box = lines.get((block, line))
        if box is None:
            lines[(block, line)] = [x0, y0, x1, y1]
        else:
            box[0], box[1] = min(box[0], x0), min(box[1], y0)
            box[2], box[3] = max(box[2], x1), max(box[3], y1)
    return [Quad.from_rect(*box).rounded() for box in lines.values()]


def quad_finder(page_words: Sequence[Sequence[Word]]) -> FindQuads:
    """A :data:`FindQuads` over the word lists of every page (page 1 first)."""

    def find(page: int, anchor: TextAnchor) -> Sequence[Quad]:
        if not 1 <= page <= len(page_words):
            return []
        return quads_for_quote(page_words[page - 1], anchor)

    return find


def selection_from_words(
    words: Sequence[Word], first: int, last: int, context: int = CONTEXT_CHARS
) -> tuple[TextAnchor, list[Quad]]:
    """The anchor and quads for the words ``first``..``last`` (inclusive) of one page.

    For the page view: the user drags across words; this gives what
    :meth:`Annotator.add_markup` needs.
    """
    if not 0 <= first <= last < len(words):
        raise IndexError("the selection is outside the page's words")
    texts = [str(w[4]) for w in words]
    quote = " ".join(texts[first : last + 1])
    prefix = " ".join(texts[:first])[-context:]
    suffix = " ".join(texts[last + 1 :])[:context]
    anchor = TextAnchor(normalise_text(quote), normalise_text(prefix), normalise_text(suffix))
    return anchor, _line_quads(words[first : last + 1])
