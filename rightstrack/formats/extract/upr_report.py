"""UPR Working Group reports (A/HRC/<session>/<n>) and their addenda with the State's positions.

One record per recommendation of the "Conclusions and/or recommendations" section, numbered
as printed ("121.5"). In cycle 1 reports, where items are numbered 1, 2, ... under each
introductory paragraph (e.g. 86), the number is written "86.1" so that it is unique in the
document. Positions come from the introductory paragraph ("enjoy the support of" ->
supported, "did not enjoy the support" / "noted" -> noted; "will be examined" -> none), then
from the addendum when one is given.
"""

from __future__ import annotations

import re
from datetime import date

from rightstrack.engine import countries
from rightstrack.formats.exceptions import UnrecognisedDocument
from rightstrack.formats.extract.structure import find_date
from rightstrack.formats.extract.text import (
    Line,
    SourceText,
    _vocabulary,
    join_lines,
    squash_symbol,
)
from rightstrack.formats.records import Mechanism, Position, RecordIn

HRC_SYMBOL = re.compile(r"\bA/HRC/(\d{1,2})/(\d{1,3})(?:/Add\.(\d+))?")
SECTION = re.compile(
    r"^\s*(?:[IVX]+\.\s*)?Conclusions?\s+and/or\s+recommendations?\b(?!.*\.{4})", re.IGNORECASE
)
SECTION_END = re.compile(
    r"^\s*\d{2,3}\.\s+All conclusions and/or recommendations|^\s*[IVX]+\.\s+Voluntary pledges|"
    r"^\s*Annex\b",
    re.IGNORECASE,
)
INTRO = re.compile(r"^\s*(\d{2,3})\.\s+(?=[A-Z])(.*)$")
ITEM = re.compile(r"^\s*(\d{2,3})\.(\d{1,3})\.?\s+(.*)$")
SHORT_ITEM = re.compile(r"^\s*(\d{1,3})\.\s+(.*)$")


def find_symbol(source: SourceText) -> str:
    counts: dict[str, int] = {}
    for page in source.pages[:3]:
        for m in HRC_SYMBOL.finditer(squash_symbol(page)):
            counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def is_upr_report(source: SourceText) -> bool:
    head = source.first_page[:3000]
    return bool(
        re.search(r"Universal\s+Periodic\s+Review|Examen\s+périodique\s+universel", head, re.I)
    ) or is_recommendations_section(source)


def is_recommendations_section(source: SourceText) -> bool:
    """True for a UPR report's recommendations section on its own, heading or not.

    At least three "118.1 Ratify ..." items, most of them ending with a recommending State in
    brackets, and numbered in order under one or more paragraph numbers.
    """
    numbered = 0
    with_state = 0
    previous: tuple[int, int] | None = None
    in_order = 0
    for line in source.lines[:4000]:
        m = ITEM.match(line.text)
        if not m or not m.group(3)[:1].isupper():
            continue
        numbered += 1
        key = (int(m.group(1)), int(m.group(2)))
        if previous is None or key == (previous[0], previous[1] + 1) or key[0] > previous[0]:
            in_order += 1
        previous = key
    if numbered < 3:
        return False
    text = "\n".join(line.text for line in source.lines[:4000])
    for m in re.finditer(rf"({_GROUP})\s*[;.,]*\s*$", text, re.MULTILINE):
        if _group_states(m.group(1)) is not None:
            with_state += 1
    return in_order >= 0.8 * numbered and with_state >= 0.5 * numbered


def extract_upr_report(source: SourceText, positions: SourceText | None = None) -> list[RecordIn]:
    """Return the recommendations of UPR Working Group report *source*."""
    symbol = find_symbol(source)
    if re.search(r"/Add\.\d", symbol) or re.search(r"\bAddendum\b", source.first_page[:2000]):
        raise UnrecognisedDocument(
            f"{source.path}: {symbol or 'this document'} is the addendum with the State's views, "
            "not the Working Group report; give the report itself and this file with --positions"
        )
    items = _items(source)
    if not items:
        raise UnrecognisedDocument(
            f"{source.path}: expected a UPR Working Group report with a 'Conclusions and/or "
            "recommendations' section of numbered recommendations (e.g. '118.5 Ratify ... "
            "(France);'); found none"
        )
    country = _country(source)
    document_date = _document_date(source.first_page)
    session = _session(source.first_page, "\n".join(source.pages[:3]))
    if positions is not None:
        _apply_addendum(items, positions)
    records = []
    for item in items:
        text, states = split_states(item["text"])
        records.append(
            RecordIn(
                text=text,
                mechanism=Mechanism.UPR,
                body="UPR",
                country=country,
                document_symbol=symbol,
                document_date=date.fromisoformat(document_date) if document_date else None,
                paragraph=item["number"],
                session=session,
                cycle=_cycle(document_date),
                recommending_states=tuple(states),
                position=item.get("position", ""),
                position_source=item.get("position_source", ""),
                heading=item.get("heading", ""),
                source_file=source.path.name,
                source_page=item["page"],
            )
        )
    return records


