"""Milestones (snapshot, compare) and the report assembled from a workshop's chain."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.core.workshop.test_chain import workshop  # noqa: F401  (fixture)
from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.loader import dump_architecture
from workbench.report.render import render_html, render_json, render_markdown
from workbench.workshop.chain import compute_chain
from workbench.workshop.milestones import compare, milestone_id, take_milestone
from workbench.workshop.report_builder import build_report_data


def test_milestone_snapshot_and_progress_after_a_fix(workshop):  # noqa: F811
    store, ws = workshop
    chain = compute_chain(ws)
    first = take_milestone("Review 1", chain, "en", dt.date(2026, 11, 2))
    assert first.overall == pytest.approx(chain.review.scores.overall)
    assert len(first.findings) == len(chain.review.findings)
    assert first.capacity.peak_rps == pytest.approx(chain.peak_rps)
    finding = next(f for f in chain.review.findings if fixable(f))
    fixed = apply_fix(chain.architecture, finding).architecture
    version = store.put_artefact(ws.id, store.version(ws.id), "architecture", "v002",
                                 {"yaml": dump_architecture(fixed), "name": fixed.name})
    assert version
    second = take_milestone("Review 2", compute_chain(store.get(ws.id)), "en", dt.date(2026, 11, 9))
    diff = compare(first, second)
    assert finding.rule_id in {f.rule_id for f in diff.resolved}
    assert set(diff.score_delta) == {"reliability", "performance", "security", "cost", "operations"}


def test_milestone_ids_are_unique_slugs():
    assert milestone_id("评审 1 / Review #1", set()) == "1-review-1"
    assert milestone_id("第一次", set()) == "milestone"
    assert milestone_id("x", {"x"}) == "x-2"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_report_from_the_chain(workshop, lang):  # noqa: F811
    _, ws = workshop
    data = build_report_data(ws, lang, now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    assert len(data.headlines) == 3
    assert 1 <= len(data.top_actions) <= 5
    assert data.forecast is not None and data.forecast.peak_used == pytest.approx(7200.0)
    assert {r.tier for r in data.sizing} == {"web", "db"}
    assert data.scores and data.findings and data.whatif
    if shutil.which("dot"):
        assert data.diagram_svg and data.diagram_svg.lstrip().startswith(("<?xml", "<svg", "<!--"))
    html = render_html(data)
    assert "<script" not in html.lower()
    assert data.top_actions[0].title.replace("&", "&amp;").split("<")[0][:10] in html
    assert render_markdown(data) and render_json(data)


def test_top_actions_are_distinct_rules_with_all_their_components(workshop):  # noqa: F811
    from workbench.workshop.report_builder import top_actions

    _, ws = workshop
    findings = compute_chain(ws).review.findings
    top = top_actions(findings, "en")
    assert len({a.rule_id for a in top}) == len(top) == 5
    alerting = [f for f in findings if f.rule_id == "OPS-002"]
    merged = next(a for a in top if a.rule_id == "OPS-002")  # the single-AZ template lacks alerting on several
    assert len(alerting) > 1
    assert merged.components == list(dict.fromkeys(c for f in alerting for c in f.component_ids))
    assert all(c in merged.title for c in merged.components)
