"""Assemble a workshop's :class:`ReportData`: the chain's numbers, the review, the diagram, milestones.

Orchestration only: every number comes from the chain (:mod:`workbench.workshop.chain`) or from a
stored document; the renderers in :mod:`workbench.report` then only format.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from workbench.architecture.diagram import dot_available, render, to_dot
from workbench.architecture.findings import Finding, FindingGroup, group_findings
from workbench.architecture.loader import load_architecture
from workbench.architecture.review import Review, review_architecture
from workbench.architecture.sections import rule_points
from workbench.capacity.explain import explain_sizing
from workbench.errors import WorkbenchError
from workbench.i18n import format_number, t, t_or
from workbench.report.charts import forecast_peaks_svg, milestone_trend_svg
from workbench.report.model import (
    Action,
    ForecastSection,
    Headline,
    MilestoneRow,
    ReportData,
    ScenarioPeak,
    SizingRow,
    WhatIfRow,
)
from workbench.workshop.chain import ChainResult, chain_if_ready, load_settings
from workbench.workshop.documents import ArchitectureDoc, ForecastDoc, Milestone, newest, read_all
from workbench.workshop.milestones import PILLARS, compare
from workbench.workshop.models import Workshop

TOP_ACTIONS = 5
log = logging.getLogger(__name__)


def _action(f: Finding, lang: str) -> Action:
    text = f.text(lang)
    return Action(severity=f.severity.value, pillar=f.pillar.value, rule_id=f.rule_id, title=text["title"],
                  rationale=text["rationale"], recommendation=text["recommendation"], components=list(f.component_ids),
                  reference=f.best_practice(lang), waived=f.waived, waiver_reason=f.waiver_reason or "")


def _group_action(g: FindingGroup, lang: str) -> Action:
    """One rule group (:func:`group_findings`) as one piece of homework naming all its components."""
    text = g.text(lang)
    return Action(severity=g.severity.value, pillar=g.pillar.value, rule_id=g.rule_id, title=text["title"],
                  rationale=text["rationale"], recommendation=text["recommendation"],
                  components=list(g.component_ids), reference=g.first.best_practice(lang))


def _merged_action(group: list[Finding], lang: str) -> Action:
    """One action for several findings of one rule: the title names every component; when the findings carry
    different numbers (web needs 64, redis 14), the rationale and recommendation give each component its own."""
    first = group[0]
    ids = list(dict.fromkeys(c for f in group for c in f.component_ids))
    action = _action(first.model_copy(update={"component_ids": ids}), lang)
    if all(f.params == first.params for f in group):
        return action
    texts = [(", ".join(f.component_ids), f.text(lang)) for f in group]
    sep, end = ("；", "。") if lang == "zh-CN" else ("; ", ".")

    def part(names: str, text: str) -> str:  # a sentence that does not name its component gets the name first
        text = text.rstrip("。.")
        return text if all(c in text for c in names.split(", ")) else f"{names}: {text}"

    rationale = sep.join(dict.fromkeys(part(names, x["rationale"]) for names, x in texts))
    recs = list(dict.fromkeys(x["recommendation"] for _, x in texts))
    recommendation = recs[0] if len(recs) == 1 else sep.join(part(n, x["recommendation"]) for n, x in texts) + end
    return action.model_copy(update={"rationale": rationale + end, "recommendation": recommendation})


def top_actions(findings: list[Finding], lang: str, limit: int = TOP_ACTIONS) -> list[Action]:
    """The worst findings as distinct actions: one per rule, naming every component it concerns.

    Findings arrive worst first; "add alerting" on five components is one piece of homework, not five.
    Each component keeps its own numbers (see :func:`_merged_action`).
    """
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule_id in groups:
            groups[finding.rule_id].append(finding)
        elif len(groups) < limit:
            groups[finding.rule_id] = [finding]
    return [_merged_action(group, lang) for group in groups.values()]


def _model_name(model: str, lang: str) -> str:
    return t_or(f"forecast.model.{model}", model, lang)


def _review_without_chain(workshop: Workshop) -> tuple[Review | None, Any]:
    found = newest(workshop, ArchitectureDoc, load_settings(workshop).architecture_id)
    if found is None:
        return None, None
    arch = load_architecture(found[1].yaml)
    return review_architecture(arch), arch


def unit_of(unit: str, lang: str) -> str:
    """The load's unit, or requests per second (what sizing works in) when the data did not name one."""
    return unit.strip() or t("report.unit_rps", lang)


