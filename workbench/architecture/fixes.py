"""Mechanical fixes: apply a finding's :class:`FixSpec` to produce a NEW architecture version.

What and why
    Where the remedy is mechanical (add a replica in another AZ, switch a database to multi-AZ HA with
    automatic failover, enable or copy backups, add autoscaling, set a timeout, back off, add a circuit
    breaker, encrypt, put a WAF or authentication in front, make a store private, turn on monitoring), the
    review offers "apply fix".  :func:`apply_fix` never mutates its input: it edits a plain JSON document of the
    architecture and validates it back into a new :class:`Architecture`, then reviews both versions so the
    advisor sees before/after scores, journey availability, worst RTO/RPO per disruption scope and a unified
    diff of the YAML (AWS Resilience Hub shows recommendations the same way, with their effect on the
    estimated RTO/RPO [R7]).

Defaults a fix chooses (stated so an advisor can change them in the YAML)
    - New replicas go to the first AZ of the component's region that it does not use yet.  A stateless tier with
      at least 2k instances (k = instances the load needs) is split over the two AZs (same count, same cost);
      with fewer, the new AZ gets k instances so that either AZ alone carries the load.  A data store gets one
      standby.  Capacity after an AZ loss (REL-026/CAP-002) is fixed by adding ceil(k / (z − 1)) per AZ.
      When the region declares no other AZ the fix is not applicable (we never invent AZ ids).
    - A too-long backup interval is cut to the region RPO (a continuous log backup is the better answer).
    - Backups: every 24 h (or the region RPO when that is shorter, so the new backup does not breach it: REL-010),
      kept 7 days, encrypted, copied to another region when the data lives in one (REL-011) (REL09-BP01/BP02,
      REL13-BP02); a shorter interval is the advisor's call.
    - Autoscaling: minimum 2 (two AZs), maximum max(2 × replicas, minimum, the need from capacity facts).
    - Timeout: 5 × the link's P99 latency (at least 100 ms), capped so that the caller's own timeout still
      exceeds ``(1 + retries) × timeout + latency`` (AWS Builders' Library, "Timeouts, retries and backoff"), and
      raised to what the callee's own sync calls may take (``(1 + retries) × timeout + latency``), so the new timeout
      opens no inversion (PERF-003); when both bounds clash the callee's wins.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.catalogue import is_stateful
from workbench.architecture.docdiff import yaml_diff
from workbench.architecture.failure import needed_instances
from workbench.architecture.findings import ComponentCapacity, Finding, FixKind, Scores
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.review import Review, review_architecture
from workbench.errors import InputError

Doc = dict[str, Any]
DEFAULT_BACKUP: dict[str, Any] = {"interval_h": 24.0, "retention_days": 7.0, "cross_region": False, "encrypted": True}
MIN_TIMEOUT_MS = 100.0
TIMEOUT_LATENCY_FACTOR = 5.0


class RecoverySummary(BaseModel):
    """The worst estimated RTO/RPO over all what-if scenarios of one disruption scope."""

    model_config = ConfigDict(frozen=True)

    rto_minutes: float = Field(description="worst estimated RTO, minutes")
    rpo_minutes: float | None = Field(description="worst estimated RPO, minutes; None = data lost")
    meets_rto: bool
    meets_rpo: bool


class FixOutcome(BaseModel):
    """A fixed architecture and what the fix changed."""

    model_config = ConfigDict(frozen=True)

    finding: Finding
    architecture: Architecture
    diff: list[str] = Field(description="unified diff of the YAML, before → after")
    scores_before: Scores
    scores_after: Scores
    availability_before: dict[str, float] = Field(description="journey id → availability, fraction")
    availability_after: dict[str, float]
    recovery_before: dict[Disruption, RecoverySummary]
    recovery_after: dict[Disruption, RecoverySummary]
    resolved: bool = Field(description="the finding (same rule and components) is gone after the fix")


def _component(doc: Doc, cid: str) -> Doc:
    components: list[Doc] = doc["components"]
    for c in components:
        if c["id"] == cid:
            return c
    raise KeyError(cid)


def _link(doc: Doc, params: dict[str, Any]) -> Doc:
    links: list[Doc] = doc["links"]
    for x in links:
        if x["from"] == params.get("source") and x["to"] == params.get("target"):
            return x
    raise KeyError(f"{params.get('source')}->{params.get('target')}")


def _spare_az(arch: Architecture, c: Doc) -> str:
    """An AZ of the component's (first) region that it does not use yet."""
    used = [p["az"] for p in c["placement"] if p.get("az")]
    regions = [arch.az_region.get(az) for az in used] + [p.get("region") for p in c["placement"]]
    region_ids = [r for r in regions if r] or [r.id for r in arch.regions[:1]]
    for region in arch.regions:
        if region.id in region_ids:
            for az in region.azs:
                if az.id not in used:
                    return az.id
    raise LookupError("no spare AZ")


