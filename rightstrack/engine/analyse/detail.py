"""Level of detail (benchmark, indicator, timeline, budget, legal reference), concrete action
and protection relevance, each from patterns with the matched words as the reason.
"""

from __future__ import annotations

import re

#: A named legal instrument or provision: "the Convention against Torture", "the Rome Statute",
#: "the Paris Principles", "the Children's Act", "Criminal Code", "Law No. 19580", "article 12".
INSTRUMENT = re.compile(
    r"\b(?:[A-Z][\w’'.-]*\s+|(?:of|on|for|and|the|to|against|in|relating|concerning|all|"
    r"with|\d{4}|No\.|\(\w+\))\s+){0,10}?"
    r"(?:Convention|Covenant|Protocol|Statute|Treaty|Charter|Principles|Directive|Regulation|"
    r"Constitution|Code|Act|Bill|Law|Rules|Guidelines|Framework|Declaration)s?\b"
    r"(?:\s+(?:No\.|Nos\.)\s*[\d/.-]+|\s+(?:of|on|for|against|relating to)\s+(?:the\s+)?"
    r"(?:[A-Z][\w’'-]*\s*(?:and\s+|of\s+|the\s+|on\s+|for\s+|to\s+|All\s+)*){1,12})?",
)
#: Capitalised words that start a sentence or name a body, not an instrument.
_NOT_INSTRUMENT = re.compile(
    r"^(?:The\s+)?(?:Sustainable Development|Optional|Committee|Government|State)\b"
)


def find_instruments(text: str) -> list[str]:
    """Return the named legal instruments in *text* ("Convention against Torture", ...)."""
    found = []
    for m in INSTRUMENT.finditer(text):
        words = m.group(0).strip()
        head = re.search(
            r"(?:Convention|Covenant|Protocol|Statute|Treaty|Charter|Principles|Directive|"
            r"Regulation|Constitution|Code|Act|Bill|Law|Rules|Guidelines|Framework|Declaration)s?\b",
            words,
        )
        if head is None:
            continue
        before = words[: head.start()].strip()
        # "the Convention" alone names the treaty of the document; "Act" must be named.
        if head.group(0).startswith(("Act", "Bill", "Code", "Law", "Rules", "Framework")) and not (
            re.search(r"[A-Z]", before) or re.search(r"No\.", words)
        ):
            continue
        if head.group(0).startswith(
            ("Guidelines", "Framework", "Declaration", "Principles")
        ) and not re.search(r"[A-Z]", before):
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


def find_detail(text: str) -> list[tuple[str, str]]:
    """Return (kind, matched words) for each kind of detail *text* carries, in a fixed order."""
    found = []
    for kind, pattern in DETAIL_PATTERNS.items():
        m = pattern.search(text)
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
    r"|armed\s+conflict|conflict-affected|post-conflict|conflict\s+(?:areas|zones)|occupation|occupied\s+territor\w+|hostilities|civilians?|landmines?|humanitarian\s+(?:access|assistance|law|aid)"
    r"|natural\s+disasters?|disasters?|earthquakes?|floods?|droughts?|cyclones?|hurricanes?|emergenc(?:y|ies)\s+(?:situations|response)"
    r"|forced\s+evictions?|evictions?|civil\s+documentation|birth\s+registration|identity\s+documents?|civil\s+registration)",
    re.I,
)


def find_protection(text: str) -> str:
    """Return the words that make *text* protection-relevant, or "" when none."""
    m = _PROTECTION.search(text)
    return m.group(0) if m else ""
