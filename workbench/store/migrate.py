"""Bring a database to the newest schema when the store opens it: ``alembic upgrade head``, automatically.

Nobody has to remember a migration command: :func:`upgrade` runs on every :func:`open_store`.  It costs one
small query when the database is already at head.  Otherwise it takes the write lock first
(``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped advisory lock on PostgreSQL), looks again, and
migrates inside that one transaction, so two processes starting at once migrate once, one after the other.

A database created before migrations existed (tables made by ``create_all``, no ``alembic_version``) is
stamped at the baseline ``0001``, which reproduces that schema exactly, and upgraded from there.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from workbench.errors import StoreError
from workbench.store.engine import READ_ONLY

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# Any constant works: it only has to be the same for every process migrating this database.
_PG_LOCK_KEY = 0x57_4F_52_4B  # "WORK"


def _config():  # type: ignore[no-untyped-def]  # alembic.config.Config, imported lazily (slow import)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision shipped with this version of the workbench."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision a database is at (None: no ``alembic_version`` table, i.e. new or pre-migration)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Migrate the database behind ``engine`` to :func:`head_revision` (a no-op when it is there)."""
    head = head_revision()
    with engine.connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        current = current_revision(conn)
        conn.rollback()
    if current == head:
        return
    known = _known_revisions()
    if current is not None and current not in known:
        # written by a newer workbench: never downgrade or guess, say so
        raise StoreError("errors.store.newer_schema", revision=current, head=head)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy tables; with foreign keys on, dropping the old workshops table would
            # cascade-delete every artefact.  The pragma only works outside a transaction, hence here.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                _upgrade_locked(conn, head)
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _upgrade_locked(conn: Connection, head: str) -> None:
    from alembic import command

    current = current_revision(conn)  # again, now under the lock: another process may have done it
    if current == head:
        return
    config = _config()
    config.attributes["connection"] = conn
    if current is None and inspect(conn).has_table("workshops"):
        command.stamp(config, BASELINE)  # created by create_all before migrations existed
    command.upgrade(config, "head")


@lru_cache(maxsize=1)
def _known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions())
