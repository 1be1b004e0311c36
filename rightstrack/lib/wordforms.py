"""Word forms for search: stems in English, French and Spanish, and the words to ignore.

Search matches a typed word in any of its forms: "stateless" finds "statelessness", "enfant"
finds "enfants", "niño" finds "niños". Neither database can stem the recommendations in their
own languages the same way (SQLite's FTS5 has no stemmer for French or Spanish and Python's
sqlite3 cannot register one), so the query does the work and both engines get the same
query: each typed word becomes "the word itself, or any word starting with one of its stems".
The stems come from the Snowball stemmers (snowballstemmer, pure Python, the algorithms
Lucene and PostgreSQL use) of the three languages recommendations come in.

A stem too short to be a safe prefix (fewer than MIN_PREFIX letters: "art" would find
"article") is not used as a prefix; the word itself and its plural are looked for instead.

Stop words ("in", "the", "de", "los") are left out of a query unless they are all it has or
they sit inside a quoted phrase, where every word counts.
"""

from __future__ import annotations

import functools

import snowballstemmer

LANGUAGES = ("english", "french", "spanish")
#: Shortest stem used as a prefix.
MIN_PREFIX = 4

#: Function words of the three languages: words that carry no subject of their own.
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "these",
        "this",
        "those",
        "to",
        "was",
        "were",
        "which",
        "with",
        "within",
        "without",
        "all",
        "any",
        "both",
        "each",
        "such",
        "than",
        "then",
        "there",
        "other",
        "also",
        "including",
        "include",
        "inter",
        "alia",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "il",
        "elle",
        "ils",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ou",
        "où",
        "par",
        "pour",
        "qui",
        "que",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
        "l",
        "d",
        "s",
        "y",
        "afin",
        "ainsi",
        "notamment",
        "al",
        "con",
        "del",
        "el",
        "ella",
        "ellos",
        "es",
        "las",
        "lo",
        "los",
        "para",
        "por",
        "su",
        "sus",
        "una",
        "unos",
        "unas",
        "o",
        "como",
        "entre",
        "sobre",
        "sin",
    }
)


@functools.cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


@functools.lru_cache(maxsize=20_000)
def stems(word: str) -> tuple[str, ...]:
    """Return the distinct stems of *word* (lower-case) in the three languages, longest first."""
    found = {_stemmer(lang).stemWord(word) for lang in LANGUAGES}
    found.discard("")
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


def forms(word: str) -> tuple[tuple[str, bool], ...]:
    """Return what to look for instead of the typed *word*: (text, is_prefix) pairs.

    Each stem long enough to be a prefix, dropping those a shorter one covers; the word itself
    too when no stem is a prefix of it (English "happy" stems to "happi"); for a short word
    with no usable stem, the word and its plurals.
    """
    if not word.isalpha():
        return ((word, False),)
    prefixes = sorted({s for s in stems(word) if len(s) >= MIN_PREFIX})
    minimal = [p for p in prefixes if not any(q != p and p.startswith(q) for q in prefixes)]
    out = [(p, True) for p in minimal]
    if not any(word.startswith(p) for p in minimal):
        out.insert(0, (word, False))
        if not minimal and len(word) < MIN_PREFIX + 2:
            out.extend((plural, False) for plural in (word + "s", word + "es"))
    return tuple(out)


def is_stop_word(word: str) -> bool:
    """Return True for a function word of English, French or Spanish."""
    return word in STOP_WORDS
