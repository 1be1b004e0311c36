"""bench/make_corpus.py: a deterministic, realistic UHRI-shaped corpus (issue 15 §1)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from rightstrack.conftest import SHARED_RAW
from rightstrack.formats.importers.uhri import UhriImporter

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not SHARED_RAW.is_dir(), reason="../shared/data/raw is absent")


def make(out: Path, rows: int, seed: int = 15) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "make_corpus.py"),
            f"--rows={rows}",
            f"--seed={seed}",
            f"--out={out}",
            f"--shared={SHARED_RAW.parent}",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_the_corpus_is_deterministic_realistic_and_importable(tmp_path: Path) -> None:
    make(tmp_path / "a.csv", 6000)
    make(tmp_path / "b.csv", 6000)
    make(tmp_path / "c.csv", 6000, seed=16)
    first = (tmp_path / "a.csv").read_bytes()
    assert first == (tmp_path / "b.csv").read_bytes()
    assert first != (tmp_path / "c.csv").read_bytes()

    records = list(UhriImporter().read(tmp_path / "a.csv"))
    assert len(records) == 6000
    assert len({r.natural_key() for r in records}) == 6000
    shares = Counter(r.mechanism for r in records)
    assert 0.45 < shares["upr"] / 6000 < 0.75
    assert 0.2 < shares["treaty_body"] / 6000 < 0.45
    assert shares["special_procedures"] > 0
    assert len({r.country for r in records}) > 40
    assert len({r.body for r in records if r.mechanism == "treaty_body"}) >= 6
    upr = [r for r in records if r.mechanism == "upr"]
    assert all(r.recommending_states and r.position and r.cycle for r in upr)
    assert {r.cycle for r in upr} >= {1, 2, 3, 4}
    # Real texts: real lengths (UPR recommendations run from a few words to long paragraphs).
    lengths = sorted(len(r.text) for r in records)
    assert lengths[len(lengths) // 2] > 80 and lengths[-1] > 600
    labelled = sum(1 for r in records if any(x.taxonomy == "uhri_themes" for x in r.labels))
    assert labelled > 0.8 * len(records)


def test_a_large_corpus_is_written_streaming(tmp_path: Path) -> None:
    """Memory stays flat: the resident set of a 60,000-row run is that of a 6,000-row one."""
    script = (
        "import resource, runpy, sys;"
        f"sys.argv = ['make_corpus.py', '--rows', sys.argv[1], '--out', sys.argv[2],"
        f" '--shared', {str(SHARED_RAW.parent)!r}];"
        f"sys.path.insert(0, {str(ROOT / 'bench')!r});"
        "import make_corpus; make_corpus.main(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    peaks = []
    for rows in (6000, 60000):
        out = subprocess.run(
            [sys.executable, "-c", script, str(rows), str(tmp_path / f"{rows}.csv")],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout
        peaks.append(int(out.split()[-1]))
    assert peaks[1] < peaks[0] * 1.2
