"""The audit trail's rows: one per write, recorded inside the write's own transaction.

Recording in the same transaction as the change means the trail can neither miss a committed write nor
list one that was rolled back.  Rows carry no foreign key, so the trail of a deleted workshop remains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, insert, select

from workbench.store.models import AuditAction, AuditEntry
from workbench.store.schema import audit_log, workshops

#: Most entries one read returns (newest first): a trail is for reading, not for bulk export.
MAX_ENTRIES = 2_000


def utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive ones)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def record(conn: Connection, workshop_id: str, actor: str, action: AuditAction, version: int, *,
           kind: str = "", artefact_id: str = "", detail: str = "", at: dt.datetime | None = None) -> None:
    """Add one entry (call it inside the transaction that makes the change)."""
    conn.execute(insert(audit_log).values(
        workshop_id=workshop_id, at=at or dt.datetime.now(dt.UTC), actor=actor[:320], action=action.value,
        kind=kind[:32], artefact_id=artefact_id[:64], detail=detail[:320], version=version))


def record_many(conn: Connection, workshop_id: str, entries: Iterable[AuditEntry]) -> None:
    """Copy entries from elsewhere (an imported file's trail) under ``workshop_id``."""
    for e in entries:
        record(conn, workshop_id, e.actor, e.action, e.version, kind=e.kind, artefact_id=e.artefact_id,
               detail=e.detail, at=e.at)


def entries(conn: Connection, workshop_id: str, limit: int = MAX_ENTRIES) -> list[AuditEntry]:
    """The trail of one workshop, oldest first (the newest ``limit`` entries)."""
    rows = conn.execute(
        select(audit_log).where(audit_log.c.workshop_id == workshop_id)
        .order_by(audit_log.c.id.desc()).limit(limit)
    ).mappings().all()
    return [
        AuditEntry(at=utc(r["at"]), actor=r["actor"], action=AuditAction(r["action"]), kind=r["kind"],
                   artefact_id=r["artefact_id"], detail=r["detail"], version=r["version"])
        for r in reversed(rows)
    ]


def version_now(conn: Connection, workshop_id: str) -> int:
    """The workshop's current version, for entries that do not change it (members, links)."""
    return int(conn.execute(select(workshops.c.version).where(workshops.c.id == workshop_id)).scalar() or 0)
