"""Follow-up pages: the panel of a recommendation and its forms, lists, downloads, management.

Each view asks rightstrack.tracking.queries (what the person sees) and calls
rightstrack.tracking.services (every change, permission-checked and recorded in the history).
Answers follow docs/roles.md: not logged in, the login page; another State's or institution's
follow-up, 404; seen but not allowed, 403. Forms work without JavaScript (a POST, then a
redirect); with htmx the panel is swapped in place.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rightstrack.accounts import permissions as perms
from rightstrack.front import charts
from rightstrack.front import followup_forms as ff
from rightstrack.lib.htmx import is_htmx
from rightstrack.recommendations.models import Recommendation
from rightstrack.tracking import queries, services
from rightstrack.tracking.exceptions import Conflict, Invalid, NotAllowed, NotFound
from rightstrack.tracking.models import Action, Assessment, Assignment, Indicator, Status


def htmx_error(status: int, message: str) -> HttpResponse:
    """A short plain-text error answer for htmx; static/htmx-errors.js shows it on the page."""
    return HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8", headers=_NO_STORE
    )


_NO_STORE = {"Cache-Control": "no-store"}


def readable_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer an htmx request's 403 and 404 with a short message instead of a whole page.

    htmx swaps no error answer, so the page would show nothing; the message is put in the
    page's live region instead. Requests without htmx get the usual pages.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_htmx(request):
            return view(request, *args, **kwargs)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return htmx_error(403, str(exc) or _("You may not do this."))
        except Http404 as exc:
            return htmx_error(404, str(exc) or _("It is not there any more."))

    return wrapped


def _rec_or_404(request: HttpRequest, code: uuid.UUID) -> Recommendation:
    rec = get_object_or_404(
        Recommendation.objects.visible_to(request.user).select_related(
            "country", "body", "document", "review", "import_batch", "repeats", "analysis"
        ),
        code=code,
    )
    if not queries.sees_follow_up(request.user, rec):
        raise Http404(_("No such follow-up"))
    return rec


def _add_error(form: Any, exc: Invalid) -> None:
    name = exc.field if exc.field in form.fields else None
    if exc.field == "evidence" and "evidence_files" in form.fields:
        name = "evidence_files"
    form.add_error(name, exc.message if name else str(exc))


def _sub_items(rec: Recommendation) -> list[Any]:
    return list(rec.sub_items.order_by("sort", "id"))


def _assign(request: HttpRequest, rec: Recommendation, form: Any, d: dict) -> None:
    services.assign(
        request.user,
        rec,
        d["institution"],
        role=d["role"],
        due=d["due"],
        sub_item=d.get("sub_item") or None,
        note=d["note"],
    )


def _report(service: Callable[..., Any]) -> Callable[..., None]:
    """The call of a progress update or an assessment (the same fields, and evidence)."""

    def act(request: HttpRequest, rec: Recommendation, form: Any, d: dict) -> None:
        service(
            request.user,
            rec,
            status=d["status"],
            date=d["date"],
            note=d["note"],
            links=form.links(),
            files=d["evidence_files"],
            sub_item=d.get("sub_item") or None,
            institution=d["institution"],
        )

    return act


def _action_data(d: dict) -> dict[str, Any]:
    return {
        k: d[k]
        for k in services.ACTION_FIELDS
        if k in d and (d[k] not in (None, "") or k in ("budget_amount", "start", "end"))
    }


def _indicator_data(d: dict) -> dict[str, Any]:
    return {k: d[k] for k in services.INDICATOR_FIELDS if k in d}


def _create_action(request: HttpRequest, rec: Recommendation, form: Any, d: dict) -> None:
    services.create_action(
        request.user, institution=d["institution"], recommendations=[rec], **_action_data(d)
    )


def _create_indicator(request: HttpRequest, rec: Recommendation, form: Any, d: dict) -> None:
    services.create_indicator(
        request.user, institution=d["institution"], recommendations=[rec], **_indicator_data(d)
    )


@dataclass(frozen=True)
class PanelForm:
    """One form of the panel: who may use it, which form, which service call it makes.

    *capability* names the queries.Capabilities field that allows it; for report, assess and
    plan its value is also the institutions the person may choose. *act* makes the service
    call from the cleaned data; *refused* is the 403 message, *done* the success message.
    """

    name: str
    capability: str
    form_class: type
    act: Callable[[HttpRequest, Recommendation, Any, dict], None]
    refused: Promise
    done: Promise
    sub_items: bool = True

    def institutions(self, request: HttpRequest, rec: Recommendation, caps: Any) -> Any:
        if self.capability == "assign":
            return queries.assignable_institutions(request.user, rec.country_id)
        return getattr(caps, self.capability)

    def build(
        self, request: HttpRequest, rec: Recommendation, caps: Any, *, bound: bool = False
    ) -> Any:
        kwargs: dict[str, Any] = {
            "institutions": self.institutions(request, rec, caps),
            "prefix": self.name,
        }
        if self.sub_items:
            kwargs["sub_items"] = _sub_items(rec)
        if bound:
            return self.form_class(request.POST, request.FILES, **kwargs)
        return self.form_class(**kwargs)


#: The forms of the panel, in the order the template shows them.
PANEL = {
    p.name: p
    for p in (
        PanelForm(
            "assign",
            "assign",
            ff.AssignForm,
            _assign,
            refused=gettext_lazy("You may not assign this recommendation."),
            done=gettext_lazy("Assigned."),
        ),
        PanelForm(
            "update",
            "report",
            ff.UpdateForm,
            _report(services.submit_update),
            refused=gettext_lazy("You may not report progress on this recommendation."),
            done=gettext_lazy("Your update is recorded."),
        ),
        PanelForm(
            "assess",
            "assess",
            ff.AssessForm,
            _report(services.assess),
            refused=gettext_lazy("You may not assess this recommendation."),
            done=gettext_lazy("Your assessment is recorded."),
        ),
        PanelForm(
            "action",
            "plan",
            ff.ActionForm,
            _create_action,
            refused=gettext_lazy("You may not plan actions for this recommendation."),
            done=gettext_lazy("The action is planned."),
            sub_items=False,
        ),
        PanelForm(
            "indicator",
            "plan",
            ff.IndicatorForm,
            _create_indicator,
            refused=gettext_lazy("You may not define indicators for this recommendation."),
            done=gettext_lazy("The indicator is defined."),
            sub_items=False,
        ),
    )
}
#: The forms of the panel, by the name the template and the POST use.
PANEL_FORMS = tuple(PANEL)


def _forms(request: HttpRequest, rec: Recommendation, caps: queries.Capabilities) -> dict:
    """Unbound forms for what the person may do on *rec*."""
    return {
        name: spec.build(request, rec, caps)
        for name, spec in PANEL.items()
        if getattr(caps, spec.capability)
    }


def panel_context(
    request: HttpRequest,
    rec: Recommendation,
    *,
    bound: tuple[str, Any] | None = None,
) -> dict[str, Any]:
    """Return what templates/front/_followup_panel.html needs for *rec* and this person."""
    data = queries.panel(request.user, rec)
    if not data.visible:
        return {"fu": data}
    caps = queries.capabilities(request.user, rec)
    forms = _forms(request, rec, caps)
    if bound is not None:
        forms[bound[0]] = bound[1]
    # One "record a value" form per indicator, with ids of its own (labels stay unambiguous).
    indicators = [
        (
            i,
            charts.indicator_chart(i, list(i.measurements.all())),
            ff.MeasurementForm(prefix="m", auto_id=f"id_ind{i.pk}_%s"),
        )
        for i in data.indicators
    ]
    return {
        "fu": data,
        "caps": caps,
        "forms": forms,
        "open_form": bound[0] if bound else "",
        "indicator_charts": indicators,
        "decide_form": ff.DecideForm(prefix="d"),
        "statuses": Status,
    }


def _after_change(request: HttpRequest, rec: Recommendation, message: str) -> HttpResponse:
    messages.success(request, message)
    if is_htmx(request):
        return _panel_response(request, rec)
    return redirect(rec.get_absolute_url() + "#followup")


def _panel_response(
    request: HttpRequest, rec: Recommendation, *, bound: tuple[str, Any] | None = None
) -> HttpResponse:
    ctx = {"rec": rec, "fragment": True, **panel_context(request, rec, bound=bound)}
    return render(request, "front/_followup_panel.html", ctx)


def _invalid(request: HttpRequest, rec: Recommendation, name: str, form: Any) -> HttpResponse:
    """Show the form again, with the person's input and the errors next to the fields."""
    if is_htmx(request):
        # htmx swaps 200 answers only; the errors are in the fragment.
        return _panel_response(request, rec, bound=(name, form))
    from rightstrack.front.views import recommendation_context

    ctx = recommendation_context(request, rec)
    ctx.update(panel_context(request, rec, bound=(name, form)))
    return render(request, "front/recommendation.html", ctx, status=400)


