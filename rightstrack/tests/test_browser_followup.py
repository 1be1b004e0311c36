"""Drive Debian's chromium through follow-up: assign, report progress with HTMX, validate.

Skips cleanly when chromium or Playwright is missing (see test_browser.py for the launch).
Screenshots of the follow-up panel go to test-artifacts/screenshots/ (git-ignored), so a run
leaves the checkout clean; `make screenshots` runs these tests and copies the follow-up ones
into docs/screenshots/ (docs/follow-up.md shows them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.tests.test_browser import TIMEOUT_MS, browser  # noqa: F401 (fixture)
from rightstrack.tests.test_browser import pytestmark as browser_marks

pytestmark = browser_marks

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def arcadia(transactional_db):  # type: ignore[no-untyped-def]
    from rightstrack.test import (
        make_body,
        make_country,
        make_institution,
        make_person,
        make_recommendation,
    )

    country = make_country("ZZA", "Arcadia")
    nmrf = make_institution("National Mechanism", "nmrf", country)
    justice = make_institution("Ministry of Justice", "ministry", country)
    make_institution("Ministry of Health", "ministry", country)
    people = {
        "cora": make_person("cora", nmrf, "coordinator"),
        "bob": make_person("bob", justice, "focal_point"),
        "vera": make_person("vera", justice, "validator"),
    }
    for user, first in (("cora", "Cora"), ("bob", "Bob"), ("vera", "Vera")):
        people[user].first_name = first
        people[user].save(update_fields=["first_name"])
    rec = make_recommendation(
        country=country,
        body=make_body("CRPD", "treaty_body"),
        document_symbol="CRPD/C/ZZA/CO/1",
        paragraph="12",
        text="Adopt a law on accessibility of public buildings and transport, with a time-bound "
        "plan and a budget.",
    )
    return rec


def _login(chromium, live_server, username: str):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _shot(page, name: str, selector: str = "#followup-panel") -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(selector).screenshot(path=str(SHOTS / f"{name}.png"))


def test_assign_update_with_htmx_and_validate(live_server, arcadia, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from rightstrack.tracking.models import FollowUp, StatusUpdate

    url = live_server.url + arcadia.get_absolute_url()

    # The coordinator assigns it to the Ministry of Justice; htmx swaps the panel in place.
    context, page = _login(browser, live_server, "cora")
    page.goto(url)
    page.get_by_text("Assign to an institution").click()
    page.select_option("#id_assign-institution", label="Ministry of Justice")
    page.select_option("#id_assign-role", "lead")
    page.fill("#id_assign-due", "2027-06-30")
    page.fill("#id_assign-note", "Draft the bill with the disability council.")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text("assigned it to Ministry of Justice as lead").wait_for()
    assert page.url == url  # the panel was swapped, the page not reloaded
    _shot(page, "followup-1-assigned")
    context.close()

    # The focal point finds it in the list, reports progress with an evidence file.
    context, page = _login(browser, live_server, "bob")
    page.goto(live_server.url + "/work/")
    assert "1 assignment" in page.locator("caption").inner_text()
    page.get_by_role("link", name="CRPD CRPD/C/ZZA/CO/1 ¶ 12").click()
    page.wait_for_url("**/recommendations/**")
    page.get_by_text("Report progress").click()
    page.select_option("#id_update-status", "in_progress")
    page.fill("#id_update-date", "2026-03-01")
    page.fill("#id_update-note", "The bill is before parliament; the council was consulted.")
    page.set_input_files(
        "#id_update-evidence_files",
        files=[{"name": "bill.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Submit the update").click()
    page.locator("#followup-panel h3", has_text="Waiting for validation").wait_for()
    assert page.locator("#followup-panel").get_by_text("bill.pdf").count() >= 1
    _shot(page, "followup-2-update-pending")
    context.close()
    assert StatusUpdate.objects.get().state == "pending"

    # The validator approves it; the status changes.
    context, page = _login(browser, live_server, "vera")
    page.goto(live_server.url + "/validation/")
    assert "The bill is before parliament" in page.content()
    page.goto(url)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Decide").click()
    page.get_by_text("the status is now “In progress”").wait_for()
    assert page.locator(".status-line").inner_text().startswith("In progress")
    _shot(page, "followup-3-approved")

    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(url)
    assert phone.locator("#followup-panel .story li").count() == 3
    context.close()
    assert FollowUp.objects.get(recommendation=arcadia).status == "in_progress"


def test_a_conflict_over_htmx_shows_the_servers_message(live_server, arcadia, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Two validators open the same update; the second to decide gets a 409 and reads why."""
    from django.contrib.auth.models import User

    from rightstrack.accounts.models import Institution
    from rightstrack.tracking import services
    from rightstrack.tracking.models import StatusUpdate

    cora, bob = User.objects.get(username="cora"), User.objects.get(username="bob")
    justice = Institution.objects.get(name="Ministry of Justice")
    services.assign(cora, arcadia, justice)
    update = services.submit_update(
        bob, arcadia, status="in_progress", date="2026-03-01", note="The bill is drafted."
    )
    url = live_server.url + arcadia.get_absolute_url()

    context, page = _login(browser, live_server, "vera")
    page.goto(url)
    live = page.locator("#htmx-error")
    assert live.get_attribute("role") == "alert"
    assert live.inner_text() == ""
    services.decide(cora, update, decision="reject", note="Evidence missing.")  # meanwhile
    page.get_by_label("Approve").check()
    with page.expect_response(lambda r: "/decide/" in r.url) as answer:
        page.get_by_role("button", name="Decide").click()
    assert answer.value.status == 409
    page.get_by_text("Cora already decided: Sent back.").wait_for()
    assert "Reload the page" in live.inner_text()
    assert page.url == url  # nothing was swapped or reloaded
    _shot(page, "htmx-error-409", "body")
    context.close()
    assert StatusUpdate.objects.get().state == "rejected"
