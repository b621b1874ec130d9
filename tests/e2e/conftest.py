"""Browser tests: a real Streamlit server on a free localhost port, driven by Playwright in Debian's Chromium.

Locally the tests are skipped (with a clear reason) when ``/usr/bin/chromium`` is absent; with
``CI=true`` or ``WORKBENCH_REQUIRE_BROWSER=1`` a missing browser is a failure, not a skip.
Screenshots go to the git-ignored ``artifacts/e2e/`` folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "e2e"
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def _browser_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("WORKBENCH_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    """A TCP port nobody listens on right now (for the servers a test starts)."""
    return _free_port()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package to run the browser tests"
        if _browser_required():
            pytest.fail(message + " (required because CI=true)")
        pytest.skip(message)
    return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))


def _start_server(workdir: Path, port: int | None = None, extra_args: tuple[str, ...] = (),
                  extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str, object]:
    """`streamlit run app.py` on a free port with its own database in ``workdir``; (process, URL, log)."""
    port = port or _free_port()
    env = {
        **os.environ,
        "WORKBENCH_DATABASE_URL": f"sqlite:///{workdir / 'workbench.sqlite3'}",
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    log = open(workdir / "streamlit.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         *extra_args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("Streamlit did not start within 60 s")


def _stop_server(proc: subprocess.Popen[bytes], log: object) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """One server for the session's browser tests; yields the base URL."""
    proc, url, log = _start_server(tmp_path_factory.mktemp("e2e"))
    yield url
    _stop_server(proc, log)


@pytest.fixture
def fresh_server(tmp_path: Path, chromium_path: str) -> Iterator[str]:
    """A server no browser has visited yet (for what only the very first request shows)."""
    proc, url, log = _start_server(tmp_path)
    yield url
    _stop_server(proc, log)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US",  # type: ignore[attr-defined]
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # a busy 2-core CI machine can take seconds per rerun
    yield page
    context.close()


@pytest.fixture
def shot() -> object:
    """Save a full-page screenshot under artifacts/e2e/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(page: object, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return _shot
