"""The follow-up API: institutions, assignments, status updates, decisions, assessments,
actions, indicators and measurements (../shared/docs/api-contract.md names the endpoints).

Every endpoint needs a person: `Authorization: Bearer TOKEN`, or a logged-in session (with its
CSRF token when writing). No person: 401. A read-only token asking to write: 403. What the
person may see and do comes from rightstrack.accounts.permissions through the QuerySets'
`visible_to(user)`; every write goes through rightstrack.tracking.services, whose exceptions
become the answers: NotFound 404, NotAllowed 403, Invalid 400 (naming the field), Conflict
409 with the current object. Errors are `{"detail": "..."}`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.db.models import Case, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from ninja import NinjaAPI, Query, Router, Schema
from ninja import Status as Answer
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from rightstrack.accounts import permissions as perms
from rightstrack.accounts.models import Institution, Membership, Profile
from rightstrack.api import schemas
from rightstrack.formats.exceptions import InputError
from rightstrack.recommendations.models import Country, Recommendation, RecommendationGroup
from rightstrack.tracking import history, services
from rightstrack.tracking.exceptions import Conflict, Invalid, NotAllowed, NotFound, TrackingError
from rightstrack.tracking.models import (
    Action,
    Assessment,
    Assignment,
    Event,
    Evidence,
    FollowUp,
    Indicator,
    Measurement,
    Status,
    StatusUpdate,
)

MAX_PAGE_SIZE = 200  # schemas.MAX_PAGE_SIZE
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


# --- authentication --------------------------------------------------------------------------


class PersonAuth(HttpBearer):
    """A Bearer token (read-only tokens may only read), or a logged-in session."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get(self.header):
            return super().__call__(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the csrftoken cookie's value")
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from rightstrack.api.api import _user_for_token

        user = _user_for_token(token)
        if user is None:
            return None
        if request.method not in SAFE_METHODS and not user._rightstrack_token.can_write:
            raise HttpError(403, "this API token is read-only; create a read-write token")
        request.user = user
        return user


router = Router(auth=PersonAuth(), tags=["follow-up"])


# --- schemas ---------------------------------------------------------------------------------


ERRORS: dict[int, Any] = schemas.PERSON_ERRORS
WRITE_ERRORS: dict[int, Any] = schemas.WRITE_ERRORS
Text = schemas.Text
Version = schemas.Version
PageNumber = schemas.Page
PageSize = schemas.PageSize
Role = Literal["lead", "supporting"]
StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]
InstitutionKind = Literal[tuple(Institution.Kind.values)]  # type: ignore[valid-type]
Progress = Literal[tuple(Action.Progress.values)]  # type: ignore[valid-type]
Frequency = Literal[tuple(Indicator.Frequency.values)]  # type: ignore[valid-type]
Amount = schemas.decimal(16, 2, minimum=0)
Number = schemas.decimal(18, 4)


class InstitutionRef(Schema):
    code: UUID
    name: str
    kind: str


class InstitutionOut(InstitutionRef):
    country: str | None = Field(description="ISO 3166-1 alpha-3 code (none: international).")
    parent: UUID | None
    requires_validation: bool
    active: bool


class InstitutionIn(Schema):
    name: Text
    kind: InstitutionKind = Field("other", description=", ".join(Institution.Kind.values))
    country: Text | None = Field(None, description="Alpha-3 code or UN short name.")
    parent: UUID | None = None
    requires_validation: bool = True


class InstitutionPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[InstitutionOut]


class MembershipOut(Schema):
    institution: InstitutionRef
    role: str
    country: str | None


class MeOut(Schema):
    username: str
    email: str
    name: str
    memberships: list[MembershipOut]
    calendar_url: str
    token_scope: str | None = Field(description="read or write; none for a session.")


class RecommendationRef(Schema):
    code: UUID
    url: str
    country: str
    body: str
    document_symbol: str
    paragraph: str
    text: str


class SubItemRef(Schema):
    code: UUID
    label: str
    paragraph: str


class AssignmentOut(Schema):
    code: UUID
    recommendation: RecommendationRef
    sub_item: SubItemRef | None
    institution: InstitutionRef
    role: str
    due: dt.date | None
    overdue: bool
    note: str
    active: bool
    status: str = Field(description="The State's current status of what is assigned.")
    version: int
    created: dt.datetime


class AssignmentPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[AssignmentOut]


class AssignmentIn(Schema):
    recommendation: UUID | None = Field(None, description="Code of the recommendation.")
    group: UUID | None = Field(None, description="Code of a confirmed group: all its members.")
    sub_item: Text | None = Field(None, description='Code or letter ("a") of a sub-item.')
    institution: UUID
    role: Role = Field("lead", description="lead or supporting")
    due: dt.date | None = None
    note: Text = ""


