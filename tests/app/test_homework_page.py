"""The Homework page: take findings into the plan, proposed-done after a fix, confirm, service review."""

from __future__ import annotations

import datetime as dt
import re

from tests.conftest import ROOT
from tests.core.workshop.test_chain import SINGLE_AZ
from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.loader import dump_architecture, load_architecture
from workbench.architecture.review import review_architecture
from workbench.store import open_store
from workbench.workshop.homework import PLAN_ID, HomeworkPlan, Status, add_item, plan_of
from workbench.workshop.milestones import Milestone
from workbench.workshop.models import WorkshopMeta

HOSTILE = '<img src=x onerror=alert(1)> =cmd|"/c calc"!A1 \u202eexe.gnp'


def _workshop():
    store = open_store()
    ws = store.create(WorkshopMeta(title="Homework test", customer="ACME", advisor="Ada"))
    store.put_artefact(ws.id, ws.version, "architecture", "v001", {"yaml": SINGLE_AZ, "name": "single"})
    return store, ws.id


def _open(app, ws_id, lang="en"):
    at = app(lang=lang, workshop=ws_id)
    at.run()
    at.switch_page(str(ROOT / "pages" / "homework.py")).run()
    assert not at.exception, at.exception
    return at


def test_take_findings_then_a_fix_proposes_done_and_confirming_closes_it(app):
    store, ws_id = _workshop()
    at = _open(app, ws_id)
    assert at.title[0].value == "Homework"
    at.button(key="hw_take").click().run()
    assert not at.exception, at.exception
    plan = plan_of(store.get(ws_id))
    assert plan.items and plan.reviewed_version == "v001"
    assert any(re.search(r"^\d+ items? added to the plan", s.value) for s in at.success)
    # a new architecture version fixes one finding that only that item covers
    arch = load_architecture(SINGLE_AZ)
    findings = review_architecture(arch).findings
    finding = next(f for f in findings if fixable(f) and sum(g.rule_id == f.rule_id for g in findings) == 1)
    fixed = apply_fix(arch, finding).architecture
    store.put_artefact(
        ws_id, store.version(ws_id), "architecture", "v002", {"yaml": dump_architecture(fixed), "name": "fixed"}
    )
    at = _open(app, ws_id)
    plan = plan_of(store.get(ws_id))
    proposed = [i for i in plan.items if i.proposed_done]
    assert plan.reviewed_version == "v002" and proposed
    item = next(i for i in proposed if i.findings[0].rule_id == finding.rule_id)
    at.button(key=f"hw_confirm_{item.id}").click().run()
    assert not at.exception, at.exception
    done = plan_of(store.get(ws_id)).get(item.id)
    assert done.status == Status.done and done.history[-1].by == "Ada"


def test_service_review_lists_closed_since_the_last_milestone(app):
    store, ws_id = _workshop()
    ws = store.get(ws_id)
    created = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    ms = Milestone(name="Kick-off", date=created.date(), created_at=created, overall=40.0)
    v = store.put_artefact(ws_id, ws.version, "milestone", "kick-off", ms.model_dump(mode="json"))
    plan = add_item(HomeworkPlan(), created - dt.timedelta(days=1), title="Old and closed")
    plan = plan.model_copy(update={"items": [plan.items[0].model_copy(update={"status": Status.done})]})
    from workbench.workshop.homework import set_status

    plan = add_item(plan, created - dt.timedelta(days=1), title="Closed after kick-off")
    plan = set_status(plan, "hw-2", Status.done, created + dt.timedelta(days=1))
    plan = add_item(plan, created + dt.timedelta(days=2), title="Late", due=dt.date(2020, 1, 1))
    plan = plan.model_copy(update={"reviewed_version": "v001"})
    store.put_artefact(ws_id, v, "homework", PLAN_ID, plan.model_dump(mode="json"))
    at = _open(app, ws_id)
    at.segmented_control(key="hw_section").set_value("review").run()
    assert not at.exception, at.exception
    # for the kick-off milestone: what closed up to it
    assert list(at.dataframe[0].value.iloc[:, 1]) == ["Old and closed"]
    at.selectbox(key="hw_review_at").set_value("__now__").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Closed since the last milestone"] == "1"
    assert metrics["Overdue"] == "1" and metrics["New since the last milestone"] == "1"
    assert list(at.dataframe[0].value.iloc[:, 1]) == ["Closed after kick-off"]


