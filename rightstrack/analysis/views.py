"""The review queue of classifier suggestions, the training-data download, and groups.

Every page needs a login. Anyone logged in may look; deciding (accept, reject, correct,
confirm, split, merge, propose) needs a reviewing role (permissions.REVIEW_ROLES) in an
institution, for the State of the recommendation when the role is limited to one State: the
person's Scope decides (Scope.may_review). One view serves a page and, for htmx, its
fragment (a row of the queue).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rightstrack.accounts.permissions import Scope, scope_for
from rightstrack.analysis import services
from rightstrack.analysis.exceptions import GroupError, ReviewError
from rightstrack.analysis.forms import (
    BulkReviewForm,
    GroupFilterForm,
    ProposeGroupsForm,
    ReviewFilterForm,
)
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.tables import safe_cell
from rightstrack.lib.htmx import is_htmx
from rightstrack.lib.params import to_id, to_ids
from rightstrack.recommendations.models import (
    GroupMembership,
    Label,
    Recommendation,
    RecommendationGroup,
    Taxonomy,
    Term,
)

QUEUE_PAGE_SIZE = 50
GROUPS_PAGE_SIZE = 25
#: Other groups offered for merging on a group's page.
MERGE_CHOICES = 50


# --- access ---------------------------------------------------------------------------------


def _require_reviewer(request: HttpRequest) -> Scope:
    """Return the person's Scope when they may review somewhere, else raise 403."""
    scope = scope_for(request.user)
    if not scope.reviews_any:
        raise PermissionDenied
    return scope


def _in_scope(labels: QuerySet[Label], scope: Scope) -> QuerySet[Label]:
    countries = scope.review_countries()
    return labels if countries is None else labels.filter(recommendation__country_id__in=countries)


def _get_rw_suggestion(request: HttpRequest, pk: int) -> Label:
    """Return the suggestion *pk* if the user may review it (404 if none, 403 if not allowed)."""
    label = get_object_or_404(
        Label.objects.select_related("term__taxonomy", "recommendation"),
        pk=pk,
        source=Label.Source.CLASSIFIER,
    )
    if not scope_for(request.user).may_review(label.recommendation.country_id):
        raise PermissionDenied
    return label


def _get_rw_group(request: HttpRequest, code: Any) -> RecommendationGroup:
    group = get_object_or_404(RecommendationGroup, code=code)
    scope = _require_reviewer(request)
    if scope.review_countries() is not None:
        countries = set(group.memberships.values_list("recommendation__country_id", flat=True))
        if not scope.may_review_all(countries):
            raise PermissionDenied
    return group


