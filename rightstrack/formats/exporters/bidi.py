"""Which way a text runs: right-to-left (Arabic, Hebrew, Persian, Urdu) or left-to-right.

Exporters mark each paragraph and table cell whose text runs the other way than the document
(a French heading above an Arabic recommendation), so Word (w:bidi, w:rtl) and WeasyPrint
(dir="rtl") lay it out and shape it as the language wants. Pure Python (unicodedata).
"""

from __future__ import annotations

import unicodedata

RTL, LTR = "rtl", "ltr"
_STRONG_RTL = ("R", "AL")


def direction_of(text: str) -> str:
    """Return "rtl" or "ltr" from the first strongly directional letter of *text* (the rule of
    the Unicode bidirectional algorithm, P2-P3), or "" when it has none (digits, signs)."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            return RTL
        if kind == "L":
            return LTR
    return ""


def dominant_direction(text: str) -> str:
    """Return "rtl" when most strongly directional letters of *text* run right to left."""
    rtl = ltr = 0
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            rtl += 1
        elif kind == "L":
            ltr += 1
    return RTL if rtl > ltr else LTR
