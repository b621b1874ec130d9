"""Load what a workshop has stored (drafts, architecture versions, any artefact) without ever raising.

Why
    A page that raises while loading a stored document breaks that workshop for good: every visit ends in
    "Something went wrong" and the editor that could repair the document never appears (issue 9).  So
    loading a stored document is a *value*: the parsed result, or the :class:`WorkbenchError` saying what
    is wrong.  An unforeseen exception is logged with an incident id and returned as an error too, so
    the page can show the problem and offer to download or discard the document.

Entry points for pages
    - :func:`load_stored_architecture` — a draft or an architecture version (``{"yaml": text, ...}``)
      → :class:`~workbench.architecture.loader.LoadResult` or the error (an ``ArchitectureLoadError`` keeps
      every located issue for the editor);
    - :func:`load_safely` — the same guard around any loader of a stored document;
    - :func:`broken_artefacts` — every artefact of a workshop that fails its check, with the error;
    - :func:`artefact_download` — file name and bytes to download an artefact as it is stored;
    - :func:`load_architecture_safely` — the editor's text → the architecture or its located issues;
    - :func:`stored_problems` — what a page lists with "download" and "discard": broken artefacts (above)
      and rows the store could not read back at all (``Workshop.damaged``), each with its raw text.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.loader import (
    ArchitectureLoadError,
    LoadIssue,
    LoadResult,
    load_architecture,
    load_architecture_with_warnings,
)
from workbench.architecture.model import Architecture
from workbench.errors import InputError, WorkbenchError
from workbench.workshop.datasets import document_to_series
from workbench.workshop.models import Artefact, ArtefactKind, Workshop

T = TypeVar("T")
log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # without configured logging, the traceback must not reach a terminal

ArtefactCheck = Callable[[Mapping[str, Any]], object]
"""Loads (or validates) the data of one stored artefact; raises a :class:`WorkbenchError` when it is unusable."""


def new_incident() -> str:
    """A short random id that links the one-line message a user sees to the full log entry."""
    return secrets.token_hex(4)


def load_safely(fn: Callable[[], T], *, kind: str = "", artefact_id: str = "") -> T | WorkbenchError:
    """``fn()``, or the error it raised; never raises (except ``KeyboardInterrupt``/``SystemExit``).

    A :class:`WorkbenchError` is returned as it is (it already names the problem and what to do);
    anything else is logged with an incident id and returned as ``errors.artefact.unexpected``.
    """
    try:
        return fn()
    except WorkbenchError as exc:
        return exc
    except Exception:  # the page must open whatever is stored; the log keeps the details
        incident = new_incident()
        log.exception("Stored document %s/%s cannot be loaded, incident %s", kind, artefact_id, incident)
        return InputError("errors.artefact.unexpected", kind=kind[:40], id=artefact_id[:64], incident=incident)


def _architecture_text(data: Mapping[str, Any] | None, kind: str, artefact_id: str) -> str:
    text = data.get("yaml") if isinstance(data, Mapping) else None
    if not isinstance(text, str):
        raise InputError("errors.artefact.malformed", kind=kind, id=artefact_id, field="yaml")
    return text


def load_stored_architecture(
    data: Mapping[str, Any] | None, *, kind: str = ArtefactKind.DRAFT.value, artefact_id: str = "architecture"
) -> LoadResult | WorkbenchError:
    """A stored draft or architecture version → the loaded architecture with warnings, or the error.

    An :class:`~workbench.architecture.loader.ArchitectureLoadError` (a subclass of WorkbenchError) lists
    every located issue, so the page can show them next to the editor holding the stored text.
    """
    return load_safely(
        lambda: load_architecture_with_warnings(_architecture_text(data, kind, artefact_id)),
        kind=kind, artefact_id=artefact_id,
    )


def _check_architecture(data: Mapping[str, Any]) -> object:
    return load_architecture_with_warnings(_architecture_text(data, "architecture", "-"))


def _check_dataset(data: Mapping[str, Any]) -> object:
    return document_to_series(dict(data))


CHECKS: dict[str, ArtefactCheck] = {
    ArtefactKind.ARCHITECTURE.value: _check_architecture,
    ArtefactKind.DATASET.value: _check_dataset,
}
"""Per-kind checks used by :func:`broken_artefacts`; capabilities add theirs with :func:`register_check`.

