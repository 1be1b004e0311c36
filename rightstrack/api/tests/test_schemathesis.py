"""Schemathesis against /api/v1/openapi.json: generated requests to every operation, each
answer checked against the document with every check (no server error, status codes, content
types, headers and bodies as documented, bad data refused, ...).

Two passes: anonymously, and with a read-write API token of a coordinator whose State owns the
fixture recommendations, so the authenticated paths are exercised, not only their 401s.
Bounded in time: MAX_EXAMPLES per operation and pass, derandomized, no deadline."""

from __future__ import annotations

import os
import time

import schemathesis
from hypothesis import HealthCheck, given, settings

from rightstrack.accounts.models import ApiToken, Institution
from rightstrack.test import BaseTestCase, make_body, make_country, make_person, make_recommendation

#: Examples per operation and pass: enough to find the crashes of issue 16, within CI's time.
MAX_EXAMPLES = int(os.environ.get("RIGHTSTRACK_SCHEMATHESIS_EXAMPLES", "25"))
#: The whole run (both passes) must stay well under CI's budget.
MAX_SECONDS = 300


class SchemathesisTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        country = make_country("KEN", "Kenya")
        upr = make_body("UPR", "upr")
        self.recommendations = [
            make_recommendation(
                country=country, body=upr, year=year, cycle=2, text=f"Ratify the Convention {year}"
            )
            for year in (2010, 2015, 2020)
        ]
        nmrf = Institution.objects.create(name="Kenya NMRF", kind="nmrf", country=country)
        self.coordinator = make_person("kenya-coordinator", nmrf, "coordinator")
        _token, self.token = ApiToken.issue(self.coordinator, "schemathesis")

    def test_it_answers_every_generated_request_as_documented(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        from rightstrack.wsgi import application

        # Schemathesis calls the WSGI app itself, whose signals would close the test's
        # connection (and its transaction) after each request; Django's test client does this.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)

        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        started = time.monotonic()
        operations = []
        passes = {"anonymous": None, "coordinator": {"Authorization": f"Bearer {self.token}"}}
        for result in schema.get_all_operations():
            operation = result.ok()
            operations.append(operation.label)
            for name, headers in passes.items():
                with self.subTest(operation=operation.label, client=name):
                    _checker(operation, headers)()
        self.assertGreaterEqual(len(operations), 30, operations)
        self.assertLess(time.monotonic() - started, MAX_SECONDS)


def _checker(operation, headers):  # type: ignore[no-untyped-def]
    """A bounded hypothesis test of one operation, every check, with these headers."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=headers)

    return check
