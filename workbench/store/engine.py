"""Engine creation: the database URL from the environment, SQLite tuned for safe concurrent use.

SQLite runs in WAL mode (readers never block the writer, a killed process never corrupts the file)
and every transaction starts with ``BEGIN IMMEDIATE`` so two tabs writing at once serialise instead
of failing half-way (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL" for
pysqlite).  Any other URL (``postgresql+psycopg://…``) is used as it is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

ENV_VAR = "WORKBENCH_DATABASE_URL"
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "workbench.sqlite3"


def database_url() -> str:
    """The URL from ``WORKBENCH_DATABASE_URL``, or a SQLite file in the git-ignored ``data/`` folder."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_PATH}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`), with SQLite pragmas and BEGIN IMMEDIATE."""
    url = url or database_url()
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