def _add_replica(arch: Architecture, c: Doc) -> None:
    zonal = [p for p in c["placement"] if p.get("az")]
    if not zonal and c["placement"]:
        raise LookupError("region-level or global placement")
    if not zonal:
        region = arch.regions[0] if arch.regions else None
        if region is None or not region.azs:
            raise LookupError("no AZ declared")
        c["placement"] = [{"az": region.azs[0].id, "count": max(c["replicas"], 1), "region": None}]
        zonal = c["placement"]
    spare = _spare_az(arch, c)
    k = _needed(arch, c)
    n = sum(p["count"] for p in zonal)
    if n >= 2 * k and len({p["az"] for p in zonal}) == 1:
        # Enough instances for two AZs that each carry the load: move half of them (same count, same cost).
        moved = n // 2
        largest = max(zonal, key=lambda p: p["count"])
        take = min(moved, largest["count"] - 1)
        largest["count"] -= take
        c["placement"].append({"az": spare, "count": take, "region": None})
    else:
        # Too few to split: the new AZ gets k instances so that either AZ alone carries the load.
        c["placement"].append({"az": spare, "count": max(k, 1), "region": None})
    c["replicas"] = sum(p["count"] for p in c["placement"])
    if c.get("autoscaling"):
        c["autoscaling"]["min"] = min(max(int(c["autoscaling"]["min"]), 2), c["replicas"])
        c["autoscaling"]["max"] = max(int(c["autoscaling"]["max"]), c["replicas"])


def _needed(arch: Architecture, c: Doc) -> int:
    """k: instances the component needs (``min_replicas_for_capacity``, else 1), as the what-if analysis counts."""
    comp = arch.component(c["id"])
    return needed_instances(comp) if comp is not None else 1


def _multi_az(arch: Architecture, c: Doc) -> None:
    c["ha_mode"] = "multi_az"
    c["failover"]["mode"] = "automatic"
    if c.get("replication") in (None, "none"):
        c["replication"] = "sync"
    zonal = [p for p in c["placement"] if p.get("az")]
    if not zonal and c["placement"]:
        return  # region-level managed service: the provider spreads it
    azs = {p["az"] for p in zonal}
    if len(azs) >= 2:
        return
    spare = _spare_az(arch, c)
    if zonal and zonal[0]["count"] >= 2:
        zonal[0]["count"] -= 1
    c["placement"].append({"az": spare, "count": 1, "region": None})
    if not zonal:
        c["placement"].insert(0, {"az": _spare_az(arch, c), "count": 1, "region": None})
    c["replicas"] = sum(p["count"] for p in c["placement"])


def _autoscaling(c: Doc, params: dict[str, Any]) -> None:
    current = c.get("autoscaling") or {}
    low = max(2, int(current.get("min", 2)))
    need = int(params.get("max") or 0)
    high = max(int(current.get("max", 0)), 2 * int(c["replicas"]), low, need)
    c["autoscaling"] = {"min": low, "max": high}


def _timeout(doc: Doc, link: Doc) -> None:
    latency = link.get("latency_ms") or 0.0
    value = max(MIN_TIMEOUT_MS, TIMEOUT_LATENCY_FACTOR * latency)
    incoming = [x["timeout_ms"] for x in doc["links"]
                if x["to"] == link["from"] and x.get("timeout_ms") and x.get("mode", "sync") == "sync"]
    if incoming:
        cap = 0.9 * (min(incoming) - latency) / (1 + int(link.get("retries", 0)))
        if cap > 0:
            value = min(value, cap)
    # ... and at least what the callee's own calls may take, else the fix opens a timeout inversion (PERF-003).
    floor = max(((1 + int(x.get("retries", 0))) * x["timeout_ms"] + latency for x in doc["links"]
                 if x["from"] == link["to"] and x.get("timeout_ms") and x.get("mode", "sync") == "sync"), default=0.0)
    link["timeout_ms"] = max(round(value, 1), math.ceil(floor * 10) / 10)


