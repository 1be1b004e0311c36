"""Level of detail (benchmark, indicator, timeline, budget, legal reference), concrete action
and protection relevance, each from patterns with the matched words as the reason.
"""

from __future__ import annotations

import re

#: Words that end the name of an instrument or a body.
INSTRUMENT_HEADS = (
    "Convention|Covenant|Protocol|Statute|Treaty|Charter|Principles|Directive|Regulation|"
    "Constitution|Code|Act|Bill|Law|Rules|Guidelines|Framework|Declaration"
)
BODY_HEADS = (
    "Committee|Commission|Commissioners?|Council|Office|Ombudsman|Agency|Board|Programme|"
    "Strategy|Plan|Fund|Rapporteur|Group"
)
_HEAD = re.compile(rf"\b(?:{INSTRUMENT_HEADS})s?\b")
_CONNECTORS = frozenset(
    [
        "of",
        "on",
        "for",
        "and",
        "the",
        "to",
        "against",
        "in",
        "relating",
        "concerning",
        "all",
        "with",
        "No.",
        "&",
        "de",
    ]
)
#: What may follow the head: "No. 29", "on the Rights of the Child", "against Torture".
_AFTER = re.compile(
    r"(?:\s+(?:No\.|Nos\.)\s*[\d/.-]+|\s+(?:of|on|for|against|relating\s+to)\s+(?:the\s+)?"
    r"(?:(?:[A-Z][\w’'-]*|of|and|the|on|for|to|with|against|in|All)(?:\s+|$)){1,14})?"
)


def named_spans(text: str, heads: re.Pattern[str] = _HEAD) -> list[tuple[int, int, bool]]:
    """Return (start, end, named) for each name ending in a head word ("Rome Statute",
    "Immigration and Refugee Protection Act", "Convention on the Rights of the Child");
    *named* is True when a capitalised word stands before the head (not just "the Act").

    Walks back over the words before each head word instead of one long regex: linear in the
    text's length (issue 14: the analysis must keep its speed).
    """
    spans: list[tuple[int, int, bool]] = []
    for m in heads.finditer(text):
        start = m.start()
        named = False
        window = text[max(0, start - 160) : start]
        words = window.split(" ")
        consumed = 0
        for word in reversed(words[:-1] if window.endswith(" ") else words):
            bare = word.strip("()")
            if not bare:
                consumed += len(word) + 1
                continue
            if (
                (bare[:1].isupper() and not bare.endswith((".", ",", ";", ":")))
                or bare in _CONNECTORS
                or (bare.isdigit() and len(bare) == 4)
            ):
                # A capitalised word opening the text or a clause is a verb ("Ratify the
                # Convention"), not part of the name.
                position = start - consumed - len(word) - 1
                before = re.sub(r"\([a-z]{1,3}\)$", "", text[: max(position, 0)].rstrip())
                before = before.rstrip()
                opening = not before or before[-1] in ".:;"
                if bare[:1].isupper() and bare not in _CONNECTORS and opening:
                    break
                consumed += len(word) + 1
                named = named or bare[:1].isupper()
                continue
            break
        begin = start - consumed if consumed else start
        # Drop connectors at the start of the name ("of the Convention" -> "Convention").
        while True:
            head_word = text[begin:start].split(" ", 1)[0]
            if head_word and head_word in _CONNECTORS and begin < start:
                begin += len(head_word) + 1
                continue
            break
        after = _AFTER.match(text, m.end())
        end = after.end() if after else m.end()
        spans.append((max(begin, 0), end, named))
    return spans


def find_instruments(text: str) -> list[str]:
    """Return the named legal instruments in *text* ("Convention against Torture", ...)."""
    found = []
    for start, end, named in named_spans(text):
        words = text[start:end].strip()
        head = _HEAD.search(words)
        if head is None:
            continue
        # "the Convention" alone names the treaty of the document; an act or a framework
        # must be named ("the Children's Act", "Sendai Framework").
        if (
            not named
            and not re.search(r"No\.", words)
            and head.group(0).startswith(
                (
                    "Act",
                    "Bill",
                    "Code",
                    "Law",
                    "Rules",
                    "Framework",
                    "Guidelines",
                    "Declaration",
                    "Principles",
                )
            )
        ):
            continue
        found.append(words)
    return found


