"""Institutions, people's roles in them, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or government body")
        NMRF = "nmrf", _("National mechanism for reporting and follow-up")
        NHRI = "nhri", _("National human rights institution")
        CSO = "cso", _("Civil society organisation")
        UN_AGENCY = "un_agency", _("UN agency")
        CLUSTER = "cluster", _("Protection cluster or cluster partner")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        max_length=200,
        help_text="Its name; unique within its State (two States each have a Ministry of Justice).",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text="What sort of institution it is; decides what its members may do.",
    )
    country = models.ForeignKey(
        "recommendations.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="The State the institution works in (empty for an international one).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The institution it is part of (a directorate of a ministry).",
    )
    requires_validation = models.BooleanField(
        default=True,
        help_text="Status updates by its focal points wait for its validator's approval.",
    )
    active = models.BooleanField(
        default=True, help_text="Unticked when it no longer exists; its history stays."
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="institution_country_name"),
            # NULL countries are distinct in SQL: international institutions need their own.
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(country__isnull=True),
                name="institution_international_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        #: Coordinates follow-up for a State (the NMRF secretariat).
        COORDINATOR = "coordinator", _("Coordinator")
        #: Reports progress on the recommendations assigned to the institution.
        FOCAL_POINT = "focal_point", _("Focal point")
        #: Approves the focal point's updates for the institution.
        VALIDATOR = "validator", _("Validator")
        CLUSTER_COORDINATOR = "cluster_coordinator", _("Cluster coordinator")
        CONTRIBUTOR = "contributor", _("Contributor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    country = models.ForeignKey(
        "recommendations.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Limits the role to one State, when set.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="membership_user_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}, {self.institution})"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    class Scope(models.TextChoices):
        #: GET requests only.
        READ = "read", _("Read")
        #: Reading and writing, within what the person's roles allow.
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    scope = models.CharField(
        max_length=10,
        choices=Scope.choices,
        default=Scope.WRITE,
        help_text="What requests it may make; never more than its person's roles allow.",
    )
    expires = models.DateTimeField(
        null=True, blank=True, help_text="After this moment the token is refused (never if empty)."
    )
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.name or self.pk} of {self.user}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(  # type: ignore[no-untyped-def]
        cls, user, name: str = "", *, scope: str = Scope.WRITE, expires=None
    ) -> tuple[ApiToken, str]:
        """Create a token for *user*; return it and the plain token, shown once."""
        plain = "rt_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=cls.hash(plain), scope=scope, expires=expires
        )
        return token, plain

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


def new_calendar_secret() -> str:
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    """What a person prefers: language of their mail, reminders, their calendar feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text="Language of the e-mails they receive.",
    )
    email_reminders = models.BooleanField(
        default=True, help_text="Unticked when the person opts out of reminder e-mails."
    )
    calendar_secret = models.CharField(
        max_length=64,
        unique=True,
        default=new_calendar_secret,
        help_text="The secret part of their iCalendar feed address; renewing it voids the old one.",
    )

    def __str__(self) -> str:
        return f"profile of {self.user}"

    @classmethod
    def for_user(cls, user) -> Profile:  # type: ignore[no-untyped-def]
        profile, _ = cls.objects.get_or_create(user=user)
        return profile

    def renew_calendar_secret(self) -> str:
        self.calendar_secret = new_calendar_secret()
        self.save(update_fields=["calendar_secret"])
        return self.calendar_secret
