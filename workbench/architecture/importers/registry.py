"""The one registry of importers: recognise each file's kind, import, merge, report.

The page, the CLI and the tests call :func:`import_sources`; adding a source kind means one module with
``NAME``, ``sniff(head)`` and ``import_files(files) -> Draft`` and one line in :data:`IMPORTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from workbench.architecture.importers import drawio, kubernetes, native, terraform
from workbench.architecture.importers.base import (
    Draft,
    EntryKind,
    ImportRefused,
    ImportReport,
    ImportResult,
    SourceFile,
)
from workbench.architecture.importers.sources import expand

_HEAD = 8192


@dataclass(frozen=True)
class Importer:
    """One source kind: its name, how to recognise a file of it, how to import its files."""

    name: str
    sniff: Callable[[str], bool]
    import_files: Callable[[list[SourceFile]], Draft]


IMPORTERS: tuple[Importer, ...] = (
    Importer(terraform.NAME, terraform.sniff, terraform.import_files),
    Importer(drawio.NAME, drawio.sniff, drawio.import_files),
    Importer(native.NAME, native.sniff, native.import_files),
    Importer(kubernetes.NAME, kubernetes.sniff, kubernetes.import_files),
)
"""Tried in this order; the first whose ``sniff`` accepts a file's first 8 KB imports it."""


def kind_of(file: SourceFile) -> str:
    """The importer name for ``file``, or refuse naming the kinds expected and what the file starts with."""
    head = file.data[:_HEAD].decode("utf-8", errors="replace")
    for imp in IMPORTERS:
        if imp.sniff(head):
            return imp.name
    found = next((ln.strip() for ln in head.splitlines() if ln.strip() and not ln.strip().startswith("#")), "")
    raise ImportRefused("errors.architecture_import.unknown_source", file=file.name,
                        expected=", ".join(i.name for i in IMPORTERS), found=found[:80] or "-")


def _checked_types(types: dict[str, str]) -> dict[str, str]:
    from workbench.architecture.catalogue import load_catalogue

    known = load_catalogue().known_types()
    for label, type_ in types.items():
        if type_ not in known:
            raise ImportRefused("errors.architecture_import.unknown_type", label=label[:80], type=type_[:50],
                                known=", ".join(known))
    return types


def import_sources(files: list[SourceFile], name: str = "", types: dict[str, str] | None = None) -> ImportResult:
    """A valid architecture from ``files`` (any mix of kinds, zips expanded) and the import report.

    ``types`` maps a draw.io shape label or cell id to a catalogue type (the user typing unknown shapes).
    A single architecture file (our own YAML/JSON) comes back unchanged: importing an export is a no-op.
    """
    files = expand(files)
    if not files:
        raise ImportRefused("errors.architecture_import.no_files")
    groups: dict[str, list[SourceFile]] = {}
    for f in files:
        groups.setdefault(kind_of(f), []).append(f)
    if list(groups) == [native.NAME] and len(files) == 1:
        arch = native.load(files[0])
        report = ImportReport(sources=[native.NAME], files=[files[0].name],
                              entries=native.report_of(files[0], arch))
        return ImportResult(architecture=arch, report=report)
    draft = Draft()
    by_name = {i.name: i for i in IMPORTERS}
    for kind, members in groups.items():
        if kind == drawio.NAME:
            draft.merge(drawio.import_files(members, types=_checked_types(types or {})))
        else:
            draft.merge(by_name[kind].import_files(members))
    if not draft.components:
        raise ImportRefused("errors.architecture_import.nothing_recognised",
                            file=", ".join(f.name for f in files)[:200],
                            ignored=sum(1 for e in draft.entries if e.kind != EntryKind.RECOGNISED))
    title = name or ", ".join(f.name.rsplit("/", 1)[-1] for f in files[:3]) + (" …" if len(files) > 3 else "")
    try:
        arch = draft.build(name=title)
    except ValidationError as exc:  # an importer produced something the model refuses: report, never crash
        first = exc.errors(include_url=False)[0]
        raise ImportRefused("errors.architecture_import.invalid_result", detail=str(first.get("msg", ""))[:200],
                            location=".".join(str(p) for p in first.get("loc", ()))[:200]) from None
    report = ImportReport(sources=list(groups), files=[f.name for f in files], entries=draft.entries)
    return ImportResult(architecture=arch, report=report)
