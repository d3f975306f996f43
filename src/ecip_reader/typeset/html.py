"""HTML and CSS for ``pymupdf.Story``: the look of the bundled documents.

Body text is set in Charis SIL and headings in Nimbus Sans; both fonts are
built into MuPDF, so the PDFs look the same whichever machine builds them and
every font is embedded. Colours follow the calm blues of NHS print material.
"""

from __future__ import annotations

from html import escape

from ecip_reader.typeset.model import (
    Block,
    Box,
    Emphasis,
    FrontMatter,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    SpeakerNote,
    Strong,
    Text,
)

COLLECTION = "ECIP case-study collection"
FOOTER_TEXT = f"{COLLECTION} · summary edition"
EDITION_LABEL = "SUMMARY EDITION"
NOTICE = (
    "Written for the ECIP Case-Study Reader from the facts in the ECIP case-study listing "
    "of 2017. It is not the original document, and it was not written or approved by the "
    "organisation it describes. Names are those of the 2017 listing. The ECIP website "
    "closed in March 2017; the listing said the site would then be available through the "
    "national archive."
)
ABOUT_NOTICE = (
    "Written for the ECIP Case-Study Reader. It describes the collection itself and has "
    "no original."
)
ANGLE_LABEL = "Editorial angle of this summary edition"
NO_ORGANISATION = "Organisation not named in the listing"


def notice_for(meta: FrontMatter) -> str:
    return ABOUT_NOTICE if meta.kind == "about" else NOTICE


def kicker_for(meta: FrontMatter) -> str:
    """The line above the title: the collection, the kind and the edition."""
    parts = [COLLECTION.upper(), meta.kind_label.upper()]
    if meta.kind != "about":
        parts.append(EDITION_LABEL)
    return " · ".join(parts)


def angle_line(meta: FrontMatter) -> str:
    return f"{ANGLE_LABEL}: {meta.angle}" if meta.angle else ""


def meta_line(meta: FrontMatter) -> str:
    return " · ".join(p for p in (meta.programme, meta.region) if p)


BLUE = "#005eb8"
DARK_BLUE = "#003087"
TEXT = "#212b32"
GREY = "#4c6272"
PALE = "#e8f0f8"
RULE = "#aeb7bd"

SERIF = "Charis SIL"
SANS = "Nimbus Sans"

# A4 documents: body 11 pt with generous leading; headings in blue sans.
PAGE_CSS = f"""
body, div, p, ul, ol, li, h1, h2 {{ margin: 0; padding: 0; }}
body {{ font-family: '{SERIF}'; font-size: 11pt; line-height: 1.38; color: {TEXT}; }}
p {{ margin-bottom: 6pt; text-align: left; }}
h1, h2, .kicker, .title, .org, .meta, .boxhead {{ font-family: '{SANS}'; }}
h1 {{ font-size: 15.5pt; line-height: 1.2; font-weight: bold; color: {BLUE};
      margin-top: 16pt; margin-bottom: 7pt; }}
h2 {{ font-size: 12pt; line-height: 1.25; font-weight: bold; color: {DARK_BLUE};
      margin-top: 11pt; margin-bottom: 4pt; }}
ul, ol {{ margin-left: 20pt; margin-bottom: 7pt; }}
li {{ margin-bottom: 2pt; }}
a {{ color: {BLUE}; text-decoration: underline; }}
b {{ font-weight: bold; }}
.cover {{ margin-bottom: 14pt; }}
.kicker {{ font-size: 8.5pt; font-weight: bold; color: {BLUE}; margin-bottom: 10pt; }}
.title {{ font-size: 23pt; line-height: 1.15; font-weight: bold; color: {DARK_BLUE};
          margin-bottom: 10pt; }}
.angle {{ font-family: '{SANS}'; font-size: 12.5pt; line-height: 1.3; color: {BLUE};
          margin-bottom: 10pt; }}
.org {{ font-size: 12.5pt; line-height: 1.3; color: {TEXT}; margin-bottom: 3pt; }}
.edition {{ font-family: '{SANS}'; font-size: 9pt; font-weight: bold; color: #ffffff;
            background-color: {BLUE}; padding: 3pt 6pt 3pt 6pt; margin-bottom: 0; }}
.meta {{ font-size: 9.5pt; color: {GREY}; margin-bottom: 12pt; }}
.notice {{ font-size: 9.5pt; line-height: 1.35; color: {TEXT}; background-color: {PALE};
           padding: 5pt 6pt 5pt 6pt; margin-bottom: 0; }}
.box {{ background-color: {PALE}; border-left: 3pt solid {BLUE};
        padding: 0 12pt 0 12pt; margin-bottom: 14pt; }}
.box .first {{ padding-top: 9pt; }}
.box .last {{ padding-bottom: 9pt; margin-bottom: 0; }}
.note {{ background-color: #f0f4f5; border-left: 3pt solid {GREY}; }}
.boxhead {{ font-size: 10pt; font-weight: bold; color: {DARK_BLUE}; margin-bottom: 5pt; }}
.box ul, .box ol {{ margin-left: 16pt; }}
"""

