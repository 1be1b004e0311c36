"""Read-only queries the follow-up pages (and the API) show: permission-filtered, few queries.

Every function starts from the models' `visible_to(user)` QuerySets (the one permission
module decides what a person sees) and loads what a page shows with select_related and
prefetch_related, so the number of SQL queries does not grow with the rows shown.
Nothing here writes; changes go through rightstrack.tracking.services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from rightstrack.accounts import permissions as perms
from rightstrack.accounts.models import Institution
from rightstrack.recommendations.models import Recommendation, SubItem
from rightstrack.tracking import history
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


def sees_follow_up(user: Any, recommendation: Recommendation) -> bool:
    """Whether *user* may see any follow-up of *recommendation* (else its follow-up is a 404)."""
    scope = perms.scope_for(user)
    if not scope.authenticated:
        return False
    country = recommendation.country_id
    if scope.admin or country in scope.coordinated or country in scope.cluster:
        return True
    if any(c == country for c in scope.contributor.values()):
        return True
    return Assignment.objects.filter(
        recommendation=recommendation, active=True, institution_id__in=scope.member_institutions
    ).exists()


@dataclass
class Capabilities:
    """What the person may do on one recommendation's follow-up (which forms to show)."""

    assign: bool = False
    assign_kinds: set[str] | None = None
    report: list[Institution] = field(default_factory=list)
    assess: list[Institution] = field(default_factory=list)
    plan: list[Institution] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.assign or self.report or self.assess or self.plan)


def capabilities(user: Any, recommendation: Recommendation) -> Capabilities:
    from rightstrack.tracking.services import reporting_institutions

    scope = perms.scope_for(user)
    caps = Capabilities()
    if not scope.authenticated or not scope.can_write:
        return caps
    country = recommendation.country_id
    if scope.manages(country):
        caps.assign, caps.assign_kinds = True, None
    elif country in scope.cluster:
        caps.assign, caps.assign_kinds = True, set(perms.CLUSTER_KINDS)
    caps.report = reporting_institutions(user, recommendation)
    assessing = scope.assessing_institutions(country)
    if assessing:
        caps.assess = list(Institution.objects.filter(pk__in=assessing).order_by("name"))
    if scope.manages(country):
        caps.plan = list(
            Institution.objects.filter(Q(country_id=country) | Q(country__isnull=True))
            .filter(active=True)
            .order_by("name")
        )
    elif scope.writing_institutions:
        caps.plan = list(
            Institution.objects.filter(
                pk__in=scope.writing_institutions, country_id=country, active=True
            ).order_by("name")
        )
    return caps


def assignable_institutions(user: Any, country_id: int) -> QuerySet:
    """Institutions *user* may assign recommendations of *country_id* to."""
    scope = perms.scope_for(user)
    qs = Institution.objects.filter(active=True).filter(
        Q(country_id=country_id) | Q(country__isnull=True)
    )
    if scope.manages(country_id):
        return qs.order_by("name")
    if scope.can_write and country_id in scope.cluster:
        return qs.filter(kind__in=perms.CLUSTER_KINDS).order_by("name")
    return qs.none()


def _evidence() -> Prefetch:
    return Prefetch("evidence", queryset=Evidence.objects.order_by("id"))


@dataclass
class Panel:
    """Everything the follow-up panel of a recommendation page shows, for one person."""

    visible: bool
    follow_up: FollowUp | None = None
    sub_items: list[Any] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    pending: list[StatusUpdate] = field(default_factory=list)
    updates: list[StatusUpdate] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    story: list[history.Entry] = field(default_factory=list)
    decidable: set[int] = field(default_factory=set)
    editable_assignments: set[int] = field(default_factory=set)
    editable_actions: set[int] = field(default_factory=set)
    editable_indicators: set[int] = field(default_factory=set)
    editable_assessments: set[int] = field(default_factory=set)


@dataclass
class SubItemRow:
    item: SubItem
    follow_up: FollowUp | None
    assignments: list[Assignment]


