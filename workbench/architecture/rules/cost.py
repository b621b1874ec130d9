"""Cost rules (COST-xxx): replication and standby beyond what the criticality needs, idle capacity, cost data.

Sources: AWS Well-Architected cost pillar (COST03–COST09), Azure WAF CO:07/CO:08, research note §3.4.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.architecture.findings import Finding, FixKind, Pillar, Severity
from workbench.architecture.model import Criticality, HAMode
from workbench.architecture.rules import kinds
from workbench.architecture.rules.base import Rule, RuleContext, rule, wa

P = Pillar.cost
FIXED_FLEET_MIN = 4
"""A fixed fleet this large on a variable-load tier idles off-peak (COST09-BP03)."""
LOW_CRITICALITY_MAX_REPLICAS = 2
"""Two replicas already survive an instance loss; more is over-replication for a low-criticality component."""


@rule("COST-001", P, Severity.low, wa("cost_type_size_number_resources_data.html"))
def over_replicated(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A low-criticality component off every critical journey with more than two replicas (COST06-BP02)."""
    for c in ctx.arch.components:
        if (c.criticality == Criticality.LOW and c.id not in ctx.on_critical_journey
                and c.replicas > LOW_CRITICALITY_MAX_REPLICAS and c.autoscaling is None):
            yield r.finding([c.id], replicas=c.replicas, limit=LOW_CRITICALITY_MAX_REPLICAS)


@rule("COST-002", P, Severity.low, wa("cost_select_service_select_for_cost.html"))
def active_active_low_criticality(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Active-active for a low-criticality component off critical journeys: a standby would meet its needs
    (COST05-BP05, CO:08, REL13-BP02 strategies)."""
    for c in ctx.arch.components:
        if (c.ha_mode == HAMode.ACTIVE_ACTIVE and c.criticality == Criticality.LOW
                and c.id not in ctx.on_critical_journey):
            yield r.finding([c.id])


@rule("COST-003", P, Severity.low, wa("cost_manage_demand_resources_dynamic.html"), fix=FixKind.enable_autoscaling)
def fixed_fleet(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A large fixed fleet of stateless compute without autoscaling: sized for peak, idle off-peak (COST09-BP03)."""
    for c in ctx.arch.components:
        if kinds.kind_of(c) in kinds.SCALABLE_COMPUTE and c.autoscaling is None and c.replicas >= FIXED_FLEET_MIN:
            yield r.finding([c.id], fix=True, replicas=c.replicas)


@rule("COST-004", P, Severity.info, wa("cost_monitor_usage_org_information.html"))
def missing_cost(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """No monthly cost per instance: the review cannot weigh a fix against its price (COST03-BP02).  Hygiene: one
    finding naming every such component."""
    ids = [c.id for c in ctx.arch.components if c.cost_per_instance_month is None]
    if ids:
        yield r.finding(ids, count=len(ids))


@rule("COST-005", P, Severity.low, wa("cost_monitor_usage_org_information.html"))
def no_tags(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Components without tags: their cost cannot be attributed to a team or project (COST03-BP02).  Hygiene: one
    finding naming every such component."""
    ids = [c.id for c in ctx.arch.components if not c.tags]
    if ids:
        yield r.finding(ids, count=len(ids))


@rule("COST-006", P, Severity.medium, wa("cost_decomissioning_resources_decommission.html"))
def isolated_component(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A component with no links at all that is not an entry point: idle or forgotten (COST04-BP03)."""
    for c in ctx.arch.components:
        if c.id not in ctx.arch.entry_points and not ctx.in_links.get(c.id) and not ctx.out_links.get(c.id):
            yield r.finding([c.id])
