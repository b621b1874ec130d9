"""Texts that state figures: each figure is the quantity its words name, and a group of findings never quotes one
component's figures for all.

A small constructed case with known numbers: ``app`` runs 2 + 2 + 2 instances in three AZs (losing one leaves 4),
``lb`` 1 + 1 + 1 (losing one leaves 2).  The peak needs 5 app instances; keeping 5 after losing one of three AZs
takes 8 in all (``ceil(5 / 2)`` per AZ is 3, but the sizing's even spread gives 8: 8 − ceil(8 / 3) = 5).
"""

from __future__ import annotations

from typing import Any

from tests.core.architecture.test_rules import TODAY, add_link, build, comp, setl
from workbench.architecture.findings import (
    ComponentCapacity,
    Finding,
    FindingGroup,
    Pillar,
    Severity,
    display_params,
    group_findings,
    subject_label,
)
from workbench.architecture.review import review_architecture
from workbench.architecture.sections import deduction_title, group_records
from workbench.i18n import t


def facts(**per_component: dict[str, Any]) -> dict[str, ComponentCapacity]:
    base = {"current_instances": 6, "required_instances_at_peak": 3, "utilisation_at_peak": 0.5,
            "required_after_az_loss": 3, "autoscaling_max": 12}
    return {cid: ComponentCapacity(component_id=cid, **{**base, **change}) for cid, change in per_component.items()}


def of(rule: str, capacity: dict[str, ComponentCapacity]) -> list[Finding]:
    return [f for f in review_architecture(build(), today=TODAY, capacity=capacity).findings if f.rule_id == rule]


# --- 1. the need after an AZ loss is what the peak needs, not the total to provision -----------------------------

def test_cap_002_states_what_the_surviving_azs_need() -> None:
    [f] = of("CAP-002", facts(app={"required_instances_at_peak": 5, "required_after_az_loss": 5,
                                   "provisioned_for_az_loss": 8}))
    assert f.params["left"] == 4 and f.params["required"] == 5
    assert f.text("en")["rationale"] == ("After losing the largest AZ, 4 instances remain while the peak needs "
                                         "5 instances.")
    assert "8" not in f.text("zh-CN")["rationale"] and "5 个" in f.text("zh-CN")["rationale"]
    assert f.fix is not None and f.fix.params["needed"] == 5  # N+1 per AZ on the survivors' need, not the total


def test_cap_002_silent_when_survivors_carry_the_peak_though_below_the_provisioned_total() -> None:
    # 4 remain, the peak needs 4: static stability holds even though the sizing would provision 6 in all
    assert not of("CAP-002", facts(app={"required_instances_at_peak": 4, "required_after_az_loss": 4,
                                        "provisioned_for_az_loss": 6}))


def test_cap_003_names_the_total_as_a_total() -> None:
    [f] = of("CAP-003", facts(app={"required_instances_at_peak": 5, "required_after_az_loss": 5,
                                   "provisioned_for_az_loss": 8, "autoscaling_max": 7}))
    assert (f.params["required"], f.params["total"], f.params["max"]) == (5, 8, 7)
    en, zh = f.text("en"), f.text("zh-CN")
    assert "the peak needs 5 instances" in en["rationale"] and "takes 8 across the AZs" in en["rationale"]
    assert en["recommendation"].startswith("Raise the maximum to at least 8 (the total across the AZs")
    assert "峰值需要 5 个实例" in zh["rationale"] and "合计需要 8 个" in zh["rationale"]
    assert f.fix is not None and f.fix.params["max"] == 8


def test_cap_003_without_an_az_total_states_the_need_at_the_peak() -> None:
    [f] = of("CAP-003", facts(app={"required_instances_at_peak": 5, "required_after_az_loss": 5,
                                   "autoscaling_max": 4}))
    assert "total" not in f.params
    assert f.text("en") == {"title": "Autoscaling maximum below the need: app",
                            "rationale": "The autoscaling maximum is 4 but the peak needs 5 instances.",
                            "recommendation": "Raise the maximum to at least 5 and check the quota."}


# --- 2. a group says each component's figures ---------------------------------------------------------------------

def _two_cap_002() -> list[Finding]:
    return of("CAP-002", facts(app={"required_after_az_loss": 5}, lb={"current_instances": 3,
                                                                       "required_after_az_loss": 3}))


