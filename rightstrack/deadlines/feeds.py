"""A person's deadlines as an iCalendar (RFC 5545) feed, written with the icalendar library.

The feed's address carries the person's secret (accounts.Profile.calendar_secret) instead of a
login, so calendar programs can fetch it; renewing the secret voids the old address (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rightstrack import __version__
from rightstrack.accounts.models import Profile
from rightstrack.deadlines.models import Deadline

#: How far back and ahead the feed reaches.
FEED_PAST = dt.timedelta(days=365)
FEED_AHEAD = dt.timedelta(days=3 * 365)


def calendar_path(user: Any) -> str:
    return reverse("api-v1:calendar_feed", args=[Profile.for_user(user).calendar_secret])


def calendar_url(user: Any, request: Any = None) -> str:
    """Return the address of *user*'s calendar feed (absolute when a request or SITE_URL)."""
    path = calendar_path(user)
    if request is not None:
        return request.build_absolute_uri(path)
    base = getattr(settings, "SITE_URL", "")
    return base.rstrip("/") + path if base else path


def user_for_secret(secret: str) -> Any:
    profile = (
        Profile.objects.select_related("user").filter(calendar_secret=secret).first()
        if secret
        else None
    )
    if profile is None or not profile.user.is_active:
        return None
    return profile.user


def feed_deadlines(user: Any, today: dt.date | None = None) -> Any:
    today = today or timezone.localdate()
    return (
        Deadline.objects.visible_to(user)
        .between(today - FEED_PAST, today + FEED_AHEAD)
        .select_related("country", "institution", "recommendation")
        .order_by("date", "id")
    )


def to_ical(user: Any, deadlines: Any, *, base_url: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//rightstrack {__version__}//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"rightstrack: {user.get_full_name() or user.get_username()}")
    stamp = timezone.now()
    for d in deadlines:
        event = icalendar.Event()
        event.add("uid", f"{d.key}@rightstrack")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.date)
        event.add("dtend", d.date + dt.timedelta(days=1))
        event.add("summary", d.title)
        event.add("categories", [d.kind])
        lines = [d.get_kind_display(), d.country.name]
        if d.institution_id:
            lines.append(d.institution.name)
        if d.rule:
            lines.append(d.rule)
        event.add("description", "\n".join(str(x) for x in lines))
        if d.recommendation_id and base_url:
            event.add("url", base_url.rstrip("/") + d.recommendation.get_absolute_url())
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
