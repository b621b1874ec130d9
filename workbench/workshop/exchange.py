"""Export a whole workshop as one JSON file and import it back, losslessly and safely.

The file carries ``format`` and ``schema_version``.  Version 2 (issue 16) adds the workshop's audit trail
(``audit``, optional); version 1 files, which have none, import as before.
Import parses and validates everything before
the store is touched, so a truncated, foreign or malformed file changes nothing.  Parsing is bounded
(size, nesting depth, number length: ``bounded_json.py``) and answers every refusal with an
:class:`InputError`; no ``RecursionError`` or ``ValueError`` escapes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workbench.errors import InputError, WorkbenchError
from workbench.store.models import AuditEntry
from workbench.store.repository import dumps_document
from workbench.workshop.bounded_json import JsonLimitError, loads_bounded
from workbench.workshop.documents import validate_workshop
from workbench.workshop.models import Artefact, Workshop, WorkshopMeta

FORMAT = "capacity-workbench/workshop"
SCHEMA_VERSION = 2
#: Versions this code reads: 1 (before the audit trail) and 2.
READABLE_VERSIONS = (1, 2)
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class WorkshopFile(BaseModel):
    """The exported file."""

    model_config = ConfigDict(extra="forbid")

    format: str
    schema_version: int
    exported_at: dt.datetime
    workshop_id: str
    meta: WorkshopMeta
    created_at: dt.datetime
    updated_at: dt.datetime
    artefacts: list[Artefact]
    audit: list[AuditEntry] = Field(default_factory=list, description="Who changed what and when (version 2)")


class ImportedWorkshop(BaseModel):
    """What a file holds: the workshop (id and version are placeholders) and the trail it brings along."""

    workshop: Workshop
    audit: list[AuditEntry]


class _Inserts(Protocol):
    """What :func:`import_workshop` needs of a store (the access-checked one, or the raw one in tools)."""

    def insert(self, workshop: Workshop, *, history: list[AuditEntry]) -> Workshop: ...


def export_workshop(workshop: Workshop, audit: list[AuditEntry] | None = None) -> str:
    """The workshop (with its trail, when given) as pretty JSON text (UTF-8, Chinese kept readable)."""
    doc = WorkshopFile(
        format=FORMAT, schema_version=SCHEMA_VERSION, exported_at=dt.datetime.now(dt.UTC),
        workshop_id=workshop.id, meta=workshop.meta, created_at=workshop.created_at,
        updated_at=workshop.updated_at, artefacts=workshop.artefacts, audit=audit or [],
    )
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=2, allow_nan=False)


def parse_workshop_file(data: bytes | str) -> Workshop:
    """Validate an exported file and return the workshop it holds (id and version are placeholders).

    Raises :class:`InputError` naming the problem: too large, not UTF-8, not JSON or truncated, nested
    too deep, a number too long, not a workbench file, an unknown schema version, a field with the
    wrong type (with its path), or an artefact whose content does not match its kind's document model
    (naming the artefact and the field).  Anything unforeseen becomes ``errors.import.unreadable``.
    """
    return parse_workshop_bundle(data).workshop


def parse_workshop_bundle(data: bytes | str) -> ImportedWorkshop:
    """Like :func:`parse_workshop_file`, with the file's audit trail (empty for version 1 files)."""
    try:
        return _parse_workshop_file(data)
    except WorkbenchError:
        raise
    except (ValueError, TypeError, RecursionError, OverflowError, MemoryError) as exc:
        raise InputError("errors.import.unreadable", detail=type(exc).__name__) from None


def _parse_workshop_file(data: bytes | str) -> ImportedWorkshop:
    if isinstance(data, str) and len(data) > MAX_IMPORT_BYTES:
        raise InputError("errors.import.too_large", limit_mb=MAX_IMPORT_BYTES // (1024 * 1024))
    raw = data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else data
    if not raw.strip():
        raise InputError("errors.import.empty")
    if len(raw) > MAX_IMPORT_BYTES:
        raise InputError("errors.import.too_large", limit_mb=MAX_IMPORT_BYTES // (1024 * 1024))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("errors.import.not_utf8", position=exc.start) from None
    try:
        obj: Any = loads_bounded(text)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        key = "errors.import.truncated" if truncated else "errors.import.not_json"
        raise InputError(key, line=exc.lineno, column=exc.colno, detail=exc.msg) from None
    except JsonLimitError as exc:
        raise InputError(f"errors.import.{exc.kind}", line=exc.line, column=exc.column, limit=exc.limit,
                         value=exc.literal) from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise InputError("errors.import.wrong_format")
    version = obj.get("schema_version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise InputError("errors.import.unknown_version", version=str(version)[:20], supported=SCHEMA_VERSION)
    try:
        doc = WorkshopFile.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"])
        raise InputError("errors.import.invalid_field", location=location[:200], detail=first["msg"][:300],
                         count=exc.error_count()) from None
    for art in doc.artefacts:  # documents must be storable as they are (no NaN, size limits)
        dumps_document(art.data)
    seen = {(a.kind, a.id) for a in doc.artefacts}
    if len(seen) != len(doc.artefacts):
        raise InputError("errors.import.duplicate_artefact")
    workshop = Workshop(id="imported", meta=doc.meta, version=1, created_at=doc.created_at,
                        updated_at=doc.updated_at, artefacts=doc.artefacts)
    # every artefact against its kind's model (older schemas migrated)
    return ImportedWorkshop(workshop=validate_workshop(workshop), audit=doc.audit)


def import_workshop(store: _Inserts, data: bytes | str) -> Workshop:
    """Parse, validate, then store as a new workshop (new id) with its trail, in one transaction."""
    bundle = parse_workshop_bundle(data)
    return store.insert(bundle.workshop, history=bundle.audit)
