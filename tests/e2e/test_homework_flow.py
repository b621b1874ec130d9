"""Homework in a real browser (issue 12, "Done when").

Take the review's findings into the plan → set an owner and a due date on one item → apply that finding's fix on
the Architecture page (a new version) → the item is proposed as done → confirm it → take a milestone → the service
review for that milestone lists it under "closed since the last milestone".  Screenshots go to
``artifacts/e2e/homework-XX-<step>.png``; labels come from the English catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.core.workshop.test_chain import SINGLE_AZ, TIERS
from tests.e2e.conftest import _start_server, _stop_server
from tests.e2e.test_chain_flow import RUN_WATCH, _assert_clean, _choose, _idle, _run, _sidebar, tr
from workbench.architecture.fixes import fixable
from workbench.architecture.loader import load_architecture
from workbench.architecture.review import review_architecture
from workbench.store import open_store
from workbench.workshop.homework import Status, plan_of
from workbench.workshop.models import WorkshopMeta

OWNER = "Wang Fang"
DUE = dt.date(2027, 1, 15)
MILESTONE = "After the fix"


@pytest.fixture
def prepared(tmp_path: Path, chromium_path: str) -> Iterator[tuple[str, str, str]]:
    """A server whose store holds one workshop with a sizing and the single-AZ architecture (no plan yet)."""
    db = f"sqlite:///{tmp_path / 'workbench.sqlite3'}"
    store = open_store(db)
    ws = store.create(WorkshopMeta(title="E2E homework", customer="ACME", advisor="Ada", language="en"))
    v = store.put_artefact(ws.id, ws.version, "sizing", "peak", {
        "inputs": {"peak": 500.0, "slo_ms": 150.0, "q": 0.99, "cap": 0.7, "azs": 2}, "tiers": TIERS})
    store.put_artefact(ws.id, v, "architecture", "v001", {"yaml": SINGLE_AZ, "name": "single"})
    store.engine.dispose()
    proc, url, log = _start_server(tmp_path)
    yield url, ws.id, db
    _stop_server(proc, log)


def _single_fixable_rule() -> str:
    """A fixable rule that fires on one component only: fixing it removes every finding its item covers."""
    findings = review_architecture(load_architecture(SINGLE_AZ)).findings
    return next(f.rule_id for f in findings if fixable(f) and sum(g.rule_id == f.rule_id for g in findings) == 1)


def test_homework_from_finding_to_closed_at_a_milestone(page: Page, prepared: tuple[str, str, str],
                                                         shot: Callable[[Page, str], Path]) -> None:
    url, ws_id, db = prepared
    rule = _single_fixable_rule()
    page.context.add_init_script(RUN_WATCH)
    page.goto(f"{url}/homework?lang=en&workshop={ws_id}")
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    _idle(page)
    expect(page.get_by_role("heading", name=tr("homework.title"))).to_be_visible()

    # 1. take the findings into the plan
    _run(page, lambda: page.locator(".st-key-hw_take").get_by_role("button").click())
    expect(page.get_by_text(re.compile(re.escape(tr("homework.taken", count="\x00").split("\x00")[1])))).to_be_visible()
    _assert_clean(page)
    shot(page, "homework-01-taken")

    # 2. an owner on the item of that rule, in the item form
    edit = page.get_by_test_id("stExpander").filter(has_text=tr("homework.edit_title"))
    edit.locator("summary").click()
    box = edit.get_by_role("combobox", name=tr("homework.edit_pick"), exact=True)
    expect(box).to_be_visible()
    box.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    texts = options.all_inner_texts()
    findings = review_architecture(load_architecture(SINGLE_AZ)).findings
    title = next(f.text("en")["title"] for f in findings if f.rule_id == rule)
    item_id = next(t.split(" · ")[0] for t in texts if title[:40] in t)
    _run(page, lambda: options.filter(has_text=item_id + " · ").first.click())
    shot(page, "homework-02a-item-picked")
    form = page.locator(f".st-key-hw_e_owner_{item_id}")
    form.get_by_role("textbox").fill(OWNER)
    # Streamlit's date field is segmented (year / month / day spin buttons): type the digits into the first one
    page.locator(f".st-key-hw_e_due_{item_id}").locator('[data-type="year"]').click()
    page.keyboard.type(DUE.strftime("%Y%m%d"))
    page.keyboard.press("Tab")
    _run(page, lambda: page.get_by_role("button", name=tr("homework.edit_save"), exact=True).click())
    expect(page.get_by_text(tr("homework.saved"), exact=True)).to_be_visible()
    shot(page, "homework-02-owner-due")

    # 3. apply that finding's fix on the Architecture page: a new version
    _sidebar(page, "nav.architecture")
    _choose(page, tr("architecture.page.sections.findings"))
    expander = page.get_by_test_id("stExpander").filter(has=page.locator('[class*="st-key-arch_fix_"]')).filter(
        has_text=rule).first
    expander.locator("summary").click()
    _run(page, lambda: expander.get_by_role("button", name=tr("architecture.page.apply_fix"), exact=True).click())
    expect(page.get_by_text(tr("architecture.page.fix_applied", rule=rule), exact=True)).to_be_visible()
    shot(page, "homework-03-fix-applied")

    # 4. back on Homework: the item is proposed as done; confirm it
    _sidebar(page, "nav.homework")
    expect(page.get_by_text(tr("homework.proposed_title"), exact=True)).to_be_visible()
    confirm = page.locator(f".st-key-hw_confirm_{item_id}").get_by_role("button")
    expect(confirm).to_be_visible()
    shot(page, "homework-04-proposed")
    _run(page, confirm.click)
    expect(page.locator(f".st-key-hw_confirm_{item_id}")).to_have_count(0)
    _assert_clean(page)

    # 5. take a milestone on the Report page
    _sidebar(page, "nav.report")
    _choose(page, tr("report_page.tab_milestones"))
    milestone_form = page.get_by_test_id("stForm").filter(has=page.get_by_label(tr("report_page.milestone_name")))
    milestone_form.get_by_label(tr("report_page.milestone_name"), exact=True).fill(MILESTONE)
    _run(page, lambda: milestone_form.get_by_role("button", name=tr("report_page.take_milestone"), exact=True).click())
    expect(page.get_by_text(tr("report_page.milestone_saved", name=MILESTONE), exact=True)).to_be_visible()

    # 6. the service review of that milestone: the item is closed since the last milestone
    _sidebar(page, "nav.homework")
    _choose(page, tr("homework.tab_review"))
    closed = page.get_by_test_id("stMetric").filter(has_text=tr("homework.closed"))
    expect(closed).to_contain_text("1")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    _assert_clean(page)
    shot(page, "homework-05-service-review")
    item = plan_of(open_store(db).get(ws_id)).get(item_id)
    assert item is not None and (item.owner, item.status, item.due) == (OWNER, Status.done, DUE)
    assert [h.status for h in item.history] == [Status.open, Status.done] and item.history[-1].by == "Ada"