def _forecast_section(workshop: Workshop, chain: ChainResult | None, lang: str) -> ForecastSection | None:
    settings = load_settings(workshop)
    found = newest(workshop, ForecastDoc, chain.provenance.forecast_id if chain else settings.forecast_id)
    if found is None:
        return None
    doc = found[1]
    peak, summary = doc.peak, doc.summary
    quantile = settings.quantile
    chosen = peak.scenario
    unit = unit_of(peak.unit or summary.unit, lang)
    rows = [ScenarioPeak(name=name, point=s.peak.peak.point, p80=s.peak.peak.p80, p95=s.peak.peak.p95,
                         at=s.peak.peak_time.isoformat()[:16].replace("T", " "))
            for name, s in summary.scenarios.items()]
    chosen_summary = summary.scenarios.get(chosen)
    daily = [r.model_dump() for r in chosen_summary.daily_peaks] if chosen_summary else []
    labels = {"history": t("report.chart_history", lang), "forecast": t("report.chart_forecast", lang),
              "p95": "P95", "axis_y": unit, "axis_x": t("report.date", lang)}
    try:
        chart = forecast_peaks_svg([r.model_dump() for r in summary.history_daily_max], daily, labels)
    except Exception:
        log.exception("forecast chart could not be rendered; the report goes out without it")
        chart = None
    backtest = [{t("report.model", lang): _model_name(s.model, lang), "MASE": format_number(s.mase, lang, 3),
                 "sMAPE %": format_number(s.smape, lang, 1),
                 "cov95": format_number(s.coverage95, lang, 3)}
                for s in summary.scores]
    return ForecastSection(
        series=peak.series_name or summary.series_name, unit=unit,
        model=_model_name(peak.model.value, lang), horizon_days=round(peak.horizon_days),
        history_start=summary.history_start.date().isoformat() if summary.history_start else "",
        history_end=peak.origin.date().isoformat(), chosen=chosen,
        quantile={"point": t("report.point", lang), "p80": "P80", "p95": "P95"}[quantile],
        peak_used=chain.peak_rps if chain and chain.provenance.peak_source == "forecast"
        else doc.peak_value(quantile),
        scenarios=rows, backtest=backtest, chart_svg=chart,
    )


def _sizing_rows(chain: ChainResult, lang: str) -> list[SizingRow]:
    loads = {load.tier: load for load in chain.loads}
    rows = []
    for r in chain.sizing:
        load = loads.get(r.tier)
        rows.append(SizingRow(
            tier=r.tier, component=load.component_id if load else "", current=load.current_instances if load else None,
            required=r.required_instances, after_az_loss=r.instances_with_az_loss,
            utilisation=load.utilisation_at_peak if load else r.utilisation_at_peak,
            p99_ms=None if r.latency_at_peak is None else r.latency_at_peak * 1e3,
            binding=explain_sizing(r, lang), cost=None if r.cost_per_hour is None else r.cost_per_hour * 730,
            feasible=r.feasible))
    return rows


def _whatif_rows(review: Review, lang: str) -> list[WhatIfRow]:
    rows = []
    for w in review.analysis.whatif:
        if str(w.disruption) == "instance" and not w.journeys_broken and w.meets_rto:
            continue  # instance losses that break nothing would drown the table
        rows.append(WhatIfRow(
            disruption=t(f"report.disruption_kind.{w.disruption}", lang), target=w.target_id,
            journeys_broken=list(w.journeys_broken), rto_minutes=None if w.rto_unbounded else w.rto_minutes_est,
            rto_target=w.rto_target,
            meets_rto=w.meets_rto, rpo_minutes=w.rpo_minutes_est, rpo_target=w.rpo_target, meets_rpo=w.meets_rpo))
    return rows


def _milestones(workshop: Workshop, lang: str) -> tuple[list[MilestoneRow], str | None]:
    items = sorted((m for _, m in read_all(workshop, Milestone)), key=lambda m: (m.date, m.created_at))
    rows, trend = [], []
    for i, m in enumerate(items):
        diff = compare(items[i - 1], m) if i else None
        rows.append(MilestoneRow(name=m.name, date=m.date.isoformat(), overall=m.overall or 0.0,
                                 pillars={p: m.scores.get(p, 0.0) for p in PILLARS}, findings=len(m.findings),
                                 resolved=len(diff.resolved) if diff else 0, new=len(diff.new) if diff else 0))
        trend += [{"milestone": m.name, "pillar": t(f"report.pillar.{p}", lang), "score": m.scores.get(p, 0.0)}
                  for p in PILLARS]
        trend.append({"milestone": m.name, "pillar": t("report.overall", lang), "score": m.overall or 0.0})
    try:
        chart = milestone_trend_svg(trend, t("report.score", lang))
    except Exception:
        log.exception("milestone chart could not be rendered; the report goes out without it")
        chart = None
    return rows, chart


