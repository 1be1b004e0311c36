from __future__ import annotations

import io

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from rightstrack.accounts import services
from rightstrack.accounts.models import ApiToken, Institution, Membership
from rightstrack.recommendations.services import load_reference_data
from rightstrack.test import BaseTestCase


class ManageUsersTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        load_reference_data()

    def users(self, *args: str) -> str:
        out = io.StringIO()
        call_command("manage_users", *args, stdout=out)
        return out.getvalue()

    def test_it_adds_a_person_with_a_role(self) -> None:
        output = self.users(
            "add",
            "erin@example.org",
            "--institution",
            "Protection Cluster",
            "--role",
            "cluster_coordinator",
            "--country",
            "Somalia",
        )

        self.assertEqual(output, "erin@example.org is cluster_coordinator at Protection Cluster\n")
        membership = Membership.objects.get(user__email="erin@example.org")
        self.assertEqual(membership.user.username, "erin@example.org")
        self.assertEqual(membership.role, "cluster_coordinator")
        self.assertEqual(membership.country.code, "SOM")
        self.assertEqual(membership.institution.country.code, "SOM")

    def test_it_changes_the_role_when_run_again(self) -> None:
        self.users(
            "add", "bob@example.org", "--institution", "Ministry of Justice", "--role", "validator"
        )

        self.assertEqual(Membership.objects.get(user=self.bob).role, "validator")
        self.assertEqual(User.objects.filter(email="bob@example.org").count(), 1)
        self.assertEqual(Institution.objects.filter(name="Ministry of Justice").count(), 1)

    def test_it_rejects_an_unknown_country(self) -> None:
        with self.assertRaises(CommandError) as caught:
            self.users(
                "add",
                "erin@example.org",
                "--institution",
                "X",
                "--role",
                "viewer",
                "--country",
                "Atlantis",
            )

        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("Atlantis", str(caught.exception))
        self.assertFalse(User.objects.filter(email="erin@example.org").exists())

    def test_it_rejects_an_unknown_role(self) -> None:
        with self.assertRaisesMessage(services.InputError, "unknown role 'boss'"):
            services.add_user("erin@example.org", institution="X", role="boss")

    def test_it_lists_memberships(self) -> None:
        output = self.users("list")

        self.assertIn("bob@example.org\tfocal_point\tMinistry of Justice", output)
        self.assertEqual(len(output.splitlines()), 3)


class ManageTokensTestCase(BaseTestCase):
    def test_it_prints_only_the_token(self) -> None:
        out = io.StringIO()

        call_command("manage_tokens", "create", "bob@example.org", stdout=out)

        token = out.getvalue().strip()
        self.assertTrue(token.startswith("rt_"))
        self.assertEqual(len(out.getvalue().splitlines()), 1)
        self.assertEqual(ApiToken.objects.get().digest, ApiToken.hash(token))
        self.assertEqual(ApiToken.objects.get().user, self.bob)

    def test_it_rejects_an_unknown_person(self) -> None:
        with self.assertRaises(CommandError) as caught:
            call_command("manage_tokens", "create", "nobody@example.org")

        self.assertEqual(caught.exception.returncode, 2)
        self.assertFalse(ApiToken.objects.exists())