def test_group_gives_each_component_its_own_figures() -> None:
    [g] = group_findings(_two_cap_002())
    en, zh = g.text("en"), g.text("zh-CN")
    assert en["title"] == "No headroom to survive an AZ loss: app, lb (2)"
    assert "app: After losing the largest AZ, 4 instances remain while the peak needs 5 instances" in en["rationale"]
    assert "lb: After losing the largest AZ, 2 instances remain while the peak needs 3 instances" in en["rationale"]
    assert "app：" in zh["rationale"] and "lb：" in zh["rationale"]
    assert en["recommendation"].count("N+1") == 1  # a text with no figures is said once


def test_group_texts_agree_across_sections_report_and_plan() -> None:
    import datetime as dt

    from workbench.workshop.homework import HomeworkPlan, take_findings
    from workbench.workshop.report_builder import top_actions

    findings = _two_cap_002()
    [g] = group_findings(findings)
    text = g.text("en")
    review = review_architecture(build(), today=TODAY,
                                 capacity=facts(app={"required_after_az_loss": 5},
                                                lb={"current_instances": 3, "required_after_az_loss": 3}))
    [record] = [r for r in group_records(review.findings, review.scores, "en") if r["rule_id"] == "CAP-002"]
    [action] = [a for a in top_actions(findings, "en")]
    plan = take_findings(HomeworkPlan(), findings, "en", dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert record["rationale"] == action.rationale == plan.items[0].why == text["rationale"]
    assert record["title"] == action.title == plan.items[0].title == text["title"]


def test_group_with_the_same_figures_says_them_once() -> None:
    def no_alerts(d: dict[str, Any]) -> None:
        for cid in ("app", "db"):
            comp(d, cid)["monitoring"]["alerting"] = False

    findings = [f for f in review_architecture(build(no_alerts), today=TODAY).findings if f.rule_id == "OPS-002"]
    [g] = group_findings(findings)
    assert g.count == 2
    assert g.text("en")["rationale"].count("Nobody is told") == 1
    assert "app" in g.text("en")["rationale"] and "db" in g.text("en")["rationale"]


def _finding(rule: str, ids: list[str], **params: Any) -> Finding:
    prefix = "rules." + rule.lower().replace("-", "_")
    return Finding(rule_id=rule, pillar=Pillar.reliability, severity=Severity.high, component_ids=ids,
                   title_key=f"{prefix}.title", rationale_key=f"{prefix}.rationale",
                   recommendation_key=f"{prefix}.recommendation", params=params, reference="https://example.org")


def test_group_title_lists_the_one_value_that_differs() -> None:
    common = {"estimate": 30.0, "target": 15.0, "lost": "db"}
    g = group_findings([_finding("REL-021", ["db"], target_id="ap-1a", **common),
                        _finding("REL-021", ["db"], target_id="ap-1b", **common)])[0]
    assert g.title("en") == "AZ RTO not met when losing ap-1a, ap-1b"


def test_group_title_never_gives_one_component_figures_to_all() -> None:
    g = group_findings([_finding("REL-018", ["a"], min=0), _finding("REL-018", ["b"], min=1)])[0]
    assert g.title("en") == "Autoscaling may shrink to 0 instances: a (+1 more)"
    assert g.title("zh-CN") == "弹性伸缩可能缩到 0 个实例：a（另有 1 处）"


def test_deduction_title_names_every_component_it_covers() -> None:
    def no_alerts(d: dict[str, Any]) -> None:
        for cid in ("app", "db"):
            comp(d, cid)["monitoring"]["alerting"] = False

    review = review_architecture(build(no_alerts), today=TODAY)
    [d] = [d for d in review.scores.deductions if d.rule_id == "OPS-002"]
    title = deduction_title(d, review.findings, "en")
    assert all(c in title for c in d.component_ids) and len(d.component_ids) == 2


# --- 3. PERF-003 states the budget that exceeds the caller's timeout --------------------------------------------

def test_timeout_inversion_states_the_callee_budget() -> None:
    arch = build(setl("app", "db", timeout_ms=1000, retries=2, backoff=True))
    [f] = [f for f in review_architecture(arch, today=TODAY).findings if f.rule_id == "PERF-003"]
    assert f.params["attempts"] == 3 and f.params["budget_ms"] == 3 * 1000 + 2  # + the lb → app hop latency
    en, zh = f.text("en")["rationale"], f.text("zh-CN")["rationale"]
    assert "(3,000 ms on lb → app) is shorter than the callee's worst case of 3,002 ms" in en
    assert "3 attempts × 1,000 ms on app → db, plus 2 ms for the call itself" in en
    assert "3,002 ms" in zh and "× 3 次尝试" in zh and "2 ms" in zh


def test_timeout_inversion_without_hop_latency_has_no_hop_clause() -> None:
    arch = build(add_link("app", "cache2", timeout_ms=100))  # unknown target: no inversion; base stays silent
    assert not [f for f in review_architecture(arch, today=TODAY).findings if f.rule_id == "PERF-003"]
    f = _finding("PERF-003", ["a", "b"], caller="a → b", callee="b → c", caller_ms=100, callee_ms=100,
                 retries=1, attempts=2, hop_ms=0, budget_ms=200)
    assert "2 attempts × 100 ms on b → c); the caller" in f.text("en")["rationale"]


# --- 4. no raw parameter names or values in texts -------------------------------------------------------------

def test_disruption_and_kind_are_translated_words() -> None:
    f = _finding("REL-023", ["ckafka"], disruption="instance", target_id="ckafka", estimate=5.0, target=0.0, lost="x")
    assert f.text("zh-CN")["title"] == "RPO 不达标（实例：ckafka）"
    assert display_params({"disruption": "region", "kind": "message_queue"}, "zh-CN") == {
        "disruption": "地域", "kind": "消息队列"}
    assert display_params({"kind": "message_queue"}, "en") == {"kind": "Message queue"}
    assert display_params({"kind": "not-a-kind"}, "en") == {"kind": "not-a-kind"}


def test_subject_label_shows_a_word_for_its_kind_never_the_parameter_name() -> None:
    assert subject_label("az=ap-1a", "zh-CN") == "可用区 ap-1a"
    assert subject_label("journey=checkout", "en") == "journey checkout"
    assert subject_label("target_id=ckafka", "zh-CN") == "ckafka"
    assert subject_label("edge=web->db", "en") == "call web → db"
    assert subject_label("region=ap-sh;journey=pay", "zh-CN") == "地域 ap-sh · 链路 pay"
    assert subject_label("", "en") == ""


def test_group_sentences_name_the_journey_they_are_about() -> None:
    common = {"target": "99.95", "assumed": "—"}
    a = _finding("REL-019", ["dns"], journey="browse", value="99.9", **common).model_copy(
        update={"subject": "journey=browse"})
    b = _finding("REL-019", ["db"], journey="pay", value="99.8", **common).model_copy(update={"subject": "journey=pay"})
    text = FindingGroup(rule_id="REL-019", pillar=Pillar.reliability, severity=Severity.high,
                        component_ids=["dns", "db"], findings=[a, b]).text("zh-CN")
    assert text["title"] == "链路 browse, pay 可用性低于目标"
    assert "链路 browse：" in text["rationale"] and "链路 pay：" in text["rationale"]
    assert "journey=" not in text["rationale"]


# --- 6. English counts agree with their number ------------------------------------------------------------------

def test_import_counts_use_plural_forms() -> None:
    assert t("architecture_import.page.summary", "en", components=1, links=2, regions=1, azs=1,
             sources="YAML") == "1 component, 2 links, 1 region, 1 AZ from YAML"
    assert t("architecture_import.k8s.workload", "en", kind="Deployment", component="redis", type="Cache",
             replicas=1).endswith("(Cache, 1 replica)")


def test_rpo_text_says_unrecoverable_only_when_it_is() -> None:
    from pathlib import Path

    from workbench.architecture.loader import load_architecture

    text = (Path(__file__).resolve().parents[3] / "sample_data" / "architectures" / "single_az.yaml").read_text()
    rpo = [f for f in review_architecture(load_architecture(text)).findings if f.rule_id == "REL-023"]
    finite = [f for f in rpo if f.params["estimate"] != "∞"]
    endless = [f for f in rpo if f.params["estimate"] == "∞"]
    assert finite and endless
    for f in finite:  # was "1,440 min (∞: the data cannot be recovered)" for a finite estimate
        en, zh = f.text("en")["rationale"], f.text("zh-CN")["rationale"]
        assert "∞" not in en and "cannot be recovered" not in en and "1,440 min" in en and "无法恢复" not in zh
        assert "RPO of 0 min" in en  # a whole number without decimals
    for f in endless:
        assert "cannot be recovered at all" in f.text("en")["rationale"]
        assert "完全无法恢复" in f.text("zh-CN")["rationale"]
        assert "outside the failure domain" in f.text("en")["recommendation"]
