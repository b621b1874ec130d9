"""Access checks in the core: each role's rights, a guessed id, members, and the local owner."""

from __future__ import annotations

import secrets

import pytest

from workbench.access import AccessStore, Principal
from workbench.errors import ForbiddenError, InputError, NotFoundError, WorkbenchError
from workbench.store.models import Role
from workbench.workshop.models import ArtefactKind, WorkshopMeta

ALICE, BOB = "alice@example.com", "bob@example.com"


def as_(raw, email: str | None) -> AccessStore:
    return AccessStore(raw, Principal.user(email) if email else Principal.local())


@pytest.fixture
def alices(raw):
    """A workshop alice created (so owns), with one artefact."""
    alice = as_(raw, ALICE)
    ws = alice.create(WorkshopMeta(title="Alice's review"))
    alice.put_artefact(ws.id, ws.version, ArtefactKind.CHAIN, "chain", {"quantile": "p95"})
    return ws.id


# Each action with the role it needs; ``v`` is the workshop's current version.
ACTIONS = {
    "get": (Role.VIEWER, lambda s, w, v: s.get(w)),
    "version": (Role.VIEWER, lambda s, w, v: s.version(w)),
    "history": (Role.VIEWER, lambda s, w, v: s.history(w)),
    "duplicate": (Role.VIEWER, lambda s, w, v: s.duplicate(w)),
    "update_meta": (Role.EDITOR, lambda s, w, v: s.update_meta(w, v, WorkshopMeta(title="renamed"))),
    "put_artefact": (Role.EDITOR, lambda s, w, v: s.put_artefact(w, v, "chain", "chain", {"quantile": "p50"})),
    "delete_artefact": (Role.EDITOR, lambda s, w, v: s.delete_artefact(w, v, "chain", "chain")),
    "members": (Role.OWNER, lambda s, w, v: s.members(w)),
    "set_member": (Role.OWNER, lambda s, w, v: s.set_member(w, "carol@example.com", "viewer")),
    "share_links": (Role.OWNER, lambda s, w, v: s.share_links(w)),
    "create_share_link": (Role.OWNER, lambda s, w, v: s.create_share_link(w)),
    "delete": (Role.OWNER, lambda s, w, v: s.delete(w)),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_may_do_exactly_what_it_covers(raw, alices, role, action):
    as_(raw, ALICE).set_member(alices, BOB, role)
    bob = as_(raw, BOB)
    needed, call = ACTIONS[action]
    if role.covers(needed):
        call(bob, alices, raw.version(alices))  # allowed: no error
    else:
        with pytest.raises(ForbiddenError) as info:
            call(bob, alices, raw.version(alices))
        assert info.value.key == f"errors.access.need_{needed.value}"
        assert raw.version(alices) >= 1  # and nothing changed: the workshop is still there


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_stranger_gets_not_found_exactly_like_a_guessed_id(raw, alices, action):
    bob = as_(raw, BOB)
    guessed = secrets.token_urlsafe(12)
    _, call = ACTIONS[action]
    with pytest.raises(NotFoundError) as real:
        call(bob, alices, 1)
    with pytest.raises(NotFoundError) as fake:
        call(bob, guessed, 1)
    # same key, same parameter names: the answer does not tell an existing id from an invented one
    assert real.value.key == fake.value.key == "errors.store.not_found"
    assert set(real.value.params) == set(fake.value.params)
    assert raw.get(alices).meta.title == "Alice's review"  # untouched


@pytest.mark.parametrize("bad_id", ["", "../etc", "x" * 65, "a b", "'; drop table workshops; --"])
def test_malformed_ids_are_not_found_for_everyone(raw, bad_id):
    for who in (None, ALICE):
        with pytest.raises(NotFoundError):
            as_(raw, who).get(bad_id)


def test_listing_shows_only_what_the_user_may_see(raw, alices):
    bob = as_(raw, BOB)
    own = bob.create(WorkshopMeta(title="Bob's"))
    assert [w.id for w in bob.list()] == [own.id]
    assert [w.id for w in as_(raw, ALICE).list()] == [alices]
    assert {w.id for w in as_(raw, None).list()} == {alices, own.id}  # the local owner (CLI) sees all
    as_(raw, ALICE).set_member(alices, BOB, Role.VIEWER)
    assert {w.id for w in bob.list()} == {alices, own.id}
    assert [w.id for w in bob.list("alice")] == [alices]  # search still applies


def test_creator_becomes_owner_and_the_last_owner_cannot_leave(raw, alices):
    alice = as_(raw, ALICE)
    assert [(m.email, m.role) for m in alice.members(alices)] == [(ALICE, Role.OWNER)]
    with pytest.raises(ForbiddenError, match="last_owner"):
        alice.set_member(alices, ALICE, Role.EDITOR)
    with pytest.raises(ForbiddenError, match="last_owner"):
        alice.remove_member(alices, ALICE)
    alice.set_member(alices, "Bob@Example.com ", "owner")  # e-mails are normalised
    alice.remove_member(alices, ALICE)
    with pytest.raises(NotFoundError):
        alice.get(alices)  # she left: the workshop is gone from her view
    assert as_(raw, BOB).get(alices).meta.title == "Alice's review"


def test_member_management_validates_its_input(raw, alices):
    alice = as_(raw, ALICE)
    with pytest.raises(InputError, match="bad_email"):
        alice.set_member(alices, "not an address", Role.VIEWER)
    with pytest.raises(ValueError):
        alice.set_member(alices, BOB, "admin")
    with pytest.raises(InputError, match="not_a_member"):
        alice.remove_member(alices, BOB)
    with pytest.raises(InputError):
        Principal.user("")


def test_the_local_owner_may_do_everything_and_creates_unowned_workshops(raw):
    local = as_(raw, None)
    ws = local.create(WorkshopMeta(title="Laptop"))
    assert local.members(ws.id) == []
    assert as_(raw, ALICE).list() == []  # unowned: no signed-in user sees it until the local owner adds one
    local.set_member(ws.id, ALICE, Role.OWNER)
    assert [w.id for w in as_(raw, ALICE).list()] == [ws.id]
    local.delete(ws.id)
    with pytest.raises(NotFoundError):
        local.get(ws.id)


def test_every_refusal_is_translated_in_both_languages(raw, alices):
    as_(raw, ALICE).set_member(alices, BOB, Role.VIEWER)
    errors: list[WorkbenchError] = []
    for call in (lambda: as_(raw, BOB).delete(alices), lambda: as_(raw, BOB).put_artefact(alices, 2, "chain", "c", {}),
                 lambda: as_(raw, ALICE).remove_member(alices, ALICE)):
        with pytest.raises(WorkbenchError) as info:
            call()
        errors.append(info.value)
    for exc in errors:
        for lang in ("en", "zh-CN"):
            text = exc.translate(lang)
            assert text and "errors." not in text and "{" not in text


def test_a_database_from_before_sign_in_upgrades_to_unowned_workshops(tmp_path):
    """Migration 0003 on a database written before issue 16: every workshop is there for the local owner (the
    server's console) and for nobody who signs in, until the local owner gives it an owner."""
    import shutil

    from tests.conftest import ROOT
    from workbench.store import open_store

    path = tmp_path / "legacy.sqlite3"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "store" / "legacy-667889e.sqlite3", path)
    store = open_store(f"sqlite:///{path}")
    local, alice = as_(store, None), as_(store, ALICE)
    legacy = local.list()
    assert legacy and alice.list() == []
    local.set_member(legacy[0].id, ALICE, Role.OWNER)
    assert [w.id for w in alice.list()] == [legacy[0].id]
    assert alice.get(legacy[0].id).artefacts == local.get(legacy[0].id).artefacts
    store.engine.dispose()
