"""Write one benchmark's section of docs/benchmarks.md, leaving the others alone."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def write_section(name: str, body: str, *, heading: str = "", doc: Path = DOC) -> None:
    """Replace what stands between `<!-- name -->` and `<!-- /name -->` with *body*.

    A section not there yet is appended, after *heading* when given; the file is created if
    absent. *doc* is another file of docs/ to write to.
    """
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        title = f"## {heading}\n\n" if heading else ""
        text = text.rstrip("\n") + f"\n\n{title}{block}\n"
    doc.write_text(text, encoding="utf-8")
