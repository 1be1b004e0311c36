"""People, their institutions and roles, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from rightstrack.accounts.models import ApiToken, Institution, Membership
from rightstrack.formats.exceptions import InputError
from rightstrack.recommendations.models import Country


def find_country(name: str) -> Country:
    """Return the stored Country that *name* means (name, alias or ISO code); InputError if none."""
    from rightstrack.engine.countries import resolve

    found = resolve(name)
    country = Country.objects.filter(code=found.code if found else name.strip().upper()).first()
    if country is None:
        raise InputError(f"unknown country {name!r}")
    return country


@transaction.atomic
def add_user(
    email: str,
    *,
    institution: str,
    role: str,
    country: str | None = None,
    username: str | None = None,
    password: str | None = None,
    institution_kind: str = Institution.Kind.OTHER,
) -> Membership:
    """Create or update the person with *email* and their *role* in *institution*.

    The institution is created when absent. The username is the e-mail address unless given.
    Running it again with another role changes the role; it never removes other memberships.
    Raises InputError for an unknown role or country.
    """
    if role not in Membership.Role.values:
        raise InputError(f"unknown role {role!r}; roles: {', '.join(Membership.Role.values)}")
    email = email.strip()
    if "@" not in email:
        raise InputError(f"{email!r} is not an e-mail address")
    place = find_country(country) if country else None
    user = (
        User.objects.filter(email__iexact=email).first()
        or User.objects.filter(username=username or email).first()
    )
    if user is None:
        user = User.objects.create_user(username or email, email)
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    inst = find_or_create_institution(institution, country=place, kind=institution_kind)
    membership, _ = Membership.objects.update_or_create(
        user=user, institution=inst, defaults={"role": role, "country": place}
    )
    return membership


def find_or_create_institution(
    name: str, *, country: Country | None, kind: str = Institution.Kind.OTHER
) -> Institution:
    """Return the institution called *name* in *country*, creating it when absent.

    An institution belongs to a State: "Ministry of Justice" of two States is two rows. With no
    *country*, the one institution of that name is used whatever its State; InputError when
    several States have one (the caller must say which).
    """
    name = " ".join(name.split())
    if not name:
        raise InputError("the institution needs a name")
    if country is not None:
        inst, _ = Institution.objects.get_or_create(
            name=name, country=country, defaults={"kind": kind}
        )
        return inst
    found = list(Institution.objects.filter(name__iexact=name).select_related("country")[:3])
    if len(found) > 1:
        states = ", ".join(sorted(i.country.name if i.country else "no State" for i in found))
        raise InputError(f"several institutions are called {name!r} ({states}); give --country")
    if found:
        return found[0]
    return Institution.objects.create(name=name, kind=kind)


def list_memberships() -> list[Membership]:
    """Return every membership with its person, institution and country, by institution."""
    return list(
        Membership.objects.select_related("user", "institution", "country").order_by(
            "institution__name", "user__email", "user__username"
        )
    )


def create_token(email: str, *, name: str = "") -> str:
    """Create an API token for the person with *email* (or that username); return it.

    Only the token's SHA-256 is stored, so the returned value cannot be shown again.
    Raises InputError when there is no such person.
    """
    user = (
        User.objects.filter(email__iexact=email.strip()).first()
        or User.objects.filter(username=email.strip()).first()
    )
    if user is None:
        raise InputError(f"no person with e-mail {email!r}; add them with: rightstrack users add")
    _token, plain = ApiToken.issue(user, name=name)
    return plain


# --- management pages (administrators and coordinators) --------------------------------------


def create_institution(
    *, name: str, kind: str, country: Country | None, requires_validation: bool = True
) -> Institution:
    """Create an institution of *country*; InputError when the State already has one so named."""
    name = " ".join(name.split())
    if not name:
        raise InputError("the institution needs a name")
    if kind not in Institution.Kind.values:
        raise InputError(f"unknown kind {kind!r}")
    if Institution.objects.filter(name__iexact=name, country=country).exists():
        raise InputError(f"{name!r} already exists in this State")
    return Institution.objects.create(
        name=name, kind=kind, country=country, requires_validation=requires_validation
    )


def change_institution(institution: Institution, **fields: object) -> Institution:
    """Change an institution's name, kind, validation rule or whether it is active."""
    allowed = {"name", "kind", "requires_validation", "active"}
    unknown = set(fields) - allowed
    if unknown:
        raise InputError(f"{sorted(unknown)[0]} cannot be changed here")
    if "name" in fields:
        name = " ".join(str(fields["name"]).split())
        if not name:
            raise InputError("the institution needs a name")
        clash = Institution.objects.filter(name__iexact=name, country=institution.country)
        if clash.exclude(pk=institution.pk).exists():
            raise InputError(f"{name!r} already exists in this State")
        fields["name"] = name
    if "kind" in fields and fields["kind"] not in Institution.Kind.values:
        raise InputError(f"unknown kind {fields['kind']!r}")
    for key, value in fields.items():
        setattr(institution, key, value)
    institution.save(update_fields=sorted(fields))
    return institution


@transaction.atomic
def add_person(
    *, email: str, institution: Institution, role: str, first_name: str = "", last_name: str = ""
) -> Membership:
    """Give the person with *email* (created when new, without a usable password) *role*."""
    if role not in Membership.Role.values:
        raise InputError(f"unknown role {role!r}")
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, email, first_name=first_name, last_name=last_name)
    elif first_name or last_name:
        user.first_name = first_name or user.first_name
        user.last_name = last_name or user.last_name
        user.save(update_fields=["first_name", "last_name"])
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    membership, _ = Membership.objects.update_or_create(
        user=user, institution=institution, defaults={"role": role}
    )
    return membership


def change_role(membership: Membership, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise InputError(f"unknown role {role!r}")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def remove_membership(membership: Membership) -> None:
    """Take the person out of the institution (their past work stays in the history)."""
    membership.delete()


def deactivate_person(user: User) -> None:
    """Stop the person from logging in; their name stays on what they did."""
    user.is_active = False
    user.save(update_fields=["is_active"])
