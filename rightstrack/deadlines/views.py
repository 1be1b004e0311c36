"""Pages: the calendar, the procedures (rules), a person's calendar feed and reminders."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from itertools import groupby
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rightstrack.accounts import permissions as perms
from rightstrack.accounts.models import Profile
from rightstrack.core import upr_calendar as cal
from rightstrack.deadlines import feeds
from rightstrack.deadlines.models import Deadline, FollowUpRule, Kind, UprRule
from rightstrack.recommendations.models import Country


def _month(value: str | None, today: dt.date) -> dt.date:
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


class _Rows:
    """Renders calendar rows here, not in the template: a month can hold hundreds of them.

    Each date's label, each kind's name and the recommendation's address are made once.
    """

    def __init__(self, by: str, today: dt.date) -> None:
        self.by, self.today = by, today
        self.kinds = dict(Kind.choices)
        self.dates: dict[dt.date, str] = {}
        marker = "00000000-0000-0000-0000-000000000000"
        self.rec_url = reverse("front-recommendation", args=[marker]).replace(marker, "{}")
        self.late = format_html(' <strong class="error">{}</strong>', _("overdue"))

    def __call__(self, row: dict[str, Any]) -> SafeString:
        day = row["date"]
        label = self.dates.get(day)
        if label is None:
            label = self.dates[day] = date_format(day, "j M Y")
        code = row["recommendation__code"]
        what = (
            format_html('<a href="{}">{}</a>', self.rec_url.format(code), row["title"])
            if code
            else row["title"]
        )
        where = (
            format_html(' <span class="help">({})</span>', row["institution__name"])
            if self.by == "day" and row["institution__name"]
            else ""
        )
        return format_html(
            '<td><time datetime="{}">{}</time>{}</td><td>{}: {}{}</td><td>{}</td>',
            day.isoformat(),
            label,
            self.late if day < self.today else "",
            self.kinds.get(row["kind"], row["kind"]),
            what,
            where,
            row["country__name"],
        )


def month_deadlines(user: Any, params: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The calendar's deadlines as its query string asks (?month=YYYY-MM, ?country=, ?kind=,
    ?by=): the page and its download read them here. Returns the QuerySet as "deadlines"."""
    today = today or timezone.localdate()
    start = _month(params.get("month"), today)
    end = start.replace(day=pycal.monthrange(start.year, start.month)[1])
    qs = Deadline.objects.visible_to(user).between(start, end)
    country = None
    if params.get("country"):
        country = Country.objects.filter(code=params["country"].upper()[:3]).first()
        qs = qs.filter(country=country) if country else qs.none()
    kind = params.get("kind", "") or ""
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    by = "institution" if params.get("by") == "institution" else "day"
    return {"deadlines": qs, "start": start, "end": end, "country": country, "kind": kind, "by": by}


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """What falls due in a month, by day or by institution (?by=institution)."""
    today = timezone.localdate()
    where = month_deadlines(request.user, request.GET, today)
    qs, start, end, by = where["deadlines"], where["start"], where["end"], where["by"]
    country, kind = where["country"], where["kind"]
    rows = list(
        qs.order_by("date", "id").values(
            "kind", "date", "title", "country__name", "institution__name", "recommendation__code"
        )
    )
    if by == "institution":
        rows.sort(key=lambda d: (d["institution__name"] or "", d["date"]))
        groups = [
            (name or _("The mechanisms' own deadlines"), list(items))
            for name, items in groupby(rows, key=lambda d: d["institution__name"] or "")
        ]
    else:
        groups = [
            (date_format(day, "l j"), list(items))
            for day, items in groupby(rows, key=lambda d: d["date"])
        ]
    render_row = _Rows(by, today)
    html_groups = [(head, [render_row(d) for d in items]) for head, items in groups]
    previous = (start - dt.timedelta(days=1)).replace(day=1)
    following = end + dt.timedelta(days=1)
    return render(
        request,
        "deadlines/calendar.html",
        {
            "start": start,
            "by": by,
            "groups": html_groups,
            "count": len(rows),
            "previous": previous.strftime("%Y-%m"),
            "next": following.strftime("%Y-%m"),
            "month": start.strftime("%Y-%m"),
            "country": country,
            "kind": kind,
            "kinds": Kind.choices,
            "today": today,
            "calendar_url": feeds.calendar_url(request.user, request),
        },
    )


class FollowUpRuleForm(forms.ModelForm):
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = FollowUpRule
        fields = [
            "body_code",
            "valid_from",
            "valid_to",
            "runs_follow_up",
            "paragraphs_min",
            "paragraphs_max",
            "reply_months",
            "grading",
            "simplified_reporting",
            "periodic_report_months",
            "source",
            "source_url",
            "note",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "source": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The rule cannot end before it starts."))
        return data


class UprRuleForm(forms.ModelForm):
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = UprRule
        fields = [
            "valid_from",
            "valid_to",
            "midterm_months",
            "adoption_months",
            "cycle_months",
            "source",
            "source_url",
            "note",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "source": forms.Textarea(attrs={"rows": 3}),
        }


@login_required
def procedures(request: HttpRequest) -> HttpResponse:
    """The rules in force and in the past, with their sources; administrators edit them."""
    return render(
        request,
        "deadlines/procedures.html",
        {
            "rules": FollowUpRule.objects.all(),
            "upr_rules": UprRule.objects.all(),
            "cycles": list(cal.CYCLES.values()),
            "sessions": [cal.SESSIONS[n] for n in sorted(cal.SESSIONS)],
            "calendar_source": cal.SOURCE,
            "may_edit": perms.scope_for(request.user).admin
            and perms.scope_for(request.user).can_write,
        },
    )


def _edit(request: HttpRequest, form_class: Any, instance: Any, title: str) -> HttpResponse:
    scope = perms.scope_for(request.user)
    if not (scope.admin and scope.can_write):
        raise PermissionDenied(_("Only administrators change the procedures."))
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.updated = timezone.now()
        rule.updated_by = request.user
        rule.save()  # the deadlines it dates are recomputed (signals)
        return redirect("deadlines-procedures")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "deadlines/rule_form.html", {"form": form, "title": title}, status=status
    )


@login_required
def edit_rule(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(FollowUpRule, pk=pk) if pk else None
    return _edit(request, FollowUpRuleForm, rule, _("Treaty body follow-up rule"))


@login_required
def edit_upr_rule(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(UprRule, pk=pk) if pk else None
    return _edit(request, UprRuleForm, rule, _("UPR rule"))


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["language", "email_reminders"]
        labels = {"email_reminders": gettext_lazy("Send me reminder e-mails")}


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The person's page: their feed's address (renewable) and their reminder settings."""
    profile = Profile.for_user(request.user)
    form = ReminderSettingsForm(request.POST or None, instance=profile)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        saved = True
    return render(
        request,
        "deadlines/me.html",
        {"form": form, "saved": saved, "calendar_url": feeds.calendar_url(request.user, request)},
    )


@login_required
@require_POST
def renew_calendar(request: HttpRequest) -> HttpResponse:
    Profile.for_user(request.user).renew_calendar_secret()
    return redirect("deadlines-me")
