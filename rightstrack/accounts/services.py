"""People, their institutions and roles, and API tokens."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from rightstrack.accounts.models import ApiToken, Institution, Membership
from rightstrack.formats.exceptions import InputError
from rightstrack.recommendations.models import Country

# --- the history of institutions and their people ---------------------------------------------
# Every change below is recorded in the one history table (rightstrack.tracking: Event, written
# by tracking.services.record in the same transaction), with no recommendation. The actor is
# the person on a web page or API call, None for the command line (the system).


def _person(user: User) -> str:
    return user.email or user.username


def _record(
    kind: str,
    *,
    actor: Any,
    institution: Institution | None,
    changes: dict[str, Any],
    country_id: int | None = None,
    note: str = "",
) -> None:
    from rightstrack.tracking.services import record

    record(
        kind,
        actor=actor,
        country_id=country_id or (institution.country_id if institution else None),
        institution_id=institution.pk if institution else None,
        obj=institution,
        changes=changes,
        note=note,
    )


def _record_membership(kind: str, membership: Membership, actor: Any, **changes: Any) -> None:
    _record(
        kind,
        actor=actor,
        institution=membership.institution,
        country_id=membership.country_id,
        changes={"person": _person(membership.user), **changes},
    )


def _record_new_institution(inst: Institution, actor: Any) -> None:
    _record(
        "institution.created",
        actor=actor,
        institution=inst,
        changes={
            "name": inst.name,
            "kind": inst.kind,
            "country": inst.country.name if inst.country else "",
            "requires_validation": inst.requires_validation,
        },
    )


def _record_deactivated(user: User, actor: Any) -> None:
    """One event per institution of the person, so that each institution's history shows it."""
    memberships = list(Membership.objects.filter(user=user).select_related("institution", "user"))
    for m in memberships:
        _record_membership("person.deactivated", m, actor)
    if not memberships:
        _record(
            "person.deactivated", actor=actor, institution=None, changes={"person": _person(user)}
        )


def _set_membership(
    user: User, inst: Institution, role: str, actor: Any, **extra: Any
) -> Membership:
    """Create the membership or change its role (and State limit), recording what changed."""
    found = Membership.objects.filter(user=user, institution=inst).first()
    if found is None:
        membership = Membership.objects.create(user=user, institution=inst, role=role, **extra)
        country = membership.country.name if membership.country else ""
        _record_membership("membership.added", membership, actor, role=role, country=country)
        return membership
    changes: dict[str, Any] = {}
    if found.role != role:
        changes["role"] = [found.role, role]
    if "country" in extra and found.country_id != getattr(extra["country"], "pk", None):
        old, new = found.country, extra["country"]
        changes["country"] = [old.name if old else "", new.name if new else ""]
    if changes:
        found.role = role
        for key, value in extra.items():
            setattr(found, key, value)
        found.save()
        _record_membership("membership.changed", found, actor, **changes)
    return found


