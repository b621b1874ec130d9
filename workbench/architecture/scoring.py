"""Scores 0–100 per pillar and overall: each open risk removes a share of what is left; each shows its cost.

Formula (also in ``docs/scoring.md``)
    1. A finding's *risk share* is ``p = SEVERITY_SHARE[severity] × weight`` where ``weight`` is the criticality
       factor of the most critical component it names (:data:`CRITICALITY_FACTOR`: critical 1.0, high 0.8,
       medium 0.6, low 0.3; a component on a critical journey or an entry point counts as at least high).
       Shares: critical 0.25, high 0.15, medium 0.07, low 0.02, info 0.
    2. ``pillar score = 100 × Π_i (1 − p_i)`` over the pillar's open (unwaived) findings.  One critical SPOF on a
       critical component gives 75, two give 56.3, ten give 5.6: the score never sits at 0 for one risk, and one
       SPOF and ten read differently.
    3. A finding's *cost* is what fixing it alone gives back: ``cost_i = S_without_i − S = S × p_i / (1 − p_i)``
       (Azure Advisor calls this the "potential score increase" of a recommendation [Z2]).  A rule's cost is what
       fixing all its findings gives back.  Costs of different findings do not add up to ``100 − S`` when there are
       several: risks compound, and fixing one of them is worth less while the others remain.
    4. ``overall = Σ_p w_p × score_p`` with weights reliability 0.30, security 0.25, performance 0.15, operations
       0.15, cost 0.15 (they sum to 1).  Reliability weighs most because the review exists to find single points
       of failure and RTO/RPO breaches; security next because exposure is rarely reversible.
    Waived findings cost nothing (they are listed apart).  Scores and costs are rounded to one decimal.

Properties the tests hold (``tests/core/architecture/test_scoring*.py``): removing a finding never lowers a
score and raises its pillar by exactly its cost; adding one never raises a score; every score is in (0, 100].

Relation to the published methods of the anchors (research note §1)
    - Tencent Smart Advisor (TSA) [T3]: 100 per module minus deductions per risk item, capped per level; bands
      85–100 / 61–84 / ≤60 (kept: :meth:`Scores.band`).  TSA's capped subtraction floors quickly on a small
      design; the product form keeps "more risks, lower score" without a floor.
    - Azure Advisor score [Z2]: "potential score increase" per recommendation (our cost); weights by resource
      cost — a design has no bill yet, so we weigh by the criticality the advisor declares.
    - Polaris [F3] ``2S/(2S+W+2D)``: rewards adding trivial passing components; not used.
    - AWS WA Tool [A3]: counts of high/medium risks only; :class:`Deduction` keeps counts too.

Assumptions: severities are the rule author's judgement (TSA levels 3 = high, 2 = medium [T4]); shares and
criticality factors are our calibration, chosen so the three homework templates land in TSA's three bands.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from workbench.architecture.findings import Deduction, Finding, FindingCost, Pillar, Scores, Severity

SEVERITY_SHARE: dict[Severity, float] = {
    Severity.critical: 0.25,
    Severity.high: 0.15,
    Severity.medium: 0.07,
    Severity.low: 0.02,
    Severity.info: 0.0,
}
CRITICALITY_FACTOR: dict[str, float] = {"critical": 1.0, "high": 0.8, "medium": 0.6, "low": 0.3}
"""Weight of a finding by the criticality of the most critical component it names (Component.criticality)."""
PILLAR_WEIGHTS: dict[Pillar, float] = {
    Pillar.reliability: 0.30,
    Pillar.security: 0.25,
    Pillar.performance: 0.15,
    Pillar.operations: 0.15,
    Pillar.cost: 0.15,
}


def share(f: Finding) -> float:
    """The risk share ``p`` of one finding (0 ≤ p ≤ 0.25)."""
    return SEVERITY_SHARE[f.severity] * f.weight


def _product(findings: Iterable[Finding]) -> float:
    """``100 × Π (1 − p)`` computed in log space (10,000 findings stay accurate)."""
    logs = sum(math.log1p(-share(f)) for f in findings)
    return 100.0 * math.exp(logs)


def pillar_score(findings: Iterable[Finding]) -> float:
    """Score of one pillar from its open findings (unrounded)."""
    return _product(f for f in findings if not f.waived)


def deductions(findings: Iterable[Finding]) -> list[Deduction]:
    """One :class:`Deduction` per (rule, pillar) among the unwaived findings, largest cost first."""
    open_ = [f for f in findings if not f.waived]
    by_pillar: dict[Pillar, list[Finding]] = defaultdict(list)
    for f in open_:
        by_pillar[f.pillar].append(f)
    out: list[Deduction] = []
    for pillar, items in by_pillar.items():
        total = pillar_score(items)
        groups: dict[str, list[Finding]] = defaultdict(list)
        for f in items:
            groups[f.rule_id].append(f)
        for rule_id, group in groups.items():
            p_group = math.exp(sum(math.log1p(-share(f)) for f in group))
            regained = total / p_group - total if p_group > 0 else 100.0 - total
            costs = []
            for f in group:
                p = share(f)
                costs.append(FindingCost(rule_id=rule_id, component_ids=list(f.component_ids), severity=f.severity,
                                         weight=f.weight, points=round(total * p / (1 - p), 3) if p < 1 else 100.0))
            costs.sort(key=lambda c: (-c.points, c.component_ids))
            worst = max((f.severity for f in group), key=lambda s: s.rank)
            ids = list(dict.fromkeys(c for f in group for c in f.component_ids))
            out.append(Deduction(rule_id=rule_id, pillar=pillar, severity=worst, count=len(group),
                                 points=round(regained, 3), component_ids=ids, findings=costs))
    return sorted(out, key=lambda d: (-d.points, d.rule_id))


CostKey = tuple[str, Pillar, tuple[str, ...], Severity, float]


def cost_key(f: Finding) -> CostKey:
    return (f.rule_id, f.pillar, tuple(f.component_ids), f.severity, f.weight)


def cost_index(scores: Scores) -> dict[CostKey, float]:
    """Every scored finding's cost, keyed by :func:`cost_key` (build once, look up many: linear, not quadratic)."""
    out: dict[CostKey, float] = {}
    for d in scores.deductions:
        for c in d.findings:
            out.setdefault((d.rule_id, d.pillar, tuple(c.component_ids), c.severity, c.weight), c.points)
    return out


def finding_cost(scores: Scores, finding: Finding, index: dict[CostKey, float] | None = None) -> float:
    """Points fixing ``finding`` alone gives back to its pillar (0 when it is not among the scored findings).
    Pass ``index`` (:func:`cost_index`) when looking up many findings of one review."""
    return (index if index is not None else cost_index(scores)).get(cost_key(finding), 0.0)


def score(findings: Iterable[Finding]) -> Scores:
    """Pillar and overall scores for a list of findings (waived ones are ignored)."""
    items = [f for f in findings if not f.waived]
    by_pillar: dict[Pillar, list[Finding]] = defaultdict(list)
    for f in items:
        by_pillar[f.pillar].append(f)
    pillars = {p: round(pillar_score(by_pillar.get(p, [])), 1) for p in Pillar}
    total_w = sum(PILLAR_WEIGHTS.values())
    overall = round(sum(PILLAR_WEIGHTS[p] * pillars[p] for p in Pillar) / total_w, 1)
    return Scores(**{p.value: pillars[p] for p in Pillar}, overall=overall, deductions=deductions(items))
