"""Template filters for the pages: highlighted snippets and small formatting helpers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

#: Longest snippet shown in a result list; the full text is on the recommendation's page.
SNIPPET_CHARS = 420


@register.filter
def highlight(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """Return *text* escaped, with *spans* in <mark>, cut to a snippet around the first one."""
    start, end = 0, len(text)
    if len(text) > SNIPPET_CHARS:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - SNIPPET_CHARS // 4, len(text) - SNIPPET_CHARS))
        # Start and end on a word boundary, so no word is shown cut.
        if start:
            start = text.find(" ", start) + 1 or start
        end = start + SNIPPET_CHARS
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    parts, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(escape(text[pos:s]))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    parts.append(escape(text[pos:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)


@register.simple_tag
def page_url(base_qs: str, number: Any) -> str:
    """Return the query string of page *number* of the current search."""
    return f"?{base_qs}&page={number}" if base_qs else f"?page={number}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def term_names(labels: Any) -> list[str]:
    """Return the names of *labels*' terms, each once, in order (a term may be labelled by
    the document, a person and the classifier)."""
    return list(dict.fromkeys(label.term.name for label in labels))


@register.filter
def get_label(choices: Any, value: Any) -> Any:
    """Return the label of *value* in a list of (value, label) choices."""
    return next((label for v, label in choices if v == value), value)


@register.simple_tag(takes_context=True)
def followup_nav(context: Any) -> dict[str, bool]:
    """Which follow-up links the navigation shows to the person (from their permissions)."""
    from rightstrack.accounts import permissions as perms

    request = context.get("request")
    scope = perms.scope_for(getattr(request, "user", None))
    manager = bool(scope.admin or scope.coordinated)
    return {
        "work": scope.authenticated and scope.has_any_role,
        "validation": scope.can_write
        and bool(scope.admin or scope.coordinated or scope.validating_institutions),
        "manage": manager,
        "import": scope.may_import(),
    }
