"""Treaty body concluding observations: one record per paragraph that recommends.

Policy: one row per recommendation paragraph, its lettered sub-items kept in its text
("... the State party: (a) ...; (b) ..."), paragraph = "12". Only paragraphs of the
"Principal areas of concern and recommendations" part count; the closing "Follow-up",
"Dissemination" and "Next periodic report" paragraphs are procedure, read for the follow-up
selection and due dates but not returned as recommendations.
"""

from __future__ import annotations

import re
from collections import Counter

from rightstrack.engine import countries
from rightstrack.formats.exceptions import UnrecognisedDocument
from rightstrack.formats.extract.structure import Paragraph, add_months, find_date, split_paragraphs
from rightstrack.formats.extract.text import SourceText, _vocabulary, squash_symbol
from rightstrack.formats.records import Mechanism, RecordIn

#: Symbol prefix -> treaty body.
BODIES = {
    "CCPR": "CCPR",
    "E/C.12": "CESCR",
    "CERD": "CERD",
    "CEDAW": "CEDAW",
    "CAT": "CAT",
    "CRC": "CRC",
    "CMW": "CMW",
    "CRPD": "CRPD",
    "CED": "CED",
    "CAT/OP": "SPT",
}
CO_SYMBOL = re.compile(
    r"\b(CCPR|E/C\.12|CERD|CEDAW|CAT|CRC|CMW|CRPD|CED)/C/([A-Z]{2,3})/CO/([0-9][0-9\-]*(?:/Add\.\d+)?)"
)

#: Words that make a paragraph a recommendation (the Committee speaking), per language.
RECOMMENDS = {
    # "The State party should ..." is how the Human Rights Committee and the Committee against
    # Torture recommend; "is requested to provide" is the passive of a request.
    "en": re.compile(
        r"\b(?:recommends|urges|calls\s+(?:(?:up)?on|for)|requests\s+(?:that|the|it)\b|encourages|"
        r"invites|exhorts|asks\s+(?:that|the|it)\b|reiterates\s+its\s+(?:previous\s+)?"
        r"recommendations?|is\s+(?:also\s+)?requested\s+to|"
        r"(?:State\s+party|Government|it)\s+(?:should|must)\b)",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b(?:recommande|engage|demande|prie|exhorte|invite|encourage)\b|"
        r"\bÉtat\s+partie\s+(?:devrait|doit)\b",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"\b(?:recomienda|insta|exhorta|pide|solicita|alienta|invita)\b|"
        r"\bEstado\s+parte\s+(?:debe|debería)\b",
        re.IGNORECASE,
    ),
}
CONCERN = re.compile(
    r"concern|regret|notes with|deplores|alarmed|préoccup|regrette|déplore|preocupa|lamenta",
    re.IGNORECASE,
)
AREAS = re.compile(
    r"(?:Principal|Main)\s+(?:areas|subjects|matters)\s+of\s+concern|"
    r"^\W*(?:[A-Z]\.\s*)?Concerns?\s+and\s+recommendations|"
    r"Principaux (?:sujets|motifs|domaines) de préoccupation|"
    r"Principales (?:esferas|motivos|ámbitos|temas) de preocupación",
    re.IGNORECASE,
)
FOLLOW_UP_HEADING = re.compile(r"^(?:[IVX]+\.\s*)?(?:Follow-up|Suivi|Seguimiento)", re.IGNORECASE)
NEXT_REPORT = re.compile(
    r"next (?:periodic )?report|reports? (?:are|is) (?:in principle )?due|"
    r"periodic reports? (?:by|no later)|"
    r"submit (?:its|the) (?:[\w-]+,? ){0,6}(?:periodic )?reports?|"
    r"prochain rapport|próximo informe",
    re.IGNORECASE,
)
WITHIN = re.compile(
    r"(?:within|dans un délai de|dans les|en un plazo de|dentro de)\s+(\d+|one|two|twelve|"
    r"eighteen|twenty-four|un|deux|douze|dix-huit|vingt-quatre|uno|dos|doce|dieciocho|"
    r"veinticuatro)\s+(months?|years?|mois|ans?|années?|mes(?:es)?|años?)",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "un": 1,
    "deux": 2,
    "douze": 12,
    "dix-huit": 18,
    "vingt-quatre": 24,
    "uno": 1,
    "dos": 2,
    "doce": 12,
    "dieciocho": 18,
    "veinticuatro": 24,
}
# A lookahead, so that "article 35, paragraph 2, ... paragraph 37" finds both mentions.
_PARA_REFS = re.compile(
    r"(?:paragraphs?|paragraphes?|párrafos?|paras?\.)\s+(?=(\d.*?)(?:$|\.\s+[A-Z]))",
    re.IGNORECASE | re.DOTALL,
)
URGENT = re.compile(
    r"urgent|priorit|particular importance|d’urgence|d'urgence|urgentes|importance particulière",
    re.IGNORECASE,
)
#: A reporting date instead of a delay: "to provide, by 12 May 2025, information ...".
BY_DATE = re.compile(
    r"\b(?:by|no later than|before|d’ici au|d'ici au|avant le|a más tardar el|antes del?)\s+"
    r"(\d{1,2}\s*\w+\s+\d{4})",
    re.IGNORECASE,
)
#: What a follow-up request asks for.
FOLLOW_UP_REQUEST = re.compile(
    r"follow-up|information|informations?|información|renseignements", re.IGNORECASE
)


