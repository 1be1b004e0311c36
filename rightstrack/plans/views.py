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
from rightstrack.plans import exports, pages
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
    page = request.GET.get("from", "")
    if page:
        # What a list page shows (plans.pages): its own query string, read by its own code.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        filters = {"from": page, **pages.page_params(request.GET)}
    else:
        filters = search.filters_from_params(request.GET)
        filters.update(pages.follow_up_params(request.GET))
    if request.GET.get("per") in exports.LAYOUTS:
        filters["per"] = request.GET["per"]
    plan = _plan_for(request.user, request.GET.get("plan"))
    try:
        if _as_job(kind, request.user, fmt, filters):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return _start_export_job(request, kind, fmt, filters, plan)
        result = exports.export(
            kind, request.user, fmt=fmt, filters=filters, plan=plan, via=ExportLog.Via.WEB
        )
    except ExportError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


def inline_max_rows() -> int:
    from django.conf import settings

    return int(getattr(settings, "EXPORT_INLINE_MAX_ROWS", 5000))


def _as_job(kind: str, user: Any, fmt: str, filters: dict[str, Any]) -> bool:
    """Whether this web export runs as a job: a PDF, or a list or matrix of more
    recommendations than EXPORT_INLINE_MAX_ROWS. ExportError for a format the kind lacks."""
    from rightstrack.formats.registry import get_exporter

    fmt = get_exporter(kind).check_format(fmt)
    if fmt == "pdf":
        return True
    if kind in ("list", "matrix"):
        return exports.recommendations_for(user, filters).count() > inline_max_rows()
    return False


def _start_export_job(
    request: HttpRequest, kind: str, fmt: str, filters: dict[str, Any], plan: Any
) -> HttpResponse:
    from django.shortcuts import redirect

    from rightstrack.jobs.services import start_job

    job = start_job(
        "export",
        owner=request.user,
        params={
            "kind": kind,
            "format": fmt.lower().lstrip("."),
            "filters": exports.jsonable_filters(filters),
            "plan": str(plan.code) if plan is not None else "",
            "via": ExportLog.Via.WEB,
        },
        message=_("Waiting for a worker"),
    )
    return redirect("plans-export-job", job=job.code)


def _own_export_job(request: HttpRequest, code: str) -> Any:
    """The export job *code* of the person asking; 404 for anyone else (even an administrator:
    the file holds what its owner may see)."""
    from rightstrack.jobs.models import Job

    if not request.user.is_authenticated:
        raise Http404
    found = Job.objects.filter(code=code, kind="export", owner_id=request.user.pk).first()
    if found is None:
        raise Http404(_("No such export"))
    return found


def export_job(request: HttpRequest, job: str) -> HttpResponse:
    """The progress of an export job, read from its Job row (any server process)."""
    from django.shortcuts import render

    from rightstrack.lib.htmx import is_htmx

    found = _own_export_job(request, job)
    template = "plans/_export_progress.html" if is_htmx(request) else "plans/export_progress.html"
    name = exports.NAMES.get(found.params.get("kind", ""), found.params.get("kind", ""))
    return render(
        request,
        template,
        {"job": found, "what": name, "format": str(found.params.get("format", "")).upper()},
    )


