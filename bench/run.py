"""Run every speed and memory benchmark; each script writes its own section of docs/benchmarks.md.

Usage: python bench/run.py [name ...]   (names: extract_pdf, analyse_speed, group_speed,
import_speed, search_speed, followup_speed; default all). Benchmarks that need ../shared/data
skip when it is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "extract_pdf",
    "analyse_speed",
    "group_speed",
    "import_speed",
    "search_speed",
    "followup_speed",
]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    failed = []
    for name in names:
        script = HERE / f"{name}.py"
        if not script.exists():
            print(f"== {name}: missing {script}", file=sys.stderr)
            failed.append(name)
            continue
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
