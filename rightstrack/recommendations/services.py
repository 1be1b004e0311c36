"""Load reference data and import recommendations into the database.

The importers in `rightstrack.formats` read files into `RecordIn` records and never touch the
database; this module is the one way those records get in. Every write is bulk and chunked so
that the full UHRI export (about 270,000 recommendations) imports in minutes, with a fixed
number of queries per chunk rather than per row.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from rightstrack.engine.progress import Progress
from rightstrack.engine.taxonomies import normalise_term
from rightstrack.formats import records as rec
from rightstrack.formats.exceptions import ImportFormatError, InputError, UnrecognisedDocument
from rightstrack.formats.records import LabelIn, RecordIn
from rightstrack.recommendations.models import (
    Body,
    Country,
    Document,
    ImportBatch,
    Label,
    Recommendation,
    RecommendationSource,
    Review,
    Taxonomy,
    Term,
)
from rightstrack.recommendations.search_index import BulkIndex, bulk_writes

NEW_TERM_SORT = 10_000
#: Taxonomies whose terms' parent_code names a term of another list (an SDG target's goal).
PARENT_TAXONOMIES = {rec.SDG_TARGETS: rec.SDG_GOALS}
TERM_CODE_MAX = Term._meta.get_field("code").max_length

#: Recommendations analysed (and committed) at a time after an import.
ANALYSIS_CHUNK = 2000

#: Rows per bulk query. Small enough for SQLite's variable limit and to keep memory flat.
CHUNK = 1000

#: The ten treaty bodies and the UPR, created by load_reference_data. Special procedures are
#: created on import, one Body per mandate.
TREATY_BODIES = {
    "CCPR": "Human Rights Committee",
    "CESCR": "Committee on Economic, Social and Cultural Rights",
    "CERD": "Committee on the Elimination of Racial Discrimination",
    "CEDAW": "Committee on the Elimination of Discrimination against Women",
    "CAT": "Committee against Torture",
    "SPT": "Subcommittee on Prevention of Torture and other Cruel, Inhuman or Degrading "
    "Treatment or Punishment",
    "CRC": "Committee on the Rights of the Child",
    "CMW": "Committee on the Protection of the Rights of All Migrant Workers and Members of "
    "Their Families",
    "CRPD": "Committee on the Rights of Persons with Disabilities",
    "CED": "Committee on Enforced Disappearances",
}
UPR_NAME = "Universal Periodic Review (Human Rights Council)"

#: Opening year of each UPR Working Group session (OHCHR session calendar); the year a
#: recommendation was made when its record carries no document date.
UPR_SESSION_YEARS = {
    1: 2008,
    2: 2008,
    3: 2008,
    4: 2009,
    5: 2009,
    6: 2009,
    7: 2010,
    8: 2010,
    9: 2010,
    10: 2011,
    11: 2011,
    12: 2011,
    13: 2012,
    14: 2012,
    15: 2013,
    16: 2013,
    17: 2013,
    18: 2014,
    19: 2014,
    20: 2014,
    21: 2015,
    22: 2015,
    23: 2015,
    24: 2016,
    25: 2016,
    26: 2016,
    27: 2017,
    28: 2017,
    29: 2018,
    30: 2018,
    31: 2018,
    32: 2019,
    33: 2019,
    34: 2019,
    35: 2020,
    36: 2020,
    37: 2021,
    38: 2021,
    39: 2021,
    40: 2022,
    41: 2022,
    42: 2023,
    43: 2023,
    44: 2023,
    45: 2024,
    46: 2024,
    47: 2024,
    48: 2025,
    49: 2025,
    50: 2025,
}
#: First Working Group session of each UPR cycle.
UPR_CYCLE_STARTS = ((41, 4), (27, 3), (13, 2), (1, 1))

#: Fields of Recommendation that an import sets and compares to decide "updated".
COMPARED_FIELDS = (
    "external_id",
    "document_id",
    "review_id",
    "country_id",
    "body_id",
    "mechanism",
    "document_symbol",
    "paragraph",
    "text",
    "language",
    "session",
    "cycle",
    "year",
    "date",
    "position",
    "position_source",
    "heading",
    "concern_paragraph",
    "follow_up",
    "follow_up_due",
    "follow_up_due_date",
    "urgent",
    "source_page",
)
#: The same, as model field names (for only() and bulk_update()).
FIELD_NAMES = tuple(
    f.removesuffix("_id") if f in ("document_id", "review_id", "country_id", "body_id") else f
    for f in COMPARED_FIELDS
)


@dataclass
class ImportResult:
    """What one import did."""

    file_name: str
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Records with no State concerned (thematic reports): the data model files every
    #: recommendation under a State, so these are left out and counted.
    skipped: int = 0
    batch: ImportBatch | None = None

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        """Return the one line the import command prints."""
        return (
            f"imported {self.created} new, {self.updated} updated, {self.unchanged} unchanged "
            f"recommendations from {self.file_name}"
        )


@dataclass
class ReferenceCounts:
    countries: int = 0
    bodies: int = 0
    taxonomies: int = 0
    terms: int = 0
    changed: int = 0


# --- reference data ------------------------------------------------------------------------


def load_reference_data() -> ReferenceCounts:
    """Create or update the countries, bodies and built-in taxonomies; return their counts.

    Idempotent and cheap when nothing changed (a handful of queries), so every import and the
    demo loader call it. Never deletes anything: a country or term that left the data files
    may still be referenced by recommendations.
    """
    counts = ReferenceCounts()
    with transaction.atomic():
        counts.changed += _load_countries()
        counts.changed += _load_bodies()
        counts.changed += _load_taxonomies()
    counts.countries = Country.objects.count()
    counts.bodies = Body.objects.count()
    counts.taxonomies = Taxonomy.objects.count()
    counts.terms = Term.objects.count()
    return counts


def _upsert(model: Any, key: str, wanted: dict[Any, dict[str, Any]]) -> int:
    """Create or update rows of *model* so that those keyed by *key* hold *wanted* values."""
    existing = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": list(wanted)})}
    new, changed, fields = [], [], set()
    for k, values in wanted.items():
        obj = existing.get(k)
        if obj is None:
            new.append(model(**{key: k}, **values))
            continue
        diff = [f for f, v in values.items() if getattr(obj, f) != v]
        if diff:
            for f in diff:
                setattr(obj, f, values[f])
            fields.update(diff)
            changed.append(obj)
    model.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=CHUNK)
    return len(new) + len(changed)


def _load_countries() -> int:
    from rightstrack.engine.countries import all_countries

    wanted = {
        c.code: {"alpha2": c.alpha2, "name": c.name, "region": c.region, "un_group": c.un_group}
        for c in all_countries()
    }
    return _upsert(Country, "code", wanted)


def _load_bodies() -> int:
    wanted = {
        code: {"name": name, "mechanism": rec.Mechanism.TREATY_BODY}
        for code, name in TREATY_BODIES.items()
    }
    wanted["UPR"] = {"name": UPR_NAME, "mechanism": rec.Mechanism.UPR}
    return _upsert(Body, "code", wanted)


def _load_taxonomies() -> int:
    try:
        from rightstrack.engine.taxonomies import load_taxonomies
    except ImportError:
        # The taxonomy data ships with the analysis engine; without it imports still work
        # and create the terms they meet.
        return 0
    data = list(load_taxonomies())
    changed = _upsert(
        Taxonomy,
        "slug",
        {
            t.slug: {
                "name": t.name,
                "source": t.source or "",
                "description": t.description or "",
                "builtin": True,
            }
            for t in data
        },
    )
    taxonomies = {t.slug: t for t in Taxonomy.objects.filter(slug__in=[t.slug for t in data])}
    terms_by_tax: dict[int, list[Term]] = {}
    for term in Term.objects.filter(taxonomy__in=taxonomies.values()):
        terms_by_tax.setdefault(term.taxonomy_id, []).append(term)

    new: list[Term] = []
    updated: list[Term] = []
    placed: dict[tuple[str, str], Term] = {}  # (slug, code or name) -> Term
    for tax_data in data:
        taxonomy = taxonomies[tax_data.slug]
        stored = terms_by_tax.get(taxonomy.pk, [])
        by_code = {t.code: t for t in stored if t.code}
        by_name = {t.name: t for t in stored}
        for sort, term_data in enumerate(tax_data.terms):
            code = _term_code(term_data.code)
            name = term_data.name[:300]
            term = (by_code.get(code) if code else None) or by_name.get(name)
            if term is None:
                term = Term(taxonomy=taxonomy, code=code, name=name, sort=sort)
                new.append(term)
                by_name[name] = term
            elif (term.code, term.name, term.sort) != (code, name, sort):
                term.code, term.name, term.sort = code, name, sort
                updated.append(term)
            placed[(tax_data.slug, code or name)] = term
            placed.setdefault((tax_data.slug, name), term)
            if term_data.code:
                placed.setdefault((tax_data.slug, term_data.code.strip()), term)
    Term.objects.bulk_create(new, batch_size=CHUNK)
    if updated:
        Term.objects.bulk_update(updated, ["code", "name", "sort"], batch_size=CHUNK)
    changed += len(new) + len(updated)

    # Parents and the legacy -> current crosswalk need every term's id, so they come second.
    parents: list[Term] = []
    wanted_links: set[tuple[int, int]] = set()
    for tax_data in data:
        for term_data in tax_data.terms:
            term = placed[(tax_data.slug, _term_code(term_data.code) or term_data.name[:300])]
            parent = None
            if term_data.parent_code:
                parent = placed.get((tax_data.slug, term_data.parent_code)) or placed.get(
                    (PARENT_TAXONOMIES.get(tax_data.slug, ""), term_data.parent_code)
                )
            if term.parent_id != (parent.pk if parent else None):
                term.parent = parent
                parents.append(term)
            for ref in getattr(term_data, "successors", ()) or ():
                successor = _find_successor(ref, tax_data.slug, placed)
                if successor is not None:
                    wanted_links.add((term.pk, successor.pk))
    if parents:
        Term.objects.bulk_update(parents, ["parent"], batch_size=CHUNK)
    through = Term.successors.through
    term_ids = [t.pk for t in placed.values()]
    have = set(
        through.objects.filter(from_term_id__in=term_ids).values_list("from_term_id", "to_term_id")
    )
    missing = wanted_links - have
    through.objects.bulk_create(
        [through(from_term_id=a, to_term_id=b) for a, b in sorted(missing)], batch_size=CHUNK
    )
    return changed + len(parents) + len(missing)


def _term_code(code: str) -> str:
    """Return *code* as stored: longer codes are slugs of the name, which already identifies it."""
    code = (code or "").strip()
    return code if len(code) <= TERM_CODE_MAX else ""


def _find_successor(ref: str, own_slug: str, placed: dict[tuple[str, str], Term]) -> Term | None:
    """Return the term that *ref* names: "slug:code", or a code or name in the current list."""
    if ":" in ref:
        slug, _, key = ref.partition(":")
        if (slug, key) in placed:
            return placed[(slug, key)]
    # Legacy lists are named "<current slug>_legacy"; their successors are in the current list.
    current = own_slug.removesuffix("_legacy")
    targets = [current] if current != own_slug else []
    targets += sorted({slug for slug, _ in placed if slug not in (own_slug, current)})
    for slug in targets:
        if (slug, ref) in placed:
            return placed[(slug, ref)]
    return None


# --- import ---------------------------------------------------------------------------------


class ImportNotAllowed(PermissionDenied):
    """The person may not import (a 403 on the page and the API, exit 2 on the command line)."""


def import_countries(user: Any) -> frozenset[str] | None:
    """Return the ISO codes of the States *user*'s imports may change; None for every State.

    The one decision on who may import (from `accounts.permissions.Scope`): administrators
    any State; NMRF and cluster coordinators the States they coordinate; nobody else (viewers,
    focal points, validators, contributors, people without an institution, read-only tokens),
    who get ImportNotAllowed. *user* None is the server's operator on the command line, who
    may import anything.
    """
    if user is None:
        return None
    from rightstrack.accounts.permissions import scope_for

    scope = scope_for(user)
    if not scope.may_import():
        raise ImportNotAllowed(
            "importing recommendations needs an administrator's or a coordinator's role "
            "(with a read and write token on the API)"
        )
    ids = scope.importable_countries()
    if ids is None:
        return None
    return frozenset(Country.objects.filter(pk__in=ids).values_list("code", flat=True))


def import_file(
    path: str | Path,
    *,
    kind: str | None = None,
    user: Any = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    file_name: str | None = None,
    analyse: bool = True,
    countries: Collection[str] | None = None,
) -> ImportResult:
    """Import the recommendations in the file at *path*; return what changed.

    The kind is guessed from the file when not given. The file is read and written chunk by
    chunk in one transaction, so a bad file raises InputError (ImportFormatError naming the
    row and column) and leaves the database exactly as it was. *file_name* is the name to
    record and print (for uploads stored under a temporary name). *countries*: see
    import_records. With *analyse* (the default), the new and changed recommendations are then
    analysed, as suggestions that never replace labels from the document or from people. The
    analysis is derived data and runs after the records commit; until it has finished the
    batch says `analysing`, and whatever a killed import left unanalysed is finished first
    by the next import (`resume_imports`).
    """
    from rightstrack.formats.registry import get_importer, guess_importer_kind
    from rightstrack.formats.safety import check_input_file

    if countries is None and user is not None:
        countries = import_countries(user)
    path = check_input_file(path, encoding=encoding)
    kind = kind or guess_importer_kind(path)
    importer = get_importer(kind)
    if analyse:
        resume_imports(progress=progress)
    try:
        result = import_records(
            importer.read(path, encoding=encoding),
            kind=kind,
            file_name=file_name or str(path),
            user=user,
            sha256=_sha256(path),
            progress=progress,
            countries=countries,
            pending_analysis=analyse,
        )
    except ImportFormatError as exc:
        # A UPR report's addendum carries no recommendations, only the State's positions on
        # those of the report: uploaded after the report, it completes them.
        positions = (
            _read_addendum_positions(path)
            if kind == "un-document" and isinstance(exc.__cause__, UnrecognisedDocument)
            else None
        )
        if positions is None:
            raise exc.with_path(str(path)) from None
        return apply_positions(
            *positions,
            file_name=file_name or str(path),
            user=user,
            sha256=_sha256(path),
            countries=countries,
        )
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"cannot decode the file as {encoding or 'UTF-8'} ({exc.reason}); give --encoding",
            path=str(path),
        ) from None
    if result.batch is not None and result.batch.status == ImportBatch.Status.ANALYSING:
        _finish_analysis(result.batch, progress=progress)
    return result


#: Fault injection for the kill tests (rightstrack/recommendations/tests/test_import_kill.py):
#: with RIGHTSTRACK_KILL_AT=<moment> in the environment, the process SIGKILLs itself there,
#: as a power cut or the OOM killer would. Moments: "records" (the first chunk written,
#: uncommitted), "committed" (records committed, analysis not started), "analysis" (the
#: first analysis chunk committed, others not). Never set in production.
KILL_AT_ENV = "RIGHTSTRACK_KILL_AT"


def _checkpoint(moment: str) -> None:
    if os.environ.get(KILL_AT_ENV) == moment:
        os.kill(os.getpid(), signal.SIGKILL)


def _finish_analysis(batch: ImportBatch, *, progress: Progress | None = None) -> int:
    """Analyse what *batch* stored and has no up-to-date analysis for; mark it done."""
    from django.db.models import F, Q

    # Imported lazily: the analysis app builds on this one, not the other way round.
    from rightstrack.analysis.services import analyse_recommendations

    pending = Recommendation.objects.filter(import_batch=batch).filter(
        Q(analysis__isnull=True) | Q(analysis__created__lt=F("updated"))
    )
    _checkpoint("committed")

    def report(done: int, total: int) -> None:
        if done:
            _checkpoint("analysis")
        if progress:
            progress(done, total)

    done = analyse_recommendations(pending, progress=report, batch_size=ANALYSIS_CHUNK)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.DONE, finished=timezone.now()
    )
    batch.status = ImportBatch.Status.DONE
    return done


def resume_imports(*, progress: Progress | None = None) -> list[ImportBatch]:
    """Finish the imports a crash or a kill interrupted; return their batches.

    An import's records commit in one transaction (all or nothing); its analysis runs after,
    and the batch says `analysing` until it has finished. Such batches are analysed here.
    """
    pending = list(ImportBatch.objects.filter(status=ImportBatch.Status.ANALYSING))
    for batch in pending:
        _finish_analysis(batch, progress=progress)
    return pending


def _read_addendum_positions(path: Path) -> tuple[str, str, dict[str, str]] | None:
    """Return (report symbol, addendum symbol, {paragraph: position}) for a UPR addendum."""
    from rightstrack.formats.extract.text import read_document
    from rightstrack.formats.extract.upr_report import parse_positions

    source = read_document(path)
    positions, symbol = parse_positions(source)
    report = re.sub(r"/Add\.\d+$", "", symbol, flags=re.IGNORECASE)
    if not positions or not report or report == symbol:
        return None
    return report, symbol, positions


def _paragraph_order(paragraph: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", paragraph))


def apply_positions(
    report_symbol: str,
    addendum_symbol: str,
    positions: dict[str, str],
    *,
    file_name: str,
    user: Any = None,
    sha256: str = "",
    countries: Collection[str] | None = None,
) -> ImportResult:
    """Set the positions addendum *addendum_symbol* gives on the recommendations of *report_symbol*.

    *positions* maps paragraph numbers ("122.1") to supported / noted; older addenda number
    the recommendations 1, 2, 3 in report order, which is matched by that order. Raises
    InputError when the report is not in the database yet. One transaction; attributed to an
    ImportBatch like any import.
    """
    recs = sorted(
        Recommendation.objects.filter(document_symbol__iexact=report_symbol),
        key=lambda r: _paragraph_order(r.paragraph),
    )
    if not recs:
        raise InputError(
            f"{file_name}: this addendum gives the positions on the recommendations of "
            f"{report_symbol}; import that report first"
        )
    if countries is not None:
        others = {r.country_id for r in recs} - set(
            Country.objects.filter(code__in=countries).values_list("id", flat=True)
        )
        if others:
            raise InputError(
                f"{file_name}: {report_symbol} is the report on a State whose "
                "recommendations you may not change"
            )
    numbered = any("." in key for key in positions)
    result = ImportResult(file_name=file_name, kind="un-document")
    changed = []
    for index, stored in enumerate(recs, start=1):
        position = positions.get(stored.paragraph if numbered else str(index))
        values = {"position": position or "", "position_source": addendum_symbol}
        if position and _merge_values(stored, values, "un-document"):
            changed.append(stored)
        else:
            result.unchanged += 1
    result.updated = len(changed)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind="un-document",
            file_name=file_name[:500],
            sha256=sha256,
            imported_by=user if getattr(user, "pk", None) else None,
            total=len(recs),
            updated_count=result.updated,
            unchanged_count=result.unchanged,
            status=ImportBatch.Status.DONE,
            finished=timezone.now(),
        )
        Recommendation.objects.bulk_update(
            changed, ["position", "position_source", "provenance"], batch_size=500
        )
    result.batch = batch
    return result


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_records(
    records: Iterable[RecordIn],
    *,
    kind: str,
    file_name: str,
    user: Any = None,
    sha256: str = "",
    progress: Progress | None = None,
    countries: Collection[str] | None = None,
    pending_analysis: bool = False,
) -> ImportResult:
    """Write *records* to the database in one transaction; return what changed.

    Streaming: *records* is read chunk by chunk (CHUNK records), so memory stays flat
    whatever the file's size. Each record is one source (a RecommendationSource) of one
    Recommendation, found by the source's own key, else by document symbol + paragraph, else
    (a UPR recommendation without a paragraph number, as UPR Info gives them) by State under
    review + review + text; see `_resolve`. Values merge by precedence (`SOURCE_RANK`): an
    empty value never removes a stored one, and a less trusted source never replaces a more
    trusted one's value; where each value came from is kept in `Recommendation.provenance`.
    Labels set by a person are never touched; a file's document labels replace only those of
    the same origin. Records with no State concerned are skipped and counted. With
    *countries* (ISO codes), a record of any other State, or one that would change a
    recommendation of any other State, stops the import with an error naming its row. On any
    error nothing is written, not even the ImportBatch row (decisions/0001). With
    *pending_analysis*, a batch that created or changed recommendations commits as `analysing`
    (the caller analyses them and marks it done; `resume_imports` does if it is killed first).
    """
    result = ImportResult(file_name=file_name, kind=kind)
    allowed = None if countries is None else frozenset(countries)
    with transaction.atomic():
        load_reference_data()
        batch = ImportBatch.objects.create(
            kind=kind,
            file_name=file_name[:500],
            sha256=sha256,
            imported_by=user if getattr(user, "pk", None) else None,
        )
        cache = _Cache()
        seen = 0
        with bulk_writes() as index:
            for chunk in _chunks(records, result):
                _import_chunk(chunk, batch, cache, result, kind=kind, allowed=allowed, index=index)
                _checkpoint("records")
                seen += len(chunk)
                if progress:
                    progress(seen, seen)
        if not seen:
            # A header and no rows: refused rather than recorded as an import of nothing (the
            # transaction takes the batch away with it).
            raise ImportFormatError("no recommendations in this file (only a header?)")
        batch.total = result.total
        batch.created_count, batch.updated_count = result.created, result.updated
        batch.unchanged_count = result.unchanged
        batch.status, batch.finished = ImportBatch.Status.DONE, timezone.now()
        if pending_analysis and (result.created or result.updated):
            batch.status = ImportBatch.Status.ANALYSING
        batch.save()
    result.batch = batch
    return result


def _chunks(
    records: Iterable[RecordIn], result: ImportResult
) -> Iterator[list[tuple[str, RecordIn]]]:
    """Yield the records CHUNK at a time as (natural key, record), repeats within a chunk merged.

    Repeats in different chunks (one row per co-sponsor, far apart) meet in the database: the
    second finds the first's source and adds to it.
    """
    merged: dict[str, RecordIn] = {}
    for record in records:
        if not record.country:
            result.skipped += 1
            continue
        key = record.natural_key()
        first = merged.get(key)
        if first is None:
            merged[key] = record
        else:
            states = tuple(dict.fromkeys((*first.recommending_states, *record.recommending_states)))
            labels = tuple(dict.fromkeys((*first.labels, *record.labels)))
            merged[key] = replace(first, recommending_states=states, labels=labels)
        if len(merged) >= CHUNK:
            yield list(merged.items())
            merged = {}
    if merged:
        yield list(merged.items())


def _merge_by_key(records: Iterable[RecordIn]) -> dict[str, RecordIn]:
    """Return the records by natural key, merging repeats (e.g. one row per co-sponsor)."""
    merged: dict[str, RecordIn] = {}
    for chunk in _chunks(records, ImportResult(file_name="", kind="")):
        merged.update(chunk)
    return merged


class _Cache:
    """Ids of reference rows met during one import, so each is looked up once."""

    def __init__(self) -> None:
        self.countries = dict(Country.objects.values_list("code", "id"))
        self.country_codes = {pk: code for code, pk in self.countries.items()}
        self.bodies = {
            code: (pk, mech)
            for pk, code, mech in Body.objects.values_list("id", "code", "mechanism")
        }
        self.body_names = {
            name.casefold(): code for code, name in Body.objects.values_list("code", "name")
        }
        self.reviews: dict[tuple[int, int, str], int] = {}
        self.documents: dict[str, int] = {}
        self.taxonomies = dict(Taxonomy.objects.values_list("slug", "id"))
        self.terms: dict[tuple[int, str], int] = {}
        for pk, tax, code, name in Term.objects.values_list("id", "taxonomy_id", "code", "name"):
            self.terms.setdefault((tax, _fold(name)), pk)
            if code:
                self.terms.setdefault((tax, _fold(code)), pk)
                self.terms.setdefault((tax, _fold(f"{code} {name}")), pk)


def _fold(text: str) -> str:
    """Return a term name for matching: case, spacing, punctuation and "&"/"and" ignored."""
    return normalise_term(text) or " ".join(text.casefold().split())


def _term_name(term: str) -> str:
    return " ".join(term.split())[:300]


@lru_cache(maxsize=1 << 16)
def _term_key(term: str) -> str:
    # Cached: a file names the same few hundred terms on every row.
    return _fold(_term_name(term))


#: How far each kind of source is trusted when two give one field different values: a value
#: is replaced only by the same kind of source or a more trusted one, and never by an empty
#: value. rightstrack's own export is a person's checked copy; the UN's documents and OHCHR's
#: matrices come next, then the UHRI, generic tables and UPR Info's re-keyed copies.
SOURCE_RANK = {
    "person": 9,
    "rightstrack": 5,
    "un-document": 4,
    "ohchr-matrix": 4,
    "uhri": 3,
    "generic": 2,
    "upr-info": 1,
}
#: Similarity (rapidfuzz WRatio, 0-100) from which a UPR recommendation without a paragraph
#: number is the same as one of its review's numbered paragraphs. Measured on Slovenia's
#: first cycle: UPR Info's 106 rows score 85.5-100 against their report paragraph.
TEXT_MATCH = 85


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False


def _merge_values(obj: Recommendation, values: dict[str, Any], kind: str) -> bool:
    """Merge *values* from a source of *kind* into *obj* by precedence; return True if changed."""
    provenance = dict(obj.provenance or {})
    rank = SOURCE_RANK.get(kind, 2)
    changed = False
    for name, value in values.items():
        if name == "position_source" or _empty(value):
            continue
        have = getattr(obj, name)
        if have == value:
            continue
        owner = provenance.get(name)
        if not _empty(have) and owner and owner != kind and SOURCE_RANK.get(owner, 2) >= rank:
            continue
        setattr(obj, name, value)
        provenance[name] = kind
        if name == "position":
            # A position and the document that records it go together.
            obj.position_source = values["position_source"]
        changed = True
    if (
        values["position_source"]
        and values["position"] == obj.position
        and provenance.get("position") == kind
        and obj.position_source != values["position_source"]
    ):
        obj.position_source = values["position_source"]
        changed = True
    if changed:
        obj.provenance = provenance
    return changed


def _snapshot(obj: Recommendation) -> tuple[Any, ...]:
    return (*(getattr(obj, name) for name in COMPARED_FIELDS), obj.position_source)


def _provenance(values: dict[str, Any], kind: str) -> dict[str, str]:
    return {name: kind for name, value in values.items() if not _empty(value)}


@dataclass
class _Target:
    """The Recommendation one incoming record goes to."""

    obj: Recommendation
    new: bool = False
    #: Paragraph-less recommendations of the same review that turn out to be this one.
    absorb: list[int] = field(default_factory=list)


def _import_chunk(
    chunk: Sequence[tuple[str, RecordIn]],
    batch: ImportBatch,
    cache: _Cache,
    result: ImportResult,
    *,
    kind: str,
    allowed: frozenset[str] | None = None,
    index: BulkIndex | None = None,
) -> None:
    index = index or BulkIndex(connection, active=False)
    if allowed is not None:
        for _, record in chunk:
            if record.country not in allowed:
                raise ImportFormatError(
                    f"a recommendation to {record.country}, whose recommendations you may not "
                    "import (you may import for: "
                    f"{', '.join(sorted(allowed)) or 'no State'})",
                    path=record.source_file or batch.file_name,
                    row=record.source_row or record.source_page,
                )
    # A source that gives exactly what it gave last time has nothing to change: one query
    # tells, so re-importing an unchanged file costs little more than reading it.
    digests = {key: _digest(record) for key, record in chunk}
    by_skey = {source_key(kind, key): key for key, _ in chunk}
    stored_sources: dict[str, tuple[int, int, str]] = {}  # key -> (pk, recommendation, digest)
    for pk, skey, rec_id, digest in RecommendationSource.objects.filter(
        key__in=by_skey
    ).values_list("id", "key", "recommendation_id", "digest"):
        stored_sources[by_skey[skey]] = (pk, rec_id, digest)
    same = {k for k, _ in chunk if k in stored_sources and stored_sources[k][2] == digests[k]}
    if same:
        result.unchanged += len(same)
        chunk = [(k, r) for k, r in chunk if k not in same]
        if not chunk:
            return
    _ensure_countries(chunk, cache)
    _ensure_bodies(chunk, cache)
    _ensure_reviews(chunk, cache)
    _ensure_documents(chunk, cache)
    _ensure_terms(chunk, cache)

    values = {key: _values(record, cache) for key, record in chunk}
    sources = {key: rec_id for key, (_, rec_id, _) in stored_sources.items()}
    targets = _resolve(chunk, values, sources)
    if allowed is not None:
        for key, record in chunk:
            target = targets.get(key)
            code = cache.country_codes.get(target.obj.country_id) if target else None
            if target and not target.new and code not in allowed:
                raise ImportFormatError(
                    f"{record.document_symbol} {record.paragraph}".strip()
                    + f" is a recommendation to {code}, which you may not change",
                    path=record.source_file or batch.file_name,
                    row=record.source_row or record.source_page,
                )
    stored_ids = [t.obj.pk for t in targets.values() if t.obj.pk]
    through = Recommendation.recommending_states.through
    stored_states: dict[int, set[int]] = {}
    for rec_id, country_id in through.objects.filter(recommendation_id__in=stored_ids).values_list(
        "recommendation_id", "country_id"
    ):
        stored_states.setdefault(rec_id, set()).add(country_id)
    stored_labels: dict[int, dict[tuple[int, str], tuple[int, float | None, str]]] = {}
    for pk, rec_id, term_id, source, confidence, origin in Label.objects.filter(
        recommendation_id__in=stored_ids,
        source__in=[Label.Source.DOCUMENT, Label.Source.CLASSIFIER],
    ).values_list("id", "recommendation_id", "term_id", "source", "confidence", "origin"):
        stored_labels.setdefault(rec_id, {})[(term_id, source)] = (pk, confidence, origin)

    now = timezone.now()
    # Group the chunk's records by the recommendation they go to: several sources of one
    # recommendation in one file (UPR Info's co-sponsors of a joint recommendation) merge
    # first, so that the outcome, not the order, decides "updated".
    groups: dict[int, tuple[_Target, list[str]]] = {}
    # New recommendations by document symbol + paragraph (+ State).
    places: dict[tuple[str, str, int], _Target] = {}
    for key, _record in chunk:
        target = targets.get(key)
        vals = values[key]
        place = (vals["document_symbol"].upper(), vals["paragraph"], vals["country_id"])
        if target is None and all(place) and place in places:
            target = targets[key] = places[place]
        if target is None:
            obj = Recommendation(
                key=key, import_batch=batch, provenance=_provenance(vals, kind), **vals
            )
            target = targets[key] = _Target(obj, new=True)
            if all(place):
                places[place] = target
        groups.setdefault(id(target.obj), (target, []))[1].append(key)

    records = dict(chunk)
    plan = _plan_sub_items(groups.values(), records)
    new: list[Recommendation] = []
    changed: list[Recommendation] = []
    wanted_labels: dict[int, dict[tuple[int, str], tuple[float | None, str]]] = {}
    for target, keys in groups.values():
        obj = target.obj
        before = None if target.new else _snapshot(obj)
        want: dict[tuple[int, str], tuple[float | None, str]] = {}
        states: set[int] = set()
        for key in keys:
            _merge_values(obj, values[key], kind)
            for k, v in _wanted_labels(records[key], cache).items():
                want.setdefault(k, v)
            states.update(cache.countries[c] for c in records[key].recommending_states)
        wanted_labels[id(obj)] = want
        if target.new:
            new.append(obj)
            result.created += 1
            continue
        differs = (
            before != _snapshot(obj)
            or bool(target.absorb)
            or bool(states - stored_states.get(obj.pk, set()))
            or _labels_differ(want, stored_labels.get(obj.pk, {}))
            or id(obj) in plan.touched
        )
        if differs:
            obj.import_batch = batch
            obj.updated = now
            changed.append(obj)
            result.updated += 1
        else:
            result.unchanged += 1

    _insert_objects(Recommendation, new, now)
    if new:
        ids = dict(
            Recommendation.objects.filter(key__in=[o.key for o in new]).values_list("key", "id")
        )
        for obj in new:
            obj.pk = obj.id = ids[obj.key]
    index.before_update([obj.pk for obj in changed])
    _update_objects(
        Recommendation, changed, [*FIELD_NAMES, "provenance", "import_batch", "updated"]
    )
    index.added([obj.pk for obj in (*new, *changed)])

    states_to_add: set[tuple[int, int]] = set()
    labels_to_add: dict[tuple[int, int, str], tuple[float | None, str]] = {}
    labels_to_update: list[Label] = []
    labels_to_drop: list[int] = []
    source_rows: list[tuple[Any, ...]] = []
    changed_sources: list[RecommendationSource] = []
    created_at = connection.ops.adapt_datetimefield_value(now)
    for target, keys in groups.values():
        obj = target.obj
        have_states = stored_states.setdefault(obj.pk, set())
        for key in keys:
            for code in records[key].recommending_states:
                country_id = cache.countries[code]
                if country_id not in have_states:
                    states_to_add.add((obj.pk, country_id))
                    have_states.add(country_id)
        want = wanted_labels[id(obj)]
        have = stored_labels.get(obj.pk, {})
        for (term_id, source), (confidence, origin) in want.items():
            stored = have.get((term_id, source))
            if stored is None:
                labels_to_add.setdefault((obj.pk, term_id, source), (confidence, origin))
            elif (stored[1], stored[2]) != (confidence, origin) and stored[2] == origin:
                labels_to_update.append(Label(pk=stored[0], confidence=confidence, origin=origin))
        origins = {origin for (_, src), (_, origin) in want.items() if src == Label.Source.DOCUMENT}
        # A source that gives document labels replaces its own earlier ones (same origin);
        # another document's labels, and a source that gives none, remove nothing.
        for (term_id, source), stored in have.items():
            if (
                source == Label.Source.DOCUMENT
                and stored[2] in origins
                and (term_id, source) not in want
            ):
                labels_to_drop.append(stored[0])
        for key in keys:
            record = records[key]
            stored_source = stored_sources.get(key)
            if stored_source is None:
                source_rows.append(
                    (
                        obj.pk,
                        source_key(kind, key),
                        kind[:40],
                        (record.source_file or batch.file_name)[:500],
                        record.document_symbol.strip()[:120],
                        record.paragraph.strip()[:30],
                        record.source_row or record.source_page,
                        record.external_id[:64],
                        digests[key],
                        batch.pk,
                        created_at,
                    )
                )
                stored_sources[key] = (0, obj.pk, digests[key])
            elif stored_source[0]:
                changed_sources.append(
                    RecommendationSource(
                        pk=stored_source[0],
                        recommendation_id=obj.pk,
                        digest=digests[key],
                        import_batch_id=batch.pk,
                    )
                )

    _insert_rows(through, ["recommendation", "country"], sorted(states_to_add))
    if labels_to_drop:
        Label.objects.filter(pk__in=labels_to_drop).delete()
    _update_objects(Label, labels_to_update, ["confidence", "origin"])
    _insert_rows(
        Label,
        ["recommendation", "term", "source", "confidence", "origin", "review_state", "created"],
        [
            (*k, confidence, origin, Label.ReviewState.ACCEPTED, created_at)
            for k, (confidence, origin) in labels_to_add.items()
        ],
    )
    _insert_rows(
        RecommendationSource,
        [
            "recommendation",
            "key",
            "kind",
            "file_name",
            "document_symbol",
            "paragraph",
            "row",
            "external_id",
            "digest",
            "import_batch",
            "created",
        ],
        source_rows,
    )
    _update_objects(
        RecommendationSource, changed_sources, ["recommendation", "digest", "import_batch"]
    )
    for target in {id(t.obj): t for t in targets.values()}.values():
        if target.absorb:
            _absorb(target.absorb, target.obj.pk)
    _store_follow_up(chunk, plan, cache)


def _digest(record: RecordIn) -> str:
    """Return a checksum of everything *record* says (a re-import of it changes nothing)."""
    return hashlib.blake2b(repr(record).encode("utf-8"), digest_size=16).hexdigest()


def source_key(kind: str, natural_key: str) -> str:
    """Return the key of one source: its kind and its record's natural key.

    The matrix row and the report paragraph of one recommendation share a natural key
    (document symbol + paragraph) but are two sources.
    """
    return hashlib.sha256(f"{kind}|{natural_key}".encode()).hexdigest()[:40]


def _labels_differ(
    want: dict[tuple[int, str], tuple[float | None, str]],
    have: dict[tuple[int, str], tuple[int, float | None, str]],
) -> bool:
    origins = {origin for (_, src), (_, origin) in want.items() if src == Label.Source.DOCUMENT}
    for k, (confidence, origin) in want.items():
        stored = have.get(k)
        if stored is None or (stored[2] == origin and stored[1] != confidence):
            return True
    return any(
        src == Label.Source.DOCUMENT and stored[2] in origins and (term_id, src) not in want
        for (term_id, src), stored in have.items()
    )


def _resolve(
    chunk: Sequence[tuple[str, RecordIn]],
    values: dict[str, dict[str, Any]],
    sources: dict[str, int],
) -> dict[str, _Target]:
    """Find the stored Recommendation each record of *chunk* is a source of.

    *sources* maps the keys of the sources already stored to their recommendation. Returns
    {key: target}; a record without a target is new. In order: the source's own key (a re-import);
    the document symbol + paragraph (a UHRI row, a matrix row and a report paragraph of one
    recommendation); for a UPR recommendation without a paragraph (UPR Info), the numbered
    paragraph of the same review whose text it matches. A numbered paragraph also takes in the
    paragraph-less recommendations of its review whose text matches it (UPR Info imported
    first): one query each, per chunk.
    """
    keys = [key for key, _ in chunk]
    ids: dict[str, int] = dict(sources)
    missing = [k for k in keys if k not in ids]
    if missing:
        # Recommendations stored before sources were kept carry their first source's key.
        ids.update(Recommendation.objects.filter(key__in=missing).values_list("key", "id"))
    numbered = {
        key: (
            values[key]["document_symbol"].upper(),
            values[key]["paragraph"],
            values[key]["country_id"],
        )
        for key, _ in chunk
        if key not in ids and values[key]["document_symbol"] and values[key]["paragraph"]
    }
    if numbered:
        # One State's document: the same symbol and paragraph under another State is a
        # mistake in a file, not the same recommendation.
        by_place: dict[tuple[str, str, int], int] = {}
        for pk, symbol, paragraph, country_id in Recommendation.objects.filter(
            document_symbol__in={values[k]["document_symbol"] for k in numbered},
            paragraph__in={p for _, p, _ in numbered.values()},
        ).values_list("id", "document_symbol", "paragraph", "country_id"):
            by_place.setdefault((symbol.upper(), paragraph, country_id), pk)
        for key, place in numbered.items():
            if place in by_place:
                ids[key] = by_place[place]

    # UPR recommendations matched on their review and text.
    def review_of(key: str) -> int | None:
        vals = values[key]
        return vals["review_id"] if vals["mechanism"] == rec.Mechanism.UPR else None

    loose = [k for k, _ in chunk if k not in ids and review_of(k) and not values[k]["paragraph"]]
    numbered_keys = [k for k, _ in chunk if review_of(k) and values[k]["paragraph"]]
    absorb: dict[str, list[int]] = {}
    if loose or numbered_keys:
        from rapidfuzz import fuzz, process

        paragraphs: dict[int, list[tuple[int, str]]] = {}
        unnumbered: dict[int, list[tuple[int, str]]] = {}
        if loose:
            for pk, review_id, text in (
                Recommendation.objects.filter(review_id__in={review_of(k) for k in loose})
                .exclude(paragraph="")
                .values_list("id", "review_id", "text")
            ):
                paragraphs.setdefault(review_id, []).append((pk, rec.normalise_for_match(text)))
        if numbered_keys:
            for pk, review_id, text in Recommendation.objects.filter(
                review_id__in={review_of(k) for k in numbered_keys}, paragraph=""
            ).values_list("id", "review_id", "text"):
                unnumbered.setdefault(review_id, []).append((pk, rec.normalise_for_match(text)))
        for key in loose:
            choices = paragraphs.get(review_of(key), [])
            found = process.extractOne(
                rec.normalise_for_match(values[key]["text"]),
                [text for _, text in choices],
                scorer=fuzz.WRatio,
                score_cutoff=TEXT_MATCH,
            )
            if found:
                ids[key] = choices[found[2]][0]
        by_review: dict[int, list[str]] = {}
        for key in numbered_keys:
            by_review.setdefault(review_of(key), []).append(key)
        for review_id, group in by_review.items():
            texts = [rec.normalise_for_match(values[k]["text"]) for k in group]
            for pk, text in unnumbered.get(review_id, []):
                if pk in ids.values():
                    continue
                found = process.extractOne(text, texts, scorer=fuzz.WRatio, score_cutoff=TEXT_MATCH)
                if found:
                    absorb.setdefault(group[found[2]], []).append(pk)
        for key, pks in absorb.items():
            if key not in ids:
                # The first paragraph-less one becomes the numbered recommendation.
                ids[key] = pks.pop(0)
        attached = _attached(Recommendation, {pk for pks in absorb.values() for pk in pks})
        absorb = {k: [pk for pk in pks if pk not in attached] for k, pks in absorb.items()}

    wanted = set(ids.values())
    objs = {
        obj.pk: obj
        for obj in Recommendation.objects.filter(pk__in=wanted).only(
            "key", "provenance", *FIELD_NAMES
        )
    }
    targets: dict[str, _Target] = {}
    shared: dict[int, _Target] = {}
    for key, _ in chunk:
        pk = ids.get(key)
        if pk is None or pk not in objs:
            continue
        target = shared.setdefault(pk, _Target(objs[pk]))
        target.absorb += [p for p in absorb.get(key, []) if p != pk and p not in target.absorb]
        targets[key] = target
    return targets


def _attached(model: Any, ids: Collection[int]) -> set[int]:
    """Return those of *ids* that another app's rows point to (assignments, updates, ...)."""
    if not ids:
        return set()
    found: set[int] = set()
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related._meta.app_label == "recommendations" or related._meta.app_label == "analysis":
            continue
        if not relation.field.concrete or relation.many_to_many:
            continue
        found.update(
            related._default_manager.filter(**{f"{relation.field.name}__in": ids}).values_list(
                relation.field.attname, flat=True
            )
        )
    return found


