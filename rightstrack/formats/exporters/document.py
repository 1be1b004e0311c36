"""Report-like exports (mid-term report, follow-up report, cluster brief, action plan, exercise
pack) from one plain structure: a Report of headings, paragraphs, bullet lists and tables.

DOCX with python-docx, XLSX (the tables, one sheet each) with openpyxl, PDF with WeasyPrint
from HTML that the caller renders from a template (templates/reports/report.html); the fonts
(DejaVu, on Debian) cover French, Spanish and Arabic, and `Report.direction = "rtl"` sets
right-to-left pages and paragraphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rightstrack.formats.exporters import docx_xml
from rightstrack.formats.exporters.base import Exporter, ExportError
from rightstrack.formats.exporters.bidi import LTR, RTL, direction_of
from rightstrack.formats.exporters.table import write_xlsx_sheets


@dataclass
class Heading:
    text: str
    level: int = 2
    kind: str = "heading"


@dataclass
class Paragraph:
    text: str
    #: "" plain, "note" (smaller, grey), "lead" (larger), "quote" (indented)
    style: str = ""
    kind: str = "paragraph"


@dataclass
class Bullets:
    items: Sequence[str]
    kind: str = "bullets"


@dataclass
class Table:
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    kind: str = "table"


@dataclass
class PageBreak:
    kind: str = "pagebreak"


@dataclass
class Report:
    title: str
    subtitle: str = ""
    language: str = "en"
    direction: str = "ltr"
    #: (label, value) lines printed under the title: State, period, date drawn up, by whom.
    meta: Sequence[tuple[str, str]] = ()
    blocks: list[Any] = field(default_factory=list)
    #: Printed at the foot of the first page: what the draft is and where it came from.
    footer: str = ""

    def add(self, *blocks: Any) -> Report:
        self.blocks.extend(blocks)
        return self

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def plain_text(self) -> str:
        """Return every word of the report, in order (for tests and search)."""
        out = [self.title, self.subtitle, *(f"{k}: {v}" for k, v in self.meta)]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                out.append(block.text)
            elif isinstance(block, Bullets):
                out.extend(block.items)
            elif isinstance(block, Table):
                out.append(block.caption)
                out.append(" | ".join(block.header))
                out.extend(" | ".join(str(c) for c in row) for row in block.rows)
        return "\n".join(t for t in out if t)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def write_docx(report: Report, fp: Any) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rtl = report.direction == "rtl"
    document = docx.Document()
    document.core_properties.title = report.title
    document.core_properties.language = report.language
    document.styles["Normal"].font.size = Pt(10)

    def bidi(paragraph: Any) -> Any:
        """Right-to-left paragraph (w:bidi) in an RTL report, or for a right-to-left text
        (an Arabic recommendation in a French report); w:rtl on each right-to-left run."""
        here = direction_of(paragraph.text)
        if here == RTL or (rtl and here != LTR):
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(ppr.makeelement(qn("w:bidi"), {}))
        for run in paragraph.runs:
            if direction_of(run.text) == RTL:
                rpr = run._r.get_or_add_rPr()
                rpr.append(rpr.makeelement(qn("w:rtl"), {}))
        return paragraph

    bidi(document.add_heading(report.title, level=0))
    if report.subtitle:
        bidi(document.add_paragraph(report.subtitle, style="Subtitle"))
    for label, value in report.meta:
        p = document.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(_text(value))
        bidi(p)
    for block in report.blocks:
        if isinstance(block, Heading):
            bidi(document.add_heading(block.text, level=min(max(block.level - 1, 1), 4)))
        elif isinstance(block, Paragraph):
            style = {"quote": "Quote", "note": None, "lead": None}.get(block.style)
            p = bidi(document.add_paragraph(block.text, style=style))
            if block.style == "note":
                for run in p.runs:
                    run.font.size = Pt(8)
            elif block.style == "lead":
                for run in p.runs:
                    run.font.size = Pt(12)
        elif isinstance(block, Bullets):
            for item in block.items:
                bidi(document.add_paragraph(item, style="List Bullet"))
        elif isinstance(block, Table):
            caption = document.add_paragraph(style="Caption")
            caption.add_run(block.caption)
            bidi(caption)
            rows = [docx_xml.row_xml([_text(c) for c in row], rtl=rtl) for row in block.rows]
            table = docx_xml.add_table(document, [_text(h) for h in block.header], rows)
            if rtl:
                tblpr = table._tbl.tblPr  # type: ignore[attr-defined]
                tblpr.append(tblpr.makeelement(qn("w:bidiVisual"), {}))
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if report.footer:
        document.sections[0].footer.paragraphs[0].text = report.footer
    document.save(fp)


def write_xlsx(report: Report, fp: Any) -> None:
    tables = report.tables()
    if not tables:
        raise ExportError(f"{report.title}: nothing to write as a spreadsheet (no tables)")
    seen: set[str] = set()
    sheets = []
    for i, table in enumerate(tables, start=1):
        name = "".join(c for c in table.caption if c not in "[]:*?/\\")[:28] or f"Table {i}"
        while name in seen:
            name = f"{name[:25]} {i}"
        seen.add(name)
        sheets.append((name, [_text(h) for h in table.header], [list(r) for r in table.rows]))
    write_xlsx_sheets(fp, sheets)


def write_pdf(html: str, fp: Any, *, base_url: str | None = None) -> None:
    """Write *html* (a whole page, with its print CSS) as PDF with WeasyPrint."""
    import weasyprint

    weasyprint.HTML(string=html, base_url=base_url).write_pdf(fp)


class ReportExporter(Exporter):
    """A Report as DOCX or PDF (and XLSX where `formats` says so).

    For PDF, give `html=` (the report rendered from templates/reports/report.html).
    """

    formats: tuple[str, ...] = ("docx", "pdf")

    def write_to(self, data: Report, fp: Any, fmt: str, **options: Any) -> None:
        if fmt == "docx":
            write_docx(data, fp)
        elif fmt == "xlsx":
            write_xlsx(data, fp)
        elif fmt == "pdf":
            html = options.get("html")
            if not html:
                raise ExportError(f"{self.kind}: a PDF needs the report rendered as HTML")
            write_pdf(html, fp, base_url=options.get("base_url"))


class MidtermReportExporter(ReportExporter):
    kind = "midterm-report"
    label = "UPR mid-term report draft for one State"


class FollowupReportExporter(ReportExporter):
    kind = "followup-report"
    label = "Treaty body follow-up report draft"


class ClusterBriefExporter(ReportExporter):
    kind = "cluster-brief"
    label = "Protection cluster brief for one State"


class ActionPlanExporter(ReportExporter):
    kind = "action-plan"
    label = "National human rights action plan"
    formats = ("docx", "pdf", "xlsx")


class ExercisePackExporter(ReportExporter):
    kind = "exercise-pack"
    label = "The comparison exercise and its answer key for one State"
