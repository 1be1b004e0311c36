"""The assignments list and a recommendation's follow-up ask the database a fixed number of
times, whatever the number of rows they show (measured at two sizes)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from rightstrack.accounts.models import ApiToken
from rightstrack.recommendations.models import SubItem
from rightstrack.test import FollowUpTestCase, make_recommendation
from rightstrack.tracking import services

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
#: An upper bound, so that a constant but wasteful number fails too.
MAX_QUERIES = 20


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class FollowUpQueryCountTestCase(FollowUpTestCase):
    def queries(self, user, url: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
        self.assertEqual(self.client.get(url, headers=headers).status_code, 200)  # warm up
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, headers=headers)
        self.assertEqual(response.status_code, 200)
        return len(captured), response.json()

    def add_assignments(self, n: int) -> None:
        for i in range(n):
            rec = make_recommendation(
                country=self.country, body=self.rec.body, document_symbol="CRPD/C/ZZA/CO/1"
            )
            sub = SubItem.objects.create(recommendation=rec, label="a", text="Train judges")
            services.assign(self.cora, rec, self.justice, due=dt.date(2030, 1, 1 + i % 28))
            services.assign(self.cora, rec, self.health, sub_item=sub, role="supporting")
            services.submit_update(
                self.cora, rec, status="in_progress", date="2025-01-01", note="Started."
            )

    def test_the_assignments_list(self) -> None:
        self.add_assignments(2)
        small = {
            u: self.queries(u, "/api/v1/assignments?page_size=100") for u in (self.bob, self.cora)
        }
        self.add_assignments(25)
        large = {
            u: self.queries(u, "/api/v1/assignments?page_size=100") for u in (self.bob, self.cora)
        }
        for user in (self.bob, self.cora):
            with self.subTest(user.username):
                (n_small, body_small), (n_large, body_large) = small[user], large[user]
                self.assertLess(len(body_small["results"]), len(body_large["results"]))
                self.assertEqual(n_small, n_large)
                self.assertLessEqual(n_large, MAX_QUERIES)
        statuses = {r["status"] for r in large[self.cora][1]["results"]}
        self.assertEqual(statuses, {"in_progress", "not_started"})

    def grow(self, n: int) -> None:
        """Add n updates, actions, indicators with values, assessments (and their history)."""
        for i in range(n):
            update = services.submit_update(
                self.bob,
                self.rec,
                status="in_progress",
                date=dt.date(2025, 1, 1 + i),
                note=f"Step {i}.",
                links=[f"https://gov.example.org/{i}"],
            )
            services.decide(self.vera, update, decision="approve", note="")
            action = services.create_action(
                self.bob, institution=self.justice, recommendations=[self.rec], title=f"A{i}"
            )
            indicator = services.create_indicator(
                self.bob, institution=self.justice, action=action, name=f"I{i}"
            )
            services.add_measurement(self.bob, indicator, date="2025-06-30", value=i, sex="female")
            services.assess(
                self.nina, self.rec, status="not_started", date="2025-02-01", note=f"View {i}."
            )

    def test_the_follow_up_of_a_recommendation(self) -> None:
        SubItem.objects.create(recommendation=self.rec, label="a", text="Amend the law")
        services.assign(self.cora, self.rec, self.justice, due="2030-01-01")
        url = f"/api/v1/recommendations/{self.rec.code}/follow-up"
        self.grow(1)
        small = {u: self.queries(u, url) for u in (self.bob, self.cora, self.nina)}
        self.grow(8)
        large = {u: self.queries(u, url) for u in (self.bob, self.cora, self.nina)}
        for user in (self.bob, self.cora, self.nina):
            with self.subTest(user.username):
                (n_small, body_small), (n_large, body_large) = small[user], large[user]
                self.assertLess(len(body_small["history"]), len(body_large["history"]))
                self.assertEqual(n_small, n_large)
                self.assertLessEqual(n_large, MAX_QUERIES)
        body = large[self.cora][1]
        self.assertEqual(
            [len(body[k]) for k in ("updates", "actions", "indicators", "assessments")], [9] * 4
        )
