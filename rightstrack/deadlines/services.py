"""Deadlines derived from the rules, and committee grades recorded with their history.

The Deadline table is materialised: `refresh_*` recompute the rows derived from some objects
(delete and rewrite them, in one transaction, with a handful of queries whatever their number).
rightstrack.deadlines.signals calls them when a rule, a document, a review, an assignment, an
indicator or an import changes; `refresh_all()` (also `rightstrack manage recompute_deadlines`,
and every `send-reminders` run) recomputes everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from rightstrack.accounts import permissions as perms
from rightstrack.core import upr_calendar as cal
from rightstrack.deadlines.models import (
    GRADES_BY_SCALE,
    CommitteeGrade,
    Deadline,
    FollowUpRule,
    Grading,
    Kind,
    UprRule,
)
from rightstrack.recommendations.models import (
    Document,
    Mechanism,
    Recommendation,
    Review,
    SubItem,
)
from rightstrack.tracking.exceptions import Invalid, NotAllowed
from rightstrack.tracking.models import Assignment, Indicator, Measurement

#: Months between measurements, by Indicator.frequency.
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


# --- rules --------------------------------------------------------------------------------------


class Rules:
    """All rules, read once, to look up the one valid for a body on a day without queries."""

    def __init__(self) -> None:
        self.follow_up: dict[str, list[FollowUpRule]] = {}
        for rule in FollowUpRule.objects.order_by("valid_from"):
            self.follow_up.setdefault(rule.body_code.upper(), []).append(rule)
        self.upr = list(UprRule.objects.order_by("valid_from"))

    @staticmethod
    def _pick(rules: Iterable[Any], day: dt.date | None) -> Any:
        found = None
        for rule in rules:
            if day is None or (
                rule.valid_from <= day and (rule.valid_to is None or day <= rule.valid_to)
            ):
                found = rule
        return found

    def follow_up_rule(self, body_code: str, day: dt.date | None) -> FollowUpRule | None:
        return self._pick(self.follow_up.get(body_code.upper(), ()), day)

    def upr_rule(self, day: dt.date | None) -> UprRule | None:
        return self._pick(self.upr, day) or (self.upr[-1] if self.upr else None)


def follow_up_rule(body_code: str, day: dt.date | None) -> FollowUpRule | None:
    """Return the follow-up rule of *body_code* valid on *day*."""
    return Rules().follow_up_rule(body_code, day)


def load_default_rules(*, replace: bool = False) -> int:
    """Load the rules of rightstrack.deadlines.defaults that are missing; return how many."""
    from rightstrack.deadlines import defaults

    n = 0
    for data in defaults.FOLLOW_UP_RULES:
        fields = {k: v for k, v in data.items() if k not in ("body_code", "valid_from")}
        key = {"body_code": data["body_code"], "valid_from": data["valid_from"]}
        if replace:
            FollowUpRule.objects.update_or_create(**key, defaults=fields)
            n += 1
        else:
            n += FollowUpRule.objects.get_or_create(**key, defaults=fields)[1]
    for data in defaults.UPR_RULES:
        fields = {k: v for k, v in data.items() if k != "valid_from"}
        if replace:
            UprRule.objects.update_or_create(valid_from=data["valid_from"], defaults=fields)
            n += 1
        else:
            n += UprRule.objects.get_or_create(valid_from=data["valid_from"], defaults=fields)[1]
    return n


# --- deriving deadlines -------------------------------------------------------------------------


def _label(rec: Recommendation) -> str:
    where = rec.document_symbol or (rec.document.symbol if rec.document_id else "")
    para = f" ¶ {rec.paragraph}" if rec.paragraph else ""
    return f"{rec.body.code} {where}{para}".strip()


def _follow_up_deadlines(recs: Iterable[Recommendation], rules: Rules) -> list[Deadline]:
    out = []
    for rec in recs:
        if rec.mechanism != Mechanism.TREATY_BODY:
            continue
        if not (rec.follow_up or rec.follow_up_due_date):
            continue
        issued = (rec.document.date if rec.document_id else None) or rec.date
        date, source = rec.follow_up_due_date, ""
        if date is not None:
            source = f"date set in {rec.document_symbol or 'the concluding observations'}"
        else:
            rule = rules.follow_up_rule(rec.body.code, issued)
            if issued is None or rule is None or not rule.runs_follow_up or not rule.reply_months:
                continue
            date = cal.add_months(issued, rule.reply_months)
            source = f"{rule.reply_months} months after {issued.isoformat()}: {rule.source}"
        out.append(
            Deadline(
                key=f"follow_up_reply:{rec.pk}",
                kind=Kind.FOLLOW_UP_REPLY,
                date=date,
                title=f"Follow-up reply: {_label(rec)}"[:300],
                country_id=rec.country_id,
                recommendation_id=rec.pk,
                review_id=rec.review_id,
                document_id=rec.document_id,
                rule=source[:300],
            )
        )
    return out


def _periodic_deadlines(docs: Iterable[Document], rules: Rules) -> list[Deadline]:
    out = []
    for doc in docs:
        if doc.country_id is None or doc.kind != Document.Kind.CONCLUDING_OBSERVATIONS:
            continue
        date, source = doc.next_report_due, f"date set in {doc.symbol or 'the document'}"
        body = doc.body.code if doc.body_id else ""
        rule = rules.follow_up_rule(body, doc.date) if body else None
        if date is None:
            if rule is None or not rule.periodic_report_months or doc.date is None:
                continue
            date = cal.add_months(doc.date, rule.periodic_report_months)
            source = f"{rule.periodic_report_months} months after {doc.date}: {rule.source}"
        procedure = (
            " (simplified reporting procedure)" if rule and rule.simplified_reporting else ""
        )
        out.append(
            Deadline(
                key=f"periodic_report:{doc.pk}",
                kind=Kind.PERIODIC_REPORT,
                date=date,
                title=f"{body} periodic report{procedure} after {doc.symbol}".strip()[:300],
                country_id=doc.country_id,
                review_id=doc.review_id,
                document_id=doc.pk,
                rule=source[:300],
            )
        )
    return out


def upr_dates(review: Review, rules: Rules | None = None) -> dict[str, Any]:
    """Return the dates of a UPR review: review, adoption, mid-term, next review, with sources."""
    rules = rules or Rules()
    session = cal.session(review.session)
    held = session.end if session else review.date
    if held is None:
        return {}
    rule = rules.upr_rule(held)
    if rule is None:
        return {}
    adoption = cal.add_months(held, rule.adoption_months)
    following = cal.next_review_session(review.session)
    if following is not None:
        next_review = following.start
        next_source = f"session {following.number} ({cal.SOURCE})"
        if following.provisional:
            next_source = "provisional: " + next_source
    else:
        next_review = cal.add_months(session.start if session else held, rule.cycle_months)
        next_source = f"{rule.cycle_months} months after the review: {rule.source}"
    return {
        "session": session,
        "held": held,
        "adoption": adoption,
        "midterm": cal.add_months(adoption, rule.midterm_months),
        "midterm_source": f"{rule.midterm_months} months after the adoption "
        f"(about {adoption.isoformat()}): {rule.source}",
        "next_review": next_review,
        "next_source": next_source,
    }


def _upr_deadlines(reviews: Iterable[Review], rules: Rules) -> list[Deadline]:
    """Mid-term report and next review of each State's latest UPR review."""
    latest: dict[int, tuple[dt.date, Review, dict[str, Any]]] = {}
    for review in reviews:
        dates = upr_dates(review, rules)
        if not dates:
            continue
        known = latest.get(review.country_id)
        if known is None or dates["held"] > known[0]:
            latest[review.country_id] = (dates["held"], review, dates)
    out = []
    for country_id, (_held, review, dates) in latest.items():
        session = f"UPR session {review.session}" if review.session else "UPR review"
        out.append(
            Deadline(
                key=f"upr_midterm:{review.pk}",
                kind=Kind.UPR_MIDTERM,
                date=dates["midterm"],
                title=f"UPR mid-term report ({session})",
                country_id=country_id,
                review_id=review.pk,
                rule=dates["midterm_source"][:300],
            )
        )
        out.append(
            Deadline(
                key=f"upr_review:{review.pk}",
                kind=Kind.UPR_REVIEW,
                date=dates["next_review"],
                title=f"Next UPR review (after {session})",
                country_id=country_id,
                review_id=review.pk,
                rule=dates["next_source"][:300],
            )
        )
    return out


