"""The workshop store: every change is one transaction guarded by a per-workshop version.

Optimistic locking: each write names the version it was based on; the UPDATE matches on
``(id, version)`` and bumps the version.  When no row matches, somebody else (another tab, another
advisor) changed the workshop first, and the write is refused with :class:`StaleWriteError` rather
than silently overwriting their work (Fowler, *Patterns of Enterprise Application Architecture*,
"Optimistic Offline Lock").
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update

from workbench.errors import NotFoundError, StaleWriteError, StoreError
from workbench.store.engine import make_engine
from workbench.store.models import (
    ID_PATTERN,
    Artefact,
    ArtefactKind,
    DamagedArtefact,
    Workshop,
    WorkshopMeta,
    WorkshopSummary,
)
from workbench.store.schema import artefacts, metadata, settings, workshops

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def new_id() -> str:
    """An unguessable workshop id: 96 random bits, URL-safe (16 characters)."""
    return secrets.token_urlsafe(12)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return to_jsonable_python(value)


def dumps_document(data: dict[str, Any]) -> str:
    """JSON text of a document; NaN/inf are refused because JSON cannot carry them."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, default=_json_default)
    except (TypeError, ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than the interpreter's
        raise StoreError("errors.store.not_serialisable", detail=str(exc)[:200]) from exc
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise StoreError("errors.store.too_large", limit_mb=MAX_DOCUMENT_BYTES // (1024 * 1024))
    return text


def _clean_floats(value: Any) -> Any:
    """Replace NaN/inf by None recursively, for callers that opt in (e.g. chart data)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_floats(v) for v in value]
    return value


def _read_artefact(row: Any) -> Artefact | DamagedArtefact:
    """One stored document, or what is known of it when it cannot be read (so the workshop still opens).

    JSON can hold what Python refuses to read back: an integer over the int-to-str digit limit (4,300 by
    default since Python 3.11, CVE-2020-10735), nesting deeper than the recursion limit, a NaN written by
    another tool; a row can also carry an unknown kind or id.  None of them may make ``get`` raise.
    """
    try:
        return Artefact(
            kind=ArtefactKind(row["kind"]), id=row["artefact_id"], schema_version=row["schema_version"],
            data=json.loads(row["data"]), created_at=dt.datetime.fromisoformat(row["created_at"]),
            updated_at=dt.datetime.fromisoformat(row["updated_at"]),
        )
    except (ValueError, TypeError, RecursionError) as exc:  # pydantic's ValidationError is a ValueError
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
        return DamagedArtefact(kind=str(row["kind"])[:32], id=str(row["artefact_id"])[:64], detail=detail,
                               raw=str(row["data"]))


class WorkshopStore:
    """CRUD for workshops and their artefacts over one SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    # ---- reading -------------------------------------------------------------------------
    def list(self, search: str | None = None) -> list[WorkshopSummary]:
        """All workshops, most recently changed first; ``search`` matches customer, title, advisor."""
        query = select(workshops).order_by(workshops.c.updated_at.desc())
        if search and search.strip():
            pattern = f"%{search.strip().lower()}%"
            query = query.where(
                or_(
                    func.lower(workshops.c.title).like(pattern),
                    func.lower(workshops.c.customer).like(pattern),
                    func.lower(workshops.c.advisor).like(pattern),
                )
            )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            WorkshopSummary(
                id=r["id"], customer=r["customer"], title=r["title"], advisor=r["advisor"],
                date=dt.date.fromisoformat(r["date"]), language=r["language"], version=r["version"],
                updated_at=dt.datetime.fromisoformat(r["updated_at"]),
            )
            for r in rows
        ]

    def get(self, workshop_id: str) -> Workshop:
        """A workshop with all its artefacts; :class:`NotFoundError` when it does not exist."""
        if not workshop_id or not ID_PATTERN.match(workshop_id):
            raise NotFoundError("errors.store.not_found", id=str(workshop_id)[:64])
        with self.engine.connect() as conn:
            row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).mappings().first()
            if row is None:
                raise NotFoundError("errors.store.not_found", id=workshop_id)
            docs = conn.execute(select(artefacts).where(artefacts.c.workshop_id == workshop_id)).mappings().all()
        readable = [_read_artefact(d) for d in docs]
        return Workshop(
            id=row["id"],
            meta=WorkshopMeta(
                customer=row["customer"], title=row["title"], advisor=row["advisor"],
                date=dt.date.fromisoformat(row["date"]), notes=row["notes"], language=row["language"],
            ),
            version=row["version"],
            created_at=dt.datetime.fromisoformat(row["created_at"]),
            updated_at=dt.datetime.fromisoformat(row["updated_at"]),
            artefacts=[a for a in readable if isinstance(a, Artefact)],
            damaged=[a for a in readable if isinstance(a, DamagedArtefact)],
        )

    def artefact_everywhere(self, kind: ArtefactKind | str, artefact_id: str) -> dict[str, dict[str, Any]]:
        """The data of artefact (``kind``, ``artefact_id``) in every workshop that has one: workshop id → data.

        One query, for lists that need one small document per workshop (each workshop's time zone on the home
        page); an unreadable document is left out."""
        query = select(artefacts.c.workshop_id, artefacts.c.data).where(
            artefacts.c.kind == str(kind), artefacts.c.artefact_id == artefact_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out: dict[str, dict[str, Any]] = {}
        for workshop_id, text in rows:
            try:
                data = json.loads(str(text))
            except ValueError:
                continue
            if isinstance(data, dict):
                out[str(workshop_id)] = data
        return out

    def version(self, workshop_id: str) -> int:
        """The current version of a workshop (cheap: one indexed read)."""
        with self.engine.connect() as conn:
            value = conn.execute(select(workshops.c.version).where(workshops.c.id == workshop_id)).scalar()
        if value is None:
            raise NotFoundError("errors.store.not_found", id=workshop_id)
        return int(value)

    # ---- writing -------------------------------------------------------------------------
    def create(self, meta: WorkshopMeta) -> Workshop:
        """A new workshop at version 1."""
        workshop_id = new_id()
        now = _now().isoformat()
        with self.engine.begin() as conn:
            conn.execute(insert(workshops).values(id=workshop_id, version=1, created_at=now, updated_at=now,
                                                  **self._meta_row(meta)))
        return self.get(workshop_id)

    def update_meta(self, workshop_id: str, expected_version: int, meta: WorkshopMeta) -> int:
        """Replace the editable fields; returns the new version."""
        with self.engine.begin() as conn:
            return self._bump(conn, workshop_id, expected_version, **self._meta_row(meta))

    def put_artefact(
        self,
        workshop_id: str,
        expected_version: int,
        kind: ArtefactKind | str,
        artefact_id: str,
        data: dict[str, Any],
        schema_version: int = 1,
    ) -> int:
        """Insert or replace one artefact; returns the workshop's new version."""
        kind = ArtefactKind(kind)
        if not ID_PATTERN.match(artefact_id):
            raise StoreError("errors.store.bad_artefact_id", id=artefact_id[:64])
        text = dumps_document(data)
        now = _now().isoformat()
        key = (
            (artefacts.c.workshop_id == workshop_id)
            & (artefacts.c.kind == kind.value)
            & (artefacts.c.artefact_id == artefact_id)
        )
        with self.engine.begin() as conn:
            version = self._bump(conn, workshop_id, expected_version)
            existing = conn.execute(select(artefacts.c.created_at).where(key)).scalar()
            if existing is None:
                conn.execute(insert(artefacts).values(
                    workshop_id=workshop_id, kind=kind.value, artefact_id=artefact_id,
                    schema_version=schema_version, data=text, created_at=now, updated_at=now))
            else:
                conn.execute(update(artefacts).where(key).values(
                    schema_version=schema_version, data=text, updated_at=now))
            return version

    def delete_artefact(self, workshop_id: str, expected_version: int, kind: ArtefactKind | str,
                        artefact_id: str) -> int:
        """Remove one artefact; returns the new version.  Any stored kind is accepted: a damaged row may carry
        one this version does not know, and it must still be possible to discard it."""
        kind_value = str(kind)[:32]
        with self.engine.begin() as conn:
            version = self._bump(conn, workshop_id, expected_version)
            conn.execute(delete(artefacts).where(
                (artefacts.c.workshop_id == workshop_id) & (artefacts.c.kind == kind_value)
                & (artefacts.c.artefact_id == artefact_id)))
            return version

    def duplicate(self, workshop_id: str, title: str | None = None) -> Workshop:
        """A copy with a new id, its artefacts included, at version 1."""
        source = self.get(workshop_id)
        meta = source.meta.model_copy(update={"title": (title or source.meta.title)[:200]})
        copy = source.model_copy(update={"meta": meta})
        return self.insert(copy)

    def insert(self, workshop: Workshop) -> Workshop:
        """Store a complete workshop (from an import or a duplicate) under a new id, atomically."""
        workshop_id = new_id()
        now = _now().isoformat()
        with self.engine.begin() as conn:
            conn.execute(insert(workshops).values(
                id=workshop_id, version=1, created_at=workshop.created_at.isoformat(), updated_at=now,
                **self._meta_row(workshop.meta)))
            for art in workshop.artefacts:
                conn.execute(insert(artefacts).values(
                    workshop_id=workshop_id, kind=art.kind.value, artefact_id=art.id,
                    schema_version=art.schema_version, data=dumps_document(art.data),
                    created_at=art.created_at.isoformat(), updated_at=art.updated_at.isoformat()))
        return self.get(workshop_id)

    def delete(self, workshop_id: str) -> None:
        """Delete a workshop and its artefacts."""
        with self.engine.begin() as conn:
            conn.execute(delete(artefacts).where(artefacts.c.workshop_id == workshop_id))
            result = conn.execute(delete(workshops).where(workshops.c.id == workshop_id))
            if result.rowcount == 0:
                raise NotFoundError("errors.store.not_found", id=workshop_id)

    # ---- settings ------------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        """A small app-wide value (e.g. whether the demo was seeded)."""
        with self.engine.connect() as conn:
            return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()

    def set_setting(self, key: str, value: str) -> None:
        """Set an app-wide value."""
        with self.engine.begin() as conn:
            conn.execute(delete(settings).where(settings.c.key == key))
            conn.execute(insert(settings).values(key=key, value=value))

    # ---- helpers -------------------------------------------------------------------------
    @staticmethod
    def _meta_row(meta: WorkshopMeta) -> dict[str, Any]:
        return {
            "customer": meta.customer, "title": meta.title, "advisor": meta.advisor,
            "date": meta.date.isoformat(), "notes": meta.notes, "language": meta.language,
        }

    @staticmethod
    def _bump(conn: Connection, workshop_id: str, expected_version: int, **values: Any) -> int:
        result = conn.execute(
            update(workshops)
            .where((workshops.c.id == workshop_id) & (workshops.c.version == expected_version))
            .values(version=workshops.c.version + 1, updated_at=_now().isoformat(), **values)
        )
        if result.rowcount == 1:
            return expected_version + 1
        current = conn.execute(select(workshops.c.version).where(workshops.c.id == workshop_id)).scalar()
        if current is None:
            raise NotFoundError("errors.store.not_found", id=workshop_id)
        raise StaleWriteError("errors.store.stale", expected=expected_version, current=int(current))


def open_store(url: str | None = None) -> WorkshopStore:
    """A store on ``url`` (default from ``WORKBENCH_DATABASE_URL``), tables created when missing."""
    try:
        return WorkshopStore(make_engine(url))
    except StoreError:
        raise
    except Exception as exc:  # a wrong URL or an unreachable server must read as a message, not a traceback
        raise StoreError("errors.store.cannot_open", detail=type(exc).__name__) from exc