DETAIL_PATTERNS: dict[str, re.Pattern[str]] = {
    # A date or period the act is to meet. Urgency ("as soon as possible", "without delay") is
    # no timeline, nor is a past date ("adopted in 2013"); a plan's period is one ("the
    # Programme for 2011-2020", "national action plan (2024-2028)").
    "timeline": re.compile(
        r"\b(?:by|before|until|no later than|not later than)\s+(?:the\s+end\s+of\s+)?"
        r"(?:\d{1,2}\s+\w+\s+)?(?:19|20)\d\d\b"
        r"|\bwithin\s+(?:a\s+|one\s+|two\s+|three\s+|six\s+|twelve\s+|\d+\s+)?"
        r"(?:year|years|months?|weeks?|days?)\b"
        r"|\b(?:deadlines?|time-?frames?|time\s+frames?|time-?bound|timetables?|time\s+limits?|"
        r"timelines?)\b"
        r"|\b(?:plan|programme|program|strategy|policy|period|agenda|action plan)\b[^.;]{0,80}?"
        r"\b(?:19|20)\d\d\s*[-–—/]\s*(?:19|20)?\d\d\b"
        r"|\bfor\s+(?:the\s+period\s+)?(?:19|20)\d\d\s*[-–—]\s*(?:19|20)?\d\d\b"
        r"|\bbefore\s+the\s+next\s+(?:review|cycle|report)\b",
        re.I,
    ),
    "indicator": re.compile(
        r"\bindicators?\b|\bdisaggregated\b|\bstatistic(?:s|al)\b|\bdata\s+(?:collection|on)\b"
        r"|\b(?:collect|compil|gather)\w*\s+(?:[\w,]+\s+){0,3}(?:of\s+)?(?:data|information)\b"
        r"|\bcollection\s+(?:\w+\s+){0,4}(?:of\s+)?(?:\w+\s+)?data\b|\bdatabase\b"
        r"|\bmonitor(?:ing)?\s+and\s+evaluat\w+|\bbaseline\b|\bcensus\w*",
        re.I,
    ),
    "benchmark": re.compile(
        r"\b\d+(?:\.\d+)?\s*(?:per\s*cent|%)|\bbenchmarks?\b"
        r"|\btargets?\b(?!\s+\d+\.\w+)(?!\s+(?:of|for)\s+the\s+Sustainable)"
        r"|\bquotas?\b|\bat\s+least\s+(?:\d+|once|twice|one|two|three)\b|\bage\s+of\s+\d+"
        r"|\bto\s+(?:18|\d\d)\s+years\b|\bmeasurable\b|\btime-bound\s+goals\b",
        re.I,
    ),
    "budget": re.compile(
        r"\bbudget\w*|\ballocat\w+\s+(?:\w+\s+){0,4}(?:resources|funds|funding|budget)"
        r"|\b(?:sufficient|adequate|necessary|additional|significant|dedicated|required|more)\s+"
        r"(?:\w+,?\s+){0,3}(?:resources|funds|funding)\b"
        r"|\b(?:dedicat|invest|provid|devot)\w*\s+(?:\w+\s+){0,3}(?:resources|funds)\b"
        r"|\bfinancial\s+(?:and\s+human\s+)?(?:resources|support)\b|(?-i:\bfund(?:ing|ed|s)?\b)"
        r"|\b(?:given|provided|with)\s+the\s+(?:necessary\s+)?resources\b"
        r"|\b(?:well|sufficiently|adequately)[- ]resourced\b|\bfinancially\b",
        re.I,
    ),
    "legal_reference": re.compile(
        r"\barticles?\s+\d+\w*|\bsections?\s+\d+\w*|\b(?:law|act|decree|ordinance|code)\s+"
        r"(?:no\.?|n[oº°]\.?|number)\s*[\d/.-]+"
        r"|\b(?:law|act|decree)\s+(?:of\s+)?(?:19|20)\d\d\b|\b\d{1,4}/(?:19|20)\d\d\b"
        r"|\b(?:law|act)\s+(?:adopted|passed|enacted)\s+in\s+(?:19|20)\d\d"
        r"|\b(?:general\s+recommendation|general\s+comment)\s+(?:no\.?\s*)?\d+"
        r"|\b(?:security\s+council|general\s+assembly|human\s+rights\s+council)\s+resolutions?\s+[\d/]+"
        r"|\bresolution\s+[\d/]+|\bdirective\s+(?:\(EU\)\s+)?\d{2,4}/\d+"
        r"|\b(?:adopt|amend|repeal|enact|revise|implement)\w*\s+the\s+(?:[\w’'-]+\s+){1,5}(?:act|code)\b",
        re.I,
    ),
}


