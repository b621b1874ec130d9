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
from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError

from workbench.errors import NotFoundError, StaleWriteError, StoreError
from workbench.store import audit, sharing
from workbench.store.engine import READ_ONLY, file_guard, make_engine
from workbench.store.migrate import upgrade
from workbench.store.models import (
    ID_PATTERN,
    LOCAL_ACTOR,
    Artefact,
    ArtefactKind,
    AuditAction,
    AuditEntry,
    DamagedArtefact,
    Role,
    Workshop,
    WorkshopMeta,
    WorkshopSummary,
)
from workbench.store.schema import artefacts, settings, workshops

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def new_id() -> str:
    """An unguessable workshop id: 96 random bits, URL-safe (16 characters), never starting with "-"
    (a leading dash reads as an option on a command line: ``workbench workshop grant -Gx…`` failed)."""
    while (token := secrets.token_urlsafe(12)).startswith("-"):
        continue
    return token


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    """A timestamp from an imported file as UTC; one without a zone was written as UTC by older versions."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


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


def _driver_detail(exc: DBAPIError) -> str:
    """What the database driver said, short and on one line (its class and first line, no SQL, no values)."""
    first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
    return f"{type(exc.orig).__name__}: {first}"[:160]


def _write_error_key(exc: DBAPIError) -> str:
    """The message for a refused write: read-only file, a NUL character PostgreSQL cannot store (in a text
    column or, as ``\\u0000``, in JSONB: retrying cannot help, removing it does), or any other refusal."""
    said = str(exc.orig).lower()
    if "readonly" in said:
        return "errors.store.read_only"
    if "nul (0x00)" in said or "\\u0000" in said or "unsupported unicode escape" in said:
        return "errors.store.nul_character"
    return "errors.store.write_failed"


def _read_artefact(row: Any) -> Artefact | DamagedArtefact:
    """One stored document, or what is known of it when it cannot be read (so the workshop still opens).

    JSON can hold what Python refuses to read back: an integer over the int-to-str digit limit (4,300 by
    default since Python 3.11, CVE-2020-10735), nesting deeper than the recursion limit, a NaN written by
    another tool; a row can also carry an unknown kind or id.  None of them may make ``get`` raise.
    """
    raw = str(row["data"])
    try:
        data = json.loads(raw)
        if isinstance(data, str):  # migration 0002 kept a text PostgreSQL's JSONB refused as a JSON string
            raw = data
        return Artefact(
            kind=ArtefactKind(row["kind"]), id=row["artefact_id"], schema_version=row["schema_version"],
            data=data, created_at=row["created_at"], updated_at=row["updated_at"],
        )
    except (ValueError, TypeError, RecursionError) as exc:  # pydantic's ValidationError is a ValueError
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
        return DamagedArtefact(kind=str(row["kind"])[:32], id=str(row["artefact_id"])[:64], detail=detail,
                               raw=raw)


class WorkshopStore:
    """CRUD for workshops and their artefacts over one SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        upgrade(engine)

    # ---- transactions ----------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A read transaction (deferred BEGIN on SQLite); driver errors become a :class:`StoreError`."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{READ_ONLY: True})
                yield conn
        except DBAPIError as exc:
            raise StoreError("errors.store.read_failed", detail=_driver_detail(exc)) from exc

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction that is acknowledged only when it really reached the database.

        Before it begins, the SQLite file guard refuses a file that is gone, replaced or read-only; a driver
        error (read-only, disk full, connection lost) becomes a :class:`StoreError` naming what failed; after
        the commit the guard looks again, so a file deleted *during* the write is reported, not acknowledged.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except DBAPIError as exc:
            raise StoreError(_write_error_key(exc), detail=_driver_detail(exc)) from exc
        guard = file_guard(self.engine)
        if guard is not None:
            guard.check_same_file()

    def reading(self) -> AbstractContextManager[Connection]:
        """A read connection for the store's other modules (members, links, the trail): see ``_reading``."""
        return self._reading()

    def writing(self) -> AbstractContextManager[Connection]:
        """A guarded write transaction for the store's other modules: see ``_writing``."""
        return self._writing()

    # ---- reading -------------------------------------------------------------------------
    def list(self, search: str | None = None, *, ids: Collection[str] | None = None) -> list[WorkshopSummary]:
        """All workshops (or those in ``ids``), most recently changed first; ``search`` matches customer,
        title, advisor."""
        query = select(workshops).order_by(workshops.c.updated_at.desc())
        if ids is not None:
            query = query.where(workshops.c.id.in_(list(ids)))
        if search and search.strip():
            pattern = f"%{search.strip().lower()}%"
            query = query.where(
                or_(
                    func.lower(workshops.c.title).like(pattern),
                    func.lower(workshops.c.customer).like(pattern),
                    func.lower(workshops.c.advisor).like(pattern),
                )
            )
        with self._reading() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            WorkshopSummary(
                id=r["id"], customer=r["customer"], title=r["title"], advisor=r["advisor"],
                date=r["date"], language=r["language"], version=r["version"], updated_at=r["updated_at"],
            )
            for r in rows
        ]

    def get(self, workshop_id: str) -> Workshop:
        """A workshop with all its artefacts; :class:`NotFoundError` when it does not exist."""
        if not workshop_id or not ID_PATTERN.match(workshop_id):
            raise NotFoundError("errors.store.not_found", id=str(workshop_id)[:64])
        with self._reading() as conn:
            row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).mappings().first()
            if row is None:
                raise NotFoundError("errors.store.not_found", id=workshop_id)
            docs = conn.execute(select(artefacts).where(artefacts.c.workshop_id == workshop_id)).mappings().all()
        readable = [_read_artefact(d) for d in docs]
        return Workshop(
            id=row["id"],
            meta=WorkshopMeta(
                customer=row["customer"], title=row["title"], advisor=row["advisor"],
                date=row["date"], notes=row["notes"], language=row["language"],
            ),
            version=row["version"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
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
        with self._reading() as conn:
            value = conn.execute(select(workshops.c.version).where(workshops.c.id == workshop_id)).scalar()
        if value is None:
            raise NotFoundError("errors.store.not_found", id=workshop_id)
        return int(value)

    # ---- writing -------------------------------------------------------------------------
    def create(self, meta: WorkshopMeta, *, actor: str = LOCAL_ACTOR, owner: str | None = None) -> Workshop:
        """A new workshop at version 1 (``owner``: the e-mail made its first owner, in the same transaction)."""
        workshop_id = new_id()
        now = _now()
        with self._writing() as conn:
            conn.execute(insert(workshops).values(id=workshop_id, version=1, created_at=now, updated_at=now,
                                                  **self._meta_row(meta)))
            audit.record(conn, workshop_id, actor, AuditAction.CREATE, 1)
            self._owned(conn, workshop_id, owner, actor)
        return self.get(workshop_id)

    def update_meta(self, workshop_id: str, expected_version: int, meta: WorkshopMeta, *,
                    actor: str = LOCAL_ACTOR) -> int:
        """Replace the editable fields; returns the new version."""
        with self._writing() as conn:
            version = self._bump(conn, workshop_id, expected_version, **self._meta_row(meta))
            audit.record(conn, workshop_id, actor, AuditAction.EDIT, version)
            return version

    def put_artefact(
        self,
        workshop_id: str,
        expected_version: int,
        kind: ArtefactKind | str,
        artefact_id: str,
        data: dict[str, Any],
        schema_version: int = 1,
        *,
        actor: str = LOCAL_ACTOR,
    ) -> int:
        """Insert or replace one artefact; returns the workshop's new version."""
        kind = ArtefactKind(kind)
        if not ID_PATTERN.match(artefact_id):
            raise StoreError("errors.store.bad_artefact_id", id=artefact_id[:64])
        text = dumps_document(data)
        now = _now()
        key = (
            (artefacts.c.workshop_id == workshop_id)
            & (artefacts.c.kind == kind.value)
            & (artefacts.c.artefact_id == artefact_id)
        )
        with self._writing() as conn:
            version = self._bump(conn, workshop_id, expected_version)
            existing = conn.execute(select(artefacts.c.created_at).where(key)).scalar()
            if existing is None:
                conn.execute(insert(artefacts).values(
                    workshop_id=workshop_id, kind=kind.value, artefact_id=artefact_id,
                    schema_version=schema_version, data=text, created_at=now, updated_at=now))
            else:
                conn.execute(update(artefacts).where(key).values(
                    schema_version=schema_version, data=text, updated_at=now))
            audit.record(conn, workshop_id, actor, AuditAction.SAVE, version, kind=kind.value,
                         artefact_id=artefact_id)
            return version

    def delete_artefact(self, workshop_id: str, expected_version: int, kind: ArtefactKind | str,
                        artefact_id: str, *, actor: str = LOCAL_ACTOR) -> int:
        """Remove one artefact; returns the new version.  Any stored kind is accepted: a damaged row may carry
        one this version does not know, and it must still be possible to discard it."""
        kind_value = str(kind)[:32]
        with self._writing() as conn:
            version = self._bump(conn, workshop_id, expected_version)
            conn.execute(delete(artefacts).where(
                (artefacts.c.workshop_id == workshop_id) & (artefacts.c.kind == kind_value)
                & (artefacts.c.artefact_id == artefact_id)))
            audit.record(conn, workshop_id, actor, AuditAction.DISCARD, version, kind=kind_value,
                         artefact_id=str(artefact_id)[:64])
            return version

    def duplicate(self, workshop_id: str, title: str | None = None, *, actor: str = LOCAL_ACTOR,
                  owner: str | None = None) -> Workshop:
        """A copy with a new id, its artefacts included, at version 1 (its trail starts afresh)."""
        source = self.get(workshop_id)
        meta = source.meta.model_copy(update={"title": (title or source.meta.title)[:200]})
        copy = source.model_copy(update={"meta": meta})
        return self.insert(copy, actor=actor, owner=owner, action=AuditAction.DUPLICATE, detail=workshop_id)

    def insert(self, workshop: Workshop, *, history: Iterable[AuditEntry] = (), actor: str = LOCAL_ACTOR,
               owner: str | None = None, action: AuditAction = AuditAction.IMPORT, detail: str = "") -> Workshop:
        """Store a complete workshop (from an import or a duplicate) under a new id, atomically; ``history`` is
        the trail it brings along (an exported file's), followed by this ``action``."""
        workshop_id = new_id()
        now = _now()
        with self._writing() as conn:
            conn.execute(insert(workshops).values(
                id=workshop_id, version=1, created_at=_aware(workshop.created_at), updated_at=now,
                **self._meta_row(workshop.meta)))
            for art in workshop.artefacts:
                conn.execute(insert(artefacts).values(
                    workshop_id=workshop_id, kind=art.kind.value, artefact_id=art.id,
                    schema_version=art.schema_version, data=dumps_document(art.data),
                    created_at=_aware(art.created_at), updated_at=_aware(art.updated_at)))
            audit.record_many(conn, workshop_id, history)
            audit.record(conn, workshop_id, actor, action, 1, detail=detail)
            self._owned(conn, workshop_id, owner, actor)
        return self.get(workshop_id)

    def delete(self, workshop_id: str, *, actor: str = LOCAL_ACTOR) -> None:
        """Delete a workshop, its artefacts, members and share links (its trail stays, ending in the deletion)."""
        with self._writing() as conn:
            version = conn.execute(select(workshops.c.version).where(workshops.c.id == workshop_id)).scalar()
            conn.execute(delete(artefacts).where(artefacts.c.workshop_id == workshop_id))
            sharing.forget_workshop(conn, workshop_id)
            result = conn.execute(delete(workshops).where(workshops.c.id == workshop_id))
            if result.rowcount == 0:
                raise NotFoundError("errors.store.not_found", id=workshop_id)
            audit.record(conn, workshop_id, actor, AuditAction.DELETE, int(version or 0))

    # ---- settings ------------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        """A small app-wide value (e.g. whether the demo was seeded)."""
        with self._reading() as conn:
            return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()

    def set_setting(self, key: str, value: str) -> None:
        """Set an app-wide value."""
        with self._writing() as conn:
            conn.execute(delete(settings).where(settings.c.key == key))
            conn.execute(insert(settings).values(key=key, value=value))

    # ---- helpers -------------------------------------------------------------------------
    @staticmethod
    def _owned(conn: Connection, workshop_id: str, owner: str | None, actor: str) -> None:
        if owner:
            sharing.set_member(conn, workshop_id, owner, Role.OWNER, actor)
            audit.record(conn, workshop_id, actor, AuditAction.MEMBER, 1, detail=f"{owner} {Role.OWNER.value}")

    @staticmethod
    def _meta_row(meta: WorkshopMeta) -> dict[str, Any]:
        return {
            "customer": meta.customer, "title": meta.title, "advisor": meta.advisor,
            "date": meta.date, "notes": meta.notes, "language": meta.language,
        }

    @staticmethod
    def _bump(conn: Connection, workshop_id: str, expected_version: int, **values: Any) -> int:
        result = conn.execute(
            update(workshops)
            .where((workshops.c.id == workshop_id) & (workshops.c.version == expected_version))
            .values(version=workshops.c.version + 1, updated_at=_now(), **values)
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
