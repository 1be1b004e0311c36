"""The one way follow-up data changes: permission-checked, conflict-checked, attributed.

Every function takes the acting person first, checks what they may do with
rightstrack.accounts.permissions, writes in one transaction and records an Event in it.
They raise rightstrack.tracking.exceptions: NotFound (the person may not see the object:
404), NotAllowed (they see it but may not do this: 403), Invalid (400, naming the field) and
Conflict (409: someone changed it since they read it; `current` holds what it is now).
Pages, the API and the command line call these and never write follow-up rows themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone

from rightstrack.accounts import permissions as perms
from rightstrack.accounts.models import Institution
from rightstrack.recommendations.models import Recommendation, RecommendationGroup, SubItem
from rightstrack.tracking import evidence as ev
from rightstrack.tracking.exceptions import Conflict, Invalid, NotAllowed, NotFound
from rightstrack.tracking.models import (
    Action,
    Assessment,
    Assignment,
    Event,
    Evidence,
    FollowUp,
    Indicator,
    Measurement,
    Status,
    StatusUpdate,
)
from rightstrack.tracking.versioning import bump as _bump
from rightstrack.tracking.versioning import diff as _diff

#: How many evidence files and links one update or assessment may carry.
MAX_EVIDENCE = 20


# --- history ----------------------------------------------------------------------------------


def acting_institution(user: Any, country_id: int | None, preferred: int | None = None) -> str:
    """Return the name of the institution *user* acts for in *country_id* (for the record)."""
    scope = perms.scope_for(user)
    if not scope.authenticated:
        return ""
    candidates = [preferred] if preferred in scope.institutions else []
    candidates += sorted(
        (i for i, c in scope.institution_country.items() if c == country_id),
        key=lambda i: i != preferred,
    )
    candidates += sorted(scope.institutions)
    if not candidates:
        return ""
    return Institution.objects.filter(pk=candidates[0]).values_list("name", flat=True).first() or ""


def record(
    kind: str,
    *,
    actor: Any,
    country_id: int,
    recommendation_id: int | None = None,
    sub_item_id: int | None = None,
    institution_id: int | None = None,
    obj: Any = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    acting_for: str | None = None,
) -> Event:
    """Append one Event to the history (call inside the transaction that made the change)."""
    authenticated = getattr(actor, "is_authenticated", False)
    name = ""
    if authenticated:
        name = actor.get_full_name() or actor.get_username()
    if acting_for is None:
        acting_for = acting_institution(actor, country_id, institution_id) if authenticated else ""
    return Event.objects.create(
        actor=actor if authenticated else None,
        actor_name=name[:200],
        actor_institution=acting_for[:200],
        kind=kind,
        country_id=country_id,
        institution_id=institution_id,
        recommendation_id=recommendation_id,
        sub_item_id=sub_item_id,
        object_code=getattr(obj, "code", None),
        changes=_jsonable(changes or {}),
        note=note,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    return value


# --- lookups that answer 404 for what the person may not see -----------------------------------


def _visible(qs: QuerySet, user: Any, **lookup: Any) -> Any:
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("not found") from None


def get_assignment(user: Any, code: Any) -> Assignment:
    return _visible(
        Assignment.objects.select_related("institution", "recommendation", "sub_item"),
        user,
        code=code,
    )


def get_update(user: Any, code: Any) -> StatusUpdate:
    return _visible(
        StatusUpdate.objects.select_related("institution", "author", "recommendation"),
        user,
        code=code,
    )


def get_action(user: Any, code: Any) -> Action:
    return _visible(Action.objects.select_related("institution"), user, code=code)


def get_indicator(user: Any, code: Any) -> Indicator:
    return _visible(Indicator.objects.select_related("institution", "action"), user, code=code)


def get_assessment(user: Any, code: Any) -> Assessment:
    return _visible(Assessment.objects.select_related("institution"), user, code=code)


def _sub_item(recommendation: Recommendation, sub_item: Any) -> SubItem | None:
    if sub_item in (None, ""):
        return None
    if isinstance(sub_item, SubItem):
        found = sub_item if sub_item.recommendation_id == recommendation.pk else None
    else:
        found = (
            recommendation.sub_items.filter(code=sub_item).first()
            if _is_uuid(sub_item)
            else recommendation.sub_items.filter(label=str(sub_item).strip("() ")).first()
        )
    if found is None:
        raise Invalid("sub_item", f"{sub_item} is not a sub-item of this recommendation")
    return found


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def follow_up_of(recommendation: Recommendation, sub_item: SubItem | None = None) -> FollowUp:
    """Return the FollowUp row of a recommendation or sub-item, creating it (not started)."""
    found = FollowUp.objects.filter(recommendation=recommendation, sub_item=sub_item).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return FollowUp.objects.create(
                recommendation=recommendation,
                sub_item=sub_item,
                country_id=recommendation.country_id,
            )
    except IntegrityError:
        # Another request created it between the two statements.
        return FollowUp.objects.get(recommendation=recommendation, sub_item=sub_item)


# --- input checks -------------------------------------------------------------------------------


def _status(value: Any, field: str = "status") -> str:
    if value not in Status.values:
        raise Invalid(field, f"{value!r} is not one of {', '.join(Status.values)}")
    return str(value)


def _date(value: Any, field: str, *, required: bool = True, past: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise Invalid(field, "a date (YYYY-MM-DD) is required")
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise Invalid(field, f"{str(value)[:40]!r} is not a date (YYYY-MM-DD)") from None
    if past and value > timezone.localdate():
        raise Invalid(field, "the date is in the future")
    if not dt.date(1945, 1, 1) <= value <= dt.date(2200, 12, 31):
        raise Invalid(field, "the date is out of range")
    return value


def _text(value: Any, field: str, *, required: bool = False, limit: int = 20_000) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(field, "this field is required")
    if len(text) > limit:
        raise Invalid(field, f"at most {limit:,} characters")
    return text


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise Invalid(field, f"{str(value)[:40]!r} is not a number") from None
    if not number.is_finite() or abs(number) >= Decimal("1e13"):
        raise Invalid(field, "the number is out of range")
    return number


def _role(value: Any) -> str:
    if value not in Assignment.Role.values:
        raise Invalid("role", f"{value!r} is not one of {', '.join(Assignment.Role.values)}")
    return str(value)


def _institution_for(recommendation: Recommendation, institution: Any) -> Institution:
    if not isinstance(institution, Institution):
        found = None
        if _is_uuid(institution):
            found = Institution.objects.filter(code=institution, active=True).first()
        if found is None:
            raise Invalid("institution", f"no institution {institution!r}")
        institution = found
    if institution.country_id not in (None, recommendation.country_id):
        raise Invalid(
            "institution",
            f"{institution.name} works in another State than {recommendation.country}",
        )
    return institution


def _evidence(files: Sequence[Any], links: Sequence[str]) -> tuple[list[ev.CheckedFile], list[str]]:
    if len(files) + len(links) > MAX_EVIDENCE:
        raise Invalid("evidence", f"at most {MAX_EVIDENCE} files and links")
    checked = [ev.check_file(f) for f in files]
    return checked, [ev.check_link(u) for u in links if str(u).strip()]


def _save_evidence(
    files: list[ev.CheckedFile], links: list[str], *, update: Any = None, assessment: Any = None
) -> list[str]:
    """Store the files and create the Evidence rows; return the storage names written."""
    stored = []
    rows = []
    for checked in files:
        name = ev.store(checked)
        stored.append(name)
        rows.append(
            Evidence(
                update=update,
                assessment=assessment,
                kind=Evidence.Kind.FILE,
                file=name,
                name=checked.name,
                size=checked.size,
                content_type=checked.content_type,
                sha256=checked.sha256,
            )
        )
    rows += [
        Evidence(update=update, assessment=assessment, kind=Evidence.Kind.LINK, url=u, name=u)
        for u in links
    ]
    Evidence.objects.bulk_create(rows)
    return stored


def _discard(stored: Iterable[str]) -> None:
    from django.core.files.storage import default_storage

    for name in stored:
        default_storage.delete(name)


# --- assignments --------------------------------------------------------------------------------


def assign(
    user: Any,
    recommendation: Recommendation,
    institution: Any,
    *,
    role: str = Assignment.Role.LEAD,
    due: Any = None,
    sub_item: Any = None,
    group: RecommendationGroup | None = None,
    note: str = "",
) -> tuple[Assignment, bool]:
    """Assign *recommendation* (or its *sub_item*) to *institution*; return it and whether new.

    Assigning again what is already assigned to that institution changes nothing and returns
    the existing assignment (so assigning a whole search result twice is safe). *user* None is
    the command line (`rightstrack assign`), which acts for the installation's administrator;
    its history entries name "the system".
    """
    scope = perms.scope_for(user)
    institution = _institution_for(recommendation, institution)
    if user is not None and not scope.may_assign_to(recommendation.country_id, institution.kind):
        raise NotAllowed("you may not assign recommendations of this State to this institution")
    role = _role(role)
    due = _date(due, "due", required=False)
    note = _text(note, "note")
    item = _sub_item(recommendation, sub_item)
    with transaction.atomic():
        existing = Assignment.objects.filter(
            recommendation=recommendation, sub_item=item, institution=institution, active=True
        ).first()
        if existing is not None:
            return existing, False
        follow_up_of(recommendation, item)
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    recommendation=recommendation,
                    sub_item=item,
                    group=group,
                    country_id=recommendation.country_id,
                    institution=institution,
                    role=role,
                    due=due,
                    note=note,
                    created_by=user if scope.authenticated else None,
                )
        except IntegrityError:
            return Assignment.objects.get(
                recommendation=recommendation, sub_item=item, institution=institution, active=True
            ), False
        record(
            "assignment.created",
            actor=user,
            country_id=recommendation.country_id,
            recommendation_id=recommendation.pk,
            sub_item_id=item.pk if item else None,
            institution_id=institution.pk,
            obj=assignment,
            changes={
                "institution": institution.name,
                "role": role,
                "due": due,
                **({"group": group.title or str(group.code)} if group else {}),
            },
            note=note,
        )
    return assignment, True


def assign_many(
    user: Any,
    recommendations: Iterable[Recommendation],
    institution: Any,
    *,
    role: str = Assignment.Role.LEAD,
    due: Any = None,
    group: RecommendationGroup | None = None,
    note: str = "",
) -> tuple[list[Assignment], int]:
    """Assign every recommendation; return the new assignments and how many already were.

    One transaction: a recommendation the person may not assign stops the whole batch
    (NotAllowed), so nothing is half-assigned.
    """
    created, existing = [], 0
    with transaction.atomic():
        for rec in recommendations:
            assignment, new = assign(
                user, rec, institution, role=role, due=due, group=group, note=note
            )
            if new:
                created.append(assignment)
            else:
                existing += 1
    return created, existing


def assign_group(user: Any, group: RecommendationGroup, institution: Any, **kwargs: Any) -> Any:
    """Assign every recommendation of a confirmed group; see assign_many."""
    if group.status != RecommendationGroup.Status.CONFIRMED:
        raise Invalid("group", "only a confirmed group can be assigned; confirm it first")
    members = Recommendation.objects.filter(group_memberships__group=group).order_by("id")
    return assign_many(user, members, institution, group=group, **kwargs)


def change_assignment(
    user: Any, assignment: Assignment, *, version: Any, reason: str = "", **changes: Any
) -> Assignment:
    """Change an assignment's role, due date or note (*reason*: why, kept in the history)."""
    if not Assignment.objects.editable_by(user).filter(pk=assignment.pk).exists():
        raise NotAllowed("you may not change this assignment")
    wanted: dict[str, Any] = {}
    if "role" in changes:
        wanted["role"] = _role(changes.pop("role"))
    if "due" in changes:
        wanted["due"] = _date(changes.pop("due"), "due", required=False)
    if "note" in changes:
        wanted["note"] = _text(changes.pop("note"), "note")
    if changes:
        raise Invalid(next(iter(changes)), "this field cannot be changed here")
    with transaction.atomic():
        diff = _diff(assignment, wanted)
        _bump(Assignment, assignment, version, wanted)
        if diff:
            record(
                "assignment.changed",
                actor=user,
                country_id=assignment.country_id,
                recommendation_id=assignment.recommendation_id,
                sub_item_id=assignment.sub_item_id,
                institution_id=assignment.institution_id,
                obj=assignment,
                changes=diff,
                note=reason,
            )
    return assignment