class AssignmentsCreated(Schema):
    created: int
    already_assigned: int
    assignments: list[AssignmentOut]


class AssignmentPatch(Schema):
    version: Version
    role: Role | None = None
    due: dt.date | None = None
    note: Text | None = None
    active: bool | None = Field(None, description="false ends the assignment.")


class AssignmentFilters(Schema):
    country: list[Text] = Field([], description="Alpha-3 code or UN short name of the State.")
    institution: list[UUID] = Field([], description="Institution code.")
    recommendation: UUID | None = None
    role: Role | None = Field(None, description="lead or supporting")
    status: list[StatusValue] = Field([], description=", ".join(Status.values))
    due_before: dt.date | None = None
    overdue: bool | None = None
    active: bool = Field(True, description="false: the ended assignments instead.")


class EvidenceOut(Schema):
    code: UUID
    kind: str
    name: str
    url: str | None = Field(description="The link, or where to download the file.")
    size: int
    content_type: str


class UpdateIn(Schema):
    status: StatusValue = Field(description=", ".join(Status.values))
    date: dt.date
    note: Text
    evidence_links: list[Text] = []
    sub_item: Text | None = None
    institution: UUID | None = Field(None, description="Reporting for (when several).")


class UpdateOut(Schema):
    code: UUID
    state: str = Field(description="pending, validated or rejected")
    status: str
    date: dt.date
    note: str
    sub_item: str | None
    institution: InstitutionRef
    author: str
    created: dt.datetime
    decided_by: str | None
    decided: dt.datetime | None
    decision_note: str
    evidence: list[EvidenceOut]


class DecisionIn(Schema):
    decision: Literal["approve", "reject"] = Field(description="approve or reject")
    note: Text = Field("", description="The reason (required to reject).")


class AssessmentIn(UpdateIn):
    pass


class AssessmentOut(Schema):
    code: UUID
    institution: InstitutionRef
    author: str
    status: str
    date: dt.date
    note: str
    sub_item: str | None
    created: dt.datetime
    version: int
    evidence: list[EvidenceOut]


class AssessmentPatch(Schema):
    version: Version
    status: StatusValue | None = None
    date: dt.date | None = None
    note: Text | None = None


class ActionOut(Schema):
    code: UUID
    institution: InstitutionRef
    country: str
    recommendations: list[UUID]
    title: str
    description: str
    start: dt.date | None
    end: dt.date | None
    budget_amount: Decimal | None
    budget_currency: str
    funding_source: str
    progress: str
    version: int
    created: dt.datetime


class ActionFields(Schema):
    title: Text | None = None
    description: Text | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    budget_amount: Amount | None = None
    budget_currency: Text | None = None
    funding_source: Text | None = None
    progress: Progress | None = Field(None, description=", ".join(Action.Progress.values))


class ActionIn(ActionFields):
    institution: UUID
    recommendations: list[UUID] = Field(description="Codes of the recommendations (one State).")
    title: Text


class ActionPatch(ActionFields):
    version: Version


class MeasurementOut(Schema):
    code: UUID
    date: dt.date
    value: Decimal
    disaggregation: dict[str, str]
    source: str
    note: str


class MeasurementIn(Schema):
    date: dt.date
    value: Number
    source: Text = ""
    note: Text = ""
    sex: Text = ""
    age_group: Text = ""
    displacement_status: Text = ""
    disability: Text = ""
    location: Text = ""


class IndicatorOut(Schema):
    code: UUID
    institution: InstitutionRef
    country: str
    action: UUID | None
    recommendations: list[UUID]
    name: str
    description: str
    unit: str
    baseline: Decimal | None
    baseline_date: dt.date | None
    target: Decimal | None
    target_date: dt.date | None
    frequency: str
    source: str
    version: int
    measurements: list[MeasurementOut]


class IndicatorFields(Schema):
    name: Text | None = None
    description: Text | None = None
    unit: Text | None = None
    baseline: Number | None = None
    baseline_date: dt.date | None = None
    target: Number | None = None
    target_date: dt.date | None = None
    frequency: Frequency | None = Field(None, description=", ".join(Indicator.Frequency.values))
    source: Text | None = None


class IndicatorIn(IndicatorFields):
    institution: UUID
    name: Text
    recommendations: list[UUID] = []
    action: UUID | None = None


class IndicatorPatch(IndicatorFields):
    version: Version


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class ActionPage(Page):
    results: list[ActionOut]


class IndicatorPage(Page):
    results: list[IndicatorOut]


class SubItemStatus(Schema):
    code: UUID
    label: str
    text: str
    status: str
    status_date: dt.date | None


