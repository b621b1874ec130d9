"""Column types that mean the same on SQLite and PostgreSQL: UTC timestamps and JSON documents.

* :class:`UTCDateTime` is ``TIMESTAMP WITH TIME ZONE`` on PostgreSQL and SQLAlchemy's ``DATETIME`` text
  (``YYYY-MM-DD HH:MM:SS.ffffff``, always UTC, so text order is time order) on SQLite; Python always sees
  timezone-aware UTC datetimes, and a naive value is refused rather than guessed.
* :class:`Document` is ``JSONB`` on PostgreSQL and ``JSON`` (text) on SQLite.  The store hands it JSON
  *text* it has already validated (:func:`workbench.store.repository.dumps_document`: no NaN, size
  bound) and reads text back (``CAST(data AS TEXT)``), so one damaged document is parsed, and reported,
  row by row instead of failing the whole query (issue 9), and nothing is serialised twice.
  JSONB normalises what it stores (PostgreSQL docs, "JSON Types"): object keys come back sorted (by length,
  then bytes), duplicate keys keep the last value, numbers are decimals, so a float of magnitude >= 1e16 with
  no fraction reads back as an integer (the same float once converted, as the document models do), and a
  ``\u0000`` in a string is refused (the store reports it as a failed save).  SQLite keeps the text as sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Dialect, Text, cast
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a timestamp without a time zone cannot be stored: give it one (UTC)")
        value = value.astimezone(dt.UTC)
        # SQLite has no time zone type: store UTC wall time, read it back as UTC.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # a value SQLite's DATETIME parser did not see (e.g. via raw SQL)
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class _JSONColumn(UserDefinedType[str]):
    """The declared column type: ``JSONB`` on PostgreSQL, ``JSON`` elsewhere (values travel as text)."""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "JSON"


class _JSONBind(UserDefinedType[str]):
    """The cast a bound document goes through: ``JSONB`` on PostgreSQL, ``TEXT`` elsewhere.

    (On SQLite a cast to ``JSON`` would apply NUMERIC affinity and turn the text into 0.)"""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "TEXT"


@compiles(_JSONColumn, "postgresql")
@compiles(_JSONBind, "postgresql")
def _jsonb(_type: Any, _compiler: Any, **_kw: Any) -> str:
    return "JSONB"


class Document(TypeDecorator[str]):
    """A JSON document: ``JSONB`` on PostgreSQL, ``JSON`` on SQLite; bound and read as JSON text."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(_JSONColumn())

    def bind_expression(self, bindvalue: Any) -> ColumnElement[Any] | None:
        # PostgreSQL assigns text to a jsonb column only through a cast; on SQLite it is CAST(.. AS TEXT).
        return cast(bindvalue, _JSONBind())

    def column_expression(self, column: Any) -> ColumnElement[Any] | None:
        return cast(column, Text)
