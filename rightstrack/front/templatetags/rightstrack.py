"""Template filters for the pages: highlighted snippets and small formatting helpers."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


@register.simple_tag
def facet_options(name: str, values: Any, selected: Any) -> SafeString:
    """Return the checkbox items of one facet's values (*selected*: a mapping of facet name to
    the set of values in use).

    Written in Python rather than as a template loop: a search page lists up to 110 values,
    and the template engine's lookups for each of them cost more than the page's queries.
    """
    chosen = selected.get(name, ()) if selected else ()
    items = []
    for f in values:
        checked = " checked" if f.value in chosen else ""
        items.append(
            f'<li><label><input type="checkbox" name="{escape(name)}" value="{escape(f.value)}"'
            f'{checked}>\n          <span class="facet-label">{escape(f.label)}</span> '
            f'<span class="count">{escape(intcomma(f.count))}</span></label></li>'
        )
    return mark_safe("\n        ".join(items))


#: Between the items of a result's lines, as the template wrote them.
SEP = "\n      "


@register.simple_tag
def result_items(rows: Any) -> SafeString:
    """Return the items of a result list: (recommendation, highlight spans) pairs, each with
    its body, symbol and paragraph, snippet, State, year, cycle, position, recommending
    States, and the analysis' findings (action category, protection, groups named).

    Written in Python for the same reason as facet_options: 25 results of a dozen fields each
    cost the template engine more than the page's queries.
    """
    recommended_by = escape(gettext("Recommended by"))
    category_title = escape(gettext("Action category (UPR Info scale)"))
    protection = escape(gettext("Protection-relevant"))
    names_word = escape(gettext("Names"))
    items = []
    for rec, spans in rows:
        title = escape(rec.body.label)
        if rec.document_symbol:
            title += f" · {escape(rec.document_symbol)}"
        if rec.paragraph:
            title += f" ¶ {escape(rec.paragraph)}"
        meta = [f"<span>{escape(rec.country.name)}</span>"]
        if rec.year:
            meta.append(f"<span>{escape(localize(rec.year))}</span>")
        if rec.cycle:
            cycle = gettext("Cycle %(n)s") % {"n": escape(localize(rec.cycle))}
            meta.append(f"<span>{cycle}</span>")
        if rec.position:
            meta.append(
                f'<span class="position position-{escape(rec.position)}">'
                f"{escape(rec.get_position_display())}</span>"
            )
        states = rec.recommending_states.all()
        if states:
            meta.append(
                f"<span>{recommended_by} {', '.join(escape(s.name) for s in states)}</span>"
            )
        html = (
            f'  <li class="result">\n    <h3 class="result-title"><a href="'
            f'{escape(rec.get_absolute_url())}">{title}</a></h3>\n'
            f'    <p class="snippet">{highlight(rec.text, spans)}</p>\n'
            f'    <p class="meta">\n      {SEP.join(meta)}\n    </p>\n'
        )
        try:
            analysis = rec.analysis
        except ObjectDoesNotExist:
            analysis = None
        groups = getattr(rec, "group_labels", None)
        if analysis or groups:
            findings = []
            if analysis and analysis.action_category:
                findings.append(
                    f'<span class="action action-{escape(analysis.action_category)}" '
                    f'title="{category_title}">{escape(analysis.action_category_label)}</span>'
                )
            if analysis and analysis.protection_relevant:
                findings.append(f'<span class="protection">{protection}</span>')
            if groups:
                findings.append(
                    f"<span>{names_word} {', '.join(escape(n) for n in term_names(groups))}</span>"
                )
            html += f'    <p class="meta findings">\n      {SEP.join(findings)}\n    </p>\n'
        items.append(html + "  </li>")
    return mark_safe("\n".join(items))