def end_assignment(user: Any, assignment: Assignment, *, version: Any, note: str = "") -> None:
    """End an assignment (the institution no longer follows it up); its history stays."""
    if not Assignment.objects.editable_by(user).filter(pk=assignment.pk).exists():
        raise NotAllowed("you may not end this assignment")
    with transaction.atomic():
        _bump(Assignment, assignment, version, {"active": False})
        record(
            "assignment.ended",
            actor=user,
            country_id=assignment.country_id,
            recommendation_id=assignment.recommendation_id,
            sub_item_id=assignment.sub_item_id,
            institution_id=assignment.institution_id,
            obj=assignment,
            changes={"institution": assignment.institution.name},
            note=_text(note, "note"),
        )


# --- status updates -----------------------------------------------------------------------------


def reporting_institutions(user: Any, recommendation: Recommendation) -> list[Institution]:
    """Return the institutions *user* may report progress for on *recommendation*."""
    scope = perms.scope_for(user)
    if not scope.can_write:
        return []
    assigned = Assignment.objects.filter(recommendation=recommendation, active=True)
    ids = set(
        assigned.filter(institution_id__in=scope.writing_institutions).values_list(
            "institution_id", flat=True
        )
    )
    if scope.cluster and recommendation.country_id in scope.cluster:
        ids |= set(
            assigned.filter(
                institution_id__in=scope.institutions_with({perms.CLUSTER_COORDINATOR})
            ).values_list("institution_id", flat=True)
        )
    if scope.manages(recommendation.country_id):
        # A coordinator reports for its own institution (the national mechanism).
        ids |= {
            i
            for i, roles in scope.institutions.items()
            if roles & {perms.COORDINATOR, perms.ADMIN}
            and scope.institution_country.get(i) in (recommendation.country_id, None)
        }
        if scope.admin and not ids:
            ids |= set(assigned.values_list("institution_id", flat=True))
    return list(Institution.objects.filter(pk__in=ids).order_by("name"))


