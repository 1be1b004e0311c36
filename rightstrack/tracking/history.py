"""A recommendation's history as a story a newcomer can follow a year later.

Each Event becomes one translatable sentence naming who did what, for which institution, and
what changed ("Alice (National Mechanism) assigned it to the Ministry of Justice as lead,
due 30 June 2027."). The sentences are built from the event's kind and its `changes`, so
old events read correctly even after the objects they describe changed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightstrack.tracking.models import Assignment, Event, Status

#: Field names as people read them, for "changed X from A to B".
FIELD_LABELS = {
    "role": gettext_lazy("role"),
    "due": gettext_lazy("due date"),
    "note": gettext_lazy("note"),
    "title": gettext_lazy("title"),
    "description": gettext_lazy("description"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "budget_amount": gettext_lazy("budget"),
    "budget_currency": gettext_lazy("currency"),
    "funding_source": gettext_lazy("funding source"),
    "progress": gettext_lazy("progress"),
    "name": gettext_lazy("name"),
    "unit": gettext_lazy("unit"),
    "baseline": gettext_lazy("baseline"),
    "baseline_date": gettext_lazy("baseline date"),
    "target": gettext_lazy("target"),
    "target_date": gettext_lazy("target date"),
    "frequency": gettext_lazy("frequency"),
    "source": gettext_lazy("source"),
    "status": gettext_lazy("status"),
    "date": gettext_lazy("date"),
    "position": gettext_lazy("position"),
    "kind": gettext_lazy("kind"),
    "requires_validation": gettext_lazy("validation of its focal points' updates"),
    "active": gettext_lazy("active"),
    "country": gettext_lazy("State"),
}


@dataclass
class Entry:
    """One line of the story."""

    event: Event
    when: Any
    who: str
    text: str
    note: str
    kind: str


def _date(value: Any) -> str:
    if not value:
        return ""
    parsed = parse_date(str(value)) if isinstance(value, str) else value
    return date_format(parsed, "DATE_FORMAT") if parsed else str(value)


def _status(value: Any) -> str:
    return str(Status(value).label) if value in Status.values else str(value or "")


def _role(value: Any) -> str:
    return str(Assignment.Role(value).label).lower() if value in Assignment.Role.values else ""


def _member_role(value: Any) -> str:
    from rightstrack.accounts.models import Membership

    return str(Membership.Role(value).label) if value in Membership.Role.values else str(value)


def _value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return _("nothing")
    if name in ("due", "start", "end", "date", "baseline_date", "target_date"):
        return _date(value)
    if name == "status":
        return _status(value)
    if name == "role":
        return _role(value)
    if name == "kind":
        from rightstrack.accounts.models import Institution

        return str(Institution.Kind(value).label) if value in Institution.Kind.values else value
    return str(value)


def _changes(changes: dict[str, Any]) -> str:
    parts = []
    for name, pair in changes.items():
        if not isinstance(pair, list) or len(pair) != 2:
            continue
        label = FIELD_LABELS.get(name, name.replace("_", " "))
        parts.append(
            _("%(field)s from %(old)s to %(new)s")
            % {"field": label, "old": _value(name, pair[0]), "new": _value(name, pair[1])}
        )
    return "; ".join(parts)


def who(event: Event) -> str:
    name = event.actor_name or _("The system")
    return f"{name} ({event.actor_institution})" if event.actor_institution else name


def sentence(event: Event) -> str:
    """Return what *event* did, as a sentence without its author (see who())."""
    c = event.changes or {}
    kind = event.kind
    part = ""
    if event.sub_item_id and event.sub_item is not None:
        part = " " + _("(sub-item %(label)s)") % {"label": event.sub_item.label}
    if kind == "assignment.created":
        text = _("assigned it to %(institution)s as %(role)s") % {
            "institution": c.get("institution", ""),
            "role": _role(c.get("role")),
        }
        if c.get("due"):
            text += ", " + _("due %(date)s") % {"date": _date(c["due"])}
        if c.get("group"):
            text += ", " + _("with the group “%(group)s”") % {"group": c["group"]}
    elif kind == "assignment.changed":
        text = _("changed the assignment of %(institution)s: %(changes)s") % {
            "institution": event.institution.name if event.institution else "",
            "changes": _changes(c),
        }
    elif kind == "assignment.ended":
        text = _("ended the assignment of %(institution)s") % {
            "institution": c.get("institution", "")
        }
    elif kind == "update.submitted":
        text = _("reported the status “%(status)s” as of %(date)s") % {
            "status": _status(c.get("status")),
            "date": _date(c.get("date")),
        }
        if c.get("evidence"):
            text += ", " + _("with evidence: %(items)s") % {"items": ", ".join(c["evidence"])}
    elif kind in ("update.approved", "update.validated"):
        status = c.get("status") or [None, None]
        if c.get("became_current", True):
            text = _("%(verb)s the update: the status is now “%(status)s”") % {
                "verb": _("approved") if kind == "update.approved" else _("validated"),
                "status": _status(status[1]),
            }
            if status[0] and status[0] != status[1]:
                text += " " + _("(it was “%(old)s”)") % {"old": _status(status[0])}
        else:
            text = _("approved an update dated %(date)s; a later update already set the status") % {
                "date": _date(c.get("date"))
            }
    elif kind == "update.rejected":
        text = _("sent back the update reporting “%(status)s”") % {
            "status": _status(c.get("status"))
        }
    elif kind == "assessment.created":
        text = _("recorded its own assessment: “%(status)s” as of %(date)s") % {
            "status": _status(c.get("status")),
            "date": _date(c.get("date")),
        }
    elif kind == "assessment.changed":
        text = _("changed its assessment: %(changes)s") % {"changes": _changes(c)}
    elif kind == "action.created":
        text = _("planned the action “%(title)s” for %(institution)s") % {
            "title": c.get("title", ""),
            "institution": c.get("institution", ""),
        }
        if c.get("start") or c.get("end"):
            text += ", " + _("from %(start)s to %(end)s") % {
                "start": _date(c.get("start")) or "…",
                "end": _date(c.get("end")) or "…",
            }
        if c.get("budget_amount"):
            text += ", " + _("budget %(amount)s %(currency)s") % {
                "amount": c["budget_amount"],
                "currency": c.get("budget_currency", ""),
            }
    elif kind == "action.changed":
        text = _("changed an action: %(changes)s") % {"changes": _changes(c)}
    elif kind == "indicator.created":
        text = _("defined the indicator “%(name)s”") % {"name": c.get("name", "")}
        if c.get("baseline") or c.get("target"):
            text += ", " + _("baseline %(baseline)s, target %(target)s") % {
                "baseline": c.get("baseline") or "…",
                "target": c.get("target") or "…",
            }
    elif kind == "indicator.changed":
        text = _("changed an indicator: %(changes)s") % {"changes": _changes(c)}
    elif kind == "measurement.added":
        text = _("recorded %(value)s %(unit)s for “%(indicator)s” as of %(date)s") % {
            "value": c.get("value", ""),
            "unit": c.get("unit", ""),
            "indicator": c.get("indicator", ""),
            "date": _date(c.get("date")),
        }
    elif kind == "label.decided":
        text = _("%(decision)s the label “%(term)s”") % {
            "decision": c.get("decision", ""),
            "term": c.get("term", ""),
        }
    elif kind == "committee_grade.recorded":
        text = _("recorded the grade %(body)s gave the follow-up reply: %(grade)s, %(date)s") % {
            "body": c.get("body", ""),
            "grade": c.get("grade", ""),
            "date": _date(c.get("date")),
        }
        if c.get("document"):
            text += " (" + str(c["document"]) + ")"
    elif kind == "position.changed":
        text = _("set the position: %(changes)s") % {"changes": _changes(c)}
    elif kind.startswith(("institution.", "membership.", "person.")):
        text = _management_sentence(event, kind, c)
    else:
        text = kind.replace(".", " ")
    return text + part + "."


def _management_sentence(event: Event, kind: str, c: dict[str, Any]) -> str:
    """Changes to an institution and its people (rightstrack.accounts.services)."""
    person = c.get("person", "")
    if kind == "institution.created":
        text = _("added the institution %(name)s (%(kind)s)") % {
            "name": c.get("name", ""),
            "kind": _value("kind", c.get("kind")),
        }
        if c.get("country"):
            text += ", " + _("in %(country)s") % {"country": c["country"]}
        return text
    if kind == "institution.changed":
        parts = []
        if "name" in c:
            parts.append(
                _("renamed it from %(old)s to %(new)s") % {"old": c["name"][0], "new": c["name"][1]}
            )
        if "active" in c:
            parts.append(_("made it active again") if c["active"][1] else _("deactivated it"))
        rest = _changes({k: v for k, v in c.items() if k not in ("name", "active")})
        if rest:
            parts.append(_("changed %(changes)s") % {"changes": rest})
        return "; ".join(parts) or _("changed the institution")
    if kind == "membership.added":
        text = _("gave %(person)s the role %(role)s") % {
            "person": person,
            "role": _member_role(c.get("role")),
        }
        if c.get("country"):
            text += ", " + _("for %(country)s") % {"country": c["country"]}
        return text
    if kind == "membership.changed":
        parts = []
        if "role" in c:
            parts.append(
                _("changed the role of %(person)s from %(old)s to %(new)s")
                % {
                    "person": person,
                    "old": _member_role(c["role"][0]),
                    "new": _member_role(c["role"][1]),
                }
            )
        if "country" in c:
            parts.append(
                _("limited the role of %(person)s to %(country)s")
                % {"person": person, "country": c["country"][1]}
                if c["country"][1]
                else _("stopped limiting the role of %(person)s to one State") % {"person": person}
            )
        return "; ".join(parts) or _("changed the role of %(person)s") % {"person": person}
    if kind == "membership.removed":
        return _("took %(person)s out of the institution (they were %(role)s)") % {
            "person": person,
            "role": _member_role(c.get("role")),
        }
    if kind == "person.deactivated":
        return _("deactivated %(person)s: they can no longer log in") % {"person": person}
    if kind == "person.reactivated":
        return _("let %(person)s log in again") % {"person": person}
    return kind.replace(".", " ")


def story(events: Any) -> list[Entry]:
    """Return the entries of *events* (an Event QuerySet or list) in order."""
    return [
        Entry(
            event=e,
            when=e.created,
            who=who(e),
            text=sentence(e),
            note=e.note,
            kind=e.kind,
        )
        for e in events
    ]
