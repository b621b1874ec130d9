"""The review rules, one module per pillar plus capacity; importing this package registers them all.

``all_rules()`` returns them sorted by id; ``run_rules(ctx)`` runs every rule over one :class:`RuleContext`.
"""

from __future__ import annotations

from workbench.architecture.findings import Finding
from workbench.architecture.rules import capacity, cost, operations, performance, reliability, security
from workbench.architecture.rules.base import Rule, RuleContext, registered

__all__ = ["Rule", "RuleContext", "all_rules", "run_rules"]
_MODULES = (reliability, performance, security, cost, operations, capacity)  # imported for registration


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by id."""
    return [r for _, r in sorted(registered().items())]


def run_rules(ctx: RuleContext) -> list[Finding]:
    """All findings of all rules on ``ctx`` (waivers are applied later, by the review)."""
    return [f for r in all_rules() for f in r.check(ctx)]
