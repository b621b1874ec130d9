"""RTO and RPO estimates for one component hit by a disruption.

Method (research note §4.4, consistent with AWS Resilience Hub's per-component estimate [R2]):
    ``RTO_c = MTTD_c + T_recover,c`` where
    - the component still serves and nothing stateful moved: T = failover time (a load balancer stops
      routing to the lost instances: detection only);
    - a stateful primary was lost and HA covers the disruption: T = failover time (automatic), or
      manual decision time + failover time (manual); across regions the ``cross_region_*`` settings apply;
    - too few instances are left for the load: T = provision time (autoscaling), or manual decision +
      provision time;
    - the component is lost: T = manual decision + provision time (+ restore time when stateful).
    - a region loss takes a component with no copy in another region (and its autoscaling group) with it:
      RTO is unbounded ("until the region returns", ``math.inf``), which no target meets; promoting a
      stateful copy in another region uses ``cross_region_*`` and is manual when no such path is declared.
    ``RPO_c`` = 0 for synchronous replication to a surviving replica; the replication lag for asynchronous
    replication; the backup interval when only a backup survives (a same-region backup does not survive a
    region loss unless ``backup.cross_region``); no bound (data loss) otherwise.
    TencentDB for MySQL switch ≤ 30 s [TC1]; RDS Multi-AZ 60–120 s [A9]; DR strategy ranges AWS REL13-BP02 [A8].

Units: minutes in the result, seconds in the catalogue/model fields they come from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from workbench.architecture.catalogue import (
    Catalogue,
    detection_s,
    failover_s,
    is_stateful,
    load_catalogue,
    provision_min,
    restore_min,
)
from workbench.architecture.failure import Impact
from workbench.architecture.messages import MessageRef, msg
from workbench.architecture.model import Component, Disruption, FailoverMode, HAMode, Replication


def _num(x: float) -> str:
    """A short number for messages: 0.25, 3.3, 10 (messages show estimates, not measurements)."""
    text = f"{x:.2f}" if x < 1 else f"{x:.1f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class ComponentRecovery:
    component_id: str
    rto_minutes: float
    rpo_minutes: float | None  # None = unbounded: data is lost
    explanation: list[MessageRef] = field(default_factory=list)

    @property
    def data_loss(self) -> bool:
        return self.rpo_minutes is None


def _rpo_from_replication(
    c: Component, imp: Impact, disruption: Disruption, cat: Catalogue
) -> tuple[float | None, MessageRef]:
    mode = c.replication
    if imp.region_exhausted and c.cross_region_replication is not None:
        mode = c.cross_region_replication
    if mode is None:
        # Unspecified: HA pairs replicate asynchronously by default (TencentDB MySQL two-node default).
        mode = Replication.ASYNC if c.ha_mode != HAMode.NONE else Replication.NONE
    if mode == Replication.SYNC:
        return 0.0, msg("arch_model.recovery.rpo_sync", component=c.id)
    if mode == Replication.ASYNC:
        lag = c.replication_lag_s if c.replication_lag_s is not None else cat.assumptions.async_replication_lag_s
        return lag / 60.0, msg("arch_model.recovery.rpo_async", component=c.id, seconds=_num(lag))
    return _rpo_from_backup(c, imp, disruption)


def _rpo_from_backup(c: Component, imp: Impact, disruption: Disruption) -> tuple[float | None, MessageRef]:
    """Backups are assumed to live in the primary's region (COS), so only a region loss destroys them."""
    if c.backup is None:
        return None, msg("arch_model.recovery.rpo_no_backup", component=c.id)
    if disruption == Disruption.REGION and imp.primary_lost and not c.backup.cross_region:
        return None, msg("arch_model.recovery.rpo_backup_lost", component=c.id)
    return c.backup.interval_h * 60.0, msg(
        "arch_model.recovery.rpo_backup", component=c.id, hours=_num(c.backup.interval_h)
    )


