"""Full-text search and facets over recommendations: one interface, two engines.

SQLite (the default database) uses an FTS5 external-content table kept in step by triggers
(migration 0002_fulltext); PostgreSQL uses its own full-text search over a stored tsvector
column with a GIN index (0003_search_speed, which replaced 0002's expression index). Callers
never see the difference: they pass the user's query as typed and get a ranked QuerySet back.
Facet counts are cached, keyed by the filters and data_version() (see docs/web-and-api.md).

Query syntax (the same on both engines, and safe for any input):
  words            all of them (AND), in any order; accents and case are ignored on SQLite
  "a phrase"       the words next to each other
  one OR two       either
  -word, -"a b"    exclude
  ratif*           words starting with "ratif"
Everything else (brackets, colons, quotes left open, operators of either engine) is treated as
plain text, so user input can never break the engine's query syntax.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from rightstrack.formats import records
from rightstrack.lib import wordforms
from rightstrack.recommendations.models import (
    ACTION_CATEGORY_NAMES,
    Body,
    Country,
    Label,
    Mechanism,
    Recommendation,
    Term,
)

#: The FTS5 table (SQLite) and the GIN index (PostgreSQL) made by migration 0002_fulltext.
FTS_TABLE = "recommendations_recommendation_fts"
PG_INDEX = "rec_text_tsv"
#: Labels that count in facets and filters, and the partial index that serves them.
LIVE_LABEL_CONDITION = "review_state <> 'rejected'"
LIVE_LABEL_INDEX = "label_live_term_rec"
#: Indexes of migration 0003_search_speed: the labels of a set of recommendations (and of
#: one term) without reading the label table, every column facet of the recommendations
#: matching a mechanism without reading the recommendations table, and ordered result pages.
SPEED_INDEXES = {
    "label_live_rec_term_state": (
        "recommendations_label (recommendation_id, term_id, review_state) "
        "WHERE review_state <> 'rejected'"
    ),
    "label_live_term_rec_state": (
        "recommendations_label (term_id, recommendation_id, review_state) "
        "WHERE review_state <> 'rejected'"
    ),
    "rec_facets": (
        "recommendations_recommendation (mechanism, country_id, body_id, cycle, year, position)"
    ),
    # Newest-first result pages of a cycle or a position without sorting every match.
    "rec_cycle_year": "recommendations_recommendation (cycle, year)",
    "rec_position_year": "recommendations_recommendation (position, year)",
    # The analysis facets over a set of recommendations without reading the analysis table
    # (added by 0004_analysis_facets).
    "analysis_facets": (
        "recommendations_analysis (recommendation_id, action_category, protection_relevant)"
    ),
}
#: PostgreSQL: newest-first result pages, whole or filtered by a column, read in index order.
#: ORDER BY year DESC, id DESC LIMIT 25 over an index on (year) alone reads every row of the
#: newest year (13,000 at 270,000 recommendations) to sort them by id; with id in the index it
#: reads 25. SQLite needs none of these: every SQLite index ends with the rowid (the id).
PG_ORDER_INDEXES = {
    "rec_year_id": "recommendations_recommendation (year, id)",
    "rec_mechanism_year_id": "recommendations_recommendation (mechanism, year, id)",
    "rec_country_year_id": "recommendations_recommendation (country_id, year, id)",
    "rec_body_year_id": "recommendations_recommendation (body_id, year, id)",
    "rec_cycle_year_id": "recommendations_recommendation (cycle, year, id)",
    "rec_position_year_id": "recommendations_recommendation (position, year, id)",
}
#: Tables whose rows facet counts depend on: any change to them changes data_version().
VERSIONED_TABLES = (
    "recommendations_recommendation",
    "recommendations_recommendation_recommending_states",
    "recommendations_label",
    "recommendations_term",
    "recommendations_taxonomy",
    "recommendations_country",
    "recommendations_body",
    "recommendations_analysis",
)
VERSION_TABLE = "rightstrack_search_version"
CHANGE_TABLE = "rightstrack_search_change"
#: How long cached facet counts live. Staleness is handled by the data version in the key;
#: this only bounds how long unused entries take memory.
FACET_CACHE_SECONDS = 24 * 3600
#: One text search configuration for index and query: "simple" (no stemming: word forms are
#: the query's work, lib.wordforms) with accents removed by the unaccent extension, so that it
#: behaves like FTS5's unicode61 tokenizer with remove_diacritics and both databases give the
#: same answers. Made by ensure_pg_config (0008_search_forms).
PG_CONFIG = "rightstrack_fold"
#: PostgreSQL: the text's tsvector, stored by 0003_search_speed (a generated column the ORM
#: never sees) with its GIN index, so ts_rank does not parse every matching text again.
PG_TSV_COLUMN = "text_tsv"
PG_TSV_INDEX = "rec_text_tsv_stored"

#: Every filter filter_recommendations understands, in the order pages show them as facets.
FACETS = (
    "mechanism",
    "body",
    "country",
    "cycle",
    "year",
    "position",
    "protection",
    "action",
    "theme",
    "group",
    "sdg",
)
FILTERS = (*FACETS, "recommending_state", "language", "follow_up")
#: The taxonomies behind the label facets (slugs from formats.records).
LABEL_FACETS: dict[str, tuple[str, ...]] = {
    "theme": (records.THEMES, records.LEGACY_THEMES),
    "group": (records.GROUPS_OF_PERSONS,),
    "sdg": (records.SDG_GOALS, records.SDG_TARGETS),
}
#: Facets read from the analysis of each recommendation (the analysis table's columns).
ANALYSIS_FACETS = {"action": "action_category", "protection": "protection_relevant"}
#: How the protection filter is written in URLs: only "yes" is a facet value.
YES, NO = "yes", "no"
_BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
#: PostgreSQL working memory for one facet count query (see _counts_filtered).
PG_FACET_WORK_MEM = "32MB"
#: How many values a facet lists before "more".
FACET_LIMIT = 10
#: Longest query accepted, and most terms used from it: a bound on the work one request can ask.
MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
#: Position "" (no position: not a UPR recommendation, or not known) as written in URLs.
NO_POSITION = "none"


class InvalidFilter(Exception):
    """A filter value that cannot mean anything (a year that is not a number, an unknown
    position). The message is one line, for people."""


# ---------------------------------------------------------------------------------------------
# Query parsing


_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Phrase:
    """Words that must appear next to each other; the last one may be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass
