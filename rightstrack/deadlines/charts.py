"""Server-rendered SVG charts (no JavaScript, no CDN); each page shows a table beside them.

Every chart carries a <title> and <desc> (role="img") so screen readers announce it; the table
next to it holds the same numbers. Colours are the status colours of the stylesheet, with
enough contrast on white, and each bar is labelled so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape

#: Status -> colour (dark enough on white for 3:1 contrast of graphical objects).
COLOURS = {
    "not_started": "#6b7280",
    "in_progress": "#0b5394",
    "partially_implemented": "#8a4b00",
    "implemented": "#1e6b34",
    "no_longer_applicable": "#4b2e83",
}
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="t d" {FONT}>'
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(body) + "</svg>"
    )


def legend(statuses: Sequence[tuple[str, str]], y: int, width: int) -> list[str]:
    out, x = [], 10
    for value, label in statuses:
        text = escape(str(label))
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS.get(value, "#999")}"/>'
            f'<text x="{x + 16}" y="{y + 11}">{text}</text>'
        )
        x += 24 + 7 * len(str(label))
        if x > width - 120:
            x, y = 10, y + 18
    return out


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, int]]],
    statuses: Sequence[tuple[str, str]],
    *,
    title: str,
    width: int = 640,
) -> str:
    """One horizontal bar per row, split by status, each labelled with its total."""
    label_w, bar_h, gap = 200, 18, 8
    plot_w = width - label_w - 60
    biggest = max((sum(c.values()) for _, c in rows), default=0) or 1
    body = []
    y = 10
    for label, counts in rows:
        total = sum(counts.values())
        body.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
            f"{escape(str(label)[:32])}</text>"
        )
        x = float(label_w)
        for value, name in statuses:
            n = counts.get(value, 0)
            if not n:
                continue
            w = plot_w * n / biggest
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{COLOURS.get(value, "#999")}">'
                f"<title>{escape(str(name))}: {n}</title></rect>"
            )
            x += w
        body.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{total}</text>')
        y += bar_h + gap
    body += legend(statuses, y + 4, width)
    height = y + 44
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{name} {c.get(v, 0)}" for v, name in statuses if c.get(v))
        for label, c in rows
    )
    return _svg(width, height, title, desc or "no data", body)


def lines(
    months: Sequence[str],
    series: dict[str, list[int]],
    statuses: Sequence[tuple[str, str]],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
) -> str:
    """Status counts by month: one line per status."""
    left, right, top, bottom = 40, 10, 10, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max((max(v, default=0) for v in series.values()), default=0) or 1
    step = plot_w / max(len(months) - 1, 1)
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#4d5561"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end">{biggest}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, month in enumerate(months):
        if i % max(len(months) // 6, 1) == 0 or i == len(months) - 1:
            anchor = "end" if i == len(months) - 1 else "start" if i == 0 else "middle"
            body.append(
                f'<text x="{left + i * step:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="{anchor}">{escape(month)}</text>'
            )
    for value, name in statuses:
        values = series.get(value) or []
        if not any(values):
            continue
        points = " ".join(
            f"{left + i * step:.1f},{top + plot_h - plot_h * n / biggest:.1f}"
            for i, n in enumerate(values)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke-width="2.5" '
            f'stroke="{COLOURS.get(value, "#999")}"><title>{escape(str(name))}</title></polyline>'
        )
    body += legend(statuses, top + plot_h + 28, width)
    last = months[-1] if months else ""
    desc = f"{last}: " + ", ".join(
        f"{name} {series.get(v, [0])[-1] if series.get(v) else 0}" for v, name in statuses
    )
    return _svg(width, height, title, desc, body)


def progress_bars(rows: Sequence[dict[str, Any]], *, title: str, width: int = 640) -> str:
    """Each indicator's latest value against its target (from its baseline)."""
    label_w, bar_h, gap = 220, 14, 14
    plot_w = width - label_w - 70
    body, y = [], 10
    for row in rows:
        share = row["share"]
        body.append(
            f'<text x="{label_w - 6}" y="{y + 11}" text-anchor="end">'
            f"{escape(str(row['name'])[:34])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#f4f6f8" '
            'stroke="#d0d5dc"/>'
        )
        if share is not None:
            w = plot_w * max(0.0, min(share, 1.0))
            body.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#1e6b34"/>'
            )
        text = f"{round(share * 100)}%" if share is not None else "—"
        body.append(f'<text x="{label_w + plot_w + 6}" y="{y + 11}">{text}</text>')
        y += bar_h + gap
    desc = "; ".join(
        f"{r['name']}: "
        + (f"{round(r['share'] * 100)}% of target" if r["share"] is not None else "no value")
        for r in rows
    )
    return _svg(width, y + 10, title, desc or "no indicators", body)
