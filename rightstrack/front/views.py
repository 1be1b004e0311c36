"""The web pages: search, a recommendation, countries, and the upload page.

Search, recommendation and country pages are public (recommendations are public UN text);
everything else needs a login. One view serves a page and, for htmx, its fragment.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rightstrack.engine.analyse.persons import PUBLIC_OFFICIALS
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.records import GROUPS_OF_PERSONS
from rightstrack.front.forms import ImportForm
from rightstrack.lib import uploads
from rightstrack.lib.htmx import is_htmx
from rightstrack.recommendations import search
from rightstrack.recommendations.models import (
    Country,
    GroupMembership,
    Label,
    Mechanism,
    Recommendation,
)

#: Uploads bigger than this are imported in a background thread with a progress bar; smaller
#: ones while the person waits (most matrices and UPR Info sheets take a second or two).
BACKGROUND_IMPORT_BYTES = 2 * 1024 * 1024
SORTS = ("newest", "oldest")


class _CachedCountPaginator(Paginator):
    """A Paginator whose count comes from search.cached_count: the same search on the same
    data is counted once (paging through 40,000 matches of a common word counts them once)."""

    @cached_property
    def count(self) -> int:
        return search.cached_count(self.object_list)


def _page_size() -> int:
    return int(getattr(settings, "RIGHTSTRACK_PAGE_SIZE", 25))


def _results(qs: Any, *, sort: str, query: str = "") -> Any:
    if sort == "newest" or (not sort and not query):
        # (year, id) is what the indexes on year, (country, year), (body, year) hold (ids are
        # part of every SQLite index), so the first page needs no sort of 270,000 rows.
        qs = qs.order_by("-year", "-id")
    elif sort == "oldest":
        qs = qs.order_by("year", "id")
    # Each result shows how specific it is and the groups it names (the analysis' findings).
    groups = (
        Label.objects.filter(term__taxonomy__slug=GROUPS_OF_PERSONS)
        .exclude(review_state=Label.ReviewState.REJECTED)
        .exclude(term__name=PUBLIC_OFFICIALS)
        .select_related("term")
        .order_by("term__sort", "term__name")
    )
    return qs.select_related("country", "body", "analysis").prefetch_related(
        Prefetch("recommending_states", queryset=Country.objects.only("code", "name")),
        Prefetch("labels", queryset=groups, to_attr="group_labels"),
    )


def _active_filters(
    request: HttpRequest, filters: dict[str, Any], facets: dict[str, search.FacetList]
) -> list[dict[str, str]]:
    """Return the filters in use as removable chips: name, label and the URL without it."""
    chips = []
    for name in search.FACETS:
        for value in filters.get(name, []):
            label = next((f.label for f in facets.get(name, []) if f.value == value), value)
            params = request.GET.copy()
            params.setlist(name, [v for v in params.getlist(name) if v != value])
            params.pop("page", None)
            chips.append({"name": name, "label": label, "url": "?" + params.urlencode()})
    return chips


def _add_selected(facets: dict[str, search.FacetList], filters: dict[str, Any]) -> None:
    """Make sure every selected value is listed (checked), even when outside the top values."""
    for name, values in facets.items():
        listed = {f.value for f in values}
        for value in filters.get(name, []):
            if value not in listed:
                values.append(search.selected_value(name, value))


def _hint_url(request: HttpRequest, hint: search.Hint | None) -> str:
    if hint is None:
        return ""
    params = request.GET.copy()
    params["q"] = hint.query
    params.pop("page", None)
    return "?" + params.urlencode()


def search_page(request: HttpRequest) -> HttpResponse:
    filters = search.filters_from_params(request.GET)
    # No explicit order: best match first for a query, newest first without one.
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = ""
    expand = [name for name in request.GET.getlist("more") if name in search.FACETS]
    error = ""
    # The query is parsed once per request: for the results, the facets, the highlights and
    # the hint alike.
    parsed = search.parse_query(filters.get("query", ""))
    parsed_filters = {**filters, "query": parsed} if "query" in filters else filters
    visible = Recommendation.objects.visible_to(request.user)
    try:
        qs = search.filter_recommendations(visible, **parsed_filters)
        facets = search.search_facets(parsed_filters, queryset=visible, expand=expand)
    except search.InvalidFilter as exc:
        error, qs, facets = str(exc), Recommendation.objects.none(), {}
    _add_selected(facets, filters)
    paginator = _CachedCountPaginator(
        _results(qs, sort=sort, query=filters.get("query", "")), _page_size()
    )
    page = paginator.get_page(request.GET.get("page"))
    hint = None
    if not error and parsed and not paginator.count:
        # Only when nothing matched: the filters without the query, tried without each word.
        unqueried = {k: v for k, v in filters.items() if k != "query"}
        hint = search.no_result_hint(
            search.filter_recommendations(visible, rank=False, **unqueried), parsed
        )
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("more", None)
    ctx = {
        "query": filters.get("query", ""),
        "filters": filters,
        "selected": {name: set(filters.get(name, [])) for name in search.FACETS},
        "chips": _active_filters(request, filters, facets),
        "facets": facets,
        "facet_names": _facet_names(),
        "page": page,
        "rows": [(rec, search.highlight_spans(rec.text, parsed)) for rec in page.object_list],
        "hint": hint,
        "hint_url": _hint_url(request, hint),
        "ignored_words": parsed.ignored,
        "sort": sort,
        "sorts": [
            ("", _("Best match first") if filters.get("query") else _("Newest first")),
            *([("newest", _("Newest first"))] if filters.get("query") else []),
            ("oldest", _("Oldest first")),
        ],
        "base_qs": params.urlencode(),
        "error": error,
        "expanded": set(expand),
        "may_assign_results": _may_assign_results(request.user),
    }
    template = "front/_search_results.html" if is_htmx(request) else "front/search.html"
    return render(request, template, ctx, status=400 if error else 200)


def _may_assign_results(user: Any) -> bool:
    """Coordinators (and cluster coordinators) may assign every result of a search at once."""
    from rightstrack.accounts import permissions as perms

    scope = perms.scope_for(user)
    return scope.can_write and bool(scope.admin or scope.coordinated or scope.cluster)


def _facet_names() -> dict[str, str]:
    return {
        "mechanism": _("Mechanism"),
        "body": _("Body"),
        "country": _("State under review / concerned"),
        "cycle": _("UPR cycle"),
        "year": _("Year"),
        "position": _("Position"),
        "protection": _("Protection"),
        "action": _("Action category (how specific)"),
        "theme": _("Theme"),
        "group": _("Group of persons"),
        "sdg": _("Sustainable Development Goal"),
    }


def recommendation(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    from rightstrack.front.followup import panel_context

    qs = Recommendation.objects.visible_to(request.user).select_related(
        "country", "body", "document", "review", "import_batch", "repeats", "analysis"
    )
    rec = get_object_or_404(qs, code=code)
    ctx = recommendation_context(request, rec)
    ctx.update(panel_context(request, rec))
    return render(request, "front/recommendation.html", ctx)


def recommendation_context(request: HttpRequest, rec: Recommendation) -> dict[str, Any]:
    """What the recommendation page shows besides its follow-up panel."""
    labels = (
        Label.objects.filter(recommendation=rec)
        .exclude(review_state=Label.ReviewState.REJECTED)
        .select_related("term__taxonomy")
        .order_by("term__taxonomy__name", "term__sort", "term__name")
    )
    by_taxonomy: dict[str, list[Label]] = {}
    for label in labels:
        by_taxonomy.setdefault(label.term.taxonomy.name, []).append(label)
    memberships = list(GroupMembership.objects.filter(recommendation=rec).select_related("group"))
    siblings = (
        GroupMembership.objects.filter(group__in=[m.group_id for m in memberships])
        .exclude(recommendation=rec)
        .select_related("recommendation__country", "recommendation__body")
        .order_by("group_id", "-recommendation__year")
    )
    groups = [
        {
            "group": m.group,
            "members": [s.recommendation for s in siblings if s.group_id == m.group_id],
        }
        for m in memberships
    ]
    try:
        analysis = rec.analysis
    except Recommendation.analysis.RelatedObjectDoesNotExist:
        analysis = None
    return {
        "rec": rec,
        "states": list(rec.recommending_states.order_by("name")),
        "labels": by_taxonomy,
        "analysis": analysis,
        "groups": groups,
        "repeated_by": list(rec.repeated_by.select_related("body", "country")[:20]),
    }


def countries(request: HttpRequest) -> HttpResponse:
    rows = (
        Country.objects.annotate(n=Count("recommendations"))
        .filter(n__gt=0)
        .order_by("name")
        .values("code", "name", "n")
    )
    return render(request, "front/countries.html", {"countries": list(rows)})


def country(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Country, code=code.upper())
    recs = Recommendation.objects.visible_to(request.user).filter(country=place)
    by_body = (
        recs.order_by()
        .values("body__code", "body__name", "mechanism")
        .annotate(
            n=Count("id"),
            first=Min("year"),
            last=Max("year"),
            supported=Count("id", filter=Q(position=Recommendation.Position.SUPPORTED)),
            noted=Count("id", filter=Q(position=Recommendation.Position.NOTED)),
        )
        .order_by("mechanism", "body__code")
    )
    by_cycle = (
        recs.filter(mechanism=Mechanism.UPR)
        .exclude(cycle=None)
        .order_by()
        .values("cycle")
        .annotate(
            n=Count("id"),
            supported=Count("id", filter=Q(position=Recommendation.Position.SUPPORTED)),
            noted=Count("id", filter=Q(position=Recommendation.Position.NOTED)),
            in_part=Count("id", filter=Q(position=Recommendation.Position.SUPPORTED_IN_PART)),
        )
        .order_by("cycle")
    )
    facets = search.facet_counts(recs, ("mechanism", "theme", "group"), limit=8)
    paginator = _CachedCountPaginator(_results(recs, sort="newest"), _page_size())
    page = paginator.get_page(request.GET.get("page"))
    ctx = {
        "country": place,
        "total": paginator.count,
        "by_body": [
            {
                **row,
                "mechanism_label": Mechanism(row["mechanism"]).label
                if row["mechanism"] in Mechanism.values
                else row["mechanism"],
            }
            for row in by_body
        ],
        "by_cycle": list(by_cycle),
        "facets": facets,
        "facet_names": _facet_names(),
        "page": page,
        "rows": [(rec, []) for rec in page.object_list],
        "search_url": reverse("front-search") + "?" + urlencode({"country": place.code}),
    }
    return render(request, "front/country.html", ctx)


# ---------------------------------------------------------------------------------------------
# Upload


def _run_import(path: Path, *, kind: str, user: Any, file_name: str) -> Any:
    from rightstrack.recommendations.services import import_file

    try:
        return import_file(path, kind=kind or None, user=user, file_name=file_name)
    except InputError as exc:
        raise uploads.public_error(exc, path, file_name) from None
    finally:
        uploads.remove(path)


def _start_import_job(upload: Any, *, kind: str, user: Any) -> Any:
    """Queue a background import: the file goes through Django's storage (every host sees it),
    the import runs in a worker (`rightstrack worker`), its progress is the Job row."""
    from rightstrack.jobs.kinds import store_upload
    from rightstrack.jobs.services import start_job

    name = store_upload(upload)
    return start_job(
        "import",
        owner=user,
        params={"storage_name": name, "file_name": upload.name, "kind": kind or ""},
        message=upload.name,
    )


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    from rightstrack.formats.exceptions import InputError
    from rightstrack.recommendations.services import import_countries

    import_countries(request.user)  # 403 for those who may not import
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        try:
            path = uploads.save(upload)
            try:
                # The limits (formats.safety) are checked before answering, even for a file
                # a worker imports: a bad file is a 400 here, not a failed job.
                uploads.check(path, upload.name)
            except InputError:
                uploads.remove(path)
                raise
            if upload.size > BACKGROUND_IMPORT_BYTES:
                uploads.remove(path)
                job = _start_import_job(upload, kind=kind, user=request.user)
                return redirect("front-import-progress", job=job.code)
            result = _run_import(path, kind=kind, user=request.user, file_name=upload.name)
        except InputError as exc:
            form.add_error("file", str(exc))
    status = 400 if form.errors else 200
    return render(request, "front/import.html", {"form": form, "result": result}, status=status)


@login_required
def import_progress(request: HttpRequest, job: str) -> HttpResponse:
    """The progress of a background import, read from its Job row (any server process)."""
    from rightstrack.jobs.models import Job

    found = Job.objects.visible_to(request.user).filter(code=job, kind="import").first()
    if found is None:
        raise Http404(_("No such import"))
    template = "front/_import_progress.html" if is_htmx(request) else "front/import_progress.html"
    return render(request, template, {"job": found, "file_name": found.params.get("file_name")})
