"""Exports as a service: what the person may see, as plain records, written by an exporter
of rightstrack.formats.registry, and recorded in ExportLog (who, when, kind, filters).

Recommendations are public UN text; the follow-up columns (status, assignments, assessments,
actions) hold only the rows the person may see, through the QuerySets' `visible_to(user)`.
The web page, the API and `rightstrack export` all come through `export()`.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rightstrack.formats.exporters.base import ExportError, ExportRecord
from rightstrack.formats.records import SDG_GOALS, SDG_TARGETS
from rightstrack.formats.registry import EXPORTERS, get_exporter
from rightstrack.plans.models import ExportLog
from rightstrack.recommendations import search
from rightstrack.recommendations.models import Label, Recommendation

#: How a mid-term report is laid out: per cluster of recommendations or per recommendation.
LAYOUTS = ("cluster", "recommendation")
#: Kinds whose document is about one State: --country is required.
ONE_STATE_KINDS = ("midterm-report", "followup-report", "cluster-brief", "exercise-pack")
#: What people call each kind (download links, progress pages).
NAMES = {
    "matrix": _("Matrix"),
    "list": _("List"),
    "midterm-report": _("Mid-term report"),
    "followup-report": _("Follow-up report"),
    "cluster-brief": _("Cluster brief"),
    "action-plan": _("Action plan"),
    "exercise-pack": _("Exercise pack"),
}
#: Content types of the formats, for downloads.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_CHUNK = 2000


@dataclass
class Export:
    kind: str
    format: str
    filename: str
    content: bytes
    rows: int
    log: ExportLog

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.format, "application/octet-stream")


def recommendations_for(user: Any, filters: dict[str, Any]) -> QuerySet:
    """Return the recommendations *filters* select among those *user* may see.

    With `from` (a page: "work", "dashboard"...), the other filters are that page's query
    string, read by the page's own code (plans.pages): the download is what the page shows.
    """
    if filters.get("from"):
        from rightstrack.plans import pages

        params = {k: v for k, v in filters.items() if k != "from"}
        return pages.recommendations(user, str(filters["from"]), params)
    from rightstrack.plans import pages

    extra = {k: filters[k] for k in pages.FOLLOW_UP_FILTERS if k in filters}
    chosen = {k: v for k, v in filters.items() if k not in pages.FOLLOW_UP_FILTERS}
    try:
        found = search.filter_recommendations(
            Recommendation.objects.visible_to(user), rank=False, **chosen
        )
    except search.InvalidFilter as exc:
        raise ExportError(str(exc)) from None
    return pages.narrow(user, found, extra) if extra else found


def _sdg_text(code: str, name: str) -> str:
    return name if not code or name.startswith(code) else f"{code} {name}"


def records_for(user: Any, queryset: QuerySet) -> list[ExportRecord]:
    """Return *queryset*'s recommendations as ExportRecords with the follow-up *user* may see.

    A fixed number of queries per 2,000 recommendations, whatever the labels and follow-up.
    """
    from rightstrack.tracking.models import Action, Assessment, Assignment, FollowUp

    ids = list(queryset.order_by().values_list("id", flat=True).distinct())
    out: list[ExportRecord] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        states: dict[int, list[str]] = defaultdict(list)
        through = Recommendation.recommending_states.through
        for rec_id, name in (
            through.objects.filter(recommendation_id__in=chunk)
            .order_by("id")
            .values_list("recommendation_id", "country__name")
        ):
            states[rec_id].append(name)
        labels: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for rec_id, slug, name, code in (
            Label.objects.filter(recommendation_id__in=chunk)
            .exclude(review_state=Label.ReviewState.REJECTED)
            .order_by("id")
            .values_list("recommendation_id", "term__taxonomy__slug", "term__name", "term__code")
        ):
            text = _sdg_text(code, name) if slug in (SDG_TARGETS, SDG_GOALS) else name
            if (slug, text) not in labels[rec_id]:
                labels[rec_id].append((slug, text))
        status = {
            rec_id: (st, d)
            for rec_id, st, d in FollowUp.objects.visible_to(user)
            .filter(recommendation_id__in=chunk, sub_item=None)
            .values_list("recommendation_id", "status", "status_date")
        }
        assigned: dict[int, list[str]] = defaultdict(list)
        for rec_id, inst, role in (
            Assignment.objects.visible_to(user)
            .filter(recommendation_id__in=chunk, active=True)
            .order_by("role", "id")
            .values_list("recommendation_id", "institution__name", "role")
        ):
            assigned[rec_id].append(f"{inst} ({role})")
        assessed: dict[int, list[str]] = defaultdict(list)
        for rec_id, inst, d, st, note in (
            Assessment.objects.visible_to(user)
            .filter(recommendation_id__in=chunk)
            .order_by("date", "id")
            .values_list("recommendation_id", "institution__name", "date", "status", "note")
        ):
            assessed[rec_id].append(f"{inst}, {d}: {st.replace('_', ' ')}. {note}".strip())
        acted: dict[int, list[str]] = defaultdict(list)
        for rec_id, title, inst, progress in (
            Action.objects.visible_to(user)
            .filter(recommendations__in=chunk)
            .values_list("recommendations", "title", "institution__name", "progress")
        ):
            text = f"{title} ({inst}, {progress})"
            if text not in acted[rec_id]:
                acted[rec_id].append(text)
        rows = (
            Recommendation.objects.filter(id__in=chunk)
            .order_by("country__code", "document_symbol", "id")
            .values(
                "id",
                "code",
                "text",
                "mechanism",
                "body__code",
                "country__code",
                "country__name",
                "document_symbol",
                "paragraph",
                "external_id",
                "language",
                "session",
                "cycle",
                "year",
                "date",
                "position",
                "position_source",
                "heading",
                "concern_paragraph",
                "follow_up",
                "follow_up_due",
                "follow_up_due_date",
                "urgent",
                "analysis__action_category",
                "analysis__protection_relevant",
            )
        )
        for row in rows:
            rid = row["id"]
            st, st_date = status.get(rid, ("", None))
            out.append(
                ExportRecord(
                    code=str(row["code"]),
                    text=row["text"],
                    mechanism=row["mechanism"],
                    body=row["body__code"],
                    country=row["country__code"],
                    country_name=row["country__name"],
                    document_symbol=row["document_symbol"],
                    paragraph=row["paragraph"],
                    external_id=row["external_id"],
                    language=row["language"],
                    session=row["session"],
                    cycle=row["cycle"],
                    year=row["year"],
                    date=row["date"].isoformat() if row["date"] else "",
                    recommending_states=tuple(states.get(rid, ())),
                    position=row["position"],
                    position_source=row["position_source"],
                    heading=row["heading"],
                    concern_paragraph=row["concern_paragraph"],
                    follow_up=row["follow_up"],
                    follow_up_due=row["follow_up_due"],
                    follow_up_due_date=(
                        row["follow_up_due_date"].isoformat() if row["follow_up_due_date"] else ""
                    ),
                    urgent=row["urgent"],
                    labels=tuple(labels.get(rid, ())),
                    action_category=row["analysis__action_category"],
                    protection_relevant=row["analysis__protection_relevant"],
                    status=st,
                    status_date=st_date.isoformat() if st_date else "",
                    assignments=tuple(assigned.get(rid, ())),
                    assessments=tuple(assessed.get(rid, ())),
                    actions=tuple(acted.get(rid, ())),
                )
            )
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:60] or "export"


def build(
    kind: str,
    user: Any,
    *,
    fmt: str,
    filters: dict[str, Any] | None = None,
    plan: Any = None,
    request: Any = None,
) -> tuple[Any, dict[str, Any], int, str]:
    """Return (data for the exporter, its options, rows, file name stem)."""
    filters = dict(filters or {})
    if kind != "midterm-report":
        filters.pop("per", None)  # how the mid-term report is laid out; no filter
    if kind in ("list", "matrix"):
        records = records_for(user, recommendations_for(user, filters))
        country = filters.get("country")
        where = "-".join(country) if isinstance(country, list) else country or "all"
        stem = f"{kind}-{filters['from']}-{where}" if filters.get("from") else f"{kind}-{where}"
        return records, {}, len(records), _slug(stem)
    from rightstrack.plans import reports

    if kind == "action-plan":
        if plan is None:
            raise ExportError("action-plan needs --plan (the plan's code)")
        report, rows = reports.action_plan(user, plan)
        reports.set_direction(report, plan.recommendations.all())
    else:
        country = filters.get("country")
        countries = country if isinstance(country, list) else [country] if country else []
        if len(countries) != 1:
            raise ExportError(f"{kind} is about one State: give --country")
        builder = {
            "midterm-report": reports.midterm_report,
            "followup-report": reports.followup_report,
            "cluster-brief": reports.cluster_brief,
            "exercise-pack": reports.exercise_pack,
        }[kind]
        report, rows = builder(user, filters)
        chosen = {k: v for k, v in filters.items() if k != "per"}
        reports.set_direction(report, recommendations_for(user, chosen))
    options: dict[str, Any] = {}
    if fmt == "pdf":
        options["html"] = reports.render_html(report, kind=kind)
    return report, options, rows, _slug(f"{kind}-{report.title}")


def export(
    kind: str,
    user: Any,
    *,
    fmt: str,
    filters: dict[str, Any] | None = None,
    plan: Any = None,
    via: str = ExportLog.Via.WEB,
    path: Path | None = None,
) -> Export:
    """Write one export (to *path*, or in memory) and record it; ExportError on bad input."""
    if kind not in EXPORTERS:
        raise ExportError(f"unknown export kind {kind!r}; known kinds: {', '.join(EXPORTERS)}")
    exporter = get_exporter(kind)
    fmt = exporter.check_format(fmt)
    data, options, rows, stem = build(kind, user, fmt=fmt, filters=filters, plan=plan)
    if path is not None:
        exporter.write(data, path, fmt, **options)
        content = b""
    else:
        buffer = io.BytesIO()
        exporter.write_to(data, buffer, fmt, **options)
        content = buffer.getvalue()
    log = ExportLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        user_name=user.get_username() if getattr(user, "is_authenticated", False) else "",
        kind=kind,
        format=fmt,
        filters=jsonable_filters(filters or {}, plan),
        rows=rows,
        via=via,
    )
    return Export(kind, fmt, f"{stem}.{fmt}", content, rows, log)


def jsonable_filters(filters: dict[str, Any], plan: Any = None) -> dict[str, Any]:
    out = {k: (list(v) if isinstance(v, list | tuple) else v) for k, v in filters.items()}
    if plan is not None:
        out["plan"] = str(plan.code)
    return out


def kinds() -> Iterable[tuple[str, str]]:
    return [(kind, label) for kind, (label, _dotted) in EXPORTERS.items()]