class DeadlineOut(Schema):
    date: dt.date
    kind: str
    title: str
    institution: str | None


class HistoryOut(Schema):
    when: dt.datetime
    who: str
    text: str
    note: str
    kind: str


class FollowUpOut(Schema):
    recommendation: RecommendationRef
    status: str
    status_date: dt.date | None
    version: int = Field(description="Raised each time the status changes.")
    sub_items: list[SubItemStatus]
    assignments: list[AssignmentOut]
    updates: list[UpdateOut]
    actions: list[ActionOut]
    indicators: list[IndicatorOut]
    assessments: list[AssessmentOut]
    deadlines: list[DeadlineOut]
    committee_assessments: list[dict[str, Any]] = Field(
        description="The treaty body's own grading of the follow-up reply, per paragraph "
        "(rightstrack.deadlines.CommitteeGrade)."
    )
    history: list[HistoryOut]


class Created(Schema):
    code: UUID
    state: str


# --- shapes ----------------------------------------------------------------------------------


def _inst(inst: Institution) -> dict[str, Any]:
    return {"code": inst.code, "name": inst.name, "kind": inst.kind}


def _institution(inst: Institution) -> dict[str, Any]:
    return {
        **_inst(inst),
        "country": inst.country.code if inst.country_id else None,
        "parent": inst.parent.code if inst.parent_id else None,
        "requires_validation": inst.requires_validation,
        "active": inst.active,
    }


def _rec(rec: Recommendation) -> dict[str, Any]:
    return {
        "code": rec.code,
        "url": rec.get_absolute_url(),
        "country": rec.country.code,
        "body": rec.body.code,
        "document_symbol": rec.document_symbol,
        "paragraph": rec.paragraph,
        "text": rec.text,
    }


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _assignment(a: Assignment, status: str | None = None) -> dict[str, Any]:
    sub = a.sub_item
    return {
        "code": a.code,
        "recommendation": _rec(a.recommendation),
        "sub_item": {
            "code": sub.code,
            "label": sub.label,
            "paragraph": f"{a.recommendation.paragraph}({sub.label})",
        }
        if sub
        else None,
        "institution": _inst(a.institution),
        "role": a.role,
        "due": a.due,
        "overdue": a.overdue,
        "note": a.note,
        "active": a.active,
        "status": status or getattr(a, "current_status", None) or Status.NOT_STARTED,
        "version": a.version,
        "created": a.created,
    }


def _evidence_url(e: Evidence) -> str | None:
    if e.kind == Evidence.Kind.LINK:
        return e.url
    try:
        return e.get_absolute_url()
    except NoReverseMatch:
        return None


def _evidence(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": e.code,
            "kind": e.kind,
            "name": e.name,
            "url": _evidence_url(e),
            "size": e.size,
            "content_type": e.content_type,
        }
        for e in items
    ]


def _update(u: StatusUpdate) -> dict[str, Any]:
    return {
        "code": u.code,
        "state": u.state,
        "status": u.status,
        "date": u.date,
        "note": u.note,
        "sub_item": u.sub_item.label if u.sub_item_id else None,
        "institution": _inst(u.institution),
        "author": _person(u.author),
        "created": u.created,
        "decided_by": _person(u.decided_by) if u.decided_by_id else None,
        "decided": u.decided,
        "decision_note": u.decision_note,
        "evidence": _evidence(u.evidence.all()),
    }


def _assessment(s: Assessment) -> dict[str, Any]:
    return {
        "code": s.code,
        "institution": _inst(s.institution),
        "author": _person(s.author),
        "status": s.status,
        "date": s.date,
        "note": s.note,
        "sub_item": s.sub_item.label if s.sub_item_id else None,
        "created": s.created,
        "version": s.version,
        "evidence": _evidence(s.evidence.all()),
    }


def _action(a: Action) -> dict[str, Any]:
    return {
        "code": a.code,
        "institution": _inst(a.institution),
        "country": a.country.code,
        "recommendations": [r.code for r in a.recommendations.all()],
        **{name: getattr(a, name) for name in services.ACTION_FIELDS},
        "version": a.version,
        "created": a.created,
    }


def _measurement(m: Measurement) -> dict[str, Any]:
    return {
        "code": m.code,
        "date": m.date,
        "value": m.value,
        "disaggregation": m.disaggregation,
        "source": m.source,
        "note": m.note,
    }


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "institution": _inst(i.institution),
        "country": i.country.code,
        "action": i.action.code if i.action_id else None,
        "recommendations": [r.code for r in i.recommendations.all()],
        **{name: getattr(i, name) for name in services.INDICATOR_FIELDS},
        "version": i.version,
        "measurements": [_measurement(m) for m in i.measurements.all()],
    }


