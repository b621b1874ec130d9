"""Sign-in for real: an OpenID Connect provider (``oidc-provider-mock``) and the app, both started here.

alice signs in, creates a workshop, makes a read-only link that a customer (never signed in) opens, and signs
out; bob signs in: alice's workshop is not in his list and its
URL answers "not found"; bob signs out.  The app reads a secrets file written for this test only
(``--secrets.files``), never the user's ``.streamlit/secrets.toml``.  With ``WORKBENCH_TEST_POSTGRES_URL`` set
(``.ci/run`` starts PostgreSQL and sets it) the app stores on PostgreSQL, otherwise on a SQLite file.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.core.store.conftest import POSTGRES_URL, reset_postgres
from tests.e2e.conftest import _start_server, _stop_server, free_port

ALICE, BOB = "alice@example.com", "bob@example.com"


@pytest.fixture
def oidc_provider(tmp_path: Path) -> Iterator[str]:
    """``oidc-provider-mock`` on a free port with alice and bob as known users; yields its issuer URL."""
    port = free_port()
    log = open(tmp_path / "oidc.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--user", ALICE,
                             "--user", BOB], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the OIDC provider did not start within 30 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def team_server(tmp_path: Path, chromium_path: str, oidc_provider: str) -> Iterator[tuple[str, str]]:
    """The app with sign-in configured against ``oidc_provider``, from a secrets file of its own; yields its URL
    and its database's URL."""
    port = free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "capacity-workbench-e2e"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    # Authlib refuses plain-HTTP token endpoints unless told otherwise: fine for a provider on 127.0.0.1 only.
    env = {"AUTHLIB_INSECURE_TRANSPORT": "1", "WORKBENCH_DATABASE_URL": f"sqlite:///{tmp_path / 'team.sqlite3'}"}
    if POSTGRES_URL:  # .ci/run starts PostgreSQL: the team server runs on it, as a real one would
        reset_postgres(POSTGRES_URL)
        env["WORKBENCH_DATABASE_URL"] = POSTGRES_URL
    proc, url, log = _start_server(tmp_path, port, ("--secrets.files", str(secrets_file)), env)
    yield url, env["WORKBENCH_DATABASE_URL"]
    _stop_server(proc, log)
    if POSTGRES_URL:
        reset_postgres(POSTGRES_URL)


def _sign_in(page: Page, server: str, email: str) -> None:
    page.goto(f"{server}/?lang=en")
    expect(page.get_by_text("Sign in to Capacity Workbench")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=email).click()  # the provider's page: one button per known user
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(f"Signed in as {email}")).to_be_visible()


def _sign_out(page: Page, server: str) -> None:
    """Sign out: Streamlit drops its identity cookie and sends the browser to the provider's end_session."""
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/oauth2/end_session\?"))
    page.get_by_role("button", name="End session").click()  # the provider confirms, then returns to the app
    page.wait_for_url(re.compile(re.escape(server)))
    page.goto(f"{server}/?lang=en")
    expect(page.get_by_text("Sign in to Capacity Workbench")).to_be_visible()
    expect(page.get_by_text("Signed in as", exact=False)).to_have_count(0)


def _stored_as_alices(database: str, workshop_url: str) -> None:
    """What the server stored: the workshop is alice's (owner, from her identity) and its trail names her."""
    from workbench.access import AccessStore, Principal
    from workbench.store import open_store

    workshop_id = re.search(r"workshop=([A-Za-z0-9_-]{16})", workshop_url).group(1)  # type: ignore[union-attr]
    store = open_store(database)
    try:
        alice = AccessStore(store, Principal.user(ALICE))
        assert [(m.email, m.role.value) for m in alice.members(workshop_id)] == [(ALICE, "owner")]
        assert [e.actor for e in alice.history(workshop_id)] == [ALICE, ALICE]
        assert AccessStore(store, Principal.user(BOB)).list() == []
    finally:
        store.engine.dispose()


def _create_share_link(page: Page) -> str:
    """As the owner: the Read-only links tab, Create a link; returns the link shown (once)."""
    page.get_by_role("tab", name="Read-only links").click()
    page.get_by_role("button", name="Create a link").click()
    expect(page.get_by_text("Copy this link now", exact=False)).to_be_visible()
    link = page.get_by_test_id("stCode").first.inner_text().strip()
    assert "share=" in link
    return link


def _customer_views(page: Page, share_url: str, server: str) -> None:
    """A customer, never signed in (a browser of their own), opens the link: the workshop, read-only."""
    assert share_url.startswith(server)
    customer = page.context.browser.new_context(locale="en-US").new_page()  # type: ignore[union-attr]
    try:
        customer.goto(share_url)
        expect(customer.get_by_text("read-only link", exact=False).first).to_be_visible()
        expect(customer.get_by_label("Title", exact=True)).to_have_value("Alice's peak review")
        expect(customer.get_by_label("Title", exact=True)).to_be_disabled()
        expect(customer.get_by_text("Sign in to Capacity Workbench")).to_have_count(0)
        expect(customer.get_by_role("button", name="Create workshop")).to_have_count(0)
    finally:
        customer.context.close()


def test_each_user_sees_only_their_workshops_and_sign_out_works(team_server: tuple[str, str], page: Page,
                                                                 shot) -> None:
    team_server, database = team_server
    _sign_in(page, team_server, ALICE)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Title").fill("Alice's peak review")
    form.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_text("Workshop created: Alice's peak review")).to_be_visible()
    page.wait_for_url(re.compile(r"workshop=[A-Za-z0-9_-]{16}"))
    alices_url = page.url
    shot(page, "sign-in-01-alice")
    _stored_as_alices(database, alices_url)
    share_url = _create_share_link(page)
    _customer_views(page, share_url, team_server)
    _sign_out(page, team_server)

    _sign_in(page, team_server, BOB)
    expect(page.get_by_text("No workshops yet", exact=False)).to_be_visible()
    expect(page.get_by_text("Alice's peak review")).to_have_count(0)
    page.goto(alices_url)
    expect(page.get_by_text("was not found", exact=False)).to_be_visible()
    expect(page.get_by_text("Alice's peak review")).to_have_count(0)
    shot(page, "sign-in-02-bob-refused")
    _sign_out(page, team_server)
    shot(page, "sign-in-03-signed-out")