def submit_update(
    user: Any,
    recommendation: Recommendation,
    *,
    status: Any,
    date: Any,
    note: Any,
    links: Sequence[str] = (),
    files: Sequence[Any] = (),
    sub_item: Any = None,
    institution: Any = None,
) -> StatusUpdate:
    """Report a new status with a date, a note and evidence; return the update.

    It waits for the institution's validator (state `pending`) unless the institution needs no
    validation or the author coordinates the State; then it is validated at once and sets the
    recommendation's status in the same transaction.
    """
    allowed = reporting_institutions(user, recommendation)
    if not allowed:
        raise NotAllowed("only a focal point of an institution assigned to it may report progress")
    if institution in (None, ""):
        chosen = allowed[0]
    else:
        chosen = next(
            (i for i in allowed if str(i.code) == str(institution) or i == institution), None
        )
        if chosen is None:
            raise Invalid("institution", "you may not report for this institution")
    status = _status(status)
    date = _date(date, "date", past=True)
    note = _text(note, "note", required=True)
    item = _sub_item(recommendation, sub_item)
    checked, urls = _evidence(list(files), list(links))
    scope = perms.scope_for(user)
    at_once = not chosen.requires_validation or scope.manages(recommendation.country_id)
    stored: list[str] = []
    try:
        with transaction.atomic():
            update = StatusUpdate.objects.create(
                recommendation=recommendation,
                sub_item=item,
                country_id=recommendation.country_id,
                institution=chosen,
                author=user,
                status=status,
                date=date,
                note=note,
            )
            stored = _save_evidence(checked, urls, update=update)
            record(
                "update.submitted",
                actor=user,
                country_id=recommendation.country_id,
                recommendation_id=recommendation.pk,
                sub_item_id=item.pk if item else None,
                institution_id=chosen.pk,
                obj=update,
                changes={
                    "status": status,
                    "date": date,
                    "evidence": [c.name for c in checked] + urls,
                },
                note=note,
                acting_for=chosen.name,
            )
            if at_once:
                _validate(user, update, kind="update.validated", note="")
    except BaseException:
        _discard(stored)
        raise
    return update