class ParsedQuery:
    """A query as a list of OR-groups that must all match, and phrases that must not."""

    must: list[list[Phrase]] = field(default_factory=list)
    exclude: list[Phrase] = field(default_factory=list)
    #: What the user typed for each group of *must*, for hints ("older", "a OR b").
    typed: list[str] = field(default_factory=list)
    #: Stop words left out of the query.
    ignored: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.must or self.exclude)

    def words(self) -> list[tuple[str, bool]]:
        """Return (folded word, is prefix) for every word to highlight."""
        out = []
        for group in self.must:
            for phrase in group:
                for i, word in enumerate(phrase.words):
                    out.append((fold(word), phrase.prefix and i == len(phrase.words) - 1))
        return out


def fold(word: str) -> str:
    """Return *word* lower-cased without accents, as FTS5's remove_diacritics does."""
    text = unicodedata.normalize("NFKD", word)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def parse_query(query: str) -> ParsedQuery:
    """Return the parsed form of the user's *query*; never raises.

    Words are split the way the engines split text (letters and digits), so every phrase the
    engines receive is made of plain words only. A bare word stands for any of its forms in
    English, French and Spanish (lib.wordforms: "stateless" finds "statelessness"); a quoted
    phrase and a word ending in * are taken as typed. Stop words ("in", "de") are left out
    unless the query has nothing else.
    """
    parsed = ParsedQuery()
    pending_or = False
    count = 0
    stopped: list[tuple[str, Phrase]] = []
    for match in _TOKEN.finditer((query or "")[:MAX_QUERY_LENGTH]):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        prefix = False
        if bare is not None:
            if bare == "OR":
                pending_or = bool(parsed.must)
                continue
            if bare.startswith("-") and len(bare) > 1:
                negated, bare = "-", bare[1:]
            prefix = bare.endswith("*")
            text = bare
        else:
            text = quoted
            prefix = match.group(0).endswith('"*')
        words = tuple(w.lower() for w in _WORD.findall(text))
        if not words:
            continue
        count += 1
        if count > MAX_TERMS:
            break
        phrase = Phrase(words, prefix)
        if phrase in parsed.exclude or any(phrase in group for group in parsed.must):
            continue  # "a* a* a* ..." asks nothing more than "a*"
        if negated:
            parsed.exclude.append(phrase)
            pending_or = False
            continue
        alternatives = [phrase]
        if bare is not None and len(words) == 1 and not prefix:
            if wordforms.is_stop_word(words[0]) and not pending_or:
                stopped.append((text, phrase))
                continue
            alternatives = [Phrase((w,), p) for w, p in wordforms.forms(words[0])]
        if pending_or:
            parsed.must[-1].extend(alternatives)
            parsed.typed[-1] += f" OR {text}"
            pending_or = False
        else:
            parsed.must.append(alternatives)
            parsed.typed.append(text)
    if not parsed.must and stopped:
        # Only stop words: look for them as typed rather than for nothing.
        for text, phrase in stopped:
            parsed.must.append([phrase])
            parsed.typed.append(text)
        stopped = []
    parsed.ignored = [text for text, _ in stopped]
    return parsed


def _fts5_phrase(phrase: Phrase) -> str:
    # Words hold only letters and digits, so quoting cannot be escaped out of.
    return '"' + " ".join(phrase.words) + '"' + ("*" if phrase.prefix else "")


def _fts5_any(phrases: Sequence[Phrase]) -> str:
    if len(phrases) == 1:
        return _fts5_phrase(phrases[0])
    return "(" + " OR ".join(_fts5_phrase(p) for p in phrases) + ")"


def to_fts5(must: Sequence[Sequence[Phrase]], exclude: Sequence[Phrase] = ()) -> str:
    """Return the FTS5 MATCH expression for *must* groups, minus *exclude* (needs a *must*)."""
    expr = " AND ".join(_fts5_any(group) for group in must)
    if exclude:
        expr = f"({expr}) NOT {_fts5_any(exclude)}"
    return expr


def _ts_phrase(phrase: Phrase) -> str:
    words = list(phrase.words)
    if phrase.prefix:
        words[-1] += ":*"
    text = " <-> ".join(words)
    return f"({text})" if len(words) > 1 else text


def _ts_any(phrases: Sequence[Phrase]) -> str:
    if len(phrases) == 1:
        return _ts_phrase(phrases[0])
    return "(" + " | ".join(_ts_phrase(p) for p in phrases) + ")"


def to_tsquery(must: Sequence[Sequence[Phrase]], exclude: Sequence[Phrase] = ()) -> str:
    """Return the PostgreSQL to_tsquery text for *must* groups, minus *exclude*."""
    expr = " & ".join(_ts_any(group) for group in must)
    if exclude:
        expr = f"({expr}) & !{_ts_any(exclude)}"
    return expr


