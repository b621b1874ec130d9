"""Capacity rules (CAP-xxx): the design against the forecast peak, using facts from the capacity engine.

The facts arrive as :class:`~workbench.architecture.findings.ComponentCapacity` plain values passed in by the
workshop layer (design.md: ``architecture/`` never imports ``capacity/``).  These rules are silent when no
capacity facts are passed.  Sources: REL01-BP06 / REL11-BP05 (static stability: survive an AZ loss without
scaling), REL07-BP01, PERF02-BP04 (headroom), COST06-BP02 (right-sizing), and the Universal Scalability Law
(N. Gunther, *Guerrilla Capacity Planning*, Springer 2007, ch. 4–5: throughput peaks at
``N* = sqrt((1 − α) / β)`` and falls beyond it).
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.architecture.findings import ComponentCapacity, Finding, FixKind, Pillar, Severity
from workbench.architecture.model import Component, HAMode
from workbench.architecture.rules.base import Rule, RuleContext, rule, wa

HIGH_UTILISATION = 0.70
"""Above 70 % per instance at the peak there is no headroom for spikes or failover (research note PERF-004)."""
LOW_UTILISATION = 0.20
"""Below 20 % at the peak the tier is over-provisioned (research note COST-001, TA low-utilisation checks)."""


def _facts(ctx: RuleContext) -> Iterator[tuple[ComponentCapacity, Component | None]]:
    assert ctx.capacity is not None
    for cid in sorted(ctx.capacity):
        yield ctx.capacity[cid], ctx.components.get(cid)


def scales_out(ctx: RuleContext, c: Component) -> bool:
    """More instances add capacity: spread over two AZs already, and stateless or every replica serving."""
    serving = not ctx.is_stateful(c) or c.ha_mode in (HAMode.ACTIVE_ACTIVE, HAMode.CLUSTER)
    return len(c.azs) >= 2 and serving


def surviving_after_az_loss(c: Component, current: int) -> int | None:
    """Instances left when the AZ holding most of them is lost (None when the component has no AZ placement).

    The placement gives the split; ``current`` (the capacity engine's count) is spread in the same proportion.
    """
    per_az: dict[str, int] = {}
    for p in c.placement:
        if p.az is None:
            return None
        per_az[p.az] = per_az.get(p.az, 0) + p.count
    if not per_az:
        return None
    total = sum(per_az.values())
    return current - -(-current * max(per_az.values()) // total)  # lose the ceiling share of the largest AZ


@rule("CAP-001", Pillar.performance, Severity.high, wa("rel_adapt_to_changes_autoscale_adapt.html"),
      needs_capacity=True)
def under_provisioned(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Fewer instances than the forecast peak needs, and no autoscaling to close the gap (REL07-BP01)."""
    for f, _ in _facts(ctx):
        if f.autoscaling_max is None and f.current_instances < f.required_instances_at_peak:
            yield r.finding([f.component_id], current=f.current_instances, required=f.required_instances_at_peak)


@rule("CAP-002", Pillar.reliability, Severity.high, wa("rel_withstand_component_failures_static_stability.html"),
      fix=FixKind.add_capacity_per_az, needs_capacity=True)
def no_az_headroom(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """After losing the largest AZ, the remaining instances cannot carry the peak (REL11-BP05 static stability).

    Counted on the design's placement (what the review judges).  The fix adds instances in every AZ so that
    any one AZ can be lost (N+1 per AZ); it is offered only when the component already spans two AZs (a
    single-AZ component is a placement problem, REL-002/REL-006, whose fix is to spread it) and more instances
    add capacity (not for a primary/standby store, where only the primary serves: scale its class up instead).
    """
    for f, c in _facts(ctx):
        if c is None:
            continue
        left = surviving_after_az_loss(c, c.replicas)
        if left is not None and left < f.required_after_az_loss:
            yield r.finding([f.component_id],
                            fix={"component_id": c.id, "needed": f.required_after_az_loss}
                            if scales_out(ctx, c) else False,
                            left=left, required=f.required_after_az_loss)


@rule("CAP-003", Pillar.reliability, Severity.medium, wa("rel_manage_service_limits_suff_buffer_limits.html"),
      fix=FixKind.enable_autoscaling, needs_capacity=True)
def autoscaling_max_too_low(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """The autoscaling maximum is below what the peak needs or, when the sizing spreads over AZs, below the total
    that keeps the peak's need after losing one AZ (REL01-BP06 buffer, REL11-BP05 static stability).

    The texts keep the two apart: ``required`` is what the peak needs, ``total`` what the group must be allowed
    across its AZs (variant ``az_loss``).
    """
    for f, _ in _facts(ctx):
        required = max(f.required_instances_at_peak, f.required_after_az_loss)
        total = max(required, f.provisioned_for_az_loss or 0)
        if f.autoscaling_max is None or f.autoscaling_max >= total:
            continue
        if total > required:
            yield r.finding([f.component_id], fix={"max": total}, variant="az_loss", max=f.autoscaling_max,
                            required=required, total=total)
        else:
            yield r.finding([f.component_id], fix={"max": total}, max=f.autoscaling_max, required=required)


@rule("CAP-004", Pillar.performance, Severity.high, "https://doi.org/10.1007/978-3-540-31010-5",
      needs_capacity=True)
def past_usl_peak(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """The tier runs past its USL peak N*: adding load or nodes lowers throughput (Gunther 2007, ch. 4–5)."""
    for f, _ in _facts(ctx):
        if f.usl_nstar is not None and f.concurrency_at_peak is not None and f.concurrency_at_peak > f.usl_nstar:
            yield r.finding([f.component_id], n=f.concurrency_at_peak, nstar=f.usl_nstar)


@rule("CAP-005", Pillar.performance, Severity.medium,
      wa("perf_compute_hardware_configure_and_right_size_compute_resources.html"), needs_capacity=True)
def no_headroom(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Peak utilisation above 70 % (but not overloaded): no headroom for spikes or failover (PERF02-BP04)."""
    for f, _ in _facts(ctx):
        if HIGH_UTILISATION < f.utilisation_at_peak <= 1.0:
            yield r.finding([f.component_id], utilisation=100 * f.utilisation_at_peak, limit=100 * HIGH_UTILISATION)


@rule("CAP-006", Pillar.cost, Severity.low, wa("cost_type_size_number_resources_data.html"), needs_capacity=True)
def over_provisioned(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Peak utilisation below 20 %: the tier is larger than the forecast needs (COST06-BP02)."""
    for f, _ in _facts(ctx):
        if f.current_instances > 0 and f.utilisation_at_peak < LOW_UTILISATION:
            yield r.finding([f.component_id], utilisation=100 * f.utilisation_at_peak, limit=100 * LOW_UTILISATION)
