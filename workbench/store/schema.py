"""Table definitions (SQLAlchemy Core), as they stand after the newest migration (``migrations/versions``).

Documents are JSON (``JSONB`` on PostgreSQL), timestamps are UTC timestamps, the engagement date is a
date.  Changing a table means adding a migration: the store upgrades every database it opens to the
head revision (:mod:`workbench.store.migrate`), and a test checks that the migrations and this file agree.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, MetaData, String, Table, Text

from workbench.store.types import Document, UTCDateTime

metadata = MetaData()

workshops = Table(
    "workshops",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer", String(200), nullable=False, default=""),
    Column("title", String(200), nullable=False),
    Column("advisor", String(200), nullable=False, default=""),
    Column("date", Date, nullable=False),
    Column("notes", Text, nullable=False, default=""),
    Column("language", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

artefacts = Table(
    "artefacts",
    metadata,
    Column("workshop_id", String(32), ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("artefact_id", String(64), primary_key=True),
    Column("schema_version", Integer, nullable=False),
    Column("data", Document, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# ---- identity: who may see a workshop, read-only links for customers, and who changed what ----------------
# Added by issue 16 (migration 0003).  Times are real timestamps (UTC); e-mail addresses are stored lower-case.

workshop_members = Table(
    "workshop_members",
    metadata,
    Column("workshop_id", String(32), ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("email", String(320), primary_key=True, index=True),
    Column("role", String(16), nullable=False),
    Column("added_by", String(320), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
)

share_links = Table(
    "share_links",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("workshop_id", String(32), ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    # SHA-256 of the token: the database never holds a usable link (a leaked backup opens nothing)
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", String(320), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

# No foreign key: the trail of a deleted workshop outlives it (who deleted it, and when).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(32), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(320), nullable=False),
    Column("action", String(16), nullable=False),
    Column("kind", String(32), nullable=False, default=""),
    Column("artefact_id", String(64), nullable=False, default=""),
    Column("detail", String(320), nullable=False, default=""),
    Column("version", Integer, nullable=False),
)
