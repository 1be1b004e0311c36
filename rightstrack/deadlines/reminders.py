"""Reminder e-mails: `rightstrack send-reminders [--today YYYY-MM-DD]`, or send_reminders(today).

Who gets what (docs/procedures.md):

- a **focal point** gets what is due within 30 days or overdue among what they may see and
  their institution follows: a mail when something enters a stage (30 days, 7 days, 1 day
  before, then every week while overdue), never the same stage twice;
- a **validator** gets the updates waiting for them: when an update arrives, then every week
  while it waits;
- a **coordinator** gets a weekly digest of their States (the first run of each ISO week).

Each mail is in the person's language (Profile.language) and holds only what they may see
(Deadline.visible_to). A person who unticked Profile.email_reminders gets nothing. What was
sent is kept in ReminderSent, so a run on the same day, or a catch-up run after an outage
(`--today` of the missed day), never sends a stage twice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightstrack.accounts import permissions as perms
from rightstrack.accounts.models import Membership, Profile
from rightstrack.deadlines import services
from rightstrack.deadlines.models import PUBLIC_KINDS, Deadline, Kind, ReminderSent
from rightstrack.tracking.models import Assignment, Status, StatusUpdate

#: How far ahead a focal point is reminded.
AHEAD_DAYS = 30
#: Reminder stages before a due date: (stage, most days left).
STAGES = (("1", 1), ("7", 7), ("30", 30))
#: Work that is done needs no reminder any more.
DONE = (Status.IMPLEMENTED, Status.NO_LONGER_APPLICABLE)


def stage_for(days_left: int) -> str | None:
    """Return the reminder stage of something due in *days_left* days (negative: overdue)."""
    if days_left < 0:
        return f"overdue-{(-days_left - 1) // 7}"
    for stage, most in STAGES:
        if days_left <= most:
            return stage
    return None


@dataclass
class Summary:
    today: dt.date
    mails: int = 0
    people: int = 0
    opted_out: int = 0
    kinds: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        parts = ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items())) or "none"
        return (
            f"{self.today.isoformat()}: {self.mails} mails to {self.people} people checked "
            f"({parts}); {self.opted_out} opted out"
        )


def _focal_items(user: Any, scope: perms.Scope, today: dt.date) -> list[Deadline]:
    institutions = scope.institutions_with({perms.FOCAL_POINT})
    if not institutions:
        return []
    assigned = Assignment.objects.filter(institution_id__in=institutions, active=True).values(
        "recommendation_id"
    )
    mine = Q(institution_id__in=institutions) | Q(
        kind__in=PUBLIC_KINDS, recommendation_id__in=assigned
    )
    upcoming = Q(date__gte=today, date__lte=today + dt.timedelta(days=AHEAD_DAYS))
    overdue = Q(date__lt=today, kind__in=(Kind.ASSIGNMENT_DUE, Kind.MEASUREMENT_DUE))
    qs = (
        Deadline.objects.visible_to(user)
        .filter(mine)
        .filter(upcoming | overdue)
        .exclude(
            kind=Kind.ASSIGNMENT_DUE,
            recommendation__follow_ups__sub_item=None,
            recommendation__follow_ups__status__in=DONE,
        )
        .select_related("country", "institution", "recommendation")
        .order_by("date", "id")
    )
    return list(qs)


def _pending_updates(scope: perms.Scope) -> list[StatusUpdate]:
    institutions = scope.institutions_with({perms.VALIDATOR})
    if not institutions:
        return []
    return list(
        StatusUpdate.objects.filter(
            state=StatusUpdate.State.PENDING, institution_id__in=institutions
        )
        .select_related("recommendation__body", "institution", "author")
        .order_by("created", "id")
    )


def _digest(user: Any, scope: perms.Scope, today: dt.date) -> list[dict[str, Any]]:
    from rightstrack.recommendations.models import Country

    rows = []
    visible = Deadline.objects.visible_to(user)
    soon = today + dt.timedelta(days=AHEAD_DAYS)
    for country in Country.objects.filter(pk__in=scope.coordinated).order_by("name"):
        work = visible.filter(country=country)
        rows.append(
            {
                "country": country,
                "overdue": work.filter(
                    date__lt=today, kind__in=(Kind.ASSIGNMENT_DUE, Kind.MEASUREMENT_DUE)
                ).count(),
                "soon": list(
                    work.filter(date__gte=today, date__lte=soon).select_related("institution")[:30]
                ),
                "pending": StatusUpdate.objects.filter(
                    country=country, state=StatusUpdate.State.PENDING
                ).count(),
                "validated": StatusUpdate.objects.filter(
                    country=country,
                    state=StatusUpdate.State.VALIDATED,
                    decided__date__gt=today - dt.timedelta(days=7),
                    decided__date__lte=today,
                ).count(),
            }
        )
    return rows


def _people() -> list[Any]:
    User = get_user_model()
    ids = (
        Membership.objects.filter(institution__active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    users = list(User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk"))
    have = set(Profile.objects.filter(user__in=users).values_list("user_id", flat=True))
    Profile.objects.bulk_create(
        [Profile(user=u) for u in users if u.pk not in have], ignore_conflicts=True
    )
    profiles = {p.user_id: p for p in Profile.objects.filter(user__in=users)}
    for user in users:
        user._reminder_profile = profiles[user.pk]
    return users


def _already(user_id: int, keys: list[str]) -> set[tuple[str, str]]:
    if not keys:
        return set()
    return set(
        ReminderSent.objects.filter(user_id=user_id, key__in=keys).values_list("key", "stage")
    )


def send_reminders(today: dt.date, *, refresh: bool = True, connection: Any = None) -> Summary:
    """Send the day's reminders as of *today*; return what was sent (for the job queue)."""
    if refresh:
        services.refresh_all()
    summary = Summary(today=today)
    week = "{}-W{:02d}".format(*today.isocalendar()[:2])
    connection = connection or mail.get_connection()
    for user in _people():
        summary.people += 1
        profile = user._reminder_profile
        if not profile.email_reminders:
            summary.opted_out += 1
            continue
        scope = perms.scope_for(user)
        sends: list[tuple[str, str]] = []  # (key, stage) recorded once sent

        items = _focal_items(user, scope, today)
        staged = [(d, stage_for(d.days_left(today))) for d in items]
        done = _already(user.pk, [d.key for d, _s in staged])
        new_items = [(d, s) for d, s in staged if s and (d.key, s) not in done]

        updates = _pending_updates(scope)
        staged_u = [(u, f"w{(today - u.created.date()).days // 7}") for u in updates]
        done_u = _already(user.pk, [f"update:{u.code}" for u, _s in staged_u])
        new_updates = [(u, s) for u, s in staged_u if (f"update:{u.code}", s) not in done_u]

        digest = []
        if (
            scope.coordinated
            and not ReminderSent.objects.filter(user=user, key="digest", stage=week).exists()
        ):
            digest = _digest(user, scope, today)

        messages, kinds = [], []
        with translation.override(profile.language):
            if new_items:
                overdue = [d for d, _s in new_items if d.date < today]
                subject = (
                    ngettext(
                        "rightstrack: %(n)d item overdue",
                        "rightstrack: %(n)d items overdue",
                        len(overdue),
                    )
                    % {"n": len(overdue)}
                    if overdue
                    else ngettext(
                        "rightstrack: %(n)d deadline coming",
                        "rightstrack: %(n)d deadlines coming",
                        len(new_items),
                    )
                    % {"n": len(new_items)}
                )
                body = render_to_string(
                    "deadlines/email/due.txt",
                    {"user": user, "items": [d for d, _s in new_items], "today": today},
                )
                messages.append(mail.EmailMessage(subject, body, to=[user.email]))
                kinds.append("due")
                sends += [(d.key, s) for d, s in new_items]
            if new_updates:
                subject = ngettext(
                    "rightstrack: %(n)d update waiting for your validation",
                    "rightstrack: %(n)d updates waiting for your validation",
                    len(new_updates),
                ) % {"n": len(new_updates)}
                body = render_to_string(
                    "deadlines/email/validate.txt",
                    {"user": user, "updates": [u for u, _s in new_updates], "today": today},
                )
                messages.append(mail.EmailMessage(subject, body, to=[user.email]))
                kinds.append("validate")
                sends += [(f"update:{u.code}", s) for u, s in new_updates]
            if digest:
                subject = _("rightstrack: weekly digest, %(week)s") % {"week": week}
                body = render_to_string(
                    "deadlines/email/digest.txt", {"user": user, "rows": digest, "today": today}
                )
                messages.append(mail.EmailMessage(subject, body, to=[user.email]))
                kinds.append("digest")
                sends.append(("digest", week))
        if not messages:
            continue
        for message in messages:
            message.from_email = settings.DEFAULT_FROM_EMAIL
        connection.send_messages(messages)
        ReminderSent.objects.bulk_create(
            [ReminderSent(user=user, key=k, stage=s, sent_on=today) for k, s in sends],
            ignore_conflicts=True,
        )
        summary.mails += len(messages)
        summary.kinds.update(kinds)
    return summary
