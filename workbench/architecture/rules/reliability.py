"""Reliability rules (REL-xxx): redundancy, failure domains, backups, recovery objectives, graph hygiene.

Sources: AWS Well-Architected reliability pillar (REL09–REL13), Trusted Advisor fault-tolerance checks,
Azure WAF reliability checklist (RE:03–RE:09), Tencent Cloud product docs [TC1–TC8]; see the research note §3.1.
Each check only reads facts the model states (replicas, placement, ha_mode, failover, backup, links) or the
analyses computed from them (SPOFs, availability, what-if RTO/RPO).
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.architecture.failure import needed_instances
from workbench.architecture.findings import Finding, FixKind, ParamValue, Pillar, Severity
from workbench.architecture.model import Component, Disruption, FailoverMode, HAMode, Replication
from workbench.architecture.rules import kinds
from workbench.architecture.rules.base import AZURE, TA_FAULT_TOLERANCE, Rule, RuleContext, rule, wa

P = Pillar.reliability
RESTORE_TEST_MAX_AGE_DAYS = 180
"""Restore drills older than this count as untested (REL09-BP04 asks for periodic tests; we allow half a year)."""
MIN_RETENTION_DAYS = 7
"""Shorter retention cannot recover from corruption noticed after a weekend (TencentDB default is 7 days)."""


def _fix_for(ctx: RuleContext, cid: str) -> FixKind:
    c = ctx.components[cid]
    return FixKind.multi_az_ha if ctx.is_stateful(c) else FixKind.add_replica_other_az


def can_fix(ctx: RuleContext, kind: FixKind, cid: str) -> bool:
    """Is the mechanical fix applicable to this component?  Spreading needs a spare AZ in its region (we never
    invent AZ ids); multi-AZ HA needs one too unless the store is a region-level managed service or already
    spans two AZs."""
    c = ctx.components.get(cid)
    if c is None:
        return False
    if kind == FixKind.multi_az_ha:
        zonal = [p for p in c.placement if p.az is not None]
        if c.placement and not zonal:
            return True
        return len(c.azs) >= 2 or spare_az(ctx, cid)
    if kind == FixKind.add_replica_other_az:
        if ctx.is_stateful(c):
            return can_fix(ctx, FixKind.multi_az_ha, cid)
        if c.placement and not any(p.az for p in c.placement):
            return False  # region-level or global placement: the provider spreads it
        if not c.placement:
            return bool(ctx.arch.regions and len(ctx.arch.regions[0].azs) >= 2)
        return spare_az(ctx, cid)
    return True


@rule("REL-001", P, Severity.critical, wa("rel_fault_isolation_multiaz_region_system.html"),
      fix=FixKind.add_replica_other_az, needs_analysis=True)
def spof_component(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A component whose loss cuts an entry point off a journey (SPOF analysis, REL10-BP01, RE:03)."""
    assert ctx.analysis is not None
    critical = {j.id for j in ctx.arch.journeys if j.critical}
    for s in ctx.analysis.spofs:
        if s.kind != "component" or s.id not in ctx.components:
            continue
        sev = Severity.critical if critical & set(s.journeys_broken) else Severity.high
        kind = _fix_for(ctx, s.id)
        yield r.finding([s.id], severity=sev, fix=can_fix(ctx, kind, s.id), fix_kind=kind,
                        journeys=", ".join(s.journeys_broken))


def _lost_in(ctx: RuleContext, disruption: Disruption, target: str) -> list[str]:
    """Components that stop serving (or are overloaded) when ``target`` is lost, from the what-if analysis."""
    assert ctx.analysis is not None
    w = ctx.analysis.whatif_for(disruption, target)
    if w is None:
        return []
    hit = [*w.components_lost, *w.components_overloaded]
    return [c for c in dict.fromkeys(hit) if c in ctx.components]


def spare_az(ctx: RuleContext, cid: str) -> bool:
    """True when the component's region declares an AZ it does not use yet (the spread fix needs one)."""
    cache: dict[str, bool] = ctx.__dict__.setdefault("_spare_az", {})
    if cid not in cache:
        cache[cid] = _spare_az(ctx, cid)
    return cache[cid]


