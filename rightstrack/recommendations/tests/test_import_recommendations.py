from __future__ import annotations

import io
import shutil
import tempfile
from contextlib import redirect_stderr
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.test import TestCase

from rightstrack import cli
from rightstrack.recommendations.models import Label, Recommendation

UPR_INFO_HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"
#: A UPR Info-shaped export written by us: Latin-1, CR line endings, one row per co-sponsor.
LAW = '"Adopt a law on internally displaced persons."'
IDP = '"Internally displaced persons"'
UPR_INFO_ROWS = [
    f"Slovenia,WEOG,,{LAW},Norway,WEOG,,Accepted,5,{IDP},33",
    f"Slovenia,WEOG,,{LAW},Uganda,Africa,AU,Accepted,5,{IDP},33",
    'Slovenia,WEOG,,"Consider ratifying the Convention on enforced disappearance.",'
    'Argentina,GRULAC,,Noted,3,"International instruments",33',
    f"Slovenia,WEOG,,{LAW},Côte d'Ivoire,Africa,AU,Accepted,5,{IDP},33",
]


def upr_info_bytes(rows: list[str] = UPR_INFO_ROWS) -> bytes:
    return "\r".join([UPR_INFO_HEADER, *rows]).encode("latin-1")


def count_every_table() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
    }


class ImportRecommendationsTestCase(TestCase):
    # Every table is counted (or written by the demo), the job queue's included.
    databases = {"default", "jobs"}

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.good = self.tmp / "upr-info.csv"
        self.good.write_bytes(upr_info_bytes())

    def import_(self, *args: str) -> str:
        out = io.StringIO()
        call_command("import_recommendations", *args, "--no-progress", stdout=out)
        return out.getvalue()

    def run_cli(self, *argv: str) -> tuple[int, str]:
        """Run `rightstrack ARGV` in this process, as the console script does."""
        err = io.StringIO()
        # The command closes every connection when it ends, which would end the test's transaction.
        with mock.patch.object(connections, "close_all"), redirect_stderr(err):
            status = cli.main(list(argv))
        return status, err.getvalue()

    def test_it_imports_and_prints_one_line(self) -> None:
        output = self.import_(str(self.good))

        self.assertEqual(
            output, f"imported 2 new, 0 updated, 0 unchanged recommendations from {self.good}\n"
        )

    def test_it_merges_co_sponsors_into_one_recommendation(self) -> None:
        self.import_(str(self.good))

        rec = Recommendation.objects.get(text__startswith="Adopt a law")
        self.assertEqual(
            sorted(rec.recommending_states.values_list("code", flat=True)), ["CIV", "NOR", "UGA"]
        )
        self.assertEqual(
            (rec.country.code, rec.session, rec.cycle, rec.year), ("SVN", "33", 3, 2019)
        )
        self.assertEqual(rec.position, "supported")
        self.assertEqual(
            sorted(
                rec.labels.filter(source="document").values_list("term__taxonomy__slug", flat=True)
            ),
            ["action_categories", "upr_info_issues"],
        )

    def test_it_adds_nothing_on_a_second_import(self) -> None:
        self.import_(str(self.good))
        before = count_every_table()

        output = self.import_(str(self.good))

        self.assertEqual(
            output, f"imported 0 new, 0 updated, 2 unchanged recommendations from {self.good}\n"
        )
        after = count_every_table()
        self.assertEqual(
            after.pop("recommendations.ImportBatch"), before.pop("recommendations.ImportBatch") + 1
        )
        self.assertEqual(after, before)

    def test_it_counts_updated_recommendations(self) -> None:
        self.import_(str(self.good))
        self.good.write_bytes(
            upr_info_bytes([r.replace("Noted", "Accepted") for r in UPR_INFO_ROWS])
        )

        output = self.import_(str(self.good))

        self.assertIn("imported 0 new, 1 updated, 1 unchanged", output)
        self.assertEqual(Recommendation.objects.filter(position="supported").count(), 2)

    def test_it_lists_the_kinds(self) -> None:
        output = self.import_("--list")

        self.assertIn("upr-info", output)
        self.assertIn("UPR Info export", output)

    def test_it_exits_with_status_2_for_a_missing_file(self) -> None:
        status, err = self.run_cli("import", str(self.tmp / "nothing.csv"))

        self.assertEqual(status, 2)
        self.assertIn("nothing.csv", err)

    def assert_rejected(self, path: Path, *options: str, mentions: str = "") -> str:
        """Import a good file, then *path*; assert status 2, a one-line error, nothing changed."""
        self.import_(str(self.good))
        Label.objects.create(  # a person's label must survive too
            recommendation=Recommendation.objects.first(),
            term=Label.objects.first().term,
            source="person",
        )
        before = count_every_table()

        status, err = self.run_cli("import", str(path), *options)

        self.assertEqual(status, 2, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn(path.name, err)
        self.assertIn(mentions, err)
        self.assertEqual(count_every_table(), before)
        return err

    def test_it_rejects_wrong_columns(self) -> None:
        path = self.tmp / "wrong-columns.csv"
        path.write_text(
            "To,Recommendation,Response\r\nSlovenia,Ratify it.,Accepted\r\n", encoding="utf-8"
        )

        self.assert_rejected(path, "--kind", "upr-info", mentions="column")

    def test_it_rejects_a_row_naming_an_unknown_state(self) -> None:
        path = self.tmp / "unknown-state.csv"
        path.write_bytes(
            upr_info_bytes([*UPR_INFO_ROWS, UPR_INFO_ROWS[0].replace("Norway", "Atlantis")])
        )

        err = self.assert_rejected(path, mentions="row 6")

        self.assertIn("From", err)

    def test_it_rejects_a_truncated_xlsx(self) -> None:
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(UPR_INFO_HEADER.split(","))
        for n in range(200):
            sheet.append(
                [
                    "Slovenia",
                    "WEOG",
                    "",
                    f"Recommendation number {n}.",
                    "Norway",
                    "WEOG",
                    "",
                    "Accepted",
                    "5",
                    "Justice",
                    "33",
                ]
            )
        whole = self.tmp / "whole.xlsx"
        workbook.save(whole)
        path = self.tmp / "truncated.xlsx"
        path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

        self.assert_rejected(path, "--kind", "upr-info")

    def test_it_rejects_binary_garbage(self) -> None:
        path = self.tmp / "garbage.csv"
        path.write_bytes(bytes(range(256)) * 40)

        self.assert_rejected(path, "--kind", "upr-info")

    def test_it_rejects_binary_garbage_when_guessing_the_kind(self) -> None:
        path = self.tmp / "garbage.xlsx"
        path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)

        self.assert_rejected(path)

    def test_it_rejects_the_wrong_encoding(self) -> None:
        path = self.tmp / "latin-1.csv"
        path.write_bytes(upr_info_bytes())

        self.assert_rejected(path, "--encoding", "utf-8", mentions="utf-8")
