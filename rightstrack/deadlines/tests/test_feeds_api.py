"""GET /deadlines, the iCalendar feed, committee grades: through the API and the pages."""

from __future__ import annotations

import datetime as dt

import icalendar
import time_machine

from rightstrack.accounts.models import ApiToken, Profile
from rightstrack.deadlines import feeds, services
from rightstrack.deadlines.models import CommitteeGrade, Deadline
from rightstrack.recommendations.models import Review
from rightstrack.test import FollowUpTestCase, make_body, make_recommendation
from rightstrack.tracking import history
from rightstrack.tracking import services as tracking
from rightstrack.tracking.exceptions import Invalid, NotAllowed
from rightstrack.tracking.models import Event

NOW = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
class DeadlinesApi(FollowUpTestCase):
    def setUp(self):
        super().setUp()
        tracking.assign(self.cora, self.rec, self.justice, due="2025-06-30")
        tracking.assign(self.cora, self.other_rec, self.health, due="2025-04-15")
        tracking.assign(self.boris, self.foreign_rec, self.other_justice, due="2025-05-30")
        Review.objects.create(body=make_body("UPR", "upr"), country=self.country, session="41")

    def get(self, user, query="", path="/api/v1/deadlines"):
        _t, plain = ApiToken.issue(user)
        return self.client.get(path + query, headers={"Authorization": f"Bearer {plain}"})

    def test_it_lists_what_the_person_may_see(self):
        body = self.get(self.bob).json()
        assert [(r["date"], r["kind"]) for r in body["results"]] == [
            ("2025-06-30", "assignment_due"),
            ("2025-09-18", "upr_midterm"),
            ("2027-11-01", "upr_review"),
        ]
        first = body["results"][0]
        assert first["institution"]["name"] == "Ministry of Justice"
        assert first["recommendation"]["code"] == str(self.rec.code)
        assert first["country"] == "ZZA"
        assert body["results"][1]["review"] == {"session": "41", "cycle": None, "body": "UPR"}
        assert body["count"] == 3 and body["pages"] == 1

        cora = self.get(self.cora, "?kind=assignment_due&from=2025-04-01&to=2025-05-01").json()
        assert [r["date"] for r in cora["results"]] == ["2025-04-15"]
        assert self.get(self.cora, "?country=Borduria").json()["count"] == 0
        assert self.get(self.boris, "?country=ZZB").json()["count"] == 1

    def test_bad_input_and_no_token(self):
        assert self.client.get("/api/v1/deadlines").status_code == 401
        response = self.get(self.cora, "?kind=nonsense")
        assert response.status_code == 400 and "kind" in response.json()["error"]
        assert self.get(self.cora, "?from=2025-13-01").status_code == 400
        assert self.get(self.cora, "?country=Atlantis").status_code == 400

    def test_me_calendar_url(self):
        url = self.get(self.bob, path="/api/v1/me/calendar").json()["calendar_url"]
        assert url.endswith(f"/api/v1/calendar/{Profile.for_user(self.bob).calendar_secret}.ics")
        assert feeds.calendar_url(self.bob).startswith("/api/v1/calendar/")


@time_machine.travel(NOW, tick=False)
class CalendarFeed(FollowUpTestCase):
    def test_feed_parses_holds_the_expected_events_and_renews(self):
        tracking.assign(self.cora, self.rec, self.justice, due="2025-06-30")
        tracking.assign(self.cora, self.other_rec, self.health, due="2025-04-15")
        tracking.assign(self.boris, self.foreign_rec, self.other_justice, due="2025-05-30")
        old = Profile.for_user(self.bob).calendar_secret
        response = self.client.get(f"/api/v1/calendar/{old}.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        cal = icalendar.Calendar.from_ical(response.content)
        events = list(cal.walk("VEVENT"))
        assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events] == [
            ("CRPD CRPD/C/ZZA/CO/1 ¶ 12: Ministry of Justice reports (Lead)", dt.date(2025, 6, 30))
        ]
        assert str(events[0]["UID"]).startswith("assignment:")
        assert str(events[0]["URL"]).endswith(self.rec.get_absolute_url())

        # Renewing the secret voids the old address.
        self.client.force_login(self.bob)
        assert self.client.post("/me/calendar/renew/").status_code == 302
        new = Profile.objects.get(user=self.bob).calendar_secret
        assert new != old
        assert self.client.get(f"/api/v1/calendar/{old}.ics").status_code == 404
        assert self.client.get(f"/api/v1/calendar/{new}.ics").status_code == 200
        assert self.client.get("/api/v1/calendar/nonsense.ics").status_code == 404
        page = self.client.get("/me/calendar/")
        assert new in page.content.decode() and old not in page.content.decode()


