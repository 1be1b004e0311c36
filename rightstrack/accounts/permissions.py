"""Who may see and do what: the one place that decides it.

Every page, API endpoint, export, feed and e-mail asks this module (directly, or through the
`visible_to(user)` / `editable_by(user)` QuerySet methods built on it). Nothing else decides
permissions. docs/roles.md describes the rules in words; the access-matrix tests check them.

The rules, in short:

- Recommendations are public UN text: anyone may read them.
- Follow-up data (assignments, status, updates, actions, indicators, assessments, history)
  belongs to a State and to an institution:
  - an **administrator** sees and does everything;
  - a **coordinator** (the NMRF secretariat) sees and manages everything of the States they
    coordinate: assigns, manages institutions and people, imports, approves updates;
  - a **focal point**, **validator** or **viewer** of an institution sees the follow-up of the
    recommendations assigned to that institution (work on a recommendation is shared by the
    institutions assigned to it); a focal point submits updates and plans actions and
    indicators, a validator approves its institution's updates, a viewer only reads;
  - a **cluster coordinator** sees the protection-relevant recommendations' follow-up and the
    cluster partners' work in the States of their memberships, assigns cluster partners and
    may import documents for those States;
  - a **contributor** of a national human rights institution or civil society organisation
    sees the State's status of its State's recommendations and records its own assessments,
    which never change the State's status.
- A read-only role asking to write gets 403; an object of another institution or State
  answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

#: Roles, as stored on Membership.role (kept as plain strings so this module imports cheaply).
ADMIN = "admin"
COORDINATOR = "coordinator"
FOCAL_POINT = "focal_point"
VALIDATOR = "validator"
CLUSTER_COORDINATOR = "cluster_coordinator"
CONTRIBUTOR = "contributor"
VIEWER = "viewer"

#: Roles that work through their institution's assignments.
INSTITUTION_ROLES = frozenset({FOCAL_POINT, VALIDATOR, VIEWER})
#: Roles that may change follow-up data of their institution's assignments.
INSTITUTION_WRITERS = frozenset({FOCAL_POINT})
#: Kinds of institution whose contributors record independent assessments.
ASSESSING_KINDS = frozenset({"nhri", "cso"})
#: Kinds of institution a cluster coordinator follows and may assign.
CLUSTER_KINDS = frozenset({"cluster", "un_agency"})
#: Roles that may decide on classifier suggestions and recommendation groups (rightstrack.
#: analysis); other members (viewers, focal points) may only look.
REVIEW_ROLES = frozenset({ADMIN, COORDINATOR, CLUSTER_COORDINATOR, VALIDATOR, CONTRIBUTOR})


@dataclass
class Scope:
    """What one person's memberships allow, computed once per request (see scope_for)."""

    user_id: int | None = None
    authenticated: bool = False
    admin: bool = False
    #: Country ids of the States the person coordinates.
    coordinated: set[int] = field(default_factory=set)
    #: Country ids where the person is a cluster coordinator.
    cluster: set[int] = field(default_factory=set)
    #: Institution id -> the person's roles there.
    institutions: dict[int, set[str]] = field(default_factory=dict)
    #: Institution id -> its country id (None for an international institution).
    institution_country: dict[int, int | None] = field(default_factory=dict)
    #: Institution id -> its kind.
    institution_kind: dict[int, str] = field(default_factory=dict)
    #: Country ids where the person contributes assessments, by institution id.
    contributor: dict[int, int | None] = field(default_factory=dict)
    #: Country ids of every State the person has any role in.
    countries: set[int] = field(default_factory=set)
    #: Country ids where the person reviews suggestions and groups (a reviewing role limited
    #: to that State); see review_all for a reviewing role not limited to one State.
    reviewed: set[int] = field(default_factory=set)
    #: A reviewing role not limited to one State: reviews every State.
    review_all: bool = False
    #: Write access allowed for this request (False for a read-only API token).
    can_write: bool = True

    # --- what the person belongs to -------------------------------------------------------

    def institutions_with(self, roles: Iterable[str]) -> set[int]:
        wanted = set(roles)
        return {i for i, have in self.institutions.items() if have & wanted}

    @property
    def member_institutions(self) -> set[int]:
        """Institutions whose assignments the person follows (focal point, validator, viewer)."""
        return self.institutions_with(INSTITUTION_ROLES)

    @property
    def writing_institutions(self) -> set[int]:
        return self.institutions_with(INSTITUTION_WRITERS) if self.can_write else set()

    @property
    def validating_institutions(self) -> set[int]:
        return self.institutions_with({VALIDATOR}) if self.can_write else set()

    @property
    def has_any_role(self) -> bool:
        return self.admin or bool(self.institutions)

    # --- capabilities ---------------------------------------------------------------------

    def coordinates(self, country_id: int | None) -> bool:
        return self.admin or (country_id is not None and country_id in self.coordinated)

    def manages(self, country_id: int | None) -> bool:
        """May assign, manage institutions and people, and decide updates in this State."""
        return self.can_write and self.coordinates(country_id)

    def may_import(self) -> bool:
        return self.can_write and (self.admin or bool(self.coordinated or self.cluster))

    def importable_countries(self) -> set[int] | None:
        """Country ids this person's imports may change; None for every State."""
        if not self.may_import():
            return set()
        if self.admin:
            return None
        return self.coordinated | self.cluster

    def may_assign_to(self, country_id: int, institution_kind: str) -> bool:
        if self.manages(country_id):
            return True
        return self.can_write and country_id in self.cluster and institution_kind in CLUSTER_KINDS

    def may_assess(self, country_id: int) -> bool:
        return self.can_write and any(
            c == country_id or c is None for c in self.contributor.values()
        )

    def review_countries(self) -> set[int] | None:
        """Country ids whose suggestions and groups the person may review; None for every State.

        A reviewing role (REVIEW_ROLES) limited to one State reviews that State, even an
        administrator's; one not limited to a State, and a superuser, review every State.
        """
        if not self.can_write:
            return set()
        if self.review_all:
            return None
        return set(self.reviewed)

    def may_review(self, country_id: int | None) -> bool:
        countries = self.review_countries()
        return countries is None or (country_id is not None and country_id in countries)

    def may_review_all(self, country_ids: Iterable[int]) -> bool:
        """May review every one of these States (a group spanning them); False for none."""
        countries = self.review_countries()
        if countries is None:
            return True
        wanted = set(country_ids)
        return bool(countries) and wanted <= countries

    @property
    def reviews_any(self) -> bool:
        countries = self.review_countries()
        return countries is None or bool(countries)

    def assessing_institutions(self, country_id: int) -> set[int]:
        if not self.can_write:
            return set()
        return {i for i, c in self.contributor.items() if c == country_id or c is None}