def find_country(name: str) -> Country:
    """Return the stored Country that *name* means (name, alias or ISO code); InputError if none."""
    from rightstrack.engine.countries import resolve

    found = resolve(name)
    country = Country.objects.filter(code=found.code if found else name.strip().upper()).first()
    if country is None:
        # A State stored under a name the reference list does not know.
        country = Country.objects.filter(name__iexact=" ".join(name.split())).first()
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
    actor: Any = None,
) -> Membership:
    """Create or update the person with *email* and their *role* in *institution*.

    The institution is created when absent. The username is the e-mail address unless given.
    Running it again with another role changes the role; it never removes other memberships.
    What changed is recorded in the history (as *actor*; None: the command line). Raises
    InputError for an unknown role or country.
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
    inst = find_or_create_institution(
        institution, country=place, kind=institution_kind, actor=actor
    )
    return _set_membership(user, inst, role, actor, country=place)


def find_or_create_institution(
    name: str, *, country: Country | None, kind: str = Institution.Kind.OTHER, actor: Any = None
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
        inst, created = Institution.objects.get_or_create(
            name=name, country=country, defaults={"kind": kind}
        )
        if created:
            _record_new_institution(inst, actor)
        return inst
    found = list(Institution.objects.filter(name__iexact=name).select_related("country")[:3])
    if len(found) > 1:
        states = ", ".join(sorted(i.country.name if i.country else "no State" for i in found))
        raise InputError(f"several institutions are called {name!r} ({states}); give --country")
    if found:
        return found[0]
    inst = Institution.objects.create(name=name, kind=kind)
    _record_new_institution(inst, actor)
    return inst


def list_memberships() -> list[Membership]:
    """Return every membership with its person, institution and country, by institution."""
    return list(
        Membership.objects.select_related("user", "institution", "country").order_by(
            "institution__name", "user__email", "user__username"
        )
    )


def create_token(
    email: str, *, name: str = "", read_only: bool = False, expires: Any = None
) -> str:
    """Create an API token for the person with *email* (or that username); return it.

    *read_only* tokens may only read (GET); *expires* is a datetime, a date (the token works
    until the end of that day) or a number of days from now. Only the token's SHA-256 is
    stored, so the returned value cannot be shown again. Raises InputError when there is no
    such person or the expiry is in the past.
    """
    user = find_person(email)
    if not user.is_active:
        raise InputError(f"{email} is deactivated")
    when = None
    if expires not in (None, ""):
        now = timezone.now()
        if isinstance(expires, int):
            if expires < 1:
                raise InputError("--expires: give a number of days of 1 or more")
            when = now + timedelta(days=expires)
        elif isinstance(expires, datetime):
            when = expires
        elif isinstance(expires, date):
            when = timezone.make_aware(datetime.combine(expires + timedelta(days=1), time.min))
        else:
            raise InputError(f"--expires: {expires!r} is not a date or a number of days")
        if when <= now:
            raise InputError("--expires: the date is in the past")
    scope = ApiToken.Scope.READ if read_only else ApiToken.Scope.WRITE
    _token, plain = ApiToken.issue(user, name=name, scope=scope, expires=when)
    return plain


def add_institution(
    user,  # type: ignore[no-untyped-def]
    *,
    name: str,
    kind: str = Institution.Kind.OTHER,
    country: Country | None = None,
    parent: Institution | None = None,
    requires_validation: bool = True,
) -> Institution:
    """Create an institution as *user* (None: the command line, which may do anything).

    Administrators create any; a coordinator creates institutions of the States they
    coordinate. Raises tracking.exceptions.NotAllowed or Invalid (naming the field).
    """
    from rightstrack.accounts import permissions as perms
    from rightstrack.tracking.exceptions import Invalid, NotAllowed

    if user is not None:
        scope = perms.scope_for(user)
        if not scope.can_write or not (
            scope.admin or (country is not None and scope.manages(country.pk))
        ):
            raise NotAllowed("only an administrator, or a coordinator of its State, adds one")
    name = " ".join(str(name or "").split())
    if not name:
        raise Invalid("name", "the institution needs a name")
    if len(name) > 200:
        raise Invalid("name", "at most 200 characters")
    if kind not in Institution.Kind.values:
        raise Invalid("kind", f"{kind!r} is not one of {', '.join(Institution.Kind.values)}")
    if parent is not None and parent.country_id != (country.pk if country else None):
        raise Invalid("parent", "the parent institution works in another State")
    same = Institution.objects.filter(name__iexact=name, country=country)
    if same.exists():
        where = country.name if country else "no State"
        raise Invalid("name", f"{where} already has an institution called {name!r}")
    with transaction.atomic():
        inst = Institution.objects.create(
            name=name,
            kind=kind,
            country=country,
            parent=parent,
            requires_validation=requires_validation,
        )
        _record_new_institution(inst, user)
    return inst


@transaction.atomic
def rename_institution(
    institution: Institution, new_name: str, *, actor: Any = None
) -> Institution:
    """Rename *institution* (its history keeps the name it had at the time, and the renaming)."""
    from rightstrack.tracking.exceptions import Invalid

    name = " ".join(str(new_name or "").split())
    if not name:
        raise Invalid("name", "the institution needs a name")
    clash = Institution.objects.filter(name__iexact=name, country=institution.country_id)
    if clash.exclude(pk=institution.pk).exists():
        raise Invalid("name", f"another institution of its State is called {name!r}")
    old = institution.name
    if old != name:
        institution.name = name
        institution.save(update_fields=["name"])
        _record(
            "institution.changed",
            actor=actor,
            institution=institution,
            changes={"name": [old, name]},
        )
    return institution


def find_institution(name: str, *, country: Country | None = None) -> Institution:
    """Return the institution called *name* (in *country* when given); InputError if not one."""
    name = " ".join(name.split())
    qs = Institution.objects.filter(name__iexact=name).select_related("country")
    if country is not None:
        qs = qs.filter(country=country)
    found = list(qs[:3])
    if not found:
        where = f" in {country.name}" if country else ""
        raise InputError(f"no institution {name!r}{where}")
    if len(found) > 1:
        states = ", ".join(sorted(i.country.name if i.country else "no State" for i in found))
        raise InputError(f"several institutions are called {name!r} ({states}); give --country")
    return found[0]


def find_person(email: str) -> User:
    """Return the person with *email* (or that username); InputError if none."""
    user = (
        User.objects.filter(email__iexact=email.strip()).first()
        or User.objects.filter(username=email.strip()).first()
    )
    if user is None:
        raise InputError(f"no person with e-mail {email!r}; add them with: rightstrack users add")
    return user


@transaction.atomic
def remove_role(
    email: str, institution: str, *, country: Country | None = None, actor: Any = None
) -> Membership:
    """Remove the person's membership of *institution*; InputError when they have none."""
    user = find_person(email)
    inst = find_institution(institution, country=country)
    membership = Membership.objects.filter(user=user, institution=inst).first()
    if membership is None:
        raise InputError(f"{email} has no role at {inst.name}")
    remove_membership(membership, actor=actor)
    return membership


