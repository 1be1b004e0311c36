"""Fast table rows for python-docx documents: rows as WordprocessingML built in one pass.

python-docx's `table.add_row()` and `cell.text` are slow for thousands of rows (each walks the
table); building the row XML directly writes a 5,000-recommendation matrix in seconds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

from rightstrack.formats.exporters.bidi import LTR, RTL, direction_of

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# XML 1.0 forbids most control characters; a stray one in a source text must not break a file.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean(text: str) -> str:
    return text.translate(_CONTROL)


def _run(text: str, bold: bool) -> str:
    # w:rtl: the run is right-to-left text (Word shapes and orders it as such).
    marks = ("<w:b/>" if bold else "") + ("<w:rtl/>" if direction_of(text) == RTL else "")
    props = f"<w:rPr>{marks}</w:rPr>" if marks else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(clean(text))}</w:t></w:r>'


def paragraph_xml(text: str, *, bold: bool = False, rtl: bool = False) -> str:
    """A paragraph; right-to-left (w:bidi) when *rtl* (the document's direction) or when its
    own text starts right to left (an Arabic recommendation in a French report)."""
    here = direction_of(text)
    ppr = "<w:pPr><w:bidi/></w:pPr>" if here == RTL or (rtl and here != LTR) else ""
    return f"<w:p>{ppr}{_run(text, bold) if text else ''}</w:p>"


def cell_xml(
    text: str, *, bold: bool = False, span: int = 1, shade: str = "", rtl: bool = False
) -> str:
    props = []
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if shade:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>')
    tcpr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props else ""
    lines = (text or "").split("\n")
    return (
        f"<w:tc>{tcpr}{''.join(paragraph_xml(line, bold=bold, rtl=rtl) for line in lines)}</w:tc>"
    )


def row_xml(cells: Sequence[str], *, header: bool = False, rtl: bool = False) -> str:
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    body = "".join(cell_xml(c, bold=header, rtl=rtl) for c in cells)
    return f"<w:tr>{trpr}{body}</w:tr>"


def spanning_row_xml(text: str, span: int, *, shade: str = "D9E2F3") -> str:
    return f"<w:tr>{cell_xml(text, bold=True, span=span, shade=shade)}</w:tr>"


def add_table(
    document: object, header: Sequence[str], rows_xml: Sequence[str], *, style: str = "Table Grid"
) -> object:
    """Add a table with *header* and prepared *rows_xml* to a python-docx *document*."""
    from docx.oxml import parse_xml

    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    with contextlib.suppress(KeyError, ValueError):
        table.style = style
    head = table.rows[0]
    tr = head._tr
    tr.getparent().remove(tr)
    tbl = table._tbl
    chunk = 500
    all_rows = [row_xml(header, header=True), *rows_xml]
    for start in range(0, len(all_rows), chunk):
        xml = f'<w:tbl xmlns:w="{W_NS}">' + "".join(all_rows[start : start + chunk]) + "</w:tbl>"
        for element in list(parse_xml(xml)):
            tbl.append(element)
    return table
