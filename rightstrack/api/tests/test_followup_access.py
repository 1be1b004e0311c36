"""Access matrix of the follow-up API: every endpoint, as every persona, for every owner.

Four recommendations, each with an assignment, a pending status update, an action and an
indicator: J assigned to the Ministry of Justice (Bob, Vera), H to the Ministry of Health
(Hugo, Carol), P (protection-relevant) to a cluster partner (Pat, followed by Cleo), all in
Arcadia (Cora coordinates it); F to Borduria's Ministry of Justice (Bea; Boris coordinates).
The expected answers come from docs/roles.md: 404 for what a person may not see, 403 for
what they see but may not do, 401 without a person, 403 for a read-only token's writes.
Lists never include a row of another institution or State.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.test import override_settings

from rightstrack.accounts.models import ApiToken
from rightstrack.recommendations.models import Analysis
from rightstrack.test import FollowUpTestCase, make_institution, make_recommendation
from rightstrack.tracking import services

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALL = frozenset("JHPF")
PERSONAS = [
    "alice", "cora", "bob", "vera", "hugo", "carol", "nina", "cleo", "pat", "boris", "bea", "dan",
]  # fmt: skip

#: Whose assignments, updates, actions and indicators each person sees.
SEES = {
    "alice": ALL,
    "cora": {"J", "H", "P"},
    "bob": {"J"},
    "vera": {"J"},
    "hugo": {"H"},
    "carol": {"H"},
    "nina": set(),
    "cleo": {"P"},
    "pat": {"P"},
    "boris": {"F"},
    "bea": {"F"},
    "dan": set(),
}
#: Whose recommendation's follow-up page each person sees (contributors: their State's).
SEES_FOLLOW_UP = {**SEES, "nina": {"J", "H", "P"}}
#: Who reports progress on which recommendation.
REPORTS = {
    "alice": ALL,
    "cora": {"J", "H", "P"},
    "bob": {"J"},
    "hugo": {"H"},
    "pat": {"P"},
    "boris": {"F"},
    "bea": {"F"},
}
#: Who approves or sends back the pending update of which recommendation.
DECIDES = {"alice": ALL, "cora": {"J", "H", "P"}, "vera": {"J"}, "boris": {"F"}}
#: Who records an assessment (NHRI and civil society contributors of the State).
ASSESSES = {"nina": {"J", "H", "P"}}
#: Who assigns (a recommendation is public: anyone else gets 403).
ASSIGNS = {"alice": ALL, "cora": {"J", "H", "P"}, "cleo": {"P"}, "boris": {"F"}}
#: Who changes or ends an assignment.
EDITS_ASSIGNMENT = {"alice": ALL, "cora": {"J", "H", "P"}, "cleo": {"P"}, "boris": {"F"}}
#: Who changes actions and indicators and records measurements.
EDITS_PLAN = {
    "alice": ALL,
    "cora": {"J", "H", "P"},
    "bob": {"J"},
    "hugo": {"H"},
    "pat": {"P"},
    "boris": {"F"},
    "bea": {"F"},
}


def expected(person: str, key: str, allowed: dict[str, Any], sees: dict[str, Any]) -> int:
    if key in allowed.get(person, ()):
        return 2  # 200 or 201
    return 403 if key in sees[person] else 404


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class FollowUpAccessMatrixTestCase(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.protection_rec = make_recommendation(
            country=self.country, body=self.rec.body, document_symbol="CRPD/C/ZZA/CO/1",
            paragraph="30",
        )  # fmt: skip
        Analysis.objects.create(recommendation=self.protection_rec, protection_relevant=True)
        self.shelter = make_institution("Shelter Partner", "cluster", self.country)
        self.recs = {
            "J": self.rec,
            "H": self.other_rec,
            "P": self.protection_rec,
            "F": self.foreign_rec,
        }
        self.owner = {
            "J": (self.justice, self.bob),
            "H": (self.health, self.hugo),
            "P": (self.partner, self.pat),
            "F": (self.other_justice, self.bea),
        }
        #: Where POST /assignments assigns each recommendation (an institution it lacks).
        self.target = {
            "J": self.health,
            "H": self.justice,
            "P": self.shelter,
            "F": self.other_nmrf,
        }
        self.assignment, self.update, self.action, self.indicator = {}, {}, {}, {}
        for key, rec in self.recs.items():
            inst, focal = self.owner[key]
            coordinator = self.boris if key == "F" else self.cora
            self.assignment[key] = services.assign(coordinator, rec, inst, due="2030-01-01")[0]
            self.update[key] = services.submit_update(
                focal, rec, status="in_progress", date="2025-01-01", note="Working on it."
            )
            self.action[key] = services.create_action(
                focal, institution=inst, recommendations=[rec], title=f"Action {key}"
            )
            self.indicator[key] = services.create_indicator(
                focal, institution=inst, recommendations=[rec], name=f"Indicator {key}"
            )
        self.users = {name: getattr(self, name) for name in PERSONAS}
        self.tokens = {name: ApiToken.issue(user)[1] for name, user in self.users.items()}
        self.read_only = ApiToken.issue(self.cora, scope=ApiToken.Scope.READ)[1]

    # --- plumbing -------------------------------------------------------------------------

    def request(self, method: str, url: str, token: str | None, data: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if method == "get":
            return self.client.get(f"/api/v1{url}", data or {}, headers=headers)
        return getattr(self.client, method)(
            f"/api/v1{url}", data or {}, content_type="application/json", headers=headers
        )

    def check(
        self,
        method: str,
        url_of: Any,
        data_of: Any,
        allowed: dict[str, Any],
        sees: dict[str, Any],
    ) -> None:
        """Ask as every persona for every recommendation's object, in a savepoint each.

        Reading is allowed exactly where the person sees (*allowed* is then ignored).
        """
        if method == "get":
            allowed = sees
        for person in PERSONAS:
            for key in "JHPF":
                want = expected(person, key, allowed, sees)
                with self.subTest(person=person, object=key), transaction.atomic():
                    response = self.request(method, url_of(key), self.tokens[person], data_of(key))
                    got = response.status_code
                    if want == 2:
                        self.assertIn(got, (200, 201), response.content)
                    else:
                        self.assertEqual(got, want, response.content)
                        self.assertIn("detail", response.json())
                    transaction.set_rollback(True)
        # Without a person: 401; with a read-only token: reads as Cora, never writes.
        for key in "JHPF":
            with self.subTest(person="anonymous", object=key):
                response = self.request(method, url_of(key), None, data_of(key))
                self.assertEqual(response.status_code, 401)
            with self.subTest(person="read-only token", object=key), transaction.atomic():
                response = self.request(method, url_of(key), self.read_only, data_of(key))
                if method == "get":
                    want = 200 if key in sees["cora"] else 404
                    self.assertEqual(response.status_code, want)
                else:
                    self.assertEqual(response.status_code, 403)
                transaction.set_rollback(True)

    @staticmethod
    def nothing(key: str) -> None:
        return None

    # --- reading --------------------------------------------------------------------------

    def test_the_follow_up_of_a_recommendation(self) -> None:
        self.check(
            "get",
            lambda k: f"/recommendations/{self.recs[k].code}/follow-up",
            self.nothing,
            {},
            SEES_FOLLOW_UP,
        )

    def test_one_assignment_update_action_and_indicator(self) -> None:
        for path, objects in (
            ("assignments", self.assignment),
            ("status-updates", self.update),
            ("actions", self.action),
            ("indicators", self.indicator),
        ):
            with self.subTest(path):
                self.check(
                    "get",
                    lambda k, p=path, o=objects: f"/{p}/{o[k].code}",
                    self.nothing,
                    {},
                    SEES,
                )

    def test_lists_hold_exactly_what_each_person_sees(self) -> None:
        for path, objects in (
            ("/assignments", self.assignment),
            ("/actions", self.action),
            ("/indicators", self.indicator),
        ):
            for person in PERSONAS:
                with self.subTest(path=path, person=person):
                    response = self.request("get", path, self.tokens[person])
                    self.assertEqual(response.status_code, 200)
                    codes = {r["code"] for r in response.json()["results"]}
                    self.assertEqual(codes, {str(objects[k].code) for k in SEES[person]})
            with self.subTest(path=path, person="anonymous"):
                self.assertEqual(self.request("get", path, None).status_code, 401)

    def test_the_follow_up_page_never_shows_another_institutions_rows(self) -> None:
        # J is shared with Health as supporting: Hugo then sees J's follow-up, but the
        # National Mechanism's own rows of another recommendation stay out of it.
        services.assign(self.cora, self.rec, self.health, role="supporting")
        body = self.request(
            "get", f"/recommendations/{self.rec.code}/follow-up", self.tokens["hugo"]
        ).json()
        self.assertEqual(
            {a["institution"]["name"] for a in body["assignments"]},
            {"Ministry of Justice", "Ministry of Health"},
        )
        self.assertEqual([u["code"] for u in body["updates"]], [str(self.update["J"].code)])
        # The NHRI sees the State's status of H, not its pending update, plans or story.
        nina = self.request(
            "get", f"/recommendations/{self.other_rec.code}/follow-up", self.tokens["nina"]
        ).json()
        self.assertEqual(
            (nina["assignments"], nina["updates"], nina["actions"], nina["history"]),
            ([], [], [], []),
        )
        self.assertEqual(nina["status"], "not_started")
        # Another State's coordinator and focal point: as if it did not exist.
        for person in ("boris", "bea"):
            response = self.request(
                "get", f"/recommendations/{self.rec.code}/follow-up", self.tokens[person]
            )
            self.assertEqual(response.status_code, 404)

    def test_me_and_institutions_are_for_every_person(self) -> None:
        for person in PERSONAS:
            for url in ("/me", "/institutions"):
                with self.subTest(person=person, url=url):
                    self.assertEqual(self.request("get", url, self.tokens[person]).status_code, 200)
        for url in ("/me", "/institutions"):
            self.assertEqual(self.request("get", url, None).status_code, 401)
            self.assertEqual(self.request("get", url, self.read_only).status_code, 200)

    # --- writing --------------------------------------------------------------------------

    def test_reporting_progress(self) -> None:
        self.check(
            "post",
            lambda k: f"/recommendations/{self.recs[k].code}/status-updates",
            lambda k: {"status": "implemented", "date": "2025-02-01", "note": "Done."},
            REPORTS,
            SEES_FOLLOW_UP,
        )

    def test_deciding_an_update(self) -> None:
        # Authors may not decide their own: Bob, Hugo, Pat and Bea see theirs and get 403.
        self.check(
            "post",
            lambda k: f"/status-updates/{self.update[k].code}/decision",
            lambda k: {"decision": "approve", "note": "Checked."},
            DECIDES,
            SEES,
        )

    def test_assessing(self) -> None:
        self.check(
            "post",
            lambda k: f"/recommendations/{self.recs[k].code}/assessments",
            lambda k: {"status": "not_started", "date": "2025-02-01", "note": "Not yet."},
            ASSESSES,
            SEES_FOLLOW_UP,
        )

    def test_assigning(self) -> None:
        everyone = {p: ALL for p in PERSONAS}
        self.check(
            "post",
            lambda k: "/assignments",
            lambda k: {
                "recommendation": str(self.recs[k].code),
                "institution": str(self.target[k].code),
                "role": "supporting",
            },
            ASSIGNS,
            everyone,
        )

    def test_changing_and_ending_an_assignment(self) -> None:
        for data in ({"version": 1, "due": "2031-01-01"}, {"version": 1, "active": False}):
            with self.subTest(data=data):
                self.check(
                    "patch",
                    lambda k: f"/assignments/{self.assignment[k].code}",
                    lambda k, d=data: d,
                    EDITS_ASSIGNMENT,
                    SEES,
                )

    def test_changing_actions_and_indicators_and_adding_values(self) -> None:
        today = dt.date.today().isoformat()
        cases = (
            ("patch", "actions", self.action, {"version": 1, "progress": "ongoing"}),
            ("patch", "indicators", self.indicator, {"version": 1, "unit": "%"}),
            ("post", "indicators", self.indicator, {"date": today, "value": "3"}),
        )
        for method, path, objects, data in cases:
            suffix = "/measurements" if method == "post" else ""
            with self.subTest(method=method, path=path):
                self.check(
                    method,
                    lambda k, p=path, o=objects, s=suffix: f"/{p}/{o[k].code}{s}",
                    lambda k, d=data: d,
                    EDITS_PLAN,
                    SEES,
                )

    def test_planning_an_action_or_indicator(self) -> None:
        for path, title in (("/actions", "title"), ("/indicators", "name")):
            with self.subTest(path):
                self.check(
                    "post",
                    lambda k, p=path: p,
                    lambda k, t=title: {
                        "institution": str(self.owner[k][0].code),
                        "recommendations": [str(self.recs[k].code)],
                        t: "New",
                    },
                    EDITS_PLAN,
                    {p: ALL for p in PERSONAS},
                )

    def test_adding_an_institution(self) -> None:
        for person in PERSONAS:
            for state in ("ZZA", "ZZB"):
                allowed = person == "alice" or (person, state) in {
                    ("cora", "ZZA"),
                    ("boris", "ZZB"),
                }
                with self.subTest(person=person, state=state), transaction.atomic():
                    response = self.request(
                        "post",
                        "/institutions",
                        self.tokens[person],
                        {"name": "Ministry of Water", "kind": "ministry", "country": state},
                    )
                    self.assertEqual(response.status_code, 201 if allowed else 403)
                    transaction.set_rollback(True)
        data = {"name": "Ministry of Water", "kind": "ministry", "country": "ZZA"}
        self.assertEqual(self.request("post", "/institutions", None, data).status_code, 401)
        self.assertEqual(
            self.request("post", "/institutions", self.read_only, data).status_code, 403
        )
