"""Special procedures country visit reports (A/HRC/<s>/<n>/Add.<k>).

One record per paragraph of the recommendations section(s) that recommends, with its lettered
sub-items kept in its text, as for concluding observations. The addressee ("the Government",
"the international community", ...) goes in `heading`: from the sub-heading when the report
groups recommendations under "A. To the Government", else from the paragraph itself ("The
Special Rapporteur recommends that the Government: ...").
"""

from __future__ import annotations

import re
from datetime import date

from rightstrack.engine import countries
from rightstrack.formats.exceptions import UnrecognisedDocument
from rightstrack.formats.extract.concluding_observations import sub_items
from rightstrack.formats.extract.structure import Paragraph, find_date, split_paragraphs
from rightstrack.formats.extract.text import SourceText, _vocabulary
from rightstrack.formats.extract.upr_report import find_symbol
from rightstrack.formats.records import Mechanism, RecordIn

MANDATE = re.compile(
    r"\b((?:Special Rapporteur|Independent Expert|Working Group) on .{3,300}?)"
    r"(?:\*|\s+on (?:his|her|its|their) (?:visit|mission)|\s+(?:Visit|Mission) to|\s+Note by|"
    r"\s+Summary\b|\s+Addendum\b|$)",
    re.IGNORECASE,
)
#: The mandate holder's name after the mandate: ", Jane Example".
HOLDER = re.compile(r",\s+(?:[A-Z][\w.’'-]*\s*){1,5}$")
VISIT = re.compile(
    r"\b(?:Visit|Mission|Country visit) to (?:the )?([A-Z][\w’' \-]+?)(?:\s*[\*\(\n]|$)"
)
RECOMMENDATIONS = re.compile(r"\brecommendations?\b", re.IGNORECASE)
RECOMMENDS = re.compile(
    r"\b(?:recommends?|urges?|calls\s+(?:up)?on|encourages?|invites?|requests?\s+(?:that|the)|should)\b",
    re.IGNORECASE,
)
ADDRESSEES = (
    ("international community", "the international community"),
    ("business enterprises", "business enterprises"),
    ("companies", "business enterprises"),
    ("private sector", "business enterprises"),
    ("Commission on Human Rights", "the national human rights institution"),
    ("Human Rights Commission", "the national human rights institution"),
    ("Ombudsman", "the national human rights institution"),
    ("Parliament", "the parliament"),
    ("National Assembly", "the parliament"),
    ("judiciary", "the judiciary"),
    ("United Nations", "the United Nations"),
    ("donor", "donors"),
    ("civil society", "civil society"),
    ("national human rights institution", "the national human rights institution"),
    ("de facto authorities", "the de facto authorities"),
    ("Government", "the Government"),
    ("authorities", "the authorities"),
    ("State", "the State"),
)


def is_special_procedures_report(source: SourceText) -> bool:
    head = re.sub(r"\s+", " ", source.first_page[:3000])
    return bool(MANDATE.search(head)) and not re.search(r"Universal Periodic Review", head, re.I)


def extract_special_procedures(source: SourceText) -> list[RecordIn]:
    """Return the recommendations of a special procedures (country visit) report."""
    head = re.sub(r"\s+", " ", source.first_page[:4000])
    m = MANDATE.search(head)
    if not m:
        raise UnrecognisedDocument(
            f"{source.path}: expected a special procedures report ('Report of the Special "
            "Rapporteur on ...'); no mandate found on the first page"
        )
    mandate = HOLDER.sub("", m.group(1).strip()).strip(" ,")
    mandate = mandate[0].upper() + mandate[1:]
    visit = VISIT.search(source.first_page[:4000])
    found = countries.resolve(visit.group(1)) if visit else None
    country = found.code if found else ""
    symbol = find_symbol(source)
    dm = re.search(r"Distr\.\s*:?\s*\w+\s*\n?(.{0,80})", source.first_page, re.DOTALL)
    document_date = find_date(dm.group(1)) if dm else ""
    paragraphs = split_paragraphs(source.lines, _vocabulary(source.lines))
    chosen = _recommendation_paragraphs(paragraphs)
    if not chosen:
        raise UnrecognisedDocument(
            f"{source.path}: expected a '... Conclusions and recommendations' or "
            "'Recommendations' section with numbered paragraphs that recommend; found none"
        )
    return [
        RecordIn(
            text=p.text,
            mechanism=Mechanism.SPECIAL_PROCEDURES,
            body=mandate,
            country=country,
            document_symbol=symbol,
            document_date=date.fromisoformat(document_date) if document_date else None,
            paragraph=p.number,
            heading=addressee,
            sub_items=sub_items(p.text),
            source_file=source.path.name,
            source_page=p.page,
            extra={"procedural": "true"} if procedural else {},
        )
        for p, addressee, procedural in chosen
    ]


