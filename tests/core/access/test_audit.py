"""The audit trail: every write says who, what and when; refused writes leave no line; export keeps it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbench.access import AccessStore, Principal
from workbench.errors import InputError, StaleWriteError
from workbench.store.models import AuditAction, Role
from workbench.workshop.exchange import export_workshop, import_workshop, parse_workshop_bundle
from workbench.workshop.models import WorkshopMeta

ALICE, BOB = "alice@example.com", "bob@example.com"
DEMO_V1 = Path(__file__).resolve().parents[3] / "sample_data" / "demo_workshop.en.json"


def test_every_write_records_who_what_which_version(raw):
    alice = AccessStore(raw, Principal.user(ALICE))
    ws = alice.create(WorkshopMeta(title="Trail"))
    alice.set_member(ws.id, BOB, Role.EDITOR)
    bob = AccessStore(raw, Principal.user(BOB))
    v = bob.put_artefact(ws.id, 1, "chain", "chain", {"quantile": "p95"})
    v = bob.update_meta(ws.id, v, WorkshopMeta(title="Trail 2"))
    v = alice.delete_artefact(ws.id, v, "chain", "chain")
    trail = alice.history(ws.id)
    got = [(e.actor, e.action, e.kind, e.artefact_id, e.version) for e in trail]
    assert got == [
        (ALICE, AuditAction.CREATE, "", "", 1),
        (ALICE, AuditAction.MEMBER, "", "", 1),  # the creator made owner
        (ALICE, AuditAction.MEMBER, "", "", 1),  # bob added
        (BOB, AuditAction.SAVE, "chain", "chain", 2),
        (BOB, AuditAction.EDIT, "", "", 3),
        (ALICE, AuditAction.DISCARD, "chain", "chain", 4),
    ]
    assert trail[2].detail == f"{BOB} editor"
    assert all(e.at.utcoffset() == dt.timedelta(0) for e in trail)  # aware UTC, whatever the backend returns
    assert [e.at for e in trail] == sorted(e.at for e in trail)


def test_refused_writes_leave_no_line(raw):
    alice = AccessStore(raw, Principal.user(ALICE))
    ws = alice.create(WorkshopMeta(title="Trail"))
    alice.put_artefact(ws.id, 1, "chain", "chain", {})
    n = len(alice.history(ws.id))
    with pytest.raises(StaleWriteError):
        alice.put_artefact(ws.id, 1, "chain", "chain", {"x": 1})  # based on an old version
    assert len(alice.history(ws.id)) == n


def test_the_local_user_is_named_local_and_deletion_is_recorded(raw):
    local = AccessStore(raw, Principal.local())
    ws = local.create(WorkshopMeta(title="Laptop"))
    local.delete(ws.id)
    from workbench.store import audit

    with raw.engine.connect() as conn:
        trail = audit.entries(conn, ws.id)
    assert [(e.actor, e.action) for e in trail] == [("local", AuditAction.CREATE), ("local", AuditAction.DELETE)]


def test_export_keeps_the_trail_and_import_continues_it(raw):
    alice = AccessStore(raw, Principal.user(ALICE))
    ws = alice.create(WorkshopMeta(title="Trail"))
    alice.put_artefact(ws.id, 1, "chain", "chain", {"quantile": "p95"})
    text = export_workshop(alice.get(ws.id), alice.history(ws.id))
    bob = AccessStore(raw, Principal.user(BOB))
    copy = import_workshop(bob, text)
    trail = bob.history(copy.id)
    assert [(e.actor, e.action) for e in trail[:3]] == [
        (ALICE, AuditAction.CREATE), (ALICE, AuditAction.MEMBER), (ALICE, AuditAction.SAVE)]
    assert [(e.actor, e.action) for e in trail[3:]] == [(BOB, AuditAction.IMPORT), (BOB, AuditAction.MEMBER)]
    assert trail[0].at == alice.history(ws.id)[0].at  # original times kept
    assert [m.email for m in bob.members(copy.id)] == [BOB]  # members are not exported: the importer owns it


def test_old_files_without_a_trail_still_import(raw):
    assert '"schema_version": 1' in DEMO_V1.read_text(encoding="utf-8")[:200]
    assert parse_workshop_bundle(DEMO_V1.read_bytes()).audit == []
    local = AccessStore(raw, Principal.local())
    ws = import_workshop(local, DEMO_V1.read_bytes())
    assert [e.action for e in local.history(ws.id)] == [AuditAction.IMPORT]


def test_a_file_from_a_newer_version_is_refused_with_a_message():
    text = DEMO_V1.read_text(encoding="utf-8").replace('"schema_version": 1,', '"schema_version": 3,', 1)
    with pytest.raises(InputError, match="unknown_version"):
        parse_workshop_bundle(text)
