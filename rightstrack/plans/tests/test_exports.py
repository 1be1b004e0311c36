"""Each export read back (openpyxl, python-docx, pypdf) and compared with what it must hold;
exports hold only what their user may see, and are recorded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import docx
import openpyxl
import pypdf
from django.core.management import call_command
from django.urls import reverse

from rightstrack.analysis.services import analyse_imported  # noqa: F401 (app is installed)
from rightstrack.formats.exporters.base import safe_cell, unsafe_cell
from rightstrack.plans import exports
from rightstrack.plans.models import ExportLog
from rightstrack.recommendations.models import Analysis
from rightstrack.test import FollowUpTestCase, make_body, make_recommendation
from rightstrack.tracking import services


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


class ExportTests(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.upr = make_body("UPR", "upr", "Universal Periodic Review")
        self.upr_rec = make_recommendation(
            country=self.country,
            body=self.upr,
            paragraph="118.5",
            session="48",
            cycle=4,
            document_symbol="A/HRC/59/15",
            position="noted",
            text='=HYPERLINK("http://evil") Ratify the Convention relating to the Status of Stateless Persons',
            recommending_states=("FRA",),
        )
        services.assign(self.cora, self.rec, self.justice)
        services.assign(self.cora, self.upr_rec, self.health)
        update = services.submit_update(
            self.bob,
            self.rec,
            status="in_progress",
            date="2026-01-10",
            note="Draft law on accessibility sent to parliament",
        )
        services.decide(self.vera, update, decision="approve")
        services.assess(
            self.nina,
            self.rec,
            status="not_started",
            date="2026-02-01",
            note="No change seen in institutions",
        )

    def test_a_list_holds_only_the_follow_up_its_user_may_see(self) -> None:
        def export_for(user):
            result = exports.export("list", user, fmt="json", filters={"country": ["ZZA"]})
            return {r["paragraph"]: r for r in json.loads(result.content)["results"]}

        cora = export_for(self.cora)
        assert cora["12"]["status"] == "in_progress"
        assert cora["12"]["assignments"] == "Ministry of Justice (lead)"
        assert "No change seen" in cora["12"]["assessments"]
        hugo = export_for(self.hugo)  # Health sees its own assignment, not Justice's paragraph
        assert hugo["12"]["status"] == "" and hugo["12"]["assignments"] == ""
        assert hugo["118.5"]["assignments"] == "Ministry of Health (lead)"
        for user in (self.bea, self.dan, None):
            other = export_for(user)
            assert set(other) == {"12", "14", "118.5"}  # recommendations are public
            assert all(
                not r["status"] and not r["assignments"] and not r["assessments"]
                for r in other.values()
            )
        nina = export_for(self.nina)
        assert nina["12"]["status"] == "in_progress"
        assert "No change seen" in nina["12"]["assessments"]
        assert ExportLog.objects.count() == 6
        log = ExportLog.objects.filter(user=self.cora).get()
        assert (log.kind, log.format, log.filters, log.rows) == (
            "list",
            "json",
            {"country": ["ZZA"]},
            3,
        )

    def test_csv_and_xlsx_cells_never_run_as_formulas(self) -> None:
        assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", 5)] == [
            "'=1+1",
            "'+1",
            "'-1",
            "'@SUM(A1)",
            "'\tx",
            "'\rx",
            "ok",
            5,
        ]
        assert unsafe_cell(safe_cell("=1+1")) == "=1+1"
        content = exports.export("list", self.cora, fmt="csv", filters={}).content
        rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        texts = {r["paragraph"]: r["text"] for r in rows}
        assert texts["118.5"].startswith("'=HYPERLINK")
        sheet = openpyxl.load_workbook(
            io.BytesIO(exports.export("matrix", self.cora, fmt="xlsx", filters={}).content)
        ).worksheets[0]
        cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
        assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)

    def test_the_matrix_docx_groups_by_theme_with_positions_and_status(self) -> None:
        from rightstrack.recommendations.models import Label, Taxonomy, Term

        tax, _ = Taxonomy.objects.get_or_create(slug="uhri_themes", defaults={"name": "Themes"})
        term = Term.objects.create(taxonomy=tax, name="Statelessness")
        Label.objects.create(recommendation=self.upr_rec, term=term, source="document")
        content = exports.export(
            "matrix", self.cora, fmt="docx", filters={"country": ["ZZA"]}
        ).content
        document = docx.Document(io.BytesIO(content))
        table = document.tables[0]
        header = [c.text for c in table.rows[0].cells]
        assert header[:2] == [
            "Recommendation and recommending State",
            "Position of the State under review",
        ]
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert rows[0][0] == "Theme: Statelessness"
        assert rows[1][0].startswith("118.5 =HYPERLINK") and rows[1][0].endswith("(FRA)")
        assert rows[1][1] == "Noted"
        status = next(r for r in rows if r[0].startswith("12 "))[4]
        assert "Status: In progress (2026-01-10)" in status
        assert "Human Rights Commission, 2026-02-01: not started" in status

    def test_reports_read_back_as_docx_and_pdf(self) -> None:
        self.rec.follow_up = True
        self.rec.follow_up_due_date = dt.date(2027, 3, 1)
        self.rec.save()
        action = services.create_action(
            self.cora,
            institution=self.justice,
            recommendations=[self.upr_rec, self.rec],
            title="Accession to the 1954 Convention",
            start="2026-03-01",
            end="2027-06-30",
        )
        assert action.pk
        docx_out = docx_text(
            exports.export(
                "followup-report", self.cora, fmt="docx", filters={"country": ["ZZA"]}
            ).content
        )
        assert "CRPD/C/ZZA/CO/1" in docx_out and "2027-03-01" in docx_out
        assert "Draft law on accessibility sent to parliament" in docx_out
        midterm = pdf_text(
            exports.export(
                "midterm-report", self.cora, fmt="pdf", filters={"country": ["ZZA"]}
            ).content
        )
        assert "Mid-term report of Arcadia" in midterm
        assert "Accession to the 1954 Convention" in midterm and "118.5" in midterm
        # Bea (another State) gets the public text and none of Arcadia's follow-up.
        other = pdf_text(
            exports.export(
                "midterm-report", self.bea, fmt="pdf", filters={"country": ["ZZA"]}
            ).content
        )
        assert "118.5" in other and "Accession to the 1954 Convention" not in other
        assert "Ministry of Health" not in other

    def test_cluster_brief_and_exercise_pack(self) -> None:
        sp = make_body("sr-idps", "special_procedures", "Special Rapporteur on IDPs")
        sp_rec = make_recommendation(
            country=self.country,
            body=sp,
            paragraph="80",
            text="Adopt a national law on internally displaced persons with a budget by 2027.",
        )
        for rec in (self.rec, self.upr_rec, sp_rec):
            Analysis.objects.create(recommendation=rec, protection_relevant=True)
        brief = docx_text(
            exports.export(
                "cluster-brief", self.cleo, fmt="docx", filters={"country": ["ZZA"]}
            ).content
        )
        assert "Protection cluster brief: Arcadia" in brief
        assert "Suggested advocacy points" in brief and "reconsider 1 noted" in brief
        pack = pdf_text(
            exports.export(
                "exercise-pack", self.cora, fmt="pdf", filters={"country": ["ZZA"]}
            ).content
        )
        assert "Treaty body" in pack and "Universal Periodic Review" in pack
        assert "Special procedure" in pack and "internally displaced persons" in pack
        assert "Facilitator" in pack and "'adopt" in pack.lower()

    def test_pdf_renders_french_spanish_and_arabic(self) -> None:
        from rightstrack.formats.exporters.document import Paragraph, Report, write_docx, write_pdf
        from rightstrack.plans.reports import render_html

        for language, text in (
            ("fr", "Élaborer une stratégie nationale pour les déplacés internes"),
            ("es", "Garantizar la protección de los niños desplazados y la reunificación familiar"),
            ("ar", "حماية حقوق النازحين داخليا"),
        ):
            report = Report(title=f"{language}: {text}", language=language).add(Paragraph(text))
            html = render_html(report)
            out = io.BytesIO()
            write_pdf(html, out)
            reader = pypdf.PdfReader(io.BytesIO(out.getvalue()))
            extracted = reader.pages[0].extract_text()
            assert text in extracted.splitlines()  # every letter, in reading order
            fonts = {
                str(f.get_object()["/BaseFont"]).split("+")[-1]
                for f in reader.pages[0]["/Resources"]["/Font"].values()
            }
            assert fonts and all(f.startswith("DejaVu") for f in fonts)
            assert ('dir="rtl"' in html) == (language == "ar")
            document = io.BytesIO()
            write_docx(
                Report(
                    title=text, language=language, direction="rtl" if language == "ar" else "ltr"
                ).add(Paragraph(text)),
                document,
            )
            paragraphs = docx.Document(io.BytesIO(document.getvalue())).paragraphs
            assert paragraphs[1].text == text
            assert (
                paragraphs[1]._p.pPr is not None
                and paragraphs[1]._p.pPr.find(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi"
                )
                is not None
            ) == (language == "ar")

    def test_download_pages_and_api(self) -> None:
        self.client.force_login(self.cora)
        response = self.client.get(
            reverse("plans-export", args=["list"]) + "?country=ZZA&format=xlsx"
        )
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        rows = xlsx_rows(response.content)
        assert len(rows) == 4 and "in_progress" in [r[rows[0].index("status")] for r in rows]
        page = self.client.get(reverse("front-country", args=["ZZA"]))
        assert (
            reverse("plans-export", args=["matrix"]) + "?country=ZZA&amp;format=docx"
            in page.content.decode()
        )
        bad = self.client.get(reverse("plans-export", args=["list"]) + "?format=pdf")
        assert bad.status_code == 400 and b"formats: csv, xlsx, json" in bad.content
        self.client.logout()
        assert (
            self.client.get(
                reverse("plans-export", args=["midterm-report"]) + "?country=ZZA&format=pdf"
            ).status_code
            == 302
        )
        anonymous = self.client.get(
            reverse("plans-export", args=["list"]) + "?country=ZZA&format=json"
        )
        assert all(not r["status"] for r in json.loads(anonymous.content)["results"])
        assert ExportLog.objects.filter(via="web").count() == 2

    def test_the_command_writes_the_file_whole(self) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "l.xlsx"
            call_command(
                "export_recommendations", "list", "-o", str(out), "--user", "cora@example.org"
            )
            rows = xlsx_rows(out.read_bytes())
            assert rows[0][:3] == ["document_symbol", "mechanism", "body"]
            assert len(rows) == 5  # the header and the four recommendations of both States
            import pytest
            from django.core.management.base import CommandError

            with pytest.raises(CommandError, match="formats: csv, xlsx, json"):
                call_command("export_recommendations", "list", "-o", str(Path(tmp) / "x.pdf"))
            assert sorted(p.name for p in Path(tmp).iterdir()) == ["l.xlsx"]

    def test_the_api_exports_what_the_token_may_see(self) -> None:
        from rightstrack.accounts.services import create_token

        token = create_token("cora@example.org")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        url = "/api/v1/exports/list?format=json&country=ZZA"
        with_token = json.loads(self.client.get(url, **auth).content)["results"]
        assert {r["paragraph"]: r["status"] for r in with_token}["12"] == "in_progress"
        anonymous = json.loads(self.client.get(url).content)["results"]
        assert {r["paragraph"] for r in anonymous} == {"12", "14", "118.5"}
        assert all(not r["status"] for r in anonymous)
        assert (
            self.client.get("/api/v1/exports/cluster-brief?format=pdf&country=ZZA").status_code
            == 401
        )
        bad = self.client.get("/api/v1/exports/matrix?format=pdf", **auth)
        assert bad.status_code == 400 and "formats: xlsx, docx, csv" in bad.json()["error"]
        kinds = {k["kind"]: k["formats"] for k in self.client.get("/api/v1/exports").json()}
        assert kinds["action-plan"] == ["docx", "pdf", "xlsx"]
        assert ExportLog.objects.filter(via="api").count() == 2

    def test_the_queries_of_an_export_do_not_grow_with_its_rows(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                exports.export("matrix", self.cora, fmt="xlsx", filters={"country": ["ZZA"]})
            return len(ctx.captured_queries)

        small = queries()
        for _n in range(40):
            rec = make_recommendation(
                country=self.country, body=self.upr, recommending_states=("FRA", "DEU")
            )
            services.assign(self.cora, rec, self.justice)
        assert queries() == small

    def test_the_midterm_report_per_cluster_or_per_recommendation(self) -> None:
        from rightstrack.recommendations.models import GroupMembership, RecommendationGroup

        twin = make_recommendation(
            country=self.country,
            body=self.upr,
            paragraph="118.6",
            session="48",
            cycle=4,
            text="Accede to the 1954 Convention relating to the Status of Stateless Persons",
            recommending_states=("DEU",),
            position="supported",
        )
        group = RecommendationGroup.objects.create(title="Statelessness conventions")
        for rec in (self.upr_rec, twin):
            GroupMembership.objects.create(group=group, recommendation=rec)
        clustered = docx.Document(
            io.BytesIO(
                exports.export(
                    "midterm-report", self.cora, fmt="docx", filters={"country": ["ZZA"]}
                ).content
            )
        )
        headings = [p.text for p in clustered.paragraphs if p.style.name.startswith("Heading")]
        assert "II. Implementation, by cluster of recommendations" in headings
        assert "Statelessness conventions" in headings
        per = docx.Document(
            io.BytesIO(
                exports.export(
                    "midterm-report",
                    self.cora,
                    fmt="docx",
                    filters={"country": ["ZZA"], "per": "recommendation"},
                ).content
            )
        )
        headings = [p.text for p in per.paragraphs if p.style.name.startswith("Heading")]
        assert "118.5 (FRA)" in headings and "118.6 (DEU)" in headings
        assert (
            ExportLog.objects.filter(kind="midterm-report").first().filters["per"]
            == "recommendation"
        )
