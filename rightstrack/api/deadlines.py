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
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from rightstrack.api import schemas
from rightstrack.deadlines import feeds, services
from rightstrack.deadlines.models import CommitteeGrade, Deadline, Kind
from rightstrack.recommendations.models import Country, Recommendation
from rightstrack.tracking.exceptions import Invalid, NotAllowed, NotFound

router = Router(tags=["deadlines"])

MAX_PAGE_SIZE = schemas.MAX_PAGE_SIZE


class DeadlineRecommendation(Schema):
    code: UUID
    document_symbol: str
    paragraph: str


class DeadlineReview(Schema):
    session: str
    cycle: int | None
    body: str


class DeadlineInstitution(Schema):
    code: UUID
    name: str


class DeadlineOut(Schema):
    date: dt.date
    kind: str = Field(description=", ".join(Kind.values))
    title: str
    country: str
    recommendation: DeadlineRecommendation | None
    review: DeadlineReview | None
    institution: DeadlineInstitution | None
    source: str = Field(description="The rule the date comes from.")


class DeadlinePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[DeadlineOut]


class GradeOut(Schema):
    code: UUID
    body: str
    grade: str
    grade_label: str
    scale: str
    sub_item: str | None
    document_symbol: str
    date: dt.date
    note: str


class CalendarOut(Schema):
    calendar_url: str


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


@router.get("/deadlines", response={200: DeadlinePage, **schemas.READ_ERRORS})
def list_deadlines(
    request: HttpRequest,
    page: schemas.Page = 1,
    page_size: schemas.PageSize = 50,
    country: schemas.Text = "",
    kind: schemas.Text = "",
    institution: schemas.Text = "",
    overdue: bool = False,
    from_: dt.date | None = Query(None, alias="from"),  # noqa: B008
    to: dt.date | None = None,
) -> dict[str, Any]:
    """What falls due, filtered to what the person may see: `from`, `to` (YYYY-MM-DD),
    `country` (ISO code or name), `kind` (comma-separated), `institution` (code)."""
    user = _user(request)
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page must be 1 or more and page_size 1 to {MAX_PAGE_SIZE}")
    qs = Deadline.objects.visible_to(user).between(from_, to)
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


@router.get(
    "/calendar/{secret}.ics",
    auth=None,
    url_name="calendar_feed",
    response={200: None, 404: schemas.ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "iCalendar (RFC 5545)",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def calendar_feed(request: HttpRequest, secret: schemas.Text) -> HttpResponse:
    """The person's deadlines as iCalendar (RFC 5545); the secret is on their page."""
    user = feeds.user_for_secret(secret)
    if user is None:
        raise Http404("not found")
    body = feeds.to_ical(user, feeds.feed_deadlines(user), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rightstrack.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@router.get("/me/calendar", response={200: CalendarOut, **schemas.AUTH_ERRORS})
def my_calendar(request: HttpRequest) -> dict[str, Any]:
    """The address of the person's calendar feed (also `calendar_url` of GET /me)."""
    return {"calendar_url": feeds.calendar_url(_user(request), request)}


def _visible_rec(request: HttpRequest, code: UUID) -> Recommendation:
    return get_object_or_404(Recommendation.objects.visible_to(request.user), code=code)


@router.get(
    "/recommendations/{code}/committee-grades",
    response={200: list[GradeOut], **schemas.READ_ERRORS},
)
def list_grades(request: HttpRequest, code: UUID) -> list[dict[str, Any]]:
    """The grades a treaty body gave the State's follow-up replies on this recommendation."""
    user = _user(request)
    rec = _visible_rec(request, code)
    qs = CommitteeGrade.objects.visible_to(user).filter(recommendation=rec)
    return [grade_out(g) for g in qs.select_related("body", "sub_item")]


class GradeIn(Schema):
    grade: schemas.Text
    date: schemas.Text
    document_symbol: schemas.Text = ""
    note: schemas.Text = ""
    sub_item: schemas.Text | None = None


@router.post(
    "/recommendations/{code}/committee-grades",
    response={201: GradeOut, **schemas.PERSON_ERRORS},
)
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
    return Status(201, grade_out(grade))
