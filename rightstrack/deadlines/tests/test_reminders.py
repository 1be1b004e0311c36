"""send-reminders on a run of consecutive days: exactly the expected mails (locmem)."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from rightstrack.accounts.models import Profile
from rightstrack.deadlines.reminders import send_reminders, stage_for
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services as tracking


def test_stages():
    assert [stage_for(n) for n in (31, 30, 8, 7, 2, 1, 0, -1, -7, -8, -15)] == [
        None,
        "30",
        "30",
        "7",
        "7",
        "1",
        "1",
        "overdue-0",
        "overdue-0",
        "overdue-1",
        "overdue-2",
    ]


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(6), tzinfo=dt.UTC), tick=False)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class ConsecutiveDays(FollowUpTestCase):
    def setUp(self):
        super().setUp()
        with at(dt.date(2025, 2, 20)):
            tracking.assign(self.cora, self.rec, self.justice, due="2025-03-31")
            tracking.assign(self.cora, self.other_rec, self.health, due="2025-03-05")
            tracking.assign(self.boris, self.foreign_rec, self.other_justice, due="2025-03-20")
        for user, language in ((self.bob, "fr"), (self.bea, "es")):
            profile = Profile.for_user(user)
            profile.language = language
            profile.save()
        hugo = Profile.for_user(self.hugo)
        hugo.email_reminders = False  # Hugo opted out
        hugo.save()

    def run_days(self, first: dt.date, last: dt.date, on_day=None):
        sent = defaultdict(list)
        day = first
        while day <= last:
            with at(day):
                if on_day:
                    on_day(day)
                before = len(mail.outbox)
                send_reminders(day)
                for message in mail.outbox[before:]:
                    sent[message.to[0].split("@")[0]].append((day.isoformat(), message))
            day += dt.timedelta(days=1)
        return sent

    def test_a_month_and_a_half_of_reminders(self):
        def on_day(day):
            if day == dt.date(2025, 3, 10):
                self.update = tracking.submit_update(
                    self.bob, self.rec, status="in_progress", date="2025-03-10", note="Drafted."
                )
            if day == dt.date(2025, 3, 18):
                tracking.decide(self.vera, self.update, decision="approve")

        sent = self.run_days(dt.date(2025, 3, 1), dt.date(2025, 4, 10), on_day)
        days = {who: [d for d, _m in mails] for who, mails in sent.items()}

        # Bob: 30, 7 and 1 day before 31 March, then every week while overdue; in French.
        assert days["bob"] == ["2025-03-01", "2025-03-24", "2025-03-30", "2025-04-01", "2025-04-08"]
        subjects = [m.subject for _d, m in sent["bob"]]
        assert subjects[0] == "rightstrack : 1 échéance approche"
        assert subjects[3] == "rightstrack : 1 élément en retard"
        body = sent["bob"][0][1].body
        assert "Bonjour bob," in body and "Échéance de l'attribution" in body
        assert "Ministry of Justice reports" in body
        # Bea, in Borduria: her own deadline (20 March), in Spanish, never Arcadia's.
        assert days["bea"] == [
            "2025-03-01",
            "2025-03-13",
            "2025-03-19",
            "2025-03-21",
            "2025-03-28",
            "2025-04-04",
        ]
        assert sent["bea"][0][1].subject == "rightstrack: se acerca 1 plazo"
        for _d, m in sent["bea"]:
            assert "ZZA" not in m.body and "Ministry of Health" not in m.body
        for _d, m in sent["bob"]:
            assert "ZZB" not in m.body and "Ministry of Health" not in m.body
        # Hugo opted out; Carol (viewer), Nina (contributor) and Dan (no role) get nothing.
        for nobody in ("hugo", "carol", "nina", "dan", "pat", "cleo"):
            assert nobody not in sent, nobody
        # Vera: the update waiting since 10 March, then a week later; approved on the 18th.
        assert days["vera"] == ["2025-03-10", "2025-03-17"]
        assert "validation" in sent["vera"][0][1].subject
        assert "CRPD CRPD/C/ZZA/CO/1 ¶ 12, In progress" in sent["vera"][0][1].body
        # Coordinators: a digest each ISO week (1 March is a Saturday, 3 March a Monday).
        weeks = [
            "2025-03-01",
            "2025-03-03",
            "2025-03-10",
            "2025-03-17",
            "2025-03-24",
            "2025-03-31",
            "2025-04-07",
        ]
        assert days["cora"] == weeks and days["boris"] == weeks
        cora = dict(sent["cora"])
        assert "Updates waiting for validation: 1" in cora["2025-03-10"].body
        assert "Arcadia" in cora["2025-03-10"].body and "Borduria" not in cora["2025-03-10"].body
        assert "Borduria" in dict(sent["boris"])["2025-03-10"].body
        assert "alice" not in sent  # the administrator coordinates no State

    def test_the_same_day_twice_and_a_catch_up_run(self):
        with at(dt.date(2025, 3, 24)):
            first = send_reminders(dt.date(2025, 3, 24))
            again = send_reminders(dt.date(2025, 3, 24))
        assert first.mails > 0 and again.mails == 0
        # A catch-up run for a missed day (30 March, 1 day left) sends that day's reminder.
        out = io.StringIO()
        with at(dt.date(2025, 4, 2)):
            call_command("send_reminders", "--today", "2025-03-30", stdout=out)
        assert "2025-03-30:" in out.getvalue()
        assert any(m.to == ["bob@example.org"] and "1 échéance" in m.subject for m in mail.outbox)

    def test_bad_date(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "--today: '2025-02-30' is not a date"):
            call_command("send_reminders", "--today", "2025-02-30")
