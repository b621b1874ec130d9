"""The review rules, one module per pillar plus capacity; importing this package registers them all.

``all_rules()`` returns them sorted by id; ``run_rules(ctx)`` runs every rule over one :class:`RuleContext`.
"""

from __future__ import annotations

from workbench.architecture.findings import Finding
from workbench.architecture.rules import capacity, cost, operations, performance, reliability, security
from workbench.architecture.rules.base import Rule, RuleContext, registered

__all__ = ["Rule", "RuleContext", "all_rules", "catalogue_markdown", "run_rules"]
_MODULES = (reliability, performance, security, cost, operations, capacity)  # imported for registration


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by id."""
    return [r for _, r in sorted(registered().items())]


def run_rules(ctx: RuleContext) -> list[Finding]:
    """All findings of all rules on ``ctx`` (waivers are applied later, by the review)."""
    return [f for r in all_rules() for f in r.check(ctx)]


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
