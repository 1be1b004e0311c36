"""Horizontal bar charts as standalone SVG, drawn on the server (no JavaScript, no CDN).

The SVG carries a <title> and <desc> and one <title> per bar, so screen readers read it;
pages show the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

PALETTE = ("#1f5c99", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#7f7f7f")


def bar_chart_svg(
    title: str,
    rows: Sequence[tuple[str, int]],
    *,
    width: int = 640,
    bar: int = 22,
    colours: Sequence[str] = PALETTE,
    rtl: bool = False,
) -> str:
    """Return an SVG document: one bar per (label, value), longest label on the left."""
    label_w = min(300, max((len(label) for label, _ in rows), default=10) * 7 + 12)
    top, gap = 34, 6
    height = top + len(rows) * (bar + gap) + 10
    biggest = max((v for _, v in rows), default=0) or 1
    plot_w = width - label_w - 60
    direction = ' direction="rtl"' if rtl else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="DejaVu Sans, sans-serif" '
        f'font-size="12"{direction}>',
        f"<title>{escape(title)}</title>",
        "<desc>" + escape("; ".join(f"{label}: {value}" for label, value in rows)) + "</desc>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        '<text x="8" y="20" font-size="14" font-weight="bold" fill="#123f6d">'
        f"{escape(title)}</text>",
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar + gap)
        w = max(1, round(plot_w * value / biggest)) if value else 0
        colour = colours[i % len(colours)]
        shown = label if len(label) <= 42 else label[:41] + "…"
        parts.append(
            f"<g><title>{escape(label)}: {value}</title>"
            f'<text x="{label_w - 6}" y="{y + bar * 0.7:.0f}" text-anchor="end" fill="#222">'
            f"{escape(shown)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="{colour}"/>'
            f'<text x="{label_w + w + 5}" y="{y + bar * 0.7:.0f}" fill="#222">{value}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
