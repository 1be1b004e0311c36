"""Management pages: institutions, people and their roles, for administrators and coordinators.

A coordinator manages the institutions of the States they coordinate and the people of those
institutions; an administrator every State. Anyone else gets 403; another State's institution
or person answers 404. Who may do this is asked of rightstrack.accounts.permissions.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rightstrack.accounts import permissions as perms
from rightstrack.accounts import services as accounts
from rightstrack.accounts.models import Institution, Membership
from rightstrack.formats.exceptions import InputError
from rightstrack.front import followup_forms as ff
from rightstrack.recommendations.models import Country
from rightstrack.tracking.exceptions import Invalid, NotAllowed
from rightstrack.tracking.history import story
from rightstrack.tracking.models import Event


def _managed(request: HttpRequest) -> tuple[perms.Scope, Any]:
    """Return the scope and the countries the person manages; 403 for anyone else."""
    scope = perms.scope_for(request.user)
    if not scope.can_write or not (scope.admin or scope.coordinated):
        raise PermissionDenied(_("Only administrators and coordinators manage institutions."))
    if scope.admin:
        return scope, Country.objects.filter(
            Q(recommendations__isnull=False) | Q(institution__isnull=False)
        ).distinct().order_by("name")
    return scope, Country.objects.filter(pk__in=scope.coordinated).order_by("name")


def _institutions(scope: perms.Scope) -> Any:
    qs = Institution.objects.select_related("country")
    if scope.admin:
        return qs
    return qs.filter(country_id__in=scope.coordinated)


def _roles(scope: perms.Scope) -> list[str]:
    """Roles the person may give: only an administrator makes administrators."""
    return [r for r in Membership.Role.values if scope.admin or r != perms.ADMIN]


@login_required
def institutions(request: HttpRequest) -> HttpResponse:
    scope, countries = _managed(request)
    countries = list(countries)
    form = ff.InstitutionForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        country = next(c for c in countries if c.code == d["country"])
        try:
            inst = accounts.add_institution(
                request.user,
                name=d["name"],
                kind=d["kind"],
                country=country,
                requires_validation=d["requires_validation"],
            )
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except (InputError, Invalid) as exc:
            form.add_error("name", getattr(exc, "message", None) or str(exc))
        else:
            messages.success(request, _("%(name)s is added.") % {"name": inst.name})
            return redirect("front-institutions")
    rows = (
        _institutions(scope)
        .annotate(people=Count("memberships", distinct=True))
        .order_by("country__name", "name")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "front/manage/institutions.html",
        {"page": page, "form": form, "base_qs": ""},
        status=400 if form.errors else 200,
    )


@login_required
def institution(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    scope, _countries = _managed(request)
    found = _institutions(scope).filter(code=code).first()
    if found is None:
        raise Http404(_("No such institution"))
    initial = {
        "name": found.name,
        "kind": found.kind,
        "country": found.country.code if found.country else "",
        "requires_validation": found.requires_validation,
        "active": found.active,
    }
    countries = [found.country] if found.country else []
    form = ff.InstitutionForm(request.POST or None, initial=initial, countries=countries)
    form.fields["country"].disabled = True
    form.fields["country"].required = False
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            accounts.change_institution(
                found,
                actor=request.user,
                name=d["name"],
                kind=d["kind"],
                requires_validation=d["requires_validation"],
                active=d["active"],
            )
        except InputError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("front-institution", code=found.code)
    members = Membership.objects.filter(institution=found).select_related("user")
    return render(
        request,
        "front/manage/institution.html",
        {
            "institution": found,
            "form": form,
            "members": members.order_by("user__email"),
            "history": _history(request, found),
        },
        status=400 if form.errors else 200,
    )


#: How many of an institution's latest changes its page lists.
HISTORY_SIZE = 100
#: Event kinds of changes to an institution and its people (rightstrack.accounts.services).
MANAGEMENT_KINDS = ("institution.", "membership.", "person.")


def _history(request: HttpRequest, institution: Institution) -> list[Any]:
    """The latest changes to *institution* and its people, newest first, as sentences."""
    kinds = Q()
    for prefix in MANAGEMENT_KINDS:
        kinds |= Q(kind__startswith=prefix)
    events = (
        Event.objects.visible_to(request.user)
        .filter(kinds, institution=institution)
        .select_related("institution")
        .order_by("-created", "-id")[:HISTORY_SIZE]
    )
    return story(events)


@login_required
def people(request: HttpRequest) -> HttpResponse:
    scope, _countries = _managed(request)
    insts = list(_institutions(scope).filter(active=True).order_by("name"))
    form = ff.PersonForm(request.POST or None, institutions=insts, roles=_roles(scope))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        inst = next(i for i in insts if str(i.code) == d["institution"])
        try:
            accounts.add_person(
                actor=request.user,
                email=d["email"],
                institution=inst,
                role=d["role"],
                first_name=d["first_name"],
                last_name=d["last_name"],
            )
        except InputError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(email)s is %(role)s at %(institution)s.")
                % {
                    "email": d["email"],
                    "role": Membership.Role(d["role"]).label,
                    "institution": inst.name,
                },
            )
            return redirect("front-people")
    rows = (
        Membership.objects.filter(institution__in=_institutions(scope))
        .select_related("user", "institution__country", "country")
        .order_by("institution__country__name", "institution__name", "user__email", "id")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        rows = rows.filter(
            Q(user__email__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(institution__name__icontains=query)
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "front/manage/people.html",
        {"page": page, "form": form, "query": query, "base_qs": params.urlencode()},
        status=400 if form.errors else 200,
    )


def _person_is_managed(scope: perms.Scope, user: Any) -> bool:
    """Whether every membership of *user* is in a State the person manages."""
    if scope.admin:
        return True
    outside = Membership.objects.filter(user=user).exclude(
        institution__country_id__in=scope.coordinated
    )
    return not outside.exists()


@login_required
def membership(request: HttpRequest, pk: int) -> HttpResponse:
    scope, _countries = _managed(request)
    found = (
        Membership.objects.filter(pk=pk, institution__in=_institutions(scope))
        .select_related("user", "institution")
        .first()
    )
    if found is None:
        raise Http404(_("No such person"))
    if found.role == perms.ADMIN and not scope.admin:
        raise PermissionDenied(_("Only an administrator changes an administrator."))
    form = ff.MembershipForm(
        request.POST if request.POST.get("do") == "role" else None,
        initial={"role": found.role},
        roles=_roles(scope),
    )
    if request.method == "POST":
        do = request.POST.get("do")
        if do == "role" and form.is_valid():
            accounts.change_role(found, form.cleaned_data["role"], actor=request.user)
            perms.forget_scope(found.user)
            messages.success(request, _("The role is changed."))
            return redirect("front-membership", pk=found.pk)
        if do == "remove":
            accounts.remove_membership(found, actor=request.user)
            messages.success(
                request,
                _("%(person)s is no longer at %(institution)s.")
                % {
                    "person": found.user.email or found.user.username,
                    "institution": found.institution.name,
                },
            )
            return redirect("front-people")
        if do == "deactivate":
            if found.user == request.user:
                messages.error(request, _("You cannot deactivate yourself."))
            elif not _person_is_managed(scope, found.user):
                raise PermissionDenied(_("This person also works in a State you do not manage."))
            else:
                accounts.deactivate_person(found.user, actor=request.user)
                messages.success(request, _("The person can no longer log in."))
                return redirect("front-membership", pk=found.pk)
    return render(
        request,
        "front/manage/membership.html",
        {
            "membership": found,
            "form": form,
            "may_deactivate": found.user != request.user and _person_is_managed(scope, found.user),
        },
        status=400 if form.errors else 200,
    )
