"""The documents people hand on, built from the data as formats.exporters.document.Report:
UPR mid-term report, treaty body follow-up report, protection cluster brief, national action
plan, the trainer's exercise pack. Each holds only what the person may see (visible_to).

`render_html(report)` renders templates/reports/report.html for the PDF (WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rightstrack.engine.analyse import analyse_one
from rightstrack.formats.exporters.base import ExportError, ExportRecord
from rightstrack.formats.exporters.document import (
    Bullets,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from rightstrack.formats.exporters.matrix import (
    POSITION_LABELS,
    STATUS_LABELS,
    grouped,
    paragraph_order,
)
from rightstrack.recommendations.models import Country

RTL_LANGUAGES = ("ar", "fa", "he", "ur")


def _country(filters: dict[str, Any]) -> Country:
    code = filters["country"][0] if isinstance(filters["country"], list) else filters["country"]
    country = Country.objects.filter(code=str(code).upper()).first()
    if country is None:
        raise ExportError(f"--country {code!r}: no recommendations of that State")
    return country


def _records(user: Any, filters: dict[str, Any]) -> list[ExportRecord]:
    from rightstrack.plans.exports import recommendations_for, records_for

    return records_for(user, recommendations_for(user, filters))


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _status(record: ExportRecord) -> str:
    return STATUS_LABELS.get(record.status, "") or _("no status reported")


def _today() -> str:
    return dt.date.today().isoformat()


def _done_by(user: Any, rec_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Return rec id -> {"updates": [...], "actions": [...], "indicators": [...]} visible."""
    from rightstrack.tracking.models import Action, Indicator, Measurement, StatusUpdate

    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rec_id, inst, d, st, note in (
        StatusUpdate.objects.visible_to(user)
        .filter(recommendation_id__in=rec_ids, state="validated")
        .order_by("date", "id")
        .values_list("recommendation_id", "institution__name", "date", "status", "note")
    ):
        out[rec_id]["updates"].append(f"{d} · {inst}: {note} ({STATUS_LABELS.get(st, st)})")
    for rec_id, title, inst, start, end, progress, amount, currency in (
        Action.objects.visible_to(user)
        .filter(recommendations__in=rec_ids)
        .values_list(
            "recommendations",
            "title",
            "institution__name",
            "start",
            "end",
            "progress",
            "budget_amount",
            "budget_currency",
        )
    ):
        when = f"{start or '…'} – {end or '…'}"
        budget = f", {amount:,.0f} {currency}" if amount is not None else ""
        text = f"{title} — {inst}, {when}, {progress}{budget}"
        if text not in out[rec_id]["actions"]:
            out[rec_id]["actions"].append(text)
    latest: dict[int, Any] = {}
    for ind_id, value, d in (
        Measurement.objects.filter(indicator__recommendations__in=rec_ids)
        .order_by("date", "id")
        .values_list("indicator_id", "value", "date")
    ):
        latest[ind_id] = (value, d)
    for rec_id, ind_id, name, unit, base, target, tdate in (
        Indicator.objects.visible_to(user)
        .filter(recommendations__in=rec_ids)
        .values_list("recommendations", "id", "name", "unit", "baseline", "target", "target_date")
    ):
        now = latest.get(ind_id)
        now_text = f"; latest {now[0]:g} ({now[1]})" if now else ""
        text = f"{name}: baseline {_num(base)}, target {_num(target)} {unit} by {tdate or '…'}{now_text}"
        if text not in out[rec_id]["indicators"]:
            out[rec_id]["indicators"].append(text)
    return out


def _num(value: Any) -> str:
    """Return a number as people write it: 12000, 12.5 (no trailing zeros of decimals)."""
    from decimal import Decimal

    if value is None:
        return "…"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return f"{value:g}"


def _ids(records: list[ExportRecord]) -> dict[str, int]:
    from rightstrack.recommendations.models import Recommendation

    rows = Recommendation.objects.filter(code__in=[r.code for r in records])
    return {str(code): pk for code, pk in rows.values_list("code", "id")}


def _positions(records: list[ExportRecord]) -> str:
    counts = Counter(r.position for r in records)
    parts = [f"{counts[p]} {POSITION_LABELS[p].lower()}" for p in POSITION_LABELS if counts[p]]
    return ", ".join(parts) or _("no positions recorded")


