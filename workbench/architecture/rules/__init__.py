"""The review rules, one module per pillar plus capacity; importing this package registers them all.

``all_rules()`` returns them sorted by id; ``run_rules(ctx)`` runs every rule over one :class:`RuleContext`.
"""

from __future__ import annotations

from workbench.architecture.catalogue import provider_docs, service_docs
from workbench.architecture.findings import HYGIENE_RULES, Finding, Severity
from workbench.architecture.model import Criticality
from workbench.architecture.rules import capacity, cost, operations, performance, reliability, security
from workbench.architecture.rules.base import Rule, RuleContext, registered
from workbench.architecture.scoring import CRITICALITY_FACTOR

__all__ = ["Rule", "RuleContext", "all_rules", "catalogue_markdown", "run_rules"]
_MODULES = (reliability, performance, security, cost, operations, capacity)  # imported for registration


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by id."""
    return [r for _, r in sorted(registered().items())]


def run_rules(ctx: RuleContext) -> list[Finding]:
    """All findings of all rules on ``ctx`` (waivers are applied later, by the review), each weighed by the
    criticality of the components it names (:func:`weigh`)."""
    return [weigh(ctx, f) for r in all_rules() for f in r.check(ctx)]


_TOPIC = {"REL-001": "spread", "REL-002": "spread", "REL-005": "spread", "REL-006": "spread", "REL-004": "single_node",
          "REL-008": "ha", "REL-026": "spread"}
"""Rules whose provider link is a page on a topic (multi-AZ spread, single-node editions, HA) where one exists."""

_SERVICE = {"OPS-001": "monitoring", "OPS-002": "monitoring", "OPS-004": "logging", "SEC-010": "logging",
            "SEC-003": "waf", "OPS-003": "tracing"}
"""Rules whose provider link is the provider's service for it (Cloud Monitor, CLS, WAF, APM), not the product's."""
_NO_PRODUCT_LINK = frozenset({*HYGIENE_RULES, "REL-019", "REL-003", "PERF-001", "PERF-005", "PERF-010", "OPS-007",
                              "OPS-008", "OPS-009", "REL-015", "REL-016"})
"""Rules about a journey, the whole design or the file: no single product family to link to."""

_DOWNGRADE = {Severity.critical: Severity.high, Severity.high: Severity.medium, Severity.medium: Severity.low,
              Severity.low: Severity.low, Severity.info: Severity.info}


def weigh(ctx: RuleContext, f: Finding) -> Finding:
    """Set the finding's scoring weight from the most critical component it names, and scale its severity down
    one step when every component it names is of low criticality (a batch VM is not a shop front).

    A component on a critical journey or an entry point counts as at least ``high`` (:meth:`RuleContext.
    effective_criticality`); a finding that names no component weighs as ``medium``.
    """
    named = [ctx.components[c] for c in f.component_ids if c in ctx.components]
    levels = [ctx.effective_criticality(c) for c in named]
    if not levels:
        return _with(f, {"weight": CRITICALITY_FACTOR[Criticality.MEDIUM.value]})
    weight = max(CRITICALITY_FACTOR[c.value] for c in levels)
    update: dict[str, object] = {"weight": weight}
    if f.rule_id not in _NO_PRODUCT_LINK:
        service = _SERVICE.get(f.rule_id)
        docs = service_docs(named[0], service) if service else provider_docs(named[0], _TOPIC.get(f.rule_id))
        if docs:
            update["provider_docs"] = docs
    if all(c == Criticality.LOW for c in levels):
        update["severity"] = _DOWNGRADE[f.severity]
    return _with(f, update)


def _with(f: Finding, update: dict[str, object]) -> Finding:
    """``f`` with ``update`` (values of the field types: a float in [0, 1], a severity, a dict of URLs).

    The finding was created by its rule a moment ago and nobody holds it yet, so its fields are set in place
    rather than copied: a copy per finding is the largest single cost of reviewing 10,000 components.
    """
    f.__dict__.update(update)
    return f


def catalogue_markdown(lang: str = "en") -> str:
    """The rule catalogue as a Markdown table (id, pillar, severity, title, fix, reference); ``docs/rules.md``."""
    from workbench.i18n import t

    head = {"en": ("Rule", "Pillar", "Severity", "Title", "Fix", "Reference"),
            "zh-CN": ("规则", "支柱", "级别", "标题", "修复", "参考")}.get(lang, ("Rule", "Pillar", "Severity",
                                                                         "Title", "Fix", "Reference"))
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in all_rules():
        title = t(f"{r.key_prefix}.title", lang).replace("|", "\\|")
        fix = t(f"review.fix.{r.fix_kind.value}", lang) if r.fix_kind else "—"
        lines.append(f"| {r.id} | {t(f'review.pillar.{r.pillar.value}', lang)} | "
                     f"{t(f'review.severity.{r.severity.value}', lang)} | {title} | {fix} | {r.reference} |")
    return "\n".join(lines) + "\n"
