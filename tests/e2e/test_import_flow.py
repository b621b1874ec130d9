"""Importing a Terraform plan and a draw.io diagram in the browser: report reviewed, saved, then reviewed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.e2e.test_chain_flow import RUN_WATCH, _choose, _idle, _run, _shot, _sidebar, tr

IMPORTS = ROOT / "sample_data" / "imports"


def _import(page: Page, path: Path) -> None:
    panel = page.get_by_test_id("stExpander").filter(has_text=tr("architecture_import.page.title"))
    if panel.get_by_test_id("stFileUploaderDropzoneInput").count() == 0 or not panel.get_by_test_id(
            "stFileUploaderDropzoneInput").is_visible():
        panel.get_by_text(tr("architecture_import.page.title"), exact=True).click()
    _run(page, lambda: panel.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path)))
    expect(page.get_by_text(tr("architecture_import.page.preview"), exact=True)).to_be_visible(timeout=60_000)


def _save_and_review(page: Page) -> None:
    _run(page, lambda: page.get_by_role("button", name=tr("architecture_import.page.save"), exact=True).click())
    expect(page.get_by_text(tr("architecture_import.page.imported"))).to_be_visible(timeout=60_000)
    _choose(page, tr("architecture.page.sections.findings"))
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=60_000)


def test_import_terraform_plan_and_drawio_then_review(
    server: str, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    page.context.add_init_script(RUN_WATCH)
    page.goto(f"{server}/?lang=en")
    _idle(page)
    form = page.get_by_test_id("stForm")
    form.get_by_label(tr("home.title_field")).fill("Import check")
    _run(page, lambda: form.get_by_role("button", name=tr("home.create"), exact=True).click())
    page.wait_for_url(re.compile(r"workshop="))
    _sidebar(page, "nav.architecture")
    _choose(page, tr("architecture.page.sections.edit"))

    _import(page, IMPORTS / "terraform" / "tencentcloud_plan.json")
    summary = tr("architecture_import.page.summary", components=8, links=5, regions=1, azs=2,
                 sources=tr("architecture_import.source.terraform"))
    expect(page.get_by_text(summary)).to_be_visible()
    _shot(page, shot, "import-01-terraform-report")
    _save_and_review(page)
    expect(page.get_by_text(re.compile(r"tencentcloud_"))).not_to_have_count(0)
    _shot(page, shot, "import-02-terraform-reviewed")

    _choose(page, tr("architecture.page.sections.edit"))
    _import(page, IMPORTS / "drawio" / "aws_three_tier.drawio")
    expect(page.get_by_text(tr("architecture_import.page.unknown_title"), exact=True)).to_be_visible()
    _shot(page, shot, "import-03-drawio-report")
    _save_and_review(page)
    _choose(page, tr("architecture.page.sections.versions"))
    expect(page.get_by_text(tr("architecture.page.col_version"))).not_to_have_count(0)
    _shot(page, shot, "import-04-versions")
