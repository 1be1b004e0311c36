"""Store the engine's analysis of recommendations, review its suggestions, keep groups.

The engine (`rightstrack.engine`) never sees a model: this module turns recommendations into
texts, calls the engine, and writes what it returns in bulk, a fixed number of queries per
chunk of recommendations. Three kinds of writes live here:

- the analysis (`Analysis`) and the classifier's suggested labels (`Label` with source
  "classifier" and review state "suggested"), which never overwrite or duplicate a label that
  came from a document or a person;
- the decisions of the review queue: every decision is kept as a label state, and an accepted
  or corrected suggestion becomes a label by that person (see docs/review-queue.md);
- groups of recommendations that say the same thing, proposed by the engine and confirmed,
  split or merged by people, and the "repeats an earlier recommendation" link.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from rightstrack.analysis.exceptions import GroupError, ReviewError
from rightstrack.engine.progress import Progress
from rightstrack.engine.taxonomies import normalise_term
from rightstrack.formats import records
from rightstrack.recommendations.models import (
    Analysis,
    Country,
    GroupMembership,
    ImportBatch,
    Label,
    Recommendation,
    RecommendationGroup,
    Taxonomy,
    Term,
)
from rightstrack.recommendations.search_index import bulk_writes
from rightstrack.recommendations.services import _insert_objects

#: The taxonomies the built-in analyser suggests labels for.
ANALYSED_TAXONOMIES = (records.GROUPS_OF_PERSONS, records.THEMES, records.SDG_GOALS)
#: Rows per bulk query; small enough for SQLite's variable limit.
CHUNK = 1000
#: Label sources a person trusts: a suggestion is never made for a term they already give.
TRUSTED_SOURCES = (Label.Source.DOCUMENT, Label.Source.PERSON)


# --- the engine, behind thin adapters -------------------------------------------------------


def analyser_version() -> str:
    """Return the version string stored with every analysis and classifier label."""
    from rightstrack import __version__
    from rightstrack.engine.analyse.model import load_model

    model = load_model()
    return f"builtin-{__version__}+{model.version if model else 'rules'}"[:60]


def _analyse_texts(texts: Sequence[str]) -> list[Any]:
    from rightstrack.engine.analyse import analyse_texts

    return analyse_texts(texts)


def _suggested_terms(result: Any) -> Iterator[tuple[str, str, float]]:
    """Yield (taxonomy slug, term name or code, confidence) of one engine analysis; the
    confidence of a rule's suggestion is its precision on OHCHR's labels, per label, as the
    engine's RuleAnalyser reports it (`engine/analyse/calibration.py`)."""
    from rightstrack.engine.analyse.calibration import confidence

    for name in result.affected_persons:
        yield records.GROUPS_OF_PERSONS, name, confidence(records.GROUPS_OF_PERSONS, name)
    for name in result.themes:
        yield records.THEMES, name, confidence(records.THEMES, name)
    for goal in result.sdg_goals:
        yield records.SDG_GOALS, str(goal), confidence(records.SDG_GOALS, str(goal))


def _reasons(reasons: Iterable[str]) -> dict[str, list[str]]:
    """Return the engine's reasons ("action: rule: ...") as finding -> readable reasons."""
    found: dict[str, list[str]] = {}
    for reason in reasons:
        finding, sep, why = reason.partition(": ")
        if not sep:
            finding, why = "other", reason
        found.setdefault(finding, []).append(why)
    return found


# --- analysis -------------------------------------------------------------------------------


