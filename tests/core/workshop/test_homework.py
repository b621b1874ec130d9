"""Homework items: made from findings, edited, reconciled against a new review, overdue, service review."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.core.workshop.test_chain import workshop  # noqa: F401  (fixture)
from workbench.architecture.findings import Finding, Pillar, Severity
from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.loader import dump_architecture
from workbench.workshop.chain import compute_chain
from workbench.workshop.homework import (
    PLAN_ID,
    Effort,
    HomeworkPlan,
    Status,
    add_item,
    apply_edits,
    confirm_done,
    edit_item,
    group_by_rule,
    overdue,
    plan_of,
    reconcile,
    service_review,
    set_status,
    take_findings,
)
from workbench.workshop.models import ArtefactKind

T0 = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)


def _finding(rule: str, *components: str, severity: Severity = Severity.high) -> Finding:
    return Finding(
        rule_id=rule,
        pillar=Pillar.reliability,
        severity=severity,
        component_ids=list(components),
        title_key="x.title",
        rationale_key="x.why",
        recommendation_key="x.fix",
        reference="https://e.x",
    )


def test_one_item_per_rule_covering_every_component_worst_severity():
    findings = [
        _finding("OPS-1", "a", severity=Severity.low),
        _finding("OPS-1", "b", severity=Severity.critical),
        _finding("REL-2", "db"),
    ]
    plan = take_findings(HomeworkPlan(), findings, "en", T0)
    assert [i.findings[0].rule_id for i in plan.items] == ["OPS-1", "REL-2"]
    ops = plan.items[0]
    assert ops.components == ["a", "b"] and ops.severity == Severity.critical
    assert ops.status == Status.open and ops.history[0].status == Status.open
    # taking the same findings again adds nothing: the rules are covered
    assert take_findings(plan, findings, "en", T0) == plan
    assert len(take_findings(HomeworkPlan(), findings, "en", T0, rules={"REL-2"}).items) == 1


def test_waived_findings_make_no_homework():
    waived = _finding("SEC-1", "x").model_copy(update={"waived": True})
    assert group_by_rule([waived]) == []


def test_gone_findings_propose_done_then_confirmed_and_back_findings_reopen():
    plan = take_findings(HomeworkPlan(), [_finding("REL-1", "db"), _finding("OPS-1", "web")], "en", T0)
    plan = add_item(plan, T0, title="Write the runbook")  # by hand: never touched by a review
    reviewed = reconcile(plan, [_finding("OPS-1", "web")], T0 + dt.timedelta(days=7), "v2")
    rel, ops, hand = reviewed.items
    assert rel.proposed_done and rel.status == Status.open
    assert not ops.proposed_done and not hand.proposed_done
    done = confirm_done(reviewed, rel.id, T0 + dt.timedelta(days=8), by="advisor")
    assert done.get(rel.id).status == Status.done and not done.get(rel.id).proposed_done
    assert done.get(rel.id).closed_at() == T0 + dt.timedelta(days=8)
    back = reconcile(done, [_finding("REL-1", "db")], T0 + dt.timedelta(days=14), "v3")
    item = back.get(rel.id)
    assert item.status == Status.open and "v3" in item.history[-1].note
    assert [h.status for h in item.history] == [Status.open, Status.done, Status.open]


def test_finding_back_proposes_nothing_for_accepted_risks():
    plan = take_findings(HomeworkPlan(), [_finding("REL-1", "db")], "en", T0)
    accepted = set_status(plan, "hw-1", Status.risk_accepted, T0, by="CTO", accepted_reason="budget 2027")
    item = reconcile(accepted, [], T0, "v2").get("hw-1")
    assert item.status == Status.risk_accepted and not item.proposed_done
    assert item.accepted_by == "CTO" and item.accepted_reason == "budget 2027"


def test_accepting_a_risk_needs_a_reason_and_who():
    plan = add_item(HomeworkPlan(), T0, title="x")
    with pytest.raises(ValidationError):
        set_status(plan, "hw-1", Status.risk_accepted, T0)


def test_overdue_only_active_items_past_due():
    plan = HomeworkPlan()
    for title, due, status in [
        ("late", dt.date(2026, 11, 1), Status.open),
        ("later", dt.date(2026, 10, 1), Status.in_progress),
        ("done late", dt.date(2026, 10, 1), Status.done),
        ("on time", dt.date(2026, 12, 1), Status.open),
        ("no date", None, Status.open),
    ]:
        plan = add_item(plan, T0, title=title, due=due, status=status)
    assert [i.title for i in overdue(plan, dt.date(2026, 11, 2))] == ["later", "late"]


def test_service_review_since_the_last_milestone():
    plan = add_item(HomeworkPlan(), T0, title="old")
    plan = add_item(plan, T0, title="closed after", due=dt.date(2026, 11, 3))
    milestone = T0 + dt.timedelta(days=1)
    plan = set_status(plan, "hw-2", Status.done, milestone + dt.timedelta(hours=1))
    plan = add_item(plan, milestone + dt.timedelta(hours=2), title="new", due=dt.date(2026, 11, 4))
    review = service_review(plan, milestone, dt.date(2026, 11, 10))
    assert [i.title for i in review.closed] == ["closed after"]
    assert [i.title for i in review.new] == ["new"]
    assert [i.title for i in review.overdue] == ["new"]
    assert review.open_count == 2
    at_milestone = service_review(plan, None, dt.date(2026, 11, 10), until=milestone)
    assert [i.title for i in at_milestone.new] == ["old", "closed after"] and at_milestone.closed == []


def test_edit_keeps_status_and_history_out_of_reach():
    plan = add_item(HomeworkPlan(), T0, title="x")
    edited = edit_item(plan, "hw-1", owner="Li Lei", due=dt.date(2026, 12, 1), effort=Effort.L)
    assert edited.get("hw-1").owner == "Li Lei" and edited.get("hw-1").effort == Effort.L
    with pytest.raises(ValueError):
        edit_item(plan, "hw-1", status=Status.done)


HOSTILE = ["<script>alert(1)</script>", '=HYPERLINK("http://x")', "\u202egnp.exe", "x" * 100_000]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_kept_as_it_is(text):
    plan = add_item(HomeworkPlan(), T0, title=text, notes=text, fix=text)
    assert plan.get("hw-1").title == text
    again = HomeworkPlan.model_validate_json(plan.model_dump_json())
    assert again == plan


@given(st.lists(st.sampled_from(list(Status)), min_size=1, max_size=12))
def test_history_grows_with_every_change_and_ends_at_the_status(statuses):
    plan = add_item(HomeworkPlan(), T0, title="x")
    for n, status in enumerate(statuses):
        plan = set_status(plan, "hw-1", status, T0 + dt.timedelta(hours=n), by="a", accepted_reason="r")
    item = plan.get("hw-1")
    assert item.history[-1].status == item.status == statuses[-1]
    assert all(a.at <= b.at for a, b in zip(item.history, item.history[1:], strict=False))


def test_plan_round_trips_through_the_store_and_follows_a_real_fix(workshop):  # noqa: F811
    store, ws = workshop
    chain = compute_chain(ws)
    plan = take_findings(HomeworkPlan(), chain.review.findings, "zh-CN", T0)
    assert len(plan.items) == len({f.rule_id for f in chain.review.findings if not f.waived})
    store.put_artefact(ws.id, store.version(ws.id), ArtefactKind.HOMEWORK, PLAN_ID, plan.model_dump(mode="json"))
    assert plan_of(store.get(ws.id)) == plan
    finding = next(
        f
        for f in chain.review.findings
        if fixable(f) and sum(g.rule_id == f.rule_id for g in chain.review.findings) == 1
    )
    fixed = apply_fix(chain.architecture, finding).architecture
    store.put_artefact(
        ws.id, store.version(ws.id), "architecture", "v002", {"yaml": dump_architecture(fixed), "name": fixed.name}
    )
    after = compute_chain(store.get(ws.id))
    reviewed = reconcile(plan, after.review.findings, T0, "v002")
    proposed = [i for i in reviewed.items if i.proposed_done]
    assert finding.rule_id in {link.rule_id for i in proposed for link in i.findings}


def test_table_edits_change_fields_and_status_with_history():
    plan = take_findings(HomeworkPlan(), [_finding("REL-1", "db")], "en", T0)
    rows = [
        {
            "id": "hw-1",
            "owner": "Wang",
            "due": dt.datetime(2026, 11, 20),
            "effort": "L",
            "status": "in_progress",
            "title": "Make the database HA",
            "notes": None,
        }
    ]
    edited = apply_edits(plan, rows, T0 + dt.timedelta(hours=1), by="advisor")
    item = edited.get("hw-1")
    assert (item.owner, item.due, item.effort, item.status, item.title) == (
        "Wang",
        dt.date(2026, 11, 20),
        Effort.L,
        Status.in_progress,
        "Make the database HA",
    )
    assert item.history[-1].by == "advisor" and item.history[-1].at == T0 + dt.timedelta(hours=1)
    assert apply_edits(edited, rows, T0, by="x") == edited  # the same row again changes nothing
    accepted = apply_edits(
        edited,
        [{"id": "hw-1", "status": "risk_accepted", "accepted_reason": "budget", "accepted_by": "CTO"}],
        T0,
        by="advisor",
    )
    assert accepted.get("hw-1").accepted_by == "CTO" and accepted.get("hw-1").history[-1].by == "CTO"
    with pytest.raises(ValueError):
        apply_edits(edited, [{"id": "hw-1", "status": "risk_accepted", "accepted_reason": ""}], T0)
    assert apply_edits(plan, [{"id": "hw-1", "due": None}], T0).get("hw-1").due is None


@pytest.mark.parametrize("text", HOSTILE)
def test_export_is_formula_safe_and_keeps_the_text(text):
    import io

    import openpyxl
    import pandas as pd

    from workbench.exports import to_safe_csv, to_safe_excel
    from workbench.workshop.homework import export_rows

    plan = add_item(HomeworkPlan(), T0, title=text, owner="=1+1", notes="@SUM(A1)")
    frame = pd.DataFrame(export_rows(plan, "zh-CN", dt.date(2026, 11, 2)))
    csv = to_safe_csv(frame).decode("utf-8-sig")
    assert "'=1+1" in csv and "'@SUM(A1)" in csv
    sheet = openpyxl.load_workbook(io.BytesIO(to_safe_excel(frame, "整改计划"))).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=1+1" in cells and not any(isinstance(c, str) and c.startswith("=") for c in cells)
    kept = text if len(text) <= 32_767 else text[:32_766] + "…"  # Excel's cell limit
    assert any(isinstance(c, str) and c.lstrip("'") == kept for c in cells)
    back = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    assert back.iloc[0, 1].removeprefix("'") == text  # CSV has no cell limit: all of it, as text
