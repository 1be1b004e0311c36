"""Small includes that show deadlines and committee grades on other apps' pages.

{% load deadlines_tags %}{% recommendation_deadlines rec %}   (recommendation page)
{% country_deadlines country %}                                 (country page)
{% review_deadlines review %}                                   (a review)
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from rightstrack.deadlines.models import CommitteeGrade, Deadline
from rightstrack.tracking.models import FollowUp

register = template.Library()

#: Deadlines shown on a country page (the calendar has all of them).
COUNTRY_LIMIT = 10


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("deadlines/_recommendation.html", takes_context=True)
def recommendation_deadlines(context: Any, rec: Any) -> dict[str, Any]:
    user = _user(context)
    deadlines = list(
        Deadline.objects.visible_to(user).filter(recommendation=rec).select_related("institution")
    )
    grades = list(
        CommitteeGrade.objects.visible_to(user)
        .filter(recommendation=rec)
        .select_related("sub_item")
    )
    status = (
        FollowUp.objects.visible_to(user).filter(recommendation=rec, sub_item=None).first()
        if grades
        else None
    )
    return {
        "deadlines": deadlines,
        "grades": grades,
        "status": status,
        "today": timezone.localdate(),
    }


@register.inclusion_tag("deadlines/_list.html", takes_context=True)
def country_deadlines(context: Any, country: Any) -> dict[str, Any]:
    user = _user(context)
    today = timezone.localdate()
    qs = Deadline.objects.visible_to(user).filter(country=country)
    rows = list(qs.filter(date__gte=today).select_related("institution")[:COUNTRY_LIMIT])
    overdue = qs.filter(date__lt=today, kind__in=("assignment_due", "measurement_due")).count()
    return {
        "deadlines": rows,
        "overdue": overdue,
        "today": today,
        "country": country,
        "show": bool(getattr(user, "is_authenticated", False)),
    }


@register.inclusion_tag("deadlines/_list.html", takes_context=True)
def review_deadlines(context: Any, review: Any) -> dict[str, Any]:
    user = _user(context)
    rows = list(
        Deadline.objects.visible_to(user).filter(review=review).select_related("institution")
    )
    return {"deadlines": rows, "today": timezone.localdate(), "show": True}


@register.filter
def days_left(deadline: Deadline, today: Any) -> int:
    return deadline.days_left(today)


@register.filter
def get_count(counts: dict[str, int], key: str) -> int:
    return counts.get(key, 0)
