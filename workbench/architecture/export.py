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

from workbench.architecture import sections
from workbench.architecture.findings import Finding, Pillar, Scores, Severity, group_findings
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
    "rule_id", "pillar", "severity", "components", "subject", "title", "rationale", "recommendation", "best_practice",
    "reference", "fix", "points", "waived", "waiver_reason", "waiver_until",
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

JSON_FORMAT_VERSION = 2
"""Version of the ``review --format json`` document (docs/architecture.md "JSON output"); 2 added the sections."""


def finding_record(f: Finding, lang: str, scores: Scores | None = None,
                   index: dict[Any, float] | None = None) -> dict[str, Any]:
    """One finding as a flat, translated record (the JSON/CSV row)."""
    return sections.finding_record(f, lang, scores, index)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Worst severity first, then rule id, then components (a stable reading order)."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule_id, tuple(f.component_ids)))


def scores_record(scores: Scores) -> dict[str, float]:
    return {p.value: scores.pillar(p) for p in Pillar} | {"overall": scores.overall}


def review_document(review: ReviewLike, arch: Architecture, lang: str) -> dict[str, Any]:
    """The review as one JSON-ready document (what ``review_json`` prints; documented in docs/architecture.md)."""
    from workbench.architecture.scoring import cost_index

    index = cost_index(review.scores)
    doc: dict[str, Any] = {
        "format_version": JSON_FORMAT_VERSION,
        "architecture": arch.name,
        "language": lang,
        "scores": scores_record(review.scores),
        "score_costs": sections.score_records(review.scores),
        "summary": sections.summary_record(review.findings),
        "groups": sections.group_records(review.findings, review.scores, lang),
        "findings": [finding_record(f, lang, review.scores, index) for f in sort_findings(review.findings)],
        "waived": [finding_record(f, lang) for f in sort_findings(review.waived)],
    }
    analysis = getattr(review, "analysis", None)
    if analysis is not None:
        doc["spofs"] = sections.spof_records(analysis)
        doc["availability"] = sections.availability_records(analysis)
        doc["whatif"] = sections.whatif_records(analysis)
        doc["latency"] = sections.latency_records(analysis)
    return doc


def review_json(review: ReviewLike, arch: Architecture, lang: str) -> str:
    """The review as JSON: scores with their costs, grouped and flat findings, SPOFs, availability, what-if, latency."""
    return json.dumps(review_document(review, arch, lang), ensure_ascii=False, indent=2)


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


def _status(ok: bool, lang: str) -> str:
    return t("architecture.sections.met" if ok else "architecture.sections.missed", lang)


def _disruption(d: str, lang: str) -> str:
    return t(f"architecture.disruption.{d}", lang)


def _whatif_cells(row: dict[str, Any], lang: str) -> list[str]:
    rto = (t("architecture.sections.unbounded", lang) if row["rto_unbounded"] else f"{row['rto_minutes']:.1f}")
    rpo = (t("architecture.sections.data_lost", lang) if row["data_loss"] else f"{row['rpo_minutes']:.1f}")
    return [f"{_disruption(row['disruption'], lang)} {row['target']}", ", ".join(row["components_lost"]) or "-",
            ", ".join(row["journeys_broken"]) or "-", rto, f"{row['rto_target_minutes']:g}", rpo,
            f"{row['rpo_target_minutes']:g}",
            f"RTO {_status(row['meets_rto'], lang)} / RPO {_status(row['meets_rpo'], lang)}"]


def _spof_line(s: dict[str, Any], lang: str) -> str:
    return t("architecture.sections.spof_line", lang, kind=t(f"architecture.sections.spof_{s['kind']}", lang),
             id=s["id"], journeys=", ".join(s["journeys_broken"]))


def _summary_lines(review: ReviewLike, lang: str) -> list[str]:
    summary = sections.summary_record(review.findings)
    head = [t("architecture.report.pillar", lang)] + [_severity(s, lang) for s in Severity]
    rows = [[_pillar(p, lang)] + [str(summary["by_pillar"][p.value][s.value]) for s in Severity] for p in Pillar]
    return [t("architecture.summary.grouped", lang, groups=summary["groups"], findings=summary["findings"]),
            " | ".join(head), *(" | ".join(r) for r in rows)]


