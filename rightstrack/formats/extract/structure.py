"""Split cleaned lines into numbered paragraphs and the headings above them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rightstrack.formats.extract.text import Line, join_lines

MONTHS = {
    # English, French, Spanish month names -> number
    **{
        m: i
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            start=1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            start=1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
            start=1,
        )
    },
}
DATE = re.compile(
    r"\b(\d{1,2})(?:er)?\s*(?:de\s+)?("
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\s*(?:de\s+)?(\d{4})\b",
    re.IGNORECASE,
)


def find_date(text: str) -> str:
    """Return the first date in *text* as YYYY-MM-DD ('' when none)."""
    m = DATE.search(text)
    if not m:
        return ""
    day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
    if not 1 <= day <= 31:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def add_months(iso: str, months: int) -> str:
    """Return the ISO date *months* after *iso* (day clipped to the month's length)."""
    import calendar

    year, month, day = (int(x) for x in iso.split("-"))
    month0 = month - 1 + months
    year, month = year + month0 // 12, month0 % 12 + 1
    day = min(day, calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{day:02d}"


ROMAN_HEADING = re.compile(r"^\s*([IVX]{1,5})\.\s+(\S.*)$")
LETTER_HEADING = re.compile(r"^\s*([A-H])\.\s+(\S.*)$")
NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+([^\sa-zà-ÿ].*)$")
SUB_ITEM = re.compile(r"^\s*\(([a-z]{1,4})\)\s")
_TERMINAL = (".", ";", ":", ",", "…")


@dataclass
class Paragraph:
    number: str
    lines: list[str]
    page: int
    #: Headings above it, outermost first:
    #: ("III. Principal areas ...", "B. Specific rights", "Equality ... (art. 5)").
    section: str = ""
    subsection: str = ""
    topic: str = ""
    text: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        return self.topic or self.subsection or self.section


def split_paragraphs(lines: list[Line], vocabulary: Counter[str]) -> list[Paragraph]:
    """Return the document's numbered paragraphs (1., 2., ...) with the headings above each.

    A number only starts a paragraph when it follows the previous one (n+1, allowing a gap of
    two for a number lost in extraction), so "2. " inside a wrapped line cannot start one.
    """
    paragraphs: list[Paragraph] = []
    section = subsection = topic = ""
    pending: list[str] = []  # lines that may be a heading, until we know
    current: Paragraph | None = None
    last = 0
    for line in lines:
        text = line.text
        m = NUMBERED.match(text)
        if m and last < int(m.group(1)) <= last + 3 and not re.match(r"^\d{1,3}\.\d", text.strip()):
            heading_lines = _take_heading(pending, current)
            if heading_lines:
                topic = join_lines(heading_lines)
            pending = []
            last = int(m.group(1))
            current = Paragraph(m.group(1), [m.group(2)], line.page, section, subsection, topic)
            paragraphs.append(current)
            continue
        rm = ROMAN_HEADING.match(text)
        if rm and not _ends_sentence(text) and len(text) < 140:
            _flush(pending, current)
            pending = []
            section, subsection, topic = text.strip(), "", ""
            current = _heading_stop(current)
            continue
        lm = LETTER_HEADING.match(text)
        if lm and not _ends_sentence(text) and len(text) < 140 and lm.group(2)[:1].isupper():
            _flush(pending, current)
            pending = []
            subsection, topic = text.strip(), ""
            current = _heading_stop(current)
            continue
        pending.append(text)
    _flush(pending, current)
    for p in paragraphs:
        p.text = join_lines(p.lines, vocabulary)
    return [p for p in paragraphs if not p.extra.get("stopped") or p.lines]


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


def _heading_stop(current: Paragraph | None) -> Paragraph | None:
    # Lines after a section heading belong to no paragraph until the next number.
    return None


def _flush(pending: list[str], current: Paragraph | None) -> None:
    if current is not None:
        current.lines.extend(pending)


def _take_heading(pending: list[str], current: Paragraph | None) -> list[str]:
    """Split *pending* lines into the previous paragraph's tail and a heading; return the heading.

    The heading is the run of lines at the end that do not end a sentence, after a line
    that does (or after a section heading): "Equality and non-discrimination (art. 5)".
    """
    if not pending:
        return []
    cut = len(pending)
    while cut > 0 and not _ends_sentence(pending[cut - 1]) and not SUB_ITEM.match(pending[cut - 1]):
        cut -= 1
    heading = pending[cut:]
    if (
        heading
        and cut == 0
        and current is not None
        and current.lines
        and not _ends_sentence(current.lines[-1])
    ):
        heading = []  # the previous paragraph's sentence runs on: no heading here
    if heading and (len(heading) > 3 or sum(len(h) for h in heading) > 200):
        heading = []
    if current is not None:
        current.lines.extend(pending[:cut] if heading else pending)
    return [h.strip() for h in heading]
