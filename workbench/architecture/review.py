# REVIEW-READY
"""The architecture review: analyses + rules + waivers + scores, in one call.

``review_architecture(arch)`` runs A's analyses (graph, SPOF, availability, what-if, latency), every rule in
:mod:`workbench.architecture.rules` over the model and those analyses (plus capacity facts when the workshop
passes them), sets waived findings apart and scores the rest (:mod:`workbench.architecture.scoring`).

Waivers (an accepted risk, cf. AWS WA "Risk acknowledged" [A4] and pytm per-element overrides [P1]): a waiver
matches a finding when its ``rule`` equals the finding's rule id (or is ``*``) and its ``component`` is None or
one of the finding's components.  A waiver whose ``until`` date is before the review date no longer applies
(rule OPS-008 reports it).  Waived findings cost no points and are listed apart with their reason.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.analysis import ArchitectureAnalysis, analyse
from workbench.architecture.findings import ComponentCapacity, Finding, Pillar, Scores, Severity
from workbench.architecture.model import Architecture, Waiver
from workbench.architecture.rules import RuleContext, run_rules
from workbench.architecture.scoring import score


class Review(BaseModel):
    """The result of one review: the analyses, open findings, waived findings and the scores."""

    model_config = ConfigDict(frozen=True)

    analysis: ArchitectureAnalysis
    findings: list[Finding] = Field(description="open findings, worst first")
    waived: list[Finding] = Field(description="findings matched by an active waiver, with its reason")
    scores: Scores
    reviewed_on: dt.date = Field(description="the date waivers and restore-test ages were judged against")

    def at_least(self, severity: Severity) -> list[Finding]:
        """Open findings of ``severity`` or worse (for ``--fail-on``)."""
        return [f for f in self.findings if f.severity.at_least(severity)]

    def by_pillar(self, pillar: Pillar) -> list[Finding]:
        """Open findings of one pillar."""
        return [f for f in self.findings if f.pillar == pillar]


def _matches(w: Waiver, f: Finding) -> bool:
    return (w.rule in (f.rule_id, "*") and (w.component is None or w.component in f.component_ids)
            and (w.subject is None or w.subject == f.subject))


def apply_waivers(
    findings: list[Finding], waivers: list[Waiver], today: dt.date
) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (open, waived); expired waivers (``until`` < today) are ignored."""
    active = [w for w in waivers if w.until is None or w.until >= today]
    open_: list[Finding] = []
    waived: list[Finding] = []
    for f in findings:
        w = next((w for w in active if _matches(w, f)), None)
        if w is None:
            open_.append(f)
        else:
            waived.append(f.model_copy(update={"waived": True, "waiver_reason": w.reason, "waiver_until": w.until}))
    return open_, waived


def _order(f: Finding) -> tuple[int, str, str, tuple[str, ...]]:
    return (-f.severity.rank, f.pillar.value, f.rule_id, tuple(f.component_ids))


def review_architecture(
    arch: Architecture,
    *,
    capacity: dict[str, ComponentCapacity] | None = None,
    today: dt.date | None = None,
    peak_rps: dict[str, float] | None = None,
    analysis: ArchitectureAnalysis | None = None,
) -> Review:
    """Review ``arch``: analyses, rule findings (waivers applied) and scores.

    ``capacity`` activates the capacity rules (facts from the capacity engine, per component id);
    ``today`` fixes the date for waivers and restore-test ages (tests pin it); ``peak_rps`` is passed to the
    analyses (capacity left in what-if); ``analysis`` reuses analyses already computed for this ``arch``.
    """
    day = today or dt.date.today()
    result = analysis if analysis is not None else analyse(arch, peak_rps=peak_rps)
    ctx = RuleContext(arch, result, capacity=capacity, today=day, peak_rps=peak_rps)
    open_, waived = apply_waivers(run_rules(ctx), arch.waivers, day)
    open_.sort(key=_order)
    waived.sort(key=_order)
    return Review(analysis=result, findings=open_, waived=waived, scores=score(open_), reviewed_on=day)