def review_text(review: ReviewLike, arch: Architecture, lang: str) -> str:
    """A plain-text report for a terminal: scores and their costs, the pillar × severity summary, findings grouped
    by rule (worst first), waived ones, then SPOFs, availability per journey, the what-if table and latency."""
    out = [t("architecture.report.title", lang, name=arch.name or "-"), ""]
    out.append(t("architecture.report.scores", lang))
    for p in Pillar:
        out.append(f"  {_pillar(p, lang)}: {format_number(review.scores.pillar(p), lang, 1)}")
        for d in (d for d in review.scores.deductions if d.pillar == p):
            out.append(f"      −{d.points:.1f} {d.rule_id} ({', '.join(d.component_ids) or '-'})")
    out.append(f"  {t('architecture.report.overall', lang)}: {format_number(review.scores.overall, lang, 1)}")
    out += ["", t("architecture.summary.title", lang), *("  " + x for x in _summary_lines(review, lang)), ""]
    groups = group_findings(review.findings, sections.rule_points(review.scores))
    out.append(t("architecture.report.findings", lang, count=len(groups)))
    for g in groups:
        text = g.text(lang)
        out.append(f"  [{_severity(g.severity, lang)}] {g.rule_id} {text['title']}")
        out.append(f"      {t('architecture.report.components', lang)}: {', '.join(g.component_ids) or '-'}")
        out.append(f"      {text['rationale']}")
        out.append(f"      {t('architecture.report.fix', lang)}: {text['recommendation']}")
        out.append(f"      {t('architecture.reference.label', lang)}: {g.first.best_practice(lang)}")
        if g.first.best_practice(lang) != g.first.reference:
            out.append(f"      {t('architecture.report.reference', lang)}: {g.first.reference}")
    if review.waived:
        out.append("")
        out.append(t("architecture.report.waived", lang, count=len(review.waived)))
        for f in sort_findings(review.waived):
            out.append(f"  [{_severity(f.severity, lang)}] {f.rule_id} {f.text(lang)['title']}"
                       f" — {f.waiver_reason or ''}")
    analysis = getattr(review, "analysis", None)
    if analysis is not None:
        spofs = sections.spof_records(analysis)
        out += ["", t("architecture.sections.spofs", lang)]
        out += [f"  {_spof_line(s, lang)}" for s in spofs] or [f"  {t('architecture.sections.no_spof', lang)}"]
        out += ["", t("architecture.sections.availability", lang)]
        for a in sections.availability_records(analysis):
            out.append("  " + t("architecture.sections.availability_line", lang, journey=a["journey"],
                                 value=a["availability_pct"], target=sections.pct(a["target"]),
                                 status=_status(a["meets"], lang), formula=a["formula"]))
        out += ["", t("architecture.sections.whatif", lang), "  " + t("architecture.sections.whatif_head", lang)]
        out += ["  " + " | ".join(_whatif_cells(r, lang)) for r in sections.whatif_records(analysis)]
        out += ["", t("architecture.sections.latency", lang)]
        for x in sections.latency_records(analysis):
            out.append("  " + t("architecture.sections.latency_line", lang, journey=x["journey"],
                                 total=f"{x['total_ms']:.1f}", budget=f"{x['budget_ms']:g}",
                                 status=_status(x["meets"], lang)))
    return "\n".join(out) + "\n"


