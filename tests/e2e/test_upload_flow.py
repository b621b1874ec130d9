"""Uploading a load history in the browser: it is read, forecast, and kept in the workshop for next time."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import ROOT
from tests.e2e.test_chain_flow import RUN_WATCH, _idle, _run, _shot, _sidebar, tr

SAMPLE = ROOT / "sample_data" / "ecommerce_qps_5min.csv"


def test_upload_is_forecast_and_kept_in_the_workshop(
    server: str, page: Page, shot: Callable[[Page, str], Path]
) -> None:
    page.context.add_init_script(RUN_WATCH)
    page.goto(f"{server}/?lang=en")
    _idle(page)
    form = page.get_by_test_id("stForm")
    form.get_by_label(tr("home.title_field")).fill("Upload check")
    _run(page, lambda: form.get_by_role("button", name=tr("home.create"), exact=True).click())
    page.wait_for_url(re.compile(r"workshop="))

    _sidebar(page, "nav.forecast")
    _run(page, lambda: page.get_by_text(tr("forecast.source_upload"), exact=True).click())
    _run(page, lambda: page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(SAMPLE)))
    kept = page.get_by_text(re.compile("^" + re.escape(tr("forecast.dataset_kept", name="\x00").split("\x00")[0])))
    expect(kept).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"^Peak of "))).to_be_visible(timeout=60_000)
    _shot(page, shot, "upload-01-kept", kept)

    page.reload()
    _idle(page)
    # The page reopens on the kept dataset by itself: the workshop remembers the source (issue 10).
    expect(page.get_by_text(re.compile(r"points, cleaned when it was uploaded"))).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"^Peak of "))).to_be_visible(timeout=60_000)
    _shot(page, shot, "upload-02-reopened")