class _Terms:
    """The terms of the analysed taxonomies by name and code, and what each term implies."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str], int] = {}
        self.taxonomy_of: dict[int, int] = {}
        #: term -> the terms a label with it already gives: itself, its crosswalk successors
        #: (a legacy UHRI theme from an old export) and its parent (an SDG target's goal).
        self.implies: dict[int, set[int]] = defaultdict(set)
        self.name_of: dict[int, str] = {}
        for pk, tax_id, slug, code, name, parent_id in Term.objects.values_list(
            "id", "taxonomy_id", "taxonomy__slug", "code", "name", "parent_id"
        ):
            self.taxonomy_of[pk] = tax_id
            self.implies[pk].add(pk)
            if parent_id:
                self.implies[pk].add(parent_id)
            if slug in ANALYSED_TAXONOMIES:
                self.name_of[pk] = name
                self.by_name.setdefault((slug, normalise_term(name)), pk)
                if code:
                    self.by_name.setdefault((slug, normalise_term(code)), pk)
        for legacy, current in Term.successors.through.objects.values_list(
            "from_term_id", "to_term_id"
        ):
            self.implies[legacy].add(current)

    def find(self, slug: str, name: str) -> int | None:
        return self.by_name.get((slug, normalise_term(name)))

    def protection_groups(self) -> set[int]:
        """The groups of persons whose label makes a recommendation protection-relevant."""
        from rightstrack.engine.analyse import PROTECTION_GROUPS

        found = {self.find(records.GROUPS_OF_PERSONS, name) for name in PROTECTION_GROUPS}
        return {pk for pk in found if pk is not None}


def _ids(recommendations: QuerySet[Recommendation] | Iterable[int]) -> list[int]:
    if isinstance(recommendations, QuerySet):
        return list(recommendations.order_by("id").values_list("id", flat=True))
    return sorted(set(recommendations))


def analyse_recommendations(
    recommendations: QuerySet[Recommendation] | Iterable[int],
    *,
    batch_size: int = 2000,
    progress: Progress | None = None,
    workers: int | None = None,
) -> int:
    """Analyse *recommendations* (a queryset or ids) and store the results; return how many.

    Stores one Analysis per recommendation (replacing an earlier one) and the suggested groups
    of persons, themes and SDG goals as Labels with source "classifier", the analyser's
    version as origin and review state "suggested". A term the recommendation already has
    from a document or a person (or implies through the legacy crosswalk or an SDG target) is
    never suggested; a suggestion a person already accepted or rejected is kept as it is and
    not made again. Earlier suggestions that the analyser no longer makes are removed, so a
    re-run is idempotent. Each chunk of *batch_size* is written in its own transaction with a
    fixed number of queries. *workers*: engine processes when there is more than one chunk
    (default `analysis_workers()`: the CPUs, at most 4).
    """
    if workers is None:
        workers = analysis_workers()
    ids = _ids(recommendations)
    total = len(ids)
    if progress:
        progress(0, total)
    if not ids:
        return 0
    version = analyser_version()
    terms = _Terms()
    protection = terms.protection_groups()
    analysed_tax = set(
        Taxonomy.objects.filter(slug__in=ANALYSED_TAXONOMIES).values_list("id", flat=True)
    )
    done = 0
    for rows, results in _analysed_chunks(ids, batch_size, workers):
        with transaction.atomic(), bulk_writes(fulltext=False):
            given = _store_suggestions(rows, results, version, terms, analysed_tax)
            # A group of stateless, displaced or refugee persons labelled on the recommendation
            # (by its document or a person) makes it protection-relevant, whatever the text's
            # words (Slovenia's 140.74: tagged "Stateless persons" by OHCHR; issue 14 §2).
            labelled = {
                rec_id: sorted(terms.name_of[t] for t in given[rec_id] & protection)
                for rec_id, _ in rows
                if given[rec_id] & protection
            }
            _store_analyses(rows, results, version, labelled)
        done += len(rows)
        if progress:
            progress(done, total)
    return done


#: Engine processes for a large analysis (RIGHTSTRACK_ANALYSIS_WORKERS; 1: in this process).
def analysis_workers() -> int:
    value = os.environ.get("RIGHTSTRACK_ANALYSIS_WORKERS", "")
    return max(1, int(value)) if value.strip().isdigit() else min(os.cpu_count() or 1, 4)


def _watch_parent(parent: int) -> None:
    """In an engine process: exit as soon as the importing process is gone.

    A killed import (SIGKILL, the OOM killer) cannot stop its workers, and they hold each
    other's ends of the pool's pipes, so they would wait for work forever (and keep the
    parent's stdout open). A thread checks once a second that the parent is still there.
    """
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _analysed_chunks(
    ids: Sequence[int], batch_size: int, workers: int
) -> Iterator[tuple[list[tuple[int, str]], list[Any]]]:
    """Yield (rows, engine results) chunk by chunk, in order.

    With more than one chunk and *workers* > 1, the engine (pure Python, no database) runs in
    that many processes over whole chunks, a few chunks ahead of the writes; the chunks and
    hence the results are the same as in one process. Texts are read here, in this process.
    """
    starts = range(0, len(ids), batch_size)

    def read(start: int) -> list[tuple[int, str]]:
        chunk = ids[start : start + batch_size]
        return list(Recommendation.objects.filter(id__in=chunk).values_list("id", "text"))

    # Forking a process that runs other threads (a threaded server, a test client's server)
    # can copy a lock another thread holds: there the engine runs in this process.
    if workers <= 1 or len(starts) <= 1 or threading.active_count() > 1:
        for start in starts:
            rows = read(start)
            yield rows, _analyse_texts([text for _, text in rows])
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start at once with the engine already imported; they never touch
    # the database connection they inherit.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    ) as pool:
        pending: deque[tuple[list[tuple[int, str]], Any]] = deque()
        for start in starts:
            rows = read(start)
            pending.append((rows, pool.submit(_analyse_texts, [text for _, text in rows])))
            # At most workers + 1 chunks in flight: memory stays bounded.
            if len(pending) > workers:
                rows, future = pending.popleft()
                yield rows, future.result()
        while pending:
            rows, future = pending.popleft()
            yield rows, future.result()


def analyse_imported(batch: ImportBatch, *, progress: Progress | None = None) -> int:
    """Analyse the recommendations *batch* created or changed; return how many.

    Unchanged recommendations of a re-import keep their earlier batch and analysis. Safe to
    call more than once; never touches labels from the imported document or from people.
    """
    return analyse_recommendations(
        Recommendation.objects.filter(import_batch=batch), progress=progress
    )


def _store_analyses(
    rows: Sequence[tuple[int, str]],
    results: Sequence[Any],
    version: str,
    labelled: dict[int, list[str]] | None = None,
) -> None:
    """Store one Analysis per row; *labelled* gives, per recommendation, the protection groups
    its document or a person labelled it with (they make it protection-relevant)."""
    labelled = labelled or {}

    def reasons(rec_id: int, result: Any) -> dict[str, list[str]]:
        found = _reasons(result.reasons)
        if not result.protection_relevant and rec_id in labelled:
            found.setdefault("protection", []).append(f"labelled {', '.join(labelled[rec_id])}")
        return found

    objs = [
        Analysis(
            recommendation_id=rec_id,
            action_category=result.action_category,
            action_verb=result.action_verb[:100],
            concrete_action=result.concrete_action,
            rights_holders_stated=result.rights_holders_stated,
            detail="; ".join(result.detail)[:200],
            protection_relevant=result.protection_relevant or rec_id in labelled,
            confidence=round(float(result.confidence), 4),
            reasons=reasons(rec_id, result),
            model_version=version,
        )
        for (rec_id, _), result in zip(rows, results, strict=True)
    ]
    Analysis.objects.bulk_create(
        objs,
        batch_size=CHUNK,
        update_conflicts=True,
        unique_fields=["recommendation"],
        update_fields=[
            "action_category",
            "action_verb",
            "concrete_action",
            "rights_holders_stated",
            "detail",
            "protection_relevant",
            "confidence",
            "reasons",
            "model_version",
            "created",
        ],
    )


def _store_suggestions(
    rows: Sequence[tuple[int, str]],
    results: Sequence[Any],
    version: str,
    terms: _Terms,
    analysed_tax: set[int],
) -> dict[int, set[int]]:
    """Store the suggestions; return, per recommendation, the terms its trusted labels give."""
    rec_ids = [rec_id for rec_id, _ in rows]
    given: dict[int, set[int]] = defaultdict(set)
    #: (recommendation, term) -> (pk, confidence, origin) of a suggestion still to review.
    suggested: dict[tuple[int, int], tuple[int, float | None, str]] = {}
    reviewed: set[tuple[int, int]] = set()
    for pk, rec_id, term_id, source, state, confidence, origin in Label.objects.filter(
        recommendation_id__in=rec_ids
    ).values_list(
        "id", "recommendation_id", "term_id", "source", "review_state", "confidence", "origin"
    ):
        if source in TRUSTED_SOURCES:
            if state != Label.ReviewState.REJECTED:
                given[rec_id] |= terms.implies.get(term_id, {term_id})
        elif terms.taxonomy_of.get(term_id) in analysed_tax:
            if state == Label.ReviewState.SUGGESTED:
                suggested[(rec_id, term_id)] = (pk, confidence, origin)
            else:
                reviewed.add((rec_id, term_id))

    to_add, to_update, keep = [], [], set()
    for rec_id, result in zip(rec_ids, results, strict=True):
        for slug, name, confidence in _suggested_terms(result):
            term_id = terms.find(slug, name)
            key = (rec_id, term_id)
            if term_id is None or key in keep or term_id in given[rec_id] or key in reviewed:
                continue
            keep.add(key)
            have = suggested.get(key)
            if have is None:
                to_add.append(
                    Label(
                        recommendation_id=rec_id,
                        term_id=term_id,
                        source=Label.Source.CLASSIFIER,
                        confidence=confidence,
                        origin=version,
                        review_state=Label.ReviewState.SUGGESTED,
                    )
                )
            elif (have[1], have[2]) != (confidence, version):
                to_update.append(Label(pk=have[0], confidence=confidence, origin=version))
    stale = [have[0] for key, have in suggested.items() if key not in keep]
    if stale:
        Label.objects.filter(pk__in=stale).delete()
    if to_update:
        Label.objects.bulk_update(to_update, ["confidence", "origin"], batch_size=CHUNK)
    # One executemany, not bulk_create (which compiles every value of every row).
    _insert_objects(Label, to_add, timezone.now())
    return given


# --- review decisions -----------------------------------------------------------------------


@dataclass
class ReviewResult:
    """What one bulk decision did."""

    accepted: int = 0
    rejected: int = 0
    #: Suggestions left as they were: their recommendation already had a label of that
    #: taxonomy from a document or a person, and replacing was not asked for.
    skipped: int = 0


def _check_suggestion(label: Label) -> None:
    if label.source != Label.Source.CLASSIFIER:
        raise ReviewError("only a classifier's suggestion can be accepted, rejected or corrected")


def accept_suggestion(label: Label, *, user: Any) -> Label:
    """Accept one suggestion: mark it accepted and give its term as a label by *user*.

    Returns the person's label. The classifier's label stays, as history, with state
    "accepted" and *user* as its author. Never removes other labels.
    """
    _check_suggestion(label)
    with transaction.atomic():
        _accept([label.pk], user=user, replace=False, only_empty=False)
    return Label.objects.get(
        recommendation_id=label.recommendation_id,
        term_id=label.term_id,
        source=Label.Source.PERSON,
    )


def reject_suggestion(label: Label, *, user: Any) -> None:
    """Reject one suggestion (state "rejected", *user* as author); it is never suggested again.

    When the suggestion had been accepted, the person label that acceptance gave is rejected
    too, so undoing an acceptance leaves no trace but the history.
    """
    _check_suggestion(label)
    with transaction.atomic():
        _reject([label.pk], user=user)


def correct_suggestion(label: Label, *, term: Term, user: Any) -> Label:
    """Replace a suggestion by another term of the same taxonomy, chosen by *user*.

    Creates (or restores) a person label for *term* and rejects the suggestion; returns the
    person's label. Raises ReviewError when *term* belongs to another taxonomy.
    """
    _check_suggestion(label)
    if term.taxonomy_id != label.term.taxonomy_id:
        raise ReviewError(f"{term.name!r} is not a term of {label.term.taxonomy.name}")
    if term.pk == label.term_id:
        return accept_suggestion(label, user=user)
    with transaction.atomic():
        _reject([label.pk], user=user)
        _give_person_labels([(label.recommendation_id, term.pk)], user=user)
    return Label.objects.get(
        recommendation_id=label.recommendation_id, term=term, source=Label.Source.PERSON
    )


def accept_suggestions(
    labels: QuerySet[Label], *, user: Any, replace: bool = False
) -> ReviewResult:
    """Accept the suggestions in *labels* in bulk; return the counts.

    Only fills empty fields: a suggestion whose recommendation already has a label of the same
    taxonomy from a document or a person is skipped. With *replace*, those are accepted too,
    and the recommendation's other person labels of that taxonomy are rejected (labels from a
    document are never changed: they record what the UN document says).
    """
    ids = list(
        labels.filter(source=Label.Source.CLASSIFIER)
        .exclude(review_state=Label.ReviewState.ACCEPTED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    result = ReviewResult()
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            accepted, skipped = _accept(
                ids[start : start + CHUNK], user=user, replace=replace, only_empty=not replace
            )
        result.accepted += accepted
        result.skipped += skipped
    return result


def reject_suggestions(labels: QuerySet[Label], *, user: Any) -> ReviewResult:
    """Reject the suggestions in *labels* in bulk; return the counts."""
    ids = list(
        labels.filter(source=Label.Source.CLASSIFIER)
        .exclude(review_state=Label.ReviewState.REJECTED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    result = ReviewResult()
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            result.rejected += _reject(ids[start : start + CHUNK], user=user)
    return result


def _accept(ids: Sequence[int], *, user: Any, replace: bool, only_empty: bool) -> tuple[int, int]:
    rows = list(
        Label.objects.filter(pk__in=ids).values_list(
            "id", "recommendation_id", "term_id", "term__taxonomy_id"
        )
    )
    rec_ids = {rec_id for _, rec_id, _, _ in rows}
    tax_ids = {tax for _, _, _, tax in rows}
    filled: set[tuple[int, int]] = set()
    #: (recommendation, taxonomy) -> [(label, term)] of the live person labels.
    person_labels: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for pk, rec_id, term_id, tax_id, source in (
        Label.objects.filter(
            recommendation_id__in=rec_ids,
            term__taxonomy_id__in=tax_ids,
            source__in=TRUSTED_SOURCES,
        )
        .exclude(review_state=Label.ReviewState.REJECTED)
        .values_list("id", "recommendation_id", "term_id", "term__taxonomy_id", "source")
    ):
        filled.add((rec_id, tax_id))
        if source == Label.Source.PERSON:
            person_labels[(rec_id, tax_id)].append((pk, term_id))
    accepted = [row for row in rows if not (only_empty and (row[1], row[3]) in filled)]
    Label.objects.filter(pk__in=[row[0] for row in accepted]).update(
        review_state=Label.ReviewState.ACCEPTED, author=user
    )
    _give_person_labels([(rec_id, term_id) for _, rec_id, term_id, _ in accepted], user=user)
    if replace:
        wanted = {(rec_id, term_id) for _, rec_id, term_id, _ in accepted}
        replaced = [
            pk
            for _, rec_id, _, tax_id in accepted
            for pk, term_id in person_labels.get((rec_id, tax_id), ())
            if (rec_id, term_id) not in wanted
        ]
        Label.objects.filter(pk__in=replaced).update(review_state=Label.ReviewState.REJECTED)
    return len(accepted), len(rows) - len(accepted)


def _reject(ids: Sequence[int], *, user: Any) -> int:
    rows = list(
        Label.objects.filter(pk__in=ids).values_list("recommendation_id", "term_id", "review_state")
    )
    undone = [
        (rec_id, term_id) for rec_id, term_id, state in rows if state == Label.ReviewState.ACCEPTED
    ]
    if undone:
        wanted = set(undone)
        given = [
            pk
            for pk, rec_id, term_id in Label.objects.filter(
                recommendation_id__in={rec_id for rec_id, _ in undone}, source=Label.Source.PERSON
            ).values_list("id", "recommendation_id", "term_id")
            if (rec_id, term_id) in wanted
        ]
        Label.objects.filter(pk__in=given).update(review_state=Label.ReviewState.REJECTED)
    return Label.objects.filter(pk__in=ids).update(
        review_state=Label.ReviewState.REJECTED, author=user
    )


def _give_person_labels(pairs: Sequence[tuple[int, int]], *, user: Any) -> None:
    """Make sure each (recommendation, term) has a live person label, by *user* when new."""
    if not pairs:
        return
    rec_ids = {rec_id for rec_id, _ in pairs}
    have = {
        (rec_id, term_id): (pk, state)
        for pk, rec_id, term_id, state in Label.objects.filter(
            recommendation_id__in=rec_ids, source=Label.Source.PERSON
        ).values_list("id", "recommendation_id", "term_id", "review_state")
    }
    origin = user.get_username()[:200] if user is not None else ""
    new, restore = [], []
    for pair in dict.fromkeys(pairs):
        found = have.get(pair)
        if found is None:
            new.append(
                Label(
                    recommendation_id=pair[0],
                    term_id=pair[1],
                    source=Label.Source.PERSON,
                    origin=origin,
                    author=user,
                    review_state=Label.ReviewState.ACCEPTED,
                )
            )
        elif found[1] == Label.ReviewState.REJECTED:
            restore.append(found[0])
    if restore:
        Label.objects.filter(pk__in=restore).update(
            review_state=Label.ReviewState.ACCEPTED, author=user, origin=origin
        )
    Label.objects.bulk_create(new, batch_size=CHUNK)


# --- training data --------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRow:
    """One recommendation's text and the labels people and documents gave it."""

    code: str
    text: str
    labels: tuple[str, ...]