def detect_language(text: str) -> str:
    sample = text[:20000].lower()
    scores = {
        "en": sample.count(" the ") + sample.count(" and "),
        "fr": sample.count(" le ") + sample.count(" les ") + sample.count(" des "),
        "es": sample.count(" el ") + sample.count(" los ") + sample.count(" del "),
    }
    return max(scores, key=lambda k: scores[k])


def find_symbol(source: SourceText) -> re.Match[str] | None:
    """Return the document's own symbol: the one printed in the masthead and page headers."""
    matches = [m for page in source.pages[:4] for m in CO_SYMBOL.finditer(squash_symbol(page))]
    if not matches:
        return None
    counts = Counter(m.group(0) for m in matches)
    best = counts.most_common(1)[0][0]
    return next(m for m in matches if m.group(0) == best)


def extract_concluding_observations(source: SourceText) -> list[RecordIn]:
    """Return the recommendations in treaty body concluding observations *source*."""
    m = find_symbol(source)
    first = squash_symbol(source.first_page)
    if m and (
        m.group(3).find("Add.") >= 0
        or re.search(
            r"Information received from .{1,80}? on follow-up|"
            r"follow-up to the concluding observations",
            first,
            re.IGNORECASE | re.DOTALL,
        )
    ):
        raise UnrecognisedDocument(
            f"{source.path}: {m.group(0)} is a follow-up document (the State's reply on the "
            "concluding observations), not concluding observations: it carries no "
            "recommendations to extract; give the concluding observations themselves"
        )
    symbol = m.group(0) if m else ""
    body = BODIES.get(m.group(1), m.group(1)) if m else _body_from_title(first)
    country = _country(m.group(2) if m else "", first)
    language = detect_language(source.raw)
    document_date = _document_date(first)
    vocabulary = _vocabulary(source.lines)
    paragraphs = split_paragraphs(source.lines, vocabulary)
    if len(paragraphs) < 3:
        raise UnrecognisedDocument(
            f"{source.path}: expected concluding observations with numbered paragraphs "
            f"(1., 2., ...); found {len(paragraphs)}"
        )
    in_areas, closing = _partition(paragraphs)
    verbs = RECOMMENDS.get(language, RECOMMENDS["en"])
    # Every paragraph in which the Committee recommends or requests something of the State
    # party, the closing ones too (follow-up, dissemination, next report): marked procedural.
    recommendations = [p for p in in_areas if _recommends(p, verbs)]
    closing_recommendations = [p for p in closing if _recommends(p, verbs)]
    procedural = {p.number for p in closing_recommendations}
    recommendations += closing_recommendations
    if not recommendations:
        raise UnrecognisedDocument(
            f"{source.path}: no paragraph recommends anything (expected 'The Committee "
            "recommends that the State party ...'); is this concluding observations?"
        )
    # The follow-up request is among the closing paragraphs, or after the last area when the
    # closing part has no heading we know (CESCR's "Other recommendations").
    # CRC names its "urgent measures" at the start of the main part, in a paragraph that
    # recommends nothing itself.
    candidates = {p.number: p for p in in_areas if not _recommends(p, verbs)}
    candidates.update({p.number: p for p in (closing or in_areas[-8:])})
    follow_up, months, urgent, by_date = _follow_up(list(candidates.values()))
    due = add_months(document_date, months) if (follow_up and document_date and months) else ""
    due = by_date or due
    next_due = _next_report_due(closing or in_areas[-8:])
    records = []
    by_number = {p.number: p for p in paragraphs}
    concerns = {p.number: _concern_paragraph(p, by_number) for p in recommendations}
    # A selection that names the concern paragraph ("paragraph 20" where 20 says "The
    # Committee is concerned ...") means the recommendation that answers it (21).
    answering = {c: n for n, c in concerns.items() if c}
    recommended = set(concerns)
    follow_up = _to_recommendations(follow_up, recommended, answering)
    urgent = set(_to_recommendations(dict.fromkeys(urgent, ""), recommended, answering))
    for p in recommendations:
        concern = concerns[p.number]
        extra = {"next_report_due": next_due, "language": language}
        if p.number in urgent:
            extra["urgent"] = "true"
        if p.number in procedural:
            extra["procedural"] = "true"
        if follow_up.get(p.number):
            extra["follow_up_items"] = follow_up[p.number]
        records.append(
            RecordIn(
                text=p.text,
                mechanism=Mechanism.TREATY_BODY,
                body=body,
                country=country,
                document_symbol=symbol,
                document_date=_as_date(document_date),
                paragraph=p.number,
                language=language,
                heading=p.heading,
                concern_paragraph=concern,
                follow_up=p.number in follow_up,
                follow_up_due=due if p.number in follow_up else "",
                follow_up_due_date=_as_date(due) if p.number in follow_up else None,
                urgent=p.number in urgent,
                next_report_due=_as_date(next_due),
                sub_items=sub_items(p.text),
                source_file=source.path.name,
                source_page=p.page,
                extra=extra,
            )
        )
    return records


