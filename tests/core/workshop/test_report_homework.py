"""The report and the homework export read the plan as it stands: closed items leave the top actions, items made
from findings are said in the report's language (unless edited by hand), the export names each rule once."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from workbench.i18n import t
from workbench.report.render import render_html, render_json, render_markdown
from workbench.workshop.demo import demo_workshop
from workbench.workshop.homework import (
    HomeworkPlan,
    Status,
    add_item,
    current_review,
    edit_item,
    export_rows,
    item_texts,
    plan_of,
    set_status,
    take_findings,
)
from workbench.workshop.models import ArtefactKind, Workshop
from workbench.workshop.report_builder import build_report_data, top_actions

NOW = dt.datetime(2026, 11, 9, 2, 30, tzinfo=dt.UTC)


def _with_plan(ws: Workshop, plan: HomeworkPlan) -> Workshop:
    data = plan.model_dump(mode="json")
    return ws.model_copy(update={"artefacts": [a.model_copy(update={"data": data})
                                               if a.kind == ArtefactKind.HOMEWORK else a for a in ws.artefacts]})


@pytest.fixture(scope="module")
def demo() -> Workshop:
    ws = demo_workshop("en")
    assert plan_of(ws).items, "the demo workshop carries a plan"
    return ws


def _fresh_plan(ws: Workshop, lang: str) -> HomeworkPlan:
    """Every finding of the demo's review taken as homework in ``lang`` (items with their source texts)."""
    review, _ = current_review(ws)
    assert review is not None
    return take_findings(HomeworkPlan(), review.findings, lang, NOW)


def test_done_and_accepted_items_leave_the_top_actions_in_every_format(demo):
    review, _ = current_review(demo)
    assert review is not None
    first_two = [a.rule_id for a in top_actions(review.findings, "en")][:2]
    plan = _fresh_plan(demo, "en")
    by_rule = {i.findings[0].rule_id: i.id for i in plan.items}
    plan = set_status(plan, by_rule[first_two[0]], Status.done, NOW, by="Ada")
    plan = set_status(plan, by_rule[first_two[1]], Status.risk_accepted, NOW, by="Ada", accepted_reason="budget")
    data = build_report_data(_with_plan(demo, plan), "en", now=NOW)
    shown = [a.rule_id for a in data.top_actions]
    assert not set(first_two) & set(shown)
    assert len(shown) == 5, "the next actions move up"
    assert data.top_actions_left_out == 2
    note = t("report.top_actions_left_out", "en", count=2)
    assert note.startswith("2 actions left out")
    html, md, doc = render_html(data), render_markdown(data), json.loads(render_json(data))
    top_html = html.split('id="top-actions"', 1)[1].split("</section>", 1)[0]
    top_md = md.split("### Top actions", 1)[1].split("\n## ", 1)[0]
    assert note in top_html and note.replace(":", "\\:").replace(".", "\\.") in top_md
    assert doc["top_actions_left_out"] == 2 and [a["rule_id"] for a in doc["top_actions"]] == shown
    assert set(first_two) <= {a.rule_id for a in data.findings}  # the findings section still lists them


def test_an_item_closed_on_some_components_keeps_the_action_for_the_others(demo):
    review, _ = current_review(demo)
    assert review is not None
    multi = next(a for a in top_actions(review.findings, "en") if len(a.components) > 1)
    plan = add_item(HomeworkPlan(), NOW, title="Fix it on one component", status="done",
                    findings=[{"rule_id": multi.rule_id, "components": multi.components[:1]}])
    data = build_report_data(_with_plan(demo, plan), "en", now=NOW)
    action = next(a for a in data.top_actions if a.rule_id == multi.rule_id)
    assert multi.components[0] not in action.components and action.components
    assert data.top_actions_left_out == 0


def test_no_note_when_nothing_is_closed(demo):
    data = build_report_data(_with_plan(demo, _fresh_plan(demo, "en")), "en", now=NOW)
    assert data.top_actions_left_out == 0
    assert 'id="top-actions-left-out"' not in render_html(data)


def test_items_taken_in_english_read_in_chinese_unless_edited(demo):
    plan = _fresh_plan(demo, "en")
    assert all(i.source is not None for i in plan.items)
    edited = plan.items[1].id
    plan = edit_item(plan, edited, title="Our own words for this")
    plan = add_item(plan, NOW, title="Rehearse the failover")  # typed by hand: never translated
    data = build_report_data(_with_plan(demo, plan), "zh-CN", now=NOW)
    titles = {row.id: row.title for row in data.plan}
    first = plan.items[0]
    assert titles[first.id] == item_texts(first, "zh-CN")["title"] != first.title
    assert any("\u4e00" <= ch <= "\u9fff" for ch in titles[first.id])
    assert titles[edited] == "Our own words for this"
    assert titles[plan.items[-1].id] == "Rehearse the failover"
    fixes = {row.id: row.fix for row in data.plan}
    assert fixes[first.id] == item_texts(first, "zh-CN")["fix"]
    # and back: taken in Chinese, an English report says them in English
    zh_plan = _fresh_plan(demo, "zh-CN")
    en = build_report_data(_with_plan(demo, zh_plan), "en", now=NOW)
    assert {row.title for row in en.plan} == {i.title for i in _fresh_plan(demo, "en").items}


def test_items_saved_before_sources_were_kept_are_said_from_the_review(demo):
    """The demo's plan was saved without source texts (as every plan before this change)."""
    plan = plan_of(demo)
    legacy = [i for i in plan.items if i.findings and i.source is None]
    assert legacy
    data = build_report_data(demo, "zh-CN", now=NOW)
    titles = {row.id: row.title for row in data.plan}
    english = [i for i in legacy if titles[i.id] == i.title]
    assert len(english) < len(legacy) / 4, [titles[i.id] for i in english]


def test_chinese_report_scope_is_chinese_for_an_english_workshop(demo):
    data = build_report_data(demo, "zh-CN", now=NOW)
    forecast = next(s for s in data.scope if s.input == "forecast")
    assert forecast.date.startswith("历史数据截至")
    assert "history to" not in render_html(data) and "history to" not in render_markdown(data)


def test_homework_export_in_the_page_language_with_each_rule_once(demo):
    review, _ = current_review(demo)
    assert review is not None
    plan = _fresh_plan(demo, "en")
    rows = export_rows(plan, "zh-CN", NOW.date(), review.findings)
    assert set(rows[0]) == {t(f"homework.col.{c}", "zh-CN") for c in (
        "id", "title", "severity", "pillar", "status", "owner", "due", "effort", "overdue", "components", "why",
        "fix", "notes", "accepted_reason", "accepted_by", "rules")}
    assert "rules" not in rows[0] and "规则" in rows[0]
    for row, item in zip(rows, plan.items, strict=True):
        rules = row["规则"].split(", ")
        assert len(rules) == len(set(rules)) == 1 and rules[0] == item.findings[0].rule_id
        assert row["事项"] == item_texts(item, "zh-CN")["title"]
    # the demo's own plan (saved without sources; several links of one rule) too
    legacy = export_rows(plan_of(demo), "zh-CN", NOW.date(), review.findings)
    assert all(len(r["规则"].split(", ")) == len(set(r["规则"].split(", "))) for r in legacy)
    assert not any(", OPS-002, OPS-002" in r["规则"] for r in legacy)