def _validate(user: Any, update: StatusUpdate, *, kind: str, note: str) -> None:
    """Mark *update* validated and make it the current status unless a later one is."""
    now = timezone.now()
    done = StatusUpdate.objects.filter(pk=update.pk, state=StatusUpdate.State.PENDING).update(
        state=StatusUpdate.State.VALIDATED, decided_by=user, decided=now, decision_note=note
    )
    if not done:
        raise Conflict("this update was decided already", current=_reload(update))
    update.state, update.decided_by, update.decided, update.decision_note = (
        StatusUpdate.State.VALIDATED,
        user,
        now,
        note,
    )
    follow_up = follow_up_of(update.recommendation, update.sub_item)
    previous = follow_up.status
    became_current = follow_up.status_date is None or update.date >= follow_up.status_date
    if became_current:
        FollowUp.objects.filter(pk=follow_up.pk).update(
            status=update.status,
            status_date=update.date,
            last_update=update,
            version=F("version") + 1,
            updated=now,
        )
    record(
        kind,
        actor=user,
        country_id=update.country_id,
        recommendation_id=update.recommendation_id,
        sub_item_id=update.sub_item_id,
        institution_id=update.institution_id,
        obj=update,
        changes={
            "status": [previous, update.status] if became_current else [previous, previous],
            "date": update.date,
            "became_current": became_current,
        },
        note=note,
    )