# ---------------------------------------------------------------------------------------------
# Full-text matching


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _stored_tsvector(text_sql: str) -> str:
    """Return the stored tsvector column (0003_search_speed) next to *text_sql*'s column.

    Compiling F("text") gives the column with whatever alias the query uses for the table
    (U0 inside a subquery), so the generated column is named by swapping the column name.
    """
    if not text_sql.endswith('"text"'):
        raise ValueError(f"expected the text column, got {text_sql}")
    return text_sql[: -len('"text"')] + f'"{PG_TSV_COLUMN}"'


class _TsMatch(Func):
    """PostgreSQL: stored tsvector @@ query, served by the GIN index of 0003_search_speed."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        sql = f"{_stored_tsvector(text_sql)} @@ to_tsquery('{PG_CONFIG}', {query_sql})"
        return sql, [*text_params, *query_params]


class _TsRank(Func):
    """PostgreSQL: ts_rank over the stored tsvector (no re-parsing of every matching text)."""

    output_field = FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        sql = f"ts_rank({_stored_tsvector(text_sql)}, to_tsquery('{PG_CONFIG}', {query_sql}))"
        return sql, [*text_params, *query_params]


def _matching_ids(must: Sequence[Sequence[Phrase]], exclude: Sequence[Phrase] = ()) -> Any:
    """Return a subquery of the ids of recommendations matching *must* minus *exclude*."""
    if _is_postgres():
        return (
            Recommendation.objects.order_by()
            .filter(_TsMatch(F("text"), Value(to_tsquery(must, exclude))))
            .values("id")
        )
    return RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [to_fts5(must, exclude)]
    )


def ids_subquery(queryset: QuerySet) -> RawSQL:
    """Return `SELECT id ...` of *queryset* for use in `field__in=`.

    Use this rather than `field__in=queryset` for a ranked search on SQLite: its join of the
    FTS5 table is raw SQL that Django cannot re-alias inside a subquery.
    """
    sql, params = queryset.order_by().values("id").query.sql_with_params()
    return RawSQL(sql, params)


def apply_fulltext(queryset: QuerySet, query: str | ParsedQuery, *, rank: bool = True) -> QuerySet:
    """Return *queryset* narrowed to the recommendations matching *query*.

    With *rank*, the best matches come first (bm25 on SQLite, ts_rank on PostgreSQL) and
    each row carries `rank` (bigger is better on both); pass such a queryset to other
    queries through ids_subquery. An empty query returns *queryset* unchanged.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    if not parsed:
        return queryset
    if not parsed.must:
        # Only things to leave out: neither engine can start a query from a NOT.
        return queryset.exclude(id__in=_matching_ids([parsed.exclude]))
    if not rank:
        return queryset.filter(id__in=_matching_ids(parsed.must, parsed.exclude))
    if _is_postgres():
        tsquery = Value(to_tsquery(parsed.must, parsed.exclude))
        return (
            queryset.filter(_TsMatch(F("text"), tsquery))
            .annotate(rank=_TsRank(F("text"), tsquery))
            .order_by("-rank", "id")
        )
    # SQLite: join the FTS5 table so that MATCH drives the query and bm25 is computed once
    # per row. FTS5's rank is bm25, smaller is better: negate it so bigger is better everywhere.
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = recommendations_recommendation.id", f"{FTS_TABLE} MATCH %s"],
        params=[to_fts5(parsed.must, parsed.exclude)],
        select={"rank": f"-{FTS_TABLE}.rank"},
    ).order_by("-rank", "id")


@dataclass(frozen=True)
class Hint:
    """A query that finds something when the typed one finds nothing."""

    query: str
    count: int
    dropped: str


#: Most words a hint tries leaving out (one count query each).
MAX_HINT_TRIES = 6


def no_result_hint(queryset: QuerySet, query: str | ParsedQuery) -> Hint | None:
    """Return the closest query that matches when *query* matches nothing in *queryset*.

    "Closest" is the query without one of its words (the one whose removal finds the most),
    within the same filters (*queryset*). None when the query has a single word or when no
    such query finds anything either. Costs one count per word, up to MAX_HINT_TRIES.
    *query* may be already parsed (parse_query), so that a request parses it once.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    if len(parsed.must) < 2:
        return None
    best: Hint | None = None
    for i in range(min(len(parsed.must), MAX_HINT_TRIES)):
        reduced = ParsedQuery(
            must=parsed.must[:i] + parsed.must[i + 1 :],
            exclude=parsed.exclude,
            typed=parsed.typed[:i] + parsed.typed[i + 1 :],
        )
        count = apply_fulltext(queryset, reduced, rank=False).count()
        if count and (best is None or count > best.count):
            kept = [t if " " not in t or " OR " in t else f'"{t}"' for t in reduced.typed]
            best = Hint(query=" ".join(kept), count=count, dropped=parsed.typed[i])
    return best


# ---------------------------------------------------------------------------------------------
# Filters


def _values(value: Any) -> list[str]:
    """Return *value* (None, a string, a number or a sequence of them) as a list of strings."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, int)):
        return [str(value)]
    return [str(v) for v in value if v is not None and str(v) != ""]


#: The largest number a numeric filter takes (years, cycles, categories): any more cannot
#: match, and would not fit the database's integers.
MAX_FILTER_NUMBER = 99_999


def _ints(name: str, value: Any) -> list[int]:
    out = []
    for v in _values(value):
        text = str(v).strip()
        # ASCII digits only: int() also reads "٣" but str.isdigit() also says yes to "²".
        if not (text.isascii() and text.lstrip("-").isdigit()):
            raise InvalidFilter(
                _("%(name)s must be a number, not %(value)r") % {"name": name, "value": v}
            )
        if len(text) > 6 or abs(int(text)) > MAX_FILTER_NUMBER:
            raise InvalidFilter(
                _("%(name)s is out of range: %(value)s")
                % {"name": name, "value": text if len(text) <= 12 else text[:12] + "…"}
            )
        out.append(int(text))
    return out