def _current(obj: Any) -> dict[str, Any]:
    """The current object of a Conflict, in the shape its endpoint answers."""
    if isinstance(obj, Assignment):
        return _assignment(_assignments().get(pk=obj.pk))
    if isinstance(obj, StatusUpdate):
        return _update(_updates().get(pk=obj.pk))
    if isinstance(obj, Assessment):
        return _assessment(_assessments().get(pk=obj.pk))
    if isinstance(obj, Action):
        return _action(_actions().get(pk=obj.pk))
    if isinstance(obj, Indicator):
        return _indicator(_indicators().get(pk=obj.pk))
    return {}


# --- querysets with what their shapes read (a constant number of queries) ---------------------


def _status_of_assignment() -> Case:
    """The FollowUp status of what an assignment covers (the whole or one sub-item)."""
    whole = FollowUp.objects.filter(
        recommendation_id=OuterRef("recommendation_id"), sub_item__isnull=True
    ).values("status")[:1]
    part = FollowUp.objects.filter(sub_item_id=OuterRef("sub_item_id")).values("status")[:1]
    return Case(
        When(sub_item__isnull=True, then=Subquery(whole)),
        default=Subquery(part),
    )


def _assignments() -> QuerySet:
    return Assignment.objects.select_related(
        "recommendation__country", "recommendation__body", "sub_item", "institution"
    ).annotate(current_status=_status_of_assignment())


def _updates() -> QuerySet:
    return StatusUpdate.objects.select_related(
        "institution", "author", "decided_by", "sub_item"
    ).prefetch_related("evidence")


def _assessments() -> QuerySet:
    return Assessment.objects.select_related("institution", "author", "sub_item").prefetch_related(
        "evidence"
    )


def _actions() -> QuerySet:
    return Action.objects.select_related("institution", "country").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.only("id", "code"))
    )


def _indicators() -> QuerySet:
    return Indicator.objects.select_related("institution", "country", "action").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.only("id", "code")),
        "measurements",
    )


# --- helpers ---------------------------------------------------------------------------------


def _paginate(qs: QuerySet, page: int, page_size: int, shape: Any) -> dict[str, Any]:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page: must be 1 or more, and page_size 1 to {MAX_PAGE_SIZE}")
    count = qs.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size) if count else 0,
        "results": [shape(row) for row in qs[start : start + page_size]],
    }


def _countries(names: list[str], field: str = "country") -> list[Country]:
    from rightstrack.accounts.services import find_country

    found = []
    for name in names:
        try:
            found.append(find_country(name))
        except InputError:
            raise HttpError(
                400, f"{field}: unknown State {name!r} (give its alpha-3 code or UN short name)"
            ) from None
    return found


def _recommendation(code: Any) -> Recommendation:
    rec = (
        Recommendation.objects.visible_to(None)
        .select_related("country", "body")
        .filter(code=code)
        .first()
    )
    if rec is None:
        raise NotFound("not found")
    return rec


def _followed_recommendation(user: Any, code: Any) -> Recommendation:
    """The recommendation, if the person may see its follow-up; else 404."""
    rec = _recommendation(code)
    scope = perms.scope_for(user)
    if not scope.coordinates(rec.country_id):
        q = perms.followup_recommendation_q(scope)
        if not Recommendation.objects.filter(q, pk=rec.pk).exists():
            raise NotFound("not found")
    return rec


def _by_code(qs: QuerySet, code: Any, field: str) -> Any:
    found = qs.filter(code=code).first()
    if found is None:
        raise Invalid(field, f"no {field.replace('_', ' ')} {code}")
    return found


def _body(request: HttpRequest, schema: type[Schema]) -> tuple[Schema, list[Any]]:
    """Parse a JSON body, or a multipart form with files ("evidence_files"), into *schema*."""
    content_type = request.content_type or ""
    files: list[Any] = []
    if content_type.startswith("multipart/") or content_type.startswith(
        "application/x-www-form-urlencoded"
    ):
        data: dict[str, Any] = {k: v for k, v in request.POST.items() if v != ""}
        data["evidence_links"] = [v for v in request.POST.getlist("evidence_links") if v]
        files = request.FILES.getlist("evidence_files")
        unknown = set(request.FILES) - {"evidence_files"}
        if unknown:
            raise Invalid(sorted(unknown)[0], "unknown file field; send files as evidence_files")
    else:
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise HttpError(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise HttpError(400, "the body must be a JSON object")
    try:
        return schema.model_validate(data), files
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = first.get("msg", "invalid")
        raise HttpError(400, f"{where}: {message}" if where else message) from None


def _form_body(schema: type[Schema], description: str) -> dict[str, Any]:
    """OpenAPI: the body may be JSON or multipart with evidence files."""
    json_schema = schema.model_json_schema(ref_template="#/components/schemas/{model}")
    json_schema.pop("$defs", None)
    form = {
        **json_schema,
        "properties": {
            **json_schema.get("properties", {}),
            "evidence_files": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "Evidence files (PDF, office documents, images; size-limited).",
            },
        },
    }
    return {
        "requestBody": {
            "description": description,
            "required": True,
            "content": {
                "application/json": {"schema": json_schema},
                "multipart/form-data": {"schema": form},
            },
        }
    }


