"""Follow-up: who does what, with what evidence, validated, kept in history.

See docs/follow-up.md for the model in words and docs/roles.md for who may see and do what.
Every change goes through rightstrack.tracking.services, which checks permissions
(rightstrack.accounts.permissions), detects conflicting edits (each editable row has a
`version`) and writes an Event in the same transaction.
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


class Status(models.TextChoices):
    """Implementation status of a recommendation, as the State reports it."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    #: Overtaken by events (the law it asks to amend was repealed, the situation ended).
    NO_LONGER_APPLICABLE = "no_longer_applicable", _("No longer applicable")


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FollowUpQuerySet:
        scope = perms.scope_for(user)
        q = perms.followup_q(scope)
        if scope.contributor:
            # NHRIs and civil society see the State's status in their State, to set theirs beside.
            q |= models.Q(country_id__in={c for c in scope.contributor.values() if c})
        return self.filter(q)


class FollowUp(models.Model):
    """The State's current implementation status of one recommendation or one sub-item.

    Written only when a status update is validated, in the same transaction; the updates
    themselves are the record of how it got there.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        help_text="The recommendation followed up.",
    )
    sub_item = models.ForeignKey(
        "recommendations.SubItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        help_text="The lettered part followed up on its own; empty for the whole recommendation.",
    )
    country = models.ForeignKey(
        "recommendations.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State concerned (copied from the recommendation, for permissions).",
    )
    status = models.CharField(
        max_length=30,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        help_text="Current implementation status, from the last validated update.",
    )
    status_date = models.DateField(
        null=True, blank=True, help_text="Date the current status was reported as of."
    )
    last_update = models.ForeignKey(
        "StatusUpdate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The validated update that set the current status.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every change; an edit made on an older version conflicts."
    )
    updated = models.DateTimeField(default=timezone.now, help_text="When the status last changed.")

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation"],
                condition=models.Q(sub_item__isnull=True),
                name="followup_one_per_recommendation",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "sub_item"],
                condition=models.Q(sub_item__isnull=False),
                name="followup_one_per_sub_item",
            ),
        ]
        indexes = [
            # Dashboards count statuses per State.
            models.Index(fields=["country", "status"], name="followup_country_status"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.status}"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AssignmentQuerySet:
        scope = perms.scope_for(user)
        return self.filter(perms.followup_q(scope, institution="institution"))

    def editable_by(self, user: Any) -> AssignmentQuerySet:
        """Assignments the person may change or end (coordinators, cluster coordinators)."""
        scope = perms.scope_for(user)
        if not scope.can_write:
            return self.none()
        if scope.admin:
            return self
        q = models.Q(country_id__in=scope.coordinated)
        if scope.cluster:
            q |= models.Q(country_id__in=scope.cluster, institution__kind__in=perms.CLUSTER_KINDS)
        return self.filter(q)

    def active(self) -> AssignmentQuerySet:
        return self.filter(active=True)


class Assignment(models.Model):
    """A recommendation (or one of its sub-items) given to an institution to follow up."""

    class Role(models.TextChoices):
        #: Responsible for implementing and reporting.
        LEAD = "lead", _("Lead")
        #: Contributes to the lead institution's work.
        SUPPORTING = "supporting", _("Supporting")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="assignments",
        help_text="The recommendation assigned.",
    )
    sub_item = models.ForeignKey(
        "recommendations.SubItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        help_text="The lettered part assigned on its own; empty for the whole recommendation.",
    )
    group = models.ForeignKey(
        "recommendations.RecommendationGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
        help_text="The confirmed group this assignment was made through, if any.",
    )
    country = models.ForeignKey(
        "recommendations.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State concerned (copied from the recommendation, for permissions).",
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="The institution that follows it up.",
    )
    role = models.CharField(
        max_length=12, choices=Role.choices, default=Role.LEAD, help_text="Lead or supporting."
    )
    due = models.DateField(null=True, blank=True, help_text="When the institution must report.")
    note = models.TextField(blank=True, help_text="What the coordinator asks of the institution.")
    active = models.BooleanField(
        default=True, help_text="Unticked when the assignment ended; its history stays."
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who assigned it.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every change; an edit made on an older version conflicts."
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation_id", "role", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "institution"],
                condition=models.Q(active=True, sub_item__isnull=True),
                name="assignment_active_once",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "sub_item", "institution"],
                condition=models.Q(active=True, sub_item__isnull=False),
                name="assignment_sub_item_active_once",
            ),
        ]
        indexes = [
            # A focal point's list: its institution's active assignments by due date.
            models.Index(fields=["institution", "active", "due"], name="assignment_institution"),
            # A coordinator's list and the assignments API filter by State.
            models.Index(fields=["country", "active", "due"], name="assignment_country"),
            # permissions.assigned_recommendations() looks assignments up by recommendation.
            models.Index(fields=["recommendation", "active"], name="assignment_recommendation"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} -> {self.institution} ({self.role})"

    @property
    def overdue(self) -> bool:
        return bool(self.active and self.due and self.due < timezone.localdate())


class StatusUpdateQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> StatusUpdateQuerySet:
        scope = perms.scope_for(user)
        q = perms.followup_q(scope, institution="institution")
        if scope.contributor:
            # The State's validated updates are what contributors set their assessments beside.
            q |= models.Q(
                country_id__in={c for c in scope.contributor.values() if c},
                state=StatusUpdate.State.VALIDATED,
            )
        return self.filter(q)

    def decidable_by(self, user: Any) -> StatusUpdateQuerySet:
        """Pending updates the person may approve or send back."""
        scope = perms.scope_for(user)
        if not scope.can_write:
            return self.none()
        pending = self.filter(state=StatusUpdate.State.PENDING)
        if scope.admin:
            return pending
        return pending.filter(
            models.Q(country_id__in=scope.coordinated)
            | models.Q(institution_id__in=scope.validating_institutions)
        )


class StatusUpdate(models.Model):
    """A report of progress: a new status as of a date, with a note, evidence and its author.

    Append-only: an update is never edited; a validator approves it (the recommendation's status
    becomes the update's, in the same transaction) or sends it back with a reason.
    """

    class State(models.TextChoices):
        #: Waiting for the institution's validator.
        PENDING = "pending", _("Waiting for validation")
        #: Approved (or needing no validation): it set the recommendation's status.
        VALIDATED = "validated", _("Validated")
        #: Sent back by the validator with a reason.
        REJECTED = "rejected", _("Sent back")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="status_updates",
        help_text="The recommendation reported on.",
    )
    sub_item = models.ForeignKey(
        "recommendations.SubItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_updates",
        help_text="The lettered part reported on; empty for the whole recommendation.",
    )
    country = models.ForeignKey(
        "recommendations.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State concerned (copied from the recommendation, for permissions).",
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="status_updates",
        help_text="The institution reporting (whose validator decides).",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="status_updates",
        help_text="Who reported it.",
    )
    status = models.CharField(
        max_length=30, choices=Status.choices, help_text="The status reported."
    )
    date = models.DateField(help_text="Date the status is reported as of.")
    note = models.TextField(help_text="What was done, by whom; what remains.")
    state = models.CharField(
        max_length=10,
        choices=State.choices,
        default=State.PENDING,
        help_text="Whether it waits for validation, was validated or was sent back.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The validator or coordinator who approved it or sent it back.",
    )
    decided = models.DateTimeField(null=True, blank=True, help_text="When it was decided.")
    decision_note = models.TextField(
        blank=True, help_text="The validator's reason (required when sending back)."
    )
    created = models.DateTimeField(default=timezone.now, help_text="When it was submitted.")

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # A validator's queue: pending updates of an institution.
            models.Index(fields=["institution", "state"], name="update_institution_state"),
            # A recommendation's history and follow-up endpoint.
            models.Index(fields=["recommendation", "created"], name="update_recommendation"),
            models.Index(fields=["country", "state"], name="update_country_state"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.status} ({self.state})"


class Evidence(models.Model):
    """A file or a link that backs a status update or an assessment."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    update = models.ForeignKey(
        StatusUpdate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        help_text="The status update it backs.",
    )
    assessment = models.ForeignKey(
        "Assessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        help_text="The assessment it backs.",
    )
    kind = models.CharField(max_length=4, choices=Kind.choices, help_text="A file or a link.")
    file = models.FileField(
        upload_to="evidence/%Y/%m/",
        blank=True,
        max_length=300,
        help_text="The stored file (through Django's storage; served only as a download).",
    )
    name = models.CharField(
        max_length=255, blank=True, help_text="The file's name as uploaded, or the link's title."
    )
    size = models.PositiveBigIntegerField(default=0, help_text="Size of the file in bytes.")
    content_type = models.CharField(
        max_length=100, blank=True, help_text="Type of the file, as checked on upload."
    )
    sha256 = models.CharField(max_length=64, blank=True, help_text="Checksum of the file.")
    url = models.URLField(max_length=1000, blank=True, help_text="The link (http or https).")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(update__isnull=False) | models.Q(assessment__isnull=False),
                name="evidence_backs_something",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.url

    def get_absolute_url(self) -> str:
        return reverse("tracking-evidence", args=[self.code])


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ActionQuerySet:
        scope = perms.scope_for(user)
        if scope.admin:
            return self
        if not scope.authenticated:
            return self.none()
        q = models.Q(country_id__in=scope.coordinated) | perms.own_institution_q(scope)
        if scope.member_institutions:
            q |= models.Q(recommendations__in=perms.assigned_recommendations(scope))
        if scope.cluster:
            q |= models.Q(country_id__in=scope.cluster, institution__kind__in=perms.CLUSTER_KINDS)
        return self.filter(q).distinct()

    def editable_by(self, user: Any) -> ActionQuerySet:
        scope = perms.scope_for(user)
        if not scope.can_write:
            return self.none()
        if scope.admin:
            return self
        return self.filter(
            models.Q(country_id__in=scope.coordinated)
            | models.Q(institution_id__in=scope.writing_institutions)
        )