def label_filter(slugs: Sequence[str], values: Sequence[str]) -> QuerySet:
    """Return the ids of recommendations labelled with any term in *values* of *slugs*.

    A value is a term's code or its name. An SDG goal ("5") also matches its targets ("5.2").
    Rejected suggestions do not count.
    """
    terms = Term.objects.filter(taxonomy__slug__in=slugs)
    match = Q(code__in=values) | Q(name__in=values)
    if records.SDG_GOALS in slugs:
        for goal in values:
            if goal.isdigit():
                match |= Q(code__startswith=f"{goal}.")
    return (
        Label.objects.filter(term_id__in=terms.filter(match).values("id"))
        .extra(where=[LIVE_LABEL_CONDITION])
        .values("recommendation_id")
    )


def filter_recommendations(
    queryset: QuerySet | None = None,
    *,
    query: str | ParsedQuery = "",
    country: Any = None,
    body: Any = None,
    mechanism: Any = None,
    cycle: Any = None,
    year: Any = None,
    theme: Any = None,
    group: Any = None,
    sdg: Any = None,
    position: Any = None,
    recommending_state: Any = None,
    language: Any = None,
    follow_up: bool | None = None,
    protection: Any = None,
    action: Any = None,
    rank: bool = True,
) -> QuerySet:
    """Return *queryset* (all recommendations by default) narrowed by *query* and the filters.

    Each filter takes one value or a list of them: values of one filter are alternatives (OR),
    different filters must all hold (AND). Countries and recommending States are ISO alpha-3
    codes, bodies their codes, themes/groups/SDGs term codes or names, positions
    `supported`, `noted`, `supported_in_part` or `none`, *protection* `yes` (relevant to people
    affected by displacement, conflict or disaster, as analysed) or `no`, *action* an action
    category 1-5. With a query and *rank*, the best
    matches come first. Raises InvalidFilter for a value that cannot mean anything; never
    raises for any query text.
    """
    qs = Recommendation.objects.all() if queryset is None else queryset
    if countries := _values(country):
        qs = qs.filter(country__code__in=[c.upper() for c in countries])
    if bodies := _values(body):
        qs = qs.filter(body__code__in=bodies)
    if mechanisms := _values(mechanism):
        unknown = [m for m in mechanisms if m not in Mechanism.values]
        if unknown:
            raise InvalidFilter(_("unknown mechanism %(value)r") % {"value": unknown[0]})
        qs = qs.filter(mechanism__in=mechanisms)
    if cycles := _ints("cycle", cycle):
        qs = qs.filter(cycle__in=cycles)
    if years := _ints("year", year):
        qs = qs.filter(year__in=years)
    if positions := _values(position):
        stored = ["" if p == NO_POSITION else p for p in positions]
        unknown = [p for p in stored if p not in Recommendation.Position.values]
        if unknown:
            raise InvalidFilter(_("unknown position %(value)r") % {"value": unknown[0]})
        qs = qs.filter(position__in=stored)
    for name, value in (("theme", theme), ("group", group), ("sdg", sdg)):
        if values := _values(value):
            qs = qs.filter(id__in=label_filter(LABEL_FACETS[name], values))
    if states := _values(recommending_state):
        qs = qs.filter(
            id__in=Recommendation.recommending_states.through.objects.filter(
                country__code__in=[s.upper() for s in states]
            ).values("recommendation_id")
        )
    if languages := _values(language):
        qs = qs.filter(language__in=languages)
    if follow_up is not None:
        qs = qs.filter(follow_up=follow_up)
    if protections := _values(protection):
        wanted = set()
        for value in protections:
            if value.lower() not in _BOOLEANS:
                raise InvalidFilter(
                    _("protection must be yes or no, not %(value)r") % {"value": value}
                )
            wanted.add(_BOOLEANS[value.lower()])
        if len(wanted) == 1:
            qs = qs.filter(analysis__protection_relevant=wanted.pop())
    if categories := _ints("action", action):
        unknown = [c for c in categories if c not in ACTION_CATEGORY_NAMES]
        if unknown:
            raise InvalidFilter(
                _("action category must be 1 to 5, not %(value)r") % {"value": unknown[0]}
            )
        qs = qs.filter(analysis__action_category__in=categories)
    return apply_fulltext(qs, query, rank=rank)


