"""Render :class:`ReportData` as one self-contained HTML file, Markdown, or JSON.

HTML: Jinja2 with autoescaping on, CSS inline, figures embedded as ``data:image/svg+xml`` images
(an SVG inside ``<img>`` cannot run script), a Content-Security-Policy that forbids scripts and
network access, and print CSS so a browser prints it to PDF cleanly.  No ``<script>`` in the file.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from workbench.exports import MONEY_PLACES, export_numbers
from workbench.i18n import format_date, format_number, t
from workbench.report.model import Action, ReportData
from workbench.texts import escape_markdown, strip_bidi

_TEMPLATES = Path(__file__).with_name("templates")
_SCRIPTY = re.compile(
    r"<\s*script\b.*?<\s*/\s*script\s*>|\son\w+\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE | re.DOTALL
)


def sanitise_svg(svg: str) -> str:
    """Drop any script element or event-handler attribute (defence in depth: SVGs come from Graphviz/Vega)."""
    return _SCRIPTY.sub("", svg)


def svg_data_uri(svg: str) -> str:
    """An SVG as a base64 data URI for an ``<img>``: self-contained and inert."""
    return "data:image/svg+xml;base64," + base64.b64encode(sanitise_svg(svg).encode("utf-8")).decode("ascii")


_LONG_RUN = re.compile(r"\S{60,}")


def break_long_runs(text: str, every: int = 40) -> str:
    """Put a zero-width space every ``every`` characters into unbroken runs of 60 or more.

    CSS ``overflow-wrap: anywhere`` would wrap them too, but a PDF engine then searches every break
    position of a 100,000-character "word" (minutes in WeasyPrint); explicit break opportunities keep
    line breaking linear.  The text reads and copies the same (U+200B is invisible).
    """
    def split(match: re.Match[str]) -> str:
        run = match.group()
        return "\u200b".join(run[i:i + every] for i in range(0, len(run), every))

    return _LONG_RUN.sub(split, text)


_LINK_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:[/?#][!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]*)?")
LINK_LIMIT = 2_000  # characters of a URL shown as a link; a longer "reference" is text


def reference_html(reference: str) -> Markup:
    """A best-practice reference: a plain http(s) URL becomes a link showing that URL (escaped, copied intact: no
    inserted characters, the stylesheet's ``overflow-wrap: anywhere`` lets it wrap); anything else is text."""
    if len(reference) <= LINK_LIMIT and _LINK_URL.fullmatch(reference):
        url = escape(reference)
        return Markup(f'<a class="ref" href="{url}" rel="noopener noreferrer">{url}</a>')
    return escape(break_long_runs(strip_bidi(reference)))


def _finalize(value: object) -> object:
    """Every ``{{ }}`` output: user text loses bidi controls (:mod:`workbench.texts`) and gains break opportunities."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return break_long_runs(strip_bidi(value))


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        finalize=_finalize,
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _num(value: float | None, digits: int | None = None) -> str:
    return "—" if value is None else format_number(value, digits=digits)


def _pct(value: float | None, lang: str = "en") -> str:
    """A utilisation: a percentage up to 100 %, above it the overload factor ("22.3× capacity")."""
    if value is None:
        return "—"
    if value > 1.0:
        return t("report.overload", lang, factor=f"{value:.1f}")
    return f"{value * 100:.0f}%"


SEVERITIES = ("critical", "high", "medium", "low", "info")
CSS_TEXT_LIMIT = 90


def css_string(text: str) -> str:
    """User text for a CSS string (the running header): shortened, every non-alphanumeric escaped."""
    short = text if len(text) <= CSS_TEXT_LIMIT else text[:CSS_TEXT_LIMIT - 1] + "…"
    return "".join(ch if ch.isalnum() and ord(ch) > 0x20 else f"\\{ord(ch):06x}" for ch in short
                   if unicodedata.category(ch)[0] != "C")


def sections(data: ReportData) -> list[tuple[str, str]]:
    """The report's sections present in ``data``: (anchor, translated title), in order (for the TOC)."""
    present = [("summary", "report.summary", True), ("forecast", "report.forecast", data.forecast is not None),
               ("sizing", "report.sizing", bool(data.sizing)),
               ("architecture", "report.architecture", bool(data.diagram_svg or data.scores)),
               ("risks", "report.risk_summary", bool(data.risk_summary)), ("plan", "report.plan", True),
               ("findings", "report.findings", bool(data.findings or data.waived)),
               ("whatif", "report.whatif", bool(data.whatif)),
               ("milestones", "report.milestones", bool(data.milestones))]
    return [(anchor, t(key, data.lang)) for anchor, key, shown in present if shown]


def _generated(data: ReportData) -> str:
    return f"{data.generated_at.strftime('%Y-%m-%d %H:%M')} ({data.timezone})"


def render_html(data: ReportData) -> str:
    """The report as one HTML document (works offline, prints to PDF)."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        data=data,
        tr=lambda key, **params: t(key, data.lang, **params),
        num=_num,
        pct=lambda v: _pct(v, data.lang),
        fmt_date=lambda d: format_date(d, data.lang),
        svg_uri=lambda svg: Markup(svg_data_uri(svg)),  # base64: nothing to escape, nothing to break
        reference=reference_html,
        css_string=lambda text: Markup(css_string(text)),  # only alphanumerics and \\hex escapes
        sections=sections(data),
        severities=SEVERITIES,
        generated=_generated(data),
        backtest_headers=backtest_headers(data.lang),
    )


def _md(text: object) -> str:
    """Any interpolated value made inert for Markdown tables and paragraphs (one line, shown literally)."""
    return escape_markdown(text)


_PLAIN_URL = re.compile(r"https://[A-Za-z0-9.\-]+(/[A-Za-z0-9._~/#?=&%+-]*)?")


def _reference(reference: str) -> str:
    """A plain https URL stays a clickable autolink (nothing in it can close ``<…>``); anything else is text."""
    return f"<{reference}>" if _PLAIN_URL.fullmatch(reference) else _md(reference)


def render_markdown(data: ReportData) -> str:
    """The report as Markdown (no figures; tables and homework)."""
    def tr(key: str, **p: object) -> str:
        return t(key, data.lang, **p)

    def severity(action: Action) -> str:
        return _md(f"[{tr('report.severity.' + action.severity)}]")

    lines = [f"# {_md(data.title)}", "", (f"*{_md(tr('report.title'))}* · {_md(format_date(data.date, data.lang))} · "
             f"{_md(tr('report.times_in', tz=data.timezone))}"), ""]
    if data.customer:
        lines.append(f"- {tr('report.customer')}: {_md(data.customer)}")
    if data.advisor:
        lines.append(f"- {tr('report.advisor')}: {_md(data.advisor)}")
    if data.scope:
        lines += ["", f"**{tr('report.scope')}**", ""]
        lines += [f"- {tr('report.scope_kind.' + s.input)}: {_md(s.name)}" + (f" ({_md(s.date)})" if s.date else "")
                  for s in data.scope]
    if data.assumptions:
        lines += ["", f"**{tr('report.assumptions')}**", ""]
        lines += [f"- {_md(a)}" for a in data.assumptions]
    lines += ["", f"*{_md(tr('report.confidential', customer=data.customer or data.title))}*", "",
              f"**{tr('report.toc')}**", ""]
    lines += [f"{i}. {title}" for i, (_, title) in enumerate(sections(data), 1)]  # plain: links only to references
    lines += ["", f"## {tr('report.summary')}", ""]
    lines += [f"- **{_md(h.label)}**: {_md(h.value)} {_md(h.detail)}" for h in data.headlines]
    lines += ["", f"### {tr('report.top_actions')}", ""]
    lines += [f"{i}. {severity(a)} **{_md(a.title)}**"
              + (f" ({_md(', '.join(a.unnamed_components))})" if a.unnamed_components else "")
              + f": {_md(a.recommendation)}" for i, a in enumerate(data.top_actions, 1)] or [tr("report.no_actions")]
    if data.top_actions_left_out:
        lines += ["", f"*{_md(tr('report.top_actions_left_out', count=data.top_actions_left_out))}*"]
    if data.forecast:
        f = data.forecast
        lines += ["", f"## {tr('report.forecast')}", "",
                  tr("report.forecast_text" if f.history_start else "report.forecast_text_to", series=_md(f.series),
                     start=_md(f.history_start), end=_md(f.history_end), model=_md(f.model), days=f.horizon_days),
                  "",
                  f"| {tr('report.scenario')} | {tr('report.peak_point')} | P80 | P95 | {tr('report.peak_at')} |",
                  "|---|---:|---:|---:|---|"]
        lines += [f"| {_md(s.name)} | {_num(s.point)} | {_num(s.p80)} | {_num(s.p95)} | {_md(s.at)} |"
                  for s in f.scenarios]
        lines += ["", tr("report.peak_used", scenario=_md(f.chosen), quantile=_md(f.quantile),
                         value=_num(f.peak_used), unit=_md(f.unit))]
        if f.backtest:
            lines += ["", f"### {tr('report.backtest')}", "",
                      f"| {' | '.join(_md(h) for h in backtest_headers(data.lang))} |", "|---|---:|---:|---:|---|"]
            lines += [f"| {_md(b.model)} | {_num(b.mase, 3)} | {_num(b.smape, 1)} | {_num(b.coverage95, 3)} | "
                      f"{_md(b.note)} |" for b in f.backtest]
    if data.sizing:
        lines += [
            "",
            f"## {tr('report.sizing')}",
            "",
            (
                f"| {tr('report.tier')} | {tr('report.component')} | {tr('report.current')} | {tr('report.required')} "
                f"| {tr('report.total_for_az_loss')} | {tr('report.utilisation')} | P99 (ms) | {tr('report.binding')} |"
            ),
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        lines += [f"| {_md(r.tier)} | {_md(r.component)} | {_num(r.current)} | {_num(r.required)} | "
                  f"{_num(r.after_az_loss)} | {_pct(r.utilisation, data.lang)} | {_num(r.p99_ms)} | {_md(r.binding)} |"
                  for r in data.sizing]
    if data.scores:
        lines += ["", f"## {tr('report.scores')}", ""]
        if data.overall_score is not None:
            lines.append(f"- **{tr('report.overall')}**: {_num(data.overall_score, 0)}")
        lines += [f"- {_md(tr('report.pillar.' + p))}: {_num(v, 0)}" for p, v in data.scores.items()]
    lines += _markdown_risks_and_plan(data)
    if data.findings:
        lines += ["", f"## {tr('report.findings')}", ""]
        for a in data.findings:
            lines += [f"### {severity(a)} {_md(a.title)}", "",
                      f"{_md(a.rule_id)} · {_md(tr('report.pillar.' + a.pillar))} · {_md(', '.join(a.components))}",
                      "",
                      _md(a.rationale), "", f"**{tr('report.homework')}:** {_md(a.recommendation)}", ""]
            if a.reference:
                lines += [f"{_md(tr('report.reference'))}: {_reference(a.reference)}", ""]
    if data.waived:
        lines += [f"### {tr('report.waived')}", ""]
        lines += [f"- {_md(a.rule_id)} {_md(a.title)} ({_md(', '.join(a.components))}): {_md(a.waiver_reason)}"
                  for a in data.waived]
    if data.whatif:
        lines += [
            "",
            f"## {tr('report.whatif')}",
            "",
            (
                f"| {tr('report.disruption')} | {tr('report.journeys_broken')} | RTO | {tr('report.target')} | RPO | "
                f"{tr('report.target')} |"
            ),
            "|---|---|---:|---:|---:|---:|",
        ]
        lines += [f"| {_md(w.disruption)}: {_md(w.target)} | {_md(', '.join(w.journeys_broken)) or '—'} | "
                  f"{_num(w.rto_minutes)} | {_num(w.rto_target)} | {_num(w.rpo_minutes)} | {_num(w.rpo_target)} |"
                  for w in data.whatif]
    if data.milestones:
        lines += ["", f"## {tr('report.milestones')}", "",
                  (f"| {tr('report.milestone')} | {tr('report.date')} | {tr('report.overall')} | "
                  f"{tr('report.open_findings')} | {tr('report.resolved')} | {tr('report.new')} |"),
                  "|---|---|---:|---:|---:|---:|"]
        lines += [f"| {_md(m.name)} | {_md(m.date)} | {_num(m.overall, 0)} | {m.findings} | {m.resolved} | {m.new} |"
                  for m in data.milestones]
    lines += ["", "---", tr("report.footer", when=_generated(data)), ""]
    return "\n".join(lines)


def _markdown_risks_and_plan(data: ReportData) -> list[str]:
    """The pillar × severity summary and the improvement plan as Markdown tables."""

    def tr(key: str, **p: object) -> str:
        return t(key, data.lang, **p)

    lines: list[str] = []
    if data.risk_summary:
        lines += ["", f"## {tr('report.risk_summary')}", "",
                  tr("report.risk_summary_note", count=len(data.findings), firings=data.firings), "",
                  "| | " + " | ".join(tr("report.severity." + s) for s in SEVERITIES) + f" | {tr('report.total')} |",
                  "|---|" + "---:|" * (len(SEVERITIES) + 1)]
        lines += [f"| {tr('report.pillar.' + p)} | " + " | ".join(str(row[s]) for s in SEVERITIES)
                  + f" | {sum(row.values())} |" for p, row in data.risk_summary.items()]
    lines += ["", f"## {tr('report.plan')}", ""]
    if not data.plan:
        return [*lines, tr("report.plan_none")]
    lines += [tr("report.plan_counts", active=data.plan_counts.get("active", 0),
                 overdue=sum(1 for p in data.plan if p.overdue), done=data.plan_counts.get("done", 0),
                 accepted=data.plan_counts.get("risk_accepted", 0)), "",
              (f"| {tr('report.item')} | {tr('report.owner')} | {tr('report.due')} | {tr('report.effort')} "
              f"| {tr('report.status')} |"), "|---|---|---|---|---|"]
    for p in data.plan:
        due = (p.due or "—") + (f" **{tr('report.overdue')}**" if p.overdue else "")
        status = p.status_label + (f" ({tr('report.proposed_done')})" if p.proposed_done else "")
        status += f" — {_md(p.accepted)}" if p.accepted else ""
        named = f" ({_md(', '.join(p.unnamed_components))})" if p.unnamed_components else ""
        lines.append(f"| [{tr('report.severity.' + p.severity)}] {_md(p.title)}{named} "
                     f"| {_md(p.owner) or '—'} | {due} | {p.effort} | {status} |")
    return lines


REPORT_JSON_SCHEMA = 2


def backtest_headers(lang: str) -> list[str]:
    """The backtest table's column headers in ``lang`` (the JSON keeps :class:`BacktestRow`'s field names)."""
    return [t("report.model", lang), "MASE", "sMAPE %", t("report.coverage95", lang), t("report.model_note", lang)]


def render_json(data: ReportData) -> str:
    """The report data as JSON (figures left out: they are presentation, not data).

    Numbers are written as a reader needs them (:func:`workbench.exports.export_number`: money to the cent, other
    values without float noise); keys are the model's field names in every language.
    """
    doc = data.model_dump(mode="json", exclude={"diagram_svg", "milestone_chart_svg"})
    if doc.get("forecast"):
        doc["forecast"].pop("chart_svg", None)
    doc = export_numbers(doc, {"cost": MONEY_PLACES, "mase": 3})
    # version 2: forecast.backtest rows have fixed keys (model, mase, smape, coverage95, note), not translated ones
    return json.dumps({"format": "capacity-workbench/report", "schema_version": REPORT_JSON_SCHEMA, **doc},
                      ensure_ascii=False, indent=2, allow_nan=False)
