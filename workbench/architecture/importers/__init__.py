"""Importers: Terraform plan/state JSON, Kubernetes manifests, draw.io diagrams (and our own YAML) → architecture.

Use :func:`import_sources` (the one registry the page, the CLI and the tests share); it returns an
:class:`ImportResult` (the validated architecture plus the import report) or raises :class:`ImportRefused`.
"""

from workbench.architecture.importers.base import (
    EntryKind,
    ImportRefused,
    ImportReport,
    ImportResult,
    ReportEntry,
    SourceFile,
    max_import_bytes,
)
from workbench.architecture.importers.registry import IMPORTERS, import_sources, kind_of
from workbench.architecture.importers.sources import read_paths

__all__ = [
    "IMPORTERS",
    "EntryKind",
    "ImportRefused",
    "ImportReport",
    "ImportResult",
    "ReportEntry",
    "SourceFile",
    "import_sources",
    "kind_of",
    "max_import_bytes",
    "read_paths",
]
