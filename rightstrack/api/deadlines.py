"""API: deadlines (GET /deadlines), a person's iCalendar feed (GET /calendar/{secret}.ics),
committee grades (GET and POST /recommendations/{code}/committee-grades).

Shapes and names as in the API contract (../shared/docs/api-contract.md).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from rightstrack.deadlines import feeds, services
from rightstrack.deadlines.models import CommitteeGrade, Deadline, Kind
from rightstrack.recommendations.models import Country, Recommendation
from rightstrack.tracking.exceptions import Invalid, NotAllowed, NotFound

router = Router(tags=["deadlines"])

MAX_PAGE_SIZE = 200


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise HttpError(401, "a valid API token is required (Authorization: Bearer TOKEN)")
    return user


def _country(value: str) -> Country:
    value = value.strip()
    found = Country.objects.filter(Q(code=value.upper()) | Q(name__iexact=value)).first()
    if found is None:
        raise HttpError(400, f"country: unknown State {value[:40]!r}")
    return found


def deadline_out(d: Deadline) -> dict[str, Any]:
    rec = d.recommendation
    return {
        "date": d.date,
        "kind": d.kind,
        "title": d.title,
        "country": d.country.code,
        "recommendation": (
            {"code": rec.code, "document_symbol": rec.document_symbol, "paragraph": rec.paragraph}
            if rec
            else None
        ),
        "review": (
            {"session": d.review.session, "cycle": d.review.cycle, "body": d.review.body.code}
            if d.review_id
            else None
        ),
        "institution": (
            {"code": d.institution.code, "name": d.institution.name} if d.institution_id else None
        ),
        "source": d.rule,
    }


def grade_out(g: CommitteeGrade) -> dict[str, Any]:
    return {
        "code": g.code,
        "body": g.body.code,
        "grade": g.grade,
        "grade_label": str(g.get_grade_display()),
        "scale": g.grading,
        "sub_item": g.sub_item.label if g.sub_item_id else None,
        "document_symbol": g.document_symbol,
        "date": g.date,
        "note": g.note,
    }


@router.get("/deadlines")
def list_deadlines(
    request: HttpRequest,
    page: int = 1,
    page_size: int = 50,
    country: str = "",
    kind: str = "",
    institution: str = "",
    overdue: bool = False,
) -> dict[str, Any]:
    """What falls due, filtered to what the person may see: `from`, `to` (YYYY-MM-DD),
    `country` (ISO code or name), `kind` (comma-separated), `institution` (code)."""
    user = _user(request)
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page must be 1 or more and page_size 1 to {MAX_PAGE_SIZE}")
    bounds = {}
    for name in ("from", "to"):
        value = request.GET.get(name, "")
        if value:
            try:
                bounds[name] = dt.date.fromisoformat(value)
            except ValueError:
                raise HttpError(400, f"{name}: {value[:20]!r} is not a date (YYYY-MM-DD)") from None
    qs = Deadline.objects.visible_to(user).between(bounds.get("from"), bounds.get("to"))
    if country:
        qs = qs.filter(country=_country(country))
    if kind:
        kinds = [k.strip() for k in kind.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in Kind.values]
        if unknown:
            raise HttpError(400, f"kind: {unknown[0]!r} is not one of {', '.join(Kind.values)}")
        qs = qs.filter(kind__in=kinds)
    if institution:
        try:
            qs = qs.filter(institution__code=UUID(institution))
        except ValueError:
            raise HttpError(400, "institution: not an institution code") from None
    if overdue:
        qs = qs.filter(
            date__lt=timezone.localdate(), kind__in=(Kind.ASSIGNMENT_DUE, Kind.MEASUREMENT_DUE)
        )
    count = qs.count()
    start = (page - 1) * page_size
    rows = qs.select_related("country", "recommendation", "review__body", "institution").order_by(
        "date", "id"
    )[start : start + page_size]
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size) if count else 0,
        "results": [deadline_out(d) for d in rows],
    }


@router.get("/calendar/{secret}.ics", auth=None, url_name="calendar_feed")
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The person's deadlines as iCalendar (RFC 5545); the secret is on their page."""
    user = feeds.user_for_secret(secret)
    if user is None:
        raise Http404("not found")
    body = feeds.to_ical(user, feeds.feed_deadlines(user), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rightstrack.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@router.get("/me/calendar")
def my_calendar(request: HttpRequest) -> dict[str, Any]:
    """The address of the person's calendar feed (also `calendar_url` of GET /me)."""
    return {"calendar_url": feeds.calendar_url(_user(request), request)}


def _visible_rec(request: HttpRequest, code: UUID) -> Recommendation:
    return get_object_or_404(Recommendation.objects.visible_to(request.user), code=code)


@router.get("/recommendations/{code}/committee-grades")
def list_grades(request: HttpRequest, code: UUID) -> list[dict[str, Any]]:
    """The grades a treaty body gave the State's follow-up replies on this recommendation."""
    user = _user(request)
    rec = _visible_rec(request, code)
    qs = CommitteeGrade.objects.visible_to(user).filter(recommendation=rec)
    return [grade_out(g) for g in qs.select_related("body", "sub_item")]


class GradeIn(Schema):
    grade: str
    date: str
    document_symbol: str = ""
    note: str = ""
    sub_item: str | None = None


@router.post("/recommendations/{code}/committee-grades", response={201: dict})
def create_grade(request: HttpRequest, code: UUID, payload: GradeIn) -> Any:
    """Record a committee's grade (coordinators of the State); it goes into the history."""
    user = _user(request)
    rec = _visible_rec(request, code)
    try:
        grade = services.record_grade(user, rec, **payload.dict())
    except NotFound:
        raise Http404("not found") from None
    except NotAllowed as exc:
        raise HttpError(403, str(exc)) from None
    except Invalid as exc:
        raise HttpError(400, str(exc)) from None
    return 201, grade_out(grade)