def _assignment_deadlines(assignments: Iterable[Assignment]) -> list[Deadline]:
    return [
        Deadline(
            key=f"assignment:{a.pk}",
            kind=Kind.ASSIGNMENT_DUE,
            date=a.due,
            title=f"{_label(a.recommendation)}"
            + (f"({a.sub_item.label})" if a.sub_item_id else "")
            + f": {a.institution.name} reports ({a.get_role_display()})",
            country_id=a.country_id,
            recommendation_id=a.recommendation_id,
            institution_id=a.institution_id,
            assignment_id=a.pk,
            rule="due date of the assignment",
        )
        for a in assignments
        if a.active and a.due
    ]


def _measurement_deadlines(indicators: Iterable[Indicator]) -> list[Deadline]:
    ids = [i.pk for i in indicators]
    last = dict(
        Measurement.objects.filter(indicator_id__in=ids)
        .values("indicator_id")
        .annotate(last=Max("date"))
        .values_list("indicator_id", "last")
    )
    first_rec = dict(
        Indicator.recommendations.through.objects.filter(indicator_id__in=ids)
        .values("indicator_id")
        .annotate(first=Min("recommendation_id"))
        .values_list("indicator_id", "first")
    )
    out = []
    for ind in indicators:
        months = FREQUENCY_MONTHS.get(ind.frequency)
        since = last.get(ind.pk) or ind.baseline_date or timezone.localtime(ind.created).date()
        if months:
            date = cal.add_months(since, months)
            rule = f"{ind.get_frequency_display()} since {since.isoformat()}"
        elif ind.frequency == "once" and ind.target_date and ind.pk not in last:
            date, rule = ind.target_date, "measured once, by the target date"
        else:
            continue
        out.append(
            Deadline(
                key=f"measurement:{ind.pk}",
                kind=Kind.MEASUREMENT_DUE,
                date=date,
                title=f"Measure “{ind.name}” ({ind.institution.name})"[:300],
                country_id=ind.country_id,
                recommendation_id=first_rec.get(ind.pk),
                institution_id=ind.institution_id,
                indicator_id=ind.pk,
                rule=rule[:300],
            )
        )
    return out


