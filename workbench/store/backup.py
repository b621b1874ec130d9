"""Backups of a SQLite store, taken and restored while the app runs (SQLite's online backup API).

``backup`` copies the live database page by page through ``sqlite3.Connection.backup`` (the C API
``sqlite3_backup_*``, https://www.sqlite.org/backup.html): the copy is one consistent snapshot even
while other processes write (WAL content included), then it is made a self-contained file (rollback
journal, no ``-wal``), checked with ``PRAGMA integrity_check`` and moved into place atomically.

``restore`` checks the backup first (a SQLite file, intact, a workbench schema this version can read),
refuses to replace a database that holds workshops unless forced, keeps a copy of what it replaces, and
writes the backup *into* the database with the same API, so a running app sees the restored content at its
next read instead of holding a deleted file; the store then upgrades it to the current schema.

PostgreSQL is backed up with its own tools (``pg_dump`` / ``pg_restore``, see docs/backup.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

from pydantic import BaseModel

from workbench.errors import StoreError
from workbench.store.engine import database_url, sqlite_path
from workbench.store.migrate import _known_revisions, head_revision

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupReport(BaseModel):
    """What a backup or a restore wrote: the file, how many workshops, the schema revision."""

    path: str
    workshops: int
    revision: str | None
    kept_previous: str | None = None


def _sqlite_file(url: str | None) -> Path:
    url = url or database_url()
    path = sqlite_path(url)
    if path is None:
        raise StoreError("errors.backup.not_sqlite_store")
    return path


def _inspect(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """Integrity, and (workshop count, schema revision) of a workbench database; StoreError otherwise."""
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError("errors.backup.not_a_database", detail=str(exc)[:120]) from exc
    if verdict != "ok":
        raise StoreError("errors.backup.damaged", detail=str(verdict)[:120])
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "workshops" not in tables:
        raise StoreError("errors.backup.not_a_workbench_database")
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
        if "alembic_version" in tables else None  # None: written before migrations (baseline schema)
    if revision is not None and revision not in _known_revisions():
        raise StoreError("errors.store.newer_schema", revision=revision, head=head_revision())
    count = conn.execute("SELECT count(*) FROM workshops").fetchone()[0]
    return int(count), revision


def backup(out: Path, url: str | None = None, *, force: bool = False) -> BackupReport:
    """Write a consistent copy of the SQLite store at ``url`` to ``out`` (refused if ``out`` exists, unless forced)."""
    source = _sqlite_file(url)
    if not source.is_file():
        raise StoreError("errors.backup.no_database", path=str(source))
    out = Path(out)
    if out.exists() and not force:
        raise StoreError("errors.backup.exists", path=str(out))
    if source.resolve() == out.resolve():
        raise StoreError("errors.backup.same_file")
    out.parent.mkdir(parents=True, exist_ok=True)
    count, revision = _snapshot(source, out, check=True)
    return BackupReport(path=str(out), workshops=count, revision=revision)


def _snapshot(source: Path, out: Path, *, check: bool) -> tuple[int, str | None]:
    """Copy ``source`` to ``out`` consistently (online backup API), optionally checking the copy first."""
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    count, revision = 0, None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as src, \
                contextlib.closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            if check:
                count, revision = _inspect(dst)
        os.replace(partial, out)
    except sqlite3.Error as exc:
        raise StoreError("errors.backup.failed", detail=f"{type(exc).__name__}: {exc}"[:160]) from exc
    finally:
        partial.unlink(missing_ok=True)
    return count, revision


def restore(backup_file: Path, url: str | None = None, *, force: bool = False) -> BackupReport:
    """Replace the SQLite store's content with ``backup_file`` after checking it; see the module docstring."""
    from workbench.store.repository import open_store

    target = _sqlite_file(url)
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise StoreError("errors.backup.no_backup", path=str(backup_file))
    with backup_file.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise StoreError("errors.backup.not_a_database", detail="no SQLite header")
    with contextlib.closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as src:
        _inspect(src)
        kept: str | None = None
        if target.exists():
            with contextlib.closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=30)) as current:
                try:
                    existing, _ = _inspect(current)
                except StoreError:
                    existing = -1  # unreadable or not ours: still only replaced when forced
            if existing != 0 and not force:
                raise StoreError("errors.backup.target_not_empty", path=str(target), workshops=max(existing, 0))
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = str(target.with_name(f"{target.name}.before-restore-{stamp}"))
            try:  # what is replaced is kept, not lost
                _snapshot(target, Path(kept), check=False)
            except StoreError:
                shutil.copyfile(target, kept)  # not even a SQLite file: keep its bytes
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with contextlib.closing(sqlite3.connect(target, timeout=30)) as dst:
                src.backup(dst)
        except sqlite3.Error as exc:
            raise StoreError("errors.backup.failed", detail=f"{type(exc).__name__}: {exc}"[:160]) from exc
    store = open_store(f"sqlite:///{target}")  # upgrades an older backup to the current schema
    try:
        count = len(store.list())
    finally:
        store.engine.dispose()
    return BackupReport(path=str(target), workshops=count, revision=head_revision(), kept_previous=kept)
