"""Dashboards: the numbers, the charts and their tables, constant queries, permissions."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rightstrack.deadlines import dashboards
from rightstrack.formats import records
from rightstrack.recommendations.models import Label, Taxonomy, Term
from rightstrack.test import FollowUpTestCase, make_body, make_recommendation
from rightstrack.tracking import services as tracking

NOW = dt.datetime(2025, 6, 15, 9, tzinfo=dt.UTC)


def _empty_cache():
    """The series over time is cached by the latest history event: rolled-back tests reuse ids."""
    from django.core.cache import cache

    cache.clear()


class Dashboards(FollowUpTestCase):
    def setUp(self):
        super().setUp()
        _empty_cache()
        themes = Taxonomy.objects.create(slug=records.THEMES, name="Themes")
        self.health_theme = Term.objects.create(taxonomy=themes, name="Right to health")
        groups = Taxonomy.objects.create(slug=records.GROUPS_OF_PERSONS, name="Groups")
        self.children = Term.objects.create(taxonomy=groups, name="Children")
        self.upr = make_body("UPR", "upr")

    def add(self, n: int, status: str, when: str, body=None):
        recs = []
        with time_machine.travel(dt.datetime.fromisoformat(when + "T10:00+00:00"), tick=False):
            for _ in range(n):
                rec = make_recommendation(country=self.country, body=body or self.upr)
                Label.objects.create(recommendation=rec, term=self.health_theme, source="document")
                Label.objects.create(recommendation=rec, term=self.children, source="document")
                tracking.assign(self.cora, rec, self.justice, due="2025-05-01")
                update = tracking.submit_update(
                    self.bob, rec, status=status, date=when, note="Done some."
                )
                tracking.decide(self.vera, update, decision="approve")
                recs.append(rec)
        return recs

    @time_machine.travel(NOW, tick=False)
    def test_numbers_and_charts(self):
        self.add(2, "in_progress", "2025-01-10")
        [rec] = self.add(1, "implemented", "2025-03-05")
        indicator = tracking.create_indicator(
            self.bob,
            institution=self.justice,
            recommendations=[rec],
            name="Cases heard",
            baseline="10",
            target="50",
            unit="cases",
        )
        tracking.add_measurement(self.bob, indicator, date="2025-05-01", value="30")
        life = Term.objects.create(taxonomy=self.health_theme.taxonomy, name="Right to life")
        Label.objects.create(
            recommendation=rec, term=life, source="classifier", review_state="rejected"
        )
        tracking.add_measurement(self.bob, indicator, date="2025-05-01", value="99", sex="female")
        data = dashboards.dashboard_data(self.cora, self.country)
        counts = {v: n for v, _l, n in data["by_status"]}
        assert counts["in_progress"] == 2 and counts["implemented"] == 1
        assert data["total"] == 3
        assert data["themes"] == [("Right to health", {"in_progress": 2, "implemented": 1})]
        assert data["groups"] == [("Children", {"in_progress": 2, "implemented": 1})]
        assert data["by_mechanism"] == [
            ("Universal Periodic Review", {"in_progress": 2, "implemented": 1})
        ]
        months = dict(zip(data["months"], range(len(data["months"])), strict=True))
        series = data["series"]
        assert series["in_progress"][months["2024-12"]] == 0
        assert series["not_started"][months["2024-12"]] == 3
        assert series["in_progress"][months["2025-01"]] == 2
        assert series["implemented"][months["2025-03"]] == 1
        assert data["overdue_count"] == 3  # due 1 May, still assigned
        [ind] = data["indicators"]
        assert (ind["latest"], ind["share"]) == (30, 0.5)  # the value for everyone, not women's

        self.client.force_login(self.cora)
        page = self.client.get("/dashboard/?country=ZZA").content.decode()
        assert page.count("<svg") == 6 and 'role="img"' in page
        assert "<caption>Recommendations by theme and status</caption>" in page
        svg = self.client.get("/dashboard/chart/theme.svg?country=ZZA")
        assert svg["Content-Type"].startswith("image/svg+xml")
        assert svg["Content-Disposition"] == 'attachment; filename="ZZA-theme.svg"'
        assert b"Right to health" in svg.content
        assert b"50%" in self.client.get("/dashboard/chart/indicators.svg?country=ZZA").content

        # Per institution: Health follows nothing.
        page = self.client.get(f"/dashboard/?country=ZZA&institution={self.health.code}")
        assert "0 recommendations followed up" in page.content.decode()

    @time_machine.travel(NOW, tick=False)
    def test_permissions(self):
        self.add(2, "in_progress", "2025-01-10")
        assert self.client.get("/dashboard/").status_code == 302
        self.client.force_login(self.hugo)  # assigned nothing: sees no follow-up
        assert dashboards.dashboard_data(self.hugo, self.country)["total"] == 0
        self.client.force_login(self.boris)
        page = self.client.get("/dashboard/?country=ZZA").content.decode()
        assert "0 recommendations followed up" in page
        assert self.client.get("/dashboard/?country=XXX").status_code == 404

    @time_machine.travel(NOW, tick=False)
    def test_constant_queries(self):
        self.client.force_login(self.cora)
        self.client.get("/calendar/")  # creates Cora's profile (her feed's secret) once
        counts = []
        for n in (2, 12):
            self.add(n, "in_progress", "2025-02-01")
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get("/dashboard/?country=ZZA").status_code == 200
            counts.append(len(ctx.captured_queries))
            with CaptureQueriesContext(connection) as cal:
                assert self.client.get("/calendar/?month=2025-05").status_code == 200
            counts.append(len(cal.captured_queries))
        assert counts[0] == counts[2] and counts[1] == counts[3], counts


@time_machine.travel(NOW, tick=False)
class StatusOverTime(FollowUpTestCase):
    def setUp(self):
        super().setUp()
        _empty_cache()

    def test_each_month_counts_the_status_held_at_its_end(self):
        upr = make_body("UPR", "upr")
        a, b, c = (make_recommendation(country=self.country, body=upr) for _ in range(3))
        make_recommendation(country=self.country, body=upr)  # never assigned: not followed up
        for rec in (a, b, c):
            tracking.assign(self.cora, rec, self.justice)
        for rec, status, day in [
            (a, "in_progress", "2025-01-10"),
            (a, "implemented", "2025-04-02"),
            (b, "partially_implemented", "2024-11-20"),
            (c, "in_progress", "2025-02-03"),
            (c, "partially_implemented", "2025-02-20"),
        ]:
            update = tracking.submit_update(self.bob, rec, status=status, date=day, note="n")
            tracking.decide(self.vera, update, decision="approve")
        months, series = dashboards.over_time(
            dashboards.follow_ups(self.cora, self.country), dt.date(2025, 6, 15)
        )
        assert len(months) == 24 and months[-1] == "2025-06" and months[0] == "2023-07"

        def at(month):
            i = months.index(month)
            return {k: v[i] for k, v in series.items() if v[i]}

        assert at("2024-10") == {"not_started": 3}
        assert at("2024-11") == {"not_started": 2, "partially_implemented": 1}
        assert at("2025-01") == {"not_started": 1, "in_progress": 1, "partially_implemented": 1}
        assert at("2025-02") == {"in_progress": 1, "partially_implemented": 2}
        assert at("2025-04") == {"implemented": 1, "partially_implemented": 2}
        assert at("2025-06") == {"implemented": 1, "partially_implemented": 2}
        # Bea sees none of it.
        assert (
            dashboards.over_time(
                dashboards.follow_ups(self.bea, self.country), dt.date(2025, 6, 15)
            )[1]["implemented"]
            == [0] * 24
        )
