"""The recommendations a list page shows, for its "Download" (`?from=PAGE` on an export).

Each page's download reads the page's own query string through the page's own code: the
same parser and the same permission-filtered QuerySet the page lists (tracking.queries.work,
deadlines.dashboards.follow_ups, deadlines.views.month_deadlines, the analysis forms'
filter(), plans.services.unfunded_queryset...), so a download never holds a row the person
could not see on the page, and a filter added to a page reaches its download.

What is exported is always recommendations (the `list` and `matrix` exports); their
follow-up columns are those the person may see (exports.records_for).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, QueryDict

from rightstrack.formats.exporters.base import ExportError
from rightstrack.recommendations.models import Recommendation

#: The query-string parameters that belong to the export, not to the page.
EXPORT_PARAMS = ("format", "from", "per", "plan", "page")


def _work(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.tracking import queries

    return queries.work(user, **queries.work_filters(user, params)).values("recommendation_id")


def _validation(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.tracking import queries

    return queries.validation_queue(user).values("recommendation_id")


def _dashboard(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.deadlines import dashboards

    try:
        where = dashboards.scope_filters(user, params)
    except Http404 as exc:
        raise ExportError(f"dashboard: {exc}") from None
    return dashboards.follow_ups(user, **where).values("recommendation_id")


def _calendar(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.deadlines.views import month_deadlines

    deadlines = month_deadlines(user, params)["deadlines"]
    return deadlines.filter(recommendation__isnull=False).values("recommendation_id")


def _review(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.analysis.forms import ReviewFilterForm
    from rightstrack.analysis.views import queue_labels

    return ReviewFilterForm(params or None).filter(queue_labels()).values("recommendation_id")


def _groups(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.analysis.forms import GroupFilterForm
    from rightstrack.recommendations.models import GroupMembership, RecommendationGroup

    groups = GroupFilterForm(params or None).filter(RecommendationGroup.objects.all())
    return GroupMembership.objects.filter(group__in=groups).values("recommendation_id")


def _unfunded(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.plans.services import unfunded_queryset
    from rightstrack.tracking.models import Action

    actions = unfunded_queryset(user)
    return Action.recommendations.through.objects.filter(action__in=actions).values(
        "recommendation_id"
    )


def _plans(user: Any, params: QueryDict) -> QuerySet:
    from rightstrack.plans.models import ActionPlan

    plans = ActionPlan.objects.visible_to(user)
    return ActionPlan.recommendations.through.objects.filter(actionplan__in=plans).values(
        "recommendation_id"
    )


#: page -> function(user, the page's query string) -> the recommendation ids it shows.
PAGES: dict[str, Callable[[Any, QueryDict], QuerySet]] = {
    "dashboard": _dashboard,
    "work": _work,
    "validation": _validation,
    "calendar": _calendar,
    "review": _review,
    "groups": _groups,
    "unfunded": _unfunded,
    "plans": _plans,
}


#: Follow-up filters any list or matrix export takes beside the search filters, each read by
#: the code of the page that lists it: `assigned_to` (institution codes; the work list's
#: assignments), `awaiting_validation` (the validation queue), `due_after` / `due_before`
#: (YYYY-MM-DD, inclusive; the calendar's deadlines).
FOLLOW_UP_FILTERS = ("assigned_to", "awaiting_validation", "due_after", "due_before")
_TRUE = ("1", "true", "yes", "on")


def follow_up_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Return the follow-up filters of a query string (a QueryDict or a plain dict)."""
    out = {k: v for k, v in page_params(params).items() if k in FOLLOW_UP_FILTERS}
    if "assigned_to" in out and not isinstance(out["assigned_to"], list):
        out["assigned_to"] = [out["assigned_to"]]
    return out


def _date(name: str, value: Any) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ExportError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


def narrow(user: Any, queryset: QuerySet, filters: Mapping[str, Any]) -> QuerySet:
    """Return *queryset* narrowed by the follow-up filters in *filters* (FOLLOW_UP_FILTERS)."""
    from django.core.exceptions import ValidationError

    from rightstrack.tracking import queries

    codes = filters.get("assigned_to") or []
    if codes:
        codes = codes if isinstance(codes, list | tuple) else [codes]
        try:
            assigned = queries.work(user).filter(institution__code__in=[str(c) for c in codes])
        except (ValidationError, ValueError):
            raise ExportError(f"assigned_to: not an institution code: {codes[0]!r}") from None
        queryset = queryset.filter(id__in=assigned.values("recommendation_id"))
    waiting = filters.get("awaiting_validation")
    if waiting is not None and str(waiting).lower() in _TRUE:
        queryset = queryset.filter(id__in=_validation(user, QueryDict()))
    after, before = filters.get("due_after"), filters.get("due_before")
    if after or before:
        from rightstrack.deadlines.models import Deadline

        deadlines = Deadline.objects.visible_to(user).between(
            _date("due_after", after) if after else None,
            _date("due_before", before) if before else None,
        )
        queryset = queryset.filter(
            id__in=deadlines.filter(recommendation__isnull=False).values("recommendation_id")
        )
    return queryset


def page_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Return the page's own parameters of a download's query string, as recorded in
    ExportLog: one value as text, repeated ones as a list."""
    getlist = getattr(params, "getlist", None)
    out: dict[str, Any] = {}
    for name in params:
        if name in EXPORT_PARAMS:
            continue
        values = getlist(name) if getlist else params[name]
        values = values if isinstance(values, list | tuple) else [values]
        values = [str(v) for v in values if str(v) != ""]
        if values:
            out[name] = values[0] if len(values) == 1 else values
    return out


def _query_dict(params: Mapping[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, [str(v) for v in value] if isinstance(value, list | tuple) else [value])
    return query


def recommendations(user: Any, page: str, params: Mapping[str, Any]) -> QuerySet:
    """Return the recommendations *page* shows *user* for its query string *params*."""
    try:
        ids = PAGES[page]
    except KeyError:
        raise ExportError(
            f"from={page!r}: not a page with a download; pages: {', '.join(PAGES)}"
        ) from None
    if not getattr(user, "is_authenticated", False):
        raise ExportError(f"from={page}: sign in to download what this page shows")
    return Recommendation.objects.visible_to(user).filter(id__in=ids(user, _query_dict(params)))