def _clusters(records: list[ExportRecord], per: str) -> list[tuple[str, list[ExportRecord]]]:
    """Return (title, recommendations), each recommendation once.

    per="recommendation": one section each. Otherwise clusters: the groups of recommendations
    that say the same thing (analysis groups), then the rest by main theme, as States do.
    """
    from rightstrack.recommendations.models import GroupMembership

    ordered = sorted(records, key=lambda r: paragraph_order(r.paragraph))
    if per == "recommendation":
        return [
            (f"{r.paragraph} ({', '.join(r.recommending_states)})".replace(" ()", ""), [r])
            for r in ordered
        ]
    by_code = {r.code: r for r in ordered}
    clusters: dict[str, list[ExportRecord]] = {}
    placed: set[str] = set()
    for code, title, group_id in (
        GroupMembership.objects.filter(recommendation__code__in=list(by_code))
        .order_by("group_id", "id")
        .values_list("recommendation__code", "group__title", "group_id")
    ):
        code = str(code)
        if code in placed:
            continue
        clusters.setdefault(title or f"{_('Cluster')} {group_id}", []).append(by_code[code])
        placed.add(code)
    # A group with one recommendation here is no cluster: it goes by theme.
    clusters = {t: m for t, m in clusters.items() if len(m) > 1}
    placed = {r.code for members in clusters.values() for r in members}
    for theme, members in grouped([r for r in ordered if r.code not in placed]):
        rest = [r for r in members if r.code not in placed]
        if rest:
            clusters.setdefault(theme, []).extend(rest)
            placed.update(r.code for r in rest)
    return list(clusters.items())


def midterm_report(user: Any, filters: dict[str, Any], per: str = "cluster") -> tuple[Report, int]:
    """UPR mid-term report draft: per cluster of recommendations (groups that say the same
    thing, then themes) or per recommendation: what was done, by whom, indicators."""
    country = _country(filters)
    filters = dict(filters)
    chosen = filters.pop("per", per)
    per = chosen[0] if isinstance(chosen, list) else chosen
    filters = {**filters, "mechanism": ["upr"]}
    records = _records(user, filters)
    if not records:
        raise ExportError(f"no UPR recommendations to {country.name}")
    cycles = sorted({r.cycle for r in records if r.cycle})
    if not filters.get("cycle") and cycles:
        records = [r for r in records if r.cycle == cycles[-1]]
    cycle = records[0].cycle
    session = records[0].session
    ids = _ids(records)
    done = _done_by(user, list(ids.values()))
    report = Report(
        title=_(
            "Mid-term report of %(state)s on the implementation of the recommendations "
            "of the universal periodic review"
        )
        % {"state": country.name},
        subtitle=_("Draft drawn up from the follow-up records"),
        meta=[
            (_("State under review"), country.name),
            (_("Cycle and session"), f"{cycle or '…'} / {session or '…'}"),
            (_("Recommendations"), f"{len(records)} ({_positions(records)})"),
            (_("Drawn up"), _today()),
        ],
        footer=_("Draft for the national mechanism; check every statement before submission."),
    )
    report.add(
        Heading(_("I. Introduction and methodology")),
        Paragraph(
            _(
                "%(state)s received %(n)d recommendations (%(positions)s). This draft groups "
                "them by theme, as the OHCHR thematic list does, and gives for each what was done, "
                "by whom, and the indicators followed."
            )
            % {"state": country.name, "n": len(records), "positions": _positions(records)}
        ),
    )
    status_counts = Counter(_status(r) for r in records)
    report.add(
        Table(
            _("Implementation status of the recommendations"),
            [_("Status"), _("Recommendations")],
            [[k, v] for k, v in status_counts.most_common()],
        ),
        Heading(
            _("II. Implementation, recommendation by recommendation")
            if per == "recommendation"
            else _("II. Implementation, by cluster of recommendations")
        ),
    )
    for theme, members in _clusters(records, per):
        report.add(Heading(theme, level=3))
        report.add(
            Table(
                _("Recommendations: %(theme)s") % {"theme": theme},
                [
                    _("No."),
                    _("Recommendation"),
                    _("Recommending State(s)"),
                    _("Position"),
                    _("Status"),
                ],
                [
                    [
                        r.paragraph,
                        _short(r.text),
                        ", ".join(r.recommending_states),
                        POSITION_LABELS.get(r.position, ""),
                        _status(r),
                    ]
                    for r in members
                ],
            )
        )
        items = []
        for r in members:
            facts = done.get(ids.get(r.code, 0), {})
            for key, label in (
                ("updates", _("Done")),
                ("actions", _("Action")),
                ("indicators", _("Indicator")),
            ):
                items.extend(f"{r.paragraph} — {label}: {t}" for t in facts.get(key, []))
            items.extend(f"{r.paragraph} — {_('Responsible')}: {a}" for a in r.assignments)
        report.add(Bullets(items) if items else Paragraph(_("Nothing reported yet."), style="note"))
    return report, len(records)


