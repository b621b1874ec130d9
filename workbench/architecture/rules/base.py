"""The rule framework: a :class:`Rule` is a small typed object with metadata and a check over a context.

A rule has an id (``REL-001``), a pillar, a default severity, a reference URL to the public best practice it
rests on, an optional fix kind, and a ``check(ctx) -> list[Finding]`` over :class:`RuleContext` — the model,
its analyses (graph, SPOFs, availability, what-if, latency) and, for capacity rules, the capacity facts.
Texts are i18n keys derived from the id: ``rules.rel_001.title`` / ``.rationale`` / ``.recommendation``.

The shape borrows from TSA ``Strategies`` (id, level, repair advice) [T4], pytm threats (target, condition,
severity, references) [P2] and Polaris checks [F5] (research note §3 "Suggested rule metadata").
Rules only fire on facts the model states; an unknown value (None) never counts as a violation unless the
rule is about the value being unknown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from workbench.architecture.findings import (
    ComponentCapacity,
    Finding,
    FixKind,
    FixSpec,
    ParamValue,
    Pillar,
    Severity,
    subject_of,
)
from workbench.architecture.model import Architecture, Component, Criticality, Link, LinkMode
from workbench.architecture.rules import kinds

if TYPE_CHECKING:
    from workbench.architecture.analysis import ArchitectureAnalysis

WA = "https://docs.aws.amazon.com/wellarchitected/latest/framework/"
"""Prefix of AWS Well-Architected best-practice pages (research note Appendix A)."""
AZURE = "https://learn.microsoft.com/azure/well-architected/"
TA_FAULT_TOLERANCE = "https://docs.aws.amazon.com/awssupport/latest/user/fault-tolerance-checks.html"


def wa(slug: str) -> str:
    """URL of a Well-Architected best practice from its page slug (research note Appendix A)."""
    return f"{WA}{slug}"


class RuleContext:
    """Everything a rule may look at, with lookups computed once per review.

    ``analysis`` is None only when a caller runs model-only rules; rules that need it return no findings then.
    """

    def __init__(
        self,
        arch: Architecture,
        analysis: ArchitectureAnalysis | None = None,
        *,
        capacity: dict[str, ComponentCapacity] | None = None,
        today: dt.date | None = None,
        peak_rps: dict[str, float] | None = None,
    ) -> None:
        self.arch = arch
        self.peak_rps = peak_rps
        self.analysis = analysis
        self.capacity = capacity
        self.today = today or dt.date.today()
        self.components: dict[str, Component] = arch.components_by_id
        self.policy = arch.policy

    @cached_property
    def out_links(self) -> dict[str, list[Link]]:
        """Links by source id."""
        out: dict[str, list[Link]] = defaultdict(list)
        for link in self.arch.links:
            out[link.source].append(link)
        return out

    @cached_property
    def in_links(self) -> dict[str, list[Link]]:
        """Links by target id."""
        out: dict[str, list[Link]] = defaultdict(list)
        for link in self.arch.links:
            out[link.target].append(link)
        return out

    @cached_property
    def on_journey(self) -> set[str]:
        """Ids of components on any journey."""
        return {cid for j in self.arch.journeys for cid in j.path}

    @cached_property
    def on_critical_journey(self) -> set[str]:
        """Ids of components on a critical journey."""
        return {cid for j in self.arch.journeys if j.critical for cid in j.path}

    def is_critical(self, c: Component) -> bool:
        """On a critical journey, an entry point, or declared high/critical."""
        return (
            c.id in self.on_critical_journey
            or c.id in self.arch.entry_points
            or c.criticality in (Criticality.HIGH, Criticality.CRITICAL)
        )

    def effective_criticality(self, c: Component) -> Criticality:
        """Declared criticality, raised to ``high`` for components on a critical journey or entry points."""
        if c.criticality in (Criticality.LOW, Criticality.MEDIUM) and (
            c.id in self.on_critical_journey or c.id in self.arch.entry_points
        ):
            return Criticality.HIGH
        return c.criticality

    @cached_property
    def component_spofs(self) -> set[str]:
        """Components the SPOF analysis names (REL-001 reports them; narrower rules do not repeat them)."""
        if self.analysis is None:
            return set()
        return {s.id for s in self.analysis.spofs if s.kind == "component"}

    @cached_property
    def lost_with_an_az(self) -> set[str]:
        """Journey components an AZ loss takes down while breaking a journey (REL-002 reports them)."""
        if self.analysis is None:
            return set()
        out: set[str] = set()
        for s in self.analysis.spofs:
            if s.kind == "az":
                w = self.analysis.whatif_for("az", s.id)
                out.update(c for c in (w.components_lost if w else []) if c in self.on_journey)
        return out

    def kind(self, c: Component) -> str:
        """The generic catalogue type of a component (``relational_db``, ``cache``…)."""
        return kinds.kind_of(c)

    def is_stateful(self, c: Component) -> bool:
        """Holds data (declared, else the catalogue default for its type)."""
        return kinds.is_stateful(c)

    def sync_out(self, cid: str) -> list[Link]:
        return [link for link in self.out_links.get(cid, []) if link.mode == LinkMode.SYNC]


CheckFn = Callable[["Rule", RuleContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One review rule: metadata plus a check. Build findings with :meth:`finding` so metadata stays consistent."""

    id: str
    pillar: Pillar
    severity: Severity
    reference: str
    fn: CheckFn = field(repr=False, compare=False)
    fix_kind: FixKind | None = None
    needs_analysis: bool = False
    needs_capacity: bool = False

    @property
    def key_prefix(self) -> str:
        """``rules.rel_001`` for ``REL-001``."""
        return "rules." + self.id.lower().replace("-", "_")

    def check(self, ctx: RuleContext) -> list[Finding]:
        """The findings of this rule on ``ctx`` (none when the inputs it needs are absent)."""
        if self.needs_analysis and ctx.analysis is None:
            return []
        if self.needs_capacity and not ctx.capacity:
            return []
        return list(self.fn(self, ctx))

    def finding(
        self,
        component_ids: Iterable[str],
        *,
        severity: Severity | None = None,
        fix: bool | dict[str, ParamValue] = False,
        fix_kind: FixKind | None = None,
        subject: str | None = None,
        variant: str = "",
        **params: ParamValue,
    ) -> Finding:
        """A finding of this rule on ``component_ids``.

        ``fix=True`` (or a dict of fix params) attaches the rule's fix kind, or ``fix_kind`` when given.
        ``subject`` tells apart two firings on the same components (default: :func:`subject_of` the params).
        ``variant`` picks the rationale and recommendation worded for a case (``rationale_<variant>``).
        """
        spec = None
        kind = fix_kind or self.fix_kind
        if fix is not False and kind is not None:
            spec = FixSpec(kind=kind, params=fix if isinstance(fix, dict) else {})
        return Finding(
            rule_id=self.id,
            pillar=self.pillar,
            severity=severity or self.severity,
            component_ids=list(component_ids),
            title_key=f"{self.key_prefix}.title",
            rationale_key=f"{self.key_prefix}.rationale{'_' + variant if variant else ''}",
            recommendation_key=f"{self.key_prefix}.recommendation{'_' + variant if variant else ''}",
            params=dict(params),
            reference=self.reference,
            fix=spec,
            subject=subject_of(params) if subject is None else subject,
        )


_REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    pillar: Pillar,
    severity: Severity,
    reference: str,
    *,
    fix: FixKind | None = None,
    needs_analysis: bool = False,
    needs_capacity: bool = False,
) -> Callable[[CheckFn], Rule]:
    """Decorator registering a check function as a :class:`Rule` (ids must be unique)."""

    def wrap(fn: CheckFn) -> Rule:
        if rule_id in _REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id}")
        r = Rule(rule_id, pillar, severity, reference, fn, fix, needs_analysis, needs_capacity)
        _REGISTRY[rule_id] = r
        return r

    return wrap


def registered() -> dict[str, Rule]:
    """All registered rules by id (import :mod:`workbench.architecture.rules` to register them)."""
    return dict(_REGISTRY)
