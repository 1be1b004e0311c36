"""Level of detail (benchmark, indicator, timeline, budget, legal reference), concrete action
and protection relevance, each from patterns with the matched words as the reason.
"""

from __future__ import annotations

import re

DETAIL_PATTERNS: dict[str, re.Pattern[str]] = {
    "timeline": re.compile(
        r"\b(?:by|before|until|no later than|within|in)\s+(?:the\s+end\s+of\s+)?(?:19|20)\d\d\b"
        r"|\bwithin\s+(?:a\s+|one\s+|two\s+|three\s+|six\s+|twelve\s+|\d+\s+)?(?:year|years|months?|weeks?|days?)\b"
        r"|\b(?:deadline|time-?frame|time-?bound|timetable|time\s+limit|timeline)s?\b"
        r"|\bnext\s+periodic\s+report\b|\bbefore\s+the\s+next\s+(?:review|cycle|report)\b"
        r"|\bwithout\s+(?:further\s+)?delay\b|\bas\s+soon\s+as\s+possible\b",
        re.I,
    ),
    "indicator": re.compile(
        r"\bindicators?\b|\bdisaggregated\b|\bstatistic(?:s|al)\b|\bdata\s+(?:collection|on)\b"
        r"|\bcollect(?:ing|ion of)?\s+(?:\w+\s+)?data\b|\bmonitor(?:ing)?\s+(?:and\s+evaluat\w+|mechanism|system)\b|\bbaseline\b",
        re.I,
    ),
    "benchmark": re.compile(
        r"\b\d+(?:\.\d+)?\s*(?:per\s*cent|%)|\bbenchmarks?\b|\btargets?\b|\bquotas?\b"
        r"|\bat\s+least\s+\d+|\bminimum\s+age\s+of\s+\d+|\bto\s+(?:18|\d\d)\s+years\b|\bmeasurable\b",
        re.I,
    ),
    "budget": re.compile(
        r"\bbudget\w*|\ballocat\w+\s+(?:\w+\s+){0,4}(?:resources|funds|funding|budget)"
        r"|\b(?:sufficient|adequate|necessary|additional)\s+(?:\w+\s+){0,3}(?:resources|funds|funding)\b"
        r"|\bfinancial\s+(?:and\s+human\s+)?resources\b|\bfunding\b",
        re.I,
    ),
    "legal_reference": re.compile(
        r"\barticles?\s+\d+\w*|\b(?:law|act|decree|ordinance|code)\s+(?:no\.?|n[oº°]\.?|number)\s*[\d/.-]+"
        r"|\b(?:law|act|decree)\s+(?:of\s+)?(?:19|20)\d\d\b|\b\d{1,4}/(?:19|20)\d\d\b"
        r"|\b(?:general\s+recommendation|general\s+comment)\s+(?:no\.?\s*)?\d+"
        r"|\b(?:security\s+council|general\s+assembly|human\s+rights\s+council)\s+resolutions?\s+[\d/]+"
        r"|\bresolution\s+[\d/]+|\b[A-Z]{2,6}/C/[A-Z]{3}/CO/\d",
        re.I,
    ),
}

_CONCRETE = re.compile(
    r"\b(?:ratif\w+|accede|accession|becom\w+\s+(?:a\s+)?party|sign(?:ing)?\s+and\s+ratif\w+|enact\w*|repeal\w*|amend\w*|abolish\w*"
    r"|adopt\w*\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+){0,4}?(?:law|legislation|bill|act|code|moratorium)"
    r"|criminali[sz]\w+|decriminali[sz]\w+|withdraw\w*\s+(?:\w+\s+){0,3}reservations?|standing\s+invitation"
    r"|establish\w*|set(?:ting)?\s+up|creat\w+\s+(?:a|an)\s|allocat\w+|investigat\w+|prosecut\w+|releas\w+|submit\w*\s+(?:\w+\s+){0,3}reports?"
    r"|lift\w*\s+(?:the\s+)?(?:\w+\s+){0,2}(?:ban|restrictions?|state\s+of\s+emergency|moratorium)|declare\s+a\s+moratorium)",
    re.I,
)

_PROTECTION = re.compile(
    r"\b(?:internally\s+displaced|\bidps?\b|displaced\s+persons|displacement|displaced|refugees?|asylum|refoulement"
    r"|stateless\w*|returnees?|return\s+of\s+(?:refugees|displaced)|voluntary\s+return|durable\s+solutions?"
    r"|armed\s+conflict|conflict-affected|post-conflict|hostilities|civilians?|landmines?|humanitarian\s+(?:access|assistance|law|aid)"
    r"|natural\s+disasters?|disasters?|earthquakes?|floods?|droughts?|cyclones?|hurricanes?|emergenc(?:y|ies)\s+(?:situations|response)"
    r"|forced\s+evictions?|evictions?|civil\s+documentation|birth\s+registration|identity\s+documents?|civil\s+registration|erased\s+persons)",
    re.I,
)


def find_detail(text: str) -> list[tuple[str, str]]:
    """Return (kind, matched words) for each kind of detail *text* carries, in a fixed order."""
    found = []
    for kind, pattern in DETAIL_PATTERNS.items():
        m = pattern.search(text)
        if m:
            found.append((kind, m.group(0)))
    return found


def find_concrete_action(text: str) -> str:
    """Return the words naming a concrete, checkable act, or "" when there is none."""
    m = _CONCRETE.search(text)
    return m.group(0) if m else ""


def find_protection(text: str) -> str:
    """Return the words that make *text* protection-relevant, or "" when none."""
    m = _PROTECTION.search(text)
    return m.group(0) if m else ""