def _set(schema: Schema) -> dict[str, Any]:
    """The fields the client gave (so null means "clear" and absent means "keep")."""
    return {name: getattr(schema, name) for name in schema.model_fields_set}


# --- who am I --------------------------------------------------------------------------------


def _calendar_path(secret: str) -> str:
    """The person's iCalendar feed (rightstrack.deadlines serves it, when installed)."""
    try:
        return reverse("api-v1:calendar_feed", kwargs={"secret": secret})
    except NoReverseMatch:
        return f"/api/v1/calendar/{secret}.ics"


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the token (or session) belongs to, their memberships and their calendar feed."""
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related(
        "institution__country", "country"
    )
    profile = Profile.for_user(user)
    token = getattr(user, "_rightstrack_token", None)
    return {
        "username": user.get_username(),
        "email": user.email,
        "name": user.get_full_name(),
        "memberships": [
            {
                "institution": _inst(m.institution),
                "role": m.role,
                "country": (m.country or m.institution.country).code
                if (m.country_id or m.institution.country_id)
                else None,
            }
            for m in memberships.order_by("institution__name")
        ],
        "calendar_url": request.build_absolute_uri(_calendar_path(profile.calendar_secret)),
        "token_scope": token.scope if token is not None else None,
    }


# --- institutions ----------------------------------------------------------------------------


@router.get("/institutions", response={200: InstitutionPage, **ERRORS})
def list_institutions(
    request: HttpRequest,
    country: Query[list[Text]] = None,  # type: ignore[assignment]
    kind: InstitutionKind | None = None,
    active: bool = True,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """Institutions, by name: any person may read them (filters `country`, `kind`)."""
    qs = Institution.objects.select_related("country", "parent").filter(active=active)
    if country:
        qs = qs.filter(country__in=_countries(country))
    if kind:
        qs = qs.filter(kind=kind)
    return _paginate(qs.order_by("name", "id"), page, page_size, _institution)


@router.post("/institutions", response={201: InstitutionOut, **WRITE_ERRORS})
def create_institution(request: HttpRequest, data: InstitutionIn) -> Answer:
    """Create an institution of a State (administrators, and coordinators of that State)."""
    from rightstrack.accounts import services as accounts

    country = _countries([data.country])[0] if data.country else None
    parent = None
    if data.parent:
        parent = Institution.objects.filter(code=data.parent).first()
        if parent is None:
            raise Invalid("parent", f"no institution {data.parent}")
    inst = accounts.add_institution(
        request.user,
        name=data.name,
        kind=data.kind,
        country=country,
        parent=parent,
        requires_validation=data.requires_validation,
    )
    return Answer(201, _institution(inst))


# --- assignments -----------------------------------------------------------------------------


@router.get("/assignments", response={200: AssignmentPage, **ERRORS})
def list_assignments(
    request: HttpRequest,
    filters: Query[AssignmentFilters],
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """The assignments the person may see, soonest due first."""
    qs = _assignments().visible_to(request.user).filter(active=filters.active)
    if filters.country:
        qs = qs.filter(country__in=_countries(filters.country))
    if filters.institution:
        qs = qs.filter(institution__code__in=filters.institution)
    if filters.recommendation:
        qs = qs.filter(recommendation__code=filters.recommendation)
    if filters.role:
        qs = qs.filter(role=services._role(filters.role))
    if filters.status:
        for value in filters.status:
            services._status(value)
        qs = qs.filter(current_status__in=filters.status)
    if filters.due_before:
        qs = qs.filter(due__lt=filters.due_before)
    if filters.overdue is not None:
        late = Q(due__lt=timezone.localdate(), active=True)
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    qs = qs.order_by("due", "id")
    return _paginate(qs, page, page_size, _assignment)


@router.post(
    "/assignments", response={200: AssignmentsCreated, 201: AssignmentsCreated, **WRITE_ERRORS}
)
def create_assignments(request: HttpRequest, data: AssignmentIn) -> Answer:
    """Assign a recommendation (or a sub-item, or every member of a confirmed group).

    201 when something was assigned; 200 when all of it already was (nothing changes).
    """
    if bool(data.recommendation) == bool(data.group):
        raise Invalid("recommendation", "give either a recommendation or a group code")
    institution = _by_code(Institution.objects.filter(active=True), data.institution, "institution")
    common = {"role": data.role, "due": data.due, "note": data.note}
    if data.group:
        group = RecommendationGroup.objects.filter(code=data.group).first()
        if group is None:
            raise NotFound("group: not found")
        created, existing = services.assign_group(request.user, group, institution, **common)
        if created:
            rows = list(_assignments().filter(pk__in=[a.pk for a in created]).order_by("id"))
        else:
            rows = list(
                _assignments()
                .filter(group=group, institution=institution, active=True)
                .order_by("id")
            )
    else:
        rec = _recommendation(data.recommendation)
        assignment, new = services.assign(
            request.user, rec, institution, sub_item=data.sub_item, **common
        )
        created, existing = ([assignment], 0) if new else ([], 1)
        rows = [_assignments().get(pk=assignment.pk)]
    body = {
        "created": len(created),
        "already_assigned": existing,
        "assignments": [_assignment(a) for a in rows],
    }
    return Answer(201 if created else 200, body)


@router.get("/assignments/{code}", response={200: AssignmentOut, **ERRORS})
def get_assignment(request: HttpRequest, code: UUID) -> dict[str, Any]:
    """One assignment."""
    return _assignment(services._visible(_assignments(), request.user, code=code))


@router.patch("/assignments/{code}", response={200: AssignmentOut, **WRITE_ERRORS})
def change_assignment(request: HttpRequest, code: UUID, data: AssignmentPatch) -> dict[str, Any]:
    """Change the role, due date or note, or end it (`active: false`); give the version read."""
    assignment = services.get_assignment(request.user, code)
    given = _set(data)
    given.pop("version", None)
    active = given.pop("active", None)
    if active is True and not assignment.active:
        raise Invalid("active", "an ended assignment stays ended; assign again instead")
    if active is False:
        if set(given) - {"note"}:
            raise Invalid(sorted(set(given) - {"note"})[0], "end an assignment on its own")
        services.end_assignment(
            request.user, assignment, version=data.version, note=given.get("note") or ""
        )
    else:
        if not given:
            raise Invalid("role", "nothing to change: give role, due, note or active")
        services.change_assignment(request.user, assignment, version=data.version, **given)
    return _assignment(_assignments().get(pk=assignment.pk))


# --- the follow-up of one recommendation -----------------------------------------------------


@router.get("/recommendations/{code}/follow-up", response={200: FollowUpOut, **ERRORS})
def get_follow_up(request: HttpRequest, code: UUID) -> dict[str, Any]:
    """The State's status, who does what, updates, actions, indicators, assessments, history."""
    user = request.user
    rec = _followed_recommendation(user, code)
    follow_ups = {f.sub_item_id: f for f in FollowUp.objects.filter(recommendation=rec)}
    whole = follow_ups.get(None)
    # The statuses are those of follow_ups: no per-row subquery needed here.
    assignments = list(
        Assignment.objects.select_related("sub_item", "institution")
        .visible_to(user)
        .filter(recommendation=rec, active=True)
        .order_by("sub_item_id", "role", "institution__name")
    )
    for a in assignments:
        a.recommendation = rec
        found = follow_ups.get(a.sub_item_id)
        a.current_status = found.status if found else Status.NOT_STARTED
    updates = list(_updates().visible_to(user).filter(recommendation=rec))
    actions = list(_actions().visible_to(user).filter(recommendations=rec))
    indicators = list(_indicators().visible_to(user).filter(recommendations=rec).distinct())
    assessments = list(_assessments().visible_to(user).filter(recommendation=rec))
    events = (
        Event.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("sub_item", "institution")
    )
    # Deadlines and committee grades: rightstrack.deadlines (derived from the procedures).
    from rightstrack.api.deadlines import grade_out
    from rightstrack.deadlines.models import CommitteeGrade, Deadline

    deadlines = [
        {
            "date": d.date,
            "kind": d.kind,
            "title": d.title,
            "institution": d.institution.name if d.institution_id else None,
        }
        for d in Deadline.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("institution")
    ]
    grades = [
        grade_out(g)
        for g in CommitteeGrade.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("body", "sub_item")
    ]
    return {
        "recommendation": _rec(rec),
        "status": whole.status if whole else Status.NOT_STARTED,
        "status_date": whole.status_date if whole else None,
        "version": whole.version if whole else 0,
        "sub_items": [
            {
                "code": s.code,
                "label": s.label,
                "text": s.text,
                "status": follow_ups[s.pk].status if s.pk in follow_ups else Status.NOT_STARTED,
                "status_date": follow_ups[s.pk].status_date if s.pk in follow_ups else None,
            }
            for s in rec.sub_items.all()
        ],
        "assignments": [_assignment(a) for a in assignments],
        "updates": [_update(u) for u in updates],
        "actions": [_action(a) for a in actions],
        "indicators": [_indicator(i) for i in indicators],
        "assessments": [_assessment(s) for s in assessments],
        "deadlines": sorted(deadlines, key=lambda d: d["date"]),
        "committee_assessments": grades,
        "history": [
            {"when": e.when, "who": e.who, "text": e.text, "note": e.note, "kind": e.kind}
            for e in history.story(events)
        ],
    }


