"""Schema migrations: a database written by the store before migrations existed opens and reads back whole.

The fixture ``tests/fixtures/store/legacy-667889e.sqlite3`` was written by the store as it was at commit
667889e (``create_all``, ISO text timestamps, JSON text documents) with ``make_legacy_db.py`` beside it,
which also recorded what that code read back (``legacy-667889e.expected.json``).  On PostgreSQL the same
rows are loaded into a database built by the baseline migration alone, then the store upgrades it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, insert, inspect, select, table, text

from tests.conftest import ROOT
from workbench.errors import StoreError
from workbench.store import open_store
from workbench.store.migrate import BASELINE, _config, current_revision, head_revision
from workbench.store.schema import metadata

FIXTURES = ROOT / "tests" / "fixtures" / "store"
LEGACY = FIXTURES / "legacy-667889e.sqlite3"
EXPECTED = json.loads((FIXTURES / "legacy-667889e.expected.json").read_text(encoding="utf-8"))


def _legacy_copy(tmp_path: Path) -> str:
    path = tmp_path / "legacy.sqlite3"
    shutil.copyfile(LEGACY, path)
    return f"sqlite:///{path}"


def _legacy_on_postgres(url: str) -> str:
    """The baseline schema on PostgreSQL, filled with the legacy file's rows exactly as they are stored."""
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as conn:
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))  # as create_all left it: no bookkeeping
    source = create_engine(f"sqlite:///{LEGACY}")
    with source.connect() as src, engine.begin() as dst:
        for name in ("workshops", "artefacts", "settings"):
            rows = [dict(r) for r in src.execute(text(f"SELECT * FROM {name}")).mappings()]
            dst.execute(insert(table(name, *[_col(c) for c in rows[0]])), rows)
    source.dispose()
    engine.dispose()
    return url


def _col(name: str):  # noqa: ANN202
    from sqlalchemy import column

    return column(name)


@pytest.fixture
def legacy_url(db_url: str, tmp_path: Path) -> str:
    return _legacy_copy(tmp_path) if db_url.startswith("sqlite") else _legacy_on_postgres(db_url)


def test_a_database_written_before_migrations_reads_back_whole(legacy_url):
    store = open_store(legacy_url)
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        # an upgraded database has exactly the schema of a new one
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata) == []
        assert {fk["options"].get("ondelete") for fk in inspect(conn).get_foreign_keys("artefacts")} == {"CASCADE"}
    assert {s.id for s in store.list()} == set(EXPECTED["workshops"])
    for ws_id, want in EXPECTED["workshops"].items():
        got = store.get(ws_id)
        assert got.meta.model_dump(mode="json") == want["meta"]
        assert got.version == want["version"]
        assert got.created_at == dt.datetime.fromisoformat(want["created_at"])
        assert got.updated_at == dt.datetime.fromisoformat(want["updated_at"])
        assert got.updated_at.tzinfo is not None
        assert sorted((a.model_dump(mode="json") for a in got.artefacts), key=lambda a: (a["kind"], a["id"])) == \
            sorted(want["artefacts"], key=lambda a: (a["kind"], a["id"]))
        assert [{"kind": d.kind, "id": d.id, "raw": d.raw} for d in got.damaged] == want["damaged"]
    assert store.get_setting("demo_seeded") == EXPECTED["settings"]["demo_seeded"]
    # and it keeps working: a write bumps the version and orders the list
    ws_id = next(iter(EXPECTED["workshops"]))
    v = store.put_artefact(ws_id, EXPECTED["workshops"][ws_id]["version"], "forecast", "after", {"ok": True})
    assert store.get(ws_id).version == v and store.list()[0].id == ws_id
    store.engine.dispose()


def test_upgrade_keeps_every_artefact_on_sqlite_with_foreign_keys(tmp_path):
    """Batch migrations copy tables: no cascade may delete artefacts while the workshops table is rebuilt."""
    url = _legacy_copy(tmp_path)
    before = create_engine(url)
    with before.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM artefacts")).scalar()
    before.dispose()
    store = open_store(url)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM artefacts")).scalar() == count > 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_fresh_database_matches_the_table_definitions(db_url):
    store = open_store(db_url)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        assert current_revision(conn) == head_revision()
        assert {"workshops", "artefacts", "settings", "alembic_version"} <= set(inspect(conn).get_table_names())
    store.engine.dispose()


def test_documents_are_jsonb_and_timestamps_are_timestamps_on_postgres(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL column types")
    store = open_store(db_url)
    with store.engine.connect() as conn:
        types = dict(conn.execute(text(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_name IN ('workshops', 'artefacts')")).all())
    assert types["artefacts.data"] == "jsonb"
    assert types["workshops.updated_at"] == types["artefacts.created_at"] == "timestamp with time zone"
    assert types["workshops.date"] == "date"
    store.engine.dispose()


def test_opening_twice_at_once_migrates_once(legacy_url):
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_store(legacy_url).engine.dispose()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    store = open_store(legacy_url)
    assert len(store.list()) == len(EXPECTED["workshops"])


def test_sqlite_downgrade_and_upgrade_round_trip(tmp_path):
    from alembic import command

    url = _legacy_copy(tmp_path)
    store = open_store(url)
    ws_id = next(iter(EXPECTED["workshops"]))
    before = store.get(ws_id)
    with store.engine.connect() as conn:
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            config = _config()
            config.attributes["connection"] = conn
            command.downgrade(config, BASELINE)
        stored = conn.execute(select(table("workshops", _col("created_at")))).scalars().all()
    assert all("T" in value and value.endswith("+00:00") for value in stored)  # the old ISO text again
    store.engine.dispose()
    again = open_store(url)
    assert again.get(ws_id) == before


def test_a_database_from_a_newer_version_is_refused_with_a_message(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    open_store(url).engine.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError) as info:
        open_store(url)
    assert info.value.key == "errors.store.newer_schema" and info.value.params["revision"] == "9999"
