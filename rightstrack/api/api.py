"""The JSON API, /api/v1/ (django-ninja; OpenAPI document at /api/v1/openapi.json).

Reading is public, like the web pages: recommendations are public UN text. Writing (uploading
a file to import) needs `Authorization: Bearer TOKEN` (see `rightstrack tokens create`).
A bad token is refused even on public endpoints, so a client never silently reads as anonymous.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile

try:
    from ninja.responses import Status
except ImportError:  # django-ninja before 1.5: a (status, body) tuple

    def Status(status_code: int, value: Any) -> Any:
        return status_code, value


from ninja.security import HttpBearer
from pydantic import Field

from rightstrack import __version__
from rightstrack.accounts.models import ApiToken
from rightstrack.api import schemas
from rightstrack.formats.exceptions import InputError
from rightstrack.recommendations import search
from rightstrack.recommendations.models import Country, Label, Recommendation

#: Largest page a client may ask for: a bound on the work and memory of one request.
MAX_PAGE_SIZE = 200
#: Highest page number: past it no search has results, and offsets stay within the database's
#: integers (a page of 23 digits used to overflow SQLite).
MAX_PAGE = 100_000
#: Most values a facet lists with ?limit=.
MAX_FACET_LIMIT = 10_000
#: The error answers every public endpoint may give, in the OpenAPI document (401: a bad token).
ERRORS = schemas.READ_ERRORS
#: How often last_used is written: not on every request, which would write on every read.
LAST_USED_EVERY = timedelta(minutes=5)


def _user_for_token(token: str) -> Any:
    found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
    if found is None or not found.user.is_active:
        return None
    now = timezone.now()
    if found.expires is not None and found.expires <= now:
        return None
    if found.last_used is None or now - found.last_used > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used=now)
    # accounts.permissions.scope_for reads the token's scope (a read-only token never writes).
    found.user._rightstrack_token = found
    return found.user


class TokenAuth(HttpBearer):
    """Authorization: Bearer TOKEN; only the token's SHA-256 is stored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = _user_for_token(token)
        if user is not None:
            request.user = user
        return user