def deactivate(email: str, *, actor: Any = None) -> User:
    """Stop the person logging in and using their tokens; their history stays."""
    user = find_person(email)
    deactivate_person(user, actor=actor)
    return user


# --- management pages (administrators and coordinators) --------------------------------------


@transaction.atomic
def change_institution(
    institution: Institution, *, actor: Any = None, **fields: object
) -> Institution:
    """Change an institution's name, kind, validation rule or whether it is active.

    What changed goes into the history as one event (as *actor*); no change, no event.
    """
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
    changes = {
        key: [getattr(institution, key), value]
        for key, value in fields.items()
        if getattr(institution, key) != value
    }
    for key, value in fields.items():
        setattr(institution, key, value)
    institution.save(update_fields=sorted(fields))
    if changes:
        _record("institution.changed", actor=actor, institution=institution, changes=changes)
    return institution


@transaction.atomic
def add_person(
    *,
    email: str,
    institution: Institution,
    role: str,
    first_name: str = "",
    last_name: str = "",
    actor: Any = None,
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
    reactivated = not user.is_active
    if reactivated:
        user.is_active = True
        user.save(update_fields=["is_active"])
    membership = _set_membership(user, institution, role, actor)
    if reactivated:
        _record_membership("person.reactivated", membership, actor)
    return membership


@transaction.atomic
def change_role(membership: Membership, role: str, *, actor: Any = None) -> Membership:
    if role not in Membership.Role.values:
        raise InputError(f"unknown role {role!r}")
    old = membership.role
    if old != role:
        membership.role = role
        membership.save(update_fields=["role"])
        _record_membership("membership.changed", membership, actor, role=[old, role])
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, actor: Any = None) -> None:
    """Take the person out of the institution (their past work stays in the history)."""
    _record_membership("membership.removed", membership, actor, role=membership.role)
    membership.delete()


@transaction.atomic
def deactivate_person(user: User, *, actor: Any = None) -> None:
    """Stop the person from logging in; their name stays on what they did."""
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    _record_deactivated(user, actor)
