"""Follow-up services: assign, report, validate, assess, plan, measure; history and conflicts."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.test import override_settings

from rightstrack.accounts.models import ApiToken
from rightstrack.recommendations.models import GroupMembership, RecommendationGroup, SubItem
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services
from rightstrack.tracking.exceptions import Conflict, Invalid, NotAllowed, NotFound
from rightstrack.tracking.history import story
from rightstrack.tracking.models import (
    Assessment,
    Assignment,
    Event,
    Evidence,
    FollowUp,
    StatusUpdate,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 11, 30)


def pdf(name: str = "decree.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class MediaMixin:
    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.media = tempfile.mkdtemp(prefix="rightstrack-test-media-")
        self.settings_override = override_settings(MEDIA_ROOT=self.media)
        self.settings_override.enable()

    def tearDown(self) -> None:
        self.settings_override.disable()
        shutil.rmtree(self.media, ignore_errors=True)
        super().tearDown()  # type: ignore[misc]


class AssignTestCase(FollowUpTestCase):
    def test_it_assigns_a_recommendation_and_records_who_did_it(self) -> None:
        assignment, new = services.assign(
            self.cora, self.rec, self.justice, role="lead", due="2027-06-30"
        )

        self.assertTrue(new)
        self.assertEqual(assignment.due, dt.date(2027, 6, 30))
        self.assertEqual(assignment.country, self.country)
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")
        event = Event.objects.get(kind="assignment.created")
        self.assertEqual(event.actor, self.cora)
        self.assertEqual(event.actor_institution, "National Mechanism")
        self.assertEqual(event.changes["institution"], "Ministry of Justice")

    def test_it_does_not_assign_twice(self) -> None:
        first, _ = services.assign(self.cora, self.rec, self.justice)
        again, new = services.assign(self.cora, self.rec, self.justice, role="supporting")

        self.assertFalse(new)
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(Assignment.objects.count(), 1)
        self.assertEqual(Event.objects.filter(kind="assignment.created").count(), 1)

    def test_it_refuses_people_who_may_not_assign(self) -> None:
        for person in (self.bob, self.vera, self.carol, self.nina, self.dan, self.boris):
            with self.subTest(person.username), self.assertRaises(NotAllowed):
                services.assign(person, self.rec, self.justice)

        self.assertFalse(Assignment.objects.exists())

    def test_it_refuses_an_institution_of_another_state(self) -> None:
        with self.assertRaises(Invalid) as caught:
            services.assign(self.cora, self.rec, self.other_justice)

        self.assertEqual(caught.exception.field, "institution")

    def test_a_cluster_coordinator_assigns_cluster_partners_only(self) -> None:
        services.assign(self.cleo, self.rec, self.partner)

        with self.assertRaises(NotAllowed):
            services.assign(self.cleo, self.rec, self.justice)

    def test_it_assigns_every_recommendation_of_a_confirmed_group(self) -> None:
        group = RecommendationGroup.objects.create(title="Legal capacity", status="confirmed")
        for rec in (self.rec, self.other_rec):
            GroupMembership.objects.create(group=group, recommendation=rec)

        created, existing = services.assign_group(self.cora, group, self.health, due="2027-01-31")

        self.assertEqual((len(created), existing), (2, 0))
        self.assertEqual({a.group_id for a in created}, {group.pk})

    def test_it_refuses_a_proposed_group(self) -> None:
        group = RecommendationGroup.objects.create(title="x", status="proposed")

        with self.assertRaises(Invalid):
            services.assign_group(self.cora, group, self.health)

    def test_a_batch_with_one_forbidden_recommendation_assigns_nothing(self) -> None:
        with self.assertRaises((NotAllowed, Invalid)):
            services.assign_many(self.cora, [self.rec, self.foreign_rec], self.justice)

        self.assertFalse(Assignment.objects.exists())

    def test_sub_items_are_assigned_on_their_own(self) -> None:
        a = SubItem.objects.create(recommendation=self.rec, label="a", text="Amend the law")
        SubItem.objects.create(recommendation=self.rec, label="b", text="Train judges", sort=1)

        services.assign(self.cora, self.rec, self.justice, sub_item="a")
        services.assign(self.cora, self.rec, self.health, sub_item="b")

        self.assertEqual(
            set(Assignment.objects.values_list("sub_item__label", "institution__name")),
            {("a", "Ministry of Justice"), ("b", "Ministry of Health")},
        )
        self.assertEqual(FollowUp.objects.filter(recommendation=self.rec).count(), 2)
        with self.assertRaises(Invalid):
            services.assign(self.cora, self.rec, self.health, sub_item="z")
        self.assertTrue(FollowUp.objects.filter(sub_item=a).exists())


class ChangeTestCase(FollowUpTestCase):
    def test_the_second_of_two_editors_gets_a_conflict_with_the_first_ones_change(self) -> None:
        assignment, _ = services.assign(self.cora, self.rec, self.justice, due="2027-01-01")
        first = Assignment.objects.get(pk=assignment.pk)
        second = Assignment.objects.get(pk=assignment.pk)

        services.change_assignment(self.cora, first, version=first.version, due="2027-03-01")
        with self.assertRaises(Conflict) as caught:
            services.change_assignment(
                self.alice, second, version=second.version, role="supporting"
            )

        self.assertEqual(caught.exception.current.due, dt.date(2027, 3, 1))
        self.assertEqual(Assignment.objects.get(pk=assignment.pk).role, "lead")
        changed = Event.objects.get(kind="assignment.changed")
        self.assertEqual(changed.changes, {"due": ["2027-01-01", "2027-03-01"]})

    def test_an_assignments_note_changes_and_the_reason_goes_to_the_history(self) -> None:
        assignment, _ = services.assign(self.cora, self.rec, self.justice, note="Start in May")

        services.change_assignment(
            self.cora, assignment, version=assignment.version, note="Start in June",
            reason="the budget moved",
        )  # fmt: skip

        self.assertEqual(Assignment.objects.get(pk=assignment.pk).note, "Start in June")
        changed = Event.objects.get(kind="assignment.changed")
        self.assertEqual(changed.changes, {"note": ["Start in May", "Start in June"]})
        self.assertEqual(changed.note, "the budget moved")

    def test_a_focal_point_may_not_change_an_assignment(self) -> None:
        assignment, _ = services.assign(self.cora, self.rec, self.justice)

        with self.assertRaises(NotAllowed):
            services.change_assignment(self.bob, assignment, version=1, due="2027-01-01")

    def test_ending_an_assignment_keeps_it_in_history(self) -> None:
        assignment, _ = services.assign(self.cora, self.rec, self.justice)

        services.end_assignment(self.cora, assignment, version=1, note="moved to Health")
        services.assign(self.cora, self.rec, self.justice)

        self.assertEqual(Assignment.objects.filter(institution=self.justice).count(), 2)
        self.assertEqual(
            list(Event.objects.values_list("kind", flat=True)),
            ["assignment.created", "assignment.ended", "assignment.created"],
        )


class StatusUpdateTestCase(MediaMixin, FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        services.assign(self.cora, self.rec, self.justice, role="lead")
        services.assign(self.cora, self.rec, self.health, role="supporting")

    def test_a_focal_point_reports_and_the_validator_approves(self) -> None:
        update = services.submit_update(
            self.bob,
            self.rec,
            status="in_progress",
            date="2026-11-01",
            note="Draft law sent to parliament",
            files=[pdf()],
            links=["https://parliament.example.org/bill/12"],
        )

        self.assertEqual(update.state, "pending")
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")
        self.assertEqual(sorted(update.evidence.values_list("kind", flat=True)), ["file", "link"])
        stored = update.evidence.get(kind="file")
        self.assertTrue(default_storage.exists(stored.file.name))
        self.assertEqual(stored.name, "decree.pdf")

        services.decide(self.vera, update, decision="approve", note="Checked with the bill")

        follow_up = FollowUp.objects.get(recommendation=self.rec)
        self.assertEqual(
            (follow_up.status, follow_up.status_date), ("in_progress", dt.date(2026, 11, 1))
        )
        self.assertEqual(follow_up.last_update, update)
        kinds = list(
            Event.objects.filter(recommendation=self.rec).values_list("kind", "actor__username")
        )
        self.assertEqual(
            kinds,
            [
                ("assignment.created", "cora"),
                ("assignment.created", "cora"),
                ("update.submitted", "bob"),
                ("update.approved", "vera"),
            ],
        )

    def test_the_history_reads_as_a_story(self) -> None:
        update = services.submit_update(
            self.bob, self.rec, status="implemented", date="2026-11-01", note="Law adopted"
        )
        services.decide(self.vera, update, decision="approve")

        lines = [f"{e.who} {e.text}" for e in story(Event.objects.filter(recommendation=self.rec))]

        self.assertEqual(
            lines[0], "cora (National Mechanism) assigned it to Ministry of Justice as lead."
        )
        self.assertEqual(
            lines[2],
            "bob (Ministry of Justice) reported the status “Implemented” as of Nov. 1, 2026.",
        )
        self.assertEqual(
            lines[3],
            "vera (Ministry of Justice) approved the update: the status is now “Implemented” "
            "(it was “Not started”).",
        )

    def test_a_rejected_update_does_not_change_the_status_and_needs_a_reason(self) -> None:
        update = services.submit_update(
            self.bob, self.rec, status="implemented", date="2026-11-01", note="Done"
        )
        with self.assertRaises(Invalid):
            services.decide(self.vera, update, decision="reject", note="")

        services.decide(self.vera, update, decision="reject", note="The law is not adopted yet")

        self.assertEqual(StatusUpdate.objects.get(pk=update.pk).state, "rejected")
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")

    def test_a_second_decision_is_a_conflict(self) -> None:
        update = services.submit_update(
            self.bob, self.rec, status="in_progress", date="2026-11-01", note="Started"
        )
        stale = StatusUpdate.objects.get(pk=update.pk)
        services.decide(self.cora, update, decision="reject", note="Give the decree number")

        with self.assertRaises(Conflict) as caught:
            services.decide(self.vera, stale, decision="approve")

        self.assertEqual(caught.exception.current.state, "rejected")
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")

    def test_only_the_reporting_institutions_validator_decides(self) -> None:
        update = services.submit_update(
            self.hugo, self.rec, status="in_progress", date="2026-11-01", note="Health plan"
        )

        for person in (self.vera, self.bob, self.carol, self.nina, self.boris):
            with self.subTest(person.username), self.assertRaises(NotAllowed):
                services.decide(person, update, decision="approve")

    def test_a_validator_does_not_approve_their_own_update(self) -> None:
        from rightstrack.accounts.models import Membership

        Membership.objects.filter(user=self.vera).update(role="focal_point")
        Membership.objects.create(user=self.vera, institution=self.health, role="validator")
        update = services.submit_update(
            self.hugo, self.rec, status="in_progress", date="2026-11-01", note="x"
        )
        own = services.submit_update(
            self.vera,
            self.rec,
            status="in_progress",
            date="2026-11-01",
            note="y",
            institution=self.justice.code,
        )

        services.decide(self.vera, update, decision="approve")
        self.assertEqual(own.institution, self.justice)
        self.assertEqual(own.state, "pending")

    def test_only_assigned_focal_points_report(self) -> None:
        for person in (self.vera, self.carol, self.nina, self.pat, self.bea, self.dan):
            with self.subTest(person.username), self.assertRaises(NotAllowed):
                services.submit_update(
                    person, self.rec, status="in_progress", date="2026-11-01", note="x"
                )
        with self.assertRaises(NotAllowed):
            services.submit_update(
                self.bob, self.other_rec, status="in_progress", date="2026-11-01", note="x"
            )

    def test_an_update_needing_no_validation_sets_the_status_at_once(self) -> None:
        self.justice.requires_validation = False
        self.justice.save()

        update = services.submit_update(
            self.bob, self.rec, status="partially_implemented", date="2026-10-01", note="Half"
        )

        self.assertEqual(update.state, "validated")
        self.assertEqual(
            FollowUp.objects.get(recommendation=self.rec).status, "partially_implemented"
        )

    def test_an_older_update_approved_late_does_not_replace_a_newer_status(self) -> None:
        old = services.submit_update(
            self.bob, self.rec, status="in_progress", date="2026-03-01", note="Started"
        )
        new = services.submit_update(
            self.bob, self.rec, status="implemented", date="2026-10-01", note="Done"
        )
        services.decide(self.vera, new, decision="approve")
        services.decide(self.vera, old, decision="approve")

        follow_up = FollowUp.objects.get(recommendation=self.rec)
        self.assertEqual((follow_up.status, follow_up.last_update), ("implemented", new))
        last = story(Event.objects.filter(recommendation=self.rec))[-1]
        self.assertIn("a later update already set the status", last.text)

    def test_bad_input_names_the_field_and_writes_nothing(self) -> None:
        cases = [
            ({"status": "done"}, "status"),
            ({"date": "2026-13-01"}, "date"),
            ({"date": "2999-01-01"}, "date"),
            ({"note": "  "}, "note"),
            ({"links": ["javascript:alert(1)"]}, "evidence_links"),
            ({"files": [pdf("page.html", b"<script>alert(1)</script>")]}, "evidence_files"),
            ({"files": [pdf("fake.pdf", b"<html><script>x</script>")]}, "evidence_files"),
            ({"files": [pdf("empty.pdf", b"")]}, "evidence_files"),
        ]
        for override, field in cases:
            kwargs = {"status": "in_progress", "date": "2026-11-01", "note": "x", **override}
            with self.subTest(field=field, override=str(override)[:60]):
                with self.assertRaises(Invalid) as caught:
                    services.submit_update(self.bob, self.rec, **kwargs)
                self.assertEqual(caught.exception.field, field)
        self.assertFalse(StatusUpdate.objects.exists())
        self.assertFalse(Evidence.objects.exists())

    @override_settings(EVIDENCE_MAX_MB=1)
    def test_it_refuses_a_file_over_the_limit(self) -> None:
        big = pdf("big.pdf", PDF + b"0" * (1024 * 1024))

        with self.assertRaises(Invalid) as caught:
            services.submit_update(
                self.bob, self.rec, status="in_progress", date="2026-11-01", note="x", files=[big]
            )

        self.assertIn("over the limit of 1 MB", str(caught.exception))

    def test_a_failure_after_storing_a_file_leaves_no_file_behind(self) -> None:
        files = [pdf("one.pdf"), pdf("two.pdf")]
        # A fault in the same transaction after the files were stored (here: the history write).
        with (
            mock.patch.object(services, "record", side_effect=DatabaseError("disk full")),
            self.assertRaises(DatabaseError),
        ):
            services.submit_update(
                self.bob, self.rec, status="in_progress", date="2026-11-01", note="x", files=files
            )

        self.assertFalse(StatusUpdate.objects.exists())
        self.assertFalse(Evidence.objects.exists())
        stored = [p for p in Path(self.media).rglob("*") if p.is_file()]
        self.assertEqual(stored, [])

    def test_a_read_only_token_never_writes(self) -> None:
        token, _ = ApiToken.issue(self.bob, scope=ApiToken.Scope.READ)
        self.bob._rightstrack_token = token

        with self.assertRaises(NotAllowed):
            services.submit_update(
                self.bob, self.rec, status="in_progress", date="2026-11-01", note="x"
            )


class AssessmentTestCase(MediaMixin, FollowUpTestCase):
    def test_an_nhri_assessment_is_kept_apart_from_the_states_status(self) -> None:
        assessment = services.assess(
            self.nina,
            self.rec,
            status="not_started",
            date="2026-11-15",
            note="No change on the ground",
            links=["https://nhri.example.org/report-2026"],
        )

        self.assertEqual(assessment.institution, self.nhri)
        self.assertFalse(FollowUp.objects.filter(recommendation=self.rec).exists())
        self.assertEqual(Assessment.objects.visible_to(self.nina).count(), 1)
        self.assertEqual(Assessment.objects.visible_to(self.cora).count(), 1)
        self.assertEqual(Assessment.objects.visible_to(self.bob).count(), 0)

    def test_only_contributors_of_the_state_assess(self) -> None:
        for person in (self.bob, self.cora, self.carol, self.dan):
            with self.subTest(person.username), self.assertRaises(NotAllowed):
                services.assess(person, self.rec, status="in_progress", date="2026-11-01", note="x")
        with self.assertRaises(NotAllowed):
            services.assess(
                self.nina, self.foreign_rec, status="in_progress", date="2026-11-01", note="x"
            )


class ActionsAndIndicatorsTestCase(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        services.assign(self.cora, self.rec, self.justice)

    def test_a_focal_point_plans_an_action_with_an_indicator_and_values(self) -> None:
        action = services.create_action(
            self.bob,
            institution=self.justice,
            recommendations=[self.rec],
            title="Amend the Civil Code on legal capacity",
            start="2027-01-01",
            end="2027-12-31",
            budget_amount="150000",
            budget_currency="eur",
            funding_source="State budget",
        )
        indicator = services.create_indicator(
            self.bob,
            institution=self.justice,
            action=action,
            name="Persons under guardianship",
            unit="persons",
            baseline="4200",
            baseline_date="2026-01-01",
            target="0",
            frequency="yearly",
        )
        services.add_measurement(self.bob, indicator, date="2026-06-30", value="3900")
        services.add_measurement(
            self.bob, indicator, date="2026-06-30", value="1700", sex="female", location="North"
        )

        self.assertEqual(action.budget_currency, "EUR")
        self.assertEqual(list(indicator.recommendations.all()), [self.rec])
        values = list(indicator.measurements.values_list("value", "sex"))
        self.assertEqual(
            [(str(v), s) for v, s in values], [("3900.0000", ""), ("1700.0000", "female")]
        )
        kinds = list(Event.objects.filter(recommendation=self.rec).values_list("kind", flat=True))
        self.assertEqual(
            kinds,
            [
                "assignment.created",
                "action.created",
                "indicator.created",
                "measurement.added",
                "measurement.added",
            ],
        )

    def test_a_focal_point_of_another_institution_may_not_plan_for_it(self) -> None:
        with self.assertRaises(NotAllowed):
            services.create_action(
                self.hugo, institution=self.justice, recommendations=[self.rec], title="x"
            )

    def test_action_input_is_checked(self) -> None:
        cases = [
            ({"title": ""}, "title"),
            ({"start": "2027-05-01", "end": "2027-01-01"}, "end"),
            ({"budget_amount": "lots"}, "budget_amount"),
            ({"budget_amount": "-5", "budget_currency": "EUR"}, "budget_amount"),
            ({"budget_currency": "EURO"}, "budget_currency"),
            ({"budget_amount": "100"}, "budget_currency"),
        ]
        for data, field in cases:
            values = {"title": "Plan", **data}
            with self.subTest(field), self.assertRaises(Invalid) as caught:
                services.create_action(
                    self.bob, institution=self.justice, recommendations=[self.rec], **values
                )
            self.assertEqual(caught.exception.field, field)


class VisibilityTestCase(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.justice_assignment, _ = services.assign(self.cora, self.rec, self.justice)
        self.health_assignment, _ = services.assign(self.cora, self.other_rec, self.health)
        self.foreign_assignment, _ = services.assign(
            self.boris, self.foreign_rec, self.other_justice
        )

    def visible(self, person) -> set[str]:  # type: ignore[no-untyped-def]
        return set(
            Assignment.objects.visible_to(person).values_list("institution__name", "country__code")
        )

    def test_each_person_sees_only_the_assignments_that_belong_to_them(self) -> None:
        self.assertEqual(self.visible(self.bob), {("Ministry of Justice", "ZZA")})
        self.assertEqual(self.visible(self.vera), {("Ministry of Justice", "ZZA")})
        self.assertEqual(self.visible(self.carol), {("Ministry of Health", "ZZA")})
        self.assertEqual(
            self.visible(self.cora), {("Ministry of Justice", "ZZA"), ("Ministry of Health", "ZZA")}
        )
        self.assertEqual(self.visible(self.boris), {("Ministry of Justice", "ZZB")})
        self.assertEqual(len(self.visible(self.alice)), 3)
        self.assertEqual(self.visible(self.bea), {("Ministry of Justice", "ZZB")})
        for person in (self.dan, self.nina, self.pat):
            with self.subTest(person.username):
                self.assertEqual(self.visible(person), set())

    def test_another_institutions_object_is_not_found(self) -> None:
        with self.assertRaises(NotFound):
            services.get_assignment(self.bob, self.health_assignment.code)
        with self.assertRaises(NotFound):
            services.get_assignment(self.cora, self.foreign_assignment.code)
        with self.assertRaises(NotFound):
            services.get_assignment(self.bob, "not-a-uuid")
        self.assertEqual(
            services.get_assignment(self.bob, self.justice_assignment.code).pk,
            self.justice_assignment.pk,
        )

    def test_history_is_seen_by_those_who_see_the_objects(self) -> None:
        def seen(person) -> int:  # type: ignore[no-untyped-def]
            return Event.objects.visible_to(person).count()

        self.assertEqual((seen(self.bob), seen(self.carol), seen(self.cora)), (1, 1, 2))
        self.assertEqual((seen(self.boris), seen(self.dan), seen(self.alice)), (1, 0, 3))


class AppendOnlyTestCase(FollowUpTestCase):
    def test_the_database_refuses_to_change_history(self) -> None:
        services.assign(self.cora, self.rec, self.justice)
        event = Event.objects.get()

        with self.assertRaises(ValueError):
            event.save()
        with self.assertRaises(ValueError):
            event.delete()
        with self.assertRaises(DatabaseError), transaction.atomic():
            Event.objects.filter(pk=event.pk).update(note="rewritten")
        self.assertEqual(Event.objects.get().note, "")
