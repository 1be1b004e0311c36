"""Deadlines derived from the rules, on frozen dates."""

from __future__ import annotations

import datetime as dt

import time_machine

from rightstrack.deadlines import services
from rightstrack.deadlines.models import Deadline, FollowUpRule, Kind, UprRule
from rightstrack.recommendations.models import Document, Review
from rightstrack.test import FollowUpTestCase, make_body, make_recommendation
from rightstrack.tracking import services as tracking


def dates(**filters):
    return {(d.kind, d.date) for d in Deadline.objects.filter(**filters).order_by("date")}


class RulesLoaded(FollowUpTestCase):
    def test_default_rules_are_loaded_with_their_source(self):
        cedaw = FollowUpRule.objects.get(body_code="CEDAW")
        assert cedaw.reply_months == 24 and "two years" in cedaw.source
        assert FollowUpRule.objects.get(body_code="CMW").reply_months == 24
        for code in ("CCPR", "CAT", "CERD", "CED", "CRPD"):
            rule = services.follow_up_rule(code, dt.date(2024, 1, 1))
            assert rule.reply_months == 12, code
        assert not services.follow_up_rule("CRC", dt.date(2024, 1, 1)).runs_follow_up
        # Rules change over time: the Human Rights Committee's grading scale changed in 2013.
        assert services.follow_up_rule("CCPR", dt.date(2010, 5, 1)).grading == "letters_sub"
        assert services.follow_up_rule("CCPR", dt.date(2020, 5, 1)).grading == "letters"
        assert not services.follow_up_rule("CESCR", dt.date(2010, 5, 1)).runs_follow_up
        assert services.follow_up_rule("CESCR", dt.date(2020, 5, 1)).reply_months == 24
        upr = UprRule.objects.get()
        assert upr.midterm_months == 30 and upr.source
        assert all(r.source for r in FollowUpRule.objects.all())


@time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC), tick=False)
class TreatyBodyDeadlines(FollowUpTestCase):
    def test_crpd_follow_up_reply_and_periodic_report(self):
        doc = Document.objects.create(
            symbol="CRPD/C/ZZA/CO/1",
            kind=Document.Kind.CONCLUDING_OBSERVATIONS,
            body=self.rec.body,
            country=self.country,
            date=dt.date(2024, 9, 10),
            next_report_due=dt.date(2028, 10, 1),
        )
        for rec in (self.rec, self.other_rec):
            rec.document = doc
            rec.follow_up = True
            rec.save()
        assert dates(country=self.country) == {
            ("follow_up_reply", dt.date(2025, 9, 10)),
            ("periodic_report", dt.date(2028, 10, 1)),
        }
        assert Deadline.objects.filter(kind=Kind.FOLLOW_UP_REPLY).count() == 2
        reply = Deadline.objects.get(recommendation=self.rec)
        assert "12 months after 2024-09-10" in reply.rule and "CRPD" in reply.rule
        assert reply.title == "Follow-up reply: CRPD CRPD/C/ZZA/CO/1 ¶ 12"

        # A date the document gives wins over the rule; unselecting removes the deadline.
        self.rec.follow_up_due_date = dt.date(2025, 6, 30)
        self.rec.save()
        assert Deadline.objects.get(recommendation=self.rec).date == dt.date(2025, 6, 30)
        self.other_rec.follow_up = False
        self.other_rec.save()
        assert not Deadline.objects.filter(recommendation=self.other_rec).exists()

        # Changing the rule recomputes: CRPD now asks within 18 months.
        self.rec.follow_up_due_date = None
        self.rec.save()
        rule = services.follow_up_rule("CRPD", doc.date)
        rule.reply_months = 18
        rule.save()
        assert Deadline.objects.get(recommendation=self.rec).date == dt.date(2026, 3, 10)

    def test_cedaw_reply_is_due_in_two_years(self):
        body = make_body("CEDAW", "treaty_body", "Committee on the Elimination of ...")
        doc = Document.objects.create(
            symbol="CEDAW/C/ZZA/CO/9",
            kind=Document.Kind.CONCLUDING_OBSERVATIONS,
            body=body,
            country=self.country,
            date=dt.date(2023, 10, 31),
        )
        recs = [
            make_recommendation(
                country=self.country,
                body=body,
                document=doc,
                paragraph=p,
                follow_up=True,
                document_symbol=doc.symbol,
            )
            for p in ("15", "23")
        ]
        make_recommendation(country=self.country, body=body, document=doc, paragraph="40")
        got = sorted(
            Deadline.objects.filter(kind=Kind.FOLLOW_UP_REPLY).values_list(
                "recommendation_id", "date"
            )
        )
        assert got == [(recs[0].pk, dt.date(2025, 10, 31)), (recs[1].pk, dt.date(2025, 10, 31))]
        # No next report date in the document and no usual period: no periodic deadline.
        assert not Deadline.objects.filter(kind=Kind.PERIODIC_REPORT).exists()

    def test_a_document_dated_later_moves_its_deadlines(self):
        body = make_body("CAT", "treaty_body")
        doc = Document.objects.create(
            symbol="CAT/C/ZZA/CO/2",
            kind=Document.Kind.CONCLUDING_OBSERVATIONS,
            body=body,
            country=self.country,
            date=dt.date(2024, 5, 1),
        )
        rec = make_recommendation(country=self.country, body=body, document=doc, follow_up=True)
        assert Deadline.objects.get(recommendation=rec).date == dt.date(2025, 5, 1)
        doc.date = dt.date(2024, 5, 20)
        doc.save()
        assert Deadline.objects.get(recommendation=rec).date == dt.date(2025, 5, 20)


