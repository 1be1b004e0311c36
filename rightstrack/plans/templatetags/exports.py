"""{% download_links "matrix list" query_string page="work" %}: the "Download" links of a page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from rightstrack.formats.registry import get_exporter
from rightstrack.plans.exports import NAMES

register = template.Library()


@register.inclusion_tag("plans/_download.html")
def download_links(kinds: str, query: str = "", label: str = "", page: str = "") -> dict[str, Any]:
    """Links to the exports of *kinds* with the page's *query* string; with *page*, the
    export reads that query string as the named list page does (plans.pages)."""
    from urllib.parse import quote

    links = []
    query = "&".join(part for part in (f"from={quote(page)}" if page else "", query) if part)
    for kind in kinds.split():
        base = reverse("plans-export", args=[kind])
        for fmt in get_exporter(kind).formats:
            sep = "&" if query else ""
            links.append(
                {
                    "url": f"{base}?{query}{sep}format={fmt}",
                    "name": NAMES.get(kind, kind),
                    "format": fmt.upper(),
                }
            )
    return {"links": links, "label": label}


@register.filter
def dir_attr(text: Any, rtl: bool = False) -> str:
    """` dir="rtl"` on an element whose text runs right to left in a left-to-right page (and
    ` dir="ltr"` the other way round), so WeasyPrint lays out each paragraph its own way."""
    from django.utils.safestring import mark_safe

    from rightstrack.formats.exporters.bidi import LTR, RTL, direction_of

    here = direction_of(str(text or ""))
    if here == RTL and not rtl:
        return mark_safe(' dir="rtl"')
    if here == LTR and rtl:
        return mark_safe(' dir="ltr"')
    return ""