def export_job_file(request: HttpRequest, job: str) -> HttpResponse:
    """The finished export's file, to its owner only, as an attachment."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    found = _own_export_job(request, job)
    name = (found.result or {}).get("storage_name")
    if found.state != found.State.DONE or not name:
        raise Http404(_("The export is not ready"))
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.result.get("filename") or "export",
        content_type=found.result.get("content_type") or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
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

    from rightstrack.engine.analyse.persons import PUBLIC_OFFICIALS
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
            # Duty-bearers, not rights-holders (as on the recommendation page).
            .exclude(term__name=PUBLIC_OFFICIALS)
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


# --- action plans -------------------------------------------------------------------------------


def _invalid_response(request: HttpRequest, exc: Exception, status: int = 400) -> HttpResponse:
    return HttpResponse(str(exc), status=status, content_type="text/plain; charset=utf-8")


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """The plans the person may see; a coordinator creates one from a search's filters."""
    import json

    from django.shortcuts import redirect, render

    from rightstrack.accounts import permissions as perms
    from rightstrack.plans import services
    from rightstrack.plans.forms import PlanForm
    from rightstrack.recommendations.models import Country
    from rightstrack.tracking.exceptions import Invalid, NotAllowed

    scope = perms.scope_for(request.user)
    countries = (
        Country.objects.all() if scope.admin else Country.objects.filter(pk__in=scope.coordinated)
    )
    choices = [(c.code, c.name) for c in countries.order_by("name")] if scope.can_write else []
    filters = search.filters_from_params(request.GET)
    form = PlanForm(
        request.POST or None,
        initial={"filters": json.dumps(filters), "country": (filters.get("country") or [""])[0]},
    )
    form.fields["country"].choices = choices
    error = ""
    if request.method == "POST":
        if not choices:
            return _invalid_response(request, "only coordinators may create action plans", 403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                chosen = json.loads(data["filters"] or "{}")
            except ValueError:
                chosen = {}
            try:
                plan = services.create_plan(
                    request.user,
                    country=Country.objects.get(code=data["country"]),
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    filters={**chosen, "country": [data["country"]]} if chosen else {},
                    situation=data["situation"],
                    problems=data["problems"],
                    monitoring=data["monitoring"],
                )
            except NotAllowed as exc:
                return _invalid_response(request, exc, 403)
            except Invalid as exc:
                error = str(exc)
            else:
                return redirect(plan.get_absolute_url())
    ctx = {
        "plans": ActionPlan.objects.visible_to(request.user).select_related("country"),
        "form": form if choices else None,
        "filters": filters,
        "error": error,
    }
    return render(request, "plans/plans.html", ctx, status=400 if error or form.errors else 200)


@login_required
def plan_page(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    from django.shortcuts import redirect, render

    from rightstrack.plans import services
    from rightstrack.plans.forms import ConsultationForm, GoalForm
    from rightstrack.plans.progress import progress_rows
    from rightstrack.tracking.exceptions import Invalid, NotAllowed
    from rightstrack.tracking.models import Action, Indicator

    plan = get_object_or_404(ActionPlan.objects.visible_to(request.user), code=code)
    editable = ActionPlan.objects.editable_by(request.user).filter(pk=plan.pk).exists()
    actions = Action.objects.visible_to(request.user).filter(country=plan.country_id)
    indicators = Indicator.objects.visible_to(request.user).filter(country=plan.country_id)
    goal_form = GoalForm(request.POST if request.POST.get("form") == "goal" else None)
    goal_form.fields["actions"].choices = [(str(a.code), a.title) for a in actions]
    goal_form.fields["indicators"].choices = [(str(i.code), i.name) for i in indicators]
    consultation_form = ConsultationForm(
        request.POST if request.POST.get("form") == "consultation" else None
    )
    error = ""
    if request.method == "POST":
        if not editable:
            return _invalid_response(
                request, "only the State's coordinators may change its plans", 403
            )
        try:
            if request.POST.get("form") == "goal" and goal_form.is_valid():
                data = goal_form.cleaned_data
                services.add_goal(
                    request.user,
                    plan,
                    title=data["title"],
                    accountability=data["accountability"],
                    actions=list(actions.filter(code__in=data["actions"])),
                    indicators=list(indicators.filter(code__in=data["indicators"])),
                )
                return redirect(plan.get_absolute_url() + "#goals")
            if request.POST.get("form") == "consultation" and consultation_form.is_valid():
                services.add_consultation(request.user, plan, **consultation_form.cleaned_data)
                return redirect(plan.get_absolute_url() + "#consultations")
        except NotAllowed as exc:
            return _invalid_response(request, exc, 403)
        except Invalid as exc:
            error = str(exc)
        error = error or _("Check the form: some fields are missing or wrong.")
    goals = plan.goals.prefetch_related(
        "actions__institution", "actions__fundings__fund", "indicators"
    )
    ctx = {
        "plan": plan,
        "editable": editable,
        "goals": goals,
        "consultations": plan.consultations.all(),
        "progress": progress_rows(plan),
        "recommendations": plan.recommendations.select_related("body").order_by(
            "body__code", "paragraph"
        ),
        "goal_form": goal_form,
        "consultation_form": consultation_form,
        "error": error,
        "query": f"plan={plan.code}",
    }
    return render(request, "plans/plan.html", ctx, status=400 if error else 200)


def _(text: str) -> str:
    from django.utils.translation import gettext

    return gettext(text)


# --- funds --------------------------------------------------------------------------------------


def funds(request: HttpRequest) -> HttpResponse:
    from django.shortcuts import render

    from rightstrack.plans.models import Fund

    return render(request, "plans/funds.html", {"funds": Fund.objects.filter(active=True)})


@login_required
def unfunded(request: HttpRequest) -> HttpResponse:
    """Actions without granted funding, each with the UN funds that could pay for it."""
    from django.shortcuts import render

    from rightstrack.plans import services
    from rightstrack.plans.forms import FundingForm
    from rightstrack.tracking.models import Action

    rows = services.unfunded_actions(request.user)
    editable = set(Action.objects.editable_by(request.user).values_list("pk", flat=True))
    ctx = {
        "rows": [(a, c, a.pk in editable) for a, c in rows],
        "form": FundingForm(),
    }
    return render(request, "plans/unfunded.html", ctx)


@login_required
def set_funding(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    from django.shortcuts import redirect

    from rightstrack.plans import services
    from rightstrack.plans.forms import FundingForm
    from rightstrack.tracking.exceptions import Invalid, NotAllowed
    from rightstrack.tracking.models import Action

    if request.method != "POST":
        return redirect("plans-unfunded")
    action = get_object_or_404(Action.objects.visible_to(request.user), code=code)
    form = FundingForm(request.POST)
    if not form.is_valid():
        return _invalid_response(request, form.errors.as_text())
    try:
        services.set_funding(request.user, action, **form.cleaned_data)
    except NotAllowed as exc:
        return _invalid_response(request, exc, 403)
    except Invalid as exc:
        return _invalid_response(request, exc)
    return redirect("plans-unfunded")


# --- exercise pack ------------------------------------------------------------------------------


def exercise(request: HttpRequest) -> HttpResponse:
    """Scenario 4: a trainer picks a State and gets the three recommendations and the key."""
    from django.shortcuts import render

    from rightstrack.plans import reports
    from rightstrack.recommendations.models import Country, Recommendation

    countries = Country.objects.filter(
        pk__in=Recommendation.objects.order_by().values("country_id").distinct()
    ).order_by("name")
    code = (request.GET.get("country") or "").upper()
    report = None
    error = ""
    if code:
        try:
            report, _rows = reports.exercise_pack(request.user, {"country": [code]})
        except ExportError as exc:
            error = str(exc)
    ctx = {"countries": countries, "code": code, "report": report, "error": error}
    return render(request, "plans/exercise.html", ctx, status=400 if error else 200)
