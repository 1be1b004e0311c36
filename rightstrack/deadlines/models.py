"""Procedures as data, the deadlines derived from them, committee grades, reminders sent.

- FollowUpRule: a treaty body's follow-up procedure in one period (does it run one, how many
  paragraphs, the reply period, how replies are graded, the simplified reporting procedure),
  with its source. Rules change over time: a new period is a new row.
- UprRule: the UPR's rules in one period (mid-term report after adoption, adoption after the
  Working Group session, length of a cycle), with its source.
- Deadline: what falls due when, derived from the rules and the dates of documents, reviews,
  assignments and indicators (rightstrack.deadlines.services recomputes it). Materialised so
  that the calendar, the feeds, the dashboards and the reminders read one indexed table.
- CommitteeGrade: the grade a treaty body gave a State's follow-up reply on one paragraph.
- ReminderSent: which reminder went to whom, so that nobody gets the same mail every day.

docs/procedures.md describes them in words.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightstrack.accounts import permissions as perms


class Grading(models.TextChoices):
    """How a body grades follow-up replies."""

    #: A largely satisfactory ... E contrary to the recommendation (CCPR since 2013, CAT, ...).
    LETTERS = "letters", _("A to E")
    #: The older scale with sub-grades: A, B1, B2, C1, C2, D1, D2, E.
    LETTERS_SUB = "letters_sub", _("A to E with sub-grades (B1/B2, C1/C2, D1/D2)")
    #: Implemented, partially implemented, not implemented.
    IMPLEMENTATION = "implementation", _("Implemented / partially / not implemented")
    NONE = "none", _("Not graded")


class Grade(models.TextChoices):
    A = "A", _("A: largely satisfactory")
    B = "B", _("B: partially satisfactory")
    B1 = "B1", _("B1: substantive action taken, additional information required")
    B2 = "B2", _("B2: initial action taken, additional information required")
    C = "C", _("C: not satisfactory")
    C1 = "C1", _("C1: reply received but actions taken do not implement the recommendation")
    C2 = "C2", _("C2: reply received but not relevant to the recommendation")
    D = "D", _("D: no cooperation with the Committee")
    D1 = "D1", _("D1: no reply within the deadline")
    D2 = "D2", _("D2: no reply after reminders")
    E = "E", _("E: contrary to or rejecting the recommendation")
    IMPLEMENTED = "implemented", _("Implemented")
    PARTIALLY = "partially_implemented", _("Partially implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")


#: The grades each scale allows.
GRADES_BY_SCALE: dict[str, tuple[str, ...]] = {
    Grading.LETTERS: ("A", "B", "C", "D", "E"),
    Grading.LETTERS_SUB: ("A", "B1", "B2", "C1", "C2", "D1", "D2", "E"),
    Grading.IMPLEMENTATION: ("implemented", "partially_implemented", "not_implemented"),
    Grading.NONE: (),
}


class RuleQuerySet(models.QuerySet):
    def valid_on(self, day: Any) -> RuleQuerySet:
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class FollowUpRule(models.Model):
    """A treaty body's follow-up procedure during one period."""

    body_code = models.CharField(
        max_length=60, help_text="The treaty body's code as on Body.code: CCPR, CEDAW, CRPD."
    )
    valid_from = models.DateField(help_text="First day the rule applies (by document date).")
    valid_to = models.DateField(
        null=True, blank=True, help_text="Last day it applies; empty while it still does."
    )
    runs_follow_up = models.BooleanField(
        default=True, help_text="The body asks for a follow-up reply on selected paragraphs."
    )
    paragraphs_min = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Fewest paragraphs it usually selects."
    )
    paragraphs_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most paragraphs it usually selects."
    )
    reply_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Months after the concluding observations by which the reply is due.",
    )
    grading = models.CharField(
        max_length=20,
        choices=Grading.choices,
        default=Grading.LETTERS,
        help_text="How the body grades replies.",
    )
    simplified_reporting = models.BooleanField(
        default=False,
        help_text="The body offers the simplified reporting procedure (list of issues prior "
        "to reporting) by default.",
    )
    periodic_report_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Usual months to the next periodic report when the concluding observations "
        "set no date (empty: no deadline without a date).",
    )
    note = models.TextField(blank=True, help_text="What else to know about the rule.")
    source = models.TextField(help_text="Where the rule is written (document symbol, page).")
    source_url = models.URLField(blank=True, max_length=500)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["body_code", "valid_from"]
        verbose_name = "treaty body follow-up rule"
        constraints = [
            models.UniqueConstraint(fields=["body_code", "valid_from"], name="followup_rule_once")
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.body_code} {self.valid_from.isoformat()}–{end}"