def filters_from_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Return filter_recommendations keyword arguments from a QueryDict or a plain dict.

    Repeated parameters (?country=FRA&country=DEU) become lists; empty ones are dropped.
    """
    out: dict[str, Any] = {}
    getlist = getattr(params, "getlist", None)
    for name in FILTERS:
        if name == "follow_up":
            raw = params.get(name)
            if raw in ("true", "1", "on"):
                out[name] = True
            elif raw in ("false", "0"):
                out[name] = False
            continue
        values = getlist(name) if getlist else _values(params.get(name))
        values = [v.strip() for v in values if v and v.strip()]
        if values:
            out[name] = values
    query = (params.get("q") or "").strip()
    if query:
        out["query"] = query
    return out


# ---------------------------------------------------------------------------------------------
# Facets


@dataclass(frozen=True)
class FacetValue:
    value: str  #: what goes in the URL (?country=FRA)
    label: str  #: what people read
    count: int


class FacetList(list):  # type: ignore[type-arg]
    """The top values of one facet, most frequent first; `more` when some were left off."""

    more: bool = False


_COLUMN_FACETS = {
    "country": "country_id",
    "body": "body_id",
    "mechanism": "mechanism",
    "cycle": "cycle",
    "year": "year",
    "position": "position",
}


def _is_unfiltered(queryset: QuerySet) -> bool:
    query = queryset.query
    return not query.where and not query.extra_tables and not query.extra


def _terms_sql(name: str) -> tuple[str, tuple[Any, ...]]:
    return (
        Term.objects.filter(taxonomy__slug__in=LABEL_FACETS[name])
        .values("id")
        .query.sql_with_params()
    )


def _counts_unfiltered(names: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
    """Count every value over all recommendations: one index scan per facet."""
    out: dict[str, list[tuple[str, int]]] = {}
    with connection.cursor() as cursor:
        for name in names:
            if name in _COLUMN_FACETS:
                column = _COLUMN_FACETS[name]
                cursor.execute(
                    f"SELECT {column}, COUNT(*) FROM recommendations_recommendation "
                    f"WHERE {column} IS NOT NULL GROUP BY {column}"
                )
            elif name in ANALYSIS_FACETS:
                continue
            else:
                terms_sql, terms_params = _terms_sql(name)
                # Driven by the partial index (term, recommendation) of live labels.
                cursor.execute(
                    f"SELECT term_id, COUNT(DISTINCT recommendation_id) FROM recommendations_label "
                    f"WHERE term_id IN ({terms_sql}) AND {LIVE_LABEL_CONDITION} GROUP BY term_id",
                    terms_params,
                )
            out[name] = [(str(value), n) for value, n in cursor.fetchall()]
        # Over everything, each analysis facet has its own index (category; protection flag).
        if "action" in names:
            cursor.execute(
                "SELECT CAST(action_category AS TEXT), COUNT(*) FROM recommendations_analysis "
                "WHERE action_category IS NOT NULL GROUP BY action_category"
            )
            out["action"] = list(cursor.fetchall())
        if "protection" in names:
            cursor.execute(
                "SELECT COUNT(*) FROM recommendations_analysis WHERE protection_relevant = %s",
                [True],
            )
            out["protection"] = [(YES, cursor.fetchone()[0])]
    return out


#: Both analysis facets in one pass over matching recommendations (through the covering index
#: analysis_facets): the category and the protection flag of each, as "4:1".
_ANALYSIS_PAIR = (
    "COALESCE(CAST(a.action_category AS TEXT), '') || ':' || "
    "CASE WHEN a.protection_relevant THEN '1' ELSE '0' END"
)


def _split_analysis_counts(
    rows: Iterable[tuple[str, int]], names: Sequence[str]
) -> dict[str, list[tuple[str, int]]]:
    """Return the action and protection facets from (category:flag, count) rows."""
    categories: dict[str, int] = {}
    protected = 0
    for pair, n in rows:
        category, _sep, flag = pair.partition(":")
        if category:
            categories[category] = categories.get(category, 0) + n
        if flag == "1":
            protected += n
    # Only "yes" is worth a checkbox: "no" is the rest.
    counts = {"action": list(categories.items()), "protection": [(YES, protected)]}
    return {name: counts[name] for name in names}


def _counts_filtered(queryset: QuerySet, names: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
    """Count every value over *queryset* in ONE query.

    The matching rows are materialised once (so a full-text match runs once, not once per
    facet), then grouped per facet. Label facets start from the matching recommendations
    (CROSS JOIN fixes that order on SQLite) and use the partial index (recommendation, term).
    """
    columns = ["id", *dict.fromkeys(_COLUMN_FACETS[n] for n in names if n in _COLUMN_FACETS)]
    ids_sql, ids_params = queryset.order_by().values(*columns).query.sql_with_params()
    parts, params = [], list(ids_params)
    for name in names:
        if name in _COLUMN_FACETS:
            column = _COLUMN_FACETS[name]
            parts.append(
                f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*) FROM m "
                f"WHERE {column} IS NOT NULL GROUP BY {column}"
            )
    analysed = [name for name in names if name in ANALYSIS_FACETS]
    if analysed:
        parts.append(
            f"SELECT 'analysis', {_ANALYSIS_PAIR}, COUNT(*) FROM m CROSS JOIN "
            "recommendations_analysis a WHERE a.recommendation_id = m.id "
            "GROUP BY a.action_category, a.protection_relevant"
        )
    label_names = [name for name in names if name in LABEL_FACETS]
    if label_names:
        # All label facets in one pass over the matching recommendations' labels: each
        # recommendation's labels sit together in the index (recommendation, term).
        parts.append(
            "SELECT 'label', CAST(l.term_id AS TEXT), COUNT(DISTINCT l.recommendation_id) "
            "FROM m CROSS JOIN recommendations_label l WHERE l.recommendation_id = m.id "
            f"AND l.{LIVE_LABEL_CONDITION} GROUP BY l.term_id"
        )
    sql = f"WITH m ({', '.join(columns)}) AS MATERIALIZED ({ids_sql}) " + " UNION ALL ".join(parts)
    out: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if _is_postgres():
            # Grouping 100,000 labels of the matches spills to disk at PostgreSQL's default
            # 4 MB; this query alone may use more (SET LOCAL ends with the transaction).
            cursor.execute(f"SET LOCAL work_mem = '{PG_FACET_WORK_MEM}'")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_term: dict[str, int] = {}
    pairs = []
    for name, value, n in rows:
        if name == "label":
            by_term[value] = n
        elif name == "analysis":
            pairs.append((value, n))
        else:
            out[name].append((value, n))
    if analysed:
        out.update(_split_analysis_counts(pairs, analysed))
    if by_term:
        slugs = {slug: name for name in label_names for slug in LABEL_FACETS[name]}
        for term_id, slug in Term.objects.filter(
            id__in=[int(t) for t in by_term], taxonomy__slug__in=slugs
        ).values_list("id", "taxonomy__slug"):
            out[slugs[slug]].append((str(term_id), by_term[str(term_id)]))
    return out


def cached_count(queryset: QuerySet) -> int:
    """Return queryset.count(), from the cache when the same filters were counted on the same
    data (keyed like the facet counts: the SQL with its parameters and data_version())."""
    version = data_version()
    if version is None or queryset.query.is_empty():
        return queryset.count()
    sql_text, params = queryset.order_by().values("id").query.sql_with_params()
    digest = hashlib.sha256(
        f"{connection.alias}|{version}|count|{sql_text}|{params!r}".encode()
    ).hexdigest()
    key = f"rightstrack:count:{digest}"
    found = cache.get(key)
    if found is None:
        found = queryset.count()
        cache.set(key, found, FACET_CACHE_SECONDS)
    return found


def _cached_counts(queryset: QuerySet, names: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
    """Return the raw counts of *names* over *queryset*, from the cache when they are there.

    The key is the queryset's SQL with its parameters (the filters, normalised by the ORM),
    the facets and data_version(): any write to the tables counts depend on changes the
    version, so an entry can never be read after the data it was counted from has changed.
    Nothing is cached when the version cannot be read (an unmigrated database).
    """
    version = data_version()
    key = None
    if version is not None:
        if _is_unfiltered(queryset):
            sql = "*"
        else:
            sql_text, params = queryset.order_by().values("id").query.sql_with_params()
            sql = f"{sql_text}|{params!r}"
        digest = hashlib.sha256(
            f"{connection.alias}|{version}|{','.join(names)}|{sql}".encode()
        ).hexdigest()
        key = f"rightstrack:facets:{digest}"
        found = cache.get(key)
        if found is not None:
            return found
    if _is_unfiltered(queryset):
        counts = _counts_unfiltered(names)
    else:
        counts = _counts_filtered(queryset, names)
    if key is not None:
        cache.set(key, counts, FACET_CACHE_SECONDS)
    return counts


def _sorted(name: str, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if name in ("year", "cycle", "action"):
        # Years read best newest first, cycles and categories in order; there are few of each.
        key = int if name in ("cycle", "action") else (lambda v: -int(v))
        return sorted(rows, key=lambda r: key(r[0]))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def facet_counts(
    queryset: QuerySet, facets: Sequence[str] = FACETS, *, limit: int | None = FACET_LIMIT
) -> dict[str, FacetList]:
    """Return, for each facet, its most frequent values among *queryset* with their counts.

    A fixed number of queries whatever the number of rows: one for all the counts (one per
    facet over the whole table, where indexes answer each), then one per facet that needs
    names (countries, bodies, terms). At most *limit* values per facet (None for all);
    `FacetList.more` says some were left off. Recommendations without a value (no cycle, no
    position) are not counted; labels a person rejected are not either.
    """
    unknown = [
        name
        for name in facets
        if name not in _COLUMN_FACETS and name not in LABEL_FACETS and name not in ANALYSIS_FACETS
    ]
    if unknown:
        raise InvalidFilter(_("unknown facet %(name)r") % {"name": unknown[0]})
    if not facets:
        return {}
    counts = _cached_counts(queryset, facets)
    tops: dict[str, tuple[list[tuple[str, int]], bool]] = {}
    for name in facets:
        rows = [(v, n) for v, n in counts[name] if n and not (name == "position" and v == "")]
        rows = _sorted(name, rows)
        more = limit is not None and len(rows) > limit
        tops[name] = (rows[:limit] if more else rows, more)
    out = {name: _label_values(name, *tops[name]) for name in facets}
    for name, values in out.items():
        if name not in ("year", "cycle", "action"):
            # Equal counts read best in alphabetical order.
            values.sort(key=lambda f: (-f.count, f.label.casefold()))
    return out


#: Facets whose values in URLs are the values stored, so their labels need no lookup by id.
_PLAIN_VALUE_FACETS = ("mechanism", "cycle", "year", "position", "action", "protection")


def selected_value(name: str, value: str) -> FacetValue:
    """Return a selected *value* of facet *name* that no matching recommendation has (count
    0), named as the counts name it where the value alone says what it is."""
    if name in _PLAIN_VALUE_FACETS:
        return _label_values(name, [(value, 0)], more=False)[0]
    return FacetValue(value, value, 0)


def _label_values(name: str, rows: list[tuple[str, int]], more: bool) -> FacetList:
    """Return *rows* of (stored value, count) as FacetValues people can read."""
    out = FacetList()
    out.more = more
    ids = [int(v) for v, _n in rows] if name in ("country", "body") or name in LABEL_FACETS else []
    if name == "country":
        found = {
            str(pk): (code, label)
            for pk, code, label in Country.objects.filter(id__in=ids).values_list(
                "id", "code", "name"
            )
        }
        out.extend(FacetValue(*found[v], n) for v, n in rows)
    elif name == "body":
        found = {
            str(body.pk): (body.code, body.label)
            for body in Body.objects.filter(id__in=ids).only("id", "code", "name", "mechanism")
        }
        out.extend(FacetValue(*found[v], n) for v, n in rows)
    elif name == "mechanism":
        out.extend(
            FacetValue(v, str(Mechanism(v).label) if v in Mechanism.values else v, n)
            for v, n in rows
        )
    elif name == "position":
        labels = dict(Recommendation.Position.choices)
        out.extend(FacetValue(v, str(labels.get(v, v)), n) for v, n in rows)
    elif name == "cycle":
        out.extend(FacetValue(v, _("Cycle %(n)s") % {"n": v}, n) for v, n in rows)
    elif name == "action":
        out.extend(
            FacetValue(v, f"{v} · {ACTION_CATEGORY_NAMES.get(int(v), '')}", n) for v, n in rows
        )
    elif name == "protection":
        out.extend(
            FacetValue(v, _("Relevant to displacement, conflict or disaster"), n) for v, n in rows
        )
    elif name in LABEL_FACETS:
        terms = {str(t.id): t for t in Term.objects.filter(id__in=ids)}
        for v, n in rows:
            term = terms[v]
            if name == "sdg":
                label = _("SDG %(code)s") % {"code": term.code} if term.code else term.name
                out.append(FacetValue(term.code or term.name, label, n))
            else:
                out.append(FacetValue(term.name, term.name, n))
    else:
        out.extend(FacetValue(v, v, n) for v, n in rows)
    return out


def search_facets(
    filters: Mapping[str, Any],
    *,
    queryset: QuerySet | None = None,
    facets: Sequence[str] = FACETS,
    limit: int | None = FACET_LIMIT,
    expand: Iterable[str] = (),
) -> dict[str, FacetList]:
    """Return facet_counts for a search by *filters* (filter_recommendations arguments).

    A facet that is itself filtered is counted without its own filter, so that people can
    see and add the other values of that facet (?country=FRA&country=DEU). Facets named in
    *expand* list all their values.
    """
    expand = set(expand)
    base = filter_recommendations(queryset, **filters, rank=False)
    plain = [f for f in facets if not filters.get(f)]
    out = facet_counts(base, [f for f in plain if f not in expand], limit=limit)
    out.update(facet_counts(base, [f for f in plain if f in expand], limit=None))
    for name in facets:
        if filters.get(name):
            others = {k: v for k, v in filters.items() if k != name}
            qs = filter_recommendations(queryset, **others, rank=False)
            out.update(facet_counts(qs, [name], limit=None if name in expand else limit))
    return {name: out[name] for name in facets}


# ---------------------------------------------------------------------------------------------
# Highlighting (in Python, so both engines show the same snippets)


def highlight_spans(text: str, parsed: ParsedQuery) -> list[tuple[int, int]]:
    """Return the (start, end) spans of *text* that the query's words match."""
    words = parsed.words()
    if not words:
        return []
    exact = {w for w, prefix in words if not prefix}
    prefixes = tuple(w for w, prefix in words if prefix)
    spans = []
    for match in _WORD.finditer(text):
        token = fold(match.group(0))
        if token in exact or (prefixes and token.startswith(prefixes)):
            spans.append(match.span())
    return spans


