"""Milestones: a named, dated snapshot of a workshop's state, and the comparison between two of them.

A milestone freezes what a customer wants to see move from review to review: the scores per pillar,
the open findings (by rule and components, so "resolved" and "new" are exact), the estimated RTO/RPO
of each simulated disruption, the key capacity numbers, and which architecture version they describe.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from workbench.workshop.chain import ChainResult
from workbench.workshop.documents import (
    Milestone,
    MilestoneCapacity,
    MilestoneFinding,
    MilestoneRecovery,
    milestone_id,
)

MILESTONE_SCHEMA = Milestone.SCHEMA
__all__ = ["PILLARS", "Milestone", "MilestoneCapacity", "MilestoneDiff", "MilestoneFinding", "MilestoneRecovery",
           "compare", "milestone_id", "take_milestone"]


class MilestoneDiff(BaseModel):
    """What changed from ``before`` to ``after``."""

    model_config = ConfigDict(frozen=True)

    before: str
    after: str
    score_delta: dict[str, float]
    overall_delta: float | None
    resolved: list[MilestoneFinding]
    new: list[MilestoneFinding]


PILLARS = ("reliability", "performance", "security", "cost", "operations")


def take_milestone(name: str, chain: ChainResult, lang: str, date: dt.date | None = None) -> Milestone:
    """Snapshot the chain's review and capacity numbers under ``name``."""
    review = chain.review
    findings: list[MilestoneFinding] = []
    recovery: list[MilestoneRecovery] = []
    scores: dict[str, float] = {}
    overall = None
    if review is not None:
        scores = {p: float(getattr(review.scores, p)) for p in PILLARS}
        overall = float(review.scores.overall)
        findings = [MilestoneFinding(rule_id=f.rule_id, components=list(f.component_ids), severity=f.severity.value,
                                     pillar=f.pillar.value, title=f.text(lang)["title"], subject=f.subject or None)
                    for f in review.findings]
        recovery = [MilestoneRecovery(disruption=str(w.disruption), target=w.target_id,
                                      rto_minutes=None if w.rto_unbounded else w.rto_minutes_est,
                                      rto_target=w.rto_target, meets_rto=w.meets_rto, rpo_minutes=w.rpo_minutes_est,
                                      rpo_target=w.rpo_target, meets_rpo=w.meets_rpo)
                    for w in review.analysis.whatif]
    capacity = MilestoneCapacity(
        peak_rps=chain.peak_rps,
        tiers={r.tier: r.required_instances for r in chain.sizing},
        current={load.tier: load.current_instances for load in chain.loads},
    )
    return Milestone(name=name.strip()[:120] or "milestone", date=date or dt.date.today(),
                     created_at=dt.datetime.now(dt.UTC), architecture_version=chain.provenance.architecture_id,
                     architecture_name=chain.provenance.architecture_name, scores=scores, overall=overall,
                     findings=findings, recovery=recovery, capacity=capacity)


def compare(before: Milestone, after: Milestone) -> MilestoneDiff:
    """Score change per pillar, findings resolved (gone) and new (appeared) between two milestones."""
    old = {f.key: f for f in before.findings}
    new = {f.key: f for f in after.findings}
    gone, came = _legacy_pairs(old, new)
    return MilestoneDiff(
        before=before.name, after=after.name,
        score_delta={p: after.scores.get(p, 0.0) - before.scores.get(p, 0.0) for p in PILLARS
                     if p in after.scores or p in before.scores},
        overall_delta=None if before.overall is None or after.overall is None else after.overall - before.overall,
        resolved=[old[k] for k in old if k not in new and k not in gone],
        new=[new[k] for k in new if k not in old and k not in came],
    )


def _legacy_pairs(old: dict[str, MilestoneFinding], new: dict[str, MilestoneFinding]) -> tuple[set[str], set[str]]:
    """Keys matched across a milestone saved before subjects existed: an unmatched subject-less finding on one side
    and exactly one unmatched finding with the same rule and components on the other are the same finding.
    Where several firings share the old key, nothing is guessed (they stay resolved/new)."""
    gone: set[str] = set()
    came: set[str] = set()
    for mine, other, mine_out, other_out in ((old, new, gone, came), (new, old, came, gone)):
        for k, f in mine.items():
            if k in other or f.subject or k in mine_out:
                continue
            twins = [j for j, g in other.items() if j not in mine and j not in other_out
                     and g.legacy_key == f.legacy_key]
            if len(twins) == 1:
                mine_out.add(k)
                other_out.add(twins[0])
    return gone, came