def _spare_az(ctx: RuleContext, cid: str) -> bool:
    c = ctx.components[cid]
    used = set(c.azs)
    regions = {ctx.arch.az_region.get(az) for az in used} | {p.region for p in c.placement if p.region}
    if not c.placement:
        return False
    return any(az.id not in used for r in ctx.arch.regions if r.id in regions for az in r.azs)


def az_capacity_need(c: Component, k: int) -> dict[str, int]:
    """Per-AZ counts so that losing any one AZ leaves at least ``k`` instances (N+1 per AZ, REL11-BP05 static
    stability): with ``z`` AZs each needs ``ceil(k / (z − 1))``; existing larger counts are kept."""
    per_az: dict[str, int] = {}
    for p in c.placement:
        if p.az is not None:
            per_az[p.az] = per_az.get(p.az, 0) + p.count
    z = len(per_az)
    if z < 2:
        return per_az
    each = -(-k // (z - 1))
    return {az: max(n, each) for az, n in per_az.items()}


@rule("REL-002", P, Severity.high, TA_FAULT_TOLERANCE, fix=FixKind.add_replica_other_az, needs_analysis=True)
def spof_az(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Losing one AZ takes down journey components placed only in that AZ (correlated failure domain, §4.3).

    One finding per (AZ, component) *placed* there; the fix spreads the component over a second AZ of its
    region and is offered only when the region declares one.  Components that survive the AZ loss but with too
    few instances are a different problem with a different fix (REL-026).
    """
    assert ctx.analysis is not None
    for s in ctx.analysis.spofs:
        if s.kind != "az":
            continue
        w = ctx.analysis.whatif_for(Disruption.AZ, s.id)
        lost = [c for c in (w.components_lost if w else []) if c in ctx.components and c in ctx.on_journey]
        for cid in lost:
            yield r.finding([cid], fix=spare_az(ctx, cid), subject=f"az={s.id}", az=s.id,
                            journeys=", ".join(s.journeys_broken))


@rule("REL-026", P, Severity.high, wa("rel_withstand_component_failures_static_stability.html"),
      fix=FixKind.add_capacity_per_az, needs_analysis=True)
def az_loss_capacity(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Spread over AZs, but the instances left after losing one AZ cannot carry the load (k of n): the tier
    survives on paper and falls over under load (REL11-BP05 static stability; research note REL-003).

    The fix adds instances in every AZ so that any AZ can be lost (N+1 per AZ), not a new AZ.
    """
    assert ctx.analysis is not None
    seen: set[str] = set()
    for w in ctx.analysis.whatif:
        if w.disruption != Disruption.AZ:
            continue
        for cid in w.components_overloaded:
            c = ctx.components.get(cid)
            if c is None or cid in seen or cid not in ctx.on_journey:
                continue
            seen.add(cid)
            k = needed_instances(c, ctx.peak_rps)
            target = az_capacity_need(c, k)
            left = sum(target.values()) - max(target.values(), default=0)
            serving = not ctx.is_stateful(c) or c.ha_mode in (HAMode.ACTIVE_ACTIVE, HAMode.CLUSTER)
            fix: dict[str, ParamValue] | bool = (
                {"component_id": cid, "needed": k} if serving and left >= k and len(target) >= 2 else False)
            yield r.finding([cid], fix=fix,
                            az=w.target_id, left=round(w.capacity_left.get(cid, 0) * c.replicas), needed=k)


@rule("REL-003", P, Severity.high, wa("rel_planning_for_recovery_disaster_recovery.html"), needs_analysis=True)
def spof_region(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Losing one region breaks a critical journey: no DR region (REL13-BP02)."""
    assert ctx.analysis is not None
    critical = {j.id for j in ctx.arch.journeys if j.critical}
    for s in ctx.analysis.spofs:
        broken = [j for j in s.journeys_broken if j in critical]
        if s.kind == "region" and broken:
            ids = [c for c in _lost_in(ctx, Disruption.REGION, s.id) if c in ctx.on_journey]
            yield r.finding(ids, subject=f"region={s.id}", region=s.id, journeys=", ".join(broken))


@rule("REL-004", P, Severity.high, "https://www.tencentcloud.com/document/product/236/53412",
      fix=FixKind.multi_az_ha)
def single_node_store(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A database, cache or queue with one node and no HA (single-node MySQL is for test/dev [TC3])."""
    for c in ctx.arch.components:
        if (kinds.kind_of(c) in kinds.DATA_STORES and c.replicas < 2 and c.ha_mode == HAMode.NONE
                and c.id not in ctx.component_spofs):
            yield r.finding([c.id], fix=can_fix(ctx, FixKind.multi_az_ha, c.id), kind=kinds.kind_of(c))


@rule("REL-005", P, Severity.high, TA_FAULT_TOLERANCE, fix=FixKind.multi_az_ha)
def store_replicas_one_az(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """An HA data store whose replicas all sit in one AZ: the standby dies with the AZ (TA "RDS … same AZ")."""
    for c in ctx.arch.components:
        if (kinds.kind_of(c) in kinds.DATA_STORES and c.replicas >= 2 and len(c.azs) == 1
                and all(p.az for p in c.placement) and c.id not in ctx.lost_with_an_az):
            yield r.finding([c.id], fix=can_fix(ctx, FixKind.multi_az_ha, c.id), az=c.azs[0])


@rule("REL-006", P, Severity.high, wa("rel_fault_isolation_multiaz_region_system.html"),
      fix=FixKind.add_replica_other_az)
def stateless_one_az(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A stateless tier (LB, gateway, compute) with all replicas in one AZ (REL10-BP01, TA multi-AZ checks)."""
    for c in ctx.arch.components:
        if (kinds.kind_of(c) in kinds.ZONAL_STATELESS and len(c.azs) == 1
                and all(p.az for p in c.placement) and c.id not in ctx.lost_with_an_az):
            yield r.finding([c.id], fix=can_fix(ctx, FixKind.add_replica_other_az, c.id), az=c.azs[0],
                            replicas=c.replicas)


@rule("REL-007", P, Severity.high, wa("rel_fault_isolation_multiaz_region_system.html"),
      fix=FixKind.add_replica_other_az)
def single_instance_compute(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Stateless compute with fewer than 2 replicas (Polaris ``deploymentMissingReplicas``, REL10-BP01)."""
    for c in ctx.arch.components:
        if (kinds.kind_of(c) in kinds.SCALABLE_COMPUTE and c.replicas < 2 and c.autoscaling is None
                and c.id not in ctx.component_spofs):
            yield r.finding([c.id], fix=can_fix(ctx, FixKind.add_replica_other_az, c.id), replicas=c.replicas)


@rule("REL-008", P, Severity.high, wa("rel_withstand_component_failures_failover2good.html"),
      fix=FixKind.automatic_failover)
def manual_failover(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Manual failover on a critical component: paging and decisions eat the RTO budget (REL11-BP02, REL13-BP05)."""
    rto = ctx.policy.rto_minutes[Disruption.AZ]
    for c in ctx.arch.components:
        if c.failover.mode == FailoverMode.MANUAL and c.replicas >= 2 and ctx.is_critical(c):
            sev = Severity.high if rto <= 30 else Severity.medium
            yield r.finding([c.id], severity=sev, fix=True, rto_minutes=rto)


@rule("REL-009", P, Severity.high, wa("rel_backing_up_data_identified_backups_data.html"), fix=FixKind.enable_backup)
def no_backup(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A database without backups: data loss is unrecoverable (REL09-BP01; Tencent SSA check, level 3 [TC7])."""
    for c in ctx.arch.components:
        if kinds.kind_of(c) in kinds.BACKED_UP and c.backup is None:
            # A new backup can honour the region RPO only if it is above zero or the data lives in several
            # regions; otherwise the fix would trade this risk for REL-010 (as high) plus follow-ups: not offered.
            fixable = ctx.policy.rpo_minutes[Disruption.REGION] > 0 or len(ctx.arch.component_regions(c)) > 1
            yield r.finding([c.id], fix=fixable)


@rule("REL-010", P, Severity.high, wa("rel_planning_for_recovery_objective_defined_recovery.html"),
      fix=FixKind.shorten_backup_interval)
def backup_interval_over_rpo(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Backup interval above the region RPO while the data lives in one region only (REL13-BP01).

    After losing the region only backups remain, so the recovery point is at most one interval old.
    """
    rpo = ctx.policy.rpo_minutes[Disruption.REGION]
    for c in ctx.arch.components:
        if c.backup is None or len(ctx.arch.component_regions(c)) > 1:
            continue
        if c.backup.interval_h * 60 > rpo:
            yield r.finding([c.id], fix=True, interval_minutes=c.backup.interval_h * 60, rpo_minutes=rpo)


@rule("REL-011", P, Severity.medium, wa("rel_planning_for_recovery_disaster_recovery.html"),
      fix=FixKind.cross_region_backup)
def no_cross_region_backup(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Backups of single-region data not copied to another region (两地三中心 practice [TC8], REL13-BP02)."""
    for c in ctx.arch.components:
        if c.backup is not None and not c.backup.cross_region and len(ctx.arch.component_regions(c)) <= 1:
            yield r.finding([c.id], fix=True)


@rule("REL-012", P, Severity.medium, wa("rel_backing_up_data_periodic_recovery_testing_data.html"))
def restore_untested(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A backup never restored, or not within 180 days (REL09-BP04)."""
    for c in ctx.arch.components:
        if c.backup is None:
            continue
        last = c.backup.last_restore_test
        if last is None:
            yield r.finding([c.id], days="—")
        elif (ctx.today - last).days > RESTORE_TEST_MAX_AGE_DAYS:
            yield r.finding([c.id], days=(ctx.today - last).days)


@rule("REL-013", P, Severity.low, wa("rel_backing_up_data_automated_backups_data.html"))
def short_retention(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Backups kept fewer than 7 days: corruption found late cannot be undone (REL09-BP03)."""
    for c in ctx.arch.components:
        if c.backup is not None and c.backup.retention_days < MIN_RETENTION_DAYS:
            yield r.finding([c.id], days=c.backup.retention_days, minimum=MIN_RETENTION_DAYS)


@rule("REL-014", P, Severity.high, wa("rel_prevent_interaction_failure_loosely_coupled_system.html"),
      needs_analysis=True)
def sync_cycle(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A cycle of synchronous calls: deadlock and cascading failure risk (REL04-BP02, RE:03)."""
    assert ctx.analysis is not None
    for cycle in ctx.analysis.graph_issues.sync_cycles:
        yield r.finding(list(cycle), cycle=" → ".join([*cycle, cycle[0]]))
    for cid in ctx.analysis.graph_issues.self_loops:
        yield r.finding([cid], cycle=f"{cid} → {cid}")


@rule("REL-015", P, Severity.medium, AZURE + "reliability/checklist", needs_analysis=True)
def dangling_link(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A link, entry point or journey naming a component that is not in the model (RE:02 flows)."""
    assert ctx.analysis is not None
    gi = ctx.analysis.graph_issues
    for src, tgt in gi.dangling_links:
        yield r.finding([c for c in (src, tgt) if c in ctx.components], subject=f"edge={src}->{tgt}", source=src,
                        target=tgt)
    for cid in gi.unknown_entry_points:
        yield r.finding([], subject=f"edge=entry_points->{cid}", source="entry_points", target=cid)
    for journey, cid in gi.unknown_journey_components:
        yield r.finding([], subject=f"edge={journey}->{cid}", source=journey, target=cid)


@rule("REL-016", P, Severity.low, AZURE + "reliability/checklist", needs_analysis=True)
def unreachable(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A linked component no entry point reaches: dead code path or missing link (RE:02)."""
    assert ctx.analysis is not None
    for cid in ctx.analysis.graph_issues.unreachable:
        if ctx.in_links.get(cid) or ctx.out_links.get(cid):
            yield r.finding([cid])


@rule("REL-017", P, Severity.medium, wa("rel_adapt_to_changes_autoscale_adapt.html"), fix=FixKind.enable_autoscaling)
def no_autoscaling(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Stateless compute on a journey without autoscaling: manual scaling misses spikes (REL07-BP01)."""
    for c in ctx.arch.components:
        if kinds.kind_of(c) in kinds.SCALABLE_COMPUTE and c.autoscaling is None and c.id in ctx.on_journey:
            yield r.finding([c.id], fix=True)


@rule("REL-018", P, Severity.medium, wa("rel_adapt_to_changes_autoscale_adapt.html"), fix=FixKind.enable_autoscaling)
def autoscaling_min_below_two(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Autoscaling that may shrink to one instance (or zero) makes the tier a SPOF off-peak."""
    for c in ctx.arch.components:
        if (c.autoscaling is not None and c.autoscaling.min < 2
                and kinds.kind_of(c) in kinds.SCALABLE_COMPUTE and ctx.is_critical(c)):
            yield r.finding([c.id], fix=True, min=c.autoscaling.min)


@rule("REL-019", P, Severity.high, wa("rel_withstand_component_failures_service_level_agreements.html"),
      needs_analysis=True)
def journey_availability(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """The composite availability of a journey is below the target even on paper (REL11-BP07, RE:04).

    High for a critical journey, medium otherwise; names the two weakest factors and which of them rest on an
    assumed (unpublished) SLA.  When every factor below the target rests on an assumed SLA, the gap comes from
    the assumption, not from a fact of the design: severity low.
    """
    assert ctx.analysis is not None
    critical = {j.id for j in ctx.arch.journeys if j.critical}
    for ja in ctx.analysis.availability:
        if not ja.meets:
            weakest = [f for f in sorted(ja.factors, key=lambda f: f.value) if f.component_id in ctx.components][:2]
            assumed = [f.component_id for f in weakest if f.sla_assumed]
            below = [f for f in ja.factors if f.value < ja.target]
            only_assumptions = bool(below) and all(f.sla_assumed for f in below)
            sev = Severity.low if only_assumptions else Severity.high if ja.journey_id in critical else Severity.medium
            yield r.finding([f.component_id for f in weakest], severity=sev,
                            journey=ja.journey_id, value=_pct(ja.value), target=_pct(ja.target),
                            assumed=", ".join(assumed) or "—")


@rule("REL-020", P, Severity.medium, wa("rel_withstand_component_failures_service_level_agreements.html"),
      needs_analysis=True)
def weak_dependency(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A dependency whose published SLA is below the journey's target and whose redundancy does not make up for
    it (REL11-BP07: choose dependencies whose availability goals are at least the workload's).  Assumed SLAs are
    left to OPS-006."""
    assert ctx.analysis is not None
    seen: set[str] = set()
    for ja in ctx.analysis.availability:
        for f in ja.factors:
            weak = f.sla < ja.target and f.value < ja.target and not f.sla_assumed
            if weak and f.component_id in ctx.components and f.component_id not in seen:
                seen.add(f.component_id)
                yield r.finding([f.component_id], sla=_pct(f.sla), value=_pct(f.value), target=_pct(ja.target))


def _pct(fraction: float) -> str:
    """A fraction as a percentage with up to four decimals: 0.9995 → '99.95', 0.99999 → '99.999'."""
    return f"{100 * fraction:.4f}".rstrip("0").rstrip(".")


def _whatif(r: Rule, ctx: RuleContext, disruption: Disruption, what: str) -> Iterator[Finding]:
    """Findings for what-if results of one disruption scope that breach the RTO (or RPO) target.

    An RTO breach for an AZ or region already reported as a SPOF (REL-002/REL-003) is not repeated: the
    journeys simply stop there, and the what-if panel shows the estimate.  The affected components that are not
    lost (they fail over to what is left) are still held to the RTO (``rto_surviving_*``): a slow failover is a
    risk of its own that spreading the SPOF does not remove, so the SPOF finding must not hide it (else fixing the
    SPOF would seem to give back nothing, docs/scoring.md).
    """
    assert ctx.analysis is not None
    spof_domains = {s.id for s in ctx.analysis.spofs if s.kind in ("az", "region")} if what == "rto" else set()
    for w in ctx.analysis.whatif:
        if w.disruption != disruption or (w.meets_rto if what == "rto" else w.meets_rpo):
            continue
        masked = disruption != Disruption.INSTANCE and w.target_id in spof_domains
        if masked and (w.rto_surviving_component is None or w.rto_surviving_minutes_est <= w.rto_target + 1e-9):
            continue
        if what == "rto" and disruption == Disruption.INSTANCE and w.target_id in ctx.component_spofs:
            continue  # REL-001 already says losing this instance stops journeys
        if masked:
            est: float | str = w.rto_surviving_minutes_est
            target, culprit = w.rto_target, w.rto_surviving_component
        elif what == "rto":
            est = w.rto_minutes_est
            target, culprit = w.rto_target, w.rto_component
        else:
            est = "∞" if w.rpo_minutes_est is None else w.rpo_minutes_est
            target, culprit = w.rpo_target, w.rpo_component
        lost = [c for c in w.components_lost if c in ctx.components]
        ids = [culprit] if culprit in ctx.components else lost or [w.target_id]
        yield r.finding(ids, target_id=w.target_id, estimate=est, target=target, disruption=disruption.value,
                        lost=", ".join(lost) or "—", variant="unrecoverable" if est == "∞" else "")


@rule("REL-021", P, Severity.high, wa("rel_planning_for_recovery_objective_defined_recovery.html"),
      needs_analysis=True)
def az_rto(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Estimated recovery time after losing an AZ exceeds the AZ RTO (Resilience Hub policy [R3], REL13-BP01)."""
    yield from _whatif(r, ctx, Disruption.AZ, "rto")


@rule("REL-022", P, Severity.high, wa("rel_planning_for_recovery_disaster_recovery.html"), needs_analysis=True)
def region_rto(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Estimated recovery time after losing a region exceeds the region RTO (REL13-BP02 strategies)."""
    yield from _whatif(r, ctx, Disruption.REGION, "rto")


@rule("REL-023", P, Severity.high, wa("rel_planning_for_recovery_objective_defined_recovery.html"),
      needs_analysis=True)
def rpo_breach(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Estimated data loss for an instance, AZ or region disruption exceeds the RPO (research note §4.4).

    One finding per store that sets the breach, for the narrowest disruption that breaches (an instance loss is
    likelier than an AZ loss, which is likelier than a region loss); the what-if table shows every scope.
    """
    seen: set[tuple[str, ...]] = set()
    for d in Disruption:
        for f in _whatif(r, ctx, d, "rpo"):
            key = tuple(f.component_ids)
            if key not in seen:
                seen.add(key)
                yield f


@rule("REL-024", P, Severity.medium, wa("rel_fault_isolation_multiaz_region_system.html"))
def cache_sole_store(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A cache used as the only data store by a caller, without backup or replication: a restart loses data."""
    for c in ctx.arch.components:
        targets = [ctx.components[link.target] for link in ctx.out_links.get(c.id, []) if link.target in ctx.components]
        caches = [t for t in targets if kinds.kind_of(t) == kinds.CACHE]
        if not caches or any(kinds.kind_of(t) in kinds.PERSISTENT for t in targets):
            continue
        for cache in caches:
            if cache.backup is None and cache.replication in (None, Replication.NONE):
                yield r.finding([cache.id, c.id], cache=cache.id, caller=c.id)


@rule("REL-025", P, Severity.medium, wa("rel_planning_for_recovery_auto_recovery.html"), needs_analysis=True)
def instance_rto(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Estimated recovery after losing one instance exceeds the instance RTO (REL13-BP05 automated recovery)."""
    yield from _whatif(r, ctx, Disruption.INSTANCE, "rto")
