"""Make the screenshots docs/reports.md shows: first pages of a PDF mid-term report, a cluster
brief, an action plan, and the infographic page, from fictional data (Arcadia).

Usage: python scripts/report_screenshots.py [--out docs/screenshots]   (make report-screenshots)
Needs pdftoppm (poppler-utils); `make report-screenshots` installs it with apt-get if missing.
Builds a fresh SQLite database in a temporary folder; nothing else is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install -y poppler-utils", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ["SCREENSHOT_OUT"] = str(out)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.pop("DATABASE_URL", None)
        os.environ["DB_NAME"] = str(folder / "shots.sqlite")
        os.environ["RIGHTSTRACK_DATA_DIR"] = str(folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        pdfs = build(folder)
        for name, pdf in pdfs.items():
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "70",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(pdf),
                    str(out / name),
                ],
                check=True,
            )
            print(out / f"{name}.png")
    return 0


def build(folder: Path) -> dict[str, Path]:
    from django.contrib.auth.models import User
    from django.test import Client
    from export_speed import records

    from rightstrack.accounts.models import Institution, Membership
    from rightstrack.analysis.services import analyse_imported
    from rightstrack.formats.exporters.document import write_pdf
    from rightstrack.plans import exports, services
    from rightstrack.plans.models import Fund
    from rightstrack.recommendations.models import Country, Recommendation
    from rightstrack.recommendations.services import import_records
    from rightstrack.tracking import services as tracking

    country, _ = Country.objects.get_or_create(code="ZZA", defaults={"name": "Arcadia"})
    result = import_records(records("ZZA", 60, 48), kind="demo", file_name="arcadia")
    analyse_imported(result.batch)
    nmrf = Institution.objects.create(name="National Mechanism", kind="nmrf", country=country)
    justice = Institution.objects.create(
        name="Ministry of Justice", kind="ministry", country=country
    )
    cora = User.objects.create_user("cora", "cora@example.org", "x")
    Membership.objects.create(user=cora, institution=nmrf, role="coordinator")
    recs = list(Recommendation.objects.filter(country=country).order_by("id")[:6])
    for rec in recs:
        tracking.assign(cora, rec, justice)
    tracking.submit_update(
        cora,
        recs[0],
        status="in_progress",
        date="2026-05-01",
        note="Draft strategy for internally displaced persons sent to the Council of Ministers",
    )
    action = tracking.create_action(
        cora,
        institution=justice,
        recommendations=recs[:3],
        title="Mobile courts for displaced people in the north",
        start="2026-03-01",
        end="2027-06-30",
        budget_amount="85000",
        budget_currency="USD",
    )
    indicator = tracking.create_indicator(
        cora,
        institution=justice,
        recommendations=recs[:3],
        name="Cases heard by mobile courts",
        unit="cases",
        baseline="0",
        target="600",
        target_date="2027-06-30",
    )
    tracking.add_measurement(cora, indicator, date="2026-09-30", value="140")
    plan = services.create_plan(
        cora,
        country=country,
        title="Arcadia National Human Rights Action Plan 2026-2029",
        start="2026-01-01",
        end="2029-12-31",
        filters={"country": ["ZZA"]},
        situation="Courts are far from the displacement sites; few cases reach them.",
        problems="No legal aid in the camps; judges untrained on displacement.",
        monitoring="The national mechanism reports every six months to parliament.",
    )
    services.add_goal(
        cora,
        plan,
        title="Access to justice for displaced people",
        accountability="Ministry of Justice, to parliament, yearly",
        actions=[action],
        indicators=[indicator],
    )
    services.add_consultation(
        cora,
        plan,
        date="2026-02-10",
        who="Women's and youth committees of two camps",
        groups="Internally displaced persons",
        method="Focus groups",
        place="North camp",
        participants=48,
        said="Courts are too far and costly; we need legal aid in the camps.",
        response="Mobile courts and legal aid desks (goal 1).",
    )
    services.set_funding(
        cora, action, fund=Fund.objects.get(slug="upr-vf-fta"), amount="40000", status="applied"
    )
    pdfs = {}
    for name, kind, kwargs in (
        ("midterm-report", "midterm-report", {"filters": {"country": ["ZZA"]}}),
        ("cluster-brief", "cluster-brief", {"filters": {"country": ["ZZA"]}}),
        ("action-plan", "action-plan", {"plan": plan}),
    ):
        path = folder / f"{name}.pdf"
        exports.export(kind, cora, fmt="pdf", path=path, **kwargs)
        pdfs[name] = path
    client = Client()
    client.force_login(cora)
    html = client.get("/countries/ZZA/charts/").content.decode()
    static = ROOT / "rightstrack" / "static"
    html = html.replace('href="/static/', f'href="{static.as_uri()}/').replace(
        'src="/static/', f'src="{static.as_uri()}/'
    )
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        # The page as a browser shows it (the other three are PDFs, shown by pdftoppm).
        page = folder / "infographic.html"
        page.write_text(html, encoding="utf-8")
        shot = (
            Path(os.environ.get("SCREENSHOT_OUT", ROOT / "docs" / "screenshots"))
            / "infographic.png"
        )
        subprocess.run(
            [
                browser,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1000,1500",
                f"--screenshot={shot}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
        print(shot)
    else:
        path = folder / "infographic.pdf"
        with path.open("wb") as fp:
            write_pdf(html, fp, base_url=str(static))
        pdfs["infographic"] = path
    return pdfs


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
