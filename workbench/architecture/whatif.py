"""What-if failures: lose one instance, one AZ or one region, and see what survives and how long recovery takes.

What and why
    The advisor's question "what happens if ap-guangzhou-3 goes down?" answered from the model: which
    journeys still work, which components are lost or short of capacity (against the peak when known),
    and the estimated RTO/RPO (``recovery.py``) against the policy targets per disruption scope
    (AWS Resilience Hub resiliency policy [R2][R3]; research note §4.4).

    A journey survives when every component on its path is up with enough instances for its load and
    is still reachable from the journey's entry point over the surviving components (dependency links).
    ``RTO_d = max`` over the affected components the journeys need (all components when there are no
    journeys) of the component RTO; ``RPO_d`` likewise over the stateful ones.

Cost: one pass over the components plus one BFS per distinct entry set: O(V + E) per scenario.
"""

from __future__ import annotations

from functools import cached_property

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.catalogue import Catalogue, is_stateful, load_catalogue
from workbench.architecture.failure import Group, Impact, domains, groups_of, impact
from workbench.architecture.graph import build_graph, journey_needs, links_into, reachable_from
from workbench.architecture.messages import MessageRef, msg
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.recovery import ComponentRecovery, estimate_recovery
from workbench.errors import InputError


class WhatIfResult(BaseModel):
    """The outcome of one disruption."""

    model_config = ConfigDict(frozen=True)

    disruption: Disruption
    target_id: str = Field(description="the component (instance loss), AZ or region lost")
    journeys_surviving: list[str]
    journeys_broken: list[str]
    components_lost: list[str] = Field(description="components no longer serving")
    components_overloaded: list[str] = Field(default_factory=list, description="serving with fewer than k instances")
    capacity_left: dict[str, float] = Field(description="affected component → fraction of its instances left")
    peak_coverage: dict[str, float] = Field(
        default_factory=dict, description="affected component → capacity left ÷ peak (≥ 1 carries the peak)"
    )
    rto_minutes_est: float = Field(description="estimated recovery time, minutes; inf = until the domain returns")
    rpo_minutes_est: float | None = Field(description="estimated data-loss window, minutes; None = data lost")
    data_loss: bool = False
    rto_target: float = Field(description="policy RTO for this disruption scope, minutes")
    rpo_target: float = Field(description="policy RPO for this disruption scope, minutes")
    meets_rto: bool
    meets_rpo: bool
    rto_component: str | None = Field(default=None, description="component that sets the RTO")
    rto_surviving_minutes_est: float = Field(
        default=0.0, description="worst recovery time among the affected components that are not lost (they fail "
        "over to what is left), minutes; a SPOF finding on the lost ones does not cover these")
    rto_surviving_component: str | None = Field(default=None, description="component that sets rto_surviving")
    rpo_component: str | None = Field(default=None, description="component that sets the RPO")
    explanation: list[MessageRef] = Field(default_factory=list)

    @property
    def rto_unbounded(self) -> bool:
        """No copy elsewhere: recovery waits for the lost domain to return."""
        return self.rto_minutes_est == float("inf")


class FailureContext:
    """What every scenario of one architecture shares: the graph, each journey's entries and needs."""

    def __init__(
        self, arch: Architecture, *, peak_rps: dict[str, float] | None = None, cat: Catalogue | None = None
    ) -> None:
        self.arch = arch
        self.peak_rps = peak_rps
        self.cat = cat or load_catalogue()
        self.graph: nx.DiGraph = build_graph(arch)
        ids = arch.components_by_id
        self.into = links_into(arch)
        self.azs, self.regions = domains(arch)
        # Failure-domain index: a disruption only needs to look at the components placed in it.
        self.groups: dict[str, list[Group]] = {cid: groups_of(arch, c) for cid, c in ids.items()}
        self.in_domain: dict[tuple[Disruption, str], list[str]] = {}
        for cid, groups in self.groups.items():
            for g in groups:
                keys = [(Disruption.REGION, g.region)] + ([(Disruption.AZ, g.az)] if g.az is not None else [])
                for key in keys:
                    members = self.in_domain.setdefault(key, [])
                    if not members or members[-1] != cid:
                        members.append(cid)
        declared_entries = [e for e in arch.entry_points if e in ids]
        self.entries: dict[str, tuple[str, ...]] = {}
        self.needs: dict[str, list[str]] = {}
        self.soft: dict[str, list[str]] = {}
        for j in arch.journeys:
            path = [c for c in dict.fromkeys(j.path) if c in ids]
            self.needs[j.id], self.soft[j.id] = journey_needs(arch, j.path, self.into)
            if path and (path[0] in declared_entries or not declared_entries):
                self.entries[j.id] = (path[0],)
            else:
                self.entries[j.id] = tuple(declared_entries)
        # RTO/RPO count every component a journey needs (or every component when there are no journeys).
        self.scope_ids: list[str] = (
            list(dict.fromkeys(c for j in arch.journeys for c in self.needs[j.id])) if arch.journeys else list(ids)
        )

    def broken(self, down: frozenset[str]) -> list[str]:
        """Journeys broken when ``down`` components do not serve (one BFS per distinct entry set)."""
        reach: dict[tuple[str, ...], set[str]] = {}
        out: list[str] = []
        for j in self.arch.journeys:
            need = self.needs[j.id]
            if any(c in down for c in need):
                out.append(j.id)
                continue
            entries = self.entries[j.id]
            if entries not in reach:
                reach[entries] = reachable_from(self.graph, list(entries), down)
            if any(c not in reach[entries] for c in need):
                out.append(j.id)
        return out

    @cached_property
    def scope_set(self) -> frozenset[str]:
        """:attr:`scope_ids` as a set, built once (not once per scenario: 10,000 instance scenarios of a
        journey-less estate would rebuild a 10,000-id set each, a quadratic step)."""
        return frozenset(self.scope_ids)

    @cached_property
    def baseline_broken(self) -> list[str]:
        return self.broken(frozenset())


