"""Institutions, people's roles in them, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
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
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        "recommendations.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="The State the institution works in.",
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)

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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.name or self.pk} of {self.user}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:  # type: ignore[no-untyped-def]
        """Create a token for *user*; return it and the plain token, shown once."""
        plain = "rt_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.hash(plain)), plain