def _reload(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def decide(user: Any, update: StatusUpdate, *, decision: str, note: Any = "") -> StatusUpdate:
    """Approve an update (the status changes, in the same transaction) or send it back."""
    if decision not in ("approve", "reject"):
        raise Invalid("decision", "must be approve or reject")
    note = _text(note, "note", required=decision == "reject")
    scope = perms.scope_for(user)
    may_decide = scope.manages(update.country_id) or (
        update.institution_id in scope.validating_institutions
    )
    if not may_decide:
        raise NotAllowed("only the validator of the reporting institution may decide")
    if update.state != StatusUpdate.State.PENDING:
        raise Conflict("this update was decided already", current=update)
    if update.author_id == getattr(user, "pk", None) and not scope.manages(update.country_id):
        raise NotAllowed("a validator decides on other people's updates, not their own")
    with transaction.atomic():
        if decision == "approve":
            _validate(user, update, kind="update.approved", note=note)
        else:
            now = timezone.now()
            done = StatusUpdate.objects.filter(
                pk=update.pk, state=StatusUpdate.State.PENDING
            ).update(
                state=StatusUpdate.State.REJECTED, decided_by=user, decided=now, decision_note=note
            )
            if not done:
                raise Conflict("this update was decided already", current=_reload(update))
            update.state, update.decided_by, update.decided, update.decision_note = (
                StatusUpdate.State.REJECTED,
                user,
                now,
                note,
            )
            record(
                "update.rejected",
                actor=user,
                country_id=update.country_id,
                recommendation_id=update.recommendation_id,
                sub_item_id=update.sub_item_id,
                institution_id=update.institution_id,
                obj=update,
                changes={"status": update.status},
                note=note,
            )
    return update


# --- assessments --------------------------------------------------------------------------------


def assess(
    user: Any,
    recommendation: Recommendation,
    *,
    status: Any,
    date: Any,
    note: Any,
    links: Sequence[str] = (),
    files: Sequence[Any] = (),
    sub_item: Any = None,
    institution: Any = None,
) -> Assessment:
    """Record an NHRI's or civil society organisation's own view; never the State's status."""
    scope = perms.scope_for(user)
    allowed = scope.assessing_institutions(recommendation.country_id)
    if not allowed:
        raise NotAllowed(
            "only a contributor of a national human rights institution or civil society "
            "organisation of this State may record an assessment"
        )
    institutions = list(Institution.objects.filter(pk__in=allowed).order_by("name"))
    if institution in (None, ""):
        chosen = institutions[0]
    else:
        chosen = next((i for i in institutions if str(i.code) == str(institution)), None)
        if chosen is None:
            raise Invalid("institution", "you may not assess for this institution")
    status = _status(status)
    date = _date(date, "date", past=True)
    note = _text(note, "note", required=True)
    item = _sub_item(recommendation, sub_item)
    checked, urls = _evidence(list(files), list(links))
    stored: list[str] = []
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                recommendation=recommendation,
                sub_item=item,
                country_id=recommendation.country_id,
                institution=chosen,
                author=user,
                status=status,
                date=date,
                note=note,
            )
            stored = _save_evidence(checked, urls, assessment=assessment)
            record(
                "assessment.created",
                actor=user,
                country_id=recommendation.country_id,
                recommendation_id=recommendation.pk,
                sub_item_id=item.pk if item else None,
                institution_id=chosen.pk,
                obj=assessment,
                changes={"status": status, "date": date},
                note=note,
                acting_for=chosen.name,
            )
    except BaseException:
        _discard(stored)
        raise
    return assessment


