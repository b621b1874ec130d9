"""Sign-in, members, share links and history on the Workshops page (AppTest; the real sign-in is tests/e2e)."""

from __future__ import annotations

from workbench.access import AccessStore, Principal
from workbench.store import open_store
from workbench.store.models import Role
from workbench.workshop.models import WorkshopMeta

ALICE, BOB = "alice@example.com", "bob@example.com"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "app",
        "client_secret": "s", "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}


def _as(email: str | None) -> AccessStore:
    return AccessStore(open_store(), Principal.user(email) if email else Principal.local())


def _signed_in(app, email: str | None, **query: str):
    at = app(lang="en", **query)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": email is not None, "email": email or "", "email_verified": True}
    return at


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_with_sign_in_configured_a_visitor_sees_only_the_sign_in_screen(app):
    _as(ALICE).create(WorkshopMeta(title="Alice's secret review"))
    at = _signed_in(app, None).run()
    assert not at.exception
    assert at.title[0].value == "Sign in to Capacity Workbench"
    assert at.button(key="sign_in")
    assert "Alice's secret review" not in _texts(at)


def test_signed_in_users_see_only_their_workshops_and_a_stranger_gets_not_found(app):
    ws = _as(ALICE).create(WorkshopMeta(title="Alice's review"))
    at = _signed_in(app, ALICE).run()
    assert "Alice's review" in _texts(at)
    assert not any("Demo" in t for t in _texts(at))  # no demo seeded on a team server
    assert f"Signed in as {ALICE}" in _texts(at)  # in the sidebar
    bob = _signed_in(app, BOB, workshop=ws.id).run()
    assert not bob.exception
    assert "Alice's review" not in _texts(bob)
    assert any("was not found" in w.value for w in bob.warning)  # the same words as an id that does not exist


def test_creating_while_signed_in_makes_the_user_owner(app):
    at = _signed_in(app, BOB).run()
    at.text_input[0].input("Bob's review")
    at.button(key="FormSubmitter:create_workshop-Create workshop").click().run()
    assert not at.exception
    (ws,) = _as(BOB).list()
    assert [(m.email, m.role) for m in _as(BOB).members(ws.id)] == [(BOB, Role.OWNER)]
    assert [e.actor for e in _as(BOB).history(ws.id)] == [BOB, BOB]


def test_a_viewer_sees_fields_locked_and_no_delete(app):
    ws = _as(ALICE).create(WorkshopMeta(title="Look, don't touch"))
    _as(ALICE).set_member(ws.id, BOB, Role.VIEWER)
    at = _signed_in(app, BOB, workshop=ws.id).run()
    assert not at.exception
    assert at.text_input(key=f"ws_{ws.id}_title").disabled
    assert not [b for b in at.button if b.key == "delete"]
    assert any("Viewer" in c.value for c in at.caption)


def test_owner_adds_a_member_and_sees_the_history(app):
    ws = open_store().create(WorkshopMeta(title="Laptop review"))
    at = app(lang="en", workshop=ws.id).run()
    at.text_input(key="member_email").input("Carol@Example.com")
    at.selectbox(key="member_role").select("editor")
    at.button(key="FormSubmitter:member_form-Add or change").click().run()
    assert not at.exception
    assert [(m.email, m.role) for m in _as(None).members(ws.id)] == [("carol@example.com", Role.EDITOR)]
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["When", "Who", "What", "Item", "Version"]
    assert list(frame["What"]) == ["changed members", "created the workshop"]  # newest first
    assert set(frame["Who"]) == {"local user"}
    assert frame["Item"].iloc[0] == "carol@example.com → Editor"  # the role translated, not its stored value


def test_history_headers_are_translated(app):
    ws = open_store().create(WorkshopMeta(title="审计"))
    at = app(lang="zh-CN", workshop=ws.id).run()
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["时间", "人员", "操作", "对象", "版本"]
    assert list(frame["操作"]) == ["创建了工作坊"]


def test_a_share_link_shows_its_workshop_read_only_without_sign_in(app):
    owner = _as(ALICE)
    shared = owner.create(WorkshopMeta(title="For the customer"))
    owner.create(WorkshopMeta(title="Internal only"))
    _, token = owner.create_share_link(shared.id)
    at = _signed_in(app, None, share=token).run()  # sign-in configured, nobody signed in
    assert not at.exception
    assert "For the customer" in _texts(at) and "Internal only" not in _texts(at)
    assert any("read-only link" in i.value for i in at.info)
    assert at.text_input(key=f"ws_{shared.id}_title").disabled
    assert not [b for b in at.button if b.key in ("delete", "duplicate")]
    assert not at.dataframe  # the history names colleagues: not shown to customers


def test_a_revoked_or_wrong_link_says_so(app):
    owner = _as(ALICE)
    ws = owner.create(WorkshopMeta(title="Was shared"))
    link, token = owner.create_share_link(ws.id)
    owner.revoke_share_link(ws.id, link.id)
    at = _signed_in(app, None, share=token).run()
    assert any("not valid or has been revoked" in e.value for e in at.error)
    assert "Was shared" not in _texts(at)


def test_the_owner_creates_a_link_shown_once(app):
    ws = open_store().create(WorkshopMeta(title="Share me"))
    at = app(lang="en", workshop=ws.id).run()
    at.button(key="share_create").click().run()
    assert not at.exception
    (code,) = at.code
    assert "share=" in code.value
    (link,) = _as(None).share_links(ws.id)
    assert link.active
