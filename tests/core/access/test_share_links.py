"""Read-only share links: view one workshop without signing in, nothing else; revocable; never stored in clear."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from workbench.access import AccessStore, Principal, principal_for_share
from workbench.errors import ForbiddenError, NotFoundError
from workbench.workshop.models import WorkshopMeta

ALICE = "alice@example.com"


@pytest.fixture
def setup(raw):
    alice = AccessStore(raw, Principal.user(ALICE))
    shared = alice.create(WorkshopMeta(title="Shared with the customer"))
    other = alice.create(WorkshopMeta(title="Internal"))
    link, token = alice.create_share_link(shared.id)
    return raw, alice, shared.id, other.id, link, token


def test_a_link_views_its_workshop_only(setup):
    raw, _, shared, other, _, token = setup
    principal = principal_for_share(raw, token)
    assert principal is not None
    customer = AccessStore(raw, principal)
    assert customer.get(shared).meta.title == "Shared with the customer"
    assert [w.id for w in customer.list()] == [shared]
    with pytest.raises(NotFoundError):
        customer.get(other)


@pytest.mark.parametrize("write", [
    lambda s, w: s.put_artefact(w, 1, "chain", "chain", {}),
    lambda s, w: s.update_meta(w, 1, WorkshopMeta(title="x")),
    lambda s, w: s.delete(w),
    lambda s, w: s.create(WorkshopMeta(title="new")),
    lambda s, w: s.duplicate(w),
    lambda s, w: s.history(w),  # the trail names colleagues: not for customers
    lambda s, w: s.create_share_link(w),
])
def test_a_link_changes_nothing(setup, write):
    raw, _, shared, _, _, token = setup
    customer = AccessStore(raw, principal_for_share(raw, token))
    with pytest.raises(ForbiddenError):
        write(customer, shared)
    assert raw.version(shared) == 1


def test_revoked_and_wrong_tokens_open_nothing(setup):
    raw, alice, shared, _, link, token = setup
    assert principal_for_share(raw, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert principal_for_share(raw, "") is None
    assert principal_for_share(raw, "x" * 10_000) is None
    alice.revoke_share_link(shared, link.id)
    assert principal_for_share(raw, token) is None
    assert [(s.id, s.active) for s in alice.share_links(shared)] == [(link.id, False)]
    with pytest.raises(NotFoundError):
        alice.revoke_share_link(shared, link.id)  # already revoked


def test_tokens_are_unguessable_and_not_stored_in_clear(setup):
    raw, alice, shared, _, _, token = setup
    _, second = alice.create_share_link(shared)
    assert token != second and len(token) >= 32
    with raw.engine.connect() as conn:
        dump = "\n".join(str(row) for row in conn.execute(text("SELECT * FROM share_links")))
    assert token not in dump and second not in dump


def test_deleting_the_workshop_kills_its_links(setup):
    raw, alice, shared, _, _, token = setup
    alice.delete(shared)
    assert principal_for_share(raw, token) is None
