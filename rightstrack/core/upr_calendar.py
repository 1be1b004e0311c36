"""The Universal Periodic Review's calendar: cycles and Working Group sessions, with sources.

Pure Python (no Django): the deadlines app reads it to date a State's next review, and anyone
may import it offline. Every session's dates are as OHCHR published them on its UPR sessions
page (https://www.ohchr.org/en/hr-bodies/upr/upr-sessions, one page per session); sessions not
yet held are marked ``provisional`` (planned dates, which the Council may move, as it moved the
36th session from May to November 2020 because of COVID-19).

How the order works (Human Rights Council resolution 5/1 and decision 17/119): from the second
cycle on, every cycle has 14 Working Group sessions of 14 States each, and each State is reviewed
in the same slot of every cycle, so its next review is 14 sessions after its last one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Where the calendar comes from (shown beside the dates it gives).
SOURCE = "OHCHR, UPR sessions (https://www.ohchr.org/en/hr-bodies/upr/upr-sessions)"
RULES_SOURCE = (
    "Human Rights Council resolution 5/1 (2007), annex, section I.C; resolution 16/21 and "
    "decision 17/119 (2011): periodicity of four and a half years, 14 sessions per cycle"
)
#: Sessions in a cycle from the second cycle on (decision 17/119).
SESSIONS_PER_CYCLE = 14


@dataclass(frozen=True)
class Session:
    """One session of the UPR Working Group."""

    number: int
    cycle: int
    start: dt.date
    end: dt.date
    #: Planned, not yet held: the dates may move.
    provisional: bool = False
    source: str = SOURCE


@dataclass(frozen=True)
class Cycle:
    number: int
    first_session: int
    last_session: int
    start: dt.date
    #: The last session's end; None while it is not yet planned.
    end: dt.date | None
    source: str = RULES_SOURCE
    provisional: bool = False


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


#: (number, cycle, start, end, provisional)
_SESSIONS = [
    # First cycle, 2008-2011: 12 sessions of 16 States.
    (1, 1, "2008-04-07", "2008-04-18", False),
    (2, 1, "2008-05-05", "2008-05-19", False),
    (3, 1, "2008-12-01", "2008-12-15", False),
    (4, 1, "2009-02-02", "2009-02-13", False),
    (5, 1, "2009-05-04", "2009-05-15", False),
    (6, 1, "2009-11-30", "2009-12-11", False),
    (7, 1, "2010-02-08", "2010-02-19", False),
    (8, 1, "2010-05-03", "2010-05-14", False),
    (9, 1, "2010-11-01", "2010-11-12", False),
    (10, 1, "2011-01-24", "2011-02-04", False),
    (11, 1, "2011-05-02", "2011-05-13", False),
    (12, 1, "2011-10-03", "2011-10-14", False),
    # Second cycle, 2012-2016.
    (13, 2, "2012-05-21", "2012-06-04", False),
    (14, 2, "2012-10-22", "2012-11-05", False),
    (15, 2, "2013-01-21", "2013-02-01", False),
    (16, 2, "2013-04-22", "2013-05-03", False),
    (17, 2, "2013-10-21", "2013-11-01", False),
    (18, 2, "2014-01-27", "2014-02-07", False),
    (19, 2, "2014-04-28", "2014-05-09", False),
    (20, 2, "2014-10-27", "2014-11-07", False),
    (21, 2, "2015-01-19", "2015-01-30", False),
    (22, 2, "2015-05-04", "2015-05-15", False),
    (23, 2, "2015-11-02", "2015-11-13", False),
    (24, 2, "2016-01-18", "2016-01-29", False),
    (25, 2, "2016-05-02", "2016-05-13", False),
    (26, 2, "2016-10-31", "2016-11-11", False),
    # Third cycle, 2017-2022 (the 36th session moved from May to November 2020).
    (27, 3, "2017-05-01", "2017-05-12", False),
    (28, 3, "2017-11-06", "2017-11-17", False),
    (29, 3, "2018-01-15", "2018-01-26", False),
    (30, 3, "2018-05-07", "2018-05-18", False),
    (31, 3, "2018-11-05", "2018-11-16", False),
    (32, 3, "2019-01-21", "2019-02-01", False),
    (33, 3, "2019-05-06", "2019-05-17", False),
    (34, 3, "2019-11-04", "2019-11-15", False),
    (35, 3, "2020-01-20", "2020-01-31", False),
    (36, 3, "2020-11-02", "2020-11-13", False),
    (37, 3, "2021-01-18", "2021-01-29", False),
    (38, 3, "2021-05-03", "2021-05-14", False),
    (39, 3, "2021-11-01", "2021-11-12", False),
    (40, 3, "2022-01-24", "2022-02-04", False),
    # Fourth cycle, November 2022 to early 2027.
    (41, 4, "2022-11-07", "2022-11-18", False),
    (42, 4, "2023-01-23", "2023-02-03", False),
    (43, 4, "2023-05-01", "2023-05-12", False),
    (44, 4, "2023-11-06", "2023-11-17", False),
    (45, 4, "2024-01-22", "2024-02-02", False),
    (46, 4, "2024-04-29", "2024-05-10", False),
    (47, 4, "2024-11-04", "2024-11-15", False),
    (48, 4, "2025-01-20", "2025-01-31", False),
    (49, 4, "2025-04-28", "2025-05-09", False),
    (50, 4, "2025-11-03", "2025-11-14", False),
    (51, 4, "2026-01-19", "2026-01-30", True),
    (52, 4, "2026-05-04", "2026-05-15", True),
    (53, 4, "2026-11-02", "2026-11-13", True),
    (54, 4, "2027-01-18", "2027-01-29", True),
    # Fifth cycle: its first session, as planned.
    (55, 5, "2027-11-01", "2027-11-12", True),
]

SESSIONS: dict[int, Session] = {
    n: Session(n, c, _d(s), _d(e), provisional=p) for n, c, s, e, p in _SESSIONS
}

CYCLES: dict[int, Cycle] = {
    1: Cycle(1, 1, 12, SESSIONS[1].start, SESSIONS[12].end),
    2: Cycle(2, 13, 26, SESSIONS[13].start, SESSIONS[26].end),
    3: Cycle(3, 27, 40, SESSIONS[27].start, SESSIONS[40].end),
    4: Cycle(4, 41, 54, SESSIONS[41].start, SESSIONS[54].end),
    5: Cycle(5, 55, 68, SESSIONS[55].start, None, provisional=True),
}


def session(number: int | str | None) -> Session | None:
    """Return the Working Group session *number* ("48", 48, "UPR48"), or None if unknown."""
    if number is None:
        return None
    digits = "".join(ch for ch in str(number) if ch.isdigit())
    return SESSIONS.get(int(digits)) if digits else None


def cycle_of(number: int | str | None) -> int | None:
    found = session(number)
    return found.cycle if found else None


def session_on(day: dt.date) -> Session | None:
    """Return the session held on *day*, or the last one before it."""
    before = [s for s in SESSIONS.values() if s.start <= day]
    return max(before, key=lambda s: s.start) if before else None


def next_review_session(number: int | str | None) -> Session | None:
    """Return the session of the same State's next review (14 sessions on), if it is dated.

    The first cycle had 12 sessions in another order, so a first-cycle review names no slot in
    the second cycle: the answer is None and callers fall back on the cycle's length.
    """
    found = session(number)
    if found is None or found.cycle < 2:
        return None
    return SESSIONS.get(found.number + SESSIONS_PER_CYCLE)


def add_months(day: dt.date, months: int) -> dt.date:
    """Return *day* plus *months* calendar months (the 31st becomes the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover
