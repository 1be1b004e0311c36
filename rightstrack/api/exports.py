"""GET /api/v1/exports and /api/v1/exports/{kind}: the same exports as `rightstrack export`
and the pages' "Download" links, holding what the token's person may see, recorded."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import AuthenticationError

from rightstrack.api import schemas
from rightstrack.formats.registry import EXPORTERS, get_exporter
from rightstrack.recommendations import search

router = Router(tags=["exports"])

PUBLIC_KINDS = ("matrix", "list")
#: What a download may be, by format (rightstrack.plans.exports.CONTENT_TYPES).
DOWNLOAD_TYPES = (
    "text/csv",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/pdf",
    "application/octet-stream",
)


class ExportKindOut(Schema):
    kind: str
    label: str
    formats: list[str]


@router.get(
    "",
    summary="The kinds of export and their formats",
    response={200: list[ExportKindOut], **schemas.AUTH_ERRORS},
)
def kinds(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"kind": kind, "label": label, "formats": list(get_exporter(kind).formats)}
        for kind, (label, _dotted) in EXPORTERS.items()
    ]


@router.get(
    "/{kind}",
    summary="Download an export",
    description="Query: format (the file type), plan (an action plan's code), the search "
    "filters (country, body, mechanism, cycle, theme, group, position, ...) and the follow-up "
    "filters (assigned_to: institution codes; awaiting_validation; due_after, due_before: "
    "YYYY-MM-DD), as the pages' Download links take them. matrix and list "
    "are public recommendations (follow-up columns only where the token's person may see "
    "them); the reports need a token.",
    response={200: None, **schemas.PERSON_ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment.",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in DOWNLOAD_TYPES
                },
            }
        }
    },
)
def download(request: HttpRequest, kind: schemas.Text, format: schemas.Text) -> HttpResponse:
    from rightstrack.plans import exports, pages
    from rightstrack.plans.models import ActionPlan, ExportLog

    if kind not in EXPORTERS:
        raise Http404
    user = request.user
    if kind not in PUBLIC_KINDS and not user.is_authenticated:
        raise AuthenticationError
    plan = None
    if code := request.GET.get("plan"):
        try:
            uuid.UUID(code)
        except ValueError:
            raise Http404 from None
        plan = ActionPlan.objects.visible_to(user).filter(code=code).first()
        if plan is None:
            raise Http404
    filters = search.filters_from_params(request.GET)
    # The follow-up filters of the web and CLI exports (plans.pages.FOLLOW_UP_FILTERS).
    filters.update(pages.follow_up_params(request.GET))
    if request.GET.get("per") in exports.LAYOUTS:
        filters["per"] = request.GET["per"]
    result = exports.export(
        kind, user, fmt=format, filters=filters, plan=plan, via=ExportLog.Via.API
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
