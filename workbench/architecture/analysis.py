"""One entry point for every model analysis: graph issues, SPOFs, availability, what-if, latency.

``analyse(arch)`` builds the dependency graph and the failure context once and hands them to each
analysis, so a review of 10,000 components stays linear-ish: one BFS per failure domain, one dominator
pass per entry set, one availability evaluation per journey (see each module for its method and sources).

What-if results: every AZ and every region, then the loss of one instance of each component that a
journey depends on (its path or a dominator of it), in declaration order.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from workbench.architecture.availability import Factor, JourneyAvailability, availability
from workbench.architecture.catalogue import load_catalogue
from workbench.architecture.failure import impact
from workbench.architecture.graph import GraphIssues, graph_issues
from workbench.architecture.latency import JourneyLatency, latency
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.spof import Spof, SpofKind, domain_whatifs, find_spofs, journeys_by_dominator
from workbench.architecture.whatif import FailureContext, WhatIfResult, _result, simulate

__all__ = [
    "ArchitectureAnalysis",
    "Factor",
    "GraphIssues",
    "JourneyAvailability",
    "JourneyLatency",
    "Spof",
    "SpofKind",
    "WhatIfResult",
    "analyse",
    "simulate",
]


class ArchitectureAnalysis(BaseModel):
    """Everything the model analyses found; the input of the rules, the scores, the diagram and the page."""

    model_config = ConfigDict(frozen=True)

    graph_issues: GraphIssues
    spofs: list[Spof]
    availability: list[JourneyAvailability]
    whatif: list[WhatIfResult]
    latency: list[JourneyLatency]

    def whatif_for(self, disruption: Disruption | str, target_id: str) -> WhatIfResult | None:
        d = Disruption(disruption)
        return next((w for w in self.whatif if w.disruption == d and w.target_id == target_id), None)

    def spof_ids(self, kind: SpofKind | str = SpofKind.COMPONENT) -> list[str]:
        k = SpofKind(kind)
        return [s.id for s in self.spofs if s.kind == k]


def _instance_whatifs(ctx: FailureContext, by_dominator: dict[str, list[str]]) -> list[WhatIfResult]:
    """Lose one instance of each component a journey depends on; journeys broken come from the dominators."""
    arch = ctx.arch
    baseline = list(ctx.baseline_broken)
    out: list[WhatIfResult] = []
    for c in arch.components_by_id.values():
        if arch.journeys and c.id not in by_dominator:
            continue
        imp = impact(arch, c, Disruption.INSTANCE, c.id, peak_rps=ctx.peak_rps, cat=ctx.cat, groups=ctx.groups[c.id])
        impacts = {c.id: imp} if imp.affected or imp.overloaded else {}
        broken = baseline + (by_dominator.get(c.id, []) if (not imp.up or imp.overloaded) else [])
        out.append(_result(ctx, Disruption.INSTANCE, c.id, impacts, broken))
    return out


def analyse(arch: Architecture, *, peak_rps: dict[str, float] | None = None) -> ArchitectureAnalysis:
    """All analyses of one architecture.  ``peak_rps``: component id → peak requests/s it must carry."""
    cat = load_catalogue()
    ctx = FailureContext(arch, peak_rps=peak_rps, cat=cat)
    by_dominator = journeys_by_dominator(ctx)
    domain_results = domain_whatifs(ctx)
    return ArchitectureAnalysis(
        graph_issues=graph_issues(arch, ctx.graph),
        spofs=find_spofs(arch, ctx=ctx, domain_results=domain_results, by_dominator=by_dominator),
        availability=availability(arch, peak_rps=peak_rps, cat=cat, into=ctx.into),
        whatif=domain_results + _instance_whatifs(ctx, by_dominator),
        latency=latency(arch),
    )
