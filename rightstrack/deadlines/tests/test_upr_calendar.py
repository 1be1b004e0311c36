from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys

from rightstrack.core import upr_calendar as cal


def test_it_imports_without_django() -> None:
    code = (
        "import sys, rightstrack.core.upr_calendar\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'django'"
        " or (m.startswith('rightstrack.') and m.split('.')[1] != 'core'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_every_cycle_is_complete_and_in_order() -> None:
    assert sorted(cal.SESSIONS) == list(range(1, 56))
    for cycle in cal.CYCLES.values():
        numbers = [s.number for s in cal.SESSIONS.values() if s.cycle == cycle.number]
        if cycle.number < 5:
            assert numbers == list(range(cycle.first_session, cycle.last_session + 1))
    assert [len([s for s in cal.SESSIONS.values() if s.cycle == c]) for c in (2, 3, 4)] == [14] * 3
    ordered = [cal.SESSIONS[n] for n in sorted(cal.SESSIONS)]
    for before, after in itertools.pairwise(ordered):
        assert before.start <= before.end < after.start
    # The fourth cycle runs from November 2022 to early 2027; the fifth is planned.
    assert cal.CYCLES[4].start == dt.date(2022, 11, 7)
    assert cal.CYCLES[4].end.year == 2027
    assert cal.CYCLES[5].provisional and cal.SESSIONS[55].provisional


def test_next_review_is_the_same_slot_of_the_next_cycle() -> None:
    assert cal.next_review_session("34").number == 48
    assert cal.next_review_session("UPR 41").start == dt.date(2027, 11, 1)
    assert cal.next_review_session(12) is None  # first-cycle order differs
    assert cal.next_review_session(50) is None  # not dated yet
    assert cal.session("nonsense") is None


def test_add_months_keeps_the_end_of_the_month() -> None:
    assert cal.add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert cal.add_months(dt.date(2023, 10, 31), 24) == dt.date(2025, 10, 31)
    assert cal.add_months(dt.date(2025, 11, 15), -11) == dt.date(2024, 12, 15)