def panel(user: Any, recommendation: Recommendation) -> Panel:
    """Return the follow-up of *recommendation* that *user* may see (a fixed number of queries)."""
    if not sees_follow_up(user, recommendation):
        return Panel(visible=False)
    rec = recommendation
    follow_ups = {
        f.sub_item_id: f
        for f in FollowUp.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("last_update")
    }
    assignments = list(
        Assignment.objects.visible_to(user)
        .filter(recommendation=rec, active=True)
        .select_related("institution", "sub_item", "created_by")
        .order_by("sub_item__sort", "role", "institution__name")
    )
    items = list(rec.sub_items.order_by("sort", "id"))
    sub_rows = [
        SubItemRow(
            item=item,
            follow_up=follow_ups.get(item.pk),
            assignments=[a for a in assignments if a.sub_item_id == item.pk],
        )
        for item in items
    ]
    updates = list(
        StatusUpdate.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("institution", "author", "decided_by", "sub_item")
        .prefetch_related(_evidence())
        .order_by("-created", "-id")
    )
    actions = list(
        Action.objects.visible_to(user)
        .filter(recommendations=rec)
        .select_related("institution")
        .order_by("start", "id")
    )
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(recommendations=rec)
        .select_related("institution", "action")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("date", "id"))
        )
        .order_by("name", "id")
    )
    assessments = list(
        Assessment.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("institution", "author", "sub_item")
        .prefetch_related(_evidence())
        .order_by("-date", "-id")
    )
    events = (
        Event.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("sub_item", "institution")
        .order_by("created", "id")
    )
    ids = [u.pk for u in updates if u.state == StatusUpdate.State.PENDING]
    decidable = (
        set(StatusUpdate.objects.decidable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    me = getattr(user, "pk", None)
    scope = perms.scope_for(user)
    # A validator never decides their own update (a coordinator may).
    decidable = {
        u.pk
        for u in updates
        if u.pk in decidable and (u.author_id != me or scope.manages(u.country_id))
    }
    return Panel(
        visible=True,
        follow_up=follow_ups.get(None),
        sub_items=sub_rows,
        assignments=[a for a in assignments if a.sub_item_id is None],
        pending=[u for u in updates if u.state == StatusUpdate.State.PENDING],
        updates=updates,
        actions=actions,
        indicators=indicators,
        assessments=assessments,
        story=history.story(events),
        decidable=decidable,
        editable_assignments=_editable(Assignment, user, [a.pk for a in assignments]),
        editable_actions=_editable(Action, user, [a.pk for a in actions]),
        editable_indicators=_editable(Indicator, user, [i.pk for i in indicators]),
        editable_assessments=_editable(Assessment, user, [a.pk for a in assessments]),
    )


def _editable(model: Any, user: Any, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(model.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True))


# --- lists ---------------------------------------------------------------------------------------


def _status_of_assignment() -> Any:
    whole = FollowUp.objects.filter(
        recommendation_id=OuterRef("recommendation_id"), sub_item__isnull=True
    ).values("status")[:1]
    part = FollowUp.objects.filter(
        recommendation_id=OuterRef("recommendation_id"), sub_item_id=OuterRef("sub_item_id")
    ).values("status")[:1]
    return Coalesce(
        Case(
            When(sub_item__isnull=True, then=Subquery(whole)),
            default=Subquery(part),
        ),
        Value(Status.NOT_STARTED),
    )


WORK_STATES = ("overdue", "waiting", "due")


def work(
    user: Any,
    *,
    institution: Any = None,
    country: Any = None,
    status: str = "",
    state: str = "",
    role: str = "",
    query: str = "",
) -> QuerySet:
    """Active assignments *user* may see, with their status and whether an update waits.

    The rows are annotated with `current_status` and `waiting` (an update of the assigned
    institution waits for validation), filtered as asked, in due-date order.
    """
    pending = StatusUpdate.objects.filter(
        recommendation_id=OuterRef("recommendation_id"),
        institution_id=OuterRef("institution_id"),
        state=StatusUpdate.State.PENDING,
    )
    scope = perms.scope_for(user)
    qs = Assignment.objects.visible_to(user).filter(active=True)
    if not scope.admin:
        # A recommendation's follow-up is shared by the institutions assigned to it, but the
        # list is the person's own work: their institutions', or what they coordinate.
        mine = Q(institution_id__in=set(scope.institutions)) | Q(country_id__in=scope.coordinated)
        if scope.cluster:
            mine |= Q(country_id__in=scope.cluster, institution__kind__in=perms.CLUSTER_KINDS)
        qs = qs.filter(mine)
    qs = qs.select_related(
        "recommendation__country", "recommendation__body", "institution", "sub_item"
    ).annotate(current_status=_status_of_assignment(), waiting=Exists(pending))
    if institution:
        qs = qs.filter(institution__code=institution)
    if country:
        qs = qs.filter(country__code=country)
    if status in Status.values:
        qs = qs.filter(current_status=status)
    if role in Assignment.Role.values:
        qs = qs.filter(role=role)
    today = timezone.localdate()
    if state == "overdue":
        qs = qs.filter(due__lt=today).exclude(
            current_status__in=[Status.IMPLEMENTED, Status.NO_LONGER_APPLICABLE]
        )
    elif state == "waiting":
        qs = qs.filter(waiting=True)
    elif state == "due":
        qs = qs.filter(due__isnull=False)
    if query:
        qs = qs.filter(
            Q(recommendation__text__icontains=query)
            | Q(recommendation__paragraph=query)
            | Q(recommendation__document_symbol__icontains=query)
        )
    return qs.order_by(Coalesce("due", Value("9999-12-31")).asc(), "recommendation_id", "id")


def work_filters(user: Any, params: Any) -> dict[str, str]:
    """Return work()'s keyword arguments from the work page's query string (?institution=,
    ?status=, ?state=, ?role=, ?q=): the page and its download read them here, the same way.
    An institution the person may not filter by is dropped."""
    wanted = {
        "institution": params.get("institution", "") or "",
        "status": params.get("status", "") or "",
        "state": params.get("state", "") or "",
        "role": params.get("role", "") or "",
        "query": (params.get("q", "") or "").strip()[:200],
    }
    if wanted["institution"] and wanted["institution"] not in {
        str(i.code) for i in work_institutions(user)
    }:
        wanted["institution"] = ""
    return wanted


def work_institutions(user: Any) -> list[Institution]:
    """Institutions whose work the person may filter their list by."""
    scope = perms.scope_for(user)
    if scope.admin:
        return list(Institution.objects.filter(active=True).select_related("country"))
    q = Q(pk__in=set(scope.institutions))
    if scope.coordinated:
        q |= Q(country_id__in=scope.coordinated)
    if scope.cluster:
        q |= Q(country_id__in=scope.cluster, kind__in=perms.CLUSTER_KINDS)
    return list(Institution.objects.filter(q, active=True).select_related("country"))


def validation_queue(user: Any) -> QuerySet:
    """Pending updates *user* may approve or send back, oldest first."""
    return (
        StatusUpdate.objects.decidable_by(user)
        .exclude(Q(author_id=getattr(user, "pk", None)) & ~Q(country_id__in=_managed(user)))
        .select_related("recommendation__country", "recommendation__body", "institution", "author")
        .select_related("sub_item")
        .prefetch_related(_evidence())
        .order_by("created", "id")
    )


def _managed(user: Any) -> set[int]:
    scope = perms.scope_for(user)
    if scope.admin:
        from rightstrack.recommendations.models import Country

        return set(Country.objects.values_list("pk", flat=True))
    return set(scope.coordinated) if scope.can_write else set()


def evidence_for(user: Any, code: Any) -> Evidence | None:
    """Return the evidence file *user* may download, or None (a 404)."""
    try:
        found = Evidence.objects.select_related("update", "assessment").get(code=code)
    except (Evidence.DoesNotExist, ValueError):
        return None
    if found.update_id is not None:
        ok = StatusUpdate.objects.visible_to(user).filter(pk=found.update_id).exists()
    else:
        ok = Assessment.objects.visible_to(user).filter(pk=found.assessment_id).exists()
    return found if ok else None