def change_assessment(
    user: Any, assessment: Assessment, *, version: Any, **changes: Any
) -> Assessment:
    if not Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists():
        raise NotAllowed("only its own institution may change an assessment")
    wanted: dict[str, Any] = {}
    if "status" in changes:
        wanted["status"] = _status(changes.pop("status"))
    if "date" in changes:
        wanted["date"] = _date(changes.pop("date"), "date", past=True)
    if "note" in changes:
        wanted["note"] = _text(changes.pop("note"), "note", required=True)
    if changes:
        raise Invalid(next(iter(changes)), "this field cannot be changed here")
    with transaction.atomic():
        diff = _diff(assessment, wanted)
        _bump(Assessment, assessment, version, wanted)
        if diff:
            record(
                "assessment.changed",
                actor=user,
                country_id=assessment.country_id,
                recommendation_id=assessment.recommendation_id,
                sub_item_id=assessment.sub_item_id,
                institution_id=assessment.institution_id,
                obj=assessment,
                changes=diff,
            )
    return assessment


# --- actions and indicators ---------------------------------------------------------------------

ACTION_FIELDS = (
    "title",
    "description",
    "start",
    "end",
    "budget_amount",
    "budget_currency",
    "funding_source",
    "progress",
)


def _action_values(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    unknown = set(data) - set(ACTION_FIELDS)
    if unknown:
        raise Invalid(sorted(unknown)[0], "this field cannot be set here")
    if "title" in data or not partial:
        out["title"] = _text(data.get("title"), "title", required=True, limit=300)
    if "description" in data:
        out["description"] = _text(data["description"], "description")
    for name in ("start", "end"):
        if name in data:
            out[name] = _date(data[name], name, required=False)
    if "budget_amount" in data:
        out["budget_amount"] = _decimal(data["budget_amount"], "budget_amount")
        if out["budget_amount"] is not None and out["budget_amount"] < 0:
            raise Invalid("budget_amount", "a budget cannot be negative")
    if "budget_currency" in data:
        currency = _text(data["budget_currency"], "budget_currency").upper()
        if currency and (len(currency) != 3 or not currency.isalpha() or not currency.isascii()):
            raise Invalid("budget_currency", "give the ISO 4217 code, e.g. EUR or USD")
        out["budget_currency"] = currency
    if "funding_source" in data:
        out["funding_source"] = _text(data["funding_source"], "funding_source")
    if "progress" in data:
        if data["progress"] not in Action.Progress.values:
            raise Invalid("progress", f"must be one of {', '.join(Action.Progress.values)}")
        out["progress"] = data["progress"]
    start, end = out.get("start"), out.get("end")
    if start and end and end < start:
        raise Invalid("end", "the end is before the start")
    if not partial and out.get("budget_amount") is not None and not out.get("budget_currency"):
        raise Invalid("budget_currency", "give the currency of the budget")
    return out


def _may_plan(user: Any, country_id: int, institution: Institution) -> bool:
    scope = perms.scope_for(user)
    return scope.manages(country_id) or institution.pk in scope.writing_institutions


def create_action(
    user: Any,
    *,
    institution: Any,
    recommendations: Sequence[Recommendation],
    **data: Any,
) -> Action:
    """Plan an action of *institution* for one or more recommendations of one State."""
    if not recommendations:
        raise Invalid("recommendations", "an action implements at least one recommendation")
    countries = {r.country_id for r in recommendations}
    if len(countries) > 1:
        raise Invalid("recommendations", "an action's recommendations are of one State")
    first = recommendations[0]
    institution = _institution_for(first, institution)
    if not _may_plan(user, first.country_id, institution):
        raise NotAllowed("you may not plan actions for this institution")
    values = _action_values(data, partial=False)
    with transaction.atomic():
        action = Action.objects.create(
            country_id=first.country_id,
            institution=institution,
            created_by=user,
            **values,
        )
        action.recommendations.set(recommendations)
        for rec in recommendations:
            record(
                "action.created",
                actor=user,
                country_id=rec.country_id,
                recommendation_id=rec.pk,
                institution_id=institution.pk,
                obj=action,
                changes={"institution": institution.name, **values},
            )
    return action


def change_action(user: Any, action: Action, *, version: Any, **data: Any) -> Action:
    if not Action.objects.editable_by(user).filter(pk=action.pk).exists():
        raise NotAllowed("you may not change this action")
    wanted = _action_values(data, partial=True)
    merged_start = wanted.get("start", action.start)
    merged_end = wanted.get("end", action.end)
    if merged_start and merged_end and merged_end < merged_start:
        raise Invalid("end", "the end is before the start")
    amount = wanted.get("budget_amount", action.budget_amount)
    if amount is not None and not wanted.get("budget_currency", action.budget_currency):
        raise Invalid("budget_currency", "give the currency of the budget")
    with transaction.atomic():
        diff = _diff(action, wanted)
        _bump(Action, action, version, wanted)
        if diff:
            for rec_id in action.recommendations.values_list("id", flat=True) or [None]:
                record(
                    "action.changed",
                    actor=user,
                    country_id=action.country_id,
                    recommendation_id=rec_id,
                    institution_id=action.institution_id,
                    obj=action,
                    changes=diff,
                )
    return action


INDICATOR_FIELDS = (
    "name",
    "description",
    "unit",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "frequency",
    "source",
)


def _indicator_values(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    unknown = set(data) - set(INDICATOR_FIELDS)
    if unknown:
        raise Invalid(sorted(unknown)[0], "this field cannot be set here")
    out: dict[str, Any] = {}
    if "name" in data or not partial:
        out["name"] = _text(data.get("name"), "name", required=True, limit=300)
    for name in ("description", "source"):
        if name in data:
            out[name] = _text(data[name], name)
    if "unit" in data:
        out["unit"] = _text(data["unit"], "unit", limit=60)
    for name in ("baseline", "target"):
        if name in data:
            out[name] = _decimal(data[name], name)
    for name in ("baseline_date", "target_date"):
        if name in data:
            out[name] = _date(data[name], name, required=False)
    if "frequency" in data:
        if data["frequency"] not in Indicator.Frequency.values:
            raise Invalid("frequency", f"must be one of {', '.join(Indicator.Frequency.values)}")
        out["frequency"] = data["frequency"]
    return out


def create_indicator(
    user: Any,
    *,
    institution: Any,
    recommendations: Sequence[Recommendation] = (),
    action: Action | None = None,
    **data: Any,
) -> Indicator:
    """Define an indicator of *institution* for recommendations and/or an action."""
    recs = list(recommendations) or (list(action.recommendations.all()) if action else [])
    if not recs:
        raise Invalid("recommendations", "an indicator measures at least one recommendation")
    if len({r.country_id for r in recs}) > 1:
        raise Invalid("recommendations", "an indicator's recommendations are of one State")
    institution = _institution_for(recs[0], institution)
    if not _may_plan(user, recs[0].country_id, institution):
        raise NotAllowed("you may not define indicators for this institution")
    if action is not None and action.country_id != recs[0].country_id:
        raise Invalid("action", "the action is of another State")
    values = _indicator_values(data, partial=False)
    with transaction.atomic():
        indicator = Indicator.objects.create(
            country_id=recs[0].country_id,
            institution=institution,
            action=action,
            created_by=user,
            **values,
        )
        indicator.recommendations.set(recs)
        for rec in recs:
            record(
                "indicator.created",
                actor=user,
                country_id=rec.country_id,
                recommendation_id=rec.pk,
                institution_id=institution.pk,
                obj=indicator,
                changes=values,
            )
    return indicator


def change_indicator(user: Any, indicator: Indicator, *, version: Any, **data: Any) -> Indicator:
    if not Indicator.objects.editable_by(user).filter(pk=indicator.pk).exists():
        raise NotAllowed("you may not change this indicator")
    wanted = _indicator_values(data, partial=True)
    with transaction.atomic():
        diff = _diff(indicator, wanted)
        _bump(Indicator, indicator, version, wanted)
        if diff:
            for rec_id in indicator.recommendations.values_list("id", flat=True) or [None]:
                record(
                    "indicator.changed",
                    actor=user,
                    country_id=indicator.country_id,
                    recommendation_id=rec_id,
                    institution_id=indicator.institution_id,
                    obj=indicator,
                    changes=diff,
                )
    return indicator


DISAGGREGATIONS = ("sex", "age_group", "displacement_status", "disability", "location")


def add_measurement(
    user: Any,
    indicator: Indicator,
    *,
    date: Any,
    value: Any,
    source: Any = "",
    note: Any = "",
    **disaggregation: Any,
) -> Measurement:
    """Record one dated value of *indicator* (optionally for one part of the population)."""
    if not Indicator.objects.editable_by(user).filter(pk=indicator.pk).exists():
        raise NotAllowed("you may not record values of this indicator")
    unknown = set(disaggregation) - set(DISAGGREGATIONS)
    if unknown:
        raise Invalid(sorted(unknown)[0], "not a disaggregation")
    number = _decimal(value, "value")
    if number is None:
        raise Invalid("value", "a value is required")
    parts = {k: _text(v, k, limit=120) for k, v in disaggregation.items() if v}
    with transaction.atomic():
        measurement = Measurement.objects.create(
            indicator=indicator,
            date=_date(date, "date", past=True),
            value=number,
            source=_text(source, "source"),
            note=_text(note, "note"),
            author=user,
            **parts,
        )
        for rec_id in indicator.recommendations.values_list("id", flat=True) or [None]:
            record(
                "measurement.added",
                actor=user,
                country_id=indicator.country_id,
                recommendation_id=rec_id,
                institution_id=indicator.institution_id,
                obj=measurement,
                changes={
                    "indicator": indicator.name,
                    "date": measurement.date,
                    "value": number,
                    "unit": indicator.unit,
                    **parts,
                },
                note=measurement.note,
            )
    return measurement