def test_hostile_item_text_is_shown_as_text_and_filters_work(app):
    store, ws_id = _workshop()
    ws = store.get(ws_id)
    now = dt.datetime.now(dt.UTC)
    plan = add_item(HomeworkPlan(), now, title=HOSTILE, owner="Mallory", due=dt.date(2020, 1, 1))
    plan = add_item(plan, now, title="x" * 100_000, owner="Bob")
    plan = plan.model_copy(update={"reviewed_version": "v001"})
    store.put_artefact(ws_id, ws.version, "homework", PLAN_ID, plan.model_dump(mode="json"))
    at = _open(app, ws_id, lang="zh-CN")
    assert at.title[0].value == "整改计划"
    # text in the tables only (data editor), never as Markdown or HTML
    assert not any("<img" in m.value for m in at.markdown)
    at.toggle(key="hw_f_late").set_value(True).run()
    assert not at.exception, at.exception
    assert any("逾期 1 项" in h.value for h in at.subheader)
    at.multiselect(key="hw_f_owner").set_value(["Bob"]).run()
    assert not at.exception
    assert not any("逾期" in h.value for h in at.subheader)  # Bob has nothing overdue


def test_add_an_item_by_hand(app):
    store, ws_id = _workshop()
    at = _open(app, ws_id)
    title = next(t for t in at.text_input if t.label == "Item")
    title.input("Write the failover runbook")
    at.button(key="FormSubmitter:hw_add-Add item").click().run()
    assert not at.exception, at.exception
    assert [i.title for i in plan_of(store.get(ws_id)).items] == ["Write the failover runbook"]


def test_edit_an_item_in_the_form_and_accepting_a_risk_needs_a_reason(app):
    store, ws_id = _workshop()
    ws = store.get(ws_id)
    plan = add_item(HomeworkPlan(), dt.datetime.now(dt.UTC), title="Add a replica").model_copy(
        update={"reviewed_version": "v001"}
    )
    store.put_artefact(ws_id, ws.version, "homework", PLAN_ID, plan.model_dump(mode="json"))
    at = _open(app, ws_id)
    at.text_input(key="hw_e_owner_hw-1").input("Wang Fang")
    at.date_input(key="hw_e_due_hw-1").set_value(dt.date(2026, 12, 24))
    at.selectbox(key="hw_e_status_hw-1").set_value("in_progress")
    at.button(key="FormSubmitter:hw_edit_hw-1-Save item").click().run()
    assert not at.exception, at.exception
    item = plan_of(store.get(ws_id)).get("hw-1")
    assert (item.owner, item.due, item.status) == ("Wang Fang", dt.date(2026, 12, 24), Status.in_progress)
    assert item.history[-1].by == "Ada"
    at.selectbox(key="hw_e_status_hw-1").set_value("risk_accepted")
    at.button(key="FormSubmitter:hw_edit_hw-1-Save item").click().run()
    assert any("needs a reason" in e.value for e in at.error)
    assert plan_of(store.get(ws_id)).get("hw-1").status == Status.in_progress


def test_items_taken_in_english_read_in_chinese_and_no_due_date_is_a_dash(app):
    store, ws_id = _workshop()
    ws = store.get(ws_id)
    findings = review_architecture(load_architecture(SINGLE_AZ)).findings
    from workbench.workshop.homework import item_texts, take_findings

    plan = take_findings(HomeworkPlan(), findings, "en", dt.datetime.now(dt.UTC)).model_copy(
        update={"reviewed_version": "v001"})
    store.put_artefact(ws_id, ws.version, "homework", PLAN_ID, plan.model_dump(mode="json"))
    at = _open(app, ws_id, lang="zh-CN")
    tables = [d for d in at.dataframe if "title" in getattr(d.value, "columns", [])]
    assert tables, "the plan's editable tables"
    shown = {t for d in tables for t in d.value["title"]}
    assert shown == {item_texts(i, "zh-CN")["title"] for i in plan.items}
    assert not shown & {i.title for i in plan.items}  # none left in English
    assert all(d.proto.placeholder == "—" for d in tables)  # no due date: a dash, never "None"
    assert plan_of(store.get(ws_id)) == plan  # showing the plan in Chinese saved nothing
