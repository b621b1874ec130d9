"""Navigation and concurrency in a real browser (issue 10): Back once lands on the previous page; a refused
write from a second tab leaves no stale text behind; the forecast's event survives a visit to the report."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_chain_flow import RUN_WATCH, _idle, _run, _sidebar, tr


def _open_demo(page: Page, server: str) -> None:
    page.context.add_init_script(RUN_WATCH)
    page.goto(f"{server}/?lang=en")
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    _idle(page)
    title = tr("home.demo_title")
    row = page.get_by_test_id("stHorizontalBlock").filter(has=page.get_by_text(title, exact=True)).last
    _run(page, lambda: row.get_by_role("button", name=tr("home.open"), exact=True).click())
    expect(page.get_by_test_id("stSidebar").get_by_text(title, exact=True)).to_be_visible()


def test_back_once_returns_to_the_previous_page(server: str, page: Page) -> None:
    _open_demo(page, server)
    _sidebar(page, "nav.report")
    _sidebar(page, "nav.architecture")
    before = page.evaluate("history.length")
    _sidebar(page, "nav.report")
    assert page.evaluate("history.length") == before + 1, "one page visit must be one history entry"
    assert "/report" in page.url and "workshop=" in page.url and "lang=en" in page.url
    page.go_back()
    page.wait_for_url(re.compile(r"/architecture\?"))
    _idle(page)
    expect(page.get_by_role("heading", name=tr("architecture.page.title"))).to_be_visible()


def test_second_tab_refused_write_leaves_no_stale_text(server: str, page: Page) -> None:
    _open_demo(page, server)
    url = page.url
    other = page.context.new_page()
    other.goto(url)
    other.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    _idle(other)
    notes_label = tr("home.notes")
    mine, theirs = page.get_by_label(notes_label, exact=True), other.get_by_label(notes_label, exact=True)
    mine.fill("Tab A wrote this")
    _run(page, lambda: mine.press("Control+Enter"))  # commit the text area, as leaving it does
    theirs.fill("Tab B, refused")
    _run(other, lambda: theirs.press("Control+Enter"))
    expect(other.get_by_text(re.compile("changed elsewhere"))).to_be_visible()
    expect(theirs).to_have_value("Tab A wrote this")  # the refused text is gone from the field
    customer = other.get_by_label(tr("home.customer"), exact=True).first  # the open workshop's field
    customer.fill("Tab B customer")
    _run(other, lambda: customer.press("Enter"))  # the next event of tab B
    page.reload()
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    _idle(page)
    expect(page.get_by_label(notes_label, exact=True)).to_have_value("Tab A wrote this")
    expect(page.get_by_label(tr("home.customer"), exact=True).first).to_have_value("Tab B customer")


def test_the_forecast_scenario_survives_a_visit_to_the_report_and_a_refresh(server: str, page: Page) -> None:
    _open_demo(page, server)
    _sidebar(page, "nav.forecast")
    name = page.get_by_label(tr("forecast.scenario_name"), exact=True)
    # The workshop's own scenario ("double11" in a fresh demo; the session's server is shared, so an earlier
    # browser test may have renamed it): never empty, and what is typed next must survive navigation and refresh.
    expect(name).not_to_have_value("")
    name.fill("promo-x5")
    form = page.get_by_test_id("stForm").filter(has=name)
    _run(page, lambda: form.get_by_role("button", name=tr("forecast.run"), exact=True).click())
    _sidebar(page, "nav.report")
    _sidebar(page, "nav.forecast")
    expect(page.get_by_label(tr("forecast.scenario_name"), exact=True)).to_have_value("promo-x5", timeout=60_000)
    page.reload()
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    _idle(page)
    expect(page.get_by_label(tr("forecast.scenario_name"), exact=True)).to_have_value("promo-x5", timeout=60_000)