def _absorb(duplicates: Sequence[int], into: int) -> None:
    """Make the recommendations *duplicates* part of *into*: sources, States, labels, groups."""
    from rightstrack.recommendations.models import GroupMembership

    through = Recommendation.recommending_states.through
    have = set(through.objects.filter(recommendation_id=into).values_list("country_id", flat=True))
    extra = set(
        through.objects.filter(recommendation_id__in=duplicates).values_list(
            "country_id", flat=True
        )
    )
    _insert_rows(through, ["recommendation", "country"], [(into, c) for c in sorted(extra - have)])
    have_labels = set(Label.objects.filter(recommendation_id=into).values_list("term_id", "source"))
    moved: dict[tuple[int, str], int] = {}
    for pk, term_id, source in Label.objects.filter(
        recommendation_id__in=duplicates, source__in=[Label.Source.DOCUMENT, Label.Source.PERSON]
    ).values_list("id", "term_id", "source"):
        if (term_id, source) not in have_labels:
            moved.setdefault((term_id, source), pk)
    Label.objects.filter(pk__in=moved.values()).update(recommendation_id=into)
    RecommendationSource.objects.filter(recommendation_id__in=duplicates).update(
        recommendation_id=into
    )
    groups = set(
        GroupMembership.objects.filter(recommendation_id=into).values_list("group_id", flat=True)
    )
    for pk, group_id in GroupMembership.objects.filter(
        recommendation_id__in=duplicates
    ).values_list("id", "group_id"):
        if group_id not in groups:
            GroupMembership.objects.filter(pk=pk).update(recommendation_id=into)
            groups.add(group_id)
    Recommendation.objects.filter(pk__in=duplicates).delete()