def _to_recommendations(
    selected: dict[str, str], recommended: set[str], answering: dict[str, str]
) -> dict[str, str]:
    out: dict[str, str] = {}
    for number, items in selected.items():
        target = number if number in recommended else answering.get(number, number)
        if target != number:
            items = re.sub(rf"\b{number}\(", f"{target}(", items)
        out[target] = "; ".join(x for x in (out.get(target, ""), items) if x)
    return out


def _as_date(iso: str):  # type: ignore[no-untyped-def]
    from datetime import date

    return date.fromisoformat(iso) if iso else None


def _body_from_title(first: str) -> str:
    for name, body in (
        ("Rights of Persons with Disabilities", "CRPD"),
        ("Human Rights Committee", "CCPR"),
        ("Economic, Social and Cultural", "CESCR"),
        ("Racial Discrimination", "CERD"),
        ("Discrimination against Women", "CEDAW"),
        ("Committee against Torture", "CAT"),
        ("Rights of the Child", "CRC"),
        ("Migrant Workers", "CMW"),
        ("Enforced Disappearances", "CED"),
    ):
        if name.lower() in first.lower():
            return body
    return ""


def _country(code: str, first: str) -> str:
    found = countries.by_code(code) if code else None
    if found is None:
        m = re.search(
            r"(?:report|reports|rapport|rapports|informe|informes)\s+(?:\w+\s+){0,3}?"
            r"(?:of|de|du|de la|del)\s+"
            r"(?:the\s+|l[ae’']\s*)?([A-Z][\w’' \-]+?)(?:\*|\n|$)",
            first,
        )
        found = countries.resolve(m.group(1)) if m else None
    return found.code if found else ""


def _document_date(first: str) -> str:
    m = re.search(r"Distr\.\s*:?\s*\w+\s*\n?(.{0,80})", first, re.DOTALL)
    return find_date(m.group(1)) if m else ""


def _partition(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """Split into the areas-of-concern paragraphs and the closing (follow-up) ones."""
    start = next((i for i, p in enumerate(paragraphs) if AREAS.search(p.section)), None)
    end = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if i >= (start or 0)
            and (
                FOLLOW_UP_HEADING.match(p.section.strip())
                or FOLLOW_UP_HEADING.match(p.topic.strip())
                or re.match(
                    r"(?:Follow-up|Dissemination|Other recommendations|Suivi|Diffusion|"
                    r"Autres recommandations|Seguimiento|Difusión|Otras recomendaciones)",
                    p.subsection.split(". ", 1)[-1],
                    re.IGNORECASE,
                )
            )
        ),
        len(paragraphs),
    )
    if start is None:
        # No heading found (plain text without the layout): every paragraph before the
        # closing part, after the positive aspects.
        start = 0
    return paragraphs[start:end], paragraphs[end:]


def _recommends(p: Paragraph, verbs: re.Pattern[str]) -> bool:
    return bool(verbs.search(p.text))


def _concern_paragraph(p: Paragraph, by_number: dict[str, Paragraph]) -> str:
    previous = by_number.get(str(int(p.number) - 1))
    if previous is None or previous.heading != p.heading:
        return ""
    if CONCERN.search(previous.text[:400]) and not RECOMMENDS["en"].search(previous.text):
        return previous.number
    if CONCERN.search(previous.text[:400]) and previous.text.find("recommend") < 0:
        return previous.number
    return ""