class UprDeadlines(FollowUpTestCase):
    def test_upr_review_midterm_and_next_review(self):
        upr = make_body("UPR", "upr", "Universal Periodic Review")
        Review.objects.create(body=upr, country=self.country, session="34", cycle=3)
        review = Review.objects.create(body=upr, country=self.country, session="41", cycle=4)
        # Session 41 ended on 18 November 2022; adopted about four months later at the
        # Council; mid-term report 30 months after that; next review in session 55.
        assert dates(country=self.country) == {
            ("upr_midterm", dt.date(2025, 9, 18)),
            ("upr_review", dt.date(2027, 11, 1)),
        }
        d = Deadline.objects.get(kind=Kind.UPR_REVIEW)
        assert d.review == review and d.rule.startswith("provisional: session 55")
        # Configurable: a State plans its mid-term report two years after adoption.
        rule = UprRule.objects.get()
        rule.midterm_months = 24
        rule.save()
        assert Deadline.objects.get(kind=Kind.UPR_MIDTERM).date == dt.date(2025, 3, 18)

    def test_a_review_beyond_the_calendar_falls_back_on_the_cycle(self):
        upr = make_body("UPR", "upr")
        Review.objects.create(body=upr, country=self.country, session="48", cycle=4)
        assert dates() == {
            ("upr_midterm", dt.date(2027, 11, 30)),
            ("upr_review", dt.date(2029, 7, 20)),
        }


