"""Fill a database with one State's follow-up at scale, deterministically, in seconds.

One State ("Freedonia", code ZZF) with *recommendations* recommendations of the UPR, treaty
bodies and special procedures (real texts from the UPR Info export in ../shared/data when it is
there, recombined; otherwise our own), *institutions* institutions (the national mechanism,
ministries, the national human rights institution, civil society, UN agencies, the protection
cluster and its partners), people in every role, assignments (lead and supporting, some to
lettered sub-items, some ended, some overdue), *updates* status updates (validated, waiting for
validation, sent back; with evidence links), the State's current status, actions with budgets,
indicators with disaggregated measurements, NHRI and civil society assessments, and the
append-only history (Event rows) of all of it. A second, smaller State ("Borduria", ZZG) has
its own institutions and follow-up, so that permission filters have something to leave out.

Everything is written through the ORM in bulk (`bulk_create`), not through
rightstrack.tracking.services: the point is a large, realistic database fast, for benchmarks.
The rows are what the services would have written (same fields, same Event kinds).

Use from Python, after django.setup() on a migrated database:

    from followup_data import populate
    info = populate(recommendations=5000, institutions=40, updates=20000, seed=1)
    info["users"]["focal_point"]   # a focal point's username (password "password")

or from the command line (creates and migrates the database first):

    python bench/followup_data.py --db /tmp/followup.sqlite3
    python bench/followup_data.py --postgres postgres://postgres@127.0.0.1:5432/rt_bench_followup

Dates are relative to *today* (default: the current date) so that some assignments are overdue
and every update lies in the past; pass today=datetime.date(...) for identical output on any day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from search_speed import OBJECTS, TAILS, VERBS, real_texts

ROOT = Path(__file__).resolve().parents[1]

COUNTRY = ("ZZF", "Freedonia")
OTHER_COUNTRY = ("ZZG", "Borduria")
PASSWORD = "password"

MINISTRIES = [
    "Ministry of Justice",
    "Ministry of Health",
    "Ministry of Education",
    "Ministry of the Interior",
    "Ministry of Foreign Affairs",
    "Ministry of Labour and Social Affairs",
    "Ministry of Finance",
    "Ministry of Defence",
    "Ministry of Agriculture",
    "Ministry of the Environment",
    "Ministry of Culture",
    "Ministry of Women and Gender Equality",
    "Ministry of Youth and Sport",
    "Ministry of Housing",
    "Ministry of Digital Affairs",
    "Ministry of Infrastructure",
    "Ministry of Economy",
    "Ministry of Refugees and Internally Displaced Persons",
    "Ministry of Public Administration",
    "Ministry of Minorities",
    "National Statistics Office",
    "Office of the Prosecutor General",
    "Supreme Court Administration",
    "Prison Service",
    "National Police",
    "Office for Persons with Disabilities",
    "Child Protection Agency",
    "Electoral Commission",
    "Anti-Corruption Agency",
    "Ombudsperson for Children",
    "Data Protection Authority",
    "Office of the Prime Minister",
]
OTHERS = [
    ("Human Rights Commission", "nhri"),
    ("Legal Aid Network", "cso"),
    ("Disability Rights Coalition", "cso"),
    ("Women's Rights Forum", "cso"),
    ("UNHCR Country Office", "un_agency"),
    ("UNICEF Country Office", "un_agency"),
    ("Protection Cluster", "cluster"),
    ("Field Partner North", "cluster"),
    ("Field Partner South", "cluster"),
    ("Shelter Partner", "cluster"),
]
BODIES = [
    ("UPR", "upr", "Universal Periodic Review"),
    ("CRPD", "treaty_body", "Committee on the Rights of Persons with Disabilities"),
    ("CRC", "treaty_body", "Committee on the Rights of the Child"),
    ("CEDAW", "treaty_body", "Committee on the Elimination of Discrimination against Women"),
    ("CAT", "treaty_body", "Committee against Torture"),
    ("CCPR", "treaty_body", "Human Rights Committee"),
    ("SR-IDPs", "special_procedures", "Special Rapporteur on the human rights of IDPs"),
]
SUB_ITEMS = [
    "Amend the legislation to bring it into line with the Convention",
    "Train judges, prosecutors and police officers",
    "Collect data disaggregated by sex, age and disability",
    "Allocate sufficient human, technical and financial resources",
    "Consult organisations of persons with disabilities",
]
NOTES = [
    "Draft law prepared and sent to the inter-ministerial working group.",
    "Training held for 120 officials in three regions; report attached.",
    "Budget line approved in the annual budget; implementation starts next quarter.",
    "Consultations with civil society held; summary of comments attached.",
    "Data collection tool adopted by the statistics office; first figures expected.",
    "Law adopted by Parliament and published in the Official Gazette.",
    "Awaiting the opinion of the legislative council.",
    "Pilot completed in two municipalities; evaluation under way.",
]
REASONS = [
    "Please attach the minutes of the working group.",
    "The date given is before the law was adopted; please check.",
    "The status claimed is not supported by the evidence; describe what remains.",
]
STATUS_ORDER = ["not_started", "in_progress", "partially_implemented", "implemented"]
DISAGGREGATIONS = [
    {},
    {"sex": "female"},
    {"sex": "male"},
    {"displacement_status": "internally displaced"},
    {"age_group": "0-17"},
    {"disability": "with disability"},
    {"location": "North region"},
]


def _texts(rnd: random.Random, wanted: int) -> list[str]:
    """Return *wanted* recommendation texts: real UPR Info texts when present, else ours.

    The real texts come from bench/upr_info_data.py (through search_speed.real_texts), the
    made-up ones from the same word lists as bench/search_speed.py.
    """
    seen: set[str] = set()
    texts: list[str] = []
    for raw in real_texts():
        text = " ".join(raw.split())
        if len(text) > 30 and text not in seen:
            seen.add(text)
            texts.append(text)
    texts.sort()
    rnd.shuffle(texts)
    while len(texts) < wanted:
        texts.append(f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} {rnd.choice(TAILS)}".strip() + ".")
    return texts[:wanted]


def _uuid(rnd: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rnd.getrandbits(128), version=4)


def _aware(day: dt.date, rnd: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8 + rnd.randrange(10), rnd.randrange(60)), dt.UTC)


def populate(
    recommendations: int = 5000,
    institutions: int = 40,
    updates: int = 20000,
    seed: int = 1,
    *,
    today: dt.date | None = None,
    other_state: bool = True,
) -> dict[str, Any]:
    """Fill the (migrated) database; return what was made.

    The result names the State ("country": alpha-3 code), the usernames of one person per
    role ("users": role -> username, password "password"), the institution of the focal point
    ("institution": its name and "institution_code"), a recommendation with a long history
    ("busy_recommendation": its code) and the number of rows of each kind ("counts").
    """
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from rightstrack.accounts.models import Institution, Membership
    from rightstrack.recommendations.models import (
        Analysis,
        Body,
        Country,
        Document,
        Recommendation,
        SubItem,
    )
    from rightstrack.tracking.models import (
        Action,
        Assessment,
        Assignment,
        Event,
        Evidence,
        FollowUp,
        Indicator,
        Measurement,
        StatusUpdate,
    )

    if institutions < 12:
        raise ValueError("institutions: at least 12 (the mechanism, ministries and partners)")
    rnd = random.Random(seed)
    today = today or dt.date.today()
    password = make_password(PASSWORD, salt="followupbench")  # hashed once, shared by all
    texts = _texts(rnd, recommendations + (recommendations // 10 if other_state else 0))
    counts: dict[str, int] = {}
    started = time.perf_counter()

    with transaction.atomic():
        country, _ = Country.objects.get_or_create(
            code=COUNTRY[0], defaults={"name": COUNTRY[1], "alpha2": ""}
        )
        bodies = {}
        for code, mechanism, name in BODIES:
            bodies[code], _ = Body.objects.get_or_create(
                code=code, defaults={"mechanism": mechanism, "name": name}
            )
        admin = User.objects.create(
            username=f"fb{seed}-admin", email=f"fb{seed}-admin@example.org", password=password
        )

        state = _populate_state(
            rnd,
            country=country,
            bodies=bodies,
            texts=texts[:recommendations],
            institutions=institutions,
            updates=updates,
            today=today,
            password=password,
            prefix=f"fb{seed}",
            models={
                "User": User,
                "Institution": Institution,
                "Membership": Membership,
                "Document": Document,
                "Recommendation": Recommendation,
                "Analysis": Analysis,
                "SubItem": SubItem,
                "Assignment": Assignment,
                "StatusUpdate": StatusUpdate,
                "Evidence": Evidence,
                "FollowUp": FollowUp,
                "Action": Action,
                "Indicator": Indicator,
                "Measurement": Measurement,
                "Assessment": Assessment,
                "Event": Event,
            },
        )
        Membership.objects.create(user=admin, institution=state["nmrf"], role="admin")
        state["users"]["admin"] = admin.username
        for name, n in state["counts"].items():
            counts[name] = counts.get(name, 0) + n
        if other_state:
            other, _ = Country.objects.get_or_create(
                code=OTHER_COUNTRY[0], defaults={"name": OTHER_COUNTRY[1], "alpha2": ""}
            )
            small = _populate_state(
                rnd,
                country=other,
                bodies=bodies,
                texts=texts[recommendations:],
                institutions=12,
                updates=updates // 10,
                today=today,
                password=password,
                prefix=f"fb{seed}-other",
                models=state["models"],
            )
            for name, n in small["counts"].items():
                counts[name] = counts.get(name, 0) + n
            state["other_users"] = small["users"]
    with connection.cursor() as cursor:
        # VACUUM cannot run inside a transaction (a test's); ANALYZE alone can.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return {
        "country": COUNTRY[0],
        "other_country": OTHER_COUNTRY[0] if other_state else None,
        "users": state["users"],
        "other_users": state.get("other_users", {}),
        "institution": state["focal_institution"].name,
        "institution_code": str(state["focal_institution"].code),
        "busy_recommendation": str(state["busy"].code),
        "counts": counts,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _populate_state(
    rnd: random.Random,
    *,
    country: Any,
    bodies: dict[str, Any],
    texts: list[str],
    institutions: int,
    updates: int,
    today: dt.date,
    password: str,
    prefix: str,
    models: dict[str, Any],
) -> dict[str, Any]:
    m = models
    counts: dict[str, int] = {}
    batch = 2000

    # --- institutions: the mechanism, ministries, then NHRI, CSOs, UN agencies, cluster ---
    # Always an NHRI, civil society, a UN agency, the cluster and a partner; more when large.
    essential = [OTHERS[0], OTHERS[1], OTHERS[4], OTHERS[6], OTHERS[7]]
    extra = [o for o in OTHERS if o not in essential][: max(0, institutions // 4 - 5)]
    others = essential + extra
    n_ministries = institutions - 1 - len(others)
    names = MINISTRIES[:n_ministries] + [
        f"Agency {i}" for i in range(1, n_ministries - len(MINISTRIES) + 1)
    ]
    rows = [m["Institution"](name="National Mechanism", kind="nmrf", country=country)]
    rows += [
        m["Institution"](
            name=name,
            kind="ministry",
            country=country,
            # Most ministries have their focal point's updates validated; a few do not.
            requires_validation=i % 7 != 3,
        )
        for i, name in enumerate(names)
    ]
    rows += [m["Institution"](name=name, kind=kind, country=country) for name, kind in others]
    for inst in rows:
        inst.code = _uuid(rnd)
    insts = m["Institution"].objects.bulk_create(rows)
    counts["institutions"] = len(insts)
    nmrf = insts[0]
    ministries = [i for i in insts if i.kind == "ministry"]
    assessors = [i for i in insts if i.kind in ("nhri", "cso")]
    partners = [i for i in insts if i.kind in ("cluster", "un_agency")]
    cluster = next((i for i in insts if i.kind == "cluster"), partners[0])
    assignable = ministries + [i for i in partners if i is not cluster]

    # --- people: one or more per role ----------------------------------------------------
    people: list[tuple[str, Any, str]] = [(f"{prefix}-coordinator", nmrf, "coordinator")]
    for n, inst in enumerate(ministries + [i for i in partners if i is not cluster]):
        people.append((f"{prefix}-fp{n:02d}", inst, "focal_point"))
        people.append((f"{prefix}-val{n:02d}", inst, "validator"))
        if n % 4 == 0:
            people.append((f"{prefix}-view{n:02d}", inst, "viewer"))
    for n, inst in enumerate(assessors):
        people.append((f"{prefix}-contrib{n:02d}", inst, "contributor"))
    people.append((f"{prefix}-cluster", cluster, "cluster_coordinator"))
    users = m["User"].objects.bulk_create(
        m["User"](username=u, email=f"{u}@example.org", password=password, first_name=u)
        for u, _, _ in people
    )
    m["Membership"].objects.bulk_create(
        m["Membership"](user=user, institution=inst, role=role)
        for user, (_, inst, role) in zip(users, people, strict=True)
    )
    counts["people"] = len(users)
    by_role: dict[str, list[Any]] = {}
    focal: dict[int, Any] = {}
    validator: dict[int, Any] = {}
    contributor: dict[int, Any] = {}
    for user, (_, inst, role) in zip(users, people, strict=True):
        by_role.setdefault(role, []).append(user)
        {"focal_point": focal, "validator": validator, "contributor": contributor}.get(
            role, {}
        ).setdefault(inst.pk, user)
    coordinator = by_role["coordinator"][0]

    # --- documents and recommendations ---------------------------------------------------
    docs = {}
    for code, body in bodies.items():
        for cycle in (1, 2, 3):
            year = today.year - 12 + cycle * 4
            symbol = (
                f"A/HRC/{10 + cycle * 12}/{country.code[-1]}{cycle}"
                if body.mechanism == "upr"
                else f"{code}/C/{country.code}/CO/{cycle}"
            )
            docs[code, cycle] = (
                m["Document"](
                    symbol=symbol,
                    kind="upr_report"
                    if body.mechanism == "upr"
                    else "concluding_observations"
                    if body.mechanism == "treaty_body"
                    else "sp_report",
                    body=body,
                    country=country,
                    date=dt.date(year, 3, 15),
                ),
                year,
            )
    m["Document"].objects.bulk_create([d for d, _ in docs.values()])
    weights = [("UPR", 6), ("CRPD", 1), ("CRC", 1), ("CEDAW", 1), ("CAT", 1), ("CCPR", 1)]
    weights += [("SR-IDPs", 1)]
    body_pool = [code for code, w in weights for _ in range(w)]
    recs = []
    paragraph_no: dict[tuple[str, int], int] = {}
    for n, text in enumerate(texts):
        code = rnd.choice(body_pool)
        cycle = rnd.choice((1, 2, 3, 3))
        doc, year = docs[code, cycle]
        para = paragraph_no[code, cycle] = paragraph_no.get((code, cycle), 0) + 1
        upr = code == "UPR"
        rec = m["Recommendation"](
            code=_uuid(rnd),
            key=f"{prefix}-{n}",
            document=doc,
            country=country,
            body=bodies[code],
            mechanism=bodies[code].mechanism,
            document_symbol=doc.symbol,
            paragraph=f"{100 + para // 300}.{para % 300 + 1}" if upr else str(para),
            text=text,
            year=year,
            cycle=cycle if upr else None,
            date=doc.date,
            position=rnd.choice(("supported", "supported", "supported", "noted")) if upr else "",
            follow_up=not upr and rnd.random() < 0.08,
        )
        if rec.follow_up:
            rec.follow_up_due_date = doc.date + dt.timedelta(days=730)
            rec.follow_up_due = rec.follow_up_due_date.isoformat()
        recs.append(rec)
    recs = m["Recommendation"].objects.bulk_create(recs, batch_size=batch)
    counts["recommendations"] = len(recs)
    m["Analysis"].objects.bulk_create(
        (
            m["Analysis"](
                recommendation=rec,
                action_category=rnd.choice((2, 3, 4, 4, 5, 5)),
                protection_relevant=rnd.random() < 0.16,
            )
            for rec in recs
        ),
        batch_size=batch,
    )
    # One treaty body paragraph in ten has lettered sub-items.
    subs = []
    for rec in recs:
        if rec.mechanism == "treaty_body" and rnd.random() < 0.1:
            for k, sub_text in enumerate(rnd.sample(SUB_ITEMS, 3)):
                subs.append(
                    m["SubItem"](
                        code=_uuid(rnd),
                        recommendation=rec,
                        label="abc"[k],
                        text=sub_text,
                        sort=k,
                    )
                )
    subs = m["SubItem"].objects.bulk_create(subs, batch_size=batch)
    counts["sub_items"] = len(subs)
    subs_of: dict[int, list[Any]] = {}
    for sub in subs:
        subs_of.setdefault(sub.recommendation_id, []).append(sub)

    events: list[Any] = []

    def event(kind: str, when: dt.datetime, actor: Any, inst: Any, **fields: Any) -> None:
        events.append(
            {
                "created": when,
                "actor_id": actor.pk if actor else None,
                "actor_name": actor.first_name if actor else "",
                "actor_institution": inst.name if inst else "",
                "kind": kind,
                "country_id": country.pk,
                "institution_id": inst.pk if inst else None,
                "recommendation_id": fields.get("recommendation_id"),
                "sub_item_id": fields.get("sub_item_id"),
                "object_code": fields.get("object_code"),
                "changes": fields.get("changes", {}),
                "note": fields.get("note", ""),
            }
        )

    # --- assignments: a lead for every recommendation, a supporting one for some ----------
    assignments = []
    # The focal point whose list the benchmarks show gets a proportionate share, not more.
    for rec in recs:
        targets: list[tuple[Any, Any, str]] = []
        lead = rnd.choice(assignable)
        pieces = subs_of.get(rec.pk)
        if pieces and rnd.random() < 0.6:
            for sub in pieces:
                targets.append((sub, rnd.choice(assignable), "lead"))
        else:
            targets.append((None, lead, "lead"))
            if rnd.random() < 0.35:
                support = rnd.choice([i for i in assignable if i is not lead][:20])
                targets.append((None, support, "supporting"))
        for sub, inst, role in targets:
            assigned = rec.date + dt.timedelta(days=60 + rnd.randrange(200))
            due = assigned + dt.timedelta(days=rnd.choice((180, 365, 730, 1460)))
            assignments.append(
                m["Assignment"](
                    code=_uuid(rnd),
                    recommendation=rec,
                    sub_item=sub,
                    country=country,
                    institution=inst,
                    role=role,
                    due=due,
                    created=_aware(min(assigned, today), rnd),
                    created_by=coordinator,
                )
            )
    # A few assignments ended (the institution no longer follows it up).
    for a in rnd.sample(assignments, len(assignments) // 50):
        a.active = False
        a.version = 2
    assignments = m["Assignment"].objects.bulk_create(assignments, batch_size=batch)
    counts["assignments"] = len(assignments)
    for a in assignments:
        event(
            "assignment.created",
            a.created,
            coordinator,
            a.institution,
            recommendation_id=a.recommendation_id,
            sub_item_id=a.sub_item_id,
            object_code=a.code,
            changes={"institution": a.institution.name, "role": a.role, "due": str(a.due)},
        )
        if not a.active:
            event(
                "assignment.ended",
                a.created + dt.timedelta(days=30),
                coordinator,
                a.institution,
                recommendation_id=a.recommendation_id,
                sub_item_id=a.sub_item_id,
                object_code=a.code,
                changes={"institution": a.institution.name},
                note="Reassigned after the ministries were reorganised.",
            )
    follow_ups = {}
    for a in assignments:
        key = (a.recommendation_id, a.sub_item_id)
        if key not in follow_ups:
            follow_ups[key] = m["FollowUp"](
                code=_uuid(rnd),
                recommendation_id=a.recommendation_id,
                sub_item_id=a.sub_item_id,
                country=country,
            )

    # --- status updates: spread over the assignments, a few recommendations with many -----
    active = [a for a in assignments if a.active]
    # The busy recommendation is one the benchmarks' focal point follows (the first ministry's,
    # see below), so its page shows that focal point the whole history.
    busy = next((a for a in active if a.institution_id == ministries[0].pk), active[0])
    picks = [busy] * min(40, updates // 10) if updates else []
    picks += [rnd.choice(active) for _ in range(max(0, updates - len(picks)))]
    progress: dict[tuple[int, int | None], int] = {}
    upd_rows = []
    for a in picks:
        key = (a.recommendation_id, a.sub_item_id)
        step = progress[key] = min(progress.get(key, 0) + rnd.choice((0, 1, 1)), 3)
        # Each successive update of one item is later; none is in the future.
        start = a.created.date()
        span = max(1, (today - start).days)
        day = min(today, start + dt.timedelta(days=rnd.randrange(span)))
        author = focal.get(a.institution_id) or coordinator
        roll = rnd.random()
        needs = a.institution.requires_validation
        state = "validated" if not needs or roll < 0.8 else "pending" if roll < 0.93 else "rejected"
        upd = m["StatusUpdate"](
            code=_uuid(rnd),
            recommendation_id=a.recommendation_id,
            sub_item_id=a.sub_item_id,
            country=country,
            institution=a.institution,
            author=author,
            status="no_longer_applicable" if rnd.random() < 0.01 else STATUS_ORDER[step],
            date=day,
            note=rnd.choice(NOTES),
            state=state,
            created=_aware(day, rnd),
        )
        if state != "pending":
            decider = author if not needs else validator.get(a.institution_id, coordinator)
            upd.decided_by = decider
            upd.decided = upd.created + dt.timedelta(hours=rnd.randrange(1, 200))
            if state == "rejected":
                upd.decision_note = rnd.choice(REASONS)
        upd_rows.append(upd)
    upd_rows = m["StatusUpdate"].objects.bulk_create(upd_rows, batch_size=batch)
    counts["status_updates"] = len(upd_rows)
    evidence = []
    for upd in upd_rows:
        if rnd.random() < 0.3:
            url = f"https://gov.example.org/{country.code.lower()}/reports/{upd.code.hex[:12]}.pdf"
            evidence.append(
                m["Evidence"](
                    code=_uuid(rnd),
                    update=upd,
                    kind="link",
                    url=url,
                    name=url,
                    created=upd.created,
                )
            )
        event(
            "update.submitted",
            upd.created,
            upd.author,
            upd.institution,
            recommendation_id=upd.recommendation_id,
            sub_item_id=upd.sub_item_id,
            object_code=upd.code,
            changes={"status": upd.status, "date": str(upd.date)},
            note=upd.note,
        )
        if upd.state == "validated":
            fu = follow_ups[upd.recommendation_id, upd.sub_item_id]
            current = fu.status_date is None or upd.date >= fu.status_date
            kind = "update.approved" if upd.institution.requires_validation else "update.validated"
            event(
                kind,
                upd.decided,
                upd.decided_by,
                upd.institution,
                recommendation_id=upd.recommendation_id,
                sub_item_id=upd.sub_item_id,
                object_code=upd.code,
                changes={
                    "status": [fu.status, upd.status if current else fu.status],
                    "date": str(upd.date),
                    "became_current": current,
                },
            )
            if current:
                fu.status, fu.status_date, fu.last_update = upd.status, upd.date, upd
                fu.updated = upd.decided
                fu.version += 1
        elif upd.state == "rejected":
            event(
                "update.rejected",
                upd.decided,
                upd.decided_by,
                upd.institution,
                recommendation_id=upd.recommendation_id,
                sub_item_id=upd.sub_item_id,
                object_code=upd.code,
                changes={"status": upd.status},
                note=upd.decision_note,
            )
    m["Evidence"].objects.bulk_create(evidence, batch_size=batch)
    counts["evidence"] = len(evidence)
    m["FollowUp"].objects.bulk_create(follow_ups.values(), batch_size=batch)
    counts["follow_ups"] = len(follow_ups)

    # --- actions, indicators, measurements ------------------------------------------------
    n_actions = max(1, len(recs) // 4)
    action_rows, action_recs = [], []
    for _ in range(n_actions):
        a = rnd.choice(active)
        start = a.created.date() + dt.timedelta(days=rnd.randrange(90))
        budget = rnd.random() < 0.6
        action_rows.append(
            m["Action"](
                code=_uuid(rnd),
                country=country,
                institution=a.institution,
                title=rnd.choice(NOTES).split(";")[0].rstrip(".")[:300],
                description="Planned with the national mechanism.",
                start=start,
                end=start + dt.timedelta(days=rnd.choice((180, 365, 730))),
                budget_amount=Decimal(rnd.randrange(5, 500) * 1000) if budget else None,
                budget_currency="EUR" if budget else "",
                funding_source=rnd.choice(("State budget", "EU grant", "UN Joint Fund", ""))
                if budget
                else "",
                progress=rnd.choice(("planned", "ongoing", "ongoing", "completed")),
                created=_aware(min(start, today), rnd),
                created_by=focal.get(a.institution_id) or coordinator,
            )
        )
        action_recs.append(a)
    action_rows = m["Action"].objects.bulk_create(action_rows, batch_size=batch)
    through = m["Action"].recommendations.through
    links = []
    for action, a in zip(action_rows, action_recs, strict=True):
        linked = {a.recommendation_id}
        if rnd.random() < 0.2:
            linked.add(rnd.choice(active).recommendation_id)
        for rec_id in sorted(linked):
            links.append(through(action_id=action.pk, recommendation_id=rec_id))
            event(
                "action.created",
                action.created,
                action.created_by,
                action.institution,
                recommendation_id=rec_id,
                object_code=action.code,
                changes={"institution": action.institution.name, "title": action.title},
            )
    through.objects.bulk_create(links, batch_size=batch)
    counts["actions"] = len(action_rows)

    n_indicators = max(1, len(recs) // 10)
    ind_rows, ind_actions = [], []
    for k in range(n_indicators):
        action = rnd.choice(action_rows)
        ind_rows.append(
            m["Indicator"](
                code=_uuid(rnd),
                country=country,
                institution=action.institution,
                action=action,
                name=f"Indicator {k + 1}: share of cases handled within the time limit",
                unit="%",
                baseline=Decimal(rnd.randrange(5, 50)),
                baseline_date=action.start,
                target=Decimal(rnd.randrange(60, 100)),
                target_date=action.end,
                frequency=rnd.choice(("quarterly", "half_yearly", "yearly")),
                source="Administrative data",
                created=action.created,
                created_by=action.created_by,
            )
        )
        ind_actions.append(action)
    ind_rows = m["Indicator"].objects.bulk_create(ind_rows, batch_size=batch)
    ind_through = m["Indicator"].recommendations.through
    ind_links, measurements = [], []
    linked_of = {}
    for link in links:
        linked_of.setdefault(link.action_id, []).append(link.recommendation_id)
    for ind, action in zip(ind_rows, ind_actions, strict=True):
        rec_ids = linked_of[action.pk]
        ind_links += [ind_through(indicator_id=ind.pk, recommendation_id=r) for r in rec_ids]
        for rec_id in rec_ids:
            event(
                "indicator.created",
                ind.created,
                ind.created_by,
                ind.institution,
                recommendation_id=rec_id,
                object_code=ind.code,
                changes={"name": ind.name, "unit": ind.unit},
            )
        value = float(ind.baseline)
        for q in range(rnd.randrange(1, 6)):
            day = min(today, ind.baseline_date + dt.timedelta(days=90 * (q + 1)))
            value += rnd.uniform(-2, 8)
            for parts in rnd.sample(DISAGGREGATIONS, 2):
                meas = m["Measurement"](
                    code=_uuid(rnd),
                    indicator=ind,
                    date=day,
                    value=Decimal(f"{value:.2f}"),
                    source="Administrative data",
                    author=ind.created_by,
                    created=_aware(day, rnd),
                    **parts,
                )
                measurements.append(meas)
                event(
                    "measurement.added",
                    meas.created,
                    ind.created_by,
                    ind.institution,
                    recommendation_id=rec_ids[0],
                    object_code=meas.code,
                    changes={"indicator": ind.name, "date": str(day), "value": str(meas.value)},
                )
    ind_through.objects.bulk_create(ind_links, batch_size=batch)
    m["Measurement"].objects.bulk_create(measurements, batch_size=batch)
    counts["indicators"] = len(ind_rows)
    counts["measurements"] = len(measurements)

    # --- assessments by the NHRI and civil society ----------------------------------------
    assessments = []
    for a in rnd.sample(active, min(len(active), len(recs) // 10)):
        inst = rnd.choice(assessors)
        day = min(today, a.created.date() + dt.timedelta(days=rnd.randrange(400)))
        assessments.append(
            m["Assessment"](
                code=_uuid(rnd),
                recommendation_id=a.recommendation_id,
                sub_item_id=a.sub_item_id,
                country=country,
                institution=inst,
                author=contributor[inst.pk],
                status=rnd.choice(STATUS_ORDER[:3]),
                date=day,
                note="Our monitoring finds that implementation lags behind the reported status.",
                created=_aware(day, rnd),
            )
        )
    assessments = m["Assessment"].objects.bulk_create(assessments, batch_size=batch)
    counts["assessments"] = len(assessments)
    for s in assessments:
        event(
            "assessment.created",
            s.created,
            s.author,
            s.institution,
            recommendation_id=s.recommendation_id,
            sub_item_id=s.sub_item_id,
            object_code=s.code,
            changes={"status": s.status, "date": str(s.date)},
            note=s.note,
        )

    events.sort(key=lambda e: e["created"])
    _insert(m["Event"], events)
    counts["events"] = len(events)

    # The focal point the benchmarks log in as: the first ministry's (a typical share).
    focal_institution = ministries[0]
    users_out = {
        "coordinator": coordinator.username,
        "focal_point": focal[focal_institution.pk].username,
        "validator": validator[focal_institution.pk].username,
        "viewer": by_role["viewer"][0].username,
        "contributor": by_role["contributor"][0].username,
        "cluster_coordinator": by_role["cluster_coordinator"][0].username,
    }
    busy_rec = next(r for r in recs if r.pk == busy.recommendation_id)
    return {
        "users": users_out,
        "counts": counts,
        "nmrf": nmrf,
        "focal_institution": focal_institution,
        "busy": busy_rec,
        "models": models,
    }


def _insert(model: Any, rows: list[dict[str, Any]], batch: int = 5000) -> None:
    """INSERT *rows* (column -> value) with executemany: what bulk_create writes, without
    building a model instance and an SQL string per row (the history is most of the rows)."""
    from django.db import connection

    if not rows:
        return
    columns = list(rows[0])
    fields = [model._meta.get_field(c.removesuffix("_id")) for c in columns]
    prep = [
        (lambda v, f=f: f.get_db_prep_save(v, connection)) if not c.endswith("_id") else None
        for c, f in zip(columns, fields, strict=True)
    ]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(
                sql,
                [
                    tuple(
                        row[c] if p is None else p(row[c])
                        for c, p in zip(columns, prep, strict=True)
                    )
                    for row in rows[start : start + batch]
                ],
            )


def setup_django(db_path: Path | None = None, postgres: str = "") -> None:
    """Configure Django for a benchmark database (SQLite file, or a PostgreSQL URL)."""
    if postgres:
        os.environ["DATABASE_URL"] = postgres
    else:
        os.environ.pop("DATABASE_URL", None)
        if db_path is not None:
            os.environ["DB_NAME"] = str(db_path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    os.environ["DEBUG"] = "False"
    # Served over loopback here; in production an HTTPS proxy stands in front (docs/deployment.md).
    os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_postgres(url: str) -> None:
    """Drop and create the PostgreSQL database named in *url* (a benchmark's own)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    if not name.startswith("rt_"):
        raise SystemExit(f"refusing to drop {name!r}: benchmark databases start with rt_")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="SQLite file to create (replaced if it exists)")
    parser.add_argument("--postgres", default="", help="PostgreSQL URL (database re-created)")
    parser.add_argument("--recommendations", type=int, default=5000)
    parser.add_argument("--institutions", type=int, default=40)
    parser.add_argument("--updates", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.db and not args.postgres:
        parser.error("give --db FILE or --postgres URL")
    if args.postgres:
        create_postgres(args.postgres)
    elif args.db.exists():
        args.db.unlink()
    setup_django(args.db, args.postgres)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    info = populate(args.recommendations, args.institutions, args.updates, args.seed)
    print(f"filled in {info['seconds']} s: State {info['country']}")
    print(", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in info["counts"].items()))
    print(
        f"focal point {info['users']['focal_point']} of {info['institution']} (password {PASSWORD})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