def export_training_data(taxonomy_slug: str) -> Iterator[TrainingRow]:
    """Yield every recommendation that has trusted labels of *taxonomy_slug*, with them.

    Trusted labels are those from a source document or a person that nobody rejected: people's
    corrections and accepted suggestions are in, suggestions nobody reviewed and rejected
    labels are out. Rows come in recommendation order, read in chunks so that memory stays
    flat. Raises ReviewError for an unknown taxonomy.
    """
    taxonomy = Taxonomy.objects.filter(slug=taxonomy_slug).first()
    if taxonomy is None:
        raise ReviewError(f"unknown taxonomy {taxonomy_slug!r}")
    trusted = Label.objects.filter(term__taxonomy=taxonomy, source__in=TRUSTED_SOURCES).exclude(
        review_state=Label.ReviewState.REJECTED
    )
    ids = list(
        trusted.order_by("recommendation_id").values_list("recommendation_id", flat=True).distinct()
    )
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        names: dict[int, list[str]] = defaultdict(list)
        for rec_id, name in (
            trusted.filter(recommendation_id__in=chunk)
            .order_by("term__sort", "term__name")
            .values_list("recommendation_id", "term__name")
        ):
            if name not in names[rec_id]:
                names[rec_id].append(name)
        for rec_id, code, text in (
            Recommendation.objects.filter(id__in=chunk)
            .order_by("id")
            .values_list("id", "code", "text")
        ):
            yield TrainingRow(str(code), text, tuple(names[rec_id]))


