"""Changes to institutions and their people are in the one history, and on the institution's
management page: who, when, what changed (rightstrack.tracking Event, no recommendation)."""

from __future__ import annotations

from rightstrack.accounts.models import Institution, Membership
from rightstrack.front.tests.test_followup_pages import PagesTestCase
from rightstrack.tracking.models import Event


class ManagementHistoryTests(PagesTestCase):
    def events(self, institution: Institution) -> list[Event]:
        return list(
            Event.objects.filter(institution=institution, recommendation__isnull=True).order_by(
                "created", "id"
            )
        )

    def test_creating_and_changing_an_institution_is_recorded_and_shown(self) -> None:
        self.as_(self.cora)
        self.client.post(
            "/manage/institutions/",
            {"name": "Ministry of Education", "kind": "ministry", "country": "ZZA"},
        )
        inst = Institution.objects.get(name="Ministry of Education")
        url = f"/manage/institutions/{inst.code}/"
        self.client.post(url, {"name": "Ministry of Schools", "kind": "ministry", "active": "on"})
        self.client.post(url, {"name": "Ministry of Schools", "kind": "ministry"})  # deactivate
        self.client.post(url, {"name": "Ministry of Schools", "kind": "ministry"})  # no change

        created, renamed, deactivated = self.events(inst)

        self.assertEqual(
            (created.kind, created.actor, created.country, created.actor_institution),
            ("institution.created", self.cora, self.country, "National Mechanism"),
        )
        self.assertEqual(created.changes["name"], "Ministry of Education")
        self.assertEqual(created.object_code, inst.code)
        self.assertEqual(
            renamed.changes, {"name": ["Ministry of Education", "Ministry of Schools"]}
        )
        self.assertEqual(deactivated.changes, {"active": [True, False]})
        html = self.client.get(url).content.decode()
        self.assertIn('id="history-heading"', html)
        self.assertIn(
            "added the institution Ministry of Education (Ministry or government body), "
            "in Arcadia.",
            html,
        )
        self.assertIn("renamed it from Ministry of Education to Ministry of Schools.", html)
        self.assertIn("deactivated it.", html)
        self.assertIn("cora (National Mechanism)", html)
        # Newest first.
        self.assertLess(html.index("deactivated it."), html.index("renamed it from"))

    def test_memberships_roles_and_deactivation_are_recorded_and_shown(self) -> None:
        self.as_(self.cora)
        self.client.post(
            "/manage/people/",
            {"email": "ivy@example.org", "institution": str(self.health.code), "role": "viewer"},
        )
        m = Membership.objects.get(user__email="ivy@example.org")
        url = f"/manage/people/{m.pk}/"
        self.client.post(url, {"do": "role", "role": "focal_point"})
        self.client.post(url, {"do": "role", "role": "focal_point"})  # no change, no event
        self.client.post(url, {"do": "deactivate"})
        self.client.post(url, {"do": "remove"})

        kinds = [(e.kind, e.actor, e.changes) for e in self.events(self.health)]

        self.assertEqual(
            kinds,
            [
                (
                    "membership.added",
                    self.cora,
                    {"person": "ivy@example.org", "role": "viewer", "country": ""},
                ),
                (
                    "membership.changed",
                    self.cora,
                    {"person": "ivy@example.org", "role": ["viewer", "focal_point"]},
                ),
                ("person.deactivated", self.cora, {"person": "ivy@example.org"}),
                (
                    "membership.removed",
                    self.cora,
                    {"person": "ivy@example.org", "role": "focal_point"},
                ),
            ],
        )
        html = self.client.get(f"/manage/institutions/{self.health.code}/").content.decode()
        self.assertIn("gave ivy@example.org the role Viewer.", html)
        self.assertIn("changed the role of ivy@example.org from Viewer to Focal point.", html)
        self.assertIn("deactivated ivy@example.org: they can no longer log in.", html)
        self.assertIn("took ivy@example.org out of the institution (they were Focal point).", html)

        # Adding them again lets them log in again; both are recorded.
        self.client.post(
            "/manage/people/",
            {"email": "ivy@example.org", "institution": str(self.health.code), "role": "viewer"},
        )
        self.assertEqual(
            [e.kind for e in self.events(self.health)][-2:],
            ["membership.added", "person.reactivated"],
        )

    def test_the_history_is_as_private_as_the_institution(self) -> None:
        self.as_(self.cora)
        self.client.post(
            f"/manage/institutions/{self.health.code}/",
            {
                "name": "Ministry of Public Health",
                "kind": "ministry",
                "active": "on",
                "requires_validation": "on",
            },
        )
        self.as_(self.boris)  # Borduria's coordinator
        self.assertEqual(
            self.client.get(f"/manage/institutions/{self.health.code}/").status_code, 404
        )
        self.as_(self.alice)
        html = self.client.get(f"/manage/institutions/{self.health.code}/").content.decode()
        self.assertIn("renamed it from Ministry of Health to Ministry of Public Health.", html)
        # Boris's own institution page does not list Arcadia's changes.
        self.as_(self.boris)
        html = self.client.get(f"/manage/institutions/{self.other_nmrf.code}/").content.decode()
        self.assertNotIn("Ministry of Public Health", html)
        self.assertIn("No change recorded yet.", html)

    def test_a_refused_change_records_nothing(self) -> None:
        self.as_(self.cora)
        before = Event.objects.count()
        self.client.post(
            "/manage/institutions/",
            {"name": "Ministry of Sport", "kind": "ministry", "country": "ZZB"},
        )
        self.client.post(
            f"/manage/institutions/{self.health.code}/",
            {"name": "Ministry of Justice", "kind": "ministry", "active": "on"},  # name taken
        )
        self.assertEqual(Event.objects.count(), before)
