# ruff: noqa: E501 - the seeded recommendations read best as whole sentences
"""Drive Debian's chromium through the public pages: search, filter, a recommendation, its country.

Skips cleanly when chromium or Playwright is missing. Screenshots go to
test-artifacts/screenshots/ (git-ignored), at desktop and phone widths.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TIMEOUT_MS = 15_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not shutil.which("chromium"),
        reason="chromium is not installed",
    ),
]


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
    # a thread with a running loop unless told that this test knows what it does.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as p:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def seeded(transactional_db):  # type: ignore[no-untyped-def]
    from rightstrack.formats import records
    from rightstrack.recommendations.models import Label, Taxonomy, Term
    from rightstrack.test import make_body, make_country, make_recommendation

    arcadia = make_country("ZZA", "Arcadia")
    upr, crc, crpd = (
        make_body("UPR", "upr"),
        make_body("CRC", "treaty_body"),
        make_body("CRPD", "treaty_body"),
    )
    groups = Taxonomy.objects.create(slug=records.GROUPS_OF_PERSONS, name="Groups of persons")
    idps = Term.objects.create(taxonomy=groups, name="Internally displaced persons")
    children = Term.objects.create(taxonomy=groups, name="Children")
    themes = Taxonomy.objects.create(slug=records.THEMES, name="UHRI themes")
    education = Term.objects.create(taxonomy=themes, name="Right to education")
    rows = [
        (
            upr,
            "118.12",
            "supported",
            3,
            ["FRA", "GHA"],
            "Ensure that internally displaced children have access to education, including in camps.",
            [idps, children, education],
        ),
        (
            upr,
            "118.40",
            "noted",
            3,
            ["BRA"],
            "Ratify the Convention on the Reduction of Statelessness.",
            [],
        ),
        (
            crc,
            "32(b)",
            "",
            None,
            [],
            "Guarantee access to quality education for all displaced children and remove fees for registration.",
            [children, education],
        ),
        (
            crpd,
            "14(a)",
            "",
            None,
            [],
            "Adopt a strategy on inclusive education for children with disabilities, with a time-bound plan and budget.",
            [children, education],
        ),
        (
            upr,
            "95.3",
            "supported",
            2,
            ["DEU"],
            "Continue efforts to provide durable solutions for internally displaced persons.",
            [idps],
        ),
    ]
    made = []
    for body, paragraph, position, cycle, states, text, terms in rows:
        rec = make_recommendation(
            country=arcadia,
            body=body,
            paragraph=paragraph,
            position=position,
            cycle=cycle,
            recommending_states=states,
            text=text,
            year=2022 if cycle != 2 else 2017,
            document_symbol="A/HRC/52/9" if body is upr else f"{body.code}/C/ZZA/CO/1",
        )
        for term in terms:
            Label.objects.create(
                recommendation=rec, term=term, source="document", origin=rec.document_symbol
            )
        made.append(rec)
    make_recommendation(
        country=make_country("FRA", "France"), text="Protect refugees and asylum-seekers."
    )
    return made


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_it_searches_filters_and_browses(live_server, seeded, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)

    page.goto(live_server.url + "/")
    assert page.locator("#results-heading").inner_text() == "6 recommendations"
    _shot(page, "01-search-home")

    page.fill("#q", "displaced")
    page.wait_for_url("**/?q=displaced*")
    page.wait_for_function(
        "document.querySelector('#results-heading').innerText === '3 recommendations'"
    )
    assert page.locator("mark").first.inner_text().lower() == "displaced"
    _shot(page, "02-search-displaced")

    page.get_by_label("CRC").check()
    page.wait_for_function(
        "document.querySelector('#results-heading').innerText === '1 recommendation'"
    )
    assert "body=CRC" in page.url
    _shot(page, "03-filtered-crc")

    page.get_by_role("link", name="CRC · CRC/C/ZZA/CO/1 ¶ 32(b)").click()
    page.wait_for_url("**/recommendations/**")
    assert "Guarantee access to quality education" in page.locator("blockquote").inner_text()
    assert page.locator("#q").count() == 0  # a whole new page, not a fragment swapped in
    assert page.get_by_text("Right to education").count() >= 1
    _shot(page, "04-recommendation")

    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Arcadia").click()
    page.wait_for_url("**/countries/ZZA/")
    assert page.locator("h1").inner_text() == "Arcadia"
    assert "5 recommendations" in page.locator(".lead").inner_text()
    _shot(page, "05-country")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.goto(live_server.url + "/?q=education")
    assert phone.locator("#results-heading").inner_text() == "3 recommendations"
    _shot(phone, "06-search-phone")


def test_it_works_without_javascript(live_server, seeded, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    page.goto(live_server.url + "/")
    page.fill("#q", "statelessness")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/?q=statelessness*")

    assert page.locator("#results-heading").inner_text() == "1 recommendation"
    context.close()