#: A recommendation in its strong form, as "Conclusions" subsections and closing sections
#: carry it: "should" there is often the rapporteur's finding ("staff should receive ...").
STRONG = re.compile(
    r"\b(?:recommends?|urges?|calls\s+(?:up)?on|encourages?|invites?|requests?\s+(?:that|the))\b",
    re.IGNORECASE,
)
CLOSING = re.compile(r"follow-up|dissemination|suivi|diffusion", re.IGNORECASE)


def _recommendation_paragraphs(
    paragraphs: list[Paragraph],
) -> list[tuple[Paragraph, str, bool]]:
    """Return (paragraph, addressee, procedural) for every paragraph that recommends.

    Under a "Recommendations" section or sub-section every numbered paragraph that is not an
    introduction counts; under "Conclusions" only one that recommends in words ("The Special
    Rapporteur recommends ..."); a closing "Dissemination and follow-up" section's requests
    count, marked procedural.
    """
    chosen = []
    following = ""  # addressee announced by "... makes the following recommendations to X:"
    seen_recommendations = False
    for p in paragraphs:
        closing = (
            seen_recommendations
            and CLOSING.search(p.section)
            and not RECOMMENDATIONS.search(p.section)
        )
        if closing:
            if STRONG.search(p.text[:300]):
                chosen.append((p, _addressee(p.text[:200]) or "the Government", True))
            continue
        if not RECOMMENDATIONS.search(p.section):
            continue
        seen_recommendations = True
        under = p.subsection.split(". ", 1)[-1] if p.subsection else ""
        in_conclusions = bool(re.match(r"Conclusions?\b", under, re.I)) or (
            not under and not re.search(r"Recommendations?\s*$", p.section, re.I) and not following
        )
        verbs = STRONG if in_conclusions else RECOMMENDS
        if (
            verbs.search(p.text[:300])
            or (following and not in_conclusions)
            or (under and RECOMMENDATIONS.search(under) and not p.text.startswith("The "))
        ):
            addressee = (
                _addressee(under) or _addressee(p.text[:200]) or following or _subject(p.text)
            )
            if re.search(r"following recommendations", p.text[:200], re.I) and len(p.text) < 250:
                following = _addressee(p.text) or "the Government"
                continue
            chosen.append((p, addressee, False))
        elif re.search(r"following recommendations", p.text, re.I):
            following = _addressee(p.text)
    return chosen


def _subject(text: str) -> str:
    """'The national preventive mechanism should ...' -> 'the national preventive mechanism'."""
    m = re.match(r"(The [\w ,’'-]{3,80}?) (?:should|must)\b", text)
    return ("t" + m.group(1)[1:]) if m else ""


def _addressee(text: str) -> str:
    m = re.search(
        r"(?:recommends?|urges?|calls\s+(?:up)?on|encourages?|invites?|recommendations)\s+(?:to\s+)?"
        r"(?:that\s+)?(?:the\s+)?(.{0,60})",
        text,
        re.IGNORECASE,
    )
    target = m.group(1) if m else text
    if re.match(r"(?:To|For)\s+(?:the\s+)?", text):
        target = text
    for key, name in ADDRESSEES:
        if key.lower() in target.lower():
            return name
    return ""