@router.post(
    "/recommendations/{code}/status-updates",
    response={201: Created, **WRITE_ERRORS},
    openapi_extra=_form_body(UpdateIn, "JSON, or multipart with evidence_files."),
)
def submit_update(request: HttpRequest, code: UUID) -> Answer:
    """Report progress: a status as of a date, a note, evidence links and files.

    `state` is `pending` while the institution's validator has not decided, `validated` when
    no validation is needed (the status changed at once).
    """
    rec = _followed_recommendation(request.user, code)
    data, files = _body(request, UpdateIn)
    update = services.submit_update(
        request.user,
        rec,
        status=data.status,
        date=data.date,
        note=data.note,
        links=data.evidence_links,
        files=files,
        sub_item=data.sub_item,
        institution=data.institution,
    )
    return Answer(201, {"code": update.code, "state": update.state})


@router.get("/status-updates/{code}", response={200: UpdateOut, **ERRORS})
def get_update(request: HttpRequest, code: UUID) -> dict[str, Any]:
    """One status update with its evidence and decision."""
    return _update(services._visible(_updates(), request.user, code=code))


@router.post("/status-updates/{code}/decision", response={200: UpdateOut, **WRITE_ERRORS})
def decide(request: HttpRequest, code: UUID, data: DecisionIn) -> dict[str, Any]:
    """Approve (the status changes, in the same transaction) or send back with a reason."""
    update = services.get_update(request.user, code)
    services.decide(request.user, update, decision=data.decision, note=data.note)
    return _update(_updates().get(pk=update.pk))