def estimate_recovery(
    c: Component, imp: Impact, disruption: Disruption, *, cat: Catalogue | None = None
) -> ComponentRecovery:
    """RTO/RPO of one affected component (see the module docstring for the cases)."""
    cat = cat or load_catalogue()
    stateful = is_stateful(c, cat)
    detect_min = detection_s(c, cat) / 60.0
    manual_min = cat.assumptions.manual_failover_min
    cross = imp.region_exhausted and disruption != Disruption.INSTANCE
    if not imp.affected:
        return ComponentRecovery(c.id, 0.0, 0.0)
    if imp.up and not imp.overloaded:
        if stateful and imp.primary_lost:
            mode = c.failover.mode
            if cross:
                # Promoting a copy in another region needs its own, declared path; none declared = a human does it.
                declared = c.failover.cross_region_mode is not None or c.failover.cross_region_time_s is not None
                mode = (c.failover.cross_region_mode or c.failover.mode) if declared else FailoverMode.MANUAL
            seconds = c.failover.cross_region_time_s if cross and c.failover.cross_region_time_s is not None else None
            t_s = seconds if seconds is not None else failover_s(c, cat)
            rto = detect_min + t_s / 60.0 + (manual_min if mode == FailoverMode.MANUAL else 0.0)
            key = (
                "arch_model.recovery.failover_manual"
                if mode == FailoverMode.MANUAL
                else "arch_model.recovery.failover_auto"
            )
            rpo, rpo_msg = _rpo_from_replication(c, imp, disruption, cat)
            return ComponentRecovery(c.id, rto, rpo, [msg(key, component=c.id, minutes=_num(rto)), rpo_msg])
        t_s = failover_s(c, cat)
        mode = c.failover.mode
        if cross:
            t_s = c.failover.cross_region_time_s if c.failover.cross_region_time_s is not None else t_s
            mode = c.failover.cross_region_mode or mode
        rto = detect_min + t_s / 60.0 + (manual_min if mode == FailoverMode.MANUAL else 0.0)
        return ComponentRecovery(
            c.id, rto, 0.0, [msg("arch_model.recovery.redundant", component=c.id, minutes=_num(rto))]
        )
    if imp.up and imp.overloaded:
        auto = c.autoscaling is not None and c.autoscaling.max >= imp.needed
        rto = detect_min + provision_min(c, cat) + (0.0 if auto else manual_min)
        key = "arch_model.recovery.scale_out_auto" if auto else "arch_model.recovery.scale_out_manual"
        return ComponentRecovery(
            c.id, rto, 0.0, [msg(key, component=c.id, minutes=_num(rto), left=imp.remaining, needed=imp.needed)]
        )
    if disruption == Disruption.REGION and not imp.up:
        # No copy in another region: the component, and its autoscaling group, are gone with the region.
        gone_rpo: float | None = 0.0
        explanation = [msg("arch_model.recovery.region_gone", component=c.id)]
        if stateful:
            gone_rpo, rpo_msg = _rpo_from_backup(c, imp, disruption)
            explanation.append(rpo_msg)
        return ComponentRecovery(c.id, math.inf, gone_rpo, explanation)
    # Lost: rebuild (and restore when stateful).
    auto_rebuild = not stateful and c.autoscaling is not None and c.autoscaling.max >= imp.needed and imp.remaining == 0
    rto = detect_min + provision_min(c, cat) + (0.0 if auto_rebuild else manual_min)
    explanation = [msg("arch_model.recovery.rebuild", component=c.id, minutes=_num(rto))]
    if not stateful:
        return ComponentRecovery(c.id, rto, 0.0, explanation)
    rto += restore_min(c, cat)
    data_rpo, rpo_msg = _rpo_from_backup(c, imp, disruption)
    return ComponentRecovery(
        c.id, rto, data_rpo, [msg("arch_model.recovery.rebuild_restore", component=c.id, minutes=_num(rto)), rpo_msg]
    )