# Two recommendations printed on one line: "... (New Zealand); 136.50 Continue ...".
_RUN_ON_ITEM = re.compile(r"(?<=[;:.)])\s+(?=\d{2,3}\.\d{1,3}\.?\s+[A-Z]|\d{1,3}\.\s+[A-Z])")


def _items(source: SourceText) -> list[dict]:
    lines = [
        Line(part, line.page) for line in source.lines for part in _RUN_ON_ITEM.split(line.text)
    ]
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if SECTION.match(line.text) and not re.search(r"\.{4,}|\s\d{1,3}\s*$", line.text)
        ),
        None,
    )
    if start is None:
        # The recommendations section on its own, with no heading: from the first item.
        if not is_recommendations_section(source):
            return []
        start = -1
    vocabulary = _vocabulary(lines)
    items: list[dict] = []
    intro: dict | None = None
    current: dict | None = None
    last_short = 0
    for line in lines[start + 1 :]:
        text = line.text
        if SECTION_END.match(text):
            break
        m = ITEM.match(text)
        if m and (intro is None or m.group(1) == intro["number"]) and m.group(3)[:1].isupper():
            current = {
                "number": f"{m.group(1)}.{m.group(2)}",
                "lines": [m.group(3)],
                "page": line.page,
                "position": intro["position"] if intro else "",
                "position_source": intro["source"] if intro else "",
                "heading": intro["heading"] if intro else "",
            }
            items.append(current)
            continue
        m = INTRO.match(text)
        if (
            m
            and (intro is None or int(m.group(1)) > int(intro["number"]))
            and re.search(r"recommendations?|conclusions?", text + " ", re.I)
            and not ITEM.match(text)
        ):
            intro = {
                "number": m.group(1),
                "lines": [m.group(2)],
                "position": "",
                "source": "",
                "heading": "",
            }
            _read_intro(intro)
            current = None
            last_short = 0
            continue
        m = SHORT_ITEM.match(text)
        if (
            m
            and intro is not None
            and int(m.group(1)) == last_short + 1
            and m.group(2)[:1].isupper()
        ):
            last_short += 1
            current = {
                "number": f"{intro['number']}.{m.group(1)}",
                "lines": [m.group(2)],
                "page": line.page,
                "position": intro["position"],
                "position_source": intro["source"],
                "heading": intro["heading"],
            }
            items.append(current)
            continue
        if current is not None:
            current["lines"].append(text)
        elif intro is not None:
            intro["lines"].append(text)
            _read_intro(intro)
            for item in items:
                if item["number"].startswith(intro["number"] + "."):
                    item.update(position=intro["position"], position_source=intro["source"])
    for item in items:
        item["text"] = join_lines(item["lines"], vocabulary)
    return items


def _read_intro(intro: dict) -> None:
    text = " ".join(intro["lines"])
    intro["heading"] = re.sub(r"\s+", " ", text).strip()
    lowered = intro["heading"].lower()
    if re.search(
        r"did not enjoy|do not enjoy|not (?:be )?(?:accepted|supported)|noted|rejected", lowered
    ):
        intro["position"] = Position.NOTED
    elif re.search(
        r"enjoys? (?:the|its) support|have been accepted|are supported|accepted by", lowered
    ):
        intro["position"] = Position.SUPPORTED
    intro["source"] = "report" if intro["position"] else ""


# --- recommending States ----------------------------------------------------------------------

_GROUP = r"\((?:[^()]|\([^()]*\))*\)"
_TRAILING = re.compile(rf"\s*({_GROUP})\s*[;.,]*\s*$")
_INNER = re.compile(rf"\s*((?:{_GROUP}\s*)+);\s+(?=[A-Za-z])")


