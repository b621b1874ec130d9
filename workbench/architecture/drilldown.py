"""Drill-down from the aggregated diagram into one cluster: the components of one (location, type) group.

What and why
    Above :data:`diagram.AGGREGATE_ABOVE` components the page draws the aggregated view (one node per
    location and type) because ``dot`` cannot lay out thousands of nodes quickly.  To look inside one of those
    nodes the advisor picks it; :func:`cluster` returns a small architecture holding that group's components,
    their direct neighbours (so the calls in and out stay visible) and the links between them, which the
    full view draws.  Cost: one pass over components and links, O(V + E).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from workbench.architecture.diagram import Location, parts_of
from workbench.architecture.model import Architecture

MAX_CLUSTER = 400
"""Most components a drill-down draws (the group first, then neighbours), so its full view stays fast."""


class ClusterRef(BaseModel):
    """One node of the aggregated view: where, which type, how many components."""

    model_config = ConfigDict(frozen=True)

    kind: str  # "global" | "region" | "az"
    location: str
    type: str
    components: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.location}:{self.type}"


def clusters(arch: Architecture) -> list[ClusterRef]:
    """The aggregated view's groups, largest first (ties by location then type)."""
    members: dict[tuple[Location, str], set[str]] = {}
    for c in arch.components:
        for part in parts_of(arch, c):
            members.setdefault((part.location, c.type), set()).add(c.id)
    refs = [ClusterRef(kind=loc[0], location=loc[1], type=type_, components=len(ids))
            for (loc, type_), ids in members.items()]
    return sorted(refs, key=lambda r: (-r.components, r.kind, r.location, r.type))


def cluster(arch: Architecture, ref: ClusterRef, *, limit: int = MAX_CLUSTER) -> Architecture:
    """The components of ``ref`` plus their direct neighbours (within ``limit``), with the links among them."""
    inside: list[str] = []
    for c in arch.components:
        if c.type == ref.type and any(p.location == (ref.kind, ref.location) for p in parts_of(arch, c)):
            inside.append(c.id)
    keep = dict.fromkeys(inside[:limit])
    for lk in arch.links:
        if len(keep) >= limit:
            break
        if lk.source in keep and lk.target not in keep:
            keep[lk.target] = None
        elif lk.target in keep and lk.source not in keep:
            keep[lk.source] = None
    ids = set(keep)
    by_id = arch.components_by_id
    return arch.model_copy(update={
        "name": f"{arch.name} — {ref.location or ref.kind} · {ref.type}",
        "components": [by_id[i] for i in keep if i in by_id],
        "links": [lk for lk in arch.links if lk.source in ids and lk.target in ids],
        "entry_points": [e for e in arch.entry_points if e in ids],
        "journeys": [],
        "waivers": [],
    })