def followup_report(user: Any, filters: dict[str, Any]) -> tuple[Report, int]:
    """Treaty body follow-up report draft: the paragraphs selected for follow-up."""
    country = _country(filters)
    filters = {**filters, "mechanism": ["treaty_body"], "follow_up": True}
    records = _records(user, filters)
    if not records:
        raise ExportError(f"no treaty body paragraphs selected for follow-up for {country.name}")
    grades = _grades(user, records)
    ids = _ids(records)
    done = _done_by(user, list(ids.values()))
    bodies = sorted({r.body for r in records})
    report = Report(
        title=_("Information received from %(state)s on follow-up to the concluding observations")
        % {"state": country.name},
        subtitle=_("Draft follow-up report: %(bodies)s") % {"bodies": ", ".join(bodies)},
        meta=[(_("State party"), country.name), (_("Drawn up"), _today())],
        footer=_("Draft; the committee's grades are shown once given."),
    )
    report.add(
        Table(
            _("Paragraphs selected for follow-up"),
            [_("Committee"), _("Document"), _("Paragraph"), _("Due"), _("Status"), _("Grade")],
            [
                [
                    r.body,
                    r.document_symbol,
                    r.paragraph,
                    r.follow_up_due_date or r.follow_up_due,
                    _status(r),
                    grades.get(r.code, ""),
                ]
                for r in sorted(
                    records, key=lambda r: (r.body, r.document_symbol, paragraph_order(r.paragraph))
                )
            ],
        )
    )
    for r in records:
        report.add(
            Heading(f"{r.body} {r.document_symbol}, {_('paragraph')} {r.paragraph}", level=3)
        )
        report.add(Paragraph(r.text, style="quote"))
        facts = done.get(ids.get(r.code, 0), {})
        items = [f"{_('Done')}: {t}" for t in facts.get("updates", [])]
        items += [f"{_('Action')}: {t}" for t in facts.get("actions", [])]
        items += [f"{_('Indicator')}: {t}" for t in facts.get("indicators", [])]
        report.add(Bullets(items) if items else Paragraph(_("Nothing reported yet."), style="note"))
    return report, len(records)


def _grades(user: Any, records: list[ExportRecord]) -> dict[str, str]:
    """The committee's latest grade of each paragraph the person may see (deadlines app)."""
    from django.apps import apps

    try:
        model = apps.get_model("deadlines", "CommitteeGrade")
    except LookupError:  # the deadlines app is not installed: the column stays empty
        return {}
    out: dict[str, str] = {}
    rows = (
        model.objects.visible_to(user)
        .filter(recommendation__code__in=[r.code for r in records], sub_item=None)
        .order_by("-date", "-id")
        .values_list("recommendation__code", "grade", "date")
    )
    for code, grade, date in rows:
        out.setdefault(str(code), f"{grade} ({date})")
    return out


ADVOCACY_VERBS = re.compile(r"\b(ratify|accede|adopt|amend|establish|allocate|investigate)\b", re.I)


