"""Documents as JSON (JSONB on PostgreSQL), timestamps as UTC timestamps, the date as a date.

Data conversion:
* timestamps: every ISO 8601 string is parsed (a naive one is taken as UTC, as the old code wrote UTC)
  and stored as a timestamp with time zone (PostgreSQL) or SQLAlchemy's UTC ``DATETIME`` text (SQLite);
* documents: valid JSON is kept as it is (PostgreSQL parses it into ``JSONB``).  A stored text that is not
  JSON PostgreSQL accepts (a damaged row, a NaN, a ``\\u0000``) is kept as a JSON *string* holding the
  original text, so the row survives, reads back as damaged and can still be downloaded (issue 9);
* the date: ``YYYY-MM-DD`` text becomes a ``DATE`` (same text on SQLite).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import sqlalchemy as sa
from alembic import op

from workbench.store.types import Document, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIMESTAMPS = {"workshops": ("id",), "artefacts": ("workshop_id", "kind", "artefact_id")}


def _parse_old(value: Any) -> dt.datetime:
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _jsonb_safe(text: str) -> bool:
    """Whether PostgreSQL's jsonb input accepts ``text`` and gives back what Python wrote."""

    def no_constant(name: str) -> Any:
        raise ValueError(name)

    try:
        value = json.loads(text, parse_constant=no_constant)
    except (ValueError, RecursionError):
        return False
    return not _has_nul(value) and not (isinstance(value, float) and not math.isfinite(value))


def _convert_timestamps(bind: sa.Connection, new_type: sa.types.TypeEngine[Any]) -> None:
    """Rewrite every timestamp of both tables through ``new_type`` (parsing the old ISO text)."""
    for table_name, keys in TIMESTAMPS.items():
        old = sa.table(table_name, *[sa.column(k) for k in keys], sa.column("created_at"), sa.column("updated_at"))
        new = sa.table(table_name, *[sa.column(k) for k in keys], sa.column("created_at", new_type),
                       sa.column("updated_at", new_type))
        rows = bind.execute(sa.select(old)).mappings().all()
        for row in rows:
            where = sa.and_(*[new.c[k] == row[k] for k in keys])
            bind.execute(sa.update(new).where(where).values(
                created_at=_parse_old(row["created_at"]), updated_at=_parse_old(row["updated_at"])))


def _wrap_damaged_documents(bind: sa.Connection) -> None:
    table = sa.table("artefacts", sa.column("workshop_id"), sa.column("kind"), sa.column("artefact_id"),
                     sa.column("data", sa.Text))
    for row in bind.execute(sa.select(table)).mappings().all():
        if not _jsonb_safe(row["data"]):
            bind.execute(sa.update(table).where(
                (table.c.workshop_id == row["workshop_id"]) & (table.c.kind == row["kind"])
                & (table.c.artefact_id == row["artefact_id"])).values(data=json.dumps(row["data"])))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _wrap_damaged_documents(bind)
        for table_name in TIMESTAMPS:
            for column in ("created_at", "updated_at"):
                op.execute(f"ALTER TABLE {table_name} ALTER COLUMN {column} TYPE TIMESTAMP WITH TIME ZONE "
                           f"USING {column}::timestamptz")
        op.execute("ALTER TABLE workshops ALTER COLUMN date TYPE DATE USING date::date")
        op.execute("ALTER TABLE artefacts ALTER COLUMN data TYPE JSONB USING data::jsonb")
        return
    # SQLite stores what it is given whatever the declared type: convert the text, then redeclare the columns
    # (batch mode copies each table; the store turns foreign keys off around it so no cascade fires).
    _convert_timestamps(bind, UTCDateTime())
    _redeclare_sqlite(new=True)


def _sqlite_tables(new: bool) -> list[sa.Table]:
    """The two tables as declared after (``new``) or before this revision."""
    stamp: Any = UTCDateTime if new else sa.String(32)
    meta = sa.MetaData()
    workshops = sa.Table(
        "workshops", meta,
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("customer", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("advisor", sa.String(200), nullable=False),
        sa.Column("date", sa.Date if new else sa.String(10), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
    )
    artefacts = sa.Table(
        "artefacts", meta,
        sa.Column("workshop_id", sa.String(32), sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("artefact_id", sa.String(64), primary_key=True),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("data", Document if new else sa.Text, nullable=False),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
    )
    return [workshops, artefacts]


def _redeclare_sqlite(new: bool) -> None:
    """Rebuild both tables with the declared types of ``new``, copying the stored values unchanged.

    ``copy_from`` hands batch mode the target definition as if it were the existing one: an ``alter_column``
    would copy through ``CAST(value AS DATE)``, and SQLite's NUMERIC affinity turns ``2026-11-02`` into 2026.
    """
    for target in _sqlite_tables(new):
        with op.batch_alter_table(target.name, recreate="always", copy_from=target):
            pass


def _iso(value: Any) -> str:
    return _parse_old(value).isoformat()


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table_name in TIMESTAMPS:
            for column in ("created_at", "updated_at"):
                op.execute(
                    f"ALTER TABLE {table_name} ALTER COLUMN {column} TYPE VARCHAR(32) USING "
                    f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')")
        op.execute("ALTER TABLE workshops ALTER COLUMN date TYPE VARCHAR(10) USING to_char(date, 'YYYY-MM-DD')")
        op.execute("ALTER TABLE artefacts ALTER COLUMN data TYPE TEXT USING data::text")
        return
    _redeclare_sqlite(new=False)
    for table_name, keys in TIMESTAMPS.items():
        table = sa.table(table_name, *[sa.column(k) for k in keys], sa.column("created_at", sa.String),
                         sa.column("updated_at", sa.String))
        for row in bind.execute(sa.select(table)).mappings().all():
            bind.execute(sa.update(table).where(sa.and_(*[table.c[k] == row[k] for k in keys])).values(
                created_at=_iso(row["created_at"]), updated_at=_iso(row["updated_at"])))