def read_auth(request: HttpRequest) -> Any:
    """Let anyone read; a token, when given, must be valid. Returns the user (maybe anonymous)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        user = _user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return None
        request.user = user
        return user
    return getattr(request, "user", None) or AnonymousUser()


api = NinjaAPI(
    title="rightstrack API",
    version=__version__,
    description="Search and read UN human rights recommendations.",
    urls_namespace="api-v1",
    auth=read_auth,
)


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    # "detail" is the contract's name (api-contract.md); "error" stays for older clients.
    return api.create_response(request, {"detail": message, "error": message}, status=status)


#: Where a parameter is (not its name): left out of the field named in an error.
_LOCATIONS = ("query", "body", "form", "filters", "path", "data", "payload")


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = first.get("loc", ())
    parts = [p for p in loc if p not in _LOCATIONS]
    if loc and loc[0] == "query":  # a repeated query parameter: its name, not its position
        parts = [p for p in parts if not isinstance(p, int)]
    where = ".".join(str(p) for p in parts)
    message = first.get("msg", "invalid input")
    return _error(request, f"{where}: {message}" if where else message, 400)


@api.exception_handler(search.InvalidFilter)
def _on_invalid_filter(request: HttpRequest, exc: search.InvalidFilter) -> HttpResponse:
    return _error(request, str(exc), 400)


@api.exception_handler(InputError)
def _on_input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    return _error(request, str(exc), 400)


@api.exception_handler(AuthenticationError)
def _on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, "a valid API token is required (Authorization: Bearer TOKEN)", 401)


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, "not found", 404)


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc), exc.status_code)


# ---------------------------------------------------------------------------------------------
# Shapes


def _country(country: Country) -> dict[str, str]:
    return {"code": country.code, "name": country.name}


def _recommendation(rec: Recommendation) -> dict[str, Any]:
    return {
        "code": rec.code,
        "url": rec.get_absolute_url(),
        "external_id": rec.external_id,
        "country": _country(rec.country),
        "body": rec.body.code,
        "mechanism": rec.mechanism,
        "document_symbol": rec.document_symbol,
        "paragraph": rec.paragraph,
        "text": rec.text,
        "language": rec.language,
        "session": rec.session,
        "cycle": rec.cycle,
        "year": rec.year,
        "date": rec.date,
        "recommending_states": [_country(c) for c in rec.recommending_states.all()],
        "position": rec.position,
        "position_source": rec.position_source,
        "heading": rec.heading,
        "follow_up": rec.follow_up,
        "follow_up_due": rec.follow_up_due,
    }


def _facets(facets: dict[str, search.FacetList]) -> dict[str, Any]:
    return {
        name: {"values": [vars(f) for f in values], "more": values.more}
        for name, values in facets.items()
    }


def _listed(qs: Any) -> Any:
    return qs.select_related("country", "body").prefetch_related(
        Prefetch("recommending_states", queryset=Country.objects.only("code", "name"))
    )


# ---------------------------------------------------------------------------------------------
# Endpoints


@api.get(
    "/recommendations",
    response={200: schemas.RecommendationPage, **ERRORS},
    tags=["recommendations"],
)
def list_recommendations(
    request: HttpRequest,
    filters: Query[schemas.Filters],
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 25,
    facets: bool = False,
) -> dict[str, Any]:
    """Search recommendations: best matches first when `q` is given, else newest first."""
    kwargs = filters.to_kwargs()
    base = Recommendation.objects.visible_to(request.user)
    qs = search.filter_recommendations(base, **kwargs)
    count = qs.count()
    start = (page - 1) * page_size
    rows = list(_listed(qs)[start : start + page_size])
    hint = None
    if not count and kwargs.get("query"):
        unqueried = {k: v for k, v in kwargs.items() if k != "query"}
        found = search.no_result_hint(
            search.filter_recommendations(base, rank=False, **unqueried), kwargs["query"]
        )
        hint = vars(found) if found else None
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(count / page_size) if count else 0,
        "results": [_recommendation(r) for r in rows],
        "facets": _facets(search.search_facets(kwargs, queryset=base)) if facets else None,
        "hint": hint,
        "ignored_words": search.parse_query(kwargs.get("query", "")).ignored,
    }


@api.get(
    "/recommendations/{code}",
    response={200: schemas.RecommendationDetailOut, **ERRORS},
    tags=["recommendations"],
)
def get_recommendation(request: HttpRequest, code: UUID) -> dict[str, Any]:
    """Everything known about one recommendation, by its code (a UUID)."""
    qs = _listed(Recommendation.objects.visible_to(request.user).filter(code=code))
    rec = get_object_or_404(qs.select_related("analysis", "import_batch"))
    labels = (
        Label.objects.filter(recommendation=rec)
        .exclude(review_state=Label.ReviewState.REJECTED)
        .select_related("term__taxonomy")
        .order_by("term__taxonomy__slug", "term__sort", "term__name")
    )
    out = _recommendation(rec)
    out["concern_paragraph"] = rec.concern_paragraph
    out["labels"] = [
        {
            "taxonomy": label.term.taxonomy.slug,
            "code": label.term.code,
            "name": label.term.name,
            "source": label.source,
            "confidence": label.confidence,
            "origin": label.origin,
            "review_state": label.review_state,
        }
        for label in labels
    ]
    # A missing one-to-one row raises a subclass of AttributeError: getattr's default catches it.
    analysis = getattr(rec, "analysis", None)
    out["analysis"] = vars(analysis) if analysis is not None else None
    out["import_batch"] = rec.import_batch.file_name if rec.import_batch else None
    return out


@api.get("/countries", response={200: list[schemas.CountryOut], **ERRORS}, tags=["countries"])
def list_countries(request: HttpRequest) -> list[dict[str, Any]]:
    """The States that have recommendations, by name, with how many."""
    rows = (
        Country.objects.annotate(n=Count("recommendations"))
        .filter(n__gt=0)
        .order_by("name")
        .values_list("code", "name", "n")
    )
    return [{"code": code, "name": name, "recommendations": n} for code, name, n in rows]


@api.get(
    "/countries/{code}", response={200: schemas.CountryDetailOut, **ERRORS}, tags=["countries"]
)
def get_country(request: HttpRequest, code: str) -> dict[str, Any]:
    """One State, with its recommendations counted by every facet (all values)."""
    country = get_object_or_404(Country, code=code.upper())
    qs = Recommendation.objects.visible_to(request.user).filter(country=country)
    facets = search.facet_counts(qs, [f for f in search.FACETS if f != "country"], limit=None)
    return {
        "code": country.code,
        "name": country.name,
        "alpha2": country.alpha2,
        "region": country.region,
        "un_group": country.un_group,
        "recommendations": qs.count(),
        "facets": _facets(facets),
    }


@api.get("/facets", response={200: dict[str, schemas.FacetOut], **ERRORS}, tags=["recommendations"])
def get_facets(
    request: HttpRequest,
    filters: Query[schemas.Filters],
    limit: Annotated[int | None, Field(ge=1, le=MAX_FACET_LIMIT)] = None,
) -> dict[str, Any]:
    """Counts of every facet value among the recommendations matching the filters."""
    base = Recommendation.objects.visible_to(request.user)
    return _facets(search.search_facets(filters.to_kwargs(), queryset=base, limit=limit))


#: Uploads bigger than this are imported by a worker: the answer is 202 with the job to follow.
BACKGROUND_IMPORT_BYTES = 2 * 1024 * 1024


@api.post(
    "/imports",
    response={
        200: schemas.ImportOut,
        202: schemas.JobOut,
        **schemas.PERSON_ERRORS,
    },
    auth=TokenAuth(),
    tags=["imports"],
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str] = "",  # a NUL is refused by RejectNulMiddleware
    background: Form[bool] = False,
) -> Any:
    """Import a file (as `rightstrack import`); the kind is guessed when not given.

    Needs a token. A big file (over 2 MB), or any file with `background=true`, is imported by
    a worker: the answer is 202 with the job, to follow at `GET /jobs/{code}`.
    """
    from rightstrack.lib import uploads
    from rightstrack.recommendations.services import import_file

    # The limits (formats.safety) are checked before answering, even for a file a worker
    # imports: a bad file is a 400 here, not a failed job.
    with uploads.saved(file) as path:
        if background or (file.size or 0) > BACKGROUND_IMPORT_BYTES:
            from rightstrack.jobs.kinds import store_upload
            from rightstrack.jobs.services import start_job

            name = store_upload(file)
            job = start_job(
                "import",
                owner=request.user,
                params={"storage_name": name, "file_name": file.name or "upload", "kind": kind},
                message=file.name or "",
            )
            return Status(202, _job(job))
        result = import_file(path, kind=kind or None, user=request.user, file_name=file.name)
    return {
        "file_name": result.file_name,
        "kind": result.kind,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


# The follow-up endpoints (api-contract.md): /me, /institutions, /assignments, ...
from rightstrack.api import followup  # noqa: E402

followup.register(api)

# Deadlines, calendar feeds and committee grades (rightstrack.deadlines).
from rightstrack.api.deadlines import router as deadlines_router  # noqa: E402

api.add_router("/", deadlines_router)


def _job(job: Any) -> dict[str, Any]:
    return {**job.as_dict(), "url": f"/api/v1/jobs/{job.code}"}


def job_auth(request: HttpRequest) -> Any:
    """A token, or the session of a person logged in to the web app (the progress page)."""
    user = read_auth(request)
    return user if user is not None and user.is_authenticated else None


@api.get(
    "/jobs/{code}",
    response={200: schemas.JobOut, **schemas.READ_ERRORS},
    auth=job_auth,
    tags=["jobs"],
)
def get_job(request: HttpRequest, code: schemas.Text) -> dict[str, Any]:
    """A background job (an import): its state and progress, from any server. Its owner's and
    administrators' only: anyone else gets 404."""
    from rightstrack.jobs.models import Job

    return _job(get_object_or_404(Job.objects.visible_to(request.user), code=code))


# Exports (rightstrack.api.exports): the same files as `rightstrack export`.
from rightstrack.api.exports import router as _exports_router  # noqa: E402

api.add_router("/exports", _exports_router)
