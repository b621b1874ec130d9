"""Scores 0–100 per pillar and overall, by explainable deductions per finding.

Formula (also in ``docs/scoring.md``)
    1. Each severity has a base deduction ``b``: critical 25, high 15, medium 8, low 3, info 0 points.
    2. The findings of one rule in one pillar are ordered (worst severity first) and the k-th of them
       (k = 1, 2, …) costs ``b_k × r^(k−1)`` with the repetition factor ``r = 0.5``.  So one rule can never
       cost more than twice its base (``b × (1 + ½ + ¼ + …) < 2b``): the tenth single-AZ VM tells the reader
       less than the first, and a single noisy rule cannot flatten a pillar on its own.
    3. ``pillar score = max(0, 100 − Σ deductions of the pillar's rules)``.
    4. ``overall = Σ_p w_p × score_p`` with weights reliability 0.30, security 0.25, performance 0.15,
       operations 0.15, cost 0.15 (they sum to 1).  Reliability weighs most because the review exists to find
       single points of failure and RTO/RPO breaches; security next because exposure is rarely reversible.
    Waived findings cost nothing (they are listed apart).  Scores are rounded to one decimal.

Relation to the published methods of the anchors (research note §1)
    - Tencent Smart Advisor (TSA) [T3]: 100 per module minus deductions per risk item, deductions capped
      (30 for high, 10 for medium items), overall = plain average of the modules, bands 85–100 / 61–84 / ≤60.
      We keep "100 minus deductions" and TSA's bands (:meth:`Scores.band`); we cap per *rule* (the geometric
      series) instead of per level, because a design review has few components and five different high risks
      must be able to take a pillar below 60; and we weight the mean (TSA and Azure Advisor [Z2] use equal
      weights — set :data:`PILLAR_WEIGHTS` all to 0.2 to get their behaviour).
    - Azure Advisor score [Z2] weighs impacted resources by cost and age; a design has neither, so we weigh by
      severity only.  Polaris [F3] scores ``2S/(2S+W+2D)`` over passed checks; we have no notion of "passed
      per resource" that would not reward adding trivial components, so we deduct instead.
    - AWS WA Tool [A3] gives no number, only counts of high/medium risks; :class:`Deduction` keeps those counts.

Assumptions: severities are the rule author's judgement (TSA levels 3 = high, 2 = medium [T4]); points are
dimensionless on a 0–100 scale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from workbench.architecture.findings import Deduction, Finding, Pillar, Scores, Severity

SEVERITY_POINTS: dict[Severity, float] = {
    Severity.critical: 25.0,
    Severity.high: 15.0,
    Severity.medium: 8.0,
    Severity.low: 3.0,
    Severity.info: 0.0,
}
REPETITION_FACTOR: float = 0.5
PILLAR_WEIGHTS: dict[Pillar, float] = {
    Pillar.reliability: 0.30,
    Pillar.security: 0.25,
    Pillar.performance: 0.15,
    Pillar.operations: 0.15,
    Pillar.cost: 0.15,
}


def rule_deduction(findings: list[Finding]) -> float:
    """Points for the findings of one rule: worst first, the k-th weighted by ``REPETITION_FACTOR**(k-1)``."""
    ordered = sorted(findings, key=lambda f: -SEVERITY_POINTS[f.severity])
    return sum(SEVERITY_POINTS[f.severity] * REPETITION_FACTOR**k for k, f in enumerate(ordered))


def deductions(findings: Iterable[Finding]) -> list[Deduction]:
    """One :class:`Deduction` per (rule, pillar) among the unwaived findings, largest first."""
    groups: dict[tuple[str, Pillar], list[Finding]] = defaultdict(list)
    for f in findings:
        if not f.waived:
            groups[(f.rule_id, f.pillar)].append(f)
    out = []
    for (rule_id, pillar), group in groups.items():
        worst = max((f.severity for f in group), key=lambda s: s.rank)
        ids = sorted({c for f in group for c in f.component_ids})
        out.append(
            Deduction(rule_id=rule_id, pillar=pillar, severity=worst, count=len(group),
                      points=round(rule_deduction(group), 3), component_ids=ids)
        )
    return sorted(out, key=lambda d: (-d.points, d.rule_id))


def score(findings: Iterable[Finding]) -> Scores:
    """Pillar and overall scores for a list of findings (waived ones are ignored)."""
    ded = deductions(findings)
    per_pillar = {p: 100.0 for p in Pillar}
    for d in ded:
        per_pillar[d.pillar] -= d.points
    pillars = {p: round(max(0.0, v), 1) for p, v in per_pillar.items()}
    total_w = sum(PILLAR_WEIGHTS.values())
    overall = round(sum(PILLAR_WEIGHTS[p] * pillars[p] for p in Pillar) / total_w, 1)
    return Scores(**{p.value: pillars[p] for p in Pillar}, overall=overall, deductions=ded)
