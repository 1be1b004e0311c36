"""Action plans built from recommendations, with follow-up's own actions; consultations; UN
funds and action funding; the pages; the action-plan export read back."""

from __future__ import annotations

import io

import docx
import openpyxl
import pypdf
import pytest
from django.urls import reverse

from rightstrack.plans import exports, services
from rightstrack.plans.models import ActionFunding, ActionPlan, Fund
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services as tracking
from rightstrack.tracking.exceptions import Conflict, Invalid, NotAllowed
from rightstrack.tracking.models import Event


class PlanTests(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = tracking.create_action(
            self.cora,
            institution=self.justice,
            recommendations=[self.rec],
            title="Train judges on the rights of victims of torture and ill-treatment",
            start="2026-02-01",
            end="2026-12-31",
            budget_amount="12000",
            budget_currency="EUR",
        )
        self.indicator = tracking.create_indicator(
            self.cora,
            institution=self.justice,
            recommendations=[self.rec],
            name="Judges trained",
            unit="persons",
            baseline="0",
            target="200",
            target_date="2027-12-31",
        )
        tracking.add_measurement(self.cora, self.indicator, date="2026-06-30", value="50")
        tracking.add_measurement(self.cora, self.indicator, date="2026-11-30", value="120")

    def make_plan(self) -> ActionPlan:
        plan = services.create_plan(
            self.cora,
            country=self.country,
            title="National Action Plan 2026-2029",
            start="2026-01-01",
            end="2029-12-31",
            filters={"country": ["ZZA"], "body": ["CRPD"]},
            situation="Access to justice is slow.",
            problems="Few trained judges.",
            monitoring="The national mechanism reviews progress every six months.",
        )
        services.add_goal(
            self.cora,
            plan,
            title="Justice for victims",
            accountability="Ministry of Justice to parliament",
            actions=[self.action],
            indicators=[self.indicator],
        )
        services.add_consultation(
            self.cora,
            plan,
            date="2026-01-20",
            who="Women's committees of two IDP camps",
            groups="Internally displaced persons",
            method="Focus groups",
            place="Camp North",
            participants=42,
            said="Courts are too far away; legal aid is needed.",
            response="Mobile courts added to goal 1.",
        )
        return plan

    def test_a_plan_links_the_same_actions_and_records_history(self) -> None:
        plan = self.make_plan()
        assert set(plan.recommendations.values_list("paragraph", flat=True)) == {"12", "14"}
        goal = plan.goals.get()
        assert goal.actions.get().pk == self.action.pk  # linked, not copied
        tracking.change_action(
            self.cora, self.action, version=self.action.version, progress="ongoing"
        )
        assert goal.actions.get().progress == "ongoing"
        kinds = set(Event.objects.filter(country=self.country).values_list("kind", flat=True))
        assert {"plan.created", "plan.goal_added", "plan.consulted"} <= kinds

    def test_only_coordinators_change_plans(self) -> None:
        plan = self.make_plan()
        for user in (self.bob, self.nina, self.boris, self.dan):
            with pytest.raises(NotAllowed):
                services.add_consultation(
                    user, plan, date="2026-02-01", who="x", method="y", said="z"
                )
        with pytest.raises(Invalid, match="end"):
            services.create_plan(
                self.cora, country=self.country, title="x", start="2026-01-01", end="2025-01-01"
            )
        assert set(ActionPlan.objects.visible_to(self.nina)) == {plan}
        assert not ActionPlan.objects.visible_to(self.bea).exists()
        assert not ActionPlan.objects.visible_to(self.dan).exists()

    def test_a_plan_changes_as_follow_up_objects_do_versioned_and_recorded(self) -> None:
        plan = self.make_plan()
        opened = plan.version

        services.change_plan(
            self.cora, plan, version=opened, title="Plan 2026-2030", end="2030-12-31"
        )
        stored = ActionPlan.objects.get(pk=plan.pk)
        event = Event.objects.filter(kind="plan.changed", object_code=plan.code).get()

        assert (stored.title, str(stored.end), stored.version) == (
            "Plan 2026-2030",
            "2030-12-31",
            opened + 1,
        )
        assert event.changes == {
            "title": ["National Action Plan 2026-2029", "Plan 2026-2030"],
            "end": ["2029-12-31", "2030-12-31"],
        }
        # Someone who opened the plan before that change is told, and nothing is written.
        with pytest.raises(Conflict):
            services.change_plan(self.cora, stored, version=opened, title="Stale")
        assert ActionPlan.objects.get(pk=plan.pk).title == "Plan 2026-2030"
        # No change: no new version, no event.
        services.change_plan(self.cora, stored, title="Plan 2026-2030")
        assert ActionPlan.objects.get(pk=plan.pk).version == opened + 1
        assert Event.objects.filter(kind="plan.changed").count() == 1
        with pytest.raises(Invalid, match="end"):
            services.change_plan(self.cora, stored, end="2020-01-01")

    def test_the_action_plan_export_reads_back_in_three_formats(self) -> None:
        plan = self.make_plan()
        fund = Fund.objects.get(slug="unvfvt")
        services.set_funding(self.cora, self.action, fund=fund, amount="5000", status="applied")
        content = exports.export("action-plan", self.cora, fmt="docx", plan=plan).content
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
        tables = [
            [c.text for c in row.cells]
            for t in docx.Document(io.BytesIO(content)).tables
            for row in t.rows
        ]
        assert (
            "National Action Plan 2026-2029" in text
            and "Accountability: Ministry of Justice to parliament" in text
        )
        action_row = next(r for r in tables if r[1].startswith("Train judges"))
        assert action_row[2:6] == ["Ministry of Justice", "2026-02-01", "2026-12-31", "12000 EUR"]
        assert "UNVFVT: 5000 USD (Applied)" in action_row[6]
        assert ["Judges trained", "2026", "120", "0", "200", "60 %"] in tables
        assert any("Courts are too far away" in " ".join(r) for r in tables)
        book = openpyxl.load_workbook(
            io.BytesIO(exports.export("action-plan", self.cora, fmt="xlsx", plan=plan).content)
        )
        assert book.sheetnames[:2] == ["Actions", "Indicators"]
        assert book["Actions"]["B2"].value.startswith("Train judges")
        pdf = pypdf.PdfReader(
            io.BytesIO(exports.export("action-plan", self.cora, fmt="pdf", plan=plan).content)
        )
        # Words wrap inside narrow table cells: compare with single spaces.
        pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
        assert "Consultation of the affected population" in pdf_text, pdf_text
        assert "Focus groups" in pdf_text, pdf_text

    def test_funds_and_the_unfunded_actions_page(self) -> None:
        assert Fund.objects.filter(slug__in=["upr-vf-fta", "unvfvt"]).count() == 2
        assert all(f.source and f.who_may_apply and f.pays_for for f in Fund.objects.all())
        rows = dict(services.unfunded_actions(self.cora))
        candidates = [f.slug for f, _words in rows[self.action]]
        assert "opcat-special-fund" in candidates or "vftc" in candidates
        assert "unvfvt" not in candidates  # a ministry may not apply to the victims' fund
        self.client.force_login(self.cora)
        page = self.client.get(reverse("plans-unfunded"))
        assert page.status_code == 200 and "Train judges" in page.content.decode()
        fund = Fund.objects.get(slug="vftc")
        response = self.client.post(
            reverse("plans-set-funding", args=[self.action.code]),
            {"fund": fund.pk, "amount": "9000", "currency": "USD", "status": "granted"},
        )
        assert response.status_code == 302
        assert ActionFunding.objects.get(action=self.action).status == "granted"
        assert self.action not in dict(services.unfunded_actions(self.cora))
        self.client.force_login(self.bea)
        other = self.client.post(
            reverse("plans-set-funding", args=[self.action.code]),
            {"fund": fund.pk, "currency": "USD", "status": "planned"},
        )
        assert other.status_code == 404
        assert self.client.get(reverse("plans-funds")).status_code == 200

    def test_plan_pages(self) -> None:
        plan = self.make_plan()
        self.client.force_login(self.cora)
        page = self.client.get(plan.get_absolute_url())
        html = page.content.decode()
        assert page.status_code == 200 and "Justice for victims" in html and "Camp North" in html
        assert f"/exports/action-plan/?plan={plan.code}&amp;format=pdf" in html
        created = self.client.post(
            reverse("plans-list") + "?country=ZZA",
            {
                "country": "ZZA",
                "title": "Second plan",
                "start": "2027-01-01",
                "end": "2027-12-31",
                "filters": '{"country": ["ZZA"]}',
            },
        )
        assert created.status_code == 302
        assert ActionPlan.objects.get(title="Second plan").recommendations.count() == 2
        self.client.force_login(self.bea)
        assert self.client.get(plan.get_absolute_url()).status_code == 404
        self.client.force_login(self.nina)
        assert self.client.get(plan.get_absolute_url()).status_code == 200
        denied = self.client.post(plan.get_absolute_url(), {"form": "goal", "title": "x"})
        assert denied.status_code == 403
        self.client.logout()
        assert self.client.get(plan.get_absolute_url()).status_code == 302

    def test_infographic_and_exercise_pages(self) -> None:
        self.client.force_login(self.cora)
        page = self.client.get(reverse("plans-infographic", args=["ZZA"]))
        html = page.content.decode()
        assert page.status_code == 200 and "<svg" in html and "<caption>" in html
        svg = self.client.get(reverse("plans-infographic-svg", args=["ZZA", "positions"]))
        assert (
            svg["Content-Type"] == "image/svg+xml" and b"<title>Arcadia: Positions" in svg.content
        )
        exercise = self.client.get(reverse("plans-exercise") + "?country=ZZA")
        assert exercise.status_code == 200 and "Facilitator" in exercise.content.decode()