def scope_for(user: Any) -> Scope:
    """Return the Scope of *user*, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_rightstrack_scope", None)
    if cached is not None:
        return cached
    from rightstrack.accounts.models import Membership

    superuser = bool(user.is_superuser)
    scope = Scope(user_id=user.pk, authenticated=True, admin=superuser, review_all=superuser)
    rows = Membership.objects.filter(user_id=user.pk, institution__active=True).values_list(
        "role",
        "institution_id",
        "institution__country_id",
        "institution__kind",
        "country_id",
    )
    for role, inst, inst_country, kind, limit in rows:
        # A membership limited to a State applies to it; otherwise to the institution's State.
        country = limit or inst_country
        scope.institutions.setdefault(inst, set()).add(role)
        scope.institution_country[inst] = inst_country
        scope.institution_kind[inst] = kind
        if country is not None:
            scope.countries.add(country)
        if role in REVIEW_ROLES:
            # Reviewing follows the membership's own limit: one not limited to a State
            # reviews every State.
            if limit is None:
                scope.review_all = True
            else:
                scope.reviewed.add(limit)
        if role == ADMIN:
            scope.admin = True
        elif role == COORDINATOR and country is not None:
            scope.coordinated.add(country)
        elif role == CLUSTER_COORDINATOR and country is not None:
            scope.cluster.add(country)
        elif role == CONTRIBUTOR and kind in ASSESSING_KINDS:
            scope.contributor[inst] = country
    token = getattr(user, "_rightstrack_token", None)
    if token is not None and not token.can_write:
        scope.can_write = False
    user._rightstrack_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached Scope (after the person's memberships changed)."""
    if user is not None and hasattr(user, "_rightstrack_scope"):
        del user._rightstrack_scope


# --- Q objects the QuerySets combine -----------------------------------------------------------


def assigned_recommendations(scope: Scope) -> Any:
    """Return a subquery of the recommendation ids assigned to the person's institutions."""
    from rightstrack.tracking.models import Assignment

    return Assignment.objects.filter(
        institution_id__in=scope.member_institutions, active=True
    ).values("recommendation_id")


def protection_q(recommendation: str = "recommendation") -> Q:
    return Q(**{f"{recommendation}__analysis__protection_relevant": True})