def _replace(stale: Q, rows: list[Deadline]) -> int:
    with transaction.atomic():
        Deadline.objects.filter(stale).delete()
        Deadline.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _recs() -> Any:
    return Recommendation.objects.select_related("body", "document").only(
        "id",
        "country_id",
        "review_id",
        "document_id",
        "document__date",
        "document__symbol",
        "body__code",
        "mechanism",
        "document_symbol",
        "paragraph",
        "date",
        "follow_up",
        "follow_up_due_date",
    )


def refresh_recommendations(ids: Iterable[int], rules: Rules | None = None) -> int:
    ids = list(ids)
    rules = rules or Rules()
    rows = _follow_up_deadlines(_recs().filter(pk__in=ids), rules)
    return _replace(Q(kind=Kind.FOLLOW_UP_REPLY, recommendation_id__in=ids), rows)


def refresh_documents(ids: Iterable[int], rules: Rules | None = None) -> int:
    ids = list(ids)
    rules = rules or Rules()
    docs = Document.objects.select_related("body").filter(pk__in=ids)
    return _replace(
        Q(kind=Kind.PERIODIC_REPORT, document_id__in=ids), _periodic_deadlines(docs, rules)
    )


def refresh_reviews(country_ids: Iterable[int], rules: Rules | None = None) -> int:
    """Recompute the UPR deadlines of these States (from their latest UPR review)."""
    country_ids = list(country_ids)
    rules = rules or Rules()
    reviews = Review.objects.filter(country_id__in=country_ids, body__mechanism=Mechanism.UPR)
    return _replace(
        Q(kind__in=[Kind.UPR_MIDTERM, Kind.UPR_REVIEW], country_id__in=country_ids),
        _upr_deadlines(reviews, rules),
    )


