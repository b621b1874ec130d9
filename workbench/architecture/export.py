"""Review results as files: text, Markdown, JSON, CSV (formula-safe) and SARIF 2.1.0.

What and why
    The CLI gates a CI pipeline on a review and the page offers downloads; both need the same
    serialisations, so they live here, next to the model, and neither the CLI nor the page formats
    findings itself.  Every text is translated (``lang``) from the finding's message keys.

Formats and their sources
    - SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format, §3.13 run, §3.19 tool.driver,
      §3.49 reportingDescriptor for rules, §3.27 result, §3.33 logicalLocation, §3.35 suppression):
      https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html.  Components are logical
      locations (``kind: resource``); the architecture file is the physical artifact.  Severity maps to
      ``level``: critical/high → error, medium → warning, low/info → note.  Waived findings are kept with
      an external suppression carrying the waiver's reason, as §3.35 intends for accepted risks.
    - CSV: through :func:`workbench.exports.to_safe_csv` (text cells starting with ``=``, ``+``, ``-``, ``@``,
      tab or CR get a leading ``'``; OWASP "CSV Injection").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import pandas as pd

from workbench.architecture.findings import Finding, Pillar, Scores, Severity
from workbench.architecture.model import Architecture
from workbench.exports import to_safe_csv
from workbench.i18n import format_number, t
from workbench.texts import escape_markdown

TOOL_NAME = "capacity-workbench"
TOOL_URI = "https://github.com/capacity-workbench/capacity-workbench"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_SARIF_LEVEL: dict[Severity, str] = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "note",
    Severity.info: "note",
}
CSV_COLUMNS: tuple[str, ...] = (
    "rule_id", "pillar", "severity", "components", "title", "rationale", "recommendation", "reference",
    "fix", "waived", "waiver_reason", "waiver_until",
)


class ReviewLike(Protocol):
    """What the exports read from :class:`workbench.architecture.review.Review`."""

    @property
    def findings(self) -> list[Finding]: ...

    @property
    def waived(self) -> list[Finding]: ...

    @property
    def scores(self) -> Scores: ...


class RuleLike(Protocol):
    """What SARIF needs from a rule of the catalogue (``workbench.architecture.rules.Rule``)."""

    @property
    def id(self) -> str: ...

    @property
    def pillar(self) -> Pillar: ...

    @property
    def severity(self) -> Severity: ...

    @property
    def reference(self) -> str: ...

    @property
    def key_prefix(self) -> str: ...


# --- records ------------------------------------------------------------------------------------------


def finding_record(f: Finding, lang: str) -> dict[str, Any]:
    """One finding as a flat, translated record (the JSON/CSV row)."""
    text = f.text(lang)
    return {
        "rule_id": f.rule_id,
        "pillar": f.pillar.value,
        "severity": f.severity.value,
        "components": list(f.component_ids),
        "title": text["title"],
        "rationale": text["rationale"],
        "recommendation": text["recommendation"],
        "reference": f.reference,
        "fix": f.fix.kind.value if f.fix else None,
        "waived": f.waived,
        "waiver_reason": f.waiver_reason,
        "waiver_until": f.waiver_until.isoformat() if f.waiver_until else None,
    }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Worst severity first, then rule id, then components (a stable reading order)."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule_id, tuple(f.component_ids)))


def scores_record(scores: Scores) -> dict[str, float]:
    return {p.value: scores.pillar(p) for p in Pillar} | {"overall": scores.overall}


def review_json(review: ReviewLike, arch: Architecture, lang: str) -> str:
    """The review as JSON: scores, open findings and waived findings (translated), stable order."""
    doc = {
        "architecture": arch.name,
        "language": lang,
        "scores": scores_record(review.scores),
        "findings": [finding_record(f, lang) for f in sort_findings(review.findings)],
        "waived": [finding_record(f, lang) for f in sort_findings(review.waived)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


# --- CSV ----------------------------------------------------------------------------------------------


def findings_frame(findings: Iterable[Finding], lang: str) -> pd.DataFrame:
    """Findings as a table (one row per finding, components joined with ', '), worst first."""
    rows = [finding_record(f, lang) for f in sort_findings(findings)]
    for row in rows:
        row["components"] = ", ".join(row["components"])
        for key, value in row.items():  # a bare CR is not quoted by the CSV writer and splits the row
            if isinstance(value, str) and "\r" in value:
                row[key] = value.replace("\r\n", "\n").replace("\r", "\n")
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def findings_csv(findings: Iterable[Finding], lang: str) -> bytes:
    """Findings as CSV bytes (UTF-8 with BOM), formula-looking text cells neutralised with ``'``."""
    return to_safe_csv(findings_frame(findings, lang))


# --- text and Markdown --------------------------------------------------------------------------------


def _severity(s: Severity, lang: str) -> str:
    return t(f"architecture.severity.{s.value}", lang)


def _pillar(p: Pillar, lang: str) -> str:
    return t(f"architecture.pillar.{p.value}", lang)