class Action(models.Model):
    """Something an institution will do to implement one or more recommendations.

    The same actions appear in follow-up and in national human rights action plans (a plan's
    goal links to them; they are never copied).
    """

    class Progress(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    country = models.ForeignKey(
        "recommendations.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State whose action it is.",
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="The institution responsible.",
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        blank=True,
        related_name="actions",
        help_text="The recommendations it implements.",
    )
    title = models.CharField(max_length=300, help_text="What will be done, in a line.")
    description = models.TextField(blank=True, help_text="How, with whom, what it produces.")
    start = models.DateField(null=True, blank=True, help_text="When it starts.")
    end = models.DateField(null=True, blank=True, help_text="When it is to be completed.")
    budget_amount = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Budget, when known."
    )
    budget_currency = models.CharField(
        max_length=3, blank=True, help_text="ISO 4217 code of the budget's currency (EUR, USD)."
    )
    funding_source = models.TextField(
        blank=True, help_text="Where the money comes from (State budget, a donor, a UN fund)."
    )
    progress = models.CharField(
        max_length=10,
        choices=Progress.choices,
        default=Progress.PLANNED,
        help_text="Where the action stands.",
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who planned it.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every change; an edit made on an older version conflicts."
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["country", "institution"], name="action_country")]

    def __str__(self) -> str:
        return self.title