def _group_states(group: str) -> list[str] | None:
    """Return the States named in '(Slovakia, Spain)', or None when it is not a list of States."""
    inner = re.sub(r"\s+", " ", group[1:-1]).strip()
    whole = countries.resolve(inner)
    if whole is not None:
        return [whole.code]
    codes = []
    for part in re.split(r"\s*[,;/]\s*", inner):
        if not part.strip():
            continue
        found = countries.resolve(re.sub(r"^and\s+", "", part.strip()))
        if found is not None:
            codes.append(found.code)
            continue
        # "Spain and Portugal": split on "and" only when the whole is not one name.
        for piece in re.split(r"\s+and\s+(?=[A-Z])", part):
            found = countries.resolve(piece)
            if found is None:
                return None
            codes.append(found.code)
    return codes or None


def split_states(text: str) -> tuple[str, list[str]]:
    """Split '... (Côte d'Ivoire) (Namibia);' into the text and the States' ISO codes."""
    trailing: list[str] = []
    states: list[str] = []
    body = text.strip()
    while True:
        m = _TRAILING.search(body)
        if not m:
            break
        codes = _group_states(m.group(1))
        if codes is None:
            break
        trailing[:0] = codes
        body = body[: m.start()].rstrip()

    # Recommendations merged under one number: "Do A (Ukraine); Do B (Slovakia);", also
    # "Ratify the Convention (ICPPED) (Sierra Leone); Ratify ...": the States are the run of
    # groups at the end that all resolve.
    def inner(m: re.Match[str]) -> str:
        groups = list(re.finditer(_GROUP, m.group(1)))
        found: list[list[str]] = []
        while groups:
            codes = _group_states(groups[-1].group(0))
            if codes is None:
                break
            found.insert(0, codes)
            groups.pop()
        if not found:
            return m.group(0)
        for codes in found:
            states.extend(c for c in codes if c not in states)
        kept = m.group(1)[: groups[-1].end()] if groups else ""
        return (" " + kept.strip() if kept else "") + "; "

    body = _INNER.sub(inner, body)
    # Joint recommendations of cycle 1 name each State after its own verb: "To ratify
    # (Spain)/consider ratifying (Argentina) the Convention (Spain, Argentina) and of
    # accepting ... (Argentina)": every bracketed group of States counts, in order.
    for m in re.finditer(_GROUP, body):
        if m.end() < len(body) and re.match(r"\s*/|\s+(?:the|of|and|to)\b", body[m.end() :]):
            codes = _group_states(m.group(0))
            if codes:
                states.extend(c for c in codes if c not in states)
    seen: list[str] = []
    for code in states + trailing:
        if code not in seen:
            seen.append(code)
    return body.rstrip(" ;,").strip(), seen


# --- document facts -----------------------------------------------------------------------------


def _country(source: SourceText) -> str:
    head = source.first_page
    m = re.search(r"Universal\s+Periodic\s+Review\W*\n(.{0,400})", head, re.DOTALL)
    candidates = (m.group(1).splitlines() if m else []) + head.splitlines()
    if not re.search(r"Universal\s+Periodic\s+Review", head[:3000], re.I):
        candidates = []  # the recommendations section alone: no title page to read
    for raw in candidates:
        line = raw.strip().strip("*").strip()
        if 2 < len(line) < 60:
            found = countries.resolve(line)
            if found is not None:
                return found.code
    m = re.search(r"review of ([A-Z][\w' ’\-]+?)(?:[,.]| was| at| took)", source.raw)
    found = countries.resolve(m.group(1)) if m else None
    if found is None:
        # The recommendations section alone: "... enjoy the support of Costa Rica:".
        m = re.search(
            r"(?:support of|examined by|noted by)\s+([A-Z][\w' ’\-]+(?:\s*\([^()]*\))?)",
            re.sub(r"\s+", " ", source.raw[:20000]),
        )
        found = countries.resolve(m.group(1).strip()) if m else None
    return found.code if found else ""


def _document_date(first: str) -> str:
    m = re.search(r"Distr\.\s*:?\s*\w+\s*\n?(.{0,80})", first, re.DOTALL)
    return find_date(m.group(1)) if m else ""