# --- groups and repeats ---------------------------------------------------------------------


def _group_texts(
    items: Sequence[tuple[str, str]], *, threshold: float | None, method: str
) -> list[Any]:
    from rightstrack.engine.cluster import group_texts

    return group_texts(items, threshold=threshold, method=method)


def _find_repeats(
    earlier: Sequence[tuple[str, str]],
    later: Sequence[tuple[str, str]],
    *,
    threshold: float | None,
    method: str,
) -> list[Any]:
    from rightstrack.engine.cluster import find_repeats

    return find_repeats(earlier, later, threshold=threshold, method=method)


def _describe(texts: Sequence[str]) -> tuple[tuple[str, ...], list[float]]:
    """Return the key phrases *texts* share and each one's mean similarity to the others.

    Used when people change a group's members, so the explanation follows the new members.
    """
    import numpy as np

    from rightstrack.engine.cluster.grouping import key_phrases
    from rightstrack.engine.cluster.vectors import vectorise

    if len(texts) < 2:
        return (), [1.0] * len(texts)
    vectors = vectorise(texts, method="lexical")
    members = list(range(len(texts)))
    product = vectors.matrix @ vectors.matrix.T
    similarity = np.minimum(
        np.asarray(product.toarray() if hasattr(product, "toarray") else product), 1.0
    )
    per_member = (similarity.sum(axis=1) - similarity.diagonal()) / (len(texts) - 1)
    return key_phrases(vectors, members, texts), [round(float(s), 4) for s in per_member]