@dataclass
class _SubItemPlan:
    new: list[Any] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    #: id() of the recommendations whose sub-items change.
    touched: set[int] = field(default_factory=set)


def _plan_sub_items(
    groups: Iterable[tuple[_Target, list[str]]], records: dict[str, RecordIn]
) -> _SubItemPlan:
    """Plan the sub-items the records give: by label ("a", "b"), stable across re-imports.

    A changed text is updated, a new one added; one the source no longer gives goes only if
    nothing (an assignment, an update) is attached to it.
    """
    from rightstrack.recommendations.models import SubItem

    plan = _SubItemPlan()
    given = [
        (target.obj, [item for key in keys for item in records[key].sub_items])
        for target, keys in groups
        if any(records[key].sub_items for key in keys)
    ]
    if not given:
        return plan
    stored: dict[int, dict[str, Any]] = {}
    for item in SubItem.objects.filter(recommendation_id__in=[o.pk for o, _ in given if o.pk]):
        stored.setdefault(item.recommendation_id, {})[item.label] = item
    gone: dict[int, int] = {}
    for obj, items in given:
        have = stored.get(obj.pk, {}) if obj.pk else {}
        labels: set[str] = set()
        for sort, (label, text) in enumerate(items):
            label = label.strip("() ")[:10]
            if not label or label in labels:
                continue
            labels.add(label)
            item = have.get(label)
            if item is None:
                plan.new.append(SubItem(recommendation=obj, label=label, text=text, sort=sort))
                plan.touched.add(id(obj))
            elif (item.text, item.sort) != (text, sort):
                item.text, item.sort = text, sort
                plan.changed.append(item)
                plan.touched.add(id(obj))
        for label, item in have.items():
            if label not in labels:
                gone[item.pk] = id(obj)
    attached = _attached(SubItem, list(gone))
    for pk, obj_id in gone.items():
        if pk not in attached:
            plan.gone.append(pk)
            plan.touched.add(obj_id)
    return plan