class IndicatorQuerySet(ActionQuerySet):
    pass


class Indicator(models.Model):
    """What is measured to know whether implementation is working."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        YEARLY = "yearly", _("Yearly")
        ONCE = "once", _("Once")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    country = models.ForeignKey(
        "recommendations.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State whose indicator it is.",
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="The institution that measures it.",
    )
    action = models.ForeignKey(
        Action,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        help_text="The action it measures, if any.",
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        blank=True,
        related_name="indicators",
        help_text="The recommendations it measures progress on.",
    )
    name = models.CharField(max_length=300, help_text="What is measured.")
    description = models.TextField(blank=True, help_text="How it is measured, and from what.")
    unit = models.CharField(max_length=60, blank=True, help_text="Unit: %, persons, cases.")
    baseline = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, help_text="Value at the start."
    )
    baseline_date = models.DateField(null=True, blank=True, help_text="Date of the baseline.")
    target = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, help_text="Value to reach."
    )
    target_date = models.DateField(null=True, blank=True, help_text="When to reach the target.")
    frequency = models.CharField(
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.YEARLY,
        help_text="How often it is measured (measurements fall due by it).",
    )
    source = models.TextField(blank=True, help_text="Where the values come from.")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who defined it.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every change; an edit made on an older version conflicts."
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["country", "institution"], name="indicator_country")]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    """One dated value of an indicator, for everyone or for one part of the population."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        help_text="The indicator measured.",
    )
    date = models.DateField(help_text="Date the value is as of.")
    value = models.DecimalField(max_digits=18, decimal_places=4, help_text="The value measured.")
    sex = models.CharField(
        max_length=30, blank=True, help_text="Disaggregation by sex (empty: everyone)."
    )
    age_group = models.CharField(
        max_length=30, blank=True, help_text="Disaggregation by age group (empty: every age)."
    )
    displacement_status = models.CharField(
        max_length=40,
        blank=True,
        help_text="Disaggregation by displacement status: internally displaced, refugee, "
        "returnee, host community (empty: everyone).",
    )
    disability = models.CharField(
        max_length=30, blank=True, help_text="Disaggregation by disability (empty: everyone)."
    )
    location = models.CharField(
        max_length=120, blank=True, help_text="Disaggregation by place (empty: the whole State)."
    )
    source = models.TextField(blank=True, help_text="Where this value comes from.")
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who recorded it.",
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator_id", "date", "id"]
        indexes = [models.Index(fields=["indicator", "date"], name="measurement_indicator_date")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.date}: {self.value}"

    @property
    def disaggregation(self) -> dict[str, str]:
        return {
            name: getattr(self, name)
            for name in ("sex", "age_group", "displacement_status", "disability", "location")
            if getattr(self, name)
        }


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AssessmentQuerySet:
        """A contributor sees its own institution's; coordinators see all in their State."""
        scope = perms.scope_for(user)
        if scope.admin:
            return self
        if not scope.authenticated:
            return self.none()
        return self.filter(
            models.Q(country_id__in=scope.coordinated)
            | models.Q(institution_id__in=set(scope.contributor))
        )

    def editable_by(self, user: Any) -> AssessmentQuerySet:
        scope = perms.scope_for(user)
        if not scope.can_write:
            return self.none()
        return self.filter(institution_id__in=set(scope.contributor))