#: Cheap tests first: a pattern runs only on a text that has one of its words (speed).
_PREFILTER = {
    "timeline": re.compile(r"\d\d|time|deadline|within|next", re.I),
    "indicator": re.compile(r"indicator|disaggregat|statistic|data|monitor|baseline|census", re.I),
    "benchmark": re.compile(r"\d|benchmark|target|quota|least|measurable|goals", re.I),
    "budget": re.compile(r"budget|resourc|fund|financ|allocat", re.I),
    "legal_reference": re.compile(
        r"article|section|law|act|decree|ordinance|code|general|resolution|directive|/", re.I
    ),
}


def find_detail(text: str) -> list[tuple[str, str]]:
    """Return (kind, matched words) for each kind of detail *text* carries, in a fixed order."""
    found = []
    for kind, pattern in DETAIL_PATTERNS.items():
        m = pattern.search(text) if _PREFILTER[kind].search(text) else None
        if m:
            found.append((kind, m.group(0)))
        elif kind == "legal_reference":
            instruments = find_instruments(text)
            if instruments:
                found.append((kind, instruments[0]))
    return found


#: Lettered sub-items and sentences: each asks for its own act.
_CLAUSES = re.compile(r"(?:^|(?<=[:;.]))\s*(?:\(?[a-z]{1,3}\)\s+)?|\s+\([a-z]\)\s+")
_HEDGE = re.compile(
    r"\b(?:consider\w*|explor\w+|study\w*|examin\w+|envisag\w+|look\s+into|reflect\s+on)"
    r"(?:\s+(?:the\s+)?(?:possibility|feasibility)\s+of)?\s+(?:\w+\s+){0,2}$",
    re.I,
)
_OBJECT = (
    r"(?:a|an|the|its|one|new|national|comprehensive|specific|dedicated|independent|"
    r"central(?:ized)?|specialized|\w+-\w+)\s+(?:[\w’'-]+\s+){0,6}?"
)
_CONCRETE_CLAUSE = re.compile(
    r"\b(?:ratif\w+|accede|accession\s+to|becom\w+\s+(?:a\s+)?party|sign(?:ing)?\s+and\s+ratif\w+)"
    r"\b(?=[^;.]{0,160}\b(?:Convention|Covenant|Protocol|Statute|Treaty|Charter|amendment|"
    r"(?:ICCPR|ICESCR|CEDAW|CRC|CRPD|CAT|ICERD|ICRMW|ICPPED|OPCAT|ILO)\b|No\.\s*\d+))"
    r"|\b(?:withdraw\w*|lift\w*)\s+(?:\w+\s+){0,3}(?:reservations?|declarations?)"
    r"|\b(?:enact\w*|repeal\w*|revok\w+|abolish\w*|amend\w*|revis\w+|modif\w+)\b"
    r"(?=\s+(?:\w+\s+){0,6}?(?:laws?|legislation|acts?|codes?|decrees?|articles?|sections?|"
    r"provisions?|rules?|regulations?|[A-Z]\w+))"
    r"|\b(?:adopt\w*|draft\w*|pass\w*|approv\w+|introduc\w+|finali[sz]\w+|develop\w*|"
    r"elaborat\w+|formulat\w+|approval\s+of|adoption\s+of)(?:\s+and\s+\w+)?[:\s]+"
    r"(?:\([a-z]\)\s*)?" + _OBJECT + r"(?:law|legislation|"
    r"legislative\s+(?:and\s+policy\s+)?framework|bill|act|code|decree|regulation|moratorium|"
    r"policy|plan|plan\s+of\s+action|strategy|programme|program|protocol|standards?|"
    r"code\s+of\s+conduct|partnership\s+act)\b"
    r"|\b(?:introduc\w+|provid\w+)\s+(?:\w+\s+){0,2}(?:legislative\s+reforms?|legislation)\b"
    r"|\b(?:prohibit\w*|ban\b|bann\w+|outlaw\w*|criminali[sz]\w+|decriminali[sz]\w+)"
    r"|\b(?:establish\w*|set(?:ting)?\s+up|creat\w+|creation\s+of|establishment\s+of)\s+"
    r"(?:(?:" + _OBJECT + r")?(?:body|institution|mechanism|office|ombudsman|ombudsperson|"
    r"commission|database|register|registry|fund|procedure|scheme|unit|court|centre|center|"
    r"shelter|plan|strategy|programme|indicators|human\s+rights\s+institution)|"
    r"(?:[\w-]+\s+){0,4}(?:mechanisms|bodies|institutions|offices|courts|shelters|centres|"
    r"registers|databases|funds|procedures|indicators))\b"
    r"|\b(?:collect\w*|compil\w+|produc\w+|gather\w*|systemati[sz]\w+\s+the\s+collection)"
    r"\s*,?\s+(?:[\w,]+\s+){0,3}(?:of\s+)?(?:data|statistics)\b"
    r"|\binto\s+(?:full\s+)?(?:compliance|conformity)\s+with\s+the\s+Paris\s+Principles"
    r"|\b(?:set\s+up|develop|create|introduce)\s+(?:\w+\s+){0,2}indicators\b"
    r"|\breleas\w+\s+(?:all\s+)?(?:\w+\s+){0,4}(?:persons|detainees|prisoners|defenders|"
    r"journalists|children)"
    r"|\bstanding\s+invitations?|\brecogni[sz]\w*\s+(?:the\s+)?[\w ]{3,60}?\s+as\s+"
    r"(?:an?\s+)?(?:autochthonous|national|official)"
    r"|\b(?:issue|issuing|provide|providing)\s+(?:\w+\s+){0,2}(?:civil\s+documentation|"
    r"birth\s+certificates|identity\s+documents|documentation)"
    r"|\bincorporat\w+\s+[^;.]{0,80}?\binto\s+(?:law|its\s+legislation|domestic\s+law)"
    r"|\bset\s+(?:a|the)\s+(?:maximum|minimum)\s+[^;.]{0,60}\bin\s+law"
    r"|\brecord\s+every\s+\w+|\bregulari[sz]\w+\s+the\s+status"
    r"|\ballocat\w+\s+(?:a\s+)?(?:dedicated\s+|sufficient\s+|specific\s+)?budget\s+"
    r"(?:\w+\s+){0,3}(?:to|for)\s+(?:the\s+)?(?:implementation\s+of\s+)?(?:the|its|a)\s+"
    r"[\w ]{0,40}?(?:plan|scheme|programme|strategy|fund|institution)",
    re.I,
)


