"""The command line's changes to institutions and people are in the one history too
(rightstrack.tracking Event, actor empty: the system), and show on the management page."""

from __future__ import annotations

from django.core.management import CommandError
from django.test import override_settings

from rightstrack.accounts.models import Institution
from rightstrack.accounts.tests.test_admin_commands import FAST_HASHERS, run
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking.models import Event


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class CommandHistoryTestCase(FollowUpTestCase):
    def kinds(self, institution: Institution) -> list[tuple[str, dict]]:
        return [
            (e.kind, e.changes)
            for e in Event.objects.filter(institution=institution).order_by("created", "id")
        ]

    def test_institutions_add_and_rename_are_recorded(self) -> None:
        run("manage_institutions", "add", "Ministry of Labour", "--country", "ZZA")
        labour = Institution.objects.get(name="Ministry of Labour")
        run("manage_institutions", "rename", "Ministry of Labour", "Ministry of Work")
        run("manage_institutions", "rename", "Ministry of Work", "Ministry of Work")  # same

        self.assertEqual(
            self.kinds(labour),
            [
                (
                    "institution.created",
                    {
                        "name": "Ministry of Labour",
                        "kind": "ministry",
                        "country": "Arcadia",
                        "requires_validation": True,
                    },
                ),
                ("institution.changed", {"name": ["Ministry of Labour", "Ministry of Work"]}),
            ],
        )
        event = Event.objects.filter(institution=labour).first()
        self.assertEqual((event.actor, event.actor_name, event.country), (None, "", self.country))
        self.assertIsNone(event.recommendation)

    def test_an_international_institution_is_recorded_without_a_state(self) -> None:
        run("manage_institutions", "add", "UNHCR", "--kind", "un_agency")
        unhcr = Institution.objects.get(name="UNHCR")

        event = Event.objects.get(institution=unhcr)

        self.assertEqual((event.kind, event.country), ("institution.created", None))
        self.client.force_login(self.alice)
        html = self.client.get(f"/manage/institutions/{unhcr.code}/").content.decode()
        self.assertIn("The system", html)
        self.assertIn("added the institution UNHCR (UN agency).", html)

    def test_users_add_change_remove_and_deactivate_are_recorded(self) -> None:
        run("manage_users", "add", "ivy@example.org", "--institution", "Ministry of Health",
            "--country", "ZZA", "--role", "viewer")  # fmt: skip
        run("manage_users", "add", "ivy@example.org", "--institution", "Ministry of Health",
            "--country", "ZZA", "--role", "viewer")  # fmt: skip
        run("manage_users", "add", "ivy@example.org", "--institution", "Ministry of Health",
            "--country", "ZZA", "--role", "validator")  # fmt: skip
        run("manage_users", "deactivate", "ivy@example.org")
        run("manage_users", "deactivate", "ivy@example.org")  # already: nothing new
        run("manage_users", "roles", "ivy@example.org", "--remove", "Ministry of Health",
            "--country", "ZZA")  # fmt: skip

        self.assertEqual(
            self.kinds(self.health),
            [
                (
                    "membership.added",
                    {"person": "ivy@example.org", "role": "viewer", "country": "Arcadia"},
                ),
                (
                    "membership.changed",
                    {"person": "ivy@example.org", "role": ["viewer", "validator"]},
                ),
                ("person.deactivated", {"person": "ivy@example.org"}),
                ("membership.removed", {"person": "ivy@example.org", "role": "validator"}),
            ],
        )
        self.client.force_login(self.cora)
        html = self.client.get(f"/manage/institutions/{self.health.code}/").content.decode()
        self.assertIn("gave ivy@example.org the role Viewer, for Arcadia.", html)
        self.assertIn("changed the role of ivy@example.org from Viewer to Validator.", html)

    def test_a_new_institution_made_by_users_add_is_recorded(self) -> None:
        run("manage_users", "add", "lee@example.org", "--institution", "Water Board",
            "--country", "ZZA", "--role", "focal_point", "--kind", "other")  # fmt: skip
        board = Institution.objects.get(name="Water Board")

        self.assertEqual(
            [kind for kind, _ in self.kinds(board)], ["institution.created", "membership.added"]
        )

    def test_a_failed_command_records_nothing(self) -> None:
        before = Event.objects.count()
        with self.assertRaises(CommandError):
            run("manage_institutions", "add", "Ministry of Health", "--country", "ZZA")
        with self.assertRaises(CommandError):
            run("manage_users", "roles", "bob@example.org", "--remove", "Ministry of Health",
                "--country", "ZZA")  # fmt: skip
        self.assertEqual(Event.objects.count(), before)