# --- assessments -----------------------------------------------------------------------------


@router.post(
    "/recommendations/{code}/assessments",
    response={201: AssessmentOut, **WRITE_ERRORS},
    openapi_extra=_form_body(AssessmentIn, "JSON, or multipart with evidence_files."),
)
def create_assessment(request: HttpRequest, code: UUID) -> Answer:
    """An NHRI's or civil society organisation's own view; never changes the State's status."""
    rec = _followed_recommendation(request.user, code)
    data, files = _body(request, AssessmentIn)
    assessment = services.assess(
        request.user,
        rec,
        status=data.status,
        date=data.date,
        note=data.note,
        links=data.evidence_links,
        files=files,
        sub_item=data.sub_item,
        institution=data.institution,
    )
    return Answer(201, _assessment(_assessments().get(pk=assessment.pk)))


@router.patch("/assessments/{code}", response={200: AssessmentOut, **WRITE_ERRORS})
def change_assessment(request: HttpRequest, code: UUID, data: AssessmentPatch) -> dict[str, Any]:
    """Correct an assessment (its own institution only); give the version read."""
    assessment = services.get_assessment(request.user, code)
    given = _set(data)
    given.pop("version", None)
    services.change_assessment(request.user, assessment, version=data.version, **given)
    return _assessment(_assessments().get(pk=assessment.pk))


# --- actions, indicators, measurements --------------------------------------------------------


def _recommendations(codes: list[UUID], field: str = "recommendations") -> list[Recommendation]:
    recs = list(Recommendation.objects.filter(code__in=codes).order_by("id"))
    if len(recs) != len(set(codes)):
        missing = sorted(set(map(str, codes)) - {str(r.code) for r in recs})
        raise Invalid(field, f"no recommendation {missing[0]}")
    return recs


