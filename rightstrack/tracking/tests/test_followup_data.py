"""bench/followup_data.py fills a database whose rows agree with what the services write."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.db import transaction

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

from followup_data import populate

from rightstrack.accounts.models import Institution
from rightstrack.tracking.history import story
from rightstrack.tracking.models import (
    Assignment,
    Event,
    FollowUp,
    StatusUpdate,
)

TODAY = dt.date(2026, 6, 1)


@pytest.mark.django_db
def test_populate_small_state() -> None:
    info = populate(recommendations=300, institutions=16, updates=900, seed=3, today=TODAY)
    counts = info["counts"]
    # The main State and the smaller second one (a tenth of the size).
    assert counts["recommendations"] == 330
    assert counts["status_updates"] == 900 + 90
    assert Institution.objects.filter(country__code="ZZF").count() == 16
    assert StatusUpdate.objects.filter(country__code="ZZF").count() == 900
    # Every recommendation of the State has a lead (whole, or for each of its sub-items).
    leads = Assignment.objects.filter(country__code="ZZF", role="lead")
    assert leads.values("recommendation").distinct().count() == 300
    # Every state of an update occurs, and none lies after "today".
    states = set(StatusUpdate.objects.values_list("state", flat=True))
    assert states == {"validated", "pending", "rejected"}
    assert not StatusUpdate.objects.filter(date__gt=TODAY).exists()
    # The current status is the latest validated update's, as services._validate keeps it.
    for fu in FollowUp.objects.exclude(last_update=None).select_related("last_update")[:200]:
        assert fu.last_update.state == "validated"
        assert fu.status == fu.last_update.status
        later = StatusUpdate.objects.filter(
            recommendation_id=fu.recommendation_id,
            sub_item_id=fu.sub_item_id,
            state="validated",
            date__gt=fu.status_date,
        )
        assert not later.exists()
    # Each update has its history: submitted, then approved/validated or sent back.
    assert Event.objects.filter(kind="update.submitted").count() == 990
    decided = StatusUpdate.objects.exclude(state="pending").count()
    assert (
        Event.objects.filter(
            kind__in=["update.approved", "update.validated", "update.rejected"]
        ).count()
        == decided
    )
    # The busy recommendation's history reads as a story.
    entries = story(Event.objects.filter(recommendation__code=info["busy_recommendation"]))
    assert len(entries) > 10
    assert all(entry.text for entry in entries)


def _fill(seed: int) -> list[tuple]:
    """Populate inside a savepoint, read the rows back, and roll the savepoint back."""
    with transaction.atomic():
        populate(recommendations=60, institutions=12, updates=100, seed=seed, today=TODAY)
        rows = list(
            StatusUpdate.objects.order_by("id").values_list(
                "code", "recommendation__code", "institution__name", "status", "date", "state"
            )
        )
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_populate_is_deterministic() -> None:
    first = _fill(5)
    assert len(first) == 110
    assert not StatusUpdate.objects.exists()
    assert _fill(5) == first
    assert _fill(6) != first