def _title(phrases: Sequence[str], first_text: str) -> str:
    if phrases:
        return ", ".join(phrases[:3])
    return first_text[:120]


@transaction.atomic
def propose_groups(
    recommendations: QuerySet[Recommendation],
    *,
    threshold: float | None = None,
    method: str = "lexical",
) -> list[RecommendationGroup]:
    """Propose groups of *recommendations* that ask for the same thing; return the new groups.

    Earlier *proposed* groups with a member among *recommendations* are replaced; confirmed
    groups are never touched, and their members are left out of the new proposals. Only groups
    of two or more are stored, each with its method, shared key phrases and each member's
    similarity. *threshold* None means the engine's default for *method*. Raises InputError
    (from the engine) for an unknown method or a threshold outside 0-1.
    """
    ids = list(recommendations.values_list("id", flat=True))
    confirmed = set(
        GroupMembership.objects.filter(
            recommendation_id__in=ids, group__status=RecommendationGroup.Status.CONFIRMED
        ).values_list("recommendation_id", flat=True)
    )
    RecommendationGroup.objects.filter(
        status=RecommendationGroup.Status.PROPOSED, memberships__recommendation_id__in=ids
    ).distinct().delete()
    rows = list(
        Recommendation.objects.filter(id__in=ids)
        .exclude(id__in=confirmed)
        .order_by("year", "id")
        .values_list("id", "text")
    )
    found = [
        g
        for g in _group_texts(
            [(str(pk), text) for pk, text in rows], threshold=threshold, method=method
        )
        if g.size > 1
    ]
    text_of = dict(rows)
    used = threshold if threshold is not None else _default_threshold(method)
    label = f"{method} {used:.2f}"[:60]
    groups = RecommendationGroup.objects.bulk_create(
        [
            RecommendationGroup(
                title=g.title or _title(g.key_phrases, text_of[int(g.members[0])]),
                method=label,
                status=RecommendationGroup.Status.PROPOSED,
                key_phrases="; ".join(g.key_phrases),
            )
            for g in found
        ],
        batch_size=CHUNK,
    )
    if groups and not groups[0].pk:
        # Backends that cannot return ids from a bulk insert: read the new groups back.
        groups = list(
            RecommendationGroup.objects.filter(code__in=[g.code for g in groups]).order_by("id")
        )
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(group=group, recommendation_id=int(member), similarity=similarity)
            for group, g in zip(groups, found, strict=True)
            for member, similarity in zip(g.members, g.member_similarity, strict=True)
        ],
        batch_size=CHUNK,
    )
    return groups