@router.get("/actions", response={200: ActionPage, **ERRORS})
def list_actions(
    request: HttpRequest,
    country: Query[list[Text]] = None,  # type: ignore[assignment]
    institution: UUID | None = None,
    recommendation: UUID | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """The actions the person may see, by start date."""
    qs = _actions().visible_to(request.user)
    if country:
        qs = qs.filter(country__in=_countries(country))
    if institution:
        qs = qs.filter(institution__code=institution)
    if recommendation:
        qs = qs.filter(recommendations__code=recommendation)
    return _paginate(qs.order_by("start", "id"), page, page_size, _action)


@router.post("/actions", response={201: ActionOut, **WRITE_ERRORS})
def create_action(request: HttpRequest, data: ActionIn) -> Answer:
    """Plan an action of an institution for one or more recommendations of one State."""
    institution = _by_code(Institution.objects.filter(active=True), data.institution, "institution")
    recs = _recommendations(data.recommendations)
    values = {k: v for k, v in _set(data).items() if k not in ("institution", "recommendations")}
    action = services.create_action(
        request.user, institution=institution, recommendations=recs, **values
    )
    return Answer(201, _action(_actions().get(pk=action.pk)))


@router.get("/actions/{code}", response={200: ActionOut, **ERRORS})
def get_action(request: HttpRequest, code: UUID) -> dict[str, Any]:
    """One action."""
    return _action(services._visible(_actions(), request.user, code=code))


@router.patch("/actions/{code}", response={200: ActionOut, **WRITE_ERRORS})
def change_action(request: HttpRequest, code: UUID, data: ActionPatch) -> dict[str, Any]:
    """Change an action; give the version read."""
    action = services.get_action(request.user, code)
    given = _set(data)
    given.pop("version", None)
    services.change_action(request.user, action, version=data.version, **given)
    return _action(_actions().get(pk=action.pk))


@router.get("/indicators", response={200: IndicatorPage, **ERRORS})
def list_indicators(
    request: HttpRequest,
    country: Query[list[Text]] = None,  # type: ignore[assignment]
    institution: UUID | None = None,
    recommendation: UUID | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """The indicators the person may see, with their measurements."""
    qs = _indicators().visible_to(request.user)
    if country:
        qs = qs.filter(country__in=_countries(country))
    if institution:
        qs = qs.filter(institution__code=institution)
    if recommendation:
        qs = qs.filter(recommendations__code=recommendation).distinct()
    return _paginate(qs.order_by("name", "id"), page, page_size, _indicator)


@router.post("/indicators", response={201: IndicatorOut, **WRITE_ERRORS})
def create_indicator(request: HttpRequest, data: IndicatorIn) -> Answer:
    """Define an indicator for recommendations and/or an action."""
    institution = _by_code(Institution.objects.filter(active=True), data.institution, "institution")
    recs = _recommendations(data.recommendations) if data.recommendations else []
    action = None
    if data.action:
        action = services.get_action(request.user, data.action)
    values = {
        k: v for k, v in _set(data).items() if k not in ("institution", "recommendations", "action")
    }
    indicator = services.create_indicator(
        request.user, institution=institution, recommendations=recs, action=action, **values
    )
    return Answer(201, _indicator(_indicators().get(pk=indicator.pk)))


@router.get("/indicators/{code}", response={200: IndicatorOut, **ERRORS})
def get_indicator(request: HttpRequest, code: UUID) -> dict[str, Any]:
    """One indicator with its measurements."""
    return _indicator(services._visible(_indicators(), request.user, code=code))


@router.patch("/indicators/{code}", response={200: IndicatorOut, **WRITE_ERRORS})
def change_indicator(request: HttpRequest, code: UUID, data: IndicatorPatch) -> dict[str, Any]:
    """Change an indicator; give the version read."""
    indicator = services.get_indicator(request.user, code)
    given = _set(data)
    given.pop("version", None)
    services.change_indicator(request.user, indicator, version=data.version, **given)
    return _indicator(_indicators().get(pk=indicator.pk))


@router.post("/indicators/{code}/measurements", response={201: MeasurementOut, **WRITE_ERRORS})
def add_measurement(request: HttpRequest, code: UUID, data: MeasurementIn) -> Answer:
    """Record one dated value, for everyone or one part of the population."""
    indicator = services.get_indicator(request.user, code)
    values = data.dict()
    measurement = services.add_measurement(request.user, indicator, **values)
    return Answer(201, _measurement(measurement))


# --- registration ----------------------------------------------------------------------------


def _answer(api: NinjaAPI, request: HttpRequest, exc: TrackingError) -> HttpResponse:
    body: dict[str, Any] = {"detail": str(exc), "error": str(exc)}
    if isinstance(exc, Conflict) and exc.current is not None:
        body["current"] = _current(exc.current)
    return api.create_response(request, body, status=exc.status)


def register(api: NinjaAPI) -> None:
    """Add the follow-up endpoints and turn the services' exceptions into answers."""
    api.add_router("/", router)
    for cls in (Invalid, NotAllowed, NotFound, Conflict):
        api.add_exception_handler(cls, lambda request, exc: _answer(api, request, exc))