def followup_q(
    scope: Scope,
    *,
    country: str = "country",
    recommendation: str = "recommendation",
    institution: str = "",
) -> Q:
    """Return the Q for follow-up rows the person may see.

    *country* and *recommendation* name the row's State and recommendation fields;
    *institution* names the row's owning institution field, when it has one. The rows are
    those of the States the person coordinates, of the recommendations assigned to their
    institutions, of their own institutions, and (cluster coordinators) of cluster partners
    and protection-relevant recommendations in their States.
    """
    if scope.admin:
        return Q()
    if not scope.authenticated:
        return Q(pk__in=[])
    q = Q(**{f"{country}_id__in": scope.coordinated}) if scope.coordinated else Q(pk__in=[])
    if scope.member_institutions:
        q |= Q(**{f"{recommendation}_id__in": assigned_recommendations(scope)})
    if institution and scope.institutions:
        q |= Q(**{f"{institution}_id__in": set(scope.institutions)})
    if scope.cluster:
        in_cluster = Q(**{f"{country}_id__in": scope.cluster})
        partners = Q(**{f"{institution}__kind__in": CLUSTER_KINDS}) if institution else Q(pk__in=[])
        q |= in_cluster & (partners | protection_q(recommendation))
    return q


def own_institution_q(scope: Scope, institution: str = "institution") -> Q:
    return Q(**{f"{institution}_id__in": set(scope.institutions)})


def followup_recommendation_q(scope: Scope) -> Q:
    """Return the Q, on Recommendation, of the recommendations whose follow-up the person sees.

    Those of the States they coordinate; those assigned (now or before) to their institutions;
    protection-relevant ones in the States of a cluster coordinator; and, for a contributor of
    an NHRI or civil society organisation, those of its State (the State's status, beside which
    it sets its own assessments).
    """
    from rightstrack.tracking.models import Assignment

    if scope.admin:
        return Q()
    if not scope.authenticated:
        return Q(pk__in=[])
    q = Q(country_id__in=scope.coordinated) if scope.coordinated else Q(pk__in=[])
    if scope.institutions:
        q |= Q(
            pk__in=Assignment.objects.filter(institution_id__in=set(scope.institutions)).values(
                "recommendation_id"
            )
        )
    if scope.cluster:
        q |= Q(country_id__in=scope.cluster, analysis__protection_relevant=True)
    contributor_countries = {c for c in scope.contributor.values() if c}
    if contributor_countries:
        q |= Q(country_id__in=contributor_countries)
    return q


#: Deadline kinds set in public UN documents (rightstrack.deadlines.models.PUBLIC_KINDS).
PUBLIC_DEADLINE_KINDS = ("follow_up_reply", "periodic_report", "upr_midterm", "upr_review")


def deadline_q(scope: Scope) -> Q:
    """Return the Q for the deadlines (rightstrack.deadlines.Deadline) a person may see.

    A deadline of follow-up work (an assignment's due date, an indicator's measurement) is as
    visible as that work (followup_q). A deadline set in a public UN document (a follow-up
    reply, a periodic report, a mid-term report, the next review) is seen by whoever sees the
    recommendation's follow-up, and, when it concerns a whole review or report, by everyone
    with a role in that State.
    """
    if scope.admin:
        return Q()
    if not scope.authenticated:
        return Q(pk__in=[])
    q = followup_q(scope, institution="institution")
    public = Q(kind__in=PUBLIC_DEADLINE_KINDS)
    if scope.countries:
        q |= public & Q(recommendation__isnull=True, country_id__in=scope.countries)
    contributor_countries = {c for c in scope.contributor.values() if c}
    if contributor_countries:
        q |= public & Q(country_id__in=contributor_countries)
    return q


# --- national human rights action plans (rightstrack.plans) -----------------------------------


def plan_q(scope: Scope, country: str = "country") -> Q:
    """Action plans the person may read: every plan of a State they have any role in."""
    if scope.admin:
        return Q()
    if not scope.authenticated or not scope.countries:
        return Q(pk__in=[])
    return Q(**{f"{country}_id__in": scope.countries})


def plan_edit_q(scope: Scope, country: str = "country") -> Q:
    """Action plans the person may change: the coordinators of its State (and administrators)."""
    if not scope.can_write or not scope.authenticated:
        return Q(pk__in=[])
    if scope.admin:
        return Q()
    return Q(**{f"{country}_id__in": scope.coordinated}) if scope.coordinated else Q(pk__in=[])