def find_concrete_action(text: str) -> str:
    """Return the words naming a concrete, checkable act, or "" when there is none.

    Each lettered sub-item and sentence is read on its own ("adopt measures to: ... (c) adopt
    a law on ..." asks for an act in (c)); an act that is only to be considered ("consider
    ratifying", "study the possibility of establishing") is not asked for.
    """
    for m in _CONCRETE_CLAUSE.finditer(text):
        clause_start = max(
            text.rfind(";", 0, m.start()),
            text.rfind(":", 0, m.start()),
            text.rfind(". ", 0, m.start()),
            text.rfind(")", 0, m.start()),
        )
        before = text[clause_start + 1 : m.start()]
        if _HEDGE.search(before):
            continue
        return m.group(0).strip()
    return ""


_PROTECTION = re.compile(
    r"\b(?:internally\s+displaced|\bidps?\b|displaced\s+persons|displacement|displaced|refugees?|asylum|refoulement"
    r"|stateless\w*|returnees?|return\s+of\s+(?:refugees|displaced)|voluntary\s+return|durable\s+solutions?"
    r"|armed\s+conflict|conflict-affected|post-conflict|conflict\s+(?:areas|zones)|occupation|occupied\s+territor\w+|hostilities|civilians?|landmines?|humanitarian\s+(?:access|assistance|law|aid|organi[sz]ations?|actors|agencies|workers|personnel|situations?|crisis|crises)"
    r"|natural\s+disasters?|disasters?|earthquakes?|floods?|droughts?|cyclones?|hurricanes?|emergenc(?:y|ies)\s+(?:situations|response)"
    r"|forced\s+evictions?|evictions?|civil\s+documentation|birth\s+registration|identity\s+documents?|civil\s+registration)",
    re.I,
)


#: International instruments whose subject is protection: asking to ratify, accede to or apply
#: one is protection-relevant, though instrument names are otherwise no topic (issue 14 §2).
_PROTECTION_INSTRUMENTS = re.compile(
    r"\b(?:convention\s+relating\s+to\s+the\s+status\s+of\s+(?:refugees|stateless\s+persons)"
    r"|(?:convention\s+on\s+the\s+)?reduction\s+of\s+statelessness"
    r"|(?:19(?:51|54|61)\s+convention|1967\s+protocol)s?"
    r"|guiding\s+principles\s+on\s+internal\s+displacement|kampala\s+convention"
    r"|involvement\s+of\s+children\s+in\s+armed\s+conflicts?|op-crc-ac)\b",
    re.I,
)


def find_protection(text: str) -> str:
    """Return the words that make *text* protection-relevant, or "" when none."""
    m = _PROTECTION.search(text)
    return m.group(0) if m else ""


def find_protection_instrument(text: str) -> str:
    """Return the name of a protection instrument *text* names ("1954 Convention"), or ""."""
    m = _PROTECTION_INSTRUMENTS.search(text)
    return m.group(0) if m else ""