# ---------------------------------------------------------------------------------------------
# Schema (used by migration 0002_fulltext and by the post_migrate check in front.apps)

_SQLITE_TRIGGERS = {
    "recommendation_fts_insert": (
        f"AFTER INSERT ON recommendations_recommendation BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    ),
    "recommendation_fts_delete": (
        f"AFTER DELETE ON recommendations_recommendation BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "
        f"VALUES ('delete', old.id, old.text); END"
    ),
    "recommendation_fts_update": (
        f"AFTER UPDATE OF text ON recommendations_recommendation BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    ),
}


def _create_fulltext_indexes(cursor: Any, vendor: str) -> None:
    """Create 0002's indexes: live labels by term, and PostgreSQL's text expression index."""
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {LIVE_LABEL_INDEX} ON recommendations_label "
        f"(term_id, recommendation_id) WHERE review_state <> 'rejected'"
    )
    if vendor == "postgresql":
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON recommendations_recommendation "
            f"USING GIN (to_tsvector('{PG_CONFIG}', text))"
        )


def ensure_pg_config(cursor: Any) -> None:
    """PostgreSQL: create PG_CONFIG (simple + unaccent) unless it exists."""
    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
    if cursor.fetchone():
        return
    cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple)")
    cursor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR "
        "asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple"
    )