def _run(
    request: HttpRequest, rec: Recommendation, name: str, form: Any, action: Any, done: str
) -> HttpResponse:
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except Invalid as exc:
            _add_error(form, exc)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except NotFound:
            raise Http404(_("No such follow-up")) from None
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            return _after_change(request, rec, done)
    return _invalid(request, rec, name, form)


# --- the panel's forms ------------------------------------------------------------------------


def _panel_post(request: HttpRequest, code: uuid.UUID, spec: PanelForm) -> HttpResponse:
    """Get the recommendation (404), check the capability (403), bind the form, act."""
    rec = _rec_or_404(request, code)
    caps = queries.capabilities(request.user, rec)
    if not getattr(caps, spec.capability):
        raise PermissionDenied(str(spec.refused))
    form = spec.build(request, rec, caps, bound=True)
    return _run(
        request,
        rec,
        spec.name,
        form,
        lambda d: spec.act(request, rec, form, d),
        str(spec.done),
    )


@login_required
@require_POST
@readable_errors
def assign(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _panel_post(request, code, PANEL["assign"])


@login_required
@require_POST
@readable_errors
def submit_update(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _panel_post(request, code, PANEL["update"])


@login_required
@require_POST
@readable_errors
def assess(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _panel_post(request, code, PANEL["assess"])


@login_required
@require_POST
@readable_errors
def create_action(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _panel_post(request, code, PANEL["action"])


@login_required
@require_POST
@readable_errors
def create_indicator(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _panel_post(request, code, PANEL["indicator"])


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only paths of this site.
    if target.startswith("/") and not target.startswith("//"):
        return target
    return default


@login_required
@require_POST
@readable_errors
def decide(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        update = services.get_update(request.user, code)
    except NotFound:
        raise Http404(_("No such update")) from None
    rec = update.recommendation
    form = ff.DecideForm(request.POST, prefix="d")
    error = ""
    if form.is_valid():
        try:
            services.decide(
                request.user,
                update,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except Invalid as exc:
            error = _("Give the reason for sending it back.") if exc.field == "note" else str(exc)
        except Conflict as exc:
            current = exc.current or update
            who = (
                current.decided_by.get_full_name() or current.decided_by.get_username()
                if (current.decided_by)
                else ""
            )
            error = _("%(who)s already decided: %(state)s.") % {
                "who": who or _("Someone"),
                "state": current.get_state_display(),
            }
            if is_htmx(request) and not request.POST.get("next"):
                # The panel the person sees is out of date: say so, leave it as it is.
                return htmx_error(
                    409, error + " " + _("Reload the page to see the follow-up as it is now.")
                )
        else:
            done = (
                _("Approved: the status is updated.")
                if form.cleaned_data["decision"] == "approve"
                else _("Sent back to its author.")
            )
            messages.success(request, done)
            if is_htmx(request) and not request.POST.get("next"):
                return _panel_response(request, rec)
            return redirect(_back(request, rec.get_absolute_url() + "#followup"))
    else:
        error = _("Choose approve or send back.")
    messages.error(request, error)
    if is_htmx(request) and not request.POST.get("next"):
        return _panel_response(request, rec)
    return redirect(_back(request, rec.get_absolute_url() + "#followup"))


# --- pages to change one object -------------------------------------------------------------


def _conflict_form(form_class: Any, request: HttpRequest, current: Any, **kwargs: Any) -> Any:
    """Keep the person's input, and the version they now see, after a conflict."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _edit_page(
    request: HttpRequest,
    *,
    obj: Any,
    rec: Recommendation | None,
    form_class: Any,
    initial: dict,
    fields: tuple[str, ...],
    change: Any,
    title: str,
    current_fields: tuple[str, ...],
    extra: dict | None = None,
) -> HttpResponse:
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in fields if k in form.cleaned_data}
            try:
                change(data, form.cleaned_data["version"])
            except Invalid as exc:
                _add_error(form, exc)
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            except Conflict as exc:
                conflict = exc.current
                form = _conflict_form(form_class, request, conflict)
                form.add_error(
                    None,
                    _(
                        "Someone else changed this since you opened it. Their version is shown "
                        "below; your input is kept. Save again to replace theirs."
                    ),
                )
            else:
                messages.success(request, _("Saved."))
                return redirect(rec.get_absolute_url() + "#followup" if rec else "front-work")
    else:
        form = form_class(initial={**initial, "version": obj.version})
    ctx = {
        "form": form,
        "obj": obj,
        "rec": rec,
        "title": title,
        "conflict": conflict,
        "conflict_values": [
            (form.fields[f].label if f in form.fields else f, getattr(conflict, f))
            for f in current_fields
        ]
        if conflict is not None
        else [],
        **(extra or {}),
    }
    status = 409 if conflict is not None else (400 if form.errors else 200)
    return render(request, "front/followup_edit.html", ctx, status=status)


@login_required
def assignment_page(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        assignment = services.get_assignment(request.user, code)
    except NotFound:
        raise Http404(_("No such assignment")) from None
    if not Assignment.objects.editable_by(request.user).filter(pk=assignment.pk).exists():
        raise PermissionDenied(_("You may not change this assignment."))
    rec = assignment.recommendation

    def change(data: dict, version: int) -> None:
        services.change_assignment(request.user, assignment, version=version, **data)

    return _edit_page(
        request,
        obj=assignment,
        rec=rec,
        form_class=ff.AssignmentForm,
        initial={"role": assignment.role, "due": assignment.due, "note": assignment.note},
        fields=("role", "due", "note"),
        change=change,
        title=_("Change the assignment of %(institution)s")
        % {"institution": assignment.institution.name},
        current_fields=("role", "due", "note"),
        extra={"end_form": ff.EndAssignmentForm(initial={"version": assignment.version})},
    )


@login_required
@require_POST
@readable_errors
def end_assignment(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        assignment = services.get_assignment(request.user, code)
    except NotFound:
        raise Http404(_("No such assignment")) from None
    form = ff.EndAssignmentForm(request.POST)
    rec = assignment.recommendation
    if not form.is_valid():
        messages.error(request, _("Open the assignment again and retry."))
        return redirect(rec.get_absolute_url() + "#followup")
    try:
        services.end_assignment(
            request.user,
            assignment,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except Conflict:
        messages.error(
            request,
            _("Someone else changed this assignment since you opened it; look and try again."),
        )
        return redirect("front-assignment", code=assignment.code)
    messages.success(request, _("The assignment ended; its history stays."))
    return redirect(rec.get_absolute_url() + "#followup")


def _first_rec(obj: Any) -> Recommendation | None:
    return obj.recommendations.select_related("country", "body").order_by("id").first()


@login_required
def action_page(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        action = services.get_action(request.user, code)
    except NotFound:
        raise Http404(_("No such action")) from None
    if not Action.objects.editable_by(request.user).filter(pk=action.pk).exists():
        raise PermissionDenied(_("You may not change this action."))

    def change(data: dict, version: int) -> None:
        services.change_action(request.user, action, version=version, **data)

    names = tuple(f for f in services.ACTION_FIELDS)
    return _edit_page(
        request,
        obj=action,
        rec=_first_rec(action),
        form_class=ff.ActionChangeForm,
        initial={f: getattr(action, f) for f in names},
        fields=names,
        change=change,
        title=_("Change the action “%(title)s”") % {"title": action.title},
        current_fields=names,
    )


@login_required
def indicator_page(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        indicator = services.get_indicator(request.user, code)
    except NotFound:
        raise Http404(_("No such indicator")) from None
    if not Indicator.objects.editable_by(request.user).filter(pk=indicator.pk).exists():
        raise PermissionDenied(_("You may not change this indicator."))

    def change(data: dict, version: int) -> None:
        services.change_indicator(request.user, indicator, version=version, **data)

    names = tuple(f for f in services.INDICATOR_FIELDS if f != "description")
    return _edit_page(
        request,
        obj=indicator,
        rec=_first_rec(indicator),
        form_class=ff.IndicatorChangeForm,
        initial={f: getattr(indicator, f) for f in names},
        fields=names,
        change=change,
        title=_("Change the indicator “%(name)s”") % {"name": indicator.name},
        current_fields=names,
    )


@login_required
def assessment_page(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        assessment = services.get_assessment(request.user, code)
    except NotFound:
        raise Http404(_("No such assessment")) from None
    if not Assessment.objects.editable_by(request.user).filter(pk=assessment.pk).exists():
        raise PermissionDenied(_("Only its own institution changes an assessment."))

    def change(data: dict, version: int) -> None:
        services.change_assessment(request.user, assessment, version=version, **data)

    names = ("status", "date", "note")
    return _edit_page(
        request,
        obj=assessment,
        rec=assessment.recommendation,
        form_class=ff.AssessmentChangeForm,
        initial={f: getattr(assessment, f) for f in names},
        fields=names,
        change=change,
        title=_("Change the assessment of %(institution)s")
        % {"institution": assessment.institution.name},
        current_fields=names,
    )


@login_required
@require_POST
@readable_errors
def add_measurement(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        indicator = services.get_indicator(request.user, code)
    except NotFound:
        raise Http404(_("No such indicator")) from None
    if not Indicator.objects.editable_by(request.user).filter(pk=indicator.pk).exists():
        raise PermissionDenied(_("You may not record values of this indicator."))
    rec = _first_rec(indicator)
    form = ff.MeasurementForm(request.POST, prefix="m")
    if form.is_valid():
        try:
            services.add_measurement(
                request.user,
                indicator,
                date=form.cleaned_data["date"],
                value=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
                **form.disaggregation(),
            )
        except Invalid as exc:
            _add_error(form, exc)
        else:
            return _after_change(request, rec, _("The value is recorded."))
    errors = "; ".join(
        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}".lstrip(": ")
        for k, v in form.errors.items()
    )
    messages.error(request, _("The value was not recorded: %(errors)s") % {"errors": errors})
    if is_htmx(request):
        return _panel_response(request, rec)
    return redirect(rec.get_absolute_url() + "#followup")


# --- lists ---------------------------------------------------------------------------------------


def _page_size() -> int:
    from django.conf import settings

    return int(getattr(settings, "RIGHTSTRACK_PAGE_SIZE", 25))


@login_required
def work(request: HttpRequest) -> HttpResponse:
    """A focal point's "my institution's work"; a coordinator's view of their State."""
    scope = perms.scope_for(request.user)
    institutions = queries.work_institutions(request.user)
    wanted = queries.work_filters(request.user, request.GET)
    qs = queries.work(request.user, **wanted)
    page = Paginator(qs, _page_size()).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "page": page,
        "institutions": institutions,
        "wanted": wanted,
        "statuses": Status.choices,
        "roles": Assignment.Role.choices,
        "states": [
            ("overdue", _("Overdue")),
            ("waiting", _("Waiting for validation")),
            ("due", _("With a due date")),
        ],
        "base_qs": params.urlencode(),
        "coordinator": bool(scope.admin or scope.coordinated),
        "today": timezone.localdate(),
    }
    return render(request, "front/work.html", ctx)


def _may_validate(user: Any) -> bool:
    scope = perms.scope_for(user)
    return scope.can_write and bool(
        scope.admin or scope.coordinated or scope.validating_institutions
    )


@login_required
def validation_queue(request: HttpRequest) -> HttpResponse:
    if not _may_validate(request.user):
        raise PermissionDenied(_("Only validators and coordinators decide on updates."))
    page = Paginator(queries.validation_queue(request.user), _page_size()).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "front/validation.html",
        {"page": page, "decide_form": ff.DecideForm(prefix="d"), "base_qs": params.urlencode()},
    )


@login_required
def evidence(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Download an evidence file: permission-checked, as an attachment, never shown inline."""
    found = queries.evidence_for(request.user, code)
    if found is None:
        raise Http404(_("No such evidence"))
    if found.kind == found.Kind.LINK:
        if not found.url.startswith(("http://", "https://")):
            raise Http404(_("No such evidence"))
        return HttpResponseRedirect(found.url)
    try:
        handle = default_storage.open(found.file.name, "rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.name or "evidence",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- assign every result of a search --------------------------------------------------------

#: Assigning more at once is refused: narrow the search (one transaction holds them all).
MAX_BULK_ASSIGN = 5000


@login_required
def assign_results(request: HttpRequest) -> HttpResponse:
    """Assign every result of a search (its filters are in the query string) to an institution."""
    from rightstrack.recommendations import search

    scope = perms.scope_for(request.user)
    if not scope.can_write or not (scope.admin or scope.coordinated or scope.cluster):
        raise PermissionDenied(_("Only coordinators assign recommendations."))
    params = request.GET
    try:
        filters = search.filters_from_params(params)
        qs = search.filter_recommendations(
            Recommendation.objects.visible_to(request.user), **filters
        )
    except search.InvalidFilter as exc:
        raise Http404(str(exc)) from None
    if not scope.admin:
        qs = qs.filter(country_id__in=scope.coordinated | scope.cluster)
    institutions = queries.work_institutions(request.user)
    institutions = [
        i for i in institutions if i.country_id is None or scope.may_assign_to(i.country_id, i.kind)
    ]
    form = ff.AssignResultsForm(request.POST or None, institutions=institutions)
    count = qs.count()
    result = None
    if request.method == "POST" and form.is_valid():
        chosen = next(i for i in institutions if str(i.code) == form.cleaned_data["institution"])
        recs = qs.filter(country_id=chosen.country_id) if chosen.country_id else qs
        n = recs.count()
        if n > MAX_BULK_ASSIGN:
            form.add_error(
                None,
                _("%(n)s recommendations: narrow the search to at most %(max)s.")
                % {"n": n, "max": MAX_BULK_ASSIGN},
            )
        else:
            try:
                created, existing = services.assign_many(
                    request.user,
                    recs.select_related("country").order_by("id"),
                    chosen,
                    role=form.cleaned_data["role"],
                    due=form.cleaned_data["due"],
                    note=form.cleaned_data["note"],
                )
            except NotAllowed as exc:
                form.add_error(None, str(exc))
            except Invalid as exc:
                _add_error(form, exc)
            else:
                result = {"created": len(created), "existing": existing, "skipped": count - n}
                messages.success(
                    request,
                    _("%(created)s assigned to %(institution)s; %(existing)s were already.")
                    % {**result, "institution": chosen.name},
                )
    ctx = {
        "form": form,
        "count": count,
        "result": result,
        "search_qs": params.urlencode(),
        "max": MAX_BULK_ASSIGN,
    }
    return render(request, "front/assign_results.html", ctx, status=400 if form.errors else 200)
