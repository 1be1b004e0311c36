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
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES as ACCEPTED

from rightstrack.accounts.models import ApiToken, Institution
from rightstrack.test import BaseTestCase, make_body, make_country, make_person, make_recommendation

#: Examples per operation and pass: enough to find the crashes of issue 16, within CI's time.
MAX_EXAMPLES = int(os.environ.get("RIGHTSTRACK_SCHEMATHESIS_EXAMPLES", "25"))
#: The whole run (both passes) must stay well under CI's budget.
MAX_SECONDS = 300

#: Operations whose input has a meaning the OpenAPI document cannot state, which the server
#: checks and refuses with a 400 naming the field even when the request has the documented
#: shape: only for these may the "schema-valid request accepted" check also see a 400 (every
#: other check still runs on them, and every check runs unchanged on every other operation).
MEANING_CHECKED = {
    "POST /api/v1/imports": "the file's content (its kind, columns and rows)",
    "GET /api/v1/institutions": "country: a State known by its code or UN short name",
    "POST /api/v1/institutions": "country, parent: a known State and institution",
    "GET /api/v1/assignments": "country: a known State",
    "POST /api/v1/assignments": "a recommendation or a group, and an existing institution",
    "GET /api/v1/actions": "country: a known State",
    "POST /api/v1/actions": "an existing institution and recommendations of one State",
    "GET /api/v1/indicators": "country: a known State",
    "POST /api/v1/indicators": "an existing institution, recommendations and action",
    "GET /api/v1/deadlines": "country: a known State; kind: known kinds, comma-separated",
    "GET /api/v1/exports/{kind}": "format: one the kind of export offers",
}


class SchemathesisTestCase(BaseTestCase):
    databases = {"default", "jobs"}

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

        config = SchemathesisConfig.from_dict(
            {
                "operations": [
                    {
                        "include-name": sorted(MEANING_CHECKED),
                        "checks": {
                            "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}
                        },
                    }
                ]
            }
        )
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)
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
        self.assertLessEqual(set(MEANING_CHECKED), set(operations))
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
