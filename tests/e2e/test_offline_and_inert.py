"""In a real browser: no request leaves the machine, hostile text stays text, long names do not widen the page."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from playwright.sync_api import Page, Request

from tests.e2e.test_foundation_flow import _wait_app

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _record_requests(page: Page) -> list[str]:
    seen: list[str] = []

    def on_request(request: Request) -> None:
        if not request.url.startswith(("data:", "blob:", "about:")):
            seen.append(request.url)

    page.on("request", on_request)
    return seen


def _off_machine(urls: list[str]) -> list[str]:
    return [u for u in urls if urlsplit(u).hostname not in LOCAL_HOSTS]


def test_no_request_leaves_the_machine(server: str, page: Page, shot) -> None:
    urls = _record_requests(page)
    for path in ("/?lang=en", "/forecast?lang=en", "/capacity?lang=en", "/architecture?lang=en", "/report?lang=en"):
        page.goto(f"{server}{path}")
        _wait_app(page)
        page.wait_for_timeout(500)
    icon = page.eval_on_selector("link[rel*='icon']", "e => e.href")
    assert urlsplit(icon).hostname in LOCAL_HOSTS, icon
    assert urls, "the recorder saw no request at all"
    assert _off_machine(urls) == [], _off_machine(urls)
    shot(page, "offline-report")


def test_hostile_workshop_parameter_is_shown_as_text(server: str, page: Page, shot) -> None:
    urls = _record_requests(page)
    hostile = "[Click here to sign in again](http://evil.example/login) ![x](http://evil.example/pixel.png)"
    page.goto(f"{server}/?lang=en&workshop={quote(hostile)}")
    _wait_app(page)
    alert = page.locator('[data-testid="stAlert"]').first
    alert.wait_for()
    assert "Click here to sign in again" in alert.inner_text()
    assert alert.locator("a, img").count() == 0
    assert page.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0
    assert _off_machine(urls) == []
    shot(page, "hostile-workshop-parameter")


def _page_width(page: Page) -> tuple[int, int]:
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return int(width), int(viewport)


def test_a_100000_character_name_does_not_widen_the_page(server: str, page: Page, shot) -> None:
    page.goto(f"{server}/?lang=en&workshop={'W' * 100_000}")
    _wait_app(page)
    alert = page.locator('[data-testid="stAlert"]').first
    alert.wait_for()
    assert len(alert.inner_text()) < 1_000  # the id is quoted shortened, not whole
    width, viewport = _page_width(page)
    assert width <= viewport, (width, viewport)

    long_title = "T" * 200  # the longest title a workshop may have, without a single space
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Title").fill(long_title)
    form.get_by_label("Customer").fill("\u202egnp.exe")
    form.get_by_role("button", name="Create workshop").click()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("T" * 20, exact=False).first.wait_for()
    assert long_title not in sidebar.inner_text()  # shortened with an ellipsis
    assert "…" in sidebar.inner_text()
    listed = page.locator('[data-testid="stMain"]').get_by_text("gnp.exe", exact=True)
    listed.first.wait_for()  # the customer listed without its right-to-left override
    width, viewport = _page_width(page)
    assert width <= viewport, (width, viewport)
    shot(page, "long-name")