# 16:9 slides: large sans type, one idea per slide.
SLIDE_CSS = f"""
body, div, p, ul, ol, li, h1, h2 {{ margin: 0; padding: 0; }}
body {{ font-family: '{SANS}'; color: {TEXT}; line-height: 1.3; }}
h1 {{ font-size: 34pt; line-height: 1.12; font-weight: bold; color: {BLUE}; }}
h2 {{ font-size: 1.05em; font-weight: bold; color: {DARK_BLUE}; margin-top: 0.5em;
      margin-bottom: 0.25em; }}
p {{ margin-bottom: 0.55em; }}
ul, ol {{ margin-left: 1.3em; }}
li {{ margin-bottom: 0.45em; }}
a {{ color: {BLUE}; text-decoration: underline; }}
.box {{ background-color: {PALE}; border-left: 4pt solid {BLUE}; padding: 0 0.6em 0 0.6em;
        margin-bottom: 0.5em; }}
.box .first {{ padding-top: 0.4em; }}
.box .last {{ padding-bottom: 0.4em; margin-bottom: 0; }}
.note {{ background-color: #f0f4f5; border-left: 4pt solid {GREY}; }}
.boxhead {{ font-weight: bold; color: {DARK_BLUE}; margin-bottom: 0.3em; }}
.notes {{ font-size: 12pt; line-height: 1.35; color: {GREY}; }}
.notes b.label {{ color: {DARK_BLUE}; }}
.cover-title {{ font-size: 40pt; line-height: 1.1; font-weight: bold; color: #ffffff; }}
.cover-sub {{ font-size: 22pt; line-height: 1.25; color: #ffffff; margin-top: 14pt; }}
.cover-org {{ font-size: 15pt; color: #ffffff; margin-top: 24pt; }}
.cover-edition {{ font-size: 14pt; font-weight: bold; color: #ffffff; margin-top: 0; }}
.cover-meta {{ font-size: 11pt; color: #dbe6f3; margin-top: 4pt; }}
.cover-notice {{ font-size: 10.5pt; line-height: 1.3; color: #ffffff; }}
"""

RUNNING_CSS = f"""
body, p {{ margin: 0; padding: 0; }}
body {{ font-family: '{SANS}'; font-size: 8pt; color: {GREY}; }}
p {{ line-height: 1.2; }}
.right {{ text-align: right; }}
"""


def inline_html(nodes: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(escape(node.text, quote=False))
        elif isinstance(node, Strong):
            parts.append(f"<b>{inline_html(node.children)}</b>")
        elif isinstance(node, Emphasis):
            parts.append(f"<i>{inline_html(node.children)}</i>")
        elif isinstance(node, Link):
            parts.append(f'<a href="{escape(node.target)}">{inline_html(node.children)}</a>')
    return "".join(parts)


def block_html(block: Block, cls: str = "", breaks: frozenset[str] = frozenset()) -> str:
    """One block as HTML; ``cls`` adds classes to its outer element.

    Headings whose anchor is in ``breaks`` start a new page.
    """
    attr = f' class="{cls}"' if cls else ""
    if isinstance(block, Heading):
        tag = f"h{block.level}"
        style = ' style="page-break-before: always"' if block.anchor in breaks else ""
        return f'<{tag} id="{block.anchor}"{style}>{inline_html(block.content)}</{tag}>'
    if isinstance(block, Paragraph):
        return f"<p{attr}>{inline_html(block.content)}</p>"
    if isinstance(block, SpeakerNote):
        return f'<p class="notes"><b class="label">Notes:</b> {inline_html(block.content)}</p>'
    if isinstance(block, ListBlock):
        items = "".join(f"<li>{inline_html(item)}</li>" for item in block.items)
        if block.ordered:
            start = f' start="{block.start}"' if block.start != 1 else ""
            return f"<ol{attr}{start}>{items}</ol>"
        return f"<ul{attr}>{items}</ul>"
    return box_html(block)


def box_html(box: Box) -> str:
    # Boxes get their vertical padding from their first and last child: padding
    # on the box itself is drawn again at the top of every later page by MuPDF.
    parts: list[str] = []
    if box.kind == "summary":
        parts.append('<p class="boxhead first">Summary</p>')
    last = len(box.blocks) - 1
    for i, inner in enumerate(box.blocks):
        classes = ["first"] if i == 0 and not parts else []
        if i == last:
            classes.append("last")
        parts.append(block_html(inner, " ".join(classes)))
    return f'<div class="box {box.kind}">{"".join(parts)}</div>'


def cover_html(meta: FrontMatter) -> str:
    """The cover block at the top of page 1 of an A4 document."""
    angle = angle_line(meta)
    parts = [
        f'<p class="kicker">{escape(kicker_for(meta))}</p>',
        f'<p class="title">{escape(meta.title)}</p>',
    ]
    if angle:
        parts.append(f'<p class="angle">{escape(angle)}</p>')
    if meta.kind != "about":
        parts.append(f'<p class="org">{escape(meta.organisation or NO_ORGANISATION)}</p>')
    parts.append(f'<p class="meta">{escape(meta_line(meta))}</p>')
    if meta.kind != "about":
        parts.append(f'<p class="edition">{EDITION_LABEL} · NOT THE ORIGINAL DOCUMENT</p>')
    parts.append(f'<p class="notice">{escape(notice_for(meta))}</p>')
    return f'<div class="cover">{"".join(parts)}</div>'


def document_html(
    meta: FrontMatter, blocks: tuple[Block, ...], breaks: frozenset[str] = frozenset()
) -> str:
    body = "".join(block_html(b, breaks=breaks) for b in blocks)
    return f"<body>{cover_html(meta)}{body}</body>"


def running_html(text: str, right: bool = False) -> str:
    cls = ' class="right"' if right else ""
    return f"<body><p{cls}>{escape(text)}</p></body>"
