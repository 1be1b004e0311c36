"""Text features shared by the classifiers and the lexical grouping.

UN texts name treaties by acronym as often as in full ("ratify OP-CAT", "accede to the Optional
Protocol to the Convention against Torture"); spelling out the common acronyms beside them lets
both forms share words, which helps a linear model and the similarity of two recommendations.
"""

from __future__ import annotations

import re
from typing import Any

#: Acronym pattern -> the words added after it. Only acronyms whose meaning is unambiguous in
#: UN human rights texts.
ACRONYMS: dict[str, str] = {
    r"OP-?CAT": "Optional Protocol Convention against Torture",
    r"CAT": "Convention against Torture",
    r"I?CPED|ICPPED|CED": "Convention Protection All Persons Enforced Disappearance",
    r"CRPD": "Convention Rights Persons with Disabilities",
    r"OP-?CRC-?(?:SC|AC|IC)?|CRC": "Convention Rights of the Child",
    r"OP-?CEDAW|CEDAW": "Convention Elimination Discrimination against Women",
    r"I?CERD": "Convention Elimination Racial Discrimination",
    r"OP-?ICCPR|ICCPR-?OP-?[12]?|ICCPR": "International Covenant Civil Political Rights",
    r"OP-?ICESCR|OP-?CESCR|ICESCR": "International Covenant Economic Social Cultural Rights",
    r"ICRMW|ICMW|MWC": "Convention Protection Rights Migrant Workers",
    r"ILO": "International Labour Organization",
    r"ICC": "International Criminal Court",
    r"NHRIs?": "national human rights institution",
    r"FGM(?:/C)?": "female genital mutilation",
    r"OHCHR": "Office High Commissioner Human Rights",
    r"LGBTI?Q?\+?": "lesbian gay bisexual transgender",
    r"IDPs?": "internally displaced persons",
    r"HIV/AIDS|HIV": "HIV AIDS",
    r"SDGs?": "Sustainable Development Goals",
}

_ACRONYM_RE = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in ACRONYMS) + r")(?![\w-])")
_EXPANSIONS = [(re.compile(rf"^(?:{p})$"), words) for p, words in ACRONYMS.items()]


def expand_acronyms(text: str) -> str:
    """Return *text* with the meaning of each known acronym written after it."""

    def add(match: re.Match[str]) -> str:
        found = match.group(0)
        for pattern, words in _EXPANSIONS:
            if pattern.match(found):
                return f"{found} ({words})"
        return found

    return _ACRONYM_RE.sub(add, text)


def prepare_text(text: str) -> str:
    """Return the text a vectoriser sees: acronyms expanded, lower-cased, spaces collapsed."""
    return " ".join(expand_acronyms(text).lower().split())


def make_vectoriser(*, rows: int, char_ngrams: bool = True) -> Any:
    """Return an unfitted TF-IDF vectoriser: word 1-2-grams (+ character 3-5-grams).

    Word n-grams skip English stop words, which carry no topic; character n-grams inside word
    boundaries catch inflections and compounds ("trafficking", "anti-trafficking"). Sublinear tf
    keeps a long paragraph from drowning its own key terms.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    # Very small training sets keep every term: a term seen once may be all there is.
    min_df = 2 if rows >= 50 else 1
    words = TfidfVectorizer(
        preprocessor=prepare_text,
        ngram_range=(1, 2),
        min_df=min_df,
        stop_words="english",
        sublinear_tf=True,
        dtype=_float32(),
    )
    if not char_ngrams:
        return words
    chars = TfidfVectorizer(
        preprocessor=prepare_text,
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=min_df,
        sublinear_tf=True,
        dtype=_float32(),
    )
    return FeatureUnion([("words", words), ("chars", chars)])


def _float32() -> Any:
    import numpy as np

    return np.float32
