"""The foundation in a real browser: navigation, create, reload, language switch, export and re-import."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from workbench.i18n import t


def _registered_titles(lang: str) -> list[str]:
    import ast

    from tests.conftest import ROOT

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "PAGES":
            return [t(entry.elts[1].value, lang) for entry in node.value.elts]  # type: ignore[union-attr]
    raise AssertionError("PAGES not found in app.py")


def _wait_app(page: Page) -> None:
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def _sidebar_nav_texts(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        '[data-testid="stSidebar"] [data-testid="stSidebarNav"] a, '
        '[data-testid="stSidebar"] [data-testid="stPageLink"] a',
        "els => els.map(e => e.innerText.trim().split('\\n').filter(Boolean).pop() || '')",
    )


def test_sidebar_shows_exactly_the_registered_pages_without_flash(server: str, page: Page, shot) -> None:
    expected = _registered_titles("en")
    page.goto(f"{server}/?lang=en", wait_until="commit")
    seen: set[str] = set()
    end = time.time() + 6
    while time.time() < end:  # sample the sidebar while the app starts: nothing else may ever appear
        seen.update(x for x in _sidebar_nav_texts(page) if x)
        page.wait_for_timeout(40)
    _wait_app(page)
    final = _sidebar_nav_texts(page)
    assert final == expected
    assert seen <= set(expected), f"unregistered entries flashed in the sidebar: {seen - set(expected)}"
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    shot(page, "01-home-en")


def test_create_reload_language_export_import(server: str, page: Page, shot, tmp_path) -> None:
    page.goto(f"{server}/?lang=en")
    _wait_app(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Title").fill("E2E peak review 峰值评审")
    form.get_by_label("Customer").fill("<script>alert(1)</script>")
    form.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_text("Workshop created: E2E peak review 峰值评审")).to_be_visible()
    page.wait_for_url(re.compile(r"workshop=[A-Za-z0-9_-]{16}"))
    workshop_url = page.url
    assert "workshop=" in workshop_url
    # hostile text is shown as text, never executed
    expect(page.get_by_text("<script>alert(1)</script>").first).to_be_visible()
    shot(page, "02-created")

    page.reload()
    _wait_app(page)
    expect(page.get_by_label("Title", exact=True).first).to_have_value("E2E peak review 峰值评审")
    assert "workshop=" in page.url

    # language switch: translated page titles in the sidebar, kept across reloads (query parameter)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True).click()
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("工作坊", exact=True)).to_be_visible()
    page.wait_for_url(re.compile(r"lang=zh-CN"))
    page.reload()
    _wait_app(page)
    assert _sidebar_nav_texts(page) == _registered_titles("zh-CN")
    shot(page, "03-zh")

    # export, then import it back as a new workshop
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("导出工作坊")).click()
    exported = tmp_path / "export.json"
    download_info.value.save_as(exported)
    assert b"capacity-workbench/workshop" in exported.read_bytes()
    page.get_by_text("导入工作坊").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(exported))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已导入为新工作坊：E2E peak review 峰值评审")).to_be_visible()
    assert page.url != workshop_url
    shot(page, "04-imported")


def test_a_bookmarked_page_opens_inside_the_app_on_a_fresh_server(fresh_server: str, page: Page, shot) -> None:
    """The very first request of a new server is a deep link: it must still get navigation and the shell.

    Streamlit's legacy ``pages/`` mode would run ``pages/report.py`` alone (no sidebar, no language switch,
    no error boundary) until ``st.navigation`` has run once in the process.
    """
    expected = _registered_titles("en")
    page.goto(f"{fresh_server}/report?lang=en", wait_until="commit")
    seen: set[str] = set()
    end = time.time() + 6
    while time.time() < end:
        seen.update(x for x in _sidebar_nav_texts(page) if x)
        page.wait_for_timeout(40)
    _wait_app(page)
    assert _sidebar_nav_texts(page) == expected
    assert seen <= set(expected), f"unregistered entries flashed in the sidebar: {seen - set(expected)}"
    expect(page.get_by_role("heading", name="Report", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("中文", exact=True)).to_be_visible()
    shot(page, "05-deep-link-fresh-server")
