"""Login throttling with django-axes (docs/security.md).

Failed logins are recorded in the database (axes' AccessAttempt table), so every process and
every server sharing the database counts the same failures. After LOGIN_FAILURE_LIMIT failures
for one user name from one address, that pair is refused for LOGIN_LOCKOUT_MINUTES, even with
the right password; a success resets the count.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' backend, letting through an authenticate() with no request.

    Only a person at the login page (or the admin's) has a request to throttle; a management
    command or a script calling authenticate() directly has none, and axes would refuse it
    instead of leaving it to the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The address a login came from: REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the
    address the outermost of them saw (from X-Forwarded-For, which a client can only prepend to).
    """
    count = int(getattr(settings, "RIGHTSTRACK_PROXY_COUNT", 0))
    if count > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