def _scale(arch: Architecture, doc: Doc, finding: Finding) -> None:
    params = dict(finding.fix.params) if finding.fix is not None else {}
    for cid in finding.component_ids[:1]:
        _autoscaling(_component(doc, cid), params)


def _set(field: str, value: Any) -> Callable[[Architecture, Doc, Finding], None]:
    def apply(arch: Architecture, doc: Doc, finding: Finding) -> None:
        for cid in finding.component_ids:
            _component(doc, cid)[field] = value
    return apply


def _monitor(field: str) -> Callable[[Architecture, Doc, Finding], None]:
    def apply(arch: Architecture, doc: Doc, finding: Finding) -> None:
        for cid in finding.component_ids:
            _component(doc, cid)["monitoring"][field] = True
    return apply


def _new_backup(arch: Architecture, cid: str) -> dict[str, Any]:
    """The backup the review's own rules ask for, so that closing REL-009 does not open risks the fix could have
    avoided (an offered fix never lowers a score, docs/scoring.md): taken at least as often as the region RPO
    allows (a 24 h interval under a shorter RPO would open REL-010, as high as REL-009) and, for data that lives in
    one region, copied to another region (else REL-011).  Only the restore drill (REL-012) is left to the advisor."""
    backup = dict(DEFAULT_BACKUP)
    rpo_h = arch.policy.rpo_minutes[Disruption.REGION] / 60
    if rpo_h > 0:
        backup["interval_h"] = min(float(backup["interval_h"]), rpo_h)
    comp = arch.component(cid)
    if comp is not None and len(arch.component_regions(comp)) <= 1:
        backup["cross_region"] = True
    return backup


def _backup(field: str | None) -> Callable[[Architecture, Doc, Finding], None]:
    def apply(arch: Architecture, doc: Doc, finding: Finding) -> None:
        for cid in finding.component_ids:
            c = _component(doc, cid)
            if c.get("backup") is None:
                c["backup"] = _new_backup(arch, cid)
            if field is not None:
                c["backup"][field] = True
    return apply


def _spread(arch: Architecture, doc: Doc, finding: Finding) -> None:
    """Add a replica in another AZ to each named component (multi-AZ HA for stateful ones)."""
    for cid in finding.component_ids:
        c = arch.component(cid)
        if c is not None and is_stateful(c):
            _multi_az(arch, _component(doc, cid))
        else:
            _add_replica(arch, _component(doc, cid))


