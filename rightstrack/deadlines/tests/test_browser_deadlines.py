"""Open the dashboard and the calendar in chromium; save screenshots (test-artifacts/)."""

from __future__ import annotations

import datetime as dt

import pytest

from rightstrack.tests.test_browser import TIMEOUT_MS, _shot, browser, pytestmark  # noqa: F401


@pytest.fixture
def followed(transactional_db):  # type: ignore[no-untyped-def]
    from rightstrack.accounts.models import Institution
    from rightstrack.deadlines.services import load_default_rules
    from rightstrack.test import make_body, make_country, make_person, make_recommendation
    from rightstrack.tracking import services as tracking

    load_default_rules()  # transactional tests flush the rows the data migration loaded
    arcadia = make_country("ZZA", "Arcadia")
    nmrf = Institution.objects.create(name="National Mechanism", kind="nmrf", country=arcadia)
    justice = Institution.objects.create(
        name="Ministry of Justice", kind="ministry", country=arcadia
    )
    cora = make_person("cora", nmrf, "coordinator")
    bob = make_person("bob", justice, "focal_point")
    vera = make_person("vera", justice, "validator")
    upr = make_body("UPR", "upr")
    today = dt.date.today()
    for i, status in enumerate(
        ["in_progress", "implemented", "in_progress", "partially_implemented"]
    ):
        rec = make_recommendation(country=arcadia, body=upr, paragraph=f"118.{i}")
        due = today.replace(day=min(today.day + i, 28))
        tracking.assign(cora, rec, justice, due=due.isoformat())
        update = tracking.submit_update(bob, rec, status=status, date=today.isoformat(), note="x")
        tracking.decide(vera, update, decision="approve")
    indicator = tracking.create_indicator(
        bob,
        institution=justice,
        recommendations=[rec],
        name="Children enrolled",
        baseline="100",
        target="500",
        unit="children",
    )
    tracking.add_measurement(bob, indicator, date=today.isoformat(), value="300")
    make_recommendation(country=arcadia, body=upr, paragraph="118.9")
    return cora


def _login(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", "cora")
    page.fill("#id_password", "password")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def test_dashboard_and_calendar(live_server, followed, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, live_server.url)

    page.goto(live_server.url + "/dashboard/?country=ZZA")
    assert "Implementation in Arcadia" in page.locator("h1").inner_text()
    assert page.locator("svg[role=img]").count() == 6
    assert "4 recommendations followed up" in page.locator(".lead").inner_text()
    _shot(page, "deadlines-01-dashboard")

    page.goto(live_server.url + "/calendar/")
    assert page.locator("table.calendar tbody tr").count() == 4
    _shot(page, "deadlines-02-calendar")
    page.goto(live_server.url + "/calendar/?by=institution")
    assert page.get_by_role("rowheader", name="Ministry of Justice").count() == 1
    _shot(page, "deadlines-03-calendar-by-institution")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    _login(phone, live_server.url)
    phone.goto(live_server.url + "/dashboard/?country=ZZA")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
    _shot(phone, "deadlines-04-dashboard-phone")