def _follow_up(closing: list[Paragraph]) -> tuple[dict[str, str], int, set[str], str]:
    """Return ({paragraph: sub-items}, months to report, {urgent paragraphs}, due date).

    A follow-up request names paragraphs and a delay ("within 12 months", "within one year")
    or a date ("by 12 May 2025"); one naming paragraphs for priority or urgent measures with
    neither sets `urgent`.
    """
    chosen: dict[str, str] = {}
    months = 0
    urgent: set[str] = set()
    due = ""
    for p in closing:
        refs = _paragraph_refs(p.text)
        if not refs:
            continue
        within = WITHIN.search(p.text)
        by_date = BY_DATE.search(p.text)
        if within and FOLLOW_UP_REQUEST.search(p.text):
            n = within.group(1).lower()
            count = int(n) if n.isdigit() else _NUMBER_WORDS.get(n, 0)
            unit = within.group(2).lower()
            months = count if unit.startswith(("month", "mois", "mes")) else count * 12
            chosen.update(refs)
        elif by_date and find_date(by_date.group(1)) and FOLLOW_UP_REQUEST.search(p.text):
            due = find_date(by_date.group(1))
            chosen.update(refs)
        elif URGENT.search(p.text):
            urgent.update(refs)
    return chosen, months, urgent, due


_RULE_OR_ARTICLE = re.compile(
    r"(?:article|art\.|rule|règle|artículo|regla)\s*\d+\s*(?:\(\d\))?\s*,?\s*$", re.IGNORECASE
)


def _paragraph_refs(text: str) -> dict[str, str]:
    """Return {'8': '', '14': '14(c)'} for '... paragraphs 8 (declaration) and 14 (c) ...'.

    Also "paras. 12 (a), 20 (b) and (c)", "paragraphs 8, on general obligations, and 20, on
    ...", "paragraphs 8 (equality and non-discrimination) and 52 (work and employment)"; not
    "article 35, paragraph 2" or "rule 75, paragraph 1, of the rules of procedure".
    """
    refs: dict[str, list[str]] = {}
    for m in _PARA_REFS.finditer(text):
        if _RULE_OR_ARTICLE.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        chunk = re.split(
            r"\.(?!\d)\s|\b(?:of the (?:Convention|Covenant|Committee|rules)|du Pacte|"
            r"de la Convention|de la Convención|del Pacto)\b",
            m.group(1),
        )[0]
        # Topic words in brackets or after "on" are no numbers: drop them, keep the letters.
        chunk = re.sub(r"\((?![a-z]{1,4}\))[^()]*\)", " ", chunk)
        last = ""
        for token in re.finditer(r"(?<![\d.])(\d{1,3})(?![\d.]\d)|\(([a-z]{1,4})\)", chunk):
            if token.group(1):
                last = token.group(1)
                refs.setdefault(last, [])
            elif last and token.group(2) not in ("", None):
                item = f"{last}({token.group(2)})"
                if item not in refs[last]:
                    refs[last].append(item)
    return {number: "; ".join(items) for number, items in refs.items()}


#: Lettered sub-items of a paragraph: "...: (a) Review ...; (b) Remove ...".
_SUB_ITEM = re.compile(r"(?:(?<=\s)|^)\(([a-z])\)\s+(?=\S)")
#: A topic heading printed between two items ("...; Investigations (c) Establish ...").
_TRAILING_HEADING = re.compile(r"(?<=[;.])\s+([A-Z][\w ,’'()-]{2,60})$")


def sub_items(text: str) -> tuple[tuple[str, str], ...]:
    """Return the lettered items of a paragraph as (label, text): (("a", "Review ..."), ...).

    The list starts with an "(a)" after a colon (a topic heading may stand between them:
    "the Government: Legal safeguards (a) Ensure ..."), and its letters run a, b, c ...;
    "paragraphs 5 (a) and (b)" is a reference, no list. A topic heading printed before an
    item is not part of the previous item's text.
    """
    expected = "a"
    kept: list[re.Match[str]] = []
    for m in _SUB_ITEM.finditer(text):
        if m.group(1) != expected:
            continue
        if expected == "a":
            before = text[max(0, m.start() - 80) : m.start()]
            if ":" not in before or re.search(r"[.;]\s", before.rsplit(":", 1)[1]):
                continue
        kept.append(m)
        expected = chr(ord(expected) + 1)
    if len(kept) < 2:
        return ()
    items = []
    for i, m in enumerate(kept):
        end = kept[i + 1].start() if i + 1 < len(kept) else len(text)
        item = text[m.end() : end].strip()
        if i + 1 < len(kept):
            item = _TRAILING_HEADING.sub("", item).strip()
            item = re.sub(r"(?:;\s*and|;)$", "", item).strip()
        items.append((m.group(1), item))
    return tuple(items)


def _next_report_due(closing: list[Paragraph]) -> str:
    for p in closing:
        if NEXT_REPORT.search(p.text) or NEXT_REPORT.search(p.topic):
            due = find_date(p.text)
            if due:
                return due
    return ""
