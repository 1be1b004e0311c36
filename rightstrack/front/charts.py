"""A server-rendered line chart of an indicator's values over time (SVG, no JavaScript).

The chart is drawn for sighted readers; the same values are always in a table beside it,
which is what screen readers and printouts use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

WIDTH, HEIGHT = 480, 200
PAD_X, PAD_Y = 48, 24
#: Colours for up to six series (the whole population first); repeated beyond that.
COLOURS = ("#1f5fa8", "#b5502b", "#3c7a3c", "#7a3c7a", "#8a6d00", "#2b7a7a")


@dataclass
class Series:
    label: str
    colour: str
    points: list[tuple[float, float]] = field(default_factory=list)
    dots: list[dict[str, Any]] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclass
class Chart:
    series: list[Series]
    width: int = WIDTH
    height: int = HEIGHT
    y_ticks: list[dict[str, Any]] = field(default_factory=list)
    x_ticks: list[dict[str, Any]] = field(default_factory=list)
    target_y: float | None = None
    baseline_y: float | None = None


def _label(m: Any) -> str:
    parts = [v for v in m.disaggregation.values()] if hasattr(m, "disaggregation") else []
    return ", ".join(parts)


def indicator_chart(indicator: Any, measurements: list[Any]) -> Chart | None:
    """Return the chart of *measurements* (one series per disaggregation), or None if empty."""
    if not measurements:
        return None
    values = [Decimal(m.value) for m in measurements]
    extra = [v for v in (indicator.baseline, indicator.target) if v is not None]
    low, high = min(values + extra), max(values + extra)
    if low > 0:
        low = Decimal(0)
    if high == low:
        high = low + 1
    first = min(m.date for m in measurements).toordinal()
    last = max(m.date for m in measurements).toordinal()
    span = max(last - first, 1)

    def x(date: Any) -> float:
        if last == first:
            return (WIDTH) / 2
        return PAD_X + (date.toordinal() - first) / span * (WIDTH - 2 * PAD_X)

    def y(value: Any) -> float:
        return HEIGHT - PAD_Y - float((Decimal(value) - low) / (high - low)) * (HEIGHT - 2 * PAD_Y)

    groups: dict[str, list[Any]] = {}
    for m in measurements:
        groups.setdefault(_label(m), []).append(m)
    order = sorted(groups, key=lambda k: (k != "", k))
    series = []
    for n, key in enumerate(order):
        s = Series(label=key, colour=COLOURS[n % len(COLOURS)])
        for m in sorted(groups[key], key=lambda m: (m.date, m.pk or 0)):
            point = (x(m.date), y(m.value))
            s.points.append(point)
            s.dots.append({"x": point[0], "y": point[1], "date": m.date, "value": m.value})
        series.append(s)
    ticks = [low + (high - low) * i / 4 for i in range(5)]
    dates = sorted({m.date for m in measurements})
    shown = dates if len(dates) <= 4 else [dates[0], dates[len(dates) // 2], dates[-1]]
    return Chart(
        series=series,
        y_ticks=[{"y": y(t), "value": _short(t)} for t in ticks],
        x_ticks=[{"x": x(d), "date": d} for d in shown],
        target_y=y(indicator.target) if indicator.target is not None else None,
        baseline_y=y(indicator.baseline) if indicator.baseline is not None else None,
    )


def _short(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"
