"""Refuse requests carrying a NUL character (%00) in the path, the query or form fields.

No page or API parameter can mean anything with one, and PostgreSQL refuses NUL in text
("cannot contain NUL (0x00) bytes"), which turned such a request into a 500 (and, inside a
transaction, every query after it). Answered 400 before any view runs: JSON under /api/.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGE = "a NUL character (%00) is not allowed in a request"


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if request.path.startswith("/api/"):
                # The API's error shape (rightstrack.api.schemas.ErrorOut).
                return JsonResponse({"detail": MESSAGE, "error": MESSAGE}, status=400)
            return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    # Values only: a parameter whose name has a NUL is no parameter of ours and is never read.
    if any("\x00" in v for _k, vs in request.GET.lists() for v in vs):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any("\x00" in v for _k, vs in request.POST.lists() for v in vs)
    return False