def create_fulltext(conn: Any) -> None:
    """Create the full-text index for *conn*'s database and fill it from existing rows."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            ensure_pg_config(cursor)
        _create_fulltext_indexes(cursor, conn.vendor)
        if conn.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(text, "
                f"content='recommendations_recommendation', content_rowid='id', "
                f"tokenize='unicode61 remove_diacritics 2')"
            )
            for name, body in _SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def drop_fulltext(conn: Any) -> None:
    """Drop what create_fulltext made."""
    with conn.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {LIVE_LABEL_INDEX}")
        if conn.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        elif conn.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def repair_after_table_change(apps: Any, schema_editor: Any) -> None:
    """RunPython step for any migration that changes the recommendations table.

    SQLite rebuilds a table to add a column with a default or to alter one, which drops the
    table's triggers (full-text and data version) and the indexes Django does not know of.
    End such a migration with `migrations.RunPython(repair_after_table_change, noop)`.
    """
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        create_fulltext(conn)
    create_search_speed(conn)


def ensure_fulltext(conn: Any) -> bool:
    """Recreate the SQLite triggers (full-text and data version) if a migration dropped them.

    SQLite has no ALTER TABLE for most changes, so Django rebuilds the recommendations table,
    which drops its triggers. Return True when something had to be repaired.
    """
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
    if "recommendations_recommendation" not in present or FTS_TABLE not in present:
        return False
    repaired = False
    if not all(name in present for name in _SQLITE_TRIGGERS):
        create_fulltext(conn)
        repaired = True
    if VERSION_TABLE in present and not all(name in present for name in _sqlite_version_triggers()):
        create_search_speed(conn)
        repaired = True
    return repaired


# ---------------------------------------------------------------------------------------------
# Data version and speed indexes (migration 0003_search_speed)


def _sqlite_version_triggers(tables: Sequence[str] = VERSIONED_TABLES) -> dict[str, str]:
    out = {}
    for table in tables:
        short = table.removeprefix("recommendations_")
        for op in ("INSERT", "UPDATE", "DELETE"):
            # A random token, not a counter: a rolled-back transaction's token never comes
            # back, so counts cached inside it can never be served for other data.
            out[f"rt_version_{short}_{op.lower()}"] = (
                f"AFTER {op} ON {table} BEGIN UPDATE {VERSION_TABLE} "
                f"SET token = hex(randomblob(8)) WHERE id = 1; END"
            )
    return out


#: Transaction-local setting that statement triggers set to a fresh sequence value.
PG_VERSION_SETTING = "rightstrack.search_version"
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION rightstrack_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('{PG_VERSION_SETTING}', true), '') = '' THEN
        INSERT INTO {CHANGE_TABLE} (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
    END IF;
    PERFORM set_config('{PG_VERSION_SETTING}', nextval('{CHANGE_TABLE}_n')::text, true);
    RETURN NULL;
END $$
"""