Drafts are not checked: a draft is work in progress and may be invalid on purpose (the editor shows it).
"""


def register_check(kind: ArtefactKind | str, check: ArtefactCheck) -> None:
    """Declare how to load (validate) the stored data of one artefact kind."""
    CHECKS[str(kind)] = check


@dataclass(frozen=True)
class BrokenArtefact:
    """A stored artefact that cannot be used, and why."""

    kind: str
    id: str
    error: WorkbenchError


def _bind(check: ArtefactCheck, data: Mapping[str, Any]) -> Callable[[], object]:
    return lambda: check(data)


def broken_artefacts(workshop: Workshop) -> list[BrokenArtefact]:
    """Every artefact of ``workshop`` whose kind has a check and which fails it (never raises)."""
    out: list[BrokenArtefact] = []
    for art in workshop.artefacts:
        kind = str(art.kind)
        check = CHECKS.get(kind)
        if check is None:
            continue
        result = load_safely(_bind(check, art.data), kind=kind, artefact_id=art.id)
        if isinstance(result, WorkbenchError):
            out.append(BrokenArtefact(kind=kind, id=art.id, error=result))
    return out


def artefact_download(artefact: Artefact) -> tuple[str, bytes]:
    """(file name, UTF-8 JSON bytes) of an artefact exactly as stored, to keep a copy before discarding it."""
    try:
        body = json.dumps(artefact.model_dump(mode="json"), ensure_ascii=False, indent=2)
    except (TypeError, ValueError, RecursionError):  # pragma: no cover - stored data was JSON when written
        body = json.dumps({"kind": str(artefact.kind), "id": artefact.id, "data": repr(artefact.data)[:1_000_000]})
    return f"{artefact.kind}-{artefact.id}.json", body.encode("utf-8")


def load_architecture_safely(
    text: str, filename: str = "architecture.yaml"
) -> tuple[Architecture | None, list[LoadIssue]]:
    """The architecture in ``text``, or its located problems; never raises (unlike ``load_architecture``)."""
    result = load_safely(lambda: load_architecture(text, filename), kind="draft", artefact_id="architecture")
    if isinstance(result, ArchitectureLoadError):
        return None, list(result.issues)
    if isinstance(result, WorkbenchError):
        return None, [LoadIssue(key=result.key, params=dict(result.params))]
    return result, []


class StoredProblem(BaseModel):
    """A stored document that cannot be used: which one, why (a message key and its parameters), its text."""

    model_config = ConfigDict(frozen=True)

    kind: str
    artefact_id: str
    key: str
    params: dict[str, Any] = Field(default_factory=dict)
    raw: str = Field("", description="The stored document as text, for download")

    def text(self, lang: str) -> str:
        from workbench.i18n import t

        return t(self.key, lang, **self.params)


def stored_problems(workshop: Workshop, kinds: Iterable[ArtefactKind | str] | None = None) -> list[StoredProblem]:
    """Every stored document of ``kinds`` (all when None) that cannot be used; never raises.

    Rows the store could not read back come first (``errors.stored.unreadable`` with the reason), then the
    artefacts that fail their kind's check (:func:`broken_artefacts`).  Drafts are not checked (see CHECKS).
    """
    wanted = {str(k) for k in kinds} if kinds is not None else None
    out = [
        StoredProblem(kind=d.kind, artefact_id=d.id, key="errors.stored.unreadable", params={"detail": d.detail},
                      raw=d.raw)
        for d in workshop.damaged if wanted is None or d.kind in wanted
    ]
    for broken in broken_artefacts(workshop):
        if wanted is not None and broken.kind not in wanted:
            continue
        art = workshop.artefact(broken.kind, broken.id)
        raw = artefact_download(art)[1].decode("utf-8") if art is not None else ""
        out.append(StoredProblem(kind=broken.kind, artefact_id=broken.id, key=broken.error.key,
                                 params=dict(broken.error.params), raw=raw))
    return out
