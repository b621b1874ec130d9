"""What every importer shares: the source file, the import report, the refusal error and the draft builder.

What and why
    Customers arrive with Terraform, Kubernetes manifests or a draw.io diagram, not with our YAML.  Each
    importer turns its source into a :class:`Draft` (regions/AZs, components, links) and writes every
    decision into an :class:`ImportReport`: what it recognised, what it assumed (and by which rule), what
    it ignored (and why), and what it could not type, each with the source location (file, resource
    address or shape id, line where the format has lines).  The advisor reads the report before the model
    becomes a version, so no guess is silent.

    Bad input is refused with :class:`ImportRefused` (a translated message naming what was expected and what
    was found); nothing is half-imported.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.model import AZ, Architecture, Component, Link, Placement, Region
from workbench.errors import InputError

MAX_IMPORT_MB_DEFAULT = 64
"""Default limit of one import (all files together), in MB; raise it with ``WORKBENCH_MAX_IMPORT_MB``."""
MAX_DEPTH = 100
"""Deepest nesting accepted in a JSON/YAML/XML source (Terraform plans nest ~15 levels)."""
MAX_FILES = 2_000
"""Most files in one import (a directory or a zip of manifests)."""


def max_import_mb() -> float:
    """The size limit of one import in MB, from ``WORKBENCH_MAX_IMPORT_MB`` or :data:`MAX_IMPORT_MB_DEFAULT`."""
    raw = os.environ.get("WORKBENCH_MAX_IMPORT_MB", "")
    try:
        mb = float(raw) if raw.strip() else MAX_IMPORT_MB_DEFAULT
    except ValueError:
        mb = MAX_IMPORT_MB_DEFAULT
    return max(mb, 0.001) if math.isfinite(mb) else MAX_IMPORT_MB_DEFAULT


def max_import_bytes() -> int:
    """The size limit of one import, in bytes."""
    return int(max_import_mb() * 1024 * 1024)


class ImportRefused(InputError):
    """A source the importers cannot use; the message names what was expected and what was found."""


@dataclass(frozen=True)
class SourceFile:
    """One file to import: its name as the user knows it (relative path inside a folder or zip) and bytes."""

    name: str
    data: bytes

    def text(self) -> str:
        """The content as text (UTF-8, BOM removed); refuse anything else with a clear message."""
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused("errors.architecture_import.encoding", file=self.name, offset=exc.start) from None


class EntryKind(StrEnum):
    """What the importer did with one element of the source."""

    RECOGNISED = "recognised"
    ASSUMED = "assumed"
    IGNORED = "ignored"
    UNKNOWN = "unknown"  # could not be typed: listed for the user to type


class ReportEntry(BaseModel):
    """One line of the import report: a message key with parameters, and where in the source it comes from."""

    model_config = ConfigDict(frozen=True)

    kind: EntryKind
    key: str = Field(description="message key in architecture_import.yaml")
    params: dict[str, str | int | float] = Field(default_factory=dict)
    file: str = ""
    address: str = Field(default="", description="resource address, manifest kind/name or shape id")
    line: int | None = Field(default=None, description="1-based line in the file, where the format has lines")
    component: str | None = Field(default=None, description="the component this entry concerns, if any")

    def where(self) -> str:
        """``file:line address`` (the parts that are known)."""
        loc = f"{self.file}:{self.line}" if self.line is not None else self.file
        return " ".join(p for p in (loc, self.address) if p)

    def text(self, lang: str) -> str:
        """The translated message; a catalogue ``type`` parameter is shown by its name in ``lang``."""
        from workbench.architecture.catalogue import load_catalogue
        from workbench.i18n import normalise_language, t

        params = dict(self.params)
        type_ = load_catalogue().types.get(str(params.get("type", "")))
        if type_ is not None:
            params["type"] = type_.name.get(normalise_language(lang), str(params["type"]))
        return t(self.key, lang, **params)


class ImportReport(BaseModel):
    """Everything the import decided, in source order."""

    model_config = ConfigDict(frozen=True)

    sources: list[str] = Field(default_factory=list, description="importer names used, e.g. terraform")
    files: list[str] = Field(default_factory=list)
    entries: list[ReportEntry] = Field(default_factory=list)

    def of_kind(self, kind: EntryKind) -> list[ReportEntry]:
        return [e for e in self.entries if e.kind == kind]

    def counts(self) -> dict[EntryKind, int]:
        out = dict.fromkeys(EntryKind, 0)
        for e in self.entries:
            out[e.kind] += 1
        return out


class ImportResult(BaseModel):
    """A valid architecture and the report of how it was obtained."""

    model_config = ConfigDict(frozen=True)

    architecture: Architecture
    report: ImportReport


@dataclass
class Draft:
    """A growing architecture: regions → AZs, components, links, and the report entries so far.

    Components are kept as keyword dicts until :meth:`build`, so importers can amend them (a later HPA sets
    the autoscaling of an earlier Deployment) without rebuilding frozen models.
    """

    regions: dict[str, list[str]] = field(default_factory=dict)
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    entries: list[ReportEntry] = field(default_factory=list)
    entry_points: list[str] = field(default_factory=list)

    def note(
        self,
        kind: EntryKind,
        key: str,
        /,
        *,
        file: str = "",
        address: str = "",
        line: int | None = None,
        about: str | None = None,
        **params: str | float,
    ) -> None:
        """Add a report entry; ``about`` is the component concerned (``params`` fill the message).

        Built without re-validation (``model_construct``): the arguments are typed here, and an import of
        10,000 resources writes tens of thousands of entries.
        """
        self.entries.append(ReportEntry.model_construct(kind=kind, key=key, params=params, file=file,
                                                        address=address, line=line, component=about))

    def add_az(self, region: str, az: str) -> None:
        azs = self.regions.setdefault(region, [])
        if az not in azs:
            azs.append(az)

    def add_region(self, region: str) -> None:
        self.regions.setdefault(region, [])

    def add_component(self, cid: str, **fields: Any) -> str:
        """Add a component; an id already taken gets a ``-2``, ``-3``... suffix.  Returns the id used."""
        base, n = cid, 1
        while cid in self.components:
            n += 1
            cid = f"{base}-{n}"
        self.components[cid] = {"id": cid, **fields}
        return cid

    def add_link(self, source: str, target: str, **fields: Any) -> bool:
        """Add a link once (the first one between two components wins); self-links are not links."""
        if source == target or (source, target) in self.links:
            return False
        self.links[(source, target)] = {"from": source, "to": target, **fields}
        return True

    def merge(self, other: Draft) -> None:
        """Add ``other`` (another source of the same import); colliding component ids are renamed."""
        if not (self.regions or self.components or self.links or self.entries or self.entry_points):
            self.regions, self.components, self.links = other.regions, other.components, other.links
            self.entries, self.entry_points = other.entries, other.entry_points
            return
        renamed: dict[str, str] = {}
        for region, azs in other.regions.items():
            for az in azs:
                self.add_az(region, az)
            self.add_region(region)
        for cid, body in other.components.items():
            new = self.add_component(cid, **{k: v for k, v in body.items() if k != "id"})
            renamed[cid] = new
        for (s, t), body in other.links.items():
            self.add_link(renamed.get(s, s), renamed.get(t, t), **{k: v for k, v in body.items()
                                                                  if k not in ("from", "to")})
        self.entry_points.extend(renamed.get(e, e) for e in other.entry_points)
        self.entries.extend(other.entries)

    def build(self, name: str, description: str = "") -> Architecture:
        """The frozen :class:`Architecture` (components sorted as added; links only between known components)."""
        regions = [Region(id=r, azs=[AZ(id=a) for a in azs]) for r, azs in self.regions.items()]
        components = [Component.model_validate(body) for body in self.components.values()]
        links = [Link.model_validate(body) for (s, t), body in self.links.items()
                 if s in self.components and t in self.components]
        entries = [e for e in dict.fromkeys(self.entry_points) if e in self.components]
        return Architecture(name=name[:500], description=description[:20_000], regions=regions,
                            components=components, links=links, entry_points=entries)


def spread(azs: Iterable[str], replicas: int) -> list[Placement]:
    """``replicas`` spread round-robin over ``azs`` (AZs that receive none are left out)."""
    zones = list(dict.fromkeys(azs))
    if not zones or replicas < 1:
        return []
    counts = [replicas // len(zones) + (1 if i < replicas % len(zones) else 0) for i in range(len(zones))]
    return [Placement(az=z, count=n) for z, n in zip(zones, counts, strict=True) if n > 0]


def placement_docs(placements: Iterable[Placement]) -> list[dict[str, Any]]:
    return [p.model_dump(exclude_none=True) for p in placements]


def check_depth(data: Any, file: str, limit: int = MAX_DEPTH) -> None:
    """Refuse data nested deeper than ``limit``.

    Iterative (a deep file cannot exhaust the stack) and visiting each container once, so YAML aliases that
    share one list many times (the "billion laughs" shape, CWE-776) cost their size, not their expansion.
    """
    if not isinstance(data, (dict, list)):
        return
    stack: list[tuple[Any, int]] = [(data, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise ImportRefused("errors.architecture_import.too_deep", file=file, limit=limit)
        if id(node) in seen:
            continue
        seen.add(id(node))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((v, depth + 1) for v in children if isinstance(v, (dict, list)))
