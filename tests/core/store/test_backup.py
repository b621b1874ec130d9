"""``workbench backup`` / ``restore``: consistent copies while writers run, checked restores, clear refusals."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.core.store.test_migrations import EXPECTED, LEGACY
from workbench.cli.main import app
from workbench.errors import StoreError
from workbench.store import open_store
from workbench.store.backup import backup, restore
from workbench.store.migrate import head_revision
from workbench.workshop.models import WorkshopMeta

runner = CliRunner()


def _doc(i: int) -> dict:
    payload = f"数据 {i} " * 200
    return {"seq": i, "payload": payload, "sha": hashlib.sha256(payload.encode()).hexdigest()}


def _fill(url: str, n: int = 3) -> list[str]:
    store = open_store(url)
    ids = []
    for i in range(n):
        ws = store.create(WorkshopMeta(title=f"W{i} 工作坊"))
        store.put_artefact(ws.id, ws.version, "dataset", "d", _doc(i))
        ids.append(ws.id)
    store.engine.dispose()
    return ids


def test_backup_while_writers_run_is_consistent_and_restores(tmp_path, isolated_database):
    ids = _fill(isolated_database)
    store = open_store()
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        version, i = store.version(ids[0]), 0
        while not stop.is_set():
            version = store.put_artefact(ids[0], version, "dataset", f"d{i % 5}", _doc(i))
            written.append(version)
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        reports = [backup(tmp_path / f"b{k}.sqlite3") for k in range(3)]
    finally:
        stop.set()
        thread.join()
    for report in reports:
        assert report.workshops == 3 and report.revision == head_revision()
        assert not Path(f"{report.path}-wal").exists()  # self-contained
        copy = open_store(f"sqlite:///{report.path}")
        for ws_id in ids:
            for art in copy.get(ws_id).artefacts:  # every document whole: a snapshot, not a torn read
                assert hashlib.sha256(art.data["payload"].encode()).hexdigest() == art.data["sha"]
        copy.engine.dispose()
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restored = restore(Path(reports[-1].path), target)
    assert restored.workshops == 3 and restored.kept_previous is None
    assert open_store(target).get(ids[1]).artefact("dataset", "d").data == _doc(1)


def test_backup_refuses_to_overwrite_without_force(tmp_path, isolated_database):
    _fill(isolated_database, 1)
    out = tmp_path / "b.sqlite3"
    out.write_text("precious", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        backup(out)
    assert info.value.key == "errors.backup.exists" and out.read_text(encoding="utf-8") == "precious"
    assert backup(out, force=True).workshops == 1


def test_restore_refuses_a_store_with_workshops_unless_forced_and_keeps_what_it_replaces(tmp_path, isolated_database):
    old = _fill(isolated_database, 2)
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    new = _fill(other, 1)
    out = tmp_path / "other-backup.sqlite3"
    backup(out, other)
    running = open_store()  # the app, running while the restore happens
    with pytest.raises(StoreError) as info:
        restore(out)
    assert info.value.key == "errors.backup.target_not_empty" and info.value.params["workshops"] == 2
    assert {s.id for s in running.list()} == set(old)  # untouched
    report = restore(out, force=True)
    assert report.workshops == 1 and report.kept_previous
    assert {s.id for s in running.list()} == set(new)  # the running store reads the restored content ...
    ws = running.get(new[0])
    running.update_meta(ws.id, ws.version, WorkshopMeta(title="written after restore"))  # ... and writes it
    assert open_store().get(new[0]).meta.title == "written after restore"
    kept = open_store(f"sqlite:///{report.kept_previous}")
    assert {s.id for s in kept.list()} == set(old)


def test_restore_checks_the_backup_first(tmp_path, isolated_database):
    ids = _fill(isolated_database, 1)
    good = tmp_path / "good.sqlite3"
    backup(good)
    cases = {}
    cases["not_a_database"] = tmp_path / "text.sqlite3"
    cases["not_a_database"].write_text("not a database at all", encoding="utf-8")
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    with sqlite3.connect(good) as conn:  # overwrite the workshops table's root page
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'workshops'").fetchone()[0]
    conn.close()
    data[(root - 1) * 4096: root * 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    cases["damaged"] = damaged
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    cases["not_a_workbench_database"] = foreign
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(good, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    for key, path in cases.items():
        with pytest.raises(StoreError) as info:
            restore(path, force=True)
        assert info.value.key in (f"errors.backup.{key}", "errors.backup.not_a_database"), (key, info.value.key)
    with pytest.raises(StoreError) as info:
        restore(newer, force=True)
    assert info.value.key == "errors.store.newer_schema"
    with pytest.raises(StoreError) as info:
        restore(tmp_path / "absent.sqlite3")
    assert info.value.key == "errors.backup.no_backup"
    assert [s.id for s in open_store().list()] == ids  # none of it touched the store


def test_a_backup_from_before_migrations_is_restored_and_upgraded(tmp_path):
    target = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    old = tmp_path / "legacy.sqlite3"  # a copy: reading a WAL-mode file leaves -wal/-shm beside it
    shutil.copyfile(LEGACY, old)
    report = restore(old, target)
    assert report.workshops == len(EXPECTED["workshops"]) and report.revision == head_revision()
    store = open_store(target)
    for ws_id, want in EXPECTED["workshops"].items():
        assert store.get(ws_id).meta.title == want["meta"]["title"]


def test_cli_backup_and_restore(tmp_path, isolated_database):
    ids = _fill(isolated_database, 2)
    out = tmp_path / "cli.sqlite3"
    result = runner.invoke(app, ["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert "Backed up 2 workshops" in result.output
    again = runner.invoke(app, ["backup", str(out), "--lang", "zh"])
    assert again.exit_code == 2 and "--force" in again.output and "Traceback" not in again.output
    refused = runner.invoke(app, ["restore", str(out)])
    assert refused.exit_code == 2 and "--force" in refused.output
    done = runner.invoke(app, ["restore", str(out), "--force"])
    assert done.exit_code == 0, done.output
    assert "Restored 2 workshops" in done.output and "kept in" in done.output
    assert {s.id for s in open_store().list()} == set(ids)


def test_cli_on_postgresql_points_to_pg_dump(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", "postgresql+psycopg://nobody@/none")
    result = runner.invoke(app, ["backup", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 2 and "pg_dump" in result.output
