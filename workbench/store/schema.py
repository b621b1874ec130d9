"""Table definitions (SQLAlchemy Core).  Documents are JSON text: portable, diffable, never pickle."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

workshops = Table(
    "workshops",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer", String(200), nullable=False, default=""),
    Column("title", String(200), nullable=False),
    Column("advisor", String(200), nullable=False, default=""),
    Column("date", String(10), nullable=False),
    Column("notes", Text, nullable=False, default=""),
    Column("language", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

artefacts = Table(
    "artefacts",
    metadata,
    Column("workshop_id", String(32), ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("artefact_id", String(64), primary_key=True),
    Column("schema_version", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