def _default_threshold(method: str) -> float:
    from rightstrack.engine.cluster.grouping import DEFAULT_THRESHOLDS

    return DEFAULT_THRESHOLDS.get(method, 0.0)


def confirm_group(group: RecommendationGroup, *, user: Any) -> RecommendationGroup:
    """Mark *group* as confirmed by *user*, now; return it. Confirming again changes nothing."""
    if group.status != RecommendationGroup.Status.CONFIRMED:
        group.status = RecommendationGroup.Status.CONFIRMED
        group.confirmed_by = user
        group.confirmed = timezone.now()
        group.save(update_fields=["status", "confirmed_by", "confirmed"])
    return group


def _confirm(group: RecommendationGroup, user: Any, now: Any) -> None:
    group.status = RecommendationGroup.Status.CONFIRMED
    group.confirmed_by = user
    group.confirmed = now


def _redescribe(group: RecommendationGroup) -> None:
    """Recompute the key phrases, title and member similarities after members changed."""
    memberships = list(
        group.memberships.select_related("recommendation").order_by(
            "recommendation__year", "recommendation_id"
        )
    )
    texts = [m.recommendation.text for m in memberships]
    phrases, similarities = _describe(texts)
    for membership, similarity in zip(memberships, similarities, strict=True):
        membership.similarity = similarity
    GroupMembership.objects.bulk_update(memberships, ["similarity"])
    group.key_phrases = "; ".join(phrases)
    # Named as the engine names a proposal: its most central member's opening words, which a
    # person recognises, not a list of word pairs (issue 14 §4).
    from rightstrack.engine.cluster.grouping import group_title

    central = max(range(len(texts)), key=lambda k: (similarities[k], -k)) if texts else None
    group.title = group_title(texts[central])[:200] if central is not None else ""