def md_escape(text: str) -> str:
    """Markdown-escape user or translated text so it shows literally (no links, HTML or tables)."""
    return escape_markdown(text)


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(md_escape(h) for h in head) + " |", "|" + " --- |" * len(head),
            *("| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows)]


def review_markdown(review: ReviewLike, arch: Architecture, lang: str) -> str:
    """A Markdown report: scores with costs, the pillar × severity summary, grouped findings, SPOFs, availability
    per journey with its formula, the what-if table and the latency budget (all text escaped)."""
    out = [f"# {md_escape(t('architecture.report.title', lang, name=arch.name or '-'))}", ""]
    out += [
        f"| {md_escape(t('architecture.report.pillar', lang))} | {md_escape(t('architecture.report.score', lang))} |",
        "| --- | ---: |",
    ]
    for p in Pillar:
        costs = ", ".join(f"{d.rule_id} −{d.points:.1f}" for d in review.scores.deductions if d.pillar == p)
        out.append(f"| {md_escape(_pillar(p, lang))} | {format_number(review.scores.pillar(p), lang, 1)}"
                   f"{' (' + md_escape(costs) + ')' if costs else ''} |")
    out.append(f"| **{md_escape(t('architecture.report.overall', lang))}** | "
               f"**{format_number(review.scores.overall, lang, 1)}** |")
    summary = sections.summary_record(review.findings)
    out += ["", f"## {md_escape(t('architecture.summary.title', lang))}", "",
            md_escape(t("architecture.summary.grouped", lang, groups=summary["groups"], findings=summary["findings"])),
            ""]
    out += _md_table([t("architecture.report.pillar", lang)] + [_severity(s, lang) for s in Severity],
                     [[_pillar(p, lang)] + [str(summary["by_pillar"][p.value][s.value]) for s in Severity]
                      for p in Pillar])
    groups = group_findings(review.findings, sections.rule_points(review.scores))
    out += ["", f"## {md_escape(t('architecture.report.findings', lang, count=len(groups)))}", ""]
    for g in groups:
        text = g.text(lang)
        out.append(f"### {md_escape(_severity(g.severity, lang))} · {md_escape(g.rule_id)} · "
                   f"{md_escape(text['title'])}")
        out.append("")
        out.append(f"- {md_escape(t('architecture.report.components', lang))}: "
                   + ", ".join(f"`{c.replace('`', '')}`" for c in g.component_ids))
        out.append(f"- {md_escape(text['rationale'])}")
        out.append(f"- {md_escape(t('architecture.report.fix', lang))}: {md_escape(text['recommendation'])}")
        out.append(f"- {md_escape(t('architecture.reference.label', lang))}: "
                   f"<{g.first.best_practice(lang).replace('>', '%3E')}>")
        if g.first.best_practice(lang) != g.first.reference:
            out.append(f"- {md_escape(t('architecture.report.reference', lang))}: "
                       f"<{g.first.reference.replace('>', '%3E')}>")
        out.append("")
    if review.waived:
        out += [f"## {md_escape(t('architecture.report.waived', lang, count=len(review.waived)))}", ""]
        for f in sort_findings(review.waived):
            out.append(f"- {md_escape(f.rule_id)} {md_escape(f.text(lang)['title'])}: "
                       f"{md_escape(f.waiver_reason or '')}")
        out.append("")
    analysis = getattr(review, "analysis", None)
    if analysis is not None:
        spofs = sections.spof_records(analysis)
        out += [f"## {md_escape(t('architecture.sections.spofs', lang))}", ""]
        out += [f"- {md_escape(_spof_line(s, lang))}" for s in spofs] or [
            md_escape(t("architecture.sections.no_spof", lang))]
        out += ["", f"## {md_escape(t('architecture.sections.availability', lang))}", ""]
        for a in sections.availability_records(analysis):
            out.append("- " + md_escape(t("architecture.sections.availability_line", lang, journey=a["journey"],
                                          value=a["availability_pct"], target=sections.pct(a["target"]),
                                          status=_status(a["meets"], lang), formula=a["formula"])))
        out += ["", f"## {md_escape(t('architecture.sections.whatif', lang))}", ""]
        out += _md_table(t("architecture.sections.whatif_head", lang).split(" | "),
                         [_whatif_cells(r, lang) for r in sections.whatif_records(analysis)])
        out += ["", f"## {md_escape(t('architecture.sections.latency', lang))}", ""]
        for x in sections.latency_records(analysis):
            out.append("- " + md_escape(t("architecture.sections.latency_line", lang, journey=x["journey"],
                                          total=f"{x['total_ms']:.1f}", budget=f"{x['budget_ms']:g}",
                                          status=_status(x["meets"], lang))))
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


def _physical(artifact_uri: str, cid: str | None, locations: dict[str, tuple[int, int]]) -> dict[str, Any]:
    out: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri}}
    if cid is not None and cid in locations:
        line, column = locations[cid]
        out["region"] = {"startLine": line, "startColumn": column}
    return out


def _sarif_result(f: Finding, index: dict[str, int], lang: str, artifact_uri: str,
                  locations: dict[str, tuple[int, int]] | None = None) -> dict[str, Any]:
    text = f.text(lang)
    located = [c for c in f.component_ids if c in (locations or {})]
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f"{text['title']} — {text['rationale']}"},
        "locations": [
            {
                "physicalLocation": _physical(artifact_uri, located[0] if located else None, locations or {}),
                "logicalLocations": [
                    {"name": cid, "fullyQualifiedName": f"components/{cid}", "kind": "resource"}
                    for cid in f.component_ids
                ],
            }
        ],
        "properties": {"pillar": f.pillar.value, "severity": f.severity.value,
                       "recommendation": text["recommendation"], "bestPractice": f.best_practice(lang)},
    }
    if f.subject:  # which firing of the rule on these components (what a waiver's `subject:` names)
        result["properties"]["subject"] = f.subject
    if len(located) > 1:  # the other components the finding names, each at its own place (§3.27.22)
        result["relatedLocations"] = [{"id": i, "physicalLocation": _physical(artifact_uri, c, locations or {}),
                                       "message": {"text": c}} for i, c in enumerate(located[1:], start=1)]
    if f.rule_id in index:
        result["ruleIndex"] = index[f.rule_id]
    if f.waived:
        result["suppressions"] = [{"kind": "external", "justification": f.waiver_reason or ""}]
    return result


def review_sarif(
    review: ReviewLike, rules: Sequence[RuleLike], lang: str, *, artifact_uri: str = "architecture.yaml",
    version: str = "0", locations: dict[str, tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """A minimal valid SARIF 2.1.0 log: one run, the rule catalogue as ``tool.driver.rules``, one result per
    finding (open and waived) with the components as logical locations; with ``locations`` (component id →
    line, column from :func:`workbench.architecture.locations.component_locations`) the physical location carries
    the region of the first component named and ``relatedLocations`` the others."""
    index = {r.id: i for i, r in enumerate(rules)}
    results = [_sarif_result(f, index, lang, artifact_uri, locations)
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
