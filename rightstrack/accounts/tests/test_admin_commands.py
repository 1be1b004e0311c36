"""The administrator's command line: institutions, people's roles, tokens, bulk assignment."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from rightstrack.accounts.models import ApiToken, Institution, Membership
from rightstrack.recommendations.models import SubItem
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking.models import Assignment, Event

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class InstitutionsCommandTestCase(FollowUpTestCase):
    def test_it_adds_lists_and_renames_institutions_of_a_state(self) -> None:
        out = run("manage_institutions", "add", "Ministry of Labour", "--country", "ZZA")
        self.assertRegex(
            out, r"^added Ministry of Labour \(Arcadia\), ministry, code [0-9a-f-]{36}\n$"
        )
        labour = Institution.objects.get(name="Ministry of Labour")
        self.assertTrue(labour.requires_validation)
        run(
            "manage_institutions",
            "add",
            "Labour Inspectorate",
            "--country",
            "Arcadia",
            "--parent",
            "Ministry of Labour",
            "--no-validation",
        )
        inspectorate = Institution.objects.get(name="Labour Inspectorate")
        self.assertEqual((inspectorate.parent, inspectorate.requires_validation), (labour, False))
        listed = run("manage_institutions", "list", "--country", "ZZB").splitlines()
        self.assertEqual(
            [line.split("\t")[:3] for line in listed],
            [["Ministry of Justice", "ministry", "ZZB"], ["National Mechanism", "nmrf", "ZZB"]],
        )
        # Two States each have a Ministry of Justice: renaming needs the State.
        with self.assertRaises(CommandError) as caught:
            run("manage_institutions", "rename", "Ministry of Justice", "Ministry of Law")
        self.assertIn("give --country", str(caught.exception))
        out = run(
            "manage_institutions",
            "rename",
            "Ministry of Justice",
            "Ministry of Law",
            "--country",
            "ZZB",
        )
        self.assertEqual(out, "renamed Ministry of Justice to Ministry of Law\n")
        self.other_justice.refresh_from_db()
        self.justice.refresh_from_db()
        self.assertEqual(
            (self.other_justice.name, self.justice.name), ("Ministry of Law", "Ministry of Justice")
        )

    def test_it_refuses_a_duplicate_and_an_unknown_state(self) -> None:
        with self.assertRaises(CommandError) as caught:
            run("manage_institutions", "add", "ministry of justice", "--country", "ZZA")
        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("already has", str(caught.exception))
        with self.assertRaises(CommandError):
            run("manage_institutions", "add", "Ministry X", "--country", "Atlantis")
        self.assertFalse(Institution.objects.filter(name="Ministry X").exists())


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class UsersAndTokensCommandTestCase(FollowUpTestCase):
    def test_roles_are_shown_and_removed(self) -> None:
        self.assertEqual(
            run("manage_users", "roles", "bob@example.org"),
            "bob@example.org\tfocal_point\tMinistry of Justice\n",
        )
        out = run(
            "manage_users",
            "roles",
            "bob@example.org",
            "--remove",
            "Ministry of Justice",
            "--country",
            "ZZA",
        )
        self.assertEqual(out, "bob@example.org is no longer focal_point at Ministry of Justice\n")
        self.assertFalse(Membership.objects.filter(user=self.bob).exists())
        self.assertEqual(
            run("manage_users", "roles", "bob@example.org"), "bob@example.org has no role\n"
        )
        with self.assertRaises(CommandError):
            run("manage_users", "roles", "nobody@example.org")

    def test_a_deactivated_person_cannot_use_a_token(self) -> None:
        token = run("manage_tokens", "create", "bob@example.org").strip()
        headers = {"Authorization": f"Bearer {token}"}
        self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 200)
        self.assertEqual(
            run("manage_users", "deactivate", "bob@example.org"), "bob@example.org is deactivated\n"
        )
        self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 401)
        self.assertIn("(deactivated)", run("manage_users", "list"))
        with self.assertRaises(CommandError):
            run("manage_tokens", "create", "bob@example.org")

    def test_tokens_are_read_only_and_expire_when_asked(self) -> None:
        token = run("manage_tokens", "create", "cora@example.org", "--read-only", "--expires", "30")
        self.assertEqual(len(token.splitlines()), 1)
        stored = ApiToken.objects.get(digest=ApiToken.hash(token.strip()))
        self.assertEqual(stored.scope, "read")
        left = stored.expires - timezone.now()
        self.assertTrue(dt.timedelta(days=29, hours=23) < left <= dt.timedelta(days=30))
        dated = run(
            "manage_tokens", "create", "cora@example.org", "--expires", "2099-06-30"
        ).strip()
        stored = ApiToken.objects.get(digest=ApiToken.hash(dated))
        self.assertEqual(
            (stored.scope, timezone.localtime(stored.expires).date()),
            ("write", dt.date(2099, 7, 1)),
        )
        for bad in ("0", "2001-01-01", "soon"):
            with self.subTest(bad), self.assertRaises(CommandError) as caught:
                run("manage_tokens", "create", "cora@example.org", "--expires", bad)
            self.assertIn("--expires", str(caught.exception))
        self.assertEqual(ApiToken.objects.count(), 2)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class AssignCommandTestCase(FollowUpTestCase):
    def write(self, text: str, name: str = "assign.csv") -> Path:
        folder = Path(tempfile.mkdtemp())
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def test_it_assigns_every_row_and_prints_one_line(self) -> None:
        SubItem.objects.create(recommendation=self.other_rec, label="a", text="Amend the law")
        path = self.write(
            "recommendation,document_symbol,paragraph,institution,role,due\n"
            f"{self.rec.code},,,Ministry of Justice,lead,2027-06-30\n"
            f"{self.rec.code},,,ministry of health,supporting,\n"
            ",CRPD/C/ZZA/CO/1,14(a),Ministry of Health,,2027-01-31\n"
        )
        out = run("assign_recommendations", str(path))
        self.assertEqual(out, f"assigned 3 new, 0 already assigned, from 3 rows of {path}\n")
        rows = Assignment.objects.order_by("id").values_list(
            "recommendation__paragraph", "sub_item__label", "institution__name", "role", "due"
        )
        self.assertEqual(
            list(rows),
            [
                ("12", None, "Ministry of Justice", "lead", dt.date(2027, 6, 30)),
                ("12", None, "Ministry of Health", "supporting", None),
                ("14", "a", "Ministry of Health", "lead", dt.date(2027, 1, 31)),
            ],
        )
        self.assertEqual(Event.objects.filter(kind="assignment.created").count(), 3)
        self.assertEqual(Event.objects.filter(actor__isnull=True).count(), 3)
        again = run("assign_recommendations", str(path))
        self.assertEqual(again, f"assigned 0 new, 3 already assigned, from 3 rows of {path}\n")

    def test_a_bad_row_names_row_and_column_and_nothing_is_assigned(self) -> None:
        head = "recommendation,institution,role,due\n"
        good = f"{self.rec.code},Ministry of Justice,lead,2027-06-30\n"
        cases = [
            (
                f"{self.rec.code},Ministry of Magic,lead,\n",
                "row 3, column 'institution'",
                "no institution",
            ),
            (f"{self.rec.code},Ministry of Health,boss,\n", "row 3, column 'role'", "'boss'"),
            (
                f"{self.rec.code},Ministry of Health,lead,31/12/2027\n",
                "row 3, column 'due'",
                "not a date",
            ),
            ("not-a-code,Ministry of Health,lead,\n", "row 3, column 'recommendation'", "UUID"),
            (
                f"{self.foreign_rec.code},Ministry of Health,lead,\n",
                "row 3, column 'institution'",
                "Borduria",
            ),
        ]
        for row, where, what in cases:
            with self.subTest(where=where, what=what):
                path = self.write(head + good + row)
                with self.assertRaises(CommandError) as caught:
                    run("assign_recommendations", str(path))
                message = str(caught.exception)
                self.assertEqual(caught.exception.returncode, 2)
                self.assertIn(f"{path}, {where}", message)
                self.assertIn(what, message)
                self.assertEqual(len(message.splitlines()), 1)
                self.assertFalse(Assignment.objects.exists())
        missing = self.write("paragraph,institution\n12,Ministry of Justice\n")
        with self.assertRaises(CommandError) as caught:
            run("assign_recommendations", str(missing))
        self.assertIn("missing column 'recommendation'", str(caught.exception))
        with self.assertRaises(CommandError) as caught:
            run("assign_recommendations", "/nonexistent/assign.csv")
        self.assertIn("no such file", str(caught.exception))

    def test_by_records_the_coordinator_and_checks_their_right(self) -> None:
        path = self.write(f"recommendation,institution\n{self.rec.code},Ministry of Justice\n")
        run("assign_recommendations", str(path), "--by", "cora@example.org")
        self.assertEqual(Assignment.objects.get().created_by, self.cora)
        other = self.write(
            f"recommendation,institution\n{self.other_rec.code},Ministry of Justice\n"
        )
        with self.assertRaises(CommandError) as caught:
            run("assign_recommendations", str(other), "--by", "bob@example.org")
        self.assertIn("row 2", str(caught.exception))
        self.assertEqual(Assignment.objects.count(), 1)