_ORDINALS = (
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
)
_UNITS = {w: n for n, w in enumerate(_ORDINALS)}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60}


def ordinal_number(word: str) -> int | None:
    """Return the number an English ordinal names: "forty-eighth" 48, "seventh" 7."""
    word = word.lower().replace("\u2011", "-").strip()
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENTHS:
        return _TENTHS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS and 0 < _UNITS[unit] < 10:
        return _TENS[tens] + _UNITS[unit]
    return None


def _session(first: str, opening: str = "") -> str:
    """Return the UPR Working Group session ("48"), the one a review is known by.

    The report is printed under a Council session ("Fifty-ninth session"), which three reviews
    share; its introduction names the Working Group's ("held its forty-eighth session"), which
    is the session of the matrices, UHRI and UPR Info. The Council's is the fallback.
    """
    m = re.search(r"held\s+its\s+([A-Za-z\-\u2011]+)\s+session", opening)
    number = ordinal_number(m.group(1)) if m else None
    if number:
        return str(number)
    m = re.search(r"Human Rights Council\s*\n?\s*([A-Z][a-z\-]+(?:-[a-z]+)?)\s+session", first)
    return m.group(1) if m else ""


def _cycle(iso: str) -> int | None:
    if not iso:
        return None
    for limit, cycle in (("2012-05-01", 1), ("2017-05-01", 2), ("2022-11-01", 3)):
        if iso < limit:
            return cycle
    return 4


# --- addendum (Add.1): the State's positions --------------------------------------------------

_NUMBER_LIST = re.compile(r"\d{1,3}(?:\.\d{1,3})?(?:\s*[-–]\s*\d{1,3}(?:\.\d{1,3})?)?")


def parse_positions(addendum: SourceText) -> tuple[dict[str, str], str]:
    """Return ({'122.1': 'supported', '17': 'noted', ...}, symbol) from a report's addendum.

    Reads the sentences that accept, support or note lists of recommendations ("The
    Government accepts the following recommendations 122.1, 122.17-18, ..."), and in older
    addenda the numbered replies ("2. Slovenia accepts the recommendation.").
    """
    symbol = find_symbol(addendum)
    text = re.sub(r"\s+", " ", " ".join(line.text for line in addendum.lines))
    positions: dict[str, str] = {}
    sentence = re.compile(
        r"(?P<verb>accepts|supports|takes? note of|notes|does not accept|does not support|rejects|"
        r"enjoy the support|did not enjoy the support)\b(?:(?!\.\s[A-Z]).){0,80}?recommendations?"
        r"(?:[^\d.:]{0,100}?:)?\s*(?:no\.|nos\.|numbers)?:?\s*(?P<list>(?:\d{1,3}(?:\.\d{1,3})?\s*(?:[-–]\s*\d{1,3}(?:\.\d{1,3})?)?[\s,.;]*(?:and\s+)?)+)",
        re.IGNORECASE,
    )
    replies = _numbered_replies(addendum)
    if len(replies) >= 5:
        # Older addenda answer recommendation by recommendation ("2. Slovenia accepts the
        # recommendation", "5., 6., 7. The Government accepts these recommendations"): the
        # lists found in their prose are numbers of other documents, not positions.
        return replies, symbol
    for m in sentence.finditer(text):
        verb = m.group("verb").lower()
        position = (
            Position.SUPPORTED
            if verb in ("accepts", "supports", "enjoy the support")
            else Position.NOTED
        )
        for number in expand_numbers(m.group("list")):
            positions.setdefault(number, position)
    if not positions:
        positions = replies
    return positions, symbol


def expand_numbers(listing: str) -> list[str]:
    """Expand '118.1-118.5, 118.7, 122.17-18, 1–5' into single numbers."""
    out: list[str] = []
    for token in _NUMBER_LIST.findall(listing):
        parts = [p.strip() for p in re.split(r"[-–]", token)]
        if len(parts) == 1:
            out.append(parts[0].rstrip("."))
            continue
        a, b = parts
        if "." in a:
            prefix, first = a.rsplit(".", 1)
            last = b.rsplit(".", 1)[-1]
            if b.count(".") and b.rsplit(".", 1)[0] != prefix:
                out.extend((a, b))
                continue
            out.extend(f"{prefix}.{n}" for n in range(int(first), int(last) + 1))
        else:
            out.extend(str(n) for n in range(int(a), int(b) + 1))
    return out


