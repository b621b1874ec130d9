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
