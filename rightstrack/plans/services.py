"""The one way plans, consultations and action funding change: permission-checked
(accounts.permissions), in one transaction, each change recorded as a follow-up Event
(tracking.services.record) so the history tells it.

Raise tracking.exceptions NotFound / NotAllowed / Invalid like the follow-up services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from rightstrack.accounts import permissions as perms
from rightstrack.plans.models import ActionFunding, ActionPlan, Consultation, Fund, Goal
from rightstrack.recommendations import search
from rightstrack.recommendations.models import Country, Recommendation, RecommendationGroup
from rightstrack.tracking.exceptions import Invalid, NotAllowed
from rightstrack.tracking.models import Action, Indicator
from rightstrack.tracking.services import record
from rightstrack.tracking.versioning import bump, diff


def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise Invalid(field, "a date is required (YYYY-MM-DD)")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(field, f"not a date (YYYY-MM-DD): {value!r}") from None


def _text(value: Any, field: str, *, required: bool = False, limit: int = 20_000) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(field, "required")
    if len(text) > limit:
        raise Invalid(field, f"at most {limit} characters")
    return text


def _may_edit(user: Any, country_id: int) -> None:
    scope = perms.scope_for(user)
    if not scope.can_write or not (scope.admin or country_id in scope.coordinated):
        raise NotAllowed("only the State's coordinators may change its action plans")


def create_plan(
    user: Any,
    *,
    country: Country,
    title: Any,
    start: Any,
    end: Any,
    filters: dict[str, Any] | None = None,
    groups: Sequence[RecommendationGroup] = (),
    situation: Any = "",
    problems: Any = "",
    monitoring: Any = "",
) -> ActionPlan:
    """Create a plan for *country* from the recommendations *filters* and *groups* choose."""
    _may_edit(user, country.pk)
    start_d, end_d = _date(start, "start"), _date(end, "end")
    assert start_d and end_d
    if end_d < start_d:
        raise Invalid("end", "the plan ends before it starts")
    chosen = Recommendation.objects.none()
    if filters:
        try:
            chosen = search.filter_recommendations(
                Recommendation.objects.visible_to(user), rank=False, **filters
            )
        except search.InvalidFilter as exc:
            raise Invalid("filters", str(exc)) from None
    ids = set(chosen.filter(country=country).values_list("id", flat=True))
    ids |= set(
        Recommendation.objects.filter(
            country=country, group_memberships__group__in=list(groups)
        ).values_list("id", flat=True)
    )
    with transaction.atomic():
        plan = ActionPlan.objects.create(
            country=country,
            title=_text(title, "title", required=True, limit=300),
            start=start_d,
            end=end_d,
            situation=_text(situation, "situation"),
            problems=_text(problems, "problems"),
            monitoring=_text(monitoring, "monitoring"),
            chosen_by=filters or {},
            created_by=user,
        )
        plan.recommendations.set(ids)
        plan.groups.set(groups)
        record(
            "plan.created",
            actor=user,
            country_id=country.pk,
            obj=plan,
            changes={"title": plan.title, "recommendations": len(ids)},
        )
    return plan


def change_plan(user: Any, plan: ActionPlan, *, version: Any = None, **data: Any) -> ActionPlan:
    """Change a plan's fields the way follow-up objects change (tracking.versioning): only if
    it is still at *version* (None: as stored now), the version bumped, the diff recorded."""
    _may_edit(user, plan.country_id)
    fields = {"title", "situation", "problems", "monitoring", "status", "start", "end"}
    unknown = set(data) - fields
    if unknown:
        raise Invalid(sorted(unknown)[0], "this field cannot be set here")
    wanted: dict[str, Any] = {}
    for name, value in data.items():
        if name in ("start", "end"):
            value = _date(value, name)
        elif name == "status":
            if value not in ActionPlan.Status.values:
                raise Invalid("status", f"one of {', '.join(ActionPlan.Status.values)}")
        else:
            value = _text(value, name, required=name == "title")
        wanted[name] = value
    start, end = wanted.get("start", plan.start), wanted.get("end", plan.end)
    if start and end and end < start:
        raise Invalid("end", "the plan ends before it starts")
    changes = diff(plan, wanted)
    if changes:
        with transaction.atomic():
            expected = plan.version if version is None else version
            bump(ActionPlan, plan, expected, {name: wanted[name] for name in changes})
            record(
                "plan.changed", actor=user, country_id=plan.country_id, obj=plan, changes=changes
            )
    return plan


def add_goal(
    user: Any,
    plan: ActionPlan,
    *,
    title: Any,
    accountability: Any = "",
    description: Any = "",
    actions: Sequence[Action] = (),
    indicators: Sequence[Indicator] = (),
) -> Goal:
    """Add a goal linking follow-up's own actions and indicators (of the plan's State)."""
    _may_edit(user, plan.country_id)
    for obj in (*actions, *indicators):
        if obj.country_id != plan.country_id:
            raise Invalid("actions", "actions and indicators of the plan's State only")
    with transaction.atomic():
        goal = Goal.objects.create(
            plan=plan,
            title=_text(title, "title", required=True, limit=300),
            accountability=_text(accountability, "accountability"),
            description=_text(description, "description"),
            sort=plan.goals.count(),
        )
        goal.actions.set(actions)
        goal.indicators.set(indicators)
        record(
            "plan.goal_added",
            actor=user,
            country_id=plan.country_id,
            obj=goal,
            changes={"plan": plan.title, "goal": goal.title, "actions": [a.title for a in actions]},
        )
    return goal


def link_action(user: Any, goal: Goal, action: Action) -> None:
    _may_edit(user, goal.plan.country_id)
    if action.country_id != goal.plan.country_id:
        raise Invalid("action", "an action of the plan's State only")
    with transaction.atomic():
        goal.actions.add(action)
        record(
            "plan.action_linked",
            actor=user,
            country_id=goal.plan.country_id,
            institution_id=action.institution_id,
            obj=goal,
            changes={"goal": goal.title, "action": action.title},
        )


def add_consultation(
    user: Any,
    plan: ActionPlan,
    *,
    date: Any,
    who: Any,
    method: Any,
    said: Any,
    groups: Any = "",
    place: Any = "",
    participants: Any = None,
    response: Any = "",
) -> Consultation:
    """Record how the affected population was consulted: who, when, how, what they said."""
    _may_edit(user, plan.country_id)
    count = None
    if participants not in (None, ""):
        try:
            count = int(participants)
        except (TypeError, ValueError):
            raise Invalid("participants", "a whole number") from None
        if count < 0:
            raise Invalid("participants", "a whole number")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            plan=plan,
            date=_date(date, "date"),
            who=_text(who, "who", required=True),
            method=_text(method, "method", required=True, limit=200),
            said=_text(said, "said", required=True),
            groups=_text(groups, "groups", limit=300),
            place=_text(place, "place", limit=200),
            participants=count,
            response=_text(response, "response"),
            created_by=user,
        )
        record(
            "plan.consulted",
            actor=user,
            country_id=plan.country_id,
            obj=consultation,
            changes={"plan": plan.title, "who": consultation.who, "method": consultation.method},
            note=consultation.said,
        )
    return consultation


def set_funding(
    user: Any,
    action: Action,
    *,
    fund: Fund | None = None,
    other_source: Any = "",
    amount: Any = None,
    currency: Any = "USD",
    status: Any = ActionFunding.Status.PLANNED,
    note: Any = "",
) -> ActionFunding:
    """Record where an action's money comes from (a UN fund or another source) and its status."""
    if not Action.objects.editable_by(user).filter(pk=action.pk).exists():
        raise NotAllowed("you may not change this action's funding")
    if fund is None and not str(other_source or "").strip():
        raise Invalid("fund", "a fund or another source is required")
    if status not in ActionFunding.Status.values:
        raise Invalid("status", f"one of {', '.join(ActionFunding.Status.values)}")
    number = None
    if amount not in (None, ""):
        try:
            number = Decimal(str(amount))
        except InvalidOperation:
            raise Invalid("amount", f"not a number: {amount!r}") from None
        if number < 0:
            raise Invalid("amount", "cannot be negative")
    currency = _text(currency, "currency", limit=3).upper() or "USD"
    with transaction.atomic():
        funding, created = ActionFunding.objects.update_or_create(
            action=action,
            fund=fund,
            other_source=_text(other_source, "other_source", limit=200),
            defaults={
                "amount": number,
                "currency": currency,
                "status": status,
                "note": _text(note, "note"),
                "created_by": user,
            },
        )
        for rec_id in action.recommendations.values_list("id", flat=True) or [None]:
            record(
                "funding.set",
                actor=user,
                country_id=action.country_id,
                recommendation_id=rec_id,
                institution_id=action.institution_id,
                obj=funding,
                changes={
                    "action": action.title,
                    "fund": str(fund or funding.other_source),
                    "amount": number,
                    "currency": currency,
                    "status": status,
                    "new": created,
                },
            )
    return funding


def unfunded_queryset(user: Any, country: Country | None = None) -> Any:
    """The visible actions, neither completed nor cancelled, with no granted funding (the
    unfunded-actions page and its download)."""
    actions = Action.objects.visible_to(user).exclude(progress__in=["completed", "cancelled"])
    if country is not None:
        actions = actions.filter(country=country)
    return actions.exclude(fundings__status=ActionFunding.Status.GRANTED)


def unfunded_actions(user: Any, country: Country | None = None) -> list[tuple[Action, list]]:
    """Return the visible actions with no granted funding, each with the funds that could pay."""
    from rightstrack.plans.funds import candidate_funds

    actions = (
        unfunded_queryset(user, country)
        .select_related("institution", "country")
        .prefetch_related("recommendations__labels__term")
        .order_by("country__name", "start", "id")
    )
    funds = list(Fund.objects.filter(active=True))
    out = []
    for action in actions:
        words = " ".join(
            [r.text for r in action.recommendations.all()]
            + [lb.term.name for r in action.recommendations.all() for lb in r.labels.all()]
        )
        out.append((action, candidate_funds(action, funds, text=words)))
    return out
