"""Loading what a workshop stores without ever raising into a page (issue 9: a workshop can always be opened).

A stored document can fail to load for reasons a page cannot foresee: a draft holding an integer of
thousands of digits (Python refuses to convert it, CVE-2020-10735), YAML nested past the recursion limit,
a dataset written by an older version, a row whose JSON the store could not read back.  Here every such
failure becomes a :class:`StoredProblem`: which document, what is wrong (a translatable message) and its
raw text for download.  Pages list the problems with "download" and "discard" buttons, and the rest of the
workshop keeps working.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.loader import ArchitectureLoadError, LoadIssue, load_architecture
from workbench.architecture.model import Architecture
from workbench.errors import InputError, WorkbenchError
from workbench.workshop.datasets import document_to_series
from workbench.workshop.models import Artefact, ArtefactKind, Workshop

log = logging.getLogger(__name__)
T = TypeVar("T")

UNREADABLE = "errors.stored.unreadable"
MAX_DETAIL = 200


def unexpected_error(exc: BaseException) -> InputError:
    """An exception no loader turned into a message, as one (type and first line, shortened; no traceback)."""
    first_line = str(exc).splitlines()[0] if str(exc) else ""
    return InputError(UNREADABLE, detail=f"{type(exc).__name__}: {first_line}"[:MAX_DETAIL])


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """What :func:`safely` returns: the value, or the error saying why there is none."""

    value: T | None
    error: WorkbenchError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def safely(load: Callable[..., T], /, *args: Any, **kwargs: Any) -> Loaded[T]:
    """Call ``load``; a :class:`WorkbenchError` or any other exception becomes ``Loaded(None, error)``.

    ``RecursionError`` and ``MemoryError`` are caught too: both come from what a document holds, not
    from a bug the page could fix.
    """
    try:
        return Loaded(load(*args, **kwargs))
    except WorkbenchError as exc:
        return Loaded(None, exc)
    except Exception as exc:  # RecursionError and MemoryError included: catching is the point of this function
        log.warning("Stored document failed to load: %s", type(exc).__name__, exc_info=True)
        return Loaded(None, unexpected_error(exc))


def load_architecture_safely(
    text: str, filename: str = "architecture.yaml"
) -> tuple[Architecture | None, list[LoadIssue]]:
    """The architecture in ``text``, or the located problems; never raises (unlike ``load_architecture``)."""
    loaded = safely(load_architecture, text, filename)
    if loaded.value is not None:
        return loaded.value, []
    exc = loaded.error
    if isinstance(exc, ArchitectureLoadError):
        return None, list(exc.issues)
    assert exc is not None
    return None, [LoadIssue(key=exc.key, params=dict(exc.params))]


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

    def download_name(self) -> str:
        return f"{self.kind}-{self.artefact_id}.json"


def _raw_text(data: dict[str, Any]) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)
    except (ValueError, RecursionError):  # an integer over the digit limit, a cycle: keep what repr can show
        return repr(data)


@functools.lru_cache(maxsize=128)
def _architecture_problem(text: str) -> tuple[str, tuple[tuple[str, Any], ...]] | None:
    """(message key, params) of the first problem of an architecture's YAML, or None (memoised on the text)."""
    arch, issues = load_architecture_safely(text)
    if arch is not None:
        return None
    first = issues[0] if issues else LoadIssue(key="errors.architecture.invalid")
    return first.key, tuple(sorted(first.params.items()))


def _dataset_problem(data: dict[str, Any]) -> WorkbenchError | None:
    return safely(document_to_series, data).error


def artefact_problem(art: Artefact) -> StoredProblem | None:
    """Why ``art`` cannot be used, or None.  Architecture versions are parsed, datasets read back.

    A draft is work in progress: an invalid one is shown in its editor with its issues (the page decides),
    so only a draft row the store could not read at all is a problem here (see :func:`stored_problems`).
    """
    key_params: tuple[str, dict[str, Any]] | None = None
    if art.kind == ArtefactKind.ARCHITECTURE:
        text = art.data.get("yaml")
        found = _architecture_problem(text) if isinstance(text, str) else (UNREADABLE, (("detail", "no yaml"),))
        if found is not None:
            key_params = (found[0], dict(found[1]))
    elif art.kind == ArtefactKind.DATASET:
        error = _dataset_problem(art.data)
        if error is not None:
            key_params = (error.key, dict(error.params))
    if key_params is None:
        return None
    return StoredProblem(kind=str(art.kind), artefact_id=art.id, key=key_params[0], params=key_params[1],
                         raw=_raw_text(art.data))


def stored_problems(workshop: Workshop, kinds: Iterable[ArtefactKind | str] | None = None) -> list[StoredProblem]:
    """Every stored document of ``kinds`` (all when None) that cannot be used, rows the store could not read
    first.  Never raises: a check that fails is itself reported as a problem of that document."""
    wanted = {str(k) for k in kinds} if kinds is not None else None
    out = [
        StoredProblem(kind=d.kind, artefact_id=d.id, key=UNREADABLE, params={"detail": d.detail}, raw=d.raw)
        for d in workshop.damaged if wanted is None or d.kind in wanted
    ]
    for art in workshop.artefacts:
        if wanted is not None and str(art.kind) not in wanted:
            continue
        checked = safely(artefact_problem, art)
        if checked.error is not None:
            out.append(StoredProblem(kind=str(art.kind), artefact_id=art.id, key=checked.error.key,
                                     params=dict(checked.error.params), raw=_raw_text(art.data)))
        elif checked.value is not None:
            out.append(checked.value)
    return out
