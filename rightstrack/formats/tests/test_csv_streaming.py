"""A large CSV is read streaming: memory does not grow with the file (issue 15 §4)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

READ = """
import resource, sys
from pathlib import Path
from rightstrack.formats.importers.uhri import UhriImporter
n = sum(1 for _ in UhriImporter().read(Path(sys.argv[1])))
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(["OHCHR Annotation Id", "Text", "Reccomending Body", "Document Symbol",
                         "Countries Concerned", "Themes"])  # fmt: skip
        for n in range(rows):
            text = f"{n % 40 + 1}. Garantizar la protección de los niños desplazados " + "é" * 400
            writer.writerow([f"id-{n}", text, "CRC", f"CRC/C/COL/CO/{n // 40}", "- Colombia",
                             "- Right to education\n- Children"])  # fmt: skip


def peak_kb(path: Path) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1])


def test_reading_a_large_utf8_csv_does_not_hold_it_in_memory(tmp_path: Path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write(small, 2_000)
    write(large, 40_000)  # about 35 MB of text, 140 MB once decoded whole
    assert large.stat().st_size > 30e6

    rows_small, peak_small = peak_kb(small)
    rows_large, peak_large = peak_kb(large)

    assert (rows_small, rows_large) == (2_000, 40_000)
    assert peak_large - peak_small < 30_000, (peak_small, peak_large)  # under 30 MB more
