"""Print every accuracy figure of the analysers on the real data in ../shared/data.

Usage: python bench/evaluate.py   (runs eval_action.py, eval_issues.py and eval_grouping.py when
present; the figures and the protocol are explained in docs/analysis.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVALUATIONS = ["eval_action", "eval_issues", "eval_grouping"]


def main() -> int:
    status = 0
    for name in EVALUATIONS:
        script = HERE / f"{name}.py"
        if not script.exists():
            continue
        print(f"== {name}", flush=True)
        status |= subprocess.run([sys.executable, str(script)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
