"""Engine creation: the database URL from the environment, SQLite tuned for safe concurrent use.

SQLite runs in WAL mode (readers never block the writer, a killed process never corrupts the file).
Every write transaction starts with ``BEGIN IMMEDIATE`` so two tabs writing at once serialise instead
of failing half-way (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL" for
pysqlite); reads (connections marked with :data:`READ_ONLY`) use a plain deferred ``BEGIN``.

Saving must never fail silently (issue 16).  A SQLite file deleted or replaced under a running process
is not an error SQLite reports: the open connection keeps writing into the unlinked file, and the work
is gone on restart.  So a :class:`FileGuard` remembers which file (device, inode) the store opened and,
before every write transaction, checks that the path still names that file and that it may be written;
otherwise the write is refused with a :class:`~workbench.errors.StoreError` saying what happened.  New
connections never create a file that has disappeared.  Any other URL (``postgresql+psycopg://…``) is
used as it is.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from workbench.errors import StoreError

ENV_VAR = "WORKBENCH_DATABASE_URL"
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "workbench.sqlite3"
#: Execution option marking a connection that only reads (deferred BEGIN, no write checks).
READ_ONLY = "workbench_read_only"

_GUARDS: weakref.WeakKeyDictionary[Engine, FileGuard] = weakref.WeakKeyDictionary()


def database_url() -> str:
    """The URL from ``WORKBENCH_DATABASE_URL``, or a SQLite file in the git-ignored ``data/`` folder."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_PATH}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL (None for memory databases and other backends)."""
    if not url.startswith("sqlite:///") or url in ("sqlite:///:memory:", "sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


class FileGuard:
    """Which SQLite file a store opened, and whether the path still names it and may be written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity: tuple[int, int] | None = None

    def _stat(self) -> os.stat_result:
        try:
            return os.stat(self.path)
        except FileNotFoundError:
            raise StoreError("errors.store.file_gone") from None
        except OSError as exc:
            raise StoreError("errors.store.write_failed", detail=type(exc).__name__) from exc

    def remember(self) -> None:
        """Record the file's identity the first time it is opened."""
        if self.identity is None:
            info = os.stat(self.path)
            self.identity = (info.st_dev, info.st_ino)

    def check_same_file(self) -> os.stat_result:
        """The file's status; :class:`StoreError` when it is gone or another file now has its name."""
        info = self._stat()
        if self.identity is not None and (info.st_dev, info.st_ino) != self.identity:
            raise StoreError("errors.store.file_replaced")
        return info

    def check_writable(self) -> None:
        """Refuse before writing into a file that is gone, replaced or made read-only.

        Read-only means: no write permission bit at all, or no write access for this process.  The bits are
        checked as well as ``os.access`` because root may write anything: a file an operator locked with
        ``chmod a-w`` must not be written by a server that happens to run as root.
        """
        info = self.check_same_file()
        if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(self.path, os.W_OK):
            raise StoreError("errors.store.read_only")
        folder = self.path.parent
        folder_mode = os.stat(folder).st_mode
        if not folder_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(folder, os.W_OK):
            raise StoreError("errors.store.read_only")


def file_guard(engine: Engine) -> FileGuard | None:
    """The guard of a SQLite file engine (None for other backends)."""
    return _GUARDS.get(engine)


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`), with SQLite pragmas, BEGIN IMMEDIATE and a guard."""
    url = url or database_url()
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    path = sqlite_path(url)
    guard = FileGuard(path) if path is not None else None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)

        def connect() -> sqlite3.Connection:
            if guard is not None and guard.identity is not None:
                guard.check_same_file()  # never let a new connection create a fresh file where ours was
            connection = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
            if guard is not None:
                guard.remember()
            return connection

        engine = create_engine(url, creator=connect)
    else:
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    if guard is not None:
        _GUARDS[engine] = guard

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
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
            return
        if guard is not None:
            guard.check_writable()
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
