"""The dependency graph (networkx) and its structural issues: dangling links, self-loops, sync cycles, unreachable.

What and why
    Links become directed edges ``source → target`` (a caller depends on its callee).  Links whose end is
    not a component are *dangling*: they stay out of the graph and are reported, as the issue asks
    ("dangling links are reported as findings"), rather than failing the load.  Self-loops are kept out too.
    A cycle of synchronous calls can deadlock or amplify retries without bound (AWS REL05 "make services
    stateless where possible / avoid circular dependencies"), so every strongly connected component of the
    sync subgraph with more than one node is reported with one concrete cycle.  A component no entry point
    reaches is dead weight or a mistake in the model.

Cost: O(V + E) (Tarjan's SCC, BFS); no enumeration of all simple cycles (exponential in the worst case).
"""

from __future__ import annotations

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.model import Architecture, Link, LinkMode


class GraphIssues(BaseModel):
    """Structural problems of the dependency graph."""

    model_config = ConfigDict(frozen=True)

    sync_cycles: list[list[str]] = Field(default_factory=list, description="one cycle per sync SCC, ids in call order")
    dangling_links: list[tuple[str, str]] = Field(default_factory=list, description="(source, target) of bad links")
    self_loops: list[str] = Field(default_factory=list, description="components linking to themselves")
    unreachable: list[str] = Field(default_factory=list, description="components no entry point reaches")
    unknown_entry_points: list[str] = Field(default_factory=list)
    unknown_journey_components: list[tuple[str, str]] = Field(
        default_factory=list, description="(journey id, component id) referenced but not declared"
    )


def build_graph(arch: Architecture) -> nx.DiGraph:
    """Components as nodes, valid links as edges (attribute ``mode``, ``link`` = the index in ``arch.links``)."""
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(arch.components_by_id)
    ids = arch.components_by_id
    for i, link in enumerate(arch.links):
        # Parallel links between the same pair: keep the first (the model treats them as one dependency).
        valid = link.source in ids and link.target in ids and link.source != link.target
        if valid and not g.has_edge(link.source, link.target):
            g.add_edge(link.source, link.target, mode=link.mode, link=i)
    return g


def _sync_cycles(g: nx.DiGraph) -> list[list[str]]:
    sync = nx.DiGraph((u, v) for u, v, m in g.edges(data="mode") if m == LinkMode.SYNC)
    cycles: list[list[str]] = []
    for scc in nx.strongly_connected_components(sync):
        if len(scc) < 2:
            continue
        start = min(scc)
        cycle_edges = nx.find_cycle(sync.subgraph(scc), source=start)
        cycle = [u for u, _v in cycle_edges]
        # Rotate so the smallest id comes first: stable output for tests and diffs.
        i = cycle.index(min(cycle))
        cycles.append(cycle[i:] + cycle[:i])
    return sorted(cycles)


def links_into(arch: Architecture) -> dict[str, list[Link]]:
    """Target id → the links that point at it (an index so per-journey checks stay linear)."""
    out: dict[str, list[Link]] = {}
    for lk in arch.links:
        out.setdefault(lk.target, []).append(lk)
    return out


def journey_needs(
    arch: Architecture, journey_path: list[str], into: dict[str, list[Link]] | None = None
) -> tuple[list[str], list[str]]:
    """(hard, soft) components of a journey path, declared components only, in path order.

    A component is a *soft* dependency when every link into it from earlier components of the path has
    ``fallback: true``: the caller degrades gracefully without it (AWS REL05-BP01 "implement graceful
    degradation to transform applicable hard dependencies into soft dependencies").  Soft dependencies are
    left out of availability products and of "journey broken" checks; latency still counts their hops.
    """
    ids = arch.components_by_id
    into = into if into is not None else links_into(arch)
    earlier: set[str] = set()
    hard: list[str] = []
    soft: list[str] = []
    for cid in (c for c in dict.fromkeys(journey_path) if c in ids):
        calls = [lk.fallback for lk in into.get(cid, []) if lk.source in earlier]
        (soft if calls and all(calls) else hard).append(cid)
        earlier.add(cid)
    return hard, soft


def reachable_from(g: nx.DiGraph, entries: list[str], removed: frozenset[str] = frozenset()) -> set[str]:
    """Components reachable from ``entries`` when the ``removed`` components are down (BFS, O(V + E))."""
    seen: set[str] = set()
    stack = [e for e in entries if e in g and e not in removed]
    seen.update(stack)
    while stack:
        node = stack.pop()
        for nxt in g.successors(node):
            if nxt not in seen and nxt not in removed:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def graph_issues(arch: Architecture, g: nx.DiGraph | None = None) -> GraphIssues:
    """All structural issues of the architecture's graph."""
    g = g if g is not None else build_graph(arch)
    ids = arch.components_by_id
    dangling = [(lk.source, lk.target) for lk in arch.links if lk.source not in ids or lk.target not in ids]
    self_loops = sorted({lk.source for lk in arch.links if lk.source == lk.target and lk.source in ids})
    entries = [e for e in arch.entry_points if e in ids]
    unreachable = sorted(set(ids) - reachable_from(g, entries)) if entries else []
    return GraphIssues(
        sync_cycles=_sync_cycles(g),
        dangling_links=dangling,
        self_loops=self_loops,
        unreachable=unreachable,
        unknown_entry_points=[e for e in arch.entry_points if e not in ids],
        unknown_journey_components=[(j.id, c) for j in arch.journeys for c in j.path if c not in ids],
    )