class UprRule(models.Model):
    """The UPR's follow-up rules during one period."""

    valid_from = models.DateField(help_text="First day the rule applies (by review date).")
    valid_to = models.DateField(null=True, blank=True, help_text="Last day it applies.")
    midterm_months = models.PositiveSmallIntegerField(
        default=30,
        help_text="Months after the adoption at the Council by which the voluntary mid-term "
        "report is due.",
    )
    adoption_months = models.PositiveSmallIntegerField(
        default=4,
        help_text="Months from the Working Group session to the adoption of the outcome at the "
        "Council's next regular session (used when the adoption date is not known).",
    )
    cycle_months = models.PositiveSmallIntegerField(
        default=54,
        help_text="Length of a cycle: the next review this long after the last one, when the "
        "calendar does not date it.",
    )
    note = models.TextField(blank=True)
    source = models.TextField(help_text="Where the rule is written.")
    source_url = models.URLField(blank=True, max_length=500)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from"]
        verbose_name = "UPR rule"

    def __str__(self) -> str:
        return f"UPR {self.valid_from.isoformat()}: mid-term {self.midterm_months} months"


class Kind(models.TextChoices):
    FOLLOW_UP_REPLY = "follow_up_reply", _("Follow-up reply to the treaty body")
    PERIODIC_REPORT = "periodic_report", _("Periodic report")
    UPR_MIDTERM = "upr_midterm", _("UPR mid-term report")
    UPR_REVIEW = "upr_review", _("Next UPR review")
    ASSIGNMENT_DUE = "assignment_due", _("Assignment due")
    MEASUREMENT_DUE = "measurement_due", _("Indicator measurement due")


#: Deadlines set by the mechanisms in public documents (as public as the recommendations).
PUBLIC_KINDS = (Kind.FOLLOW_UP_REPLY, Kind.PERIODIC_REPORT, Kind.UPR_MIDTERM, Kind.UPR_REVIEW)


class DeadlineQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> DeadlineQuerySet:
        return self.filter(perms.deadline_q(perms.scope_for(user)))

    def between(self, start: Any = None, end: Any = None) -> DeadlineQuerySet:
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs


class Deadline(models.Model):
    """One thing due on one date (derived; rightstrack.deadlines.services writes it)."""

    key = models.CharField(
        max_length=80, unique=True, help_text="What it is derived from, e.g. assignment:12."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField(help_text="When it is due.")
    title = models.CharField(max_length=300)
    country = models.ForeignKey(
        "recommendations.Country", on_delete=models.CASCADE, related_name="+"
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadlines",
    )
    review = models.ForeignKey(
        "recommendations.Review", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "recommendations.Document",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    institution = models.ForeignKey(
        "accounts.Institution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        "tracking.Assignment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        "tracking.Indicator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(
        max_length=300, blank=True, help_text="The rule or date it comes from, with its source."
    )
    computed = models.DateTimeField(default=timezone.now)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["country", "date"], name="deadline_country_date"),
            models.Index(fields=["institution", "date"], name="deadline_institution_date"),
            models.Index(fields=["recommendation"], name="deadline_recommendation"),
            models.Index(fields=["date"], name="deadline_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.kind}: {self.title}"

    def days_left(self, today: Any = None) -> int:
        return (self.date - (today or timezone.localdate())).days


class CommitteeGradeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CommitteeGradeQuerySet:
        """Grades are published by the committees: as visible as the State's status."""
        scope = perms.scope_for(user)
        q = perms.followup_q(scope)
        contributor_countries = {c for c in scope.contributor.values() if c}
        if contributor_countries:
            q |= models.Q(country_id__in=contributor_countries)
        return self.filter(q)


class CommitteeGrade(models.Model):
    """The grade a treaty body gave the State's follow-up reply on one paragraph."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="committee_grades"
    )
    sub_item = models.ForeignKey(
        "recommendations.SubItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The lettered part graded on its own; empty for the whole paragraph.",
    )
    country = models.ForeignKey(
        "recommendations.Country", on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey("recommendations.Body", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=25, choices=Grade.choices)
    grading = models.CharField(
        max_length=20, choices=Grading.choices, help_text="The scale the grade is on."
    )
    document = models.ForeignKey(
        "recommendations.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document_symbol = models.CharField(
        max_length=120, blank=True, help_text="The follow-up letter or report giving the grade."
    )
    date = models.DateField(help_text="Date of the assessment.")
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommitteeGradeQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["recommendation", "date"], name="grade_recommendation")]

    def __str__(self) -> str:
        return f"{self.body_id} {self.grade} ({self.date})"


class ReminderSent(models.Model):
    """One reminder stage sent to one person, so the next run does not send it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80, help_text="What it was about: a deadline, an update.")
    stage = models.CharField(max_length=20, help_text="30, 7, 1, overdue-N, a week.")
    sent_on = models.DateField(help_text="The run's date (--today).")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "stage"], name="reminder_once")
        ]
        indexes = [models.Index(fields=["user", "key"], name="reminder_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} {self.stage}"