def cluster_brief(user: Any, filters: dict[str, Any]) -> tuple[Report, int]:
    """Two pages for a protection cluster: protection-relevant recommendations and advocacy."""
    country = _country(filters)
    records = [r for r in _records(user, filters) if r.protection_relevant]
    if not records:
        raise ExportError(
            f"no protection-relevant recommendations to {country.name} (analyse them first)"
        )
    records.sort(key=lambda r: (r.status == "implemented", -(r.year or 0), r.body))
    shown = records[:18]
    report = Report(
        title=_("Protection cluster brief: %(state)s") % {"state": country.name},
        subtitle=_(
            "UN human rights recommendations relevant to people affected by displacement, conflict or disaster"
        ),
        meta=[
            (_("Recommendations"), f"{len(records)} ({_positions(records)})"),
            (_("Drawn up"), _today()),
        ],
    )
    by_mech = Counter(r.mechanism for r in records)
    report.add(
        Paragraph(
            _(
                "%(n)d recommendations to %(state)s concern the protection of affected people: "
                "%(tb)d from treaty bodies, %(upr)d from the UPR, %(sp)d from special procedures."
            )
            % {
                "n": len(records),
                "state": country.name,
                "tb": by_mech["treaty_body"],
                "upr": by_mech["upr"],
                "sp": by_mech["special_procedures"],
            },
            style="lead",
        ),
        Table(
            _("Protection-relevant recommendations (the %(n)d most recent open ones)")
            % {"n": len(shown)},
            [_("Source"), _("Recommendation"), _("Position"), _("Status"), _("Who follows up")],
            [
                [
                    f"{r.body} {r.paragraph}",
                    _short(r.text, 160),
                    POSITION_LABELS.get(r.position, "—"),
                    _status(r),
                    "; ".join(r.assignments) or "—",
                ]
                for r in shown
            ],
        ),
        Heading(_("Suggested advocacy points")),
    )
    points = []
    noted = [r for r in records if r.position == "noted" and ADVOCACY_VERBS.search(r.text)]
    if noted:
        points.append(
            _(
                "Ask the Government to reconsider %(n)d noted recommendation(s) that ask for a concrete act, e.g. %(p)s: “%(t)s”"
            )
            % {"n": len(noted), "p": noted[0].paragraph, "t": _short(noted[0].text, 120)}
        )
    unassigned = [r for r in records if not r.assignments]
    if unassigned:
        points.append(
            _(
                "%(n)d recommendation(s) have no institution following them up: propose a lead ministry and a cluster partner."
            )
            % {"n": len(unassigned)}
        )
    stalled = [
        r for r in records if r.position in ("supported", "") and r.status in ("", "not_started")
    ]
    if stalled:
        points.append(
            _(
                "%(n)d accepted or treaty body recommendation(s) show no progress: ask for a timeline and indicators."
            )
            % {"n": len(stalled)}
        )
    due = [r for r in records if r.follow_up and r.follow_up_due_date]
    for r in due[:3]:
        points.append(
            _(
                "Submit information to %(body)s before its follow-up deadline (%(due)s) on paragraph %(p)s."
            )
            % {"body": r.body, "due": r.follow_up_due_date, "p": r.paragraph}
        )
    points.append(
        _(
            "Where the State lacks means, point to the UPR Voluntary Fund for Financial and Technical Assistance."
        )
    )
    report.add(Bullets(points))
    return report, len(records)