def create_search_speed(conn: Any) -> None:
    """Create the covering indexes and the data version that facet caching keys on.

    SQLite: one row holding a random token that row triggers replace on every write (SQLite
    has one writer at a time, so the row costs no concurrency). PostgreSQL: statement
    triggers add one row per writing transaction to a log (no row is shared between
    transactions, so concurrent imports and reviews never wait on each other) and set a
    transaction-local setting to a fresh sequence value at every write; the version is the
    log's count and sum of transaction ids (they change when any writing transaction commits)
    with that setting (it changes at every write, for the writing transaction itself).
    """
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            ensure_pg_config(cursor)
        for name, target in SPEED_INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
        # The covering (term, recommendation, state) index replaces 0002's narrower one.
        cursor.execute(f"DROP INDEX IF EXISTS {LIVE_LABEL_INDEX}")
        if conn.vendor == "postgresql":
            for name, target in PG_ORDER_INDEXES.items():
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
            cursor.execute(
                f"ALTER TABLE recommendations_recommendation ADD COLUMN IF NOT EXISTS "
                f"{PG_TSV_COLUMN} tsvector GENERATED ALWAYS AS "
                f"(to_tsvector('{PG_CONFIG}', text)) STORED"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_TSV_INDEX} ON recommendations_recommendation "
                f"USING GIN ({PG_TSV_COLUMN})"
            )
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            # One row per writing transaction, never updated (updating one row at every
            # statement of a long import would pile up row versions). Inside the writing
            # transaction a local setting, from a sequence that rollbacks do not undo, tells
            # its statements apart, so even after a rolled-back savepoint the next write
            # gives a version never seen before.
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {CHANGE_TABLE}_n")
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} (txid bigint PRIMARY KEY)")
            cursor.execute(_PG_FUNCTION)
            for table in VERSIONED_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS rightstrack_search_changed ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER rightstrack_search_changed AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION rightstrack_search_changed()"
                )
        elif conn.vendor == "sqlite":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
                f"(id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL)"
            )
            cursor.execute(
                f"INSERT OR IGNORE INTO {VERSION_TABLE} (id, token) VALUES (1, hex(randomblob(8)))"
            )
            for name, body in _sqlite_version_triggers().items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        cursor.execute("ANALYZE")


def drop_search_speed(conn: Any) -> None:
    """Undo create_search_speed (restoring 0002's label index)."""
    with conn.cursor() as cursor:
        for name in (*SPEED_INDEXES, *PG_ORDER_INDEXES):
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        _create_fulltext_indexes(cursor, conn.vendor)
        if conn.vendor == "postgresql":
            cursor.execute(
                f"ALTER TABLE recommendations_recommendation DROP COLUMN IF EXISTS {PG_TSV_COLUMN}"
            )
            for table in VERSIONED_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS rightstrack_search_changed ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS rightstrack_search_changed()")
            cursor.execute(f"DROP TABLE IF EXISTS {CHANGE_TABLE}")
            cursor.execute(f"DROP SEQUENCE IF EXISTS {CHANGE_TABLE}_n")
        elif conn.vendor == "sqlite":
            for name in _sqlite_version_triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {VERSION_TABLE}")


def drop_version_triggers(conn: Any, table: str) -> None:
    """Stop *table*'s writes from changing data_version() (undoes one VERSIONED_TABLES entry)."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS rightstrack_search_changed ON {table}")
        elif conn.vendor == "sqlite":
            for name in _sqlite_version_triggers([table]):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def data_version(conn: Any = None) -> str | None:
    """Return a value that changes whenever recommendations, labels or taxonomies change.

    Any write (an import, a review decision, bulk updates and raw SQL alike, since triggers
    record it) gives a value never returned before, also after a rollback. None when the
    database has no version (not migrated to 0003): callers must then not cache.
    """
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [CHANGE_TABLE])
            if not cursor.fetchone()[0]:
                return None
            cursor.execute(
                f"SELECT count(*), coalesce(sum(txid), 0), "
                f"coalesce(current_setting('{PG_VERSION_SETTING}', true), '') FROM {CHANGE_TABLE}"
            )
        elif conn.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s",
                [VERSION_TABLE],
            )
            if not cursor.fetchone()[0]:
                return None
            cursor.execute(f"SELECT token FROM {VERSION_TABLE} WHERE id = 1")
        else:
            return None
        row = cursor.fetchone()
    return None if row is None else ":".join(str(v) for v in row)
