"""National human rights action plans, their consultations, UN funds, each action's funding,
and the log of exports. See docs/reports.md.

A plan's goals link to follow-up's own tracking.Action and tracking.Indicator rows: the same
actions, never copies. Who may see and change a plan is decided in accounts.permissions.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.accounts import permissions as perms


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PlanQuerySet:
        return self.filter(perms.plan_q(perms.scope_for(user)))

    def editable_by(self, user: Any) -> PlanQuerySet:
        return self.filter(perms.plan_edit_q(perms.scope_for(user)))


class ActionPlan(models.Model):
    """A national human rights action plan for one State and period (OHCHR handbook)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        CLOSED = "closed", _("Closed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    country = models.ForeignKey(
        "recommendations.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State whose plan it is.",
    )
    title = models.CharField(max_length=300)
    start = models.DateField(help_text="First day of the plan's period.")
    end = models.DateField(help_text="Last day of the plan's period.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    situation = models.TextField(blank=True, help_text="The current situation (baseline study).")
    problems = models.TextField(blank=True, help_text="The problems the plan is to overcome.")
    monitoring = models.TextField(
        blank=True, help_text="Monitoring and evaluation: who reviews progress, how often, how."
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        blank=True,
        related_name="action_plans",
        help_text="The recommendations the plan answers.",
    )
    groups = models.ManyToManyField(
        "recommendations.RecommendationGroup",
        blank=True,
        related_name="action_plans",
        help_text="Groups of recommendations chosen as a whole.",
    )
    chosen_by = models.JSONField(
        default=dict, blank=True, help_text="The search filters that chose the recommendations."
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans-plan", args=[self.code])


class Goal(models.Model):
    """A goal of a plan, with who answers for it, the actions and indicators that serve it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    accountability = models.TextField(
        blank=True, help_text="Who answers for the goal, to whom, and how it is reported."
    )
    sort = models.PositiveSmallIntegerField(default=0)
    actions = models.ManyToManyField(
        "tracking.Action",
        blank=True,
        related_name="plan_goals",
        help_text="Follow-up's actions (linked, not copied).",
    )
    indicators = models.ManyToManyField(
        "tracking.Indicator",
        blank=True,
        related_name="plan_goals",
    )

    class Meta:
        ordering = ["plan", "sort", "id"]

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    """How the affected population was consulted on a plan: who, when, how, what they said."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="consultations")
    date = models.DateField()
    who = models.TextField(help_text="Who was consulted: groups, organisations, how many people.")
    groups = models.CharField(
        max_length=300,
        blank=True,
        help_text="Groups of persons, '; '-joined (internally displaced persons, ...).",
    )
    method = models.CharField(
        max_length=200, help_text="How: focus groups, public hearing, survey, written comments."
    )
    place = models.CharField(max_length=200, blank=True)
    participants = models.PositiveIntegerField(null=True, blank=True)
    said = models.TextField(help_text="What they said.")
    response = models.TextField(blank=True, help_text="What the plan does with it.")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.method}"


class Fund(models.Model):
    """A UN fund that pays for implementation (plans/data/funds.csv; source recorded)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=60, blank=True)
    managed_by = models.CharField(max_length=200, blank=True)
    who_may_apply = models.TextField()
    pays_for = models.TextField()
    #: Words in a recommendation's themes or an action's text that make the fund a candidate.
    keywords = models.TextField(blank=True, help_text="'; '-joined words that make it a match.")
    applicant_kinds = models.CharField(
        max_length=200,
        blank=True,
        help_text="'; '-joined institution kinds that may apply (ministry, nmrf, cso, nhri).",
    )
    source = models.TextField(help_text="Where these facts come from (page, date read).")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class FundingQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FundingQuerySet:
        from rightstrack.tracking.models import Action

        return self.filter(action__in=Action.objects.visible_to(user).values("id"))


class ActionFunding(models.Model):
    """Money for one action: from a UN fund (or another source), how much, where it stands."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPLIED = "applied", _("Applied")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey("tracking.Action", on_delete=models.CASCADE, related_name="fundings")
    fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="fundings"
    )
    other_source = models.CharField(
        max_length=200, blank=True, help_text="When not a UN fund: the State budget, a donor."
    )
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FundingQuerySet.as_manager()

    class Meta:
        ordering = ["action", "id"]

    def __str__(self) -> str:
        return f"{self.fund or self.other_source}: {self.amount} {self.currency} ({self.status})"


class ExportLog(models.Model):
    """One export: who, when, what kind and format, with which filters, how many rows."""

    class Via(models.TextChoices):
        WEB = "web", _("Web page")
        API = "api", _("API")
        CLI = "cli", _("Command line")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(max_length=200, blank=True, help_text="Kept if the user goes.")
    created = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    format = models.CharField(max_length=10)
    filters = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(default=0, help_text="Recommendations in the export.")
    via = models.CharField(max_length=4, choices=Via.choices)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} by {self.user_name or 'anonymous'} at {self.created}"