_REPLY_START = re.compile(r"^\s*((?:\d{1,3}\.,?\s*)+)(.*)$")
_NOT_ACCEPTED = re.compile(
    r"(?:does|do|can|could|is|are)\s*not\s+(?:\w+\s+){0,3}?(?:accept|support|agree)|"
    r"cannot,?\s+(?:at this (?:point in )?time,?\s+)?(?:accept|support|make a definitive|agree)|"
    r"rejects?|not in a position to (?:accept|support)|takes? note of|notes the recommendation|"
    r"is unable to (?:accept|support)",
    re.IGNORECASE,
)
_ACCEPTED = re.compile(
    r"\b(?:accepts?|accepted|supports?|supported|agrees? to|endorses?)\b", re.IGNORECASE
)


def _reply_position(reply: str) -> str:
    """Position of a numbered reply: accepted, not accepted, or both (in part)."""
    flat = re.sub(r"\s+", " ", reply)
    negative = _NOT_ACCEPTED.search(flat)
    # "accepts" in "cannot accept" is no acceptance: look for one outside the refusals.
    positive = _ACCEPTED.search(_NOT_ACCEPTED.sub(" ", flat))
    if negative and positive:
        return Position.SUPPORTED_IN_PART
    if negative:
        return Position.NOTED
    if positive:
        return Position.SUPPORTED
    # A reply that answers without accepting ("agrees with the importance of ..., notes the
    # adoption of ...") leaves the recommendation noted, as the UPR counts it.
    return Position.NOTED if flat.strip() else ""


def _numbered_replies(addendum: SourceText) -> dict[str, str]:
    """Read numbered replies, one per recommendation or grouped.

    "2. Slovenia accepts the recommendation.", "5., 6., 7., 8., 9. The Government accepts
    these recommendations ...", a list of numbers running on to the next line ("40., 41., 42.,"
    then "43., 44."), a reply that accepts one part and not another (supported in part).
    """
    replies: list[tuple[list[str], list[str]]] = []
    seen: set[str] = set()
    continuing = False
    for line in addendum.lines:
        m = _REPLY_START.match(line.text)
        numbers = re.findall(r"\d{1,3}", m.group(1)) if m else []
        fresh = [n for n in numbers if n not in seen]
        if m and fresh and len(fresh) == len(numbers) and all(0 < int(n) < 1000 for n in numbers):
            if continuing and replies:
                replies[-1][0].extend(numbers)
                replies[-1][1].append(m.group(2))
            else:
                replies.append((list(numbers), [m.group(2)]))
            seen.update(numbers)
            continuing = m.group(1).rstrip().endswith(",")
            continue
        continuing = False
        if replies:
            replies[-1][1].append(line.text)
    # Numbered replies answer at once: "2. Slovenia accepts ...", "7. Estonia cannot, at this
    # point in time, ...". An addendum whose numbered paragraphs mostly do not is prose.
    answering = [
        1
        for _, lines in replies
        if re.search(
            r"accept|support|reject|cannot|not in a position|"
            r"takes? note|agrees?|definitive",
            " ".join(lines)[:160],
            re.IGNORECASE,
        )
    ]
    if len(answering) < 5 or len(answering) < 0.6 * len(replies):
        return {}
    positions: dict[str, str] = {}
    for numbers, lines in replies:
        position = _reply_position(" ".join(lines))
        if position:
            for number in numbers:
                positions.setdefault(number, position)
    return positions


def _apply_addendum(items: list[dict], addendum: SourceText) -> None:
    positions, symbol = parse_positions(addendum)
    if not positions:
        raise UnrecognisedDocument(
            f"{addendum.path}: expected the addendum with the State's positions ('accepts the "
            "following recommendations 118.1, ...', 'notes ...'); found no positions"
        )
    numbered = any("." in k for k in positions)
    for index, item in enumerate(items, start=1):
        # Some addenda count the recommendations 1, 2, 3 ... in report order.
        key = item["number"] if numbered else str(index)
        if (
            not numbered
            and item["number"].count(".")
            and item["number"].split(".")[1] in positions
            and len(items) == len(set(i["number"].split(".")[1] for i in items))
        ):
            key = item["number"].split(".")[1]
        position = positions.get(key)
        if position:
            item["position"] = position
            item["position_source"] = symbol or addendum.path.name