def _store_follow_up(
    chunk: Sequence[tuple[str, RecordIn]], plan: _SubItemPlan, cache: _Cache
) -> None:
    """Store the planned sub-items and the next report's due date the records give."""
    from rightstrack.recommendations.models import SubItem

    for item in plan.new:
        item.recommendation_id = item.recommendation.pk
    _insert_objects(SubItem, plan.new, timezone.now())
    _update_objects(SubItem, plan.changed, ["text", "sort"])
    if plan.gone:
        SubItem.objects.filter(pk__in=plan.gone).delete()
    due: dict[Any, set[int]] = {}
    for _, record in chunk:
        symbol = record.document_symbol.strip()[:120].upper()
        if record.next_report_due and symbol in cache.documents:
            due.setdefault(record.next_report_due, set()).add(cache.documents[symbol])
    for when, documents in due.items():
        Document.objects.filter(pk__in=documents).exclude(next_report_due=when).update(
            next_report_due=when
        )


def _converter(f: Any) -> Any:
    """Return the function that makes a value of field *f* ready for the database, or None."""
    from django.db import models as m

    ops = connection.ops
    if isinstance(f, m.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(f, m.DateField):
        return ops.adapt_datefield_value
    if isinstance(f, (m.UUIDField, m.JSONField)):
        return lambda v: f.get_db_prep_save(v, connection)
    return None


def _update_objects(model: Any, objs: Sequence[Any], names: Sequence[str]) -> None:
    """Write fields *names* of *objs* with one executemany UPDATE (bulk_update's CASE WHEN
    statements are split into more queries as rows grow)."""
    if not objs:
        return
    fields = [model._meta.get_field(name) for name in names]
    converters = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        (
            *(
                (convert(getattr(obj, f.attname)) if convert else getattr(obj, f.attname))
                for f, convert in zip(fields, converters, strict=True)
            ),
            obj.pk,
        )
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_objects(model: Any, objs: Sequence[Any], now: Any) -> None:
    """Insert unsaved *objs* of *model* with one executemany; their ids are not read back.

    bulk_create compiles every value of every row through the field's get_db_prep_save,
    which costs more than the insert itself at the size of the UHRI export; here each column
    gets one converter, chosen once.
    """
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = [_converter(f) for f in fields]
    for obj in objs:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
    rows = [
        tuple(
            (convert(getattr(obj, f.attname)) if convert else getattr(obj, f.attname))
            for f, convert in zip(fields, converters, strict=True)
        )
        for obj in objs
    ]
    _insert_rows(model, [f.name for f in fields], rows)


def _insert_rows(model: Any, fields: list[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert *rows* (values of *fields*, ready for the database) into *model*'s table.

    Used for the two largest tables, labels and recommending States: a plain executemany
    costs a fifth of bulk_create, which builds and compiles a model instance per row.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _values(record: RecordIn, cache: _Cache) -> dict[str, Any]:
    """Return the Recommendation field values *record* gives (the COMPARED_FIELDS)."""
    body_id, mechanism = cache.bodies[_body_code(record, cache)]
    country_id = cache.countries[record.country]
    session = record.session.strip()[:20]
    cycle = record.cycle or _upr_cycle(record)
    review_id = cache.reviews.get((body_id, country_id, session)) if session else None
    symbol = record.document_symbol.strip()[:120]
    return {
        "external_id": record.external_id[:64],
        "document_id": cache.documents.get(symbol.upper()) if symbol else None,
        "review_id": review_id,
        "country_id": country_id,
        "body_id": body_id,
        "mechanism": mechanism,
        "document_symbol": symbol,
        "paragraph": record.paragraph.strip()[:30],
        "text": record.text,
        "language": (record.language or "en")[:10],
        "session": session,
        "cycle": cycle,
        "year": _year(record),
        "date": record.document_date,
        "position": record.position or "",
        "position_source": record.position_source[:200],
        "heading": record.heading,
        "concern_paragraph": record.concern_paragraph,
        "follow_up": bool(record.follow_up),
        "follow_up_due": record.follow_up_due[:30],
        "follow_up_due_date": rec.follow_up_due_date(record),
        "urgent": bool(record.urgent),
        "source_page": record.source_page,
    }


def _session_number(record: RecordIn) -> int | None:
    match = re.search(r"\d+", record.session or "")
    return int(match.group()) if match else None


def _upr_cycle(record: RecordIn) -> int | None:
    number = _session_number(record)
    if record.mechanism != rec.Mechanism.UPR or number is None:
        return None
    return next(cycle for first, cycle in UPR_CYCLE_STARTS if number >= first)


def _year(record: RecordIn) -> int | None:
    if record.document_date:
        return record.document_date.year
    if record.mechanism == rec.Mechanism.UPR:
        return UPR_SESSION_YEARS.get(_session_number(record) or 0)
    return None


def _wanted_labels(
    record: RecordIn, cache: _Cache
) -> dict[tuple[int, str], tuple[float | None, str]]:
    wanted: dict[tuple[int, str], tuple[float | None, str]] = {}
    for label in record.labels:
        if not label.term.strip():
            continue
        source = _label_source(label)
        term_id = cache.terms[(cache.taxonomies[label.taxonomy], _term_key(label.term))]
        origin = (label.origin or record.document_symbol)[:200]
        wanted.setdefault((term_id, source), (label.confidence, origin))
    return wanted


def _label_source(label: LabelIn) -> str:
    # A file is a document: only a person in the app sets "person" labels, so a file's
    # labels can never overwrite them.
    return (
        Label.Source.CLASSIFIER
        if label.source == rec.LabelSource.CLASSIFIER
        else Label.Source.DOCUMENT
    )


def _body_code(record: RecordIn, cache: _Cache) -> str:
    """Return the Body code for *record*: a known code or name, else a slug of the mandate."""
    body = record.body.strip()
    if body.upper() in cache.bodies:
        return body.upper()
    if body in cache.bodies:
        return body
    if body.casefold() in cache.body_names:
        return cache.body_names[body.casefold()]
    return slugify(body)[:60] or "unknown"


def _ensure_countries(chunk: Sequence[tuple[str, RecordIn]], cache: _Cache) -> None:
    codes = {c for _, r in chunk for c in (r.country, *r.recommending_states)} - set(
        cache.countries
    )
    if not codes:
        return
    # Codes outside the country list (a group of States, a new entity) still get a row, named
    # by their code, so that no recommendation is lost.
    Country.objects.bulk_create([Country(code=c[:3], name=c) for c in sorted(codes)])
    cache.countries.update(Country.objects.filter(code__in=codes).values_list("code", "id"))


def _ensure_bodies(chunk: Sequence[tuple[str, RecordIn]], cache: _Cache) -> None:
    missing: dict[str, Body] = {}
    for _, record in chunk:
        code = _body_code(record, cache)
        if code not in cache.bodies and code not in missing:
            mechanism = (
                record.mechanism
                if record.mechanism in rec.Mechanism.ALL
                else (rec.Mechanism.SPECIAL_PROCEDURES)
            )
            missing[code] = Body(
                code=code, name=record.body.strip()[:200] or code, mechanism=mechanism
            )
    if missing:
        Body.objects.bulk_create(missing.values())
        for pk, code, mech, name in Body.objects.filter(code__in=missing).values_list(
            "id", "code", "mechanism", "name"
        ):
            cache.bodies[code] = (pk, mech)
            cache.body_names.setdefault(name.casefold(), code)


def _ensure_reviews(chunk: Sequence[tuple[str, RecordIn]], cache: _Cache) -> None:
    wanted: dict[tuple[int, int, str], RecordIn] = {}
    for _, record in chunk:
        session = record.session.strip()[:20]
        if not session:
            continue
        k = (cache.bodies[_body_code(record, cache)][0], cache.countries[record.country], session)
        if k not in cache.reviews:
            wanted.setdefault(k, record)
    if not wanted:
        return
    bodies = {b for b, _, _ in wanted}
    for pk, b, c, s in Review.objects.filter(
        body_id__in=bodies,
        country_id__in={c for _, c, _ in wanted},
        session__in={s for _, _, s in wanted},
    ).values_list("id", "body_id", "country_id", "session"):
        cache.reviews[(b, c, s)] = pk
    new = [
        Review(
            body_id=b, country_id=c, session=s, cycle=r.cycle or _upr_cycle(r), date=r.document_date
        )
        for (b, c, s), r in wanted.items()
        if (b, c, s) not in cache.reviews
    ]
    for review in Review.objects.bulk_create(new):
        if review.pk is None:
            review.pk = Review.objects.get(
                body_id=review.body_id, country_id=review.country_id, session=review.session
            ).pk
        cache.reviews[(review.body_id, review.country_id, review.session)] = review.pk


def _ensure_documents(chunk: Sequence[tuple[str, RecordIn]], cache: _Cache) -> None:
    wanted: dict[str, RecordIn] = {}
    for _, record in chunk:
        symbol = record.document_symbol.strip()[:120]
        if symbol and symbol.upper() not in cache.documents:
            wanted.setdefault(symbol.upper(), record)
    if not wanted:
        return
    for pk, symbol in Document.objects.filter(
        symbol__in=[r.document_symbol.strip()[:120] for r in wanted.values()]
    ).values_list("id", "symbol"):
        cache.documents.setdefault(symbol.upper(), pk)
    new = []
    for upper, record in wanted.items():
        if upper in cache.documents:
            continue
        body_id = cache.bodies[_body_code(record, cache)][0]
        country_id = cache.countries[record.country]
        session = record.session.strip()[:20]
        new.append(
            Document(
                symbol=record.document_symbol.strip()[:120],
                kind=_document_kind(record),
                body_id=body_id,
                country_id=country_id,
                review_id=cache.reviews.get((body_id, country_id, session)) if session else None,
                date=record.document_date,
                language=(record.language or "en")[:10],
            )
        )
    for document in Document.objects.bulk_create(new):
        if document.pk is None:
            document.pk = Document.objects.filter(symbol=document.symbol).values_list(
                "id", flat=True
            )[0]
        cache.documents[document.symbol.upper()] = document.pk


def _document_kind(record: RecordIn) -> str:
    symbol = record.document_symbol.upper()
    if "/CO/" in symbol:
        return Document.Kind.CONCLUDING_OBSERVATIONS
    if record.mechanism == rec.Mechanism.UPR:
        # A matrix names the Working Group report (or its addendum) a recommendation is in.
        return Document.Kind.UPR_ADDENDUM if "/ADD." in symbol else Document.Kind.UPR_REPORT
    if record.mechanism == rec.Mechanism.SPECIAL_PROCEDURES:
        return Document.Kind.SP_REPORT
    return Document.Kind.OTHER


def _ensure_terms(chunk: Sequence[tuple[str, RecordIn]], cache: _Cache) -> None:
    """Create the taxonomies and terms the chunk's labels name and the database lacks."""
    slugs = {label.taxonomy for _, r in chunk for label in r.labels} - set(cache.taxonomies)
    if slugs:
        Taxonomy.objects.bulk_create([Taxonomy(slug=s, name=s) for s in sorted(slugs)])
        cache.taxonomies.update(Taxonomy.objects.filter(slug__in=slugs).values_list("slug", "id"))
    missing: dict[tuple[int, str], Term] = {}
    for _, record in chunk:
        for label in record.labels:
            k = (cache.taxonomies[label.taxonomy], _term_key(label.term))
            if label.term.strip() and k not in cache.terms and k not in missing:
                # Terms a file uses that the built-in lists lack sort after the built-ins.
                missing[k] = Term(taxonomy_id=k[0], name=_term_name(label.term), sort=NEW_TERM_SORT)
    if not missing:
        return
    Term.objects.bulk_create(missing.values(), ignore_conflicts=True)
    for pk, tax, name in Term.objects.filter(
        taxonomy_id__in={t for t, _ in missing}, name__in=[t.name for t in missing.values()]
    ).values_list("id", "taxonomy_id", "name"):
        cache.terms.setdefault((tax, _fold(name)), pk)


# --- demo data ------------------------------------------------------------------------------

#: Demo people: (username, institution, kind of institution, role), the personas of the tests.
DEMO_PEOPLE = [
    ("alice", "Arcadia National Mechanism for Reporting and Follow-up", "nmrf", "admin"),
    ("bob", "Arcadia Ministry of Justice", "ministry", "focal_point"),
    ("carol", "Arcadia Ministry of Health", "ministry", "viewer"),
]


@dataclass
class DemoResult:
    imports: list[ImportResult]
    password: str
    usernames: list[str]


def load_demo(
    *,
    password: str | None = None,
    shared_data: Path | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Load the demo recommendations, people and groups; return the imports and the password.

    Idempotent: running it again adds nothing, but sets the demo people's password to
    *password* (a new random one when not given). With *shared_data* (the folder holding
    raw/), also imports the real Slovenia matrices and UPR Info exports found there.
    """
    import secrets

    from rightstrack.accounts.services import add_user
    from rightstrack.recommendations import demo

    password = password or secrets.token_urlsafe(9)
    with transaction.atomic():
        load_reference_data()
        _upsert(
            Country,
            "code",
            {
                demo.COUNTRY_CODE: {
                    "name": demo.COUNTRY_NAME,
                    "alpha2": "",
                    "region": "",
                    "un_group": "",
                }
            },
        )
        results = [
            import_records(
                demo.read_records(),
                kind="rightstrack",
                file_name=demo.DEMO_FILE.name,
                progress=progress,
            )
        ]
        _create_demo_groups(demo.GROUPS)
        usernames = []
        for username, institution, kind, role in DEMO_PEOPLE:
            membership = add_user(
                f"{username}@example.org",
                username=username,
                institution=institution,
                institution_kind=kind,
                role=role,
                country=demo.COUNTRY_CODE,
                password=password,
            )
            if role == "admin":
                # The demo administrator can use the Django admin too.
                user = membership.user
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            usernames.append(username)
    # The demo shows the analysis and the review queue, as a real import would.
    from rightstrack.analysis.services import analyse_recommendations

    analyse_recommendations(
        Recommendation.objects.filter(country__code=demo.COUNTRY_CODE, analysis__isnull=True)
    )
    for path, kind in shared_data_files(shared_data) if shared_data else ():
        results.append(import_file(path, kind=kind, progress=progress))
    return DemoResult(imports=results, password=password, usernames=usernames)


def shared_data_files(folder: Path) -> list[tuple[Path, str]]:
    """Return the real files under *folder* (../shared/data or its raw/) that load_demo imports."""
    raw = folder / "raw" if (folder / "raw").is_dir() else folder
    found = [
        (p, "ohchr-matrix")
        for p in sorted((raw / "upr-slovenia-docs" / "thematic-lists").glob("*.docx"))
    ]
    found += [
        (raw / "upr-info-terman" / "upr-info-export-sessions1-20" / name, "upr-info")
        for name in ("1-5.csv", "6-9.csv", "10-13.csv")
    ]
    return [(path, kind) for path, kind in found if path.is_file()]


def _create_demo_groups(groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
    from rightstrack.recommendations.models import GroupMembership, RecommendationGroup

    for title, members in groups:
        group, _ = RecommendationGroup.objects.get_or_create(
            title=title,
            method="demo",
            defaults={"status": RecommendationGroup.Status.CONFIRMED, "confirmed": timezone.now()},
        )
        for symbol, paragraph in members:
            recommendation = Recommendation.objects.get(document_symbol=symbol, paragraph=paragraph)
            GroupMembership.objects.get_or_create(group=group, recommendation=recommendation)
