"""The sections of a review an advisor reads out, as plain records: summary, grouped findings, score costs, SPOFs,
availability per journey (with its formula), the what-if table (each AZ, each region) and the latency budget.

One place builds them so that ``review --format text|md|json``, the Architecture page and the report show the same
figures.  Records are JSON-ready (``None`` for an unbounded RTO or a data loss, with a flag saying which), and
translated where they carry prose (``lang``).  Shapes are documented in ``docs/architecture.md`` ("JSON output").
"""

from __future__ import annotations

import math
from typing import Any

from workbench.architecture.analysis import ArchitectureAnalysis
from workbench.architecture.findings import (
    Deduction,
    Finding,
    Pillar,
    Scores,
    Severity,
    group_findings,
    severity_summary,
)
from workbench.architecture.model import Disruption
from workbench.i18n import t


def pct(fraction: float) -> str:
    """A fraction as a percentage with up to four decimals: 0.9995 → '99.95'."""
    return f"{100 * fraction:.4f}".rstrip("0").rstrip(".")


def finding_record(f: Finding, lang: str, scores: Scores | None = None,
                   index: dict[Any, float] | None = None) -> dict[str, Any]:
    """One finding as a flat, translated record (the JSON/CSV row); ``index`` is :func:`scoring.cost_index`."""
    from workbench.architecture.scoring import finding_cost

    text = f.text(lang)
    return {
        "rule_id": f.rule_id,
        "pillar": f.pillar.value,
        "severity": f.severity.value,
        "components": list(f.component_ids),
        "subject": f.subject,
        "title": text["title"],
        "rationale": text["rationale"],
        "recommendation": text["recommendation"],
        "best_practice": f.best_practice(lang),
        "reference": f.reference,
        "fix": f.fix.kind.value if f.fix else None,
        "points": round(finding_cost(scores, f, index), 1) if scores is not None and not f.waived else 0.0,
        "waived": f.waived,
        "waiver_reason": f.waiver_reason,
        "waiver_until": f.waiver_until.isoformat() if f.waiver_until else None,
    }


def rule_points(scores: Scores) -> dict[str, float]:
    """Rule id → points fixing all its findings gives back (for ordering groups)."""
    return {d.rule_id: d.points for d in scores.deductions}


def group_records(findings: list[Finding], scores: Scores, lang: str) -> list[dict[str, Any]]:
    """Findings grouped by rule (:func:`group_findings`), each with its components and per-finding records."""
    from workbench.architecture.scoring import cost_index, finding_cost

    index = cost_index(scores)
    out = []
    for g in group_findings(findings, rule_points(scores)):
        text = g.text(lang)
        out.append({
            "rule_id": g.rule_id,
            "pillar": g.pillar.value,
            "severity": g.severity.value,
            "count": g.count,
            "components": list(g.component_ids),
            "title": text["title"],
            "rationale": text["rationale"],
            "recommendation": text["recommendation"],
            "best_practice": g.first.best_practice(lang),
            "reference": g.first.reference,
            "points": round(g.points, 1),
            # per component: its severity, fix and cost (the texts are the group's; the flat list has them all)
            "findings": [{"components": list(f.component_ids), "severity": f.severity.value,
                          "fix": f.fix.kind.value if f.fix else None,
                          "points": round(finding_cost(scores, f, index), 1)} for f in g.findings],
        })
    return out


def deduction_title(d: Deduction, findings: list[Finding], lang: str) -> str:
    """The title of what one rule costs a pillar (a line of "What costs points"): the title of the group of the
    rule's open findings (:meth:`FindingGroup.title`), naming every component the points cover, not the first."""
    fired = [f for f in findings if f.rule_id == d.rule_id and f.pillar == d.pillar and not f.waived]
    groups = group_findings(fired)
    return groups[0].title(lang) if groups else ""


def summary_record(findings: list[Finding]) -> dict[str, Any]:
    """Pillar × severity counts of rule groups, with the counts before and after grouping."""
    matrix = severity_summary(findings)
    return {
        "findings": len(findings),
        "groups": sum(sum(row.values()) for row in matrix.values()),
        "by_pillar": {p.value: {s.value: matrix[p][s] for s in Severity} for p in Pillar},
    }


def score_records(scores: Scores) -> dict[str, Any]:
    """Per pillar: the score and what costs it points (rule, points, components, per-finding points)."""
    out: dict[str, Any] = {}
    for p in Pillar:
        out[p.value] = {
            "score": scores.pillar(p),
            "costs": [{"rule_id": d.rule_id, "severity": d.severity.value, "count": d.count,
                       "points": round(d.points, 1), "components": list(d.component_ids),
                       "findings": [{"components": list(c.component_ids), "severity": c.severity.value,
                                     "weight": c.weight, "points": round(c.points, 1)} for c in d.findings]}
                      for d in scores.deductions if d.pillar == p],
        }
    return out


def spof_records(analysis: ArchitectureAnalysis) -> list[dict[str, Any]]:
    return [{"kind": s.kind.value, "id": s.id, "journeys_broken": list(s.journeys_broken)} for s in analysis.spofs]


def availability_records(analysis: ArchitectureAnalysis) -> list[dict[str, Any]]:
    return [{
        "journey": a.journey_id,
        "availability": a.value,
        "availability_pct": pct(a.value),
        "target": a.target,
        "meets": a.meets,
        "downtime_minutes_per_year": round(a.downtime_minutes_per_year, 1),
        "method": a.method,
        "formula": a.formula,
        "factors": [{"component": f.component_id, "availability": f.value, "formula": f.formula, "sla": f.sla,
                     "sla_source": f.sla_source, "sla_assumed": f.sla_assumed, "k": f.k, "n": f.n}
                    for f in a.factors],
    } for a in analysis.availability]


def whatif_records(analysis: ArchitectureAnalysis, *, domains_only: bool = True) -> list[dict[str, Any]]:
    """One row per disruption (each AZ, each region; instances too when ``domains_only`` is False)."""
    rows = []
    for w in analysis.whatif:
        if domains_only and w.disruption == Disruption.INSTANCE:
            continue
        unbounded = math.isinf(w.rto_minutes_est)
        rows.append({
            "disruption": w.disruption.value,
            "target": w.target_id,
            "components_lost": list(w.components_lost),
            "components_overloaded": list(w.components_overloaded),
            "journeys_broken": list(w.journeys_broken),
            "rto_minutes": None if unbounded else round(w.rto_minutes_est, 2),
            "rto_unbounded": unbounded,
            "rto_target_minutes": w.rto_target,
            "meets_rto": w.meets_rto,
            "rto_component": w.rto_component,
            "rpo_minutes": None if w.rpo_minutes_est is None else round(w.rpo_minutes_est, 2),
            "data_loss": w.rpo_minutes_est is None,
            "rpo_target_minutes": w.rpo_target,
            "meets_rpo": w.meets_rpo,
            "rpo_component": w.rpo_component,
        })
    return rows


def latency_records(analysis: ArchitectureAnalysis) -> list[dict[str, Any]]:
    return [{"journey": x.journey_id, "total_ms": round(x.total_ms, 1), "budget_ms": x.budget_ms, "meets": x.meets,
             "retry_amplification": x.retry_amplification, "missing_timeouts": list(x.missing_timeouts),
             "unknown_latency": list(x.unknown_latency)} for x in analysis.latency]


def minutes_text(value: float | None, lang: str, *, unbounded_key: str) -> str:
    """A minutes figure for a table cell: '12.5', or the translated 'until it returns' / 'data lost'."""
    if value is None or math.isinf(value):
        return t(unbounded_key, lang)
    return f"{value:.1f}"