@transaction.atomic
def split_group(
    group: RecommendationGroup, recommendation_ids: Iterable[int], *, user: Any
) -> RecommendationGroup:
    """Move *recommendation_ids* out of *group* into a new group; return the new group.

    A person decided where each belongs, so both groups are confirmed by *user*, and each
    one's key phrases and similarities are recomputed for its members. Raises GroupError when
    an id is not a member or when every member (or none) would move.
    """
    moving = set(recommendation_ids)
    members = set(group.memberships.values_list("recommendation_id", flat=True))
    if not moving or not moving <= members:
        raise GroupError("choose recommendations of this group to split off")
    if moving == members:
        raise GroupError("a split must leave at least one recommendation in the group")
    now = timezone.now()
    new = RecommendationGroup(method="split", status=RecommendationGroup.Status.CONFIRMED)
    _confirm(new, user, now)
    new.save()
    group.memberships.filter(recommendation_id__in=moving).update(group=new)
    _confirm(group, user, now)
    for changed in (group, new):
        _redescribe(changed)
        changed.save()
    return new


@transaction.atomic
def merge_groups(groups: Sequence[RecommendationGroup], *, user: Any) -> RecommendationGroup:
    """Merge *groups* into the first of them; return it, confirmed by *user*.

    The other groups are deleted once their members have moved (a recommendation in several
    of them is kept once). Raises GroupError for fewer than two distinct groups.
    """
    target, *others = list(dict.fromkeys(groups))
    if not others:
        raise GroupError("choose at least two groups to merge")
    have = set(target.memberships.values_list("recommendation_id", flat=True))
    moved = []
    for membership in GroupMembership.objects.filter(group__in=others).order_by("id"):
        if membership.recommendation_id not in have:
            have.add(membership.recommendation_id)
            moved.append(
                GroupMembership(
                    group=target,
                    recommendation_id=membership.recommendation_id,
                    similarity=membership.similarity,
                )
            )
    RecommendationGroup.objects.filter(pk__in=[g.pk for g in others]).delete()
    GroupMembership.objects.bulk_create(moved)
    _confirm(target, user, timezone.now())
    _redescribe(target)
    target.method = "merged"
    target.save()
    return target


