"""The whole chain in a real browser (issue 5, item 7; item 3's print check).

Open the demo → forecast with a Double 11 event and save the peak → size the tiers from that peak and save →
review the architecture and apply one fix (a new version) → point the report at the new forecast, sizing and
version → take a milestone → download the HTML report.  The downloaded file is then opened from disk in a
context with no network at all: the diagram and the top actions must show, and printing it to PDF with headless
Chromium must give several non-blank pages that still carry the title, every section, the top actions and the
diagram.  A screenshot of every step goes to ``artifacts/e2e/chain-XX-<step>.png``.

Every label comes from the English catalogue (``t(key, "en")``), so rewording a label does not break the test.
"""

from __future__ import annotations

import html as html_lib
import io
import re
import unicodedata
from base64 import b64decode
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfReader

from tests.e2e.conftest import ARTIFACTS
from workbench.i18n import t

LANG = "en"
MILESTONE = "E2E milestone"
SCENARIO = "Double 11"
SIZING = "Double 11 peak"

# Counts every end of a script run (the app root's ``data-test-script-state`` attribute going back to
# ``notRunning``) and when the state last changed, so a step can wait for exactly the run it caused.
RUN_WATCH = """
window.__stRuns = 0; window.__stStarts = 0; window.__stChanged = Date.now();
new MutationObserver(muts => {
  for (const m of muts) {
    window.__stChanged = Date.now();
    const state = m.target.getAttribute('data-test-script-state');
    if (state === 'notRunning' && m.oldValue !== 'notRunning') {
      window.__stRuns += 1;
    }
    if (state !== 'notRunning' && m.oldValue === 'notRunning') {
      window.__stStarts += 1;
    }
  }
}).observe(document, {attributes: true, attributeOldValue: true, subtree: true,
                      attributeFilter: ['data-test-script-state']});
"""
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]') && Date.now() - window.__stChanged > 300;
}"""


def tr(key: str, **params: object) -> str:
    return t(key, LANG, **params)


# --- waiting for Streamlit ------------------------------------------------------------------------------


# A run that reviews, saves a version and draws the diagram (apply a fix) took over 30 s, Playwright's
# default wait, when the 2-core machine also ran another test process; wait up to this long for one run.
RUN_TIMEOUT_MS = 90_000
# A click that lands while Streamlit re-mounts its element (an expander re-drawn by a late rerun closes
# and re-opens) is lost: no run starts at all.  Seen in about one full-suite run in two on "Apply fix".
START_TIMEOUT_MS = 15_000


def _idle(page: Page) -> None:
    """Wait until no script run is going on and none has started for 300 ms (a ``st.rerun`` follows at once)."""
    page.wait_for_function(IDLE, timeout=RUN_TIMEOUT_MS)


def _run(page: Page, action: Callable[[], object]) -> None:
    """Do something that makes Streamlit rerun the script, and wait until that run (and any rerun) is over.

    When no run has even started after :data:`START_TIMEOUT_MS`, the action was lost (see there) and is done
    once more: nothing ran, so repeating it cannot apply anything twice."""
    before, started = page.evaluate("[window.__stRuns, window.__stStarts]")
    action()
    try:
        page.wait_for_function(f"() => window.__stRuns > {before} || window.__stStarts > {started}",
                               timeout=START_TIMEOUT_MS)
    except PlaywrightTimeout:
        action()
    try:
        page.wait_for_function(f"() => window.__stRuns > {before}", timeout=RUN_TIMEOUT_MS)
    except PlaywrightTimeout:
        state = page.evaluate("""() => [window.__stStarts, window.__stRuns,
            document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')]""")
        raise AssertionError(f"no script run ended (starts, runs, state now: {state}; before: {started}, "
                             f"{before}) on {page.url}") from None
    _idle(page)


def _sidebar(page: Page, title_key: str) -> None:
    _run(page, lambda: page.get_by_test_id("stSidebar").get_by_role("link", name=tr(title_key), exact=True).click())


def _choose(page: Page, label: str) -> None:
    """Open a tab or a segmented-control section by its label (both rerun: only the open tab's content runs)."""
    target = page.get_by_role("tab", name=label, exact=True).or_(page.get_by_role("radio", name=label, exact=True))
    if target.get_attribute("role") == "tab":
        if target.get_attribute("aria-selected") != "true":
            _run(page, target.click)
    elif target.get_attribute("aria-checked") != "true":
        _run(page, target.click)


def _pick(page: Page, label: str, option: re.Pattern[str]) -> None:
    """Choose the first option matching ``option`` in the select box labelled ``label`` (no-op if already chosen)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    if option.search(box.input_value()):
        return
    box.click()
    _run(page, lambda: page.get_by_role("option").filter(has_text=option).first.click())


def _assert_clean(page: Page) -> None:
    """No traceback, no incident message, no stray ``st.help`` output (Streamlit "magic" writing an expression)."""
    incident = tr("app.unexpected_error", incident="\x00").split("\x00")[0]
    for test_id in ("stException", "stHelp"):
        assert page.get_by_test_id(test_id).count() == 0, f"{test_id} on {page.url}"
    assert page.get_by_text(incident).count() == 0, f"an unexpected error on {page.url}"


def _shot(page: Page, shot: Callable[[Page, str], Path], name: str, focus: Locator | None = None) -> None:
    """Check the page is clean, then save its screenshot (scrolled to ``focus``)."""
    _assert_clean(page)
    if focus is not None:
        focus.scroll_into_view_if_needed()
    shot(page, name)


# --- the steps in the app --------------------------------------------------------------------------------


def _open_demo(page: Page, server: str, shot: Callable[[Page, str], Path]) -> None:
    page.context.add_init_script(RUN_WATCH)
    page.goto(f"{server}/?lang={LANG}")
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    _idle(page)
    title = tr("home.demo_title")
    row = page.get_by_test_id("stHorizontalBlock").filter(has=page.get_by_text(title, exact=True)).last
    _run(page, lambda: row.get_by_role("button", name=tr("home.open"), exact=True).click())
    expect(page.get_by_test_id("stSidebar").get_by_text(title, exact=True)).to_be_visible()
    assert "workshop=" in page.url
    _shot(page, shot, "chain-01-demo-open")


def _forecast(page: Page, shot: Callable[[Page, str], Path]) -> float:
    """Forecast the sample with the Double 11 event scenario and save its peak; return the P95 peak shown."""
    _sidebar(page, "nav.forecast")
    form = page.get_by_test_id("stForm").filter(has=page.get_by_label(tr("forecast.scenario_name")))
    form.get_by_label(tr("forecast.scenario_name"), exact=True).fill(SCENARIO)
    _run(page, lambda: form.get_by_role("button", name=tr("forecast.run"), exact=True).click())
    # The pre-filled event (Double 11, 11 Nov, ×3) must put the peak of the scenario on that day.
    blank = dict.fromkeys(("point", "unit", "day", "p80", "p95"), "\x00")
    lead = tr("forecast.peak_summary", scenario=SCENARIO, **blank).split("\x00")[0]  # 'Peak of “Double 11”: '
    summary = page.get_by_text(re.compile("^" + re.escape(lead)))
    expect(summary).to_be_visible()
    text = summary.inner_text()
    assert "11 Nov" in text, text
    p95 = float(re.search(r"P95 ([\d,.]+)", text).group(1).replace(",", ""))  # type: ignore[union-attr]
    _shot(page, shot, "chain-02-forecast-run", summary)
    _run(page, lambda: page.get_by_role("button", name=tr("forecast.save"), exact=True).click())
    # The peak is saved and the Capacity page opens on its Sizing tab, saying so (a page switch: allow its run).
    saved = page.get_by_text(tr("forecast.saved", scenario=SCENARIO), exact=True)
    expect(saved).to_be_visible(timeout=60_000)
    expect(page.get_by_role("tab", name=tr("capacity.tab_sizing"), exact=True)).to_have_attribute(
        "aria-selected", "true")
    _idle(page)
    _shot(page, shot, "chain-03-forecast-saved", saved)
    return p95


def _size(page: Page, shot: Callable[[Page, str], Path], p95: float) -> None:
    """Take the peak from the saved forecast, size the tiers and save the sizing."""
    _sidebar(page, "nav.capacity")
    _choose(page, tr("capacity.tab_sizing"))
    _pick(page, tr("capacity.sizing.peak_source"), re.compile(re.escape(f"· {SCENARIO}”")))  # the names typed
    peak = page.get_by_label(tr("capacity.sizing.peak_rps"), exact=True)
    expect(peak).to_be_visible()
    # the field may show the peak rounded: within one unit of the saved P95
    assert float(peak.input_value()) == pytest.approx(p95, abs=1.0), "the sizing peak must be the saved forecast's P95"
    page.get_by_label(tr("capacity.sizing.scenario"), exact=True).fill(SIZING)
    _run(page, lambda: page.get_by_role("button", name=tr("capacity.sizing.run"), exact=True).click())
    saved = page.get_by_text(tr("capacity.sizing.saved", scenario=SIZING), exact=True)
    expect(saved).to_be_visible()
    _shot(page, shot, "chain-04-sizing-saved", saved)


def _review_and_fix(page: Page, shot: Callable[[Page, str], Path]) -> tuple[str, str]:
    """Show the findings, apply the first automatic fix; return the new version's id and the fixed finding's title."""
    _sidebar(page, "nav.architecture")
    version = re.compile("^" + re.escape(tr("architecture.page.version_current", version="")) + r"(v\d+)$")
    old = version.search(page.get_by_text(version).inner_text()).group(1)  # type: ignore[union-attr]
    _choose(page, tr("architecture.page.sections.findings"))
    count = re.compile(tr("architecture.page.findings_count", shown=r"(\d+)", total=r"(\d+)"))
    before = int(count.search(page.get_by_text(count).inner_text()).group(2))  # type: ignore[union-attr]
    assert before > 0, "the demo architecture must have findings"
    fixable = page.get_by_test_id("stExpander").filter(has=page.locator('[class*="st-key-arch_fix_"]')).first
    summary = fixable.locator("summary")
    _, rule, title = (part.strip() for part in summary.inner_text().split("·", 2))
    _shot(page, shot, "chain-05-review-findings")
    summary.click()
    # a rule group lists each component with its own fix: apply the first one
    _run(page, lambda: fixable.get_by_role("button", name=tr("architecture.page.apply_fix"), exact=True).first.click())
    expect(page.get_by_text(tr("architecture.page.fix_applied", rule=rule), exact=True)).to_be_visible()
    new = version.search(page.get_by_text(version).inner_text()).group(1)  # type: ignore[union-attr]
    assert new != old, "applying a fix must save a new version"
    after = int(count.search(page.get_by_text(count).inner_text()).group(2))  # type: ignore[union-attr]
    assert after < before, f"the fix for {rule} must remove at least one finding ({before} → {after})"
    _shot(page, shot, "chain-06-fix-applied")
    return new, title


def _report(page: Page, shot: Callable[[Page, str], Path], version: str, tmp_path: Path) -> Path:
    """Point the chain at the new forecast, sizing and version; take a milestone; download the HTML report."""
    _sidebar(page, "nav.report")
    _choose(page, tr("report_page.tab_inputs"))
    _pick(page, tr("report_page.forecast"), re.compile(re.escape(f"· {SCENARIO}") + "$"))
    _pick(page, tr("report_page.sizing"), re.compile(f"^{re.escape(SIZING)}$"))
    _pick(page, tr("report_page.architecture"), re.compile(f"^{version}$"))
    expect(page.get_by_text(re.compile(re.escape(f"“{SCENARIO}”")))).to_be_visible()
    expect(page.get_by_text(re.compile(re.escape(tr("report_page.source_arch", version=version, name="")
                                                 .split("(")[0])))).to_be_visible()
    _shot(page, shot, "chain-07-report-inputs")

    _choose(page, tr("report_page.tab_milestones"))
    form = page.get_by_test_id("stForm").filter(has=page.get_by_label(tr("report_page.milestone_name")))
    form.get_by_label(tr("report_page.milestone_name"), exact=True).fill(MILESTONE)
    _run(page, lambda: form.get_by_role("button", name=tr("report_page.take_milestone"), exact=True).click())
    saved = page.get_by_text(tr("report_page.milestone_saved", name=MILESTONE), exact=True)
    expect(saved).to_be_visible()
    _shot(page, shot, "chain-08-milestone-taken")

    _choose(page, tr("report_page.tab_report"))
    button = page.locator(".st-key-dl_html").get_by_role("button", name=tr("report_page.download_html"))
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    path = tmp_path / "report.html"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".html")
    _idle(page)
    _shot(page, shot, "chain-09-report-downloaded", button)
    return path


# --- the downloaded report, offline --------------------------------------------------------------------


def _diagram_labels(report_html: str) -> set[str]:
    """Texts drawn only inside the diagram (SVG ``<text>`` not found anywhere else in the report)."""
    src = re.search(r'id="diagram"><img[^>]* src="([^"]+)"', report_html)
    assert src, "the report has no diagram image"
    head, _, body = src.group(1).partition(",")
    svg = b64decode(body).decode("utf-8") if head.endswith(";base64") else unquote(body)
    labels = {html_lib.unescape(x).strip() for x in re.findall(r"<text[^>]*>([^<]+)</text>", svg)}
    page_text = html_lib.unescape(re.sub(r'src="[^"]*"', "", report_html))
    return {x for x in labels if len(x) > 3 and x not in page_text}


def _squash(text: str) -> str:
    """PDF text compared loosely: ligatures undone (NFKC), all white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _essentials(page: Page) -> dict[str, Any]:
    return page.evaluate("""() => {
      const shown = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      return {
        sections: [...document.querySelectorAll('section')].filter(shown).map(s => s.id),
        headings: [...document.querySelectorAll('h1, h2')].filter(shown).map(h => h.innerText.trim()),
        actions: [...document.querySelectorAll('#top-actions li')].filter(shown).length,
        diagram: shown(document.querySelector('#diagram img')),
      };
    }""")


def _check_offline_report(browser: Browser, report: Path, shot: Callable[[Page, str], Path], fixed: str) -> None:
    """The file alone, no network: diagram, top actions, the chain's choices; then print it and check the PDF."""
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900}, locale="en-US")
    requested: list[str] = []

    def block(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        requested.append(url)
        if url.startswith("file://"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", block)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(report.resolve().as_uri())
        image = page.locator("#diagram img")
        expect(image).to_be_visible()
        assert page.evaluate("() => { const i = document.querySelector('#diagram img');"
                             " return i.complete && i.naturalWidth; }") > 0, "the diagram did not load offline"
        actions = page.locator("#top-actions li")
        assert 1 <= actions.count() <= 5, f"{actions.count()} top actions"
        expect(page.locator("#milestones")).to_contain_text(MILESTONE)
        expect(page.locator("#summary")).to_contain_text(f"“{SCENARIO}”")  # the peak of the forecast saved above
        expect(page.locator("body")).not_to_contain_text(fixed)  # the report reviews the fixed version
        assert [u for u in requested if not u.startswith("file://")] == [], "the report reached for the network"
        shot(page, "chain-10-report-offline")
        screen = _essentials(page)

        page.emulate_media(media="print")
        printed = _essentials(page)
        assert printed == screen, f"printing hides something: {screen} on screen, {printed} in print"
        shot(page, "chain-11-report-print-media")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        context.close()
    (ARTIFACTS / "chain-report.pdf").write_bytes(pdf)
    _check_pdf(pdf, report.read_text(encoding="utf-8"), list(screen["headings"]), _action_titles(report))


def _action_titles(report: Path) -> list[str]:
    """The titles of the top actions, from the report's HTML."""
    block = re.search(r'<ol class="actions" id="top-actions">(.*?)</ol>', report.read_text(encoding="utf-8"), re.DOTALL)
    assert block, "no top actions in the report"
    return [html_lib.unescape(x) for x in re.findall(r"<strong>(.*?)</strong>", block.group(1), re.DOTALL)]


def _check_pdf(pdf: bytes, report_html: str, headings: list[str], action_titles: list[str]) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2, f"the printed report has {len(reader.pages)} page(s)"
    texts = [page.extract_text() or "" for page in reader.pages]
    blank = [i + 1 for i, text in enumerate(texts) if not text.strip()]
    assert not blank, f"blank printed pages: {blank}"
    printed = _squash("\n".join(texts))
    missing = [h for h in headings if _squash(h) not in printed]
    assert not missing, f"headings missing from the PDF: {missing}"
    missing = [a for a in action_titles if _squash(a) not in printed]
    assert not missing, f"top actions missing from the PDF: {missing}"
    labels = _diagram_labels(report_html)
    assert labels, "the diagram has no text of its own to look for"
    assert any(_squash(x) in printed for x in labels), "the diagram is not in the PDF"
    assert _squash(MILESTONE) in printed


# --- the test ---------------------------------------------------------------------------------------------


def test_whole_chain_demo_to_printed_report(server: str, page: Page, browser: Browser, shot, tmp_path) -> None:
    _open_demo(page, server, shot)
    p95 = _forecast(page, shot)
    _size(page, shot, p95)
    version, fixed = _review_and_fix(page, shot)
    report = _report(page, shot, version, tmp_path)
    (ARTIFACTS / "chain-report.html").write_bytes(report.read_bytes())
    _check_offline_report(browser, report, shot, fixed)
