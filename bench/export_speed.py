"""Export speed: a 5,000-recommendation matrix (XLSX, DOCX) and a 40-page PDF report.

Builds a fresh SQLite database in a temporary folder with synthetic UPR recommendations
(themes, groups, SDGs, recommending States), exports the matrix of 5,000 of them with
`rightstrack.plans.exports.export` (database read included) and a UPR mid-term report of
another State as PDF (WeasyPrint), and writes the figures between <!-- export --> and
<!-- /export --> in docs/benchmarks.md. The floor, measured in the same run, is the bare
cost of the same cells: openpyxl writing them with no logic, and WeasyPrint laying out one
page of the same template.

Usage: python bench/export_speed.py [--rows 5000] [--pdf-rows 740] [--no-write]
Targets: matrix < 10 s, 40-page PDF < 20 s.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = 5
STATES = ("FRA", "DEU", "BRA", "KEN", "IND", "JPN", "MEX", "NOR", "GHA", "CHL", "ESP", "FJI")
THEMES = (
    "Equality & non-discrimination",
    "Right to health",
    "Freedom of movement",
    "Rights of the child",
    "Administration of justice & fair trial",
    "Right to education",
    "Prohibition of torture & cruel, inhuman or degrading treatment",
    "Right to work",
)
GROUPS = ("Internally displaced persons", "Women & girls", "Children", "Persons with disabilities")
VERBS = (
    "Ratify",
    "Continue efforts to strengthen",
    "Take measures to ensure",
    "Adopt",
    "Establish",
)
OBJECTS = (
    "the national strategy on the rights of internally displaced persons",
    "a comprehensive law against discrimination, with a budget and a timeline",
    "access to health care for persons with disabilities in rural areas",
    "the Optional Protocol to the Convention against Torture",
    "birth registration for every child, including refugee and stateless children",
)


def records(country: str, n: int, session: int) -> list:
    from rightstrack.formats.records import GROUPS_OF_PERSONS, SDG_TARGETS, LabelIn, RecordIn
    from rightstrack.formats.records import THEMES as T

    rng = random.Random(SEED + session)
    out = []
    for i in range(1, n + 1):
        labels = [LabelIn(T, t) for t in rng.sample(THEMES, rng.randint(1, 3))]
        labels += [LabelIn(GROUPS_OF_PERSONS, g) for g in rng.sample(GROUPS, rng.randint(0, 2))]
        labels.append(LabelIn(SDG_TARGETS, rng.choice(("16.3", "5.1", "10.2", "4.1"))))
        out.append(
            RecordIn(
                text=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (recommendation {i})",
                mechanism="upr",
                body="UPR",
                country=country,
                session=str(session),
                cycle=4,
                document_symbol=f"A/HRC/{session + 11}/15",
                paragraph=f"{100 + i // 200}.{i % 200 + 1}",
                recommending_states=tuple(rng.sample(STATES, rng.randint(1, 3))),
                position=rng.choice(("supported", "supported", "noted")),
                position_source=f"A/HRC/{session + 11}/15/Add.1",
                labels=tuple(labels),
            )
        )
    return out


CPU: dict[str, float] = {}


def timed(fn, name=""):
    """Return (result, wall seconds); the process's CPU seconds go to CPU[name]."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    CPU[name] = time.process_time() - cpu
    return result, time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--pdf-rows", type=int, default=740)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.pop("DATABASE_URL", None)
        os.environ["DB_NAME"] = str(folder / "bench.sqlite")
        os.environ["RIGHTSTRACK_DATA_DIR"] = str(folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        import openpyxl
        import pypdf

        from rightstrack.formats.exporters.document import Paragraph, Report, write_pdf
        from rightstrack.plans import exports
        from rightstrack.plans.reports import render_html
        from rightstrack.recommendations.services import import_records

        import_records(records("SVN", args.rows, 48), kind="bench", file_name="bench")
        import_records(records("IRQ", args.pdf_rows, 47), kind="bench", file_name="bench")
        lines = []
        xlsx, t_xlsx = timed(
            lambda: exports.export("matrix", None, fmt="xlsx", filters={"country": ["SVN"]}), "xlsx"
        )
        docx, t_docx = timed(
            lambda: exports.export("matrix", None, fmt="docx", filters={"country": ["SVN"]}), "docx"
        )
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
        cells = [list(r) for r in sheet.iter_rows(values_only=True)]

        def floor_xlsx() -> None:
            book = openpyxl.Workbook(write_only=True)
            ws = book.create_sheet()
            for row in cells:
                ws.append(row)
            book.save(io.BytesIO())

        _none, t_floor_xlsx = timed(floor_xlsx)
        pdf, t_pdf = timed(
            lambda: exports.export("midterm-report", None, fmt="pdf", filters={"country": ["IRQ"]}),
            "pdf",
        )
        pages = len(pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
        one = Report(title="Floor").add(Paragraph("One page."))
        _none, t_floor_pdf = timed(lambda: write_pdf(render_html(one), io.BytesIO()))
        load = os.getloadavg()
        lines.append(
            f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, SQLite; load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (a shared, busy machine)."
        )
        lines.append("")
        lines.append("```")
        lines.append(f"python bench/export_speed.py --rows {args.rows} --pdf-rows {args.pdf_rows}")
        lines.append(
            f"matrix XLSX, {xlsx.rows} recommendations ({len(cells) - 1} rows): {t_xlsx:.1f} s "
            f"({CPU['xlsx']:.1f} s CPU) "
            f"(target < 10 s; floor, openpyxl writing the same cells: {t_floor_xlsx:.1f} s)"
        )
        lines.append(
            f"matrix DOCX, {docx.rows} recommendations, grouped by theme: {t_docx:.1f} s "
            f"({CPU['docx']:.1f} s CPU) "
            f"(target < 10 s)"
        )
        lines.append(
            f"mid-term report PDF, {pdf.rows} recommendations, {pages} pages: {t_pdf:.1f} s "
            f"({CPU['pdf']:.1f} s CPU) "
            f"(target < 20 s for 40 pages; floor, a one-page PDF of the same template: "
            f"{t_floor_pdf:.1f} s)"
        )
        lines.append("```")
        lines.append("")
        lines.append(
            "Wall time is what a person waits; CPU time is this process's own work, close to what "
            "an idle machine takes. With the load average above (many processes on 2 cores) wall "
            "time runs several times the CPU time: judge the targets on a quiet machine."
        )
        body = "\n".join(lines)
        print(body)
        if not args.no_write:
            write_section("export", body, heading="Exports (`bench/export_speed.py`)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