def action_plan(user: Any, plan: Any) -> tuple[Report, int]:
    """The national human rights action plan, with its yearly progress against indicators."""
    from rightstrack.plans.progress import progress_rows

    recs = list(plan.recommendations.select_related("body").order_by("body__code", "paragraph"))
    report = Report(
        title=plan.title,
        subtitle=_("National human rights action plan, %(start)s to %(end)s")
        % {"start": plan.start, "end": plan.end},
        meta=[
            (_("State"), plan.country.name),
            (_("Status"), plan.get_status_display()),
            (_("Recommendations answered"), str(len(recs))),
            (_("Drawn up"), _today()),
        ],
    )
    report.add(
        Heading(_("1. Current situation")),
        Paragraph(plan.situation or "…"),
        Heading(_("2. Problems to overcome")),
        Paragraph(plan.problems or "…"),
        Heading(_("3. Goals, accountability and actions")),
    )
    action_rows: list[list[Any]] = []
    indicator_rows: list[list[Any]] = []
    for goal in plan.goals.prefetch_related(
        "actions__institution", "actions__fundings__fund", "indicators"
    ):
        report.add(Heading(goal.title, level=3))
        if goal.description:
            report.add(Paragraph(goal.description))
        report.add(Paragraph(f"{_('Accountability')}: {goal.accountability or '…'}"))
        for a in goal.actions.all():
            funding = "; ".join(
                f"{f.fund or f.other_source}: {_num(f.amount)} {f.currency} ({f.get_status_display()})"
                for f in a.fundings.all()
            )
            budget = (
                f"{_num(a.budget_amount)} {a.budget_currency}"
                if a.budget_amount is not None
                else ""
            )
            action_rows.append(
                [
                    goal.title,
                    a.title,
                    a.institution.name,
                    str(a.start or ""),
                    str(a.end or ""),
                    budget,
                    funding,
                    a.get_progress_display(),
                ]
            )
        for i in goal.indicators.all():
            indicator_rows.append(
                [
                    goal.title,
                    i.name,
                    i.unit,
                    _num(i.baseline),
                    str(i.baseline_date or ""),
                    _num(i.target),
                    str(i.target_date or ""),
                ]
            )
    report.add(
        Table(
            _("Actions"),
            [
                _("Goal"),
                _("Action"),
                _("Responsible"),
                _("Start"),
                _("End"),
                _("Budget"),
                _("Funding"),
                _("Progress"),
            ],
            action_rows,
        ),
        Table(
            _("Indicators"),
            [
                _("Goal"),
                _("Indicator"),
                _("Unit"),
                _("Baseline"),
                _("Baseline date"),
                _("Target"),
                _("Target date"),
            ],
            indicator_rows,
        ),
        Heading(_("4. Monitoring and evaluation")),
        Paragraph(plan.monitoring or "…"),
        Heading(_("5. Consultation of the affected population")),
        Table(
            _("Consultations"),
            [
                _("Date"),
                _("Who"),
                _("How"),
                _("Where"),
                _("Participants"),
                _("What they said"),
                _("What the plan does with it"),
            ],
            [
                [str(c.date), c.who, c.method, c.place, c.participants or "", c.said, c.response]
                for c in plan.consultations.all()
            ],
        ),
        Heading(_("6. Progress report")),
        Table(
            _("Progress against indicators, by year"),
            [
                _("Indicator"),
                _("Year"),
                _("Value"),
                _("Baseline"),
                _("Target"),
                _("Share of the way"),
            ],
            progress_rows(plan),
        ),
        PageBreak(),
        Heading(_("Annex: recommendations answered")),
        Table(
            _("Recommendations answered"),
            [_("Body"), _("No."), _("Recommendation"), _("Position")],
            [
                [r.body.code, r.paragraph, _short(r.text), POSITION_LABELS.get(r.position, "")]
                for r in recs
            ],
        ),
    )
    return report, len(recs)


#: The seed's questions (facilitators-guide-session6.txt): what to ask of each recommendation.
QUESTIONS = (
    ("concrete", "Does it propose concrete actions?"),
    ("holders", "Are the rights-holders clearly stated?"),
    ("detail", "What level of detail does it give (benchmarks, indicators, timelines)?"),
    ("tone", "What is its tone, and which verbs does it use?"),
)
TONE_WORDS = re.compile(
    r"\b(gravely concerned|deeply concerned|seriously concerned|concerned|urges?|requests?|"
    r"recommends?|calls? upon|encourages?|invites?|consider(?:ing)?|remains? seized|"
    r"continue|strengthen|ensure|ratify)\b",
    re.I,
)


