"""Dashboards per State, institution and mechanism: how far implementation has come.

Everything is counted in SQL with a fixed number of queries, whatever the number of
recommendations and updates (tests assert it at two sizes), over what the person may see
(FollowUp.visible_to). Each chart is server-rendered SVG (rightstrack.deadlines.charts), with a
table of the same numbers beside it, and downloadable (`.../chart/NAME.svg`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from rightstrack.accounts import permissions as perms
from rightstrack.accounts.models import Institution
from rightstrack.core.upr_calendar import add_months
from rightstrack.deadlines import charts
from rightstrack.deadlines.models import Deadline, Kind
from rightstrack.formats import records
from rightstrack.recommendations.models import Country, Label, Mechanism
from rightstrack.tracking.models import (
    Assignment,
    Event,
    FollowUp,
    Indicator,
    Measurement,
    Status,
    StatusUpdate,
)

#: Months shown in the chart of status counts over time.
MONTHS = 24
#: Rows shown in the theme and group charts.
TOP = 10
CHARTS = ("status", "mechanism", "theme", "group", "time", "indicators")


def _scope_filters(request: HttpRequest) -> dict[str, Any]:
    return scope_filters(request.user, request.GET)


def scope_filters(user: Any, params: Any) -> dict[str, Any]:
    """The State, institution and mechanism asked for (?country=, ?institution=, ?mechanism=):
    the dashboard and its download read them here."""
    scope = perms.scope_for(user)
    code = (params.get("country") or "").upper()[:3]
    country = Country.objects.filter(code=code).first() if code else None
    if country is None and not code:
        mine = sorted(scope.coordinated or scope.countries)
        country = Country.objects.filter(pk=mine[0]).first() if mine else None
    if country is None:
        raise Http404("no such State")
    institution = None
    if params.get("institution"):
        try:
            institution = Institution.objects.get(code=params["institution"], country=country)
        except (Institution.DoesNotExist, ValueError, ValidationError):
            raise Http404("no such institution") from None
    mechanism = params.get("mechanism", "") or ""
    if mechanism and mechanism not in Mechanism.values:
        mechanism = ""
    return {"country": country, "institution": institution, "mechanism": mechanism}


def follow_ups(user: Any, country: Country, institution: Any = None, mechanism: str = "") -> Any:
    qs = FollowUp.objects.visible_to(user).filter(country=country, sub_item=None)
    if institution is not None:
        assigned = Assignment.objects.filter(institution=institution, active=True)
        qs = qs.filter(recommendation_id__in=assigned.values("recommendation_id"))
    if mechanism:
        qs = qs.filter(recommendation__mechanism=mechanism)
    return qs


def _by(qs: Any, field: str) -> list[tuple[str, dict[str, int]]]:
    rows: dict[str, dict[str, int]] = {}
    for key, status, n in qs.order_by().values_list(field, "status").annotate(n=Count("id")):
        rows.setdefault(key or "", {})[status] = n
    return sorted(rows.items(), key=lambda kv: -sum(kv[1].values()))


def _labels(base: Any) -> tuple[list, list]:
    """Counts by theme and by group of persons, and status: one query over both taxonomies."""
    theme_slugs = (records.THEMES, records.LEGACY_THEMES)
    rows: dict[str, dict[str, dict[str, int]]] = {"theme": {}, "group": {}}
    pairs = (
        base.filter(
            # One filter(): the taxonomy and the review state are those of the same label.
            recommendation__labels__term__taxonomy__slug__in=(
                *theme_slugs,
                records.GROUPS_OF_PERSONS,
            ),
            recommendation__labels__review_state__in=(
                Label.ReviewState.SUGGESTED,
                Label.ReviewState.ACCEPTED,
            ),
        )
        .order_by()
        .values_list(
            "recommendation__labels__term__taxonomy__slug",
            "recommendation__labels__term__name",
            "status",
        )
        .annotate(n=Count("id"))
    )
    for slug, name, status, n in pairs:
        kind = "theme" if slug in theme_slugs else "group"
        rows[kind].setdefault(name, {})[status] = n

    def top(found: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
        return sorted(found.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:TOP]

    return top(rows["theme"]), top(rows["group"])


def over_time(base: Any, today: dt.date, months: int = MONTHS) -> tuple[list[str], dict]:
    """Status counts at the end of each of the last *months* months (from validated updates).

    One SQL query whatever the number of updates, reading three short columns of each
    validated update (no model instances): each update holds its status from its month until
    the month of the recommendation's next validated update; running sums over the months give
    each month's counts. Recommendations with no update by then count as not started.
    """
    ends = [add_months(today.replace(day=1), -i) - dt.timedelta(days=1) for i in range(months)]
    ends = [*sorted(ends)[1:], today]
    keys = [e.strftime("%Y-%m") for e in ends]
    index = {k: i for i, k in enumerate(keys)}
    total = base.count()
    ids = base.order_by().values("recommendation_id")
    ids_sql, ids_params = ids.query.get_compiler(connection=connection).as_sql()
    if connection.vendor == "postgresql":
        month, until = "to_char(date, 'YYYY-MM')", today
    else:  # ISO text: its first seven characters are the month
        month, until = "substr(date, 1, 7)", today.isoformat()
    sql = (
        f"SELECT recommendation_id, {month}, status FROM {StatusUpdate._meta.db_table} "
        "WHERE state = %s AND sub_item_id IS NULL AND date <= %s "
        f"AND recommendation_id IN ({ids_sql}) ORDER BY recommendation_id, date, decided, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [StatusUpdate.State.VALIDATED, until, *ids_params])
        rows = cursor.fetchall()  # plain strings and numbers: no model, no date parsing
    # +1 from the month an update holds, -1 from the month the next one replaces it.
    delta: dict[str, list[int]] = {value: [0] * (len(ends) + 1) for value in Status.values}
    last = len(ends)
    for i, (rec, first, status) in enumerate(rows):
        if status not in delta:
            continue
        following = rows[i + 1] if i + 1 < len(rows) and rows[i + 1][0] == rec else None
        replaced = following[1] if following else None
        if replaced is not None and replaced < keys[0]:
            continue
        start = 0 if first < keys[0] else index.get(first, last)
        stop = last if replaced is None or replaced > keys[-1] else index[replaced]
        if start < stop:
            delta[status][start] += 1
            delta[status][stop] -= 1
    series: dict[str, list[int]] = {}
    for value in Status.values:
        running, out = 0, []
        for i in range(len(ends)):
            running += delta[value][i]
            out.append(running)
        series[value] = out
    counted = [sum(series[v][i] for v in Status.values) for i in range(len(ends))]
    series[Status.NOT_STARTED] = [
        series[Status.NOT_STARTED][i] + max(total - counted[i], 0) for i in range(len(ends))
    ]
    return keys, series


def cached_over_time(
    user: Any, base: Any, country: Country, institution: Any, mechanism: str, today: dt.date
) -> tuple[list[str], dict]:
    """over_time(), kept until the State's history gets a new event (a validation, an
    assignment...): the series reads every update, and nothing it counts changes without an
    Event (rightstrack.tracking.services records one with every change)."""
    latest = (
        Event.objects.filter(country=country)
        .order_by("-created", "-id")
        .values_list("id", flat=True)
    ).first()
    scope = perms.scope_for(user)
    who = (
        "admin"
        if scope.admin
        else ",".join(
            [
                "c" + "-".join(map(str, sorted(scope.coordinated))),
                "i" + "-".join(map(str, sorted(scope.member_institutions))),
                "k" + "-".join(map(str, sorted(scope.cluster))),
                "o" + "-".join(map(str, sorted(scope.institutions))),
            ]
        )
    )
    parts = [country.pk, getattr(institution, "pk", ""), mechanism, today, latest, who]
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    key = f"deadlines:over_time:{digest}"
    found = cache.get(key)
    if found is None:
        found = over_time(base, today)
        cache.set(key, found, timeout=6 * 3600)
    return found


def indicators(user: Any, country: Country, institution: Any = None) -> list[dict[str, Any]]:
    latest = Measurement.objects.filter(
        indicator=OuterRef("pk"),
        sex="",
        age_group="",
        displacement_status="",
        disability="",
        location="",
    ).order_by("-date", "-id")
    qs = Indicator.objects.visible_to(user).filter(country=country)
    if institution is not None:
        qs = qs.filter(institution=institution)
    rows = []
    for ind in qs.annotate(
        latest=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1])
    ).select_related("institution")[:20]:
        share = None
        if ind.target is not None and ind.latest is not None:
            start = ind.baseline if ind.baseline is not None else Decimal(0)
            span = ind.target - start
            share = float((ind.latest - start) / span) if span else 1.0
        rows.append(
            {
                "name": ind.name,
                "institution": ind.institution.name,
                "unit": ind.unit,
                "baseline": ind.baseline,
                "target": ind.target,
                "target_date": ind.target_date,
                "latest": ind.latest,
                "latest_date": ind.latest_date,
                "share": share,
            }
        )
    return rows


def dashboard_data(
    user: Any,
    country: Country,
    institution: Any = None,
    mechanism: str = "",
    today: dt.date | None = None,
) -> dict[str, Any]:
    today = today or timezone.localdate()
    base = follow_ups(user, country, institution, mechanism)
    statuses = list(Status.choices)
    by_status = dict(base.order_by().values_list("status").annotate(n=Count("id")))
    mechanism_labels = dict(Mechanism.choices)
    by_mechanism = [
        (str(mechanism_labels.get(k, k)), v) for k, v in _by(base, "recommendation__mechanism")
    ]
    themes, groups = _labels(base)
    months, series = cached_over_time(user, base, country, institution, mechanism, today)
    overdue_qs = Deadline.objects.visible_to(user).filter(
        country=country, date__lt=today, kind__in=(Kind.ASSIGNMENT_DUE, Kind.MEASUREMENT_DUE)
    )
    if institution is not None:
        overdue_qs = overdue_qs.filter(institution=institution)
    overdue = list(overdue_qs.select_related("institution", "recommendation").order_by("date")[:25])
    overdue_count = overdue_qs.count()
    inds = indicators(user, country, institution)
    return {
        "today": today,
        "statuses": statuses,
        "total": sum(by_status.values()),
        "by_status": [(value, label, by_status.get(value, 0)) for value, label in statuses],
        "by_mechanism": by_mechanism,
        "themes": themes,
        "groups": groups,
        "months": months,
        "series": series,
        "time_rows": [(m, [series[v][i] for v, _label in statuses]) for i, m in enumerate(months)],
        "overdue": overdue,
        "overdue_count": overdue_count,
        "indicators": inds,
    }


def chart(name: str, data: dict[str, Any]) -> str:
    statuses = data["statuses"]
    if name == "status":
        counts = {v: n for v, _l, n in data["by_status"]}
        return charts.stacked_bars(
            [(_("All followed up"), counts)], statuses, title=_("Progress by status")
        )
    if name == "mechanism":
        return charts.stacked_bars(data["by_mechanism"], statuses, title=_("Progress by mechanism"))
    if name == "theme":
        return charts.stacked_bars(data["themes"], statuses, title=_("Progress by theme"))
    if name == "group":
        return charts.stacked_bars(
            data["groups"], statuses, title=_("Progress by group of persons")
        )
    if name == "time":
        return charts.lines(
            data["months"], data["series"], statuses, title=_("Status counts by month")
        )
    if name == "indicators":
        return charts.progress_bars(data["indicators"], title=_("Indicators against targets"))
    raise Http404("no such chart")


def _login_or_404(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise Http404("not found")


def dashboard(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    where = _scope_filters(request)
    data = dashboard_data(request.user, **where)
    svgs = {name: chart(name, data) for name in CHARTS}
    query = request.GET.urlencode()
    institutions = Institution.objects.filter(country=where["country"], active=True).only(
        "code", "name"
    )
    return render(
        request,
        "deadlines/dashboard.html",
        {
            **data,
            **where,
            "svgs": svgs,
            "query": query,
            "institutions": institutions,
            "mechanisms": Mechanism.choices,
        },
    )


def chart_svg(request: HttpRequest, name: str) -> HttpResponse:
    """One chart as an SVG file to download (for reports)."""
    _login_or_404(request)
    if name not in CHARTS:
        raise Http404("no such chart")
    where = _scope_filters(request)
    svg = chart(name, dashboard_data(request.user, **where))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    filename = f"{where['country'].code}-{name}.svg"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