def _capacity_per_az(arch: Architecture, doc: Doc, finding: Finding) -> None:
    """N+1 per AZ: every AZ gets ``ceil(k / (z − 1))`` instances so that losing any one leaves ``k`` (REL11-BP05);
    autoscaling bounds follow so that the scaling group does not shrink below the new floor."""
    params = dict(finding.fix.params) if finding.fix is not None else {}
    cid = str(params.get("component_id") or finding.component_ids[0])
    c = _component(doc, cid)
    per_az: dict[str, int] = {}
    for p in c["placement"]:
        if p.get("az"):
            per_az[p["az"]] = per_az.get(p["az"], 0) + int(p["count"])
    if len(per_az) < 2:
        raise LookupError("needs two AZs")
    k = int(params.get("needed") or 1)
    each = -(-k // (len(per_az) - 1))
    for p in c["placement"]:
        if p.get("az"):
            p["count"] = max(int(p["count"]), each)
    c["replicas"] = sum(int(p["count"]) for p in c["placement"])
    if c.get("autoscaling"):
        c["autoscaling"]["min"] = max(int(c["autoscaling"]["min"]), c["replicas"])
        c["autoscaling"]["max"] = max(int(c["autoscaling"]["max"]), c["replicas"])


def _make_private(arch: Architecture, doc: Doc, finding: Finding) -> None:
    """Make the component private and, when it has no centralised logs, turn them on: the missing logs, scored as
    SEC-010 while it is public, would otherwise reappear as OPS-004 and lower operations (an offered fix never
    lowers a score, docs/scoring.md)."""
    for cid in finding.component_ids:
        c = _component(doc, cid)
        c["public"] = False
        c["monitoring"]["logging"] = True


def _backup_interval(arch: Architecture, doc: Doc, finding: Finding) -> None:
    """Back up at least as often as the region RPO allows."""
    rpo_h = arch.policy.rpo_minutes[Disruption.REGION] / 60
    for cid in finding.component_ids:
        backup = _component(doc, cid).get("backup")
        if backup is not None and rpo_h > 0:
            backup["interval_h"] = min(backup["interval_h"], rpo_h)


def _each(fn: Callable[[Architecture, Doc], None]) -> Callable[[Architecture, Doc, Finding], None]:
    def apply(arch: Architecture, doc: Doc, finding: Finding) -> None:
        for cid in finding.component_ids[:1]:
            fn(arch, _component(doc, cid))
    return apply


def _on_link(fn: Callable[[Doc, Doc], None]) -> Callable[[Architecture, Doc, Finding], None]:
    def apply(arch: Architecture, doc: Doc, finding: Finding) -> None:
        assert finding.fix is not None
        fn(doc, _link(doc, finding.fix.params))
    return apply


def _automatic(arch: Architecture, c: Doc) -> None:
    c["failover"]["mode"] = "automatic"
    if c["failover"].get("cross_region_mode") == "manual":
        c["failover"]["cross_region_mode"] = "automatic"


_HANDLERS: dict[FixKind, Callable[[Architecture, Doc, Finding], None]] = {
    FixKind.add_replica_other_az: _spread,
    FixKind.add_capacity_per_az: _capacity_per_az,
    FixKind.multi_az_ha: _each(_multi_az),
    FixKind.automatic_failover: _each(_automatic),
    FixKind.enable_backup: _backup(None),
    FixKind.cross_region_backup: _backup("cross_region"),
    FixKind.encrypt_backup: _backup("encrypted"),
    FixKind.shorten_backup_interval: _backup_interval,
    FixKind.enable_autoscaling: _scale,
    FixKind.add_timeout: _on_link(_timeout),
    FixKind.add_backoff: _on_link(lambda d, x: x.update(backoff=True)),
    FixKind.add_circuit_breaker: _on_link(lambda d, x: x.update(circuit_breaker=True)),
    FixKind.encrypt_in_transit: _set("encryption_in_transit", True),
    FixKind.encrypt_at_rest: _set("encryption_at_rest", True),
    FixKind.enable_waf: _set("waf", True),
    FixKind.enable_auth: _set("auth", True),
    FixKind.make_private: _make_private,
    FixKind.enable_monitoring: _monitor("metrics"),
    FixKind.enable_alerting: _monitor("alerting"),
    FixKind.enable_tracing: _monitor("tracing"),
    FixKind.enable_logging: _monitor("logging"),
}


def fixable(finding: Finding) -> bool:
    """True when the finding carries a fix this module can apply."""
    return finding.fix is not None and finding.fix.kind in _HANDLERS


def fixed_architecture(arch: Architecture, finding: Finding) -> Architecture:
    """The new architecture with the finding's fix applied (the input is left untouched).

    Raises ``InputError('errors.review.not_fixable')`` for findings without a mechanical fix and
    ``InputError('errors.review.fix_not_applicable')`` when the model lacks what the fix needs (e.g. no spare AZ).
    """
    if not fixable(finding):
        raise InputError("errors.review.not_fixable", rule=finding.rule_id)
    assert finding.fix is not None
    doc: Doc = arch.model_dump(mode="json", by_alias=True)
    try:
        _HANDLERS[finding.fix.kind](arch, doc, finding)
        return Architecture.model_validate(doc)
    except (KeyError, LookupError, ValueError) as exc:
        raise InputError("errors.review.fix_not_applicable", rule=finding.rule_id,
                         fix=finding.fix.kind.value, detail=str(exc)) from exc


def _recovery(review: Review) -> dict[Disruption, RecoverySummary]:
    out: dict[Disruption, RecoverySummary] = {}
    for d in Disruption:
        results = [w for w in review.analysis.whatif if w.disruption == d]
        if not results:
            continue
        rpos = [w.rpo_minutes_est for w in results]
        out[d] = RecoverySummary(
            rto_minutes=max(w.rto_minutes_est for w in results),
            rpo_minutes=None if any(r is None for r in rpos) else max(r or 0.0 for r in rpos),
            meets_rto=all(w.meets_rto for w in results),
            meets_rpo=all(w.meets_rpo for w in results),
        )
    return out


def apply_fix(
    arch: Architecture,
    finding: Finding,
    *,
    today: dt.date | None = None,
    capacity: dict[str, ComponentCapacity] | None = None,
    before: Review | None = None,
    review_with: Callable[[Architecture], Review] | None = None,
) -> FixOutcome:
    """Apply ``finding``'s fix to a copy of ``arch`` and compare the two versions (``before`` may be reused).

    ``review_with`` reviews the fixed design the way the caller reviews designs (e.g. with capacity facts
    recomputed for the new replica counts), so before and after are judged alike.
    """
    new = fixed_architecture(arch, finding)
    old_review = before or review_architecture(arch, capacity=capacity, today=today)
    new_review = (review_with(new) if review_with is not None
                  else review_architecture(new, capacity=capacity, today=old_review.reviewed_on))
    diff = yaml_diff(arch, new)  # only the changed parts are dumped: whole documents take seconds at 1,000
    return FixOutcome(
        finding=finding,
        architecture=new,
        diff=diff,
        scores_before=old_review.scores,
        scores_after=new_review.scores,
        availability_before={a.journey_id: a.value for a in old_review.analysis.availability},
        availability_after={a.journey_id: a.value for a in new_review.analysis.availability},
        recovery_before=_recovery(old_review),
        recovery_after=_recovery(new_review),
        resolved=finding.key not in {f.key for f in new_review.findings},
    )


class JourneyChange(BaseModel):
    """One journey's availability before → after a fix (fractions)."""

    model_config = ConfigDict(frozen=True)

    journey_id: str
    before: float | None
    after: float | None


class RecoveryChange(BaseModel):
    """The worst estimated RTO/RPO of one disruption scope before → after (minutes; None RTO = until the lost domain
    returns, None RPO = data lost)."""

    model_config = ConfigDict(frozen=True)

    disruption: Disruption
    rto_before: float | None
    rto_after: float | None
    rpo_before: float | None
    rpo_after: float | None
    meets_rto_before: bool
    meets_rto_after: bool


class FixEffect(BaseModel):
    """What a fix did, as an advisor shows it: the finding gone, its pillar's score (and the points the finding
    cost), the overall score, the availability of the journeys it touches and the RTO/RPO per disruption scope."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    component_ids: list[str]
    resolved: bool
    pillar: str
    pillar_before: float
    pillar_after: float
    points_cost: float = Field(description="points the finding cost its pillar before the fix")
    overall_before: float
    overall_after: float
    journeys: list[JourneyChange]
    recovery: list[RecoveryChange]


def _finite(x: float | None) -> float | None:
    return None if x is None or x == float("inf") else x


def fix_effect(outcome: FixOutcome) -> FixEffect:
    """Before → after of one applied fix (:func:`apply_fix`).

    Journeys shown: those whose path names a component of the finding, plus any whose availability changed.
    """
    from workbench.architecture.scoring import finding_cost

    f = outcome.finding
    named = set(f.component_ids)
    touched = {j.id for j in outcome.architecture.journeys if named & set(j.path)}
    journeys = [JourneyChange(journey_id=jid, before=outcome.availability_before.get(jid),
                              after=outcome.availability_after.get(jid))
                for jid in dict.fromkeys([*outcome.availability_before, *outcome.availability_after])
                if jid in touched or abs((outcome.availability_before.get(jid) or 0.0)
                                         - (outcome.availability_after.get(jid) or 0.0)) > 1e-12]
    recovery = []
    for d in Disruption:
        b, a = outcome.recovery_before.get(d), outcome.recovery_after.get(d)
        if b is None or a is None:
            continue
        recovery.append(RecoveryChange(disruption=d, rto_before=_finite(b.rto_minutes),
                                       rto_after=_finite(a.rto_minutes),
                                       rpo_before=b.rpo_minutes, rpo_after=a.rpo_minutes,
                                       meets_rto_before=b.meets_rto, meets_rto_after=a.meets_rto))
    return FixEffect(
        rule_id=f.rule_id, component_ids=list(f.component_ids), resolved=outcome.resolved, pillar=f.pillar.value,
        pillar_before=outcome.scores_before.pillar(f.pillar), pillar_after=outcome.scores_after.pillar(f.pillar),
        points_cost=finding_cost(outcome.scores_before, f),
        overall_before=outcome.scores_before.overall, overall_after=outcome.scores_after.overall,
        journeys=journeys, recovery=recovery,
    )
