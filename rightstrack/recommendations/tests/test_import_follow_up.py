"""What extraction finds reaches the database, by every way in (issue 11 §0).

The follow-up selection and its due date, the urgent measures, the next report's due date and
the lettered sub-items; follow-up selection as a filter on the web, the API and the CLI.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from rightstrack.accounts.models import ApiToken
from rightstrack.conftest import SHARED_RAW
from rightstrack.formats.records import RecordIn, follow_up_due_date
from rightstrack.recommendations import services
from rightstrack.recommendations.models import Document, Recommendation, SubItem
from rightstrack.test import FollowUpTestCase

CANADA = SHARED_RAW / "crpd-concluding-observations-sample" / "Canada_2017_CRPD_C_CAN_CO_1.pdf"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def co(paragraph: str = "12", **extra) -> RecordIn:  # type: ignore[no-untyped-def]
    return RecordIn(
        text="The Committee recommends that the State party (a) amend ... (b) train ...",
        mechanism="treaty_body",
        body="CRPD",
        country="SVN",
        document_symbol="CRPD/C/SVN/CO/1",
        document_date=date(2018, 4, 16),
        paragraph=paragraph,
        **extra,
    )


def test_the_due_date_comes_from_the_document_date_and_the_period() -> None:
    assert follow_up_due_date(co(follow_up_due="2019-04-16")) == date(2019, 4, 16)
    assert follow_up_due_date(co(follow_up_due="within 24 months")) == date(2020, 4, 16)
    assert follow_up_due_date(co(follow_up_due="one year")) == date(2019, 4, 16)
    assert follow_up_due_date(co(follow_up_due="")) is None
    given = date(2021, 1, 1)
    assert follow_up_due_date(co(follow_up_due="12 months", follow_up_due_date=given)) == given


@pytest.mark.django_db
def test_flags_dates_and_sub_items_are_stored_and_kept_across_re_imports() -> None:
    from rightstrack.tracking.models import Assignment

    first = co(
        follow_up=True,
        follow_up_due="within 24 months",
        urgent=True,
        next_report_due=date(2026, 4, 16),
        sub_items=(("a", "Amend the law"), ("b", "Train judges"), ("c", "Collect data")),
    )
    services.import_records([first], kind="un-document", file_name="co.pdf")
    rec = Recommendation.objects.get()
    assert (rec.follow_up, rec.urgent, rec.follow_up_due_date) == (True, True, date(2020, 4, 16))
    assert Document.objects.get().next_report_due == date(2026, 4, 16)
    assert list(rec.sub_items.values_list("label", "text")) == [
        ("a", "Amend the law"),
        ("b", "Train judges"),
        ("c", "Collect data"),
    ]
    assert Recommendation.objects.count() == 1  # counts keep the paragraph as their unit

    # Follow-up is attached to (c); a later extraction finds only (a) and (b), with (b) reworded.
    item_c = rec.sub_items.get(label="c")
    fields = {f.name for f in Assignment._meta.get_fields()}
    assert "sub_item" in fields
    from rightstrack.test import make_institution

    institution = make_institution("Ministry of Justice", "ministry", rec.country)
    Assignment.objects.create(
        recommendation=rec, sub_item=item_c, institution=institution, country=rec.country
    )
    ids = dict(rec.sub_items.values_list("label", "id"))
    second = co(sub_items=(("a", "Amend the law"), ("b", "Train all judges")))
    result = services.import_records([second], kind="un-document", file_name="co.pdf")

    assert result.updated == 1
    assert dict(rec.sub_items.values_list("label", "id")) == ids  # stable: same rows
    assert rec.sub_items.get(label="b").text == "Train all judges"
    assert SubItem.objects.filter(pk=item_c.pk).exists()  # follow-up attached: kept
    rec.refresh_from_db()
    assert rec.follow_up and rec.urgent  # a source that does not say so removes nothing


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
@pytest.mark.shared_data
@pytest.mark.skipif(not CANADA.is_file(), reason="../shared/data/raw is absent")
class SamePdfEveryWayTestCase(FollowUpTestCase):
    """The same concluding observations through `rightstrack import`, the page and the API."""

    def stored(self) -> list[tuple[str, bool, date | None]]:
        return sorted(
            Recommendation.objects.filter(document_symbol="CRPD/C/CAN/CO/1")
            .filter(follow_up=True)
            .values_list("paragraph", "follow_up", "follow_up_due_date")
        )

    def expected(self) -> list[tuple[str, bool, date | None]]:
        return [("14", True, date(2018, 5, 8)), ("8", True, date(2018, 5, 8))]

    def clear(self) -> None:
        Recommendation.objects.filter(document_symbol="CRPD/C/CAN/CO/1").delete()

    def test_the_cli_the_page_and_the_api_store_the_follow_up(self) -> None:
        call_command("import_recommendations", str(CANADA), "--no-analyse", stdout=io.StringIO())
        self.assertEqual(self.stored(), self.expected())
        self.clear()

        self.client.force_login(self.alice)
        with CANADA.open("rb") as fp:
            upload = SimpleUploadedFile(CANADA.name, fp.read(), content_type="application/pdf")
        self.assertEqual(self.client.post("/import/", {"file": upload}).status_code, 200)
        self.assertEqual(self.stored(), self.expected())
        self.clear()

        _token, plain = ApiToken.issue(self.alice)
        upload = SimpleUploadedFile(
            CANADA.name, CANADA.read_bytes(), content_type="application/pdf"
        )
        response = self.client.post(
            "/api/v1/imports", {"file": upload}, headers={"Authorization": f"Bearer {plain}"}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.stored(), self.expected())

        # The page shows it, and follow-up selection is a filter everywhere.
        rec = Recommendation.objects.get(document_symbol="CRPD/C/CAN/CO/1", paragraph="8")
        page = self.client.get(rec.get_absolute_url())
        self.assertContains(page, "Selected for the treaty body")
        total = Recommendation.objects.count()
        selected = Recommendation.objects.filter(follow_up=True).count()
        self.assertLess(selected, total)
        api = self.client.get(
            "/api/v1/recommendations?follow_up=true&page_size=100",
            headers={"Authorization": f"Bearer {plain}"},
        ).json()
        self.assertEqual(api["count"], selected)
        out = io.StringIO()
        call_command("search_recommendations", "--follow-up", "--format=json", stdout=out)
        self.assertEqual(len(json.loads(out.getvalue())), selected)
        web = self.client.get("/?follow_up=true")
        self.assertContains(web, 'name="follow_up" value="true" checked')
        self.assertContains(web, f"{selected} recommendation")
