"""Scenario 2 of ../shared/docs/scenarios.md, walked in the web UI with Django's test client.

A national mechanism uploads CRPD concluding observations (a real PDF from ../shared/data);
the paragraphs selected for the follow-up procedure are flagged with their date; it assigns
each recommendation to a lead ministry and a supporting one; the Ministry of Justice's focal
point sees only its own list and reports progress with an evidence file; its validator
approves; the status changes; the history shows every step with its author; the NHRI's
assessment shows beside the State's status.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.formats import date_format

from rightstrack.recommendations.models import Recommendation
from rightstrack.test import make_country, make_institution, make_person
from rightstrack.tracking.models import Assignment, FollowUp, StatusUpdate

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]

PDF_NAME = "Kenya_2015_CRPD_C_KEN_CO_1.pdf"
SYMBOL = "CRPD/C/KEN/CO/1"
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_scenario_2_in_the_web_ui(shared_raw, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = shared_raw / "crpd-concluding-observations-sample" / PDF_NAME
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    settings.MEDIA_ROOT = tmp_path / "media"
    kenya = make_country("KEN", "Kenya")
    nmrf = make_institution("National Mechanism for Reporting and Follow-up", "nmrf", kenya)
    justice = make_institution("Ministry of Justice", "ministry", kenya)
    labour = make_institution("Ministry of Labour", "ministry", kenya)
    ombudsman = make_institution("Kenya National Commission on Human Rights", "nhri", kenya)
    cora = make_person("cora", nmrf, "coordinator")
    bob = make_person("bob", justice, "focal_point")
    vera = make_person("vera", justice, "validator")
    lena = make_person("lena", labour, "focal_point")
    nina = make_person("nina", ombudsman, "contributor")

    # 1. The coordinator uploads the PDF through the import page.
    coordinator = login(cora)
    with path.open("rb") as fp:
        upload = SimpleUploadedFile(PDF_NAME, fp.read(), content_type="application/pdf")
    response = coordinator.post("/import/", {"file": upload, "kind": ""})
    assert response.status_code == 200, response.content.decode()[:2000]
    recs = list(Recommendation.objects.filter(document_symbol=SYMBOL).order_by("id"))
    assert len(recs) > 20
    assert {r.country_id for r in recs} == {kenya.pk}
    # Its follow-up paragraphs are flagged, with the date the State must report by.
    selected = [r for r in recs if r.follow_up]
    assert 1 <= len(selected) <= 4, [r.paragraph for r in selected]
    assert all(r.follow_up_due_date is not None for r in selected)
    page = coordinator.get(selected[0].get_absolute_url()).content.decode()
    assert "Selected for the treaty body" in page

    # 2. Each recommendation goes to a lead ministry and a supporting one.
    for rec in recs:
        url = f"/recommendations/{rec.code}/assign/"
        lead = justice if recs.index(rec) % 2 == 0 else labour
        support = labour if lead is justice else justice
        for inst, role in ((lead, "lead"), (support, "supporting")):
            answer = coordinator.post(
                url,
                {
                    "assign-institution": str(inst.code),
                    "assign-role": role,
                    "assign-due": "2027-06-30",
                },
            )
            assert answer.status_code == 302
    assert Assignment.objects.filter(active=True).count() == 2 * len(recs)

    # 3. A focal point sees only its institution's list; with the Ministry of Labour as lead of
    # half of them, Bob's list shows Justice's assignments only.
    focal = login(bob)
    work = focal.get("/work/").content.decode()
    n = len(recs)
    assert f"{n} assignments" in work
    assert "Ministry of Labour" not in work
    lead_only = focal.get("/work/?role=lead").content.decode()
    assert f"{(n + 1) // 2} assignment" in lead_only
    other_state = make_country("UGA", "Uganda")
    stranger = make_person(
        "bea", make_institution("Ministry of Justice", "ministry", other_state), "focal_point"
    )
    assert "CRPD/C/KEN" not in login(stranger).get("/work/").content.decode()

    # ... and reports progress on the first follow-up paragraph with an evidence file.
    target = selected[0]
    response = focal.post(
        f"/recommendations/{target.code}/update/",
        {
            "update-institution": str(justice.code),
            "update-status": "partially_implemented",
            "update-date": "2026-09-15",
            "update-note": "The Persons with Disabilities Bill was adopted; regulations remain.",
            "update-evidence_files": [
                SimpleUploadedFile("act.pdf", EVIDENCE, content_type="application/pdf")
            ],
        },
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get(recommendation=target)
    assert update.state == "pending"
    assert FollowUp.objects.get(recommendation=target, sub_item=None).status == "not_started"

    # 4. The validator approves from the queue; the status changes.
    validator = login(vera)
    queue = validator.get("/validation/").content.decode()
    assert "Persons with Disabilities Bill" in queue
    evidence = update.evidence.get()
    download = validator.get(f"/evidence/{evidence.code}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == EVIDENCE
    response = validator.post(
        f"/updates/{update.code}/decide/", {"d-decision": "approve", "next": "/validation/"}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(recommendation=target, sub_item=None)
    assert (follow_up.status, str(follow_up.status_date)) == ("partially_implemented", "2026-09-15")

    # 5. The NHRI records its own assessment, shown beside the State's status.
    contributor = login(nina)
    response = contributor.post(
        f"/recommendations/{target.code}/assess/",
        {
            "assess-institution": str(ombudsman.code),
            "assess-status": "in_progress",
            "assess-date": "2026-10-01",
            "assess-note": "The regulations are missing; nothing changed yet.",
        },
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "partially_implemented"

    # 6. The history shows every step with its author (as the coordinator reads it).
    page = coordinator.get(target.get_absolute_url()).content.decode()
    panel = page[page.index('id="followup-panel"') :]
    # The State's status and, beside it, the assessments: before the assignments table.
    state = panel[: panel.index("Who follows it up")]
    assert "Partially implemented" in state
    assert "Kenya National Commission on Human Rights" in state and "In progress" in state
    story = panel[panel.index('class="story"') :]
    steps = re.findall(r'<span class="who">([^<]+)</span>([^<]+)', story)
    text = [(who.strip(), what.strip()) for who, what in steps]
    assert text[0][1].startswith("assigned it to Ministry of")
    whos = [who for who, _ in text]
    assert "cora (National Mechanism for Reporting and Follow-up)" in whos
    assert "bob (Ministry of Justice)" in whos
    assert "vera (Ministry of Justice)" in whos
    assert "nina (Kenya National Commission on Human Rights)" in whos
    whats = " ".join(what for _, what in text)
    as_of = date_format(dt.date(2026, 9, 15), "DATE_FORMAT")
    for step in (
        "assigned it to Ministry of Justice",
        "assigned it to Ministry of Labour",
        f"reported the status “Partially implemented” as of {as_of}",
        "with evidence: act.pdf",
        "approved the update: the status is now “Partially implemented”",
        "recorded its own assessment: “In progress”",
    ):
        assert step in whats, step
    # Lena (Labour, supporting) sees the same story; the stranger from Uganda sees none of it.
    assert "approved the update" in login(lena).get(target.get_absolute_url()).content.decode()
    assert (
        "approved the update" not in login(stranger).get(target.get_absolute_url()).content.decode()
    )