def _diagram(arch: Any, review: Review, lang: str) -> str | None:
    if arch is None or not dot_available():
        return None
    try:
        dot = to_dot(arch, findings=review.findings, spofs=review.analysis.spofs, lang=lang)
        return render(dot, "svg").decode("utf-8")
    except WorkbenchError:
        return None


def _headlines(chain: ChainResult | None, review: Review | None, lang: str) -> list[Headline]:
    out: list[Headline] = []
    if chain is not None:
        prov = chain.provenance
        detail = (
            t(
                "report.headline_peak_forecast",
                lang,
                scenario=prov.scenario or "",
                quantile=(prov.quantile or "").upper(),
            )
            if prov.peak_source == "forecast"
            else t("report.headline_peak_typed", lang)
        )
        out.append(Headline(label=t("report.headline_peak", lang),
                            value=f"{format_number(chain.peak_rps, lang, 0)} {unit_of(chain.unit, lang)}",
                            detail=detail))
        required = sum(r.required_instances or 0 for r in chain.sizing)
        current = sum(load.current_instances for load in chain.loads)
        each = ", ".join(f"{r.tier} {r.required_instances if r.required_instances is not None else '—'}"
                         for r in chain.sizing)
        detail = t("report.headline_instances_detail", lang, each=each, current=current) if chain.loads \
            else t("report.headline_instances_each", lang, each=each)
        out.append(Headline(label=t("report.headline_instances", lang),
                            value=t("report.instances_value", lang, count=format_number(required, lang)),
                            detail=detail))
    if review is not None:
        severe = sum(1 for f in review.findings if f.severity.value in ("critical", "high"))
        out.append(Headline(label=t("report.headline_score", lang), value=f"{review.scores.overall:.0f}/100",
                            detail=t("report.headline_severe", lang, count=severe)))
        worst_az = max((w for w in review.analysis.whatif if str(w.disruption) == "az"),
                       key=lambda w: w.rto_minutes_est, default=None)
        if worst_az is not None and len(out) < 3:
            out.append(
                Headline(
                    label=t("report.headline_az_rto", lang),
                    value=f"{format_number(worst_az.rto_minutes_est, lang, 0)} min",
                    detail=t("report.headline_target", lang, target=format_number(worst_az.rto_target, lang, 0)),
                )
            )
    return out[:3]


def build_report_data(workshop: Workshop, lang: str | None = None, now: dt.datetime | None = None) -> ReportData:
    """Everything the report shows, in ``lang`` (default: the workshop's language)."""
    lang = lang or workshop.meta.language
    chain = chain_if_ready(workshop)
    review: Review | None
    if chain is not None and chain.review is not None:
        review, arch = chain.review, chain.architecture
    else:
        review, arch = _review_without_chain(workshop)
    milestones, trend = _milestones(workshop, lang)
    findings = ([_group_action(g, lang) for g in group_findings(review.findings, rule_points(review.scores))]
                if review else [])
    return ReportData(
        lang=lang,
        title=workshop.meta.title,
        customer=workshop.meta.customer,
        advisor=workshop.meta.advisor,
        date=workshop.meta.date,
        generated_at=now or dt.datetime.now(dt.UTC),
        notes=workshop.meta.notes,
        headlines=_headlines(chain, review, lang),
        top_actions=top_actions(review.findings, lang) if review else [],
        forecast=_forecast_section(workshop, chain, lang),
        sizing=_sizing_rows(chain, lang) if chain else [],
        sizing_note=t("report.sizing_note", lang, peak=format_number(chain.peak_rps, lang, 0),
                      unit=unit_of(chain.unit, lang), slo=format_number(chain.slo_ms, lang),
                      pct=f"P{chain.slo_percentile * 100:g}", cap=f"{chain.util_cap * 100:.0f}%", azs=chain.azs)
        if chain else "",
        architecture_name=arch.name if arch is not None else "",
        diagram_svg=_diagram(arch, review, lang) if review is not None else None,
        scores={p: float(getattr(review.scores, p)) for p in PILLARS} if review else {},
        overall_score=float(review.scores.overall) if review else None,
        findings=findings,
        waived=[_action(f, lang) for f in review.waived] if review else [],
        whatif=_whatif_rows(review, lang) if review else [],
        milestones=milestones,
        milestone_chart_svg=trend,
    )
