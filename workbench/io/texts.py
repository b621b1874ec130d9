"""Translate ingest notes and report values for display (pages and CLI call these; no Streamlit here)."""

from __future__ import annotations

from typing import Any

from workbench.i18n import t
from workbench.io.models import MessageRef

# Note parameters whose values are enum members with their own catalogue entries.
_ENUM_PARAMS = {
    "aggregation": "io.aggregation",
    "policy": "io.gap_policy",
    "unit": "io.time_unit",
    "format": "io.format",
    "reason": "io.reason",
}


def _param(name: str, value: Any, lang: str) -> Any:
    prefix = _ENUM_PARAMS.get(name)
    return t(f"{prefix}.{value}", lang) if prefix else value


def note_text(note: MessageRef, lang: str) -> str:
    """One report note in ``lang``, with enum-valued parameters translated too."""
    return t(note.key, lang, **{k: _param(k, v, lang) for k, v in note.params.items()})


def reason_text(reason: str, lang: str) -> str:
    """The translated label of a drop reason (a key of ``IngestReport.dropped_reasons``)."""
    return t(f"io.reason.{reason}", lang)