def _journey_split(ctx: FailureContext, broken: list[str]) -> tuple[list[str], list[str]]:
    broken_set = set(broken)
    return [j.id for j in ctx.arch.journeys if j.id not in broken_set], [
        j.id for j in ctx.arch.journeys if j.id in broken_set
    ]


def simulate(
    arch: Architecture,
    disruption: Disruption | str,
    target_id: str,
    *,
    peak_rps: dict[str, float] | None = None,
    ctx: FailureContext | None = None,
) -> WhatIfResult:
    """Lose one instance of component ``target_id``, or AZ ``target_id``, or region ``target_id``."""
    try:
        disruption = Disruption(disruption)
    except ValueError:
        raise InputError("errors.architecture.unknown_disruption", disruption=str(disruption)[:50]) from None
    ctx = ctx or FailureContext(arch, peak_rps=peak_rps)
    known = {Disruption.INSTANCE: arch.components_by_id, Disruption.AZ: ctx.azs, Disruption.REGION: ctx.regions}[
        disruption
    ]
    if target_id not in known:
        raise InputError("errors.architecture.unknown_target", target=str(target_id)[:200], disruption=disruption.value)
    candidates = [target_id] if disruption == Disruption.INSTANCE else ctx.in_domain.get((disruption, target_id), [])
    impacts: dict[str, Impact] = {}
    for cid in candidates:
        c = arch.components_by_id[cid]
        imp = impact(arch, c, disruption, target_id, peak_rps=ctx.peak_rps, cat=ctx.cat, groups=ctx.groups[cid])
        if imp.affected or imp.overloaded:
            impacts[cid] = imp
    return _result(ctx, disruption, target_id, impacts)


def _result(
    ctx: FailureContext,
    disruption: Disruption,
    target_id: str,
    impacts: dict[str, Impact],
    broken_ids: list[str] | None = None,
) -> WhatIfResult:
    """Assemble the result; ``broken_ids`` may be precomputed (dominators for bulk instance scenarios)."""
    arch, cat = ctx.arch, ctx.cat
    lost = [cid for cid, imp in impacts.items() if not imp.up]
    overloaded = [cid for cid, imp in impacts.items() if imp.up and imp.overloaded]
    if broken_ids is None:
        broken_ids = ctx.broken(frozenset(lost) | frozenset(overloaded))
    surviving, broken = _journey_split(ctx, broken_ids)
    scope = ctx.scope_set
    recoveries: list[ComponentRecovery] = [
        estimate_recovery(arch.components_by_id[cid], imp, disruption, cat=cat)
        for cid, imp in impacts.items()
        if cid in scope
    ]
    rto, rto_c = max(((r.rto_minutes, r.component_id) for r in recoveries), default=(0.0, None))
    surviving_rto, surviving_c = max(((r.rto_minutes, r.component_id) for r in recoveries
                                      if r.component_id not in lost), default=(0.0, None))
    stateful_recs = [r for r in recoveries if is_stateful(arch.components_by_id[r.component_id], cat)]
    data_loss = any(r.data_loss for r in stateful_recs)
    rpo: float | None
    if data_loss:
        rpo_c: str | None = next(r.component_id for r in stateful_recs if r.data_loss)
        rpo = None
    else:
        rpo, rpo_c = max(((r.rpo_minutes or 0.0, r.component_id) for r in stateful_recs), default=(0.0, None))
    rto_target = arch.policy.rto_minutes[disruption]
    rpo_target = arch.policy.rpo_minutes[disruption]
    explanation: list[MessageRef] = [
        msg(
            f"arch_model.whatif.summary.{disruption.value}",
            target=target_id,
            broken=len(broken),
            total=len(arch.journeys),
        )
    ]
    baseline = set(ctx.baseline_broken)
    if baseline:
        explanation.append(msg("arch_model.whatif.baseline_broken", journeys=", ".join(sorted(baseline))))
    recoveries.sort(key=lambda r: -r.rto_minutes)
    for r in recoveries:
        explanation.extend(r.explanation)
    capacity_left = {cid: imp.remaining / imp.total if imp.total else 0.0 for cid, imp in impacts.items()}
    peak_coverage: dict[str, float] = {}
    for cid, imp in impacts.items():
        c = arch.components_by_id[cid]
        peak = (ctx.peak_rps or {}).get(cid)
        if peak and c.capacity_per_instance_rps:
            peak_coverage[cid] = imp.remaining * c.capacity_per_instance_rps / peak
    return WhatIfResult(
        disruption=disruption,
        target_id=target_id,
        journeys_surviving=surviving,
        journeys_broken=broken,
        components_lost=lost,
        components_overloaded=overloaded,
        capacity_left=capacity_left,
        peak_coverage=peak_coverage,
        rto_minutes_est=rto,
        rpo_minutes_est=rpo,
        data_loss=data_loss,
        rto_target=rto_target,
        rpo_target=rpo_target,
        meets_rto=rto <= rto_target + 1e-9,
        meets_rpo=rpo is not None and rpo <= rpo_target + 1e-9,
        rto_component=rto_c,
        rto_surviving_minutes_est=surviving_rto,
        rto_surviving_component=surviving_c,
        rpo_component=rpo_c,
        explanation=explanation,
    )
