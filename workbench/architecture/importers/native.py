"""Our own architecture YAML/JSON as an import source, so an exported import re-imports to the same model."""

from __future__ import annotations

import re

from workbench.architecture.importers.base import Draft, EntryKind, ImportRefused, ReportEntry, SourceFile
from workbench.architecture.loader import ArchitectureLoadError, load_architecture
from workbench.architecture.model import Architecture

NAME = "architecture"
_MARK = re.compile(r'^\s*"?schema_version"?\s*:', re.MULTILINE)


def sniff(head: str) -> bool:
    """An architecture document states ``schema_version`` (the loader's export always writes it first)."""
    return bool(_MARK.search(head)) and "apiVersion" not in head


def load(file: SourceFile) -> Architecture:
    try:
        return load_architecture(file.data, filename=file.name)
    except ArchitectureLoadError as exc:
        first = exc.issues[0] if exc.issues else None
        raise ImportRefused("errors.architecture_import.native_invalid", file=file.name, count=len(exc.issues),
                            first=(first.location or "-") if first else "-") from None


def report_of(file: SourceFile, arch: Architecture) -> list[ReportEntry]:
    return [ReportEntry(kind=EntryKind.RECOGNISED, key="architecture_import.native.document", file=file.name,
                        params={"components": len(arch.components), "links": len(arch.links)})]


def import_files(files: list[SourceFile]) -> Draft:
    """Architecture files merged with other sources: their regions, components, links and entry points."""
    draft = Draft()
    for file in files:
        arch = load(file)
        for r in arch.regions:
            draft.add_region(r.id)
            for az in r.azs:
                draft.add_az(r.id, az.id)
        for c in arch.components:
            body = c.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            body.pop("id", None)
            draft.add_component(c.id, **body)
        for lk in arch.links:
            body = lk.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            draft.add_link(lk.source, lk.target, **{k: v for k, v in body.items() if k not in ("from", "to")})
        draft.entry_points.extend(arch.entry_points)
        draft.entries.extend(report_of(file, arch))
    return draft
