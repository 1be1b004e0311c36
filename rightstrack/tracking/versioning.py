"""One way every versioned change is written and told: `bump` (optimistic locking on the
row's `version`), `diff` (what changes, as [old, new] pairs) and `record` (the Event in the
history), used by the follow-up services and by the plans app alike."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model
from django.db.models.signals import post_save

from rightstrack.tracking.exceptions import Conflict, Invalid

#: Highest version an object can have (PositiveIntegerField: 2**31 - 1 on every database).
#: A version from outside 1..MAX_VERSION was never stored: it is refused before any query, as
#: a number that big would overflow the database's integer (OverflowError, a 500).
MAX_VERSION = 2**31 - 1


def bump(model: type[Model], obj: Any, version: Any, fields: dict[str, Any]) -> None:
    """Write *fields* on *obj* if its stored version is still *version*; else Conflict.

    *version* is what the client read (a form's or the API's field): missing, not a number or
    out of range is Invalid("version").
    """
    if isinstance(version, bool):
        version = "not a number"
    try:
        expected = int(str(version).strip()) if isinstance(version, str) else int(version)
    except (TypeError, ValueError, OverflowError):
        raise Invalid("version", "the version of the object you edited is required") from None
    if not 1 <= expected <= MAX_VERSION:
        raise Invalid("version", f"must be a version number from 1 to {MAX_VERSION}")
    done = model.objects.filter(pk=obj.pk, version=expected).update(
        **fields, version=F("version") + 1
    )
    if not done:
        current = model.objects.get(pk=obj.pk)
        raise Conflict(
            "someone else changed this since you opened it; look at their change and try again",
            current=current,
        )
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version = expected + 1
    # An update() sends no signal: tell receivers (rightstrack.deadlines recomputes due dates).
    post_save.send(
        sender=model, instance=obj, created=False, update_fields=frozenset(fields), raw=False
    )


def diff(obj: Any, wanted: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [stored, wanted]} for the fields of *wanted* that differ on *obj*."""
    return {
        name: [getattr(obj, name), value]
        for name, value in wanted.items()
        if getattr(obj, name) != value
    }