class CommitteeGrades(FollowUpTestCase):
    def setUp(self):
        super().setUp()
        ccpr = make_body("CCPR", "treaty_body", "Human Rights Committee")
        self.ccpr_rec = make_recommendation(
            country=self.country,
            body=ccpr,
            document_symbol="CCPR/C/ZZA/CO/4",
            paragraph="9",
            follow_up=True,
        )

    def test_a_coordinator_records_a_grade_on_the_scale_of_its_date(self):
        grade = services.record_grade(
            self.cora,
            self.ccpr_rec,
            grade="b",
            date="2024-11-05",
            document_symbol="CCPR/C/141/2",
            note="Legislation pending.",
        )
        assert (grade.grade, grade.grading) == ("B", "letters")
        old = services.record_grade(self.cora, self.ccpr_rec, grade="B1", date="2012-03-01")
        assert old.grading == "letters_sub"
        with self.assertRaisesMessage(Invalid, "not on CCPR's scale on 2024-11-05"):
            services.record_grade(self.cora, self.ccpr_rec, grade="B1", date="2024-11-05")
        crpd = services.record_grade(
            self.cora, self.rec, grade="partially_implemented", date="2024-01-01"
        )
        assert crpd.grading == "implementation"
        with self.assertRaises(NotAllowed):
            services.record_grade(self.bob, self.ccpr_rec, grade="A", date="2024-11-05")
        with self.assertRaises(NotAllowed):
            services.record_grade(self.boris, self.ccpr_rec, grade="A", date="2024-11-05")
        assert CommitteeGrade.objects.count() == 3

        event = Event.objects.get(kind="committee_grade.recorded", object_code=grade.code)
        assert event.recommendation == self.ccpr_rec and event.actor == self.cora
        text = history.sentence(event)
        assert text.startswith("recorded the grade CCPR gave the follow-up reply: B,")
        assert "CCPR/C/141/2" in text

    def test_shown_beside_the_national_status(self):
        tracking.assign(self.cora, self.ccpr_rec, self.justice)
        update = tracking.submit_update(
            self.bob, self.ccpr_rec, status="in_progress", date="2024-10-01", note="Bill drafted."
        )
        tracking.decide(self.vera, update, decision="approve")
        services.record_grade(
            self.cora, self.ccpr_rec, grade="B", date="2024-11-05", document_symbol="CCPR/C/141/2"
        )
        self.client.force_login(self.bob)
        page = self.client.get(self.ccpr_rec.get_absolute_url()).content.decode()
        assert "B: partially satisfactory" in page and "CCPR/C/141/2" in page
        assert "In progress" in page
        self.client.force_login(self.bea)
        page = self.client.get(self.ccpr_rec.get_absolute_url()).content.decode()
        assert "partially satisfactory" not in page

    def test_api(self):
        _t, plain = ApiToken.issue(self.cora)
        auth = {"Authorization": f"Bearer {plain}"}
        url = f"/api/v1/recommendations/{self.ccpr_rec.code}/committee-grades"
        response = self.client.post(
            url,
            {"grade": "C", "date": "2024-11-05"},
            content_type="application/json",
            headers=auth,
        )
        assert response.status_code == 201, response.content
        assert response.json()["grade"] == "C"
        bad = self.client.post(
            url,
            {"grade": "Z", "date": "2024-11-05"},
            content_type="application/json",
            headers=auth,
        )
        assert bad.status_code == 400 and "grade" in bad.json()["error"]
        _t, bea = ApiToken.issue(self.bea)
        got = self.client.get(url, headers={"Authorization": f"Bearer {bea}"}).json()
        assert got == []
        got = self.client.get(url, headers=auth).json()
        assert [g["grade"] for g in got] == ["C"]
        _t, ro = ApiToken.issue(self.cora, scope="read")
        denied = self.client.post(
            url,
            {"grade": "C", "date": "2024-11-05"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {ro}"},
        )
        assert denied.status_code == 403


@time_machine.travel(NOW, tick=False)
class Pages(FollowUpTestCase):
    def setUp(self):
        super().setUp()
        tracking.assign(self.cora, self.rec, self.justice, due="2025-03-20")
        tracking.assign(self.cora, self.other_rec, self.health, due="2025-03-10")

    def test_calendar_by_day_and_by_institution(self):
        assert self.client.get("/calendar/").status_code == 302
        self.client.force_login(self.bob)
        page = self.client.get("/calendar/?month=2025-03").content.decode()
        assert "Ministry of Justice reports" in page and "Ministry of Health reports" not in page
        self.client.force_login(self.cora)
        page = self.client.get("/calendar/?month=2025-03&by=institution").content.decode()
        assert page.index("Ministry of Health") < page.index("Ministry of Justice")
        assert "2 deadlines in March 2025" in page
        assert "Nothing falls due" in self.client.get("/calendar/?month=2025-05").content.decode()

    def test_country_and_recommendation_pages_show_deadlines(self):
        self.client.force_login(self.cora)
        page = self.client.get("/countries/ZZA/").content.decode()
        assert "Coming deadlines" in page and "Ministry of Justice reports" in page
        page = self.client.get(self.rec.get_absolute_url()).content.decode()
        assert "20 March 2025" in page
        self.client.force_login(self.hugo)
        page = self.client.get(self.rec.get_absolute_url()).content.decode()
        assert "20 March 2025" not in page

    def test_procedures_page_and_editing_a_rule(self):
        self.client.force_login(self.cora)
        page = self.client.get("/procedures/").content.decode()
        assert "CEDAW" in page and "two years" in page and "Edit" not in page
        rule = services.follow_up_rule("CRPD", dt.date(2024, 1, 1))
        assert self.client.get(f"/procedures/rules/{rule.pk}/").status_code == 403
        self.client.force_login(self.alice)
        assert "Edit" in self.client.get("/procedures/").content.decode()
        self.rec.follow_up = True
        self.rec.date = dt.date(2024, 9, 10)
        self.rec.save()
        assert Deadline.objects.get(kind="follow_up_reply").date == dt.date(2025, 9, 10)
        data = {
            "body_code": "CRPD",
            "valid_from": "2011-04-01",
            "valid_to": "",
            "runs_follow_up": "on",
            "paragraphs_min": "2",
            "paragraphs_max": "3",
            "reply_months": "6",
            "grading": "implementation",
            "simplified_reporting": "on",
            "periodic_report_months": "",
            "source": rule.source,
            "source_url": "",
            "note": "",
        }
        response = self.client.post(f"/procedures/rules/{rule.pk}/", data)
        assert response.status_code == 302
        assert Deadline.objects.get(kind="follow_up_reply").date == dt.date(2025, 3, 10)
        bad = self.client.post(f"/procedures/rules/{rule.pk}/", {**data, "valid_to": "2000-01-01"})
        assert bad.status_code == 400 and "cannot end before" in bad.content.decode()


@time_machine.travel(NOW, tick=False)
class FollowUpEndpoint(FollowUpTestCase):
    def test_deadlines_and_committee_assessments_in_the_follow_up(self):
        tracking.assign(self.cora, self.rec, self.justice, due="2025-06-30")
        services.record_grade(self.cora, self.rec, grade="partially_implemented", date="2025-01-10")
        _t, plain = ApiToken.issue(self.bob)
        body = self.client.get(
            f"/api/v1/recommendations/{self.rec.code}/follow-up",
            headers={"Authorization": f"Bearer {plain}"},
        ).json()
        assert [(d["date"], d["kind"]) for d in body["deadlines"]] == [
            ("2025-06-30", "assignment_due")
        ]
        assert [g["grade"] for g in body["committee_assessments"]] == ["partially_implemented"]