def choose_exercise_set(records: list[ExportRecord]) -> list[ExportRecord]:
    """Return one recommendation each from a treaty body, the UPR and a special procedure,
    sharing a theme where possible (the theme most of the three families carry)."""
    families = ("treaty_body", "upr", "special_procedures")
    by_theme: dict[str, dict[str, list[ExportRecord]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        for slug, term in r.labels:
            if slug in ("uhri_themes", "uhri_themes_legacy", "groups_of_persons"):
                by_theme[term][r.mechanism].append(r)
    best = max(
        by_theme.items(),
        key=lambda kv: (
            sum(1 for f in families if kv[1].get(f)),
            sum(len(v) for v in kv[1].values()),
        ),
        default=None,
    )
    chosen: list[ExportRecord] = []
    for family in families:
        pool = (best[1].get(family) if best else None) or [
            r for r in records if r.mechanism == family
        ]
        if pool:
            pool = sorted(pool, key=lambda r: (-(r.year or 0), -len(r.text)))
            chosen.append(pool[0])
    return chosen


def exercise_pack(user: Any, filters: dict[str, Any]) -> tuple[Report, int]:
    """Scenario 4: three real recommendations, the worksheet, and the answer key."""
    country = _country(filters)
    records = _records(user, {"country": filters["country"]})
    chosen = choose_exercise_set(records)
    if not chosen:
        raise ExportError(f"no recommendations to {country.name}")
    names = {
        "treaty_body": _("Treaty body"),
        "upr": _("Universal Periodic Review"),
        "special_procedures": _("Special procedure"),
    }
    report = Report(
        title=_("Comparing recommendations: %(state)s") % {"state": country.name},
        subtitle=_("Exercise for the training session on UN human rights mechanisms"),
        meta=[(_("Drawn up"), _today())],
    )
    report.add(Heading(_("The recommendations")))
    for i, r in enumerate(chosen, start=1):
        report.add(
            Heading(
                f"{i}. {names[r.mechanism]}: {r.body} {r.document_symbol} {r.paragraph}".strip(),
                level=3,
            ),
            Paragraph(r.text, style="quote"),
        )
    report.add(Heading(_("Worksheet")))
    report.add(
        Table(
            _("For each recommendation, answer the questions"),
            [_("Question"), *[f"{i}. {names[r.mechanism]}" for i, r in enumerate(chosen, 1)]],
            [[_(q), *["" for _r in chosen]] for _k, q in QUESTIONS],
        ),
        PageBreak(),
        Heading(_("Facilitator's answer key")),
        Paragraph(
            _("Filled in by rightstrack's analyser; the words in quotes decided each answer."),
            style="note",
        ),
    )
    key_rows = []
    for i, r in enumerate(chosen, start=1):
        result = analyse_one(r.text)
        reasons = {reason.split(":", 1)[0]: reason for reason in result.reasons}
        tone = sorted({m.lower() for m in TONE_WORDS.findall(r.text)})
        detail_words = [x for x in result.reasons if x.split(":", 1)[0] in result.detail]
        key_rows.append(
            [
                f"{i}. {names[r.mechanism]}",
                (_("Yes") + f" — {reasons['concrete action']}")
                if result.concrete_action
                else _("No specific act") + f" — {reasons.get('action', '')}",
                (_("Yes") + f" — {reasons['rights-holders']}")
                if result.rights_holders_stated
                else _("Not stated"),
                "; ".join(detail_words) or _("No benchmarks, indicators or timelines"),
                f"{_('category')} {result.action_category}, {_('verb')} '{result.action_verb}'; "
                + (", ".join(f"'{w}'" for w in tone) or "—"),
            ]
        )
    report.add(
        Table(
            _("Answers, with the deciding words"),
            [
                _("Recommendation"),
                _("Concrete actions?"),
                _("Rights-holders stated?"),
                _("Level of detail"),
                _("Tone and verbs"),
            ],
            key_rows,
        )
    )
    return report, len(chosen)


def set_direction(report: Report, recommendations: Any) -> Report:
    """Set the report's language and direction: those of its recommendations when more than
    half of them are in a right-to-left language (Arabic...), else the language of the page
    it is asked from. Paragraphs and cells running the other way are marked one by one."""
    from django.db.models import Count
    from django.utils import translation

    counts = (
        recommendations.order_by()
        .values_list("language")
        .annotate(n=Count("id"))
        .order_by("-n", "language")
    )
    counts = list(counts)
    language = (translation.get_language() or "en").split("-")[0]
    rtl = sum(n for lang, n in counts if lang.split("-")[0] in RTL_LANGUAGES)
    if counts and 2 * rtl > sum(n for _lang, n in counts):
        language = next(lang for lang, _n in counts if lang.split("-")[0] in RTL_LANGUAGES)
        language = language.split("-")[0]
    report.language = language
    report.direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    return report


def render_html(report: Report, *, kind: str = "") -> str:
    """Return *report* as a whole HTML page for WeasyPrint (templates/reports/report.html)."""
    return render_to_string(
        "reports/report.html",
        {
            "report": report,
            "kind": kind,
            "rtl": report.direction == "rtl" or report.language in RTL_LANGUAGES,
        },
    )