class Assessment(models.Model):
    """A national human rights institution's or civil society's own view of implementation.

    Kept apart from the State's status and shown beside it; it never changes the State's status.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="assessments",
        help_text="The recommendation assessed.",
    )
    sub_item = models.ForeignKey(
        "recommendations.SubItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
        help_text="The lettered part assessed; empty for the whole recommendation.",
    )
    country = models.ForeignKey(
        "recommendations.Country",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State concerned (copied from the recommendation, for permissions).",
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The NHRI or civil society organisation that assessed it.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="Who recorded it.",
    )
    status = models.CharField(
        max_length=30, choices=Status.choices, help_text="The status in the assessor's view."
    )
    date = models.DateField(help_text="Date the assessment is as of.")
    note = models.TextField(help_text="The assessor's reasons and sources.")
    created = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every change; an edit made on an older version conflicts."
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["recommendation", "date"], name="assessment_recommendation")
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.status}"


class EventQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> EventQuerySet:
        """History entries of objects the person may see."""
        scope = perms.scope_for(user)
        if scope.admin:
            return self
        if not scope.authenticated:
            return self.none()
        private = models.Q(kind__startswith="assessment.")
        q = models.Q(country_id__in=scope.coordinated)
        shared = models.Q(pk__in=[])
        if scope.member_institutions:
            shared |= models.Q(recommendation_id__in=perms.assigned_recommendations(scope))
        if scope.cluster:
            shared |= models.Q(country_id__in=scope.cluster) & (
                models.Q(institution__kind__in=perms.CLUSTER_KINDS) | perms.protection_q()
            )
        contributor_countries = {c for c in scope.contributor.values() if c}
        if contributor_countries:
            shared |= models.Q(country_id__in=contributor_countries, kind__in=STATE_STATUS_EVENTS)
        own = models.Q(institution_id__in=set(scope.institutions))
        return self.filter(q | own | (shared & ~private))


#: Events that change the State's status: contributors see these in their State.
STATE_STATUS_EVENTS = ("update.approved", "update.validated")


class Event(models.Model):
    """One change to follow-up data, or to an institution and its people: who, when, what
    changed. Append-only.

    The database refuses to update a row (a trigger, see migration 0002); nothing in the code
    deletes one, and what it refers to is protected from deletion. docs/decisions/0003 says why
    one table holds the history of every follow-up object.
    """

    created = models.DateTimeField(default=timezone.now, help_text="When it happened.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who did it (empty for the system, e.g. an import from the command line).",
    )
    actor_name = models.CharField(
        max_length=200, blank=True, help_text="Their name at the time, kept for the record."
    )
    actor_institution = models.CharField(
        max_length=200, blank=True, help_text="The institution they acted for, at the time."
    )
    kind = models.CharField(
        max_length=40, help_text='What happened, e.g. "assignment.created", "update.approved".'
    )
    country = models.ForeignKey(
        "recommendations.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The State concerned (for permissions); empty only for a change to an "
        "international institution or its people.",
    )
    institution = models.ForeignKey(
        "accounts.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The institution whose object changed, if any.",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="The recommendation concerned, if any.",
    )
    sub_item = models.ForeignKey(
        "recommendations.SubItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The lettered part concerned, if any.",
    )
    object_code = models.UUIDField(
        null=True, blank=True, help_text="Public code of the object that changed."
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text='What changed: {"field": [old, new]} or, on creation, {"field": value}.',
    )
    note = models.TextField(blank=True, help_text="The note or reason given with the change.")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # A recommendation's history, in order.
            models.Index(fields=["recommendation", "created"], name="event_recommendation"),
            # A State's and an institution's recent activity (dashboards, digests).
            models.Index(fields=["country", "created"], name="event_country"),
            models.Index(fields=["institution", "created"], name="event_institution"),
            models.Index(fields=["object_code"], name="event_object"),
        ]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_name or 'system'}: {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("history is append-only: an Event is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("history is append-only: an Event is never deleted")