def review_text(review: ReviewLike, arch: Architecture, lang: str) -> str:
    """A plain-text report for a terminal: scores, then findings worst first, then waived ones."""
    out = [t("architecture.report.title", lang, name=arch.name or "-"), ""]
    out.append(t("architecture.report.scores", lang))
    for p in Pillar:
        out.append(f"  {_pillar(p, lang)}: {format_number(review.scores.pillar(p), lang, 1)}")
    out.append(f"  {t('architecture.report.overall', lang)}: {format_number(review.scores.overall, lang, 1)}")
    out.append("")
    out.append(t("architecture.report.findings", lang, count=len(review.findings)))
    for f in sort_findings(review.findings):
        text = f.text(lang)
        out.append(f"  [{_severity(f.severity, lang)}] {f.rule_id} {text['title']}")
        out.append(f"      {t('architecture.report.components', lang)}: {', '.join(f.component_ids) or '-'}")
        out.append(f"      {text['rationale']}")
        out.append(f"      {t('architecture.report.fix', lang)}: {text['recommendation']}")
        out.append(f"      {t('architecture.report.reference', lang)}: {f.reference}")
    if review.waived:
        out.append("")
        out.append(t("architecture.report.waived", lang, count=len(review.waived)))
        for f in sort_findings(review.waived):
            out.append(f"  [{_severity(f.severity, lang)}] {f.rule_id} {f.text(lang)['title']}"
                       f" — {f.waiver_reason or ''}")
    return "\n".join(out) + "\n"


def md_escape(text: str) -> str:
    """Markdown-escape user or translated text so it shows literally (no links, HTML or tables)."""
    return escape_markdown(text)


def review_markdown(review: ReviewLike, arch: Architecture, lang: str) -> str:
    """A Markdown report: a score table and one section per finding (all text escaped)."""
    out = [f"# {md_escape(t('architecture.report.title', lang, name=arch.name or '-'))}", ""]
    out += [
        f"| {md_escape(t('architecture.report.pillar', lang))} | {md_escape(t('architecture.report.score', lang))} |",
        "| --- | ---: |",
    ]
    for p in Pillar:
        out.append(f"| {md_escape(_pillar(p, lang))} | {format_number(review.scores.pillar(p), lang, 1)} |")
    out.append(f"| **{md_escape(t('architecture.report.overall', lang))}** | "
               f"**{format_number(review.scores.overall, lang, 1)}** |")
    out += ["", f"## {md_escape(t('architecture.report.findings', lang, count=len(review.findings)))}", ""]
    for f in sort_findings(review.findings):
        text = f.text(lang)
        out.append(
            f"### {md_escape(_severity(f.severity, lang))} · {md_escape(f.rule_id)} · {md_escape(text['title'])}"
        )
        out.append("")
        out.append(f"- {md_escape(t('architecture.report.components', lang))}: "
                   + ", ".join(f"`{c.replace('`', '')}`" for c in f.component_ids))
        out.append(f"- {md_escape(text['rationale'])}")
        out.append(f"- {md_escape(t('architecture.report.fix', lang))}: {md_escape(text['recommendation'])}")
        out.append(f"- {md_escape(t('architecture.report.reference', lang))}: <{f.reference.replace('>', '%3E')}>")
        out.append("")
    if review.waived:
        out += [f"## {md_escape(t('architecture.report.waived', lang, count=len(review.waived)))}", ""]
        for f in sort_findings(review.waived):
            out.append(
                f"- {md_escape(f.rule_id)} {md_escape(f.text(lang)['title'])}: {md_escape(f.waiver_reason or '')}"
            )
    return "\n".join(out) + "\n"


# --- SARIF --------------------------------------------------------------------------------------------


def _sarif_rule(rule: RuleLike, lang: str) -> dict[str, Any]:
    title = t(f"{rule.key_prefix}.title", lang, components="…")
    return {
        "id": rule.id,
        "name": rule.id.replace("-", ""),
        "shortDescription": {"text": title},
        "fullDescription": {"text": t(f"{rule.key_prefix}.rationale", lang, components="…")},
        "help": {"text": t(f"{rule.key_prefix}.recommendation", lang, components="…")},
        "helpUri": rule.reference,
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": [rule.pillar.value], "pillar": rule.pillar.value, "severity": rule.severity.value},
    }


def _sarif_result(f: Finding, index: dict[str, int], lang: str, artifact_uri: str) -> dict[str, Any]:
    text = f.text(lang)
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f"{text['title']} — {text['rationale']}"},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": artifact_uri}},
                "logicalLocations": [
                    {"name": cid, "fullyQualifiedName": f"components/{cid}", "kind": "resource"}
                    for cid in f.component_ids
                ],
            }
        ],
        "properties": {"pillar": f.pillar.value, "severity": f.severity.value,
                       "recommendation": text["recommendation"]},
    }
    if f.rule_id in index:
        result["ruleIndex"] = index[f.rule_id]
    if f.waived:
        result["suppressions"] = [{"kind": "external", "justification": f.waiver_reason or ""}]
    return result


def review_sarif(
    review: ReviewLike, rules: Sequence[RuleLike], lang: str, *, artifact_uri: str = "architecture.yaml",
    version: str = "0",
) -> dict[str, Any]:
    """A minimal valid SARIF 2.1.0 log: one run, the rule catalogue as ``tool.driver.rules``, one result per
    finding (open and waived) with the components as logical locations."""
    index = {r.id: i for i, r in enumerate(rules)}
    results = [_sarif_result(f, index, lang, artifact_uri)
               for f in sort_findings(review.findings) + sort_findings(review.waived)]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "informationUri": TOOL_URI, "version": version,
                                    "rules": [_sarif_rule(r, lang) for r in rules]}},
                "artifacts": [{"location": {"uri": artifact_uri}}],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