def _back(request: HttpRequest, default: str) -> str:
    """Return the page to go back to after a POST: the posted "next" when it is local."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


# --- review queue ---------------------------------------------------------------------------


def queue_labels() -> QuerySet[Label]:
    """The suggestions of the review queue (before its filters), as the queue and its download
    (plans.pages) read them."""
    return Label.objects.filter(source=Label.Source.CLASSIFIER).select_related(
        "term__taxonomy", "recommendation__country", "recommendation__body", "author"
    )


def _existing_labels(labels: list[Label]) -> dict[tuple[int, int], list[Label]]:
    """Return the live document and person labels of the labels' recommendations, by
    (recommendation, taxonomy): what a suggestion would add to."""
    found: dict[tuple[int, int], list[Label]] = defaultdict(list)
    rec_ids = {label.recommendation_id for label in labels}
    for label in (
        Label.objects.filter(recommendation_id__in=rec_ids, source__in=services.TRUSTED_SOURCES)
        .exclude(review_state=Label.ReviewState.REJECTED)
        .select_related("term")
        .order_by("term__sort", "term__name")
    ):
        found[(label.recommendation_id, label.term.taxonomy_id)].append(label)
    return found


def _row_context(request: HttpRequest, label: Label, **extra: Any) -> dict[str, Any]:
    label = queue_labels().get(pk=label.pk)
    existing = _existing_labels([label])
    return {
        "label": label,
        "existing": existing.get((label.recommendation_id, label.term.taxonomy_id), []),
        "can_review": True,
        "next": request.POST.get("next") or request.GET.get("next") or reverse("analysis-review"),
        **extra,
    }


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET or None)
    labels = form.filter(queue_labels()).order_by("-confidence", "recommendation_id", "id")
    page = Paginator(labels, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    existing = _existing_labels(rows)
    scope = scope_for(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    ctx = {
        "form": form,
        "page": page,
        "rows": [
            {
                "label": label,
                "existing": existing.get((label.recommendation_id, label.term.taxonomy_id), []),
                "can_review": scope.may_review(label.recommendation.country_id),
            }
            for label in rows
        ],
        "can_review": scope.reviews_any,
        "base_qs": params.urlencode(),
        "next": request.get_full_path(),
        "taxonomies": Taxonomy.objects.order_by("name"),
    }
    return render(request, "analysis/review.html", ctx)


def _decided(request: HttpRequest, label: Label, message: str) -> HttpResponse:
    if is_htmx(request):
        return render(
            request,
            "analysis/_review_row.html",
            _row_context(request, label, announce=message, swapped=True),
        )
    messages.success(request, message)
    return redirect(_back(request, reverse("analysis-review")))


@require_POST
@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    label = _get_rw_suggestion(request, pk)
    services.accept_suggestion(label, user=request.user)
    return _decided(
        request,
        label,
        _("Accepted “%(term)s” for %(rec)s.")
        % {"term": label.term.name, "rec": label.recommendation},
    )


@require_POST
@login_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    label = _get_rw_suggestion(request, pk)
    services.reject_suggestion(label, user=request.user)
    return _decided(
        request,
        label,
        _("Rejected “%(term)s” for %(rec)s.")
        % {"term": label.term.name, "rec": label.recommendation},
    )


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    label = _get_rw_suggestion(request, pk)
    terms = Term.objects.filter(taxonomy_id=label.term.taxonomy_id).order_by("sort", "name")
    error = ""
    if request.method == "POST":
        value = request.POST.get(f"term-{pk}") or request.POST.get("term", "")
        term_id = to_id(value)
        term = terms.filter(pk=term_id).first() if term_id is not None else None
        if term is None:
            error = _("Choose a term of %(taxonomy)s.") % {"taxonomy": label.term.taxonomy.name}
        else:
            try:
                services.correct_suggestion(label, term=term, user=request.user)
            except ReviewError as exc:
                error = str(exc)
            else:
                return _decided(
                    request,
                    label,
                    _("Corrected “%(old)s” to “%(new)s” for %(rec)s.")
                    % {"old": label.term.name, "new": term.name, "rec": label.recommendation},
                )
    ctx = _row_context(request, label, terms=terms, correcting=True, error=error)
    if is_htmx(request):
        return render(request, "analysis/_review_row.html", ctx)
    return render(request, "analysis/correct.html", ctx, status=400 if error else 200)


@login_required
def review_row(request: HttpRequest, pk: int) -> HttpResponse:
    """Return one row of the queue (htmx: "cancel" of a correction), else go to the queue."""
    label = get_object_or_404(Label, pk=pk, source=Label.Source.CLASSIFIER)
    if not is_htmx(request):
        return redirect("analysis-review")
    can_review = scope_for(request.user).may_review(label.recommendation.country_id)
    return render(
        request, "analysis/_review_row.html", _row_context(request, label, can_review=can_review)
    )


@require_POST
@login_required
def review_bulk(request: HttpRequest) -> HttpResponse:
    scope = _require_reviewer(request)
    form = BulkReviewForm(request.POST)
    back = _back(request, reverse("analysis-review"))
    if not form.is_valid():
        messages.error(request, _("Choose what to do."))
        return redirect(back)
    action = form.cleaned_data["action"]
    if action.endswith("-selected"):
        labels = Label.objects.filter(pk__in=form.selected())
        if not form.selected():
            messages.error(request, _("Select at least one suggestion first."))
            return redirect(back)
    else:
        filters = ReviewFilterForm(request.POST)
        labels = filters.filter(Label.objects.all())
    labels = _in_scope(labels.filter(source=Label.Source.CLASSIFIER), scope)
    if action.startswith("accept"):
        result = services.accept_suggestions(
            labels, user=request.user, replace=form.cleaned_data["replace"]
        )
        message = ngettext(
            "Accepted %(n)d suggestion.", "Accepted %(n)d suggestions.", result.accepted
        ) % {"n": result.accepted}
        if result.skipped:
            message += " " + ngettext(
                "Left %(n)d: its recommendation already has labels in that taxonomy.",
                "Left %(n)d: their recommendations already have labels in that taxonomy.",
                result.skipped,
            ) % {"n": result.skipped}
    else:
        result = services.reject_suggestions(labels, user=request.user)
        message = ngettext(
            "Rejected %(n)d suggestion.", "Rejected %(n)d suggestions.", result.rejected
        ) % {"n": result.rejected}
    messages.success(request, message)
    return redirect(back)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def training_data(request: HttpRequest, taxonomy: str) -> HttpResponse:
    """Download the labels people and documents gave, as CSV for `rightstrack classifier train`."""
    get_object_or_404(Taxonomy, slug=taxonomy)
    rows = services.export_training_data(taxonomy)

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(["text", "labels", "recommendation"])
        for row in rows:
            yield writer.writerow([safe_cell(row.text), safe_cell(row.labels), row.code])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{taxonomy}.csv"'
    return response


# --- groups ---------------------------------------------------------------------------------


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    form = GroupFilterForm(request.GET or None)
    # Count members once: filtering through memberships joins them again, and a Count over
    # that join gave squared sizes (25 for a group of 5; issue 14 §4).
    found = RecommendationGroup.objects.annotate(size=Count("memberships", distinct=True)).order_by(
        "status", "-size", "-created", "id"
    )
    data = form.cleaned_data if form.is_valid() else {}
    found = form.filter(found).prefetch_related(
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.select_related("recommendation__body").order_by("id"),
        )
    )
    page = Paginator(found, GROUPS_PAGE_SIZE).get_page(request.GET.get("page"))
    for grp in page.object_list:
        grp.bodies = sorted({m.recommendation.body.label for m in grp.memberships.all()})
    params = request.GET.copy()
    params.pop("page", None)
    scope = scope_for(request.user)
    return render(
        request,
        "analysis/groups.html",
        {
            "form": form,
            "page": page,
            "base_qs": params.urlencode(),
            "can_review": scope.reviews_any,
            "propose_form": ProposeGroupsForm(initial={"country": data.get("country")}),
        },
    )


@require_POST
@login_required
def propose(request: HttpRequest) -> HttpResponse:
    scope = _require_reviewer(request)
    form = ProposeGroupsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a country and a threshold between 0.3 and 0.99."))
        return redirect("analysis-groups")
    country = form.cleaned_data["country"]
    if not scope.may_review(country.pk):
        raise PermissionDenied
    try:
        found = services.propose_groups(
            Recommendation.objects.filter(country=country), threshold=form.cleaned_data["threshold"]
        )
    except InputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Proposed %(n)d group for %(country)s.",
                "Proposed %(n)d groups for %(country)s.",
                len(found),
            )
            % {"n": len(found), "country": country.name},
        )
    return redirect(reverse("analysis-groups") + f"?country={country.code}&status=proposed")


@login_required
def group(request: HttpRequest, code: Any) -> HttpResponse:
    grp = get_object_or_404(RecommendationGroup.objects.select_related("confirmed_by"), code=code)
    members = list(
        grp.memberships.select_related("recommendation__country", "recommendation__body").order_by(
            "recommendation__year", "recommendation__date", "recommendation_id"
        )
    )
    countries = {m.recommendation.country_id for m in members}
    can_review = scope_for(request.user).may_review_all(countries)
    others = (
        RecommendationGroup.objects.filter(memberships__recommendation__country_id__in=countries)
        .exclude(pk=grp.pk)
        .distinct()
        .annotate(size=Count("memberships", distinct=True))
        .order_by("status", "-size", "id")[:MERGE_CHOICES]
        if can_review
        else []
    )
    return render(
        request,
        "analysis/group.html",
        {
            "group": grp,
            "members": members,
            "can_review": can_review,
            "others": others,
            "phrases": [p for p in grp.key_phrases.split("; ") if p],
        },
    )


@require_POST
@login_required
def confirm(request: HttpRequest, code: Any) -> HttpResponse:
    grp = _get_rw_group(request, code)
    services.confirm_group(grp, user=request.user)
    messages.success(request, _("Group confirmed."))
    return redirect("analysis-group", code=grp.code)


@require_POST
@login_required
def split(request: HttpRequest, code: Any) -> HttpResponse:
    grp = _get_rw_group(request, code)
    ids = to_ids(request.POST.getlist("recommendation"))
    try:
        new = services.split_group(grp, ids, user=request.user)
    except GroupError:
        messages.error(
            request, _("Select some, but not all, of the group's recommendations to split off.")
        )
        return redirect("analysis-group", code=grp.code)
    messages.success(request, _("Split off a new group; both groups are now confirmed."))
    return redirect("analysis-group", code=new.code)


@require_POST
@login_required
def merge(request: HttpRequest, code: Any) -> HttpResponse:
    grp = _get_rw_group(request, code)
    codes = [c for c in request.POST.getlist("other") if c]
    others = [_get_rw_group(request, c) for c in codes if _is_uuid(c)]
    try:
        services.merge_groups([grp, *others], user=request.user)
    except GroupError:
        messages.error(request, _("Choose at least one other group to merge into this one."))
    else:
        messages.success(
            request,
            ngettext(
                "Merged %(n)d group into this one.",
                "Merged %(n)d groups into this one.",
                len(others),
            )
            % {"n": len(others)},
        )
    return redirect("analysis-group", code=grp.code)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