def mark_repeats(
    country: Country, *, threshold: float | None = None, method: str = "lexical"
) -> int:
    """Link each recommendation to *country* to an earlier one it repeats; return how many.

    "Earlier" means an earlier year, or the same year
    and an earlier document date; the earlier one may come from any mechanism or body. Each
    recommendation gets its single most similar earlier one at or above *threshold* (the
    engine's default when None); links found before and not found now are cleared.
    Recommendations with no year are left alone.
    """
    rows = list(
        Recommendation.objects.filter(country=country, year__isnull=False)
        .order_by("year", "date", "id")
        .values_list("id", "text", "year", "date")
    )
    periods: dict[tuple[int, Any], list[tuple[str, str]]] = defaultdict(list)
    for pk, text, year, day in rows:
        periods[(year, day)].append((str(pk), text))
    links: dict[int, int] = {}
    for (year, day), later in periods.items():
        earlier = [
            (str(pk), text)
            for pk, text, y, d in rows
            if y < year or (y == year and day is not None and d is not None and d < day)
        ]
        for pair in _find_repeats(earlier, later, threshold=threshold, method=method):
            links[int(pair.later_id)] = int(pair.earlier_id)
    with transaction.atomic():
        stale = [pk for pk, *_ in rows if pk not in links]
        for start in range(0, len(stale), CHUNK):
            Recommendation.objects.filter(id__in=stale[start : start + CHUNK]).exclude(
                repeats=None
            ).update(repeats=None)
        changed = [
            Recommendation(pk=later_id, repeats_id=earlier_id)
            for later_id, earlier_id in links.items()
        ]
        Recommendation.objects.bulk_update(changed, ["repeats"], batch_size=CHUNK)
    return len(links)
