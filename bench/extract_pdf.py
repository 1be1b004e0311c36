"""Measure PDF extraction speed (pages per second, one core) over the shared UN PDFs.

Usage: python bench/extract_pdf.py [--no-write]

Times the whole of `extract_document` (text extraction with pypdf, cleaning, parsing) on the
CRPD concluding observations and the Slovenia UPR reports in ../shared/data/raw, and the text
extraction alone. Target: at least 20 pages per second. Writes its section of
docs/benchmarks.md (between the extract-pdf markers) unless --no-write.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchdoc import write_section  # noqa: E402

from rightstrack.conftest import SHARED_RAW  # noqa: E402
from rightstrack.formats.exceptions import InputError  # noqa: E402
from rightstrack.formats.extract import extract_document  # noqa: E402
from rightstrack.formats.extract.text import _pdf_pages  # noqa: E402


def _pdfs() -> list[Path]:
    crpd = sorted((SHARED_RAW / "crpd-concluding-observations-sample").glob("*.pdf"))
    upr = sorted((SHARED_RAW / "upr-slovenia-docs" / "wg-reports").glob("*.pdf"))
    return crpd + upr


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    pdfs = _pdfs()
    if not pdfs:
        print(f"no PDFs under {SHARED_RAW}", file=sys.stderr)
        return 1
    pages = 0
    started = time.perf_counter()
    for path in pdfs:
        pages += len(_pdf_pages(path))
    text_seconds = time.perf_counter() - started
    started = time.perf_counter()
    recommendations = 0
    slowest = (0.0, "")
    for path in pdfs:
        one = time.perf_counter()
        try:
            recommendations += len(extract_document(path))
        except InputError:
            pass  # the two follow-up replies are refused, by design
        slowest = max(slowest, (time.perf_counter() - one, path.name))
    full_seconds = time.perf_counter() - started
    text_rate, full_rate = pages / text_seconds, pages / full_seconds
    lines = [
        f"- date: {datetime.date.today().isoformat()}; machine: {platform.machine()}, "
        f"{platform.processor() or platform.system()}, Python {platform.python_version()}, one core",
        f"- documents: {len(pdfs)} PDFs, {pages} pages (18 CRPD concluding observations, 2 "
        "follow-up replies, 4 UPR Working Group reports)",
        f"- text extraction (pypdf): {text_rate:.1f} pages/s",
        f"- full extraction (text + cleaning + parsing): {full_rate:.1f} pages/s "
        f"({recommendations} recommendations); slowest document {slowest[1]} "
        f"in {slowest[0]:.2f} s",
        f"- target: >= 20 pages/s: {'met' if full_rate >= 20 else 'NOT met'}",
    ]
    print("\n".join(lines))
    if "--no-write" not in sys.argv:
        write_section(
            "extract-pdf", "\n".join(["## PDF extraction (`bench/extract_pdf.py`)", "", *lines])
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