def refresh_assignments(ids: Iterable[int]) -> int:
    ids = list(ids)
    qs = Assignment.objects.select_related(
        "recommendation__body", "recommendation__document", "institution", "sub_item"
    ).filter(pk__in=ids)
    return _replace(Q(kind=Kind.ASSIGNMENT_DUE, assignment_id__in=ids), _assignment_deadlines(qs))


def refresh_indicators(ids: Iterable[int]) -> int:
    ids = list(ids)
    qs = list(Indicator.objects.select_related("institution").filter(pk__in=ids))
    return _replace(Q(kind=Kind.MEASUREMENT_DUE, indicator_id__in=ids), _measurement_deadlines(qs))


def refresh_body(body_code: str) -> int:
    """Recompute what a change to *body_code*'s rules changes."""
    rules = Rules()
    recs = Recommendation.objects.filter(body__code=body_code).filter(
        Q(follow_up=True) | Q(follow_up_due_date__isnull=False)
    )
    n = refresh_recommendations(recs.values_list("id", flat=True), rules)
    docs = Document.objects.filter(body__code=body_code).values_list("id", flat=True)
    return n + refresh_documents(docs, rules)


def refresh_upr() -> int:
    countries = Review.objects.filter(body__mechanism=Mechanism.UPR).values_list(
        "country_id", flat=True
    )
    return refresh_reviews(set(countries))


def refresh_all() -> dict[str, int]:
    """Recompute every deadline; return how many of each kind."""
    rules = Rules()
    counts: dict[str, int] = {}
    with transaction.atomic():
        recs = (
            _recs()
            .filter(mechanism=Mechanism.TREATY_BODY)
            .filter(Q(follow_up=True) | Q(follow_up_due_date__isnull=False))
        )
        counts["follow_up_reply"] = _replace(
            Q(kind=Kind.FOLLOW_UP_REPLY), _follow_up_deadlines(recs.iterator(2000), rules)
        )
        docs = Document.objects.select_related("body").exclude(country=None)
        counts["periodic_report"] = _replace(
            Q(kind=Kind.PERIODIC_REPORT), _periodic_deadlines(docs, rules)
        )
        reviews = Review.objects.filter(body__mechanism=Mechanism.UPR)
        rows = _upr_deadlines(reviews, rules)
        _replace(Q(kind__in=[Kind.UPR_MIDTERM, Kind.UPR_REVIEW]), rows)
        counts["upr_midterm"] = counts["upr_review"] = len(rows) // 2
        assignments = (
            Assignment.objects.filter(active=True)
            .exclude(due=None)
            .select_related(
                "recommendation__body", "recommendation__document", "institution", "sub_item"
            )
        )
        counts["assignment_due"] = _replace(
            Q(kind=Kind.ASSIGNMENT_DUE), _assignment_deadlines(assignments.iterator(2000))
        )
        indicators = list(Indicator.objects.select_related("institution"))
        counts["measurement_due"] = _replace(
            Q(kind=Kind.MEASUREMENT_DUE), _measurement_deadlines(indicators)
        )
    return counts


