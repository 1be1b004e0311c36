"""A plan's yearly progress against its indicators: the last value of each year, and how far
it went from the baseline towards the target."""

from __future__ import annotations

from typing import Any


def progress_rows(plan: Any) -> list[list[Any]]:
    """Return [indicator, year, value, baseline, target, share of the way] rows."""
    from rightstrack.tracking.models import Measurement

    rows: list[list[Any]] = []
    indicators = {
        i.pk: i for goal in plan.goals.prefetch_related("indicators") for i in goal.indicators.all()
    }
    last: dict[tuple[int, int], Any] = {}
    for m in Measurement.objects.filter(
        indicator_id__in=list(indicators),
        sex="",
        age_group="",
        displacement_status="",
        disability="",
        location="",
    ).order_by("date", "id"):
        last[(m.indicator_id, m.date.year)] = m.value
    for (ind_id, year), value in sorted(
        last.items(), key=lambda kv: (indicators[kv[0][0]].name, kv[0][1])
    ):
        ind = indicators[ind_id]
        share = ""
        if ind.baseline is not None and ind.target is not None and ind.target != ind.baseline:
            share = f"{float((value - ind.baseline) / (ind.target - ind.baseline)) * 100:.0f} %"
        rows.append([ind.name, year, _n(value), _n(ind.baseline), _n(ind.target), share])
    return rows


def _n(value: Any) -> str:
    return "" if value is None else f"{value.normalize():f}"
