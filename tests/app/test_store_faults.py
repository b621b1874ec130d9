"""Saving never fails silently: the database deleted, then locked read-only, under a running app (issue 16).

The app runs on a SQLite file; the test removes the file (and its WAL) while the store is open, renames the
workshop, and expects a visible translated error, the typed title still in the field, no "Saved" toast, and
no write acknowledged into the unlinked file.  Then the same with the file made read-only (``chmod a-w``,
refused even for root), and "Save again" once it is writable: the edit lands.  Every write the store
acknowledged is read back from a fresh store on the same path.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from workbench.errors import StoreError
from workbench.i18n import t
from workbench.store import open_store
from workbench.store.engine import sqlite_path
from workbench.workshop.models import WorkshopMeta


def _db(url: str) -> Path:
    path = sqlite_path(url)
    assert path is not None
    return path


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _toasts(at) -> list[str]:
    return [e.value for e in at.toast]


def _expected(key: str) -> str:
    return t(key, "en").split(".")[0]  # the first sentence ("Not saved: ...")


def test_deleted_database_refuses_saves_visibly_and_keeps_the_input(app, isolated_database, tmp_path):
    path = _db(isolated_database)
    ws = open_store().create(WorkshopMeta(title="Before the fault"))
    at = app(lang="en", workshop=ws.id).run()
    assert not at.exception
    at.text_input(key=f"ws_{ws.id}_title").set_value("Acknowledged rename").run()
    assert "Saved" in _toasts(at)  # acknowledged ...
    backup = tmp_path / "kept.sqlite3"
    shutil.copyfile(path, backup)  # (WAL included below) ... so we can check it was really written
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            shutil.copyfile(f"{path}{suffix}", f"{backup}{suffix}")
            os.remove(f"{path}{suffix}")

    at.text_input(key=f"ws_{ws.id}_title").set_value("Typed after the file was deleted").run()
    assert not at.exception
    assert any(_expected("errors.store.file_gone") in e for e in _errors(at)), _errors(at)
    assert "Saved" not in _toasts(at)
    assert at.text_input(key=f"ws_{ws.id}_title").value == "Typed after the file was deleted"  # kept to retry
    assert any("Not saved yet: Title" in w.value for w in at.warning)
    assert not path.exists()  # no fresh empty database was created where the old one was

    # the acknowledged rename is in the file that was deleted: nothing acknowledged was lost, nothing refused landed
    assert open_store(f"sqlite:///{backup}").get(ws.id).meta.title == "Acknowledged rename"


def test_read_only_database_refuses_saves_visibly_then_save_again_lands(app, isolated_database):
    path = _db(isolated_database)
    ws = open_store().create(WorkshopMeta(title="Before the lock"))
    at = app(lang="en", workshop=ws.id).run()
    mode = path.stat().st_mode
    os.chmod(path, mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        at.text_input(key=f"ws_{ws.id}_title").set_value("Typed while locked").run()
        assert not at.exception
        assert any(_expected("errors.store.read_only") in e for e in _errors(at)), _errors(at)
        assert "Saved" not in _toasts(at)
        assert at.text_input(key=f"ws_{ws.id}_title").value == "Typed while locked"
        assert open_store().get(ws.id).meta.title == "Before the lock"  # refused, so not written
    finally:
        os.chmod(path, mode)
    at.button(key="save_again").click().run()
    assert not at.exception and not _errors(at)
    assert "Saved" in _toasts(at)
    assert open_store().get(ws.id).meta.title == "Typed while locked"
    assert not any("Not saved yet" in w.value for w in at.warning)


def test_store_refuses_writes_into_a_deleted_or_replaced_file(isolated_database, tmp_path):
    path = _db(isolated_database)
    store = open_store()
    ws = store.create(WorkshopMeta(title="x"))
    acknowledged = [store.update_meta(ws.id, ws.version, WorkshopMeta(title="v2"))]
    os.rename(path, tmp_path / "moved.sqlite3")
    with pytest.raises(StoreError) as info:
        store.update_meta(ws.id, acknowledged[-1], WorkshopMeta(title="lost?"))
    assert info.value.key == "errors.store.file_gone"
    store.engine.pool.dispose()  # a new connection must not create an empty database where the file was
    with pytest.raises(StoreError) as info:
        store.get(ws.id)
    assert info.value.key == "errors.store.file_gone" and not path.exists()
    os.rename(tmp_path / "moved.sqlite3", path)  # put back: the same file, writes go on
    acknowledged.append(store.update_meta(ws.id, acknowledged[-1], WorkshopMeta(title="v3")))
    shutil.copyfile(path, tmp_path / "copy.sqlite3")
    os.replace(tmp_path / "copy.sqlite3", path)  # another file under the same name
    with pytest.raises(StoreError) as info:
        store.put_artefact(ws.id, acknowledged[-1], "forecast", "f", {"peak": 1.0})
    assert info.value.key == "errors.store.file_replaced"
    store.engine.dispose()
    fresh = open_store()
    assert fresh.version(ws.id) == acknowledged[-1] and fresh.get(ws.id).meta.title == "v3"


def test_create_refused_by_a_read_only_database_keeps_the_form(app, isolated_database):
    path = _db(isolated_database)
    at = app(lang="en").run()  # seeds the demo, so the file exists
    mode = path.stat().st_mode
    os.chmod(path, mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        at.text_input(key="create_title").input("Typed while locked")
        at.text_input(key="create_customer").input("ACME")
        at.button(key="FormSubmitter:create_workshop-Create workshop").click().run()
        assert not at.exception
        assert any(_expected("errors.store.read_only") in e for e in _errors(at)), _errors(at)
        assert at.text_input(key="create_title").value == "Typed while locked"
        assert at.text_input(key="create_customer").value == "ACME"
    finally:
        os.chmod(path, mode)
    at.button(key="FormSubmitter:create_workshop-Create workshop").click().run()
    assert not at.exception and not _errors(at)
    assert any(s.title == "Typed while locked" for s in open_store().list())
    assert at.text_input(key="create_title").value == ""  # cleared once created


def test_delete_then_lock_under_a_running_app_loses_no_acknowledged_write(app, isolated_database, tmp_path):
    """The issue's sequence on one running app: the file goes away, comes back, is locked, is unlocked.

    Each rename the app acknowledged ("Saved") must be in the database at the end; each it refused must not be.
    """
    path = _db(isolated_database)
    ws = open_store().create(WorkshopMeta(title="start"))
    at = app(lang="en", workshop=ws.id).run()
    acknowledged: list[str] = []
    refused: list[str] = []

    def rename(value: str) -> None:
        nonlocal at
        at = at.text_input(key=f"ws_{ws.id}_title").set_value(value).run()
        assert not at.exception
        saved, errors = "Saved" in _toasts(at), _errors(at)
        assert saved != bool(errors), (saved, errors)  # exactly one of: acknowledged, or a visible error
        (acknowledged if saved else refused).append(value)

    rename("one")
    aside = tmp_path / "aside.sqlite3"
    os.rename(path, aside)  # deleted from under the app (kept aside, with its WAL beside the old name)
    rename("two (file gone)")
    os.rename(aside, path)  # an operator puts it back
    at.button(key="save_again").click().run()  # retries "two": now it lands
    assert "Saved" in _toasts(at) and not _errors(at)
    acknowledged.append(refused.pop())
    mode = path.stat().st_mode
    os.chmod(path, mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        rename("three (locked)")
    finally:
        os.chmod(path, mode)
    rename("four")
    assert acknowledged == ["one", "two (file gone)", "four"] and refused == ["three (locked)"]
    fresh = open_store(f"sqlite:///{path}")
    assert fresh.get(ws.id).meta.title == acknowledged[-1]
    assert fresh.version(ws.id) == 1 + len(acknowledged)  # every acknowledged write, and nothing refused, landed
