"""The workshop store: CRUD, optimistic locking, search, duplicates, settings; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from workbench.errors import NotFoundError, StaleWriteError, StoreError
from workbench.store import open_store
from workbench.workshop.models import ArtefactKind, WorkshopMeta


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.engine.dispose()


def meta(title: str = "Review", **kw):
    return WorkshopMeta(title=title, **kw)


def test_create_get_list(store):
    ws = store.create(meta("Peak review", customer="ACME 电商", advisor="Li"))
    assert ws.version == 1 and len(ws.id) == 16
    again = store.get(ws.id)
    assert again.meta.customer == "ACME 电商"
    assert [s.id for s in store.list()] == [ws.id]


def test_ids_are_random_not_sequential(store):
    ids = {store.create(meta(f"w{i}")).id for i in range(20)}
    assert len(ids) == 20
    assert not any(i.isdigit() for i in ids)


def test_search_matches_customer_title_advisor_case_insensitive(store):
    store.create(meta("Double 11 readiness", customer="Shop"))
    store.create(meta("DR drill", customer="Bank", advisor="Wang"))
    assert [s.title for s in store.list("double")] == ["Double 11 readiness"]
    assert [s.title for s in store.list("BANK")] == ["DR drill"]
    assert [s.title for s in store.list("wang")] == ["DR drill"]
    assert store.list("nothing-like-this") == []


def test_stale_write_is_refused_and_nothing_changes(store):
    ws = store.create(meta("Original"))
    v2 = store.update_meta(ws.id, ws.version, meta("Tab A"))
    assert v2 == 2
    with pytest.raises(StaleWriteError) as info:
        store.update_meta(ws.id, ws.version, meta("Tab B, based on version 1"))
    assert info.value.params == {"expected": 1, "current": 2}
    assert store.get(ws.id).meta.title == "Tab A"
    with pytest.raises(StaleWriteError):
        store.put_artefact(ws.id, 1, ArtefactKind.FORECAST, "base", {"peak": 1.0})
    assert store.get(ws.id).artefacts == []


def test_artefacts_insert_replace_delete(store):
    ws = store.create(meta())
    v = store.put_artefact(ws.id, ws.version, "forecast", "base", {"peak": 1200.5, "label": "基线"})
    v = store.put_artefact(ws.id, v, "forecast", "base", {"peak": 1300.0, "label": "基线"}, schema_version=2)
    got = store.get(ws.id).artefact("forecast", "base")
    assert got is not None and got.data["peak"] == pytest.approx(1300.0) and got.schema_version == 2
    assert got.created_at <= got.updated_at
    v = store.delete_artefact(ws.id, v, "forecast", "base")
    assert store.get(ws.id).artefacts == [] and store.version(ws.id) == v


def test_nan_is_refused_with_a_message(store):
    ws = store.create(meta())
    with pytest.raises(StoreError) as info:
        store.put_artefact(ws.id, ws.version, "forecast", "x", {"peak": math.nan})
    assert info.value.key == "errors.store.not_serialisable"


def test_bad_artefact_id_is_refused(store):
    ws = store.create(meta())
    with pytest.raises(StoreError):
        store.put_artefact(ws.id, ws.version, "forecast", "../../etc/passwd", {})


def test_duplicate_copies_artefacts_under_a_new_id(store):
    ws = store.create(meta("Original", notes="多行\n备注"))
    store.put_artefact(ws.id, ws.version, "architecture", "v1", {"yaml": "a: 1"})
    copy = store.duplicate(ws.id, "Original (copy)")
    assert copy.id != ws.id and copy.meta.title == "Original (copy)" and copy.meta.notes == "多行\n备注"
    assert copy.artefact("architecture", "v1").data == {"yaml": "a: 1"}


def test_delete_removes_everything(store):
    ws = store.create(meta())
    store.put_artefact(ws.id, ws.version, "sizing", "s1", {"n": 3})
    store.delete(ws.id)
    with pytest.raises(NotFoundError):
        store.get(ws.id)
    with pytest.raises(NotFoundError):
        store.delete(ws.id)


def test_unknown_and_malformed_ids_read_as_not_found(store):
    for bad in ("", "nope", "'; drop table workshops; --", "x" * 500):
        with pytest.raises(NotFoundError):
            store.get(bad)


def test_settings_roundtrip(store):
    assert store.get_setting("k") is None
    store.set_setting("k", "v1")
    store.set_setting("k", "v2")
    assert store.get_setting("k") == "v2"


def test_sqlite_runs_in_wal_mode(store):
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_meta_validation_limits():
    with pytest.raises(ValueError):
        WorkshopMeta(title="")
    with pytest.raises(ValueError):
        WorkshopMeta(title="x", language="fr")
    assert WorkshopMeta(title="  padded  ").title == "padded"
    assert isinstance(WorkshopMeta(title="t").date, dt.date)


def test_unreachable_database_is_a_message():
    with pytest.raises(StoreError) as info:
        open_store("sqlite:////nonexistent-dir/\0/x.db")
    assert info.value.key == "errors.store.cannot_open"


def race_eight_writers(store) -> list[str]:
    """Eight tabs save the same workshop at once, all based on version 1: the outcomes ('ok' / 'stale')."""
    import threading

    ws = store.create(meta("race"))
    outcomes: list[str] = []

    def write(label: str) -> None:
        try:
            store.update_meta(ws.id, ws.version, meta(label))
            outcomes.append("ok")
        except StaleWriteError:
            outcomes.append("stale")

    threads = [threading.Thread(target=write, args=(f"tab {i}",)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert store.version(ws.id) == 2
    return sorted(outcomes)


def test_concurrent_writers_serialise_and_exactly_one_wins(store):
    assert race_eight_writers(store) == ["ok"] + ["stale"] * 7
