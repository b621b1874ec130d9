"""Single points of failure: a component, AZ or region whose loss cuts an entry point off a component a journey needs.

What and why
    Reliability pillar REL10 ("use fault isolation to protect your workload") and the Resilience Hub /
    TSA disruption scopes (research note §4.3–4.4).  Three kinds:
    - **az / region**: losing the whole domain (``whatif.simulate``) breaks at least one journey that works
      today.  One reachability pass per failure domain.
    - **component**: losing *one instance* takes the component out of service (one instance only, a
      stateful component without HA, or fewer than k instances left) and the component is on a journey's
      path or *dominates* a component the journey needs, i.e. every route from the journey's entry passes
      through it (Lengauer–Tarjan dominators, ``networkx.immediate_dominators``).  Dominators replace
      "delete each node and re-run reachability" (O(V·(V+E))) with one near-linear pass per entry set.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.failure import impact
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.whatif import FailureContext, WhatIfResult, simulate

_ROOT = "\x00root"


class SpofKind(StrEnum):
    COMPONENT = "component"
    AZ = "az"
    REGION = "region"


class Spof(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SpofKind
    id: str = Field(description="component, AZ or region id")
    journeys_broken: list[str] = Field(description="journeys that work today and break when this is lost")


def journeys_by_dominator(ctx: FailureContext) -> dict[str, list[str]]:
    """Component → journeys that break when it stops serving (it is needed, or it dominates a need).

    Journeys already broken without any failure are left out (they are a graph issue, not a SPOF).
    """
    baseline = set(ctx.baseline_broken)
    g = ctx.graph
    idoms: dict[tuple[str, ...], dict[str, str]] = {}
    out: dict[str, list[str]] = defaultdict(list)
    for j in ctx.arch.journeys:
        if j.id in baseline:
            continue
        entries = ctx.entries[j.id]
        if entries not in idoms:
            idoms[entries] = _immediate_dominators(g, entries)
        idom = idoms[entries]
        closure: set[str] = set()
        for v in ctx.needs[j.id]:
            node = v
            while node not in closure and node != _ROOT:
                closure.add(node)
                parent = idom.get(node, _ROOT)
                if parent == node:  # the single entry is its own dominator
                    break
                node = parent
        for c in closure:
            out[c].append(j.id)
    return dict(out)


def _immediate_dominators(g: nx.DiGraph, entries: tuple[str, ...]) -> dict[str, str]:
    if len(entries) == 1:
        return dict(nx.immediate_dominators(g, entries[0]))
    h = g.copy()
    h.add_edges_from((_ROOT, e) for e in entries)
    return dict(nx.immediate_dominators(h, _ROOT))


def domain_whatifs(ctx: FailureContext) -> list[WhatIfResult]:
    """Lose each AZ, then each region (in declaration order)."""
    azs, regions = ctx.azs, ctx.regions
    return [simulate(ctx.arch, Disruption.AZ, az, ctx=ctx) for az in azs] + [
        simulate(ctx.arch, Disruption.REGION, r, ctx=ctx) for r in regions
    ]


def find_spofs(
    arch: Architecture,
    *,
    peak_rps: dict[str, float] | None = None,
    ctx: FailureContext | None = None,
    domain_results: list[WhatIfResult] | None = None,
    by_dominator: dict[str, list[str]] | None = None,
) -> list[Spof]:
    """Component SPOFs first (declaration order), then AZs, then regions."""
    ctx = ctx or FailureContext(arch, peak_rps=peak_rps)
    by_dominator = by_dominator if by_dominator is not None else journeys_by_dominator(ctx)
    spofs: list[Spof] = []
    for c in arch.components_by_id.values():
        journeys = by_dominator.get(c.id)
        if not journeys:
            continue
        imp = impact(arch, c, Disruption.INSTANCE, c.id, peak_rps=ctx.peak_rps, cat=ctx.cat, groups=ctx.groups[c.id])
        if not imp.up or imp.overloaded:
            spofs.append(Spof(kind=SpofKind.COMPONENT, id=c.id, journeys_broken=journeys))
    baseline = set(ctx.baseline_broken)
    for result in domain_results if domain_results is not None else domain_whatifs(ctx):
        newly = [j for j in result.journeys_broken if j not in baseline]
        if newly:
            kind = SpofKind.AZ if result.disruption == Disruption.AZ else SpofKind.REGION
            spofs.append(Spof(kind=kind, id=result.target_id, journeys_broken=newly))
    return spofs
