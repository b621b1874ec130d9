"""Findings on the Architecture page, read the way an advisor presents them (issue 11).

First a pillar × severity summary of the rule groups and what costs each pillar its points; then one expander per
rule with every component it names (severity from the worst), the provider's documentation for the product family,
and per component the fix and the waiver; after a fix, its before → after (the finding gone, the pillar score, the
journeys it touches and the RTO per disruption scope).  Core maths lives in ``workbench.architecture`` (grouping:
:func:`group_findings`; costs: :mod:`scoring`; before/after: :func:`fixes.fix_effect`); this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from pages import _ui
from workbench.architecture import sections
from workbench.architecture.findings import Finding, Pillar, Severity, group_findings, subject_label
from workbench.architecture.fixes import FixOutcome, fix_effect
from workbench.architecture.review import Review
from workbench.architecture.scoring import cost_index, finding_cost

tr = _ui.tr
MAX_GROUPS_SHOWN = 40
MAX_ACTIONS_PER_GROUP = 12
MAX_ACTIONS = 60
"""Fix/waive controls drawn per page run (each is a form): a 400-component estate must stay responsive; the
components beyond the budget are listed by name, and the filters above narrow the list to reach them."""


def _sev(s: Severity | str) -> str:
    return tr(f"architecture.severity.{Severity(s).value}")


def _pillar(p: Pillar | str) -> str:
    return tr(f"architecture.pillar.{Pillar(p).value}")


def summary(rv: Review) -> None:
    """Pillar × severity counts of rule groups, and per pillar what costs it points."""
    record = sections.summary_record(rv.findings)
    st.markdown(f"**{tr('architecture.summary.title')}**")
    st.caption(tr("architecture.summary.grouped", groups=record["groups"], findings=record["findings"]))
    rows = [{tr("architecture.report.pillar"): _pillar(p), **{_sev(s): record["by_pillar"][p.value][s.value]
                                                              for s in Severity}} for p in Pillar]
    st.dataframe(pd.DataFrame(rows), hide_index=True, alt=tr("architecture.summary.title"))
    with st.expander(tr("architecture.cost.title")):
        for p in Pillar:
            head = tr("architecture.cost.explained", pillar=_pillar(p), score=f"{rv.scores.pillar(p):.1f}")
            st.markdown(f"**{_ui.escape_md(head)}**")
            costs = [d for d in rv.scores.deductions if d.pillar == p and d.points > 0.05]
            if not costs:
                st.caption(tr("architecture.cost.none"))
            for d in costs:
                title = sections.deduction_title(d, rv.findings, _ui.current_language())
                st.text(tr("architecture.cost.line", rule=d.rule_id, title=title, points=f"{d.points:.1f}"))


def grouped(rv: Review, shown: list[Finding], actions: Callable[[Finding, int], None]) -> None:
    """One expander per rule over ``shown`` (filtered) findings; ``actions(finding, i)`` draws its fix/waive
    controls (``i`` numbers the findings across groups, for stable widget keys)."""
    lang = _ui.current_language()
    groups = group_findings(shown, sections.rule_points(rv.scores))
    index = cost_index(rv.scores)
    i = 0
    for g in groups[:MAX_GROUPS_SHOWN]:
        text = g.text(lang)
        label = f"{_sev(g.severity)} · {g.rule_id} · {_ui.escape_md(text['title'])}"
        with st.expander(label):
            st.caption(tr("architecture.cost.points", points=f"{g.points:.1f}"))
            st.text(text["rationale"])
            st.markdown(f"**{tr('architecture.report.fix')}**")
            st.text(text["recommendation"])
            st.text(tr("architecture.group.components", count=len(g.component_ids),
                       components=", ".join(g.component_ids) or "—"))
            if g.count > 1:
                st.caption(tr("architecture.group.worst"))
            c1, c2 = st.columns(2)
            c1.link_button(tr("architecture.reference.label"), g.first.best_practice(lang),
                           icon=":material/open_in_new:")
            if g.first.best_practice(lang) != g.first.reference:
                c2.link_button(tr("architecture.report.reference"), g.first.reference, icon=":material/menu_book:")
            drawn = 0
            for f in g.findings:
                if drawn >= MAX_ACTIONS_PER_GROUP or i >= MAX_ACTIONS:
                    break
                if g.count > 1:  # the subject (az=…, edge=a->b) tells apart two firings on the same components
                    names = _ui.escape_md(", ".join(f.component_ids) or "—")
                    subject = f" · {_ui.escape_md(subject_label(f.subject, lang))}" if f.subject else ""
                    st.markdown(f"**{names}**{subject} · {_sev(f.severity)} · "
                                + _ui.escape_md(tr("architecture.cost.points",
                                                   points=f"{finding_cost(rv.scores, f, index):.1f}")))
                actions(f, i)
                i += 1
                drawn += 1
            rest = g.findings[drawn:]
            if rest:
                st.caption(tr("architecture.group.more_components", count=len(rest),
                              components=", ".join(c for f in rest[:30] for c in f.component_ids)))
    if len(groups) > MAX_GROUPS_SHOWN:
        st.caption(tr("architecture.page.findings_truncated", limit=MAX_GROUPS_SHOWN))


def fix_rows(outcome: FixOutcome) -> list[dict[str, str]]:
    """Before → after rows of a fix: the finding, its pillar's score, overall, journeys it touches, RTO/RPO."""
    e = fix_effect(outcome)
    rows: list[dict[str, str]] = []

    def add(measure: str, before: str, after: str) -> None:
        rows.append({"measure": measure, "before": before, "after": after})

    add(tr("architecture.fix_effect.finding", rule=e.rule_id, components=", ".join(e.component_ids) or "—"),
        tr("architecture.fix_effect.still_open"),
        tr("architecture.fix_effect.gone") if e.resolved else tr("architecture.fix_effect.still_open"))
    add(_pillar(e.pillar), f"{e.pillar_before:.1f} (−{e.points_cost:.1f})", f"{e.pillar_after:.1f}")
    add(tr("architecture.report.overall"), f"{e.overall_before:.1f}", f"{e.overall_after:.1f}")
    for j in e.journeys:
        add(tr("architecture.page.fix_availability", journey=j.journey_id),
            "—" if j.before is None else f"{j.before:.5%}", "—" if j.after is None else f"{j.after:.5%}")

    def minutes(value: float | None, unbounded: str) -> str:
        return tr(unbounded) if value is None else f"{value:.1f} min"

    for r in e.recovery:
        scope = tr(f"architecture.page.lose_{r.disruption.value}")
        add(f"RTO · {scope}", minutes(r.rto_before, "architecture.sections.unbounded"),
            minutes(r.rto_after, "architecture.sections.unbounded"))
        add(f"RPO · {scope}", minutes(r.rpo_before, "architecture.page.data_lost"),
            minutes(r.rpo_after, "architecture.page.data_lost"))
    return rows


def summary_of_fix(outcome: FixOutcome, f: Finding) -> dict[str, Any]:
    """What the page keeps in the session after a fix (shown after the rerun)."""
    return {"rule": f.rule_id, "rows": fix_rows(outcome), "diff": list(outcome.diff),
            "resolved": bool(outcome.resolved)}
