"""Operations rules (OPS-xxx): monitoring, alerting, tracing, logging, ownership, SLAs, journeys, waivers.

Sources: AWS Well-Architected operational excellence and reliability pillars (OPS02, OPS04, OPS08, REL06),
Azure WAF OE:07, research note §3.5.  Waiver rules read ``arch.waivers`` against the review date.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.architecture import catalogue
from workbench.architecture.catalogue import load_catalogue
from workbench.architecture.findings import Finding, FixKind, Pillar, Severity
from workbench.architecture.rules import kinds
from workbench.architecture.rules.base import AZURE, Rule, RuleContext, registered, rule, wa

P = Pillar.operations
_TRACED = frozenset({kinds.COMPUTE, kinds.CONTAINER, kinds.SERVERLESS, kinds.API_GATEWAY})
MIN_TRACED_HOPS = 3
"""Journeys of at least this many components need distributed tracing to localise latency (REL06-BP07)."""


@rule("OPS-001", P, Severity.high, wa("rel_monitor_aws_resources_monitor_resources.html"),
      fix=FixKind.enable_monitoring)
def no_metrics(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A component without metrics: its failures and saturation go unseen (REL06-BP01)."""
    for c in ctx.arch.components:
        if not c.monitoring.metrics:
            yield r.finding([c.id], fix=True)


@rule("OPS-002", P, Severity.high, wa("ops_workload_observability_create_alerts.html"), fix=FixKind.enable_alerting)
def no_alerting(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A critical component without alerts: detection time dominates the RTO (OPS08-BP04, OE:07)."""
    for c in ctx.arch.components:
        if ctx.is_critical(c) and not c.monitoring.alerting:
            yield r.finding([c.id], fix=True)


@rule("OPS-003", P, Severity.low, wa("ops_observability_dist_trace.html"), fix=FixKind.enable_tracing)
def no_tracing(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A multi-hop journey with components that do not emit traces (OPS04-BP05, REL06-BP07)."""
    for j in ctx.arch.journeys:
        path = [ctx.components[c] for c in dict.fromkeys(j.path) if c in ctx.components]
        # Only components that run the application's code emit spans (managed stores, DNS, CDN, CLB do not).
        missing = [c.id for c in path if not c.monitoring.tracing and kinds.kind_of(c) in _TRACED]
        if len(path) >= MIN_TRACED_HOPS and missing:
            yield r.finding(missing, fix=True, journey=j.id)


@rule("OPS-004", P, Severity.medium, wa("rel_monitor_aws_resources_storage_analytics.html"),
      fix=FixKind.enable_logging)
def no_logging(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A private component without centralised logs: slow diagnosis (REL06-BP05; public ones: SEC-010)."""
    for c in ctx.arch.components:
        if not c.public and not c.monitoring.logging:
            yield r.finding([c.id], fix=True)


@rule("OPS-005", P, Severity.medium, wa("ops_ops_model_def_resource_owners.html"))
def no_owner(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Components without an owner: nobody is paged when they fail (OPS02-BP01).  Hygiene: one finding."""
    ids = [c.id for c in ctx.arch.components if not (c.owner or "").strip()]
    if ids:
        yield r.finding(ids, count=len(ids))


@rule("OPS-006", P, Severity.low, wa("rel_withstand_component_failures_service_level_agreements.html"))
def sla_unknown(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """No published or declared SLA: the availability maths uses an assumed figure (REL11-BP07).  Hygiene: one
    finding naming every such component."""
    ids = [c.id for c in ctx.arch.components if catalogue.effective_sla(c).assumed]
    if ids:
        yield r.finding(ids, assumed=100 * load_catalogue().assumptions.default_instance_availability, count=len(ids))


@rule("OPS-007", P, Severity.medium, AZURE + "operational-excellence/checklist")
def no_journeys(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """No critical journey declared: SPOF, availability and what-if analyses have nothing to protect (OE:01)."""
    if ctx.arch.components and not any(j.critical for j in ctx.arch.journeys):
        yield r.finding(list(ctx.arch.entry_points))


@rule("OPS-008", P, Severity.low, "https://docs.aws.amazon.com/wellarchitected/latest/userguide/workloads.html")
def expired_waiver(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A waiver whose date has passed: the accepted risk counts again and needs a fresh decision
    (WA Tool improvement status "Risk acknowledged" is revisited at each milestone)."""
    for w in ctx.arch.waivers:
        if w.until is not None and w.until < ctx.today:
            ids = [w.component] if w.component else []
            yield r.finding(ids, rule=w.rule, until=w.until.isoformat(), reason=w.reason)


@rule("OPS-009", P, Severity.low, "https://docs.aws.amazon.com/wellarchitected/latest/userguide/workloads.html")
def stale_waiver(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A waiver naming a rule or component that does not exist: it silences nothing (typo or removed part)."""
    rules = registered()
    for w in ctx.arch.waivers:
        unknown_rule = w.rule not in rules and w.rule != "*"
        unknown_component = w.component is not None and w.component not in ctx.components
        if unknown_rule or unknown_component:
            yield r.finding([w.component] if w.component and not unknown_component else [],
                            rule=w.rule, component=w.component or "*")
