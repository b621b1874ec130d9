"""Reading load histories safely: bytes or frames in, a regular load series plus an ingest report out.

Public API (others code against these names; see docs/ingest.md):
``read_load_file``, ``read_load_frame``, ``load_sample`` and the models ``IngestOptions``,
``IngestReport``, ``IngestResult``, ``MessageRef``, ``Aggregation``, ``GapPolicy``;
``note_text`` / ``reason_text`` translate report notes and drop reasons for display.
"""

from __future__ import annotations

from workbench.io.ingest import load_sample, read_load_file, read_load_frame
from workbench.io.models import (
    Aggregation,
    FileFormat,
    GapPolicy,
    IngestOptions,
    IngestReport,
    IngestResult,
    MessageRef,
    TimeUnit,
)
from workbench.io.texts import note_text, reason_text

__all__ = [
    "Aggregation",
    "FileFormat",
    "GapPolicy",
    "IngestOptions",
    "IngestReport",
    "IngestResult",
    "MessageRef",
    "TimeUnit",
    "load_sample",
    "note_text",
    "read_load_file",
    "read_load_frame",
    "reason_text",
]
