"""Pages of the plans app: downloads (exports), action plans, funds, the exercise pack and
infographics. Every page asks accounts.permissions through the QuerySets' visible_to."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from rightstrack.formats.exporters.base import ExportError
from rightstrack.formats.registry import EXPORTERS
from rightstrack.plans import exports
from rightstrack.plans.models import ActionPlan, ExportLog
from rightstrack.recommendations import search

#: Kinds anyone may download: public recommendations (follow-up columns only when visible).
PUBLIC_KINDS = ("matrix", "list")


def _plan_for(user: Any, code: str | None) -> ActionPlan | None:
    if not code:
        return None
    try:
        uuid.UUID(code)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(ActionPlan.objects.visible_to(user), code=code)


def download(request: HttpRequest, kind: str) -> HttpResponse:
    """GET /exports/KIND/?format=xlsx&country=SVN...: the export of what the page shows."""
    if kind not in EXPORTERS:
        raise Http404
    if kind not in PUBLIC_KINDS and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    fmt = request.GET.get("format", "")
    filters = search.filters_from_params(request.GET)
    plan = _plan_for(request.user, request.GET.get("plan"))
    try:
        result = exports.export(
            kind, request.user, fmt=fmt, filters=filters, plan=plan, via=ExportLog.Via.WEB
        )
    except ExportError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@login_required
def export_log(request: HttpRequest) -> HttpResponse:
    from django.shortcuts import render

    from rightstrack.accounts import permissions as perms

    scope = perms.scope_for(request.user)
    logs = ExportLog.objects.select_related("user")
    if not scope.admin:
        logs = logs.filter(user=request.user)
    return render(request, "plans/export_log.html", {"logs": logs[:200]})


# --- infographics ------------------------------------------------------------------------------

CHARTS = ("positions", "themes", "groups", "status")


def _chart_data(request: HttpRequest, code: str) -> tuple[Any, dict[str, Any], dict[str, list]]:
    from django.db.models import Count
    from django.utils.translation import gettext as _

    from rightstrack.formats.exporters.matrix import POSITION_LABELS, STATUS_LABELS
    from rightstrack.formats.records import GROUPS_OF_PERSONS, LEGACY_THEMES, THEMES
    from rightstrack.recommendations.models import Country, Label
    from rightstrack.tracking.models import FollowUp

    country = get_object_or_404(Country, code=code.upper())
    filters = {
        k: v for k, v in search.filters_from_params(request.GET).items() if k in ("cycle", "body")
    }
    filters["country"] = [country.code]
    try:
        recs = exports.recommendations_for(request.user, filters)
    except ExportError:
        raise Http404 from None
    ids = recs.order_by().values("id")
    positions = [
        (str(POSITION_LABELS.get(p, _("No position"))), n)
        for p, n in recs.order_by().values_list("position").annotate(n=Count("id")).order_by("-n")
    ]

    def terms(*slugs: str) -> list[tuple[str, int]]:
        rows = (
            Label.objects.filter(recommendation_id__in=ids, term__taxonomy__slug__in=slugs)
            .exclude(review_state=Label.ReviewState.REJECTED)
            .values_list("term__name")
            .annotate(n=Count("recommendation_id", distinct=True))
            .order_by("-n", "term__name")[:10]
        )
        return list(rows)

    status_counts = dict(
        FollowUp.objects.visible_to(request.user)
        .filter(recommendation_id__in=ids, sub_item=None)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    status = [
        (str(label), status_counts[key])
        for key, label in STATUS_LABELS.items()
        if key in status_counts
    ]
    data = {
        "positions": positions,
        "themes": terms(THEMES, LEGACY_THEMES),
        "groups": terms(GROUPS_OF_PERSONS, "groups_of_persons_legacy"),
        "status": status,
    }
    return country, filters, data


def _chart_titles() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "positions": _("Positions"),
        "themes": _("Themes (ten most frequent)"),
        "groups": _("Groups of persons (ten most frequent)"),
        "status": _("Implementation status (as you may see it)"),
    }


def infographic(request: HttpRequest, code: str) -> HttpResponse:
    """Charts of a State's recommendations (?cycle= and ?body= narrow them to a review)."""
    from django.shortcuts import render

    from rightstrack.formats.exporters.charts import bar_chart_svg

    country, filters, data = _chart_data(request, code)
    titles = _chart_titles()
    query = request.GET.urlencode()
    charts = [
        {
            "name": name,
            "title": titles[name],
            "rows": data[name],
            "svg": bar_chart_svg(titles[name], data[name]) if data[name] else "",
            "url": f"{name}.svg" + (f"?{query}" if query else ""),
        }
        for name in CHARTS
    ]
    ctx = {"country": country, "filters": filters, "charts": charts, "query": query}
    return render(request, "plans/infographic.html", ctx)


def infographic_svg(request: HttpRequest, code: str, chart: str) -> HttpResponse:
    from rightstrack.formats.exporters.charts import bar_chart_svg

    if chart not in CHARTS:
        raise Http404
    country, _filters, data = _chart_data(request, code)
    title = f"{country.name}: {_chart_titles()[chart]}"
    response = HttpResponse(bar_chart_svg(title, data[chart]), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{country.code}-{chart}.svg"'
    return response
