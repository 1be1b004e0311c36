"""Run every speed and memory benchmark; each script writes its own section of docs/benchmarks.md.

Usage: python bench/run.py [name ...]   (names: extract_pdf, analyse_speed, group_speed,
import_speed, search_speed, followup_speed; default all). Benchmarks that need ../shared/data
skip when it is absent.
"""

from __future__ import annotations

import os
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
#: Arguments of the benchmarks that need some. import_speed runs on both databases: SQLite and
#: the PostgreSQL of $BENCH_POSTGRES_URL (default the local server; skipped, saying so, when
#: none answers).
ARGS = {
    "import_speed": [
        "--postgres",
        os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/rt_bench_import"),
    ],
}


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
        if (
            subprocess.run(
                [sys.executable, str(script), *ARGS.get(name, [])], check=False
            ).returncode
            != 0
        ):
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