@time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC), tick=False)
class FollowUpWorkDeadlines(FollowUpTestCase):
    def test_assignment_due_dates_follow_the_assignment(self):
        assignment, _ = tracking.assign(self.cora, self.rec, self.justice, due="2025-06-30")
        d = Deadline.objects.get(kind=Kind.ASSIGNMENT_DUE)
        assert (d.date, d.institution, d.recommendation) == (
            dt.date(2025, 6, 30),
            self.justice,
            self.rec,
        )
        tracking.change_assignment(self.cora, assignment, version=1, due="2025-07-15")
        assert Deadline.objects.get(kind=Kind.ASSIGNMENT_DUE).date == dt.date(2025, 7, 15)
        tracking.end_assignment(self.cora, assignment, version=2)
        assert not Deadline.objects.filter(kind=Kind.ASSIGNMENT_DUE).exists()

    def test_measurements_fall_due_by_frequency(self):
        tracking.assign(self.cora, self.rec, self.justice)
        ind = tracking.create_indicator(
            self.bob,
            institution=self.justice,
            recommendations=[self.rec],
            name="Cases heard",
            frequency="quarterly",
            baseline="10",
            baseline_date="2024-12-31",
            target="50",
        )
        d = Deadline.objects.get(kind=Kind.MEASUREMENT_DUE)
        assert (d.date, d.recommendation, d.indicator) == (dt.date(2025, 3, 31), self.rec, ind)
        tracking.add_measurement(self.bob, ind, date="2025-02-15", value="14")
        assert Deadline.objects.get(kind=Kind.MEASUREMENT_DUE).date == dt.date(2025, 5, 15)

    def test_refresh_all_gives_the_same_rows(self):
        tracking.assign(self.cora, self.rec, self.justice, due="2025-06-30")
        Review.objects.create(body=make_body("UPR", "upr"), country=self.country, session="41")
        before = sorted(Deadline.objects.values_list("key", "date"))
        counts = services.refresh_all()
        assert sorted(Deadline.objects.values_list("key", "date")) == before
        assert counts["assignment_due"] == 1 and counts["upr_review"] == 1


@time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC), tick=False)
class WhoSeesWhichDeadline(FollowUpTestCase):
    def test_visible_to(self):
        tracking.assign(self.cora, self.rec, self.justice, due="2025-06-30")
        tracking.assign(self.boris, self.foreign_rec, self.other_justice, due="2025-05-30")
        Review.objects.create(body=make_body("UPR", "upr"), country=self.country, session="41")
        mine = Deadline.objects.get(kind=Kind.ASSIGNMENT_DUE, country=self.country)
        foreign = Deadline.objects.get(country=self.other_country)
        review = Deadline.objects.get(kind=Kind.UPR_REVIEW)

        def seen(user):
            return set(Deadline.objects.visible_to(user))

        assert seen(self.alice) == set(Deadline.objects.all())
        assert {mine, review} <= seen(self.cora) and foreign not in seen(self.cora)
        assert {mine, review} <= seen(self.bob) and foreign not in seen(self.bob)
        assert mine not in seen(self.hugo) and review in seen(self.hugo)
        assert seen(self.bea) == {foreign}
        assert seen(self.boris) == {foreign}
        assert mine not in seen(self.nina) and review in seen(self.nina)
        assert seen(self.dan) == set()


class AfterAnImport(FollowUpTestCase):
    def test_the_end_of_a_bulk_import_computes_its_deadlines(self):
        from rightstrack.recommendations.models import ImportBatch, Recommendation

        body = make_body("CEDAW", "treaty_body")
        doc = Document.objects.create(
            symbol="CEDAW/C/ZZA/CO/8",
            kind=Document.Kind.CONCLUDING_OBSERVATIONS,
            body=body,
            country=self.country,
            date=dt.date(2024, 2, 29),
            next_report_due=dt.date(2028, 2, 1),
        )
        batch = ImportBatch.objects.create(kind="uhri", file_name="export.xlsx")
        Recommendation.objects.bulk_create(
            Recommendation(
                key=f"bulk-{n}",
                country=self.country,
                body=body,
                mechanism="treaty_body",
                document=doc,
                document_symbol=doc.symbol,
                paragraph=str(n),
                text="Adopt.",
                follow_up=n < 2,
                import_batch=batch,
            )
            for n in range(5)
        )
        assert not Deadline.objects.filter(kind=Kind.FOLLOW_UP_REPLY).exists()  # no signal yet
        batch.status = ImportBatch.Status.DONE
        batch.save()
        assert (
            sorted(
                Deadline.objects.filter(kind=Kind.FOLLOW_UP_REPLY).values_list("date", flat=True)
            )
            == [dt.date(2026, 2, 28)] * 2
        )
        assert Deadline.objects.get(kind=Kind.PERIODIC_REPORT).date == dt.date(2028, 2, 1)
