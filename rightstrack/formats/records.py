"""The records importers and extractors yield, and the database and exporters take.

One shape for every source (UHRI export, OHCHR matrix, UPR Info export, a PDF of concluding
observations), so the database layer has one way in.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date


class Mechanism:
    """The three families of UN human rights mechanisms (the UN's own words)."""

    TREATY_BODY = "treaty_body"
    UPR = "upr"
    SPECIAL_PROCEDURES = "special_procedures"
    ALL = (TREATY_BODY, UPR, SPECIAL_PROCEDURES)


class Position:
    """The State under review's response to a UPR recommendation."""

    SUPPORTED = "supported"
    NOTED = "noted"
    SUPPORTED_IN_PART = "supported_in_part"
    ALL = (SUPPORTED, NOTED, SUPPORTED_IN_PART)


class LabelSource:
    DOCUMENT = "document"  #: printed in the source document or export (e.g. OHCHR's themes)
    PERSON = "person"  #: set or corrected by a person
    CLASSIFIER = "classifier"  #: suggested by an analyser, with a confidence


#: The columns `rightstrack extract` writes, in order (docs/cli-contract.md); importers read them
#: back and exports add more after them.
EXTRACT_COLUMNS = (
    "document_symbol",
    "mechanism",
    "body",
    "country",
    "paragraph",
    "text",
    "recommending_states",
    "position",
    "themes",
    "affected_persons",
    "sdg_targets",
    "follow_up",
    "follow_up_due",
)

#: Taxonomy slugs used by built-in importers and analysers (see engine/data/taxonomies/).
THEMES = "uhri_themes"
LEGACY_THEMES = "uhri_themes_legacy"
GROUPS_OF_PERSONS = "groups_of_persons"
SDG_TARGETS = "sdg_targets"
SDG_GOALS = "sdg_goals"
UPR_INFO_ISSUES = "upr_info_issues"
ACTION_CATEGORIES = "action_categories"


@dataclass(frozen=True)
class LabelIn:
    """One label on a recommendation: a term of a taxonomy, and where it came from."""

    taxonomy: str
    term: str
    source: str = LabelSource.DOCUMENT
    confidence: float | None = None
    #: The document symbol, person or model version that gave the label.
    origin: str = ""


@dataclass
class RecordIn:
    """One recommendation as read from a file or document.

    `country` and `recommending_states` hold ISO 3166 alpha-3 codes (see engine.countries).
    """

    text: str
    mechanism: str
    body: str
    country: str
    external_id: str = ""
    document_symbol: str = ""
    document_date: date | None = None
    paragraph: str = ""
    language: str = "en"
    session: str = ""
    cycle: int | None = None
    recommending_states: tuple[str, ...] = ()
    position: str = ""
    position_source: str = ""
    heading: str = ""
    concern_paragraph: str = ""
    follow_up: bool = False
    follow_up_due: str = ""
    #: The follow-up reply's due date, when the document gives or implies one (e.g. 24 months
    #: after the adoption date).
    follow_up_due_date: date | None = None
    #: Named among the treaty body's "urgent measures".
    urgent: bool = False
    #: The next periodic report's due date set in concluding observations (document-wide).
    next_report_due: date | None = None
    #: Lettered sub-items of the paragraph, in order: (label as printed, text without it).
    sub_items: tuple[tuple[str, str], ...] = ()
    labels: tuple[LabelIn, ...] = ()
    #: Where it was read: file name, page (1-based) and row or paragraph, for people to check.
    source_file: str = ""
    source_page: int | None = None
    source_row: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def natural_key(self) -> str:
        """Return the key that makes re-importing idempotent.

        The UHRI annotation id when there is one; else document symbol + paragraph; else
        State under review + body + session + normalised text (UPR Info exports carry no
        paragraph numbers).
        """
        if self.external_id:
            raw = f"ext|{self.external_id}"
        elif self.document_symbol and self.paragraph:
            raw = f"doc|{self.document_symbol.upper()}|{self.paragraph}"
        else:
            raw = f"txt|{self.country}|{self.body}|{self.session}|{normalise_for_key(self.text)}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


_SPACE = re.compile(r"\s+")
_PERIOD = re.compile(
    r"\b(?:within|in)?\s*(\d{1,2}|one|two|three|four|six|twelve|eighteen|twenty-four)\s+"
    r"(month|year)s?\b",
    re.IGNORECASE,
)
_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "six": 6,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}


def follow_up_due_date(record: RecordIn) -> date | None:
    """Return the date by which the State must reply on *record*'s follow-up, when known.

    The extractor's own date first; else `follow_up_due` as a date (2018-05-08); else the
    period it gives ("within 24 months", "one year") counted from the document's date.
    """
    if record.follow_up_due_date:
        return record.follow_up_due_date
    due = (record.follow_up_due or "").strip()
    if not due:
        return None
    try:
        return date.fromisoformat(due[:10])
    except ValueError:
        pass
    match = _PERIOD.search(due)
    if not match or record.document_date is None:
        return None
    raw = match.group(1).lower()
    count = int(raw) if raw.isdigit() else _NUMBERS[raw]
    months = count * (12 if match.group(2).lower() == "year" else 1)
    start = record.document_date
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


_PUNCT = re.compile(r"[^\w\s]")


def normalise_for_key(text: str) -> str:
    """Return *text* lower-cased, without punctuation, with single spaces."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower())).strip()


_PARENTHESES = re.compile(r"\([^()]*\)")
_LEADING_TO = re.compile(r"^\s*to\s+")


def normalise_for_match(text: str) -> str:
    """Return *text* as compared across sources that carry no paragraph number.

    A Working Group report prints "To ratify (Spain)/consider ratifying (Argentina) the ...";
    UPR Info stores "Ratify the ..." once per recommending State: the parenthesised States and
    a leading "To" go, accents, case and punctuation are ignored.
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _LEADING_TO.sub("", _PARENTHESES.sub(" ", text))
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()