def refresh_import(batch_id: int) -> int:
    """Recompute what an import changed: its recommendations, their documents and reviews.

    Works on subqueries, not lists of ids: an import can hold 40,000 recommendations, more
    than SQLite accepts as parameters of one query.
    """
    rules = Rules()
    recs = Recommendation.objects.filter(import_batch_id=batch_id)
    selected = (
        _recs()
        .filter(import_batch_id=batch_id, mechanism=Mechanism.TREATY_BODY)
        .filter(Q(follow_up=True) | Q(follow_up_due_date__isnull=False))
    )
    n = _replace(
        Q(kind=Kind.FOLLOW_UP_REPLY, recommendation__import_batch_id=batch_id),
        _follow_up_deadlines(selected.iterator(2000), rules),
    )
    docs = Document.objects.select_related("body").filter(
        pk__in=recs.exclude(document=None).values("document_id")
    )
    n += _replace(
        Q(kind=Kind.PERIODIC_REPORT, document__in=docs.values("pk")),
        _periodic_deadlines(docs, rules),
    )
    countries = set(recs.order_by().values_list("country_id", flat=True).distinct())
    return n + refresh_reviews(countries, rules)


# --- committee grades -------------------------------------------------------------------------


def scale_for(body_code: str, day: dt.date) -> str:
    rule = follow_up_rule(body_code, day)
    return rule.grading if rule is not None else Grading.NONE


def record_grade(
    user: Any,
    recommendation: Recommendation,
    *,
    grade: Any,
    date: Any,
    document_symbol: Any = "",
    note: Any = "",
    sub_item: Any = None,
) -> CommitteeGrade:
    """Record the grade a treaty body gave the State's follow-up reply on *recommendation*.

    Coordinators of the State (and administrators) record it; the history gets an Event. The
    grade must be on the scale the body used on that date (its FollowUpRule), e.g. B1 on the
    Human Rights Committee's scale before August 2013 and B after.
    """
    from rightstrack.tracking import services as tracking

    scope = perms.scope_for(user)
    if not scope.manages(recommendation.country_id):
        if not Recommendation.objects.visible_to(user).filter(pk=recommendation.pk).exists():
            raise NotAllowed("you may not record grades for this State")
        raise NotAllowed("only the State's coordinators record committee grades")
    if recommendation.mechanism != Mechanism.TREATY_BODY:
        raise Invalid("recommendation", "only treaty body recommendations are graded")
    day = tracking._date(date, "date", past=True)
    body = recommendation.body
    scale = scale_for(body.code, day)
    allowed = GRADES_BY_SCALE.get(scale, ())
    grade = str(grade or "").strip()
    if grade.upper() in allowed:
        grade = grade.upper()
    if grade not in allowed:
        if not allowed:
            raise Invalid("date", f"{body.code} graded no follow-up replies on {day.isoformat()}")
        raise Invalid(
            "grade",
            f"{grade!r} is not on {body.code}'s scale on {day.isoformat()}: {', '.join(allowed)}",
        )
    item = None
    if sub_item:
        item = SubItem.objects.filter(recommendation=recommendation, label=str(sub_item)).first()
        if item is None:
            raise Invalid("sub_item", f"¶ {recommendation.paragraph} has no sub-item {sub_item!r}")
    symbol = tracking._text(document_symbol, "document_symbol", limit=120)
    document = Document.objects.filter(symbol=symbol).first() if symbol else None
    with transaction.atomic():
        found = CommitteeGrade.objects.create(
            recommendation=recommendation,
            sub_item=item,
            country_id=recommendation.country_id,
            body=body,
            grade=grade,
            grading=scale,
            document=document,
            document_symbol=symbol,
            date=day,
            note=tracking._text(note, "note"),
            created_by=user if scope.authenticated else None,
        )
        tracking.record(
            "committee_grade.recorded",
            actor=user,
            country_id=recommendation.country_id,
            recommendation_id=recommendation.pk,
            sub_item_id=item.pk if item else None,
            obj=found,
            changes={"body": body.code, "grade": grade, "date": day, "document": symbol},
            note=found.note,
        )
    return found
