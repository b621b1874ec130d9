"""Every rule: one mutation of a clean base architecture triggers it, and the base does not.

The base (``test_rules_base.yaml``) is a small two-region design with no findings at all; each case changes
one fact (a placement, a flag, a link) and asserts that the rule fires and names the expected component.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from workbench.architecture.findings import ComponentCapacity, Pillar
from workbench.architecture.model import Architecture
from workbench.architecture.review import review_architecture
from workbench.architecture.rules import all_rules

TODAY = dt.date(2026, 11, 25)
BASE: dict[str, Any] = yaml.safe_load(Path(__file__).with_name("test_rules_base.yaml").read_text(encoding="utf-8"))
Data = dict[str, Any]


def comp(d: Data, cid: str) -> Data:
    return next(c for c in d["components"] if c["id"] == cid)


def link(d: Data, src: str, tgt: str) -> Data:
    return next(x for x in d["links"] if x["from"] == src and x["to"] == tgt)


def setc(cid: str, **kw: Any) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        c = comp(d, cid)
        for k, v in kw.items():
            if v is None:
                c.pop(k, None)
            else:
                c[k] = v
    return f


def setl(src: str, tgt: str, **kw: Any) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        x = link(d, src, tgt)
        for k, v in kw.items():
            if v is None:
                x.pop(k, None)
            else:
                x[k] = v
    return f


def sub(cid: str, key: str, **kw: Any) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        c = comp(d, cid)
        c[key] = {**(c.get(key) or {}), **kw}
    return f


def both(*fs: Callable[[Data], None]) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        for g in fs:
            g(d)
    return f


def add_comp(cid: str, type_: str = "cvm", **kw: Any) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        d["components"].append({"id": cid, "type": type_, "owner": "x", "tags": {"a": "b"},
                                "cost_per_instance_month": 1, **kw})
    return f


def add_link(src: str, tgt: str, **kw: Any) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        d["links"].append({"from": src, "to": tgt, "timeout_ms": 100, "circuit_breaker": True, **kw})
    return f


def drop_link(src: str, tgt: str) -> Callable[[Data], None]:
    def f(d: Data) -> None:
        d["links"] = [x for x in d["links"] if not (x["from"] == src and x["to"] == tgt)]
    return f


def single_region(d: Data) -> None:
    for c in d["components"]:
        c["placement"] = [p for p in c["placement"] if p.get("az") != "ap-shanghai-2"]
    comp(d, "app")["autoscaling"] = {"min": 4, "max": 8}


GZ3 = "ap-guangzhou-3"
TWO_AZ = [{"az": GZ3, "count": 1}, {"az": "ap-guangzhou-4", "count": 1}]

CASES: list[tuple[str, Callable[[Data], None], str]] = [
    ("REL-001", setc("db", placement=[{"az": GZ3, "count": 1}], ha_mode="none"), "db"),
    ("REL-002", setc("app", placement=[{"az": GZ3, "count": 6}]), "app"),
    ("REL-003", single_region, "db"),
    # off every journey (on a journey REL-001 reports it as a SPOF instead)
    ("REL-004", setc("mq", placement=[{"az": GZ3, "count": 1}], ha_mode="none"), "mq"),
    ("REL-005", setc("mq", placement=[{"az": GZ3, "count": 2}]), "mq"),
    ("REL-006", both(add_comp("batch", placement=[{"az": GZ3, "count": 2}], autoscaling={"min": 2, "max": 4}),
                     add_link("app", "batch", mode="async")), "batch"),
    ("REL-007", both(add_comp("batch", placement=[{"az": GZ3, "count": 1}]), add_link("app", "batch", mode="async")),
     "batch"),
    ("REL-008", sub("db", "failover", mode="manual"), "db"),
    ("REL-009", setc("db", backup=None), "db"),
    ("REL-010", both(setc("db", placement=TWO_AZ), sub("db", "backup", interval_h=1)), "db"),
    ("REL-011", both(setc("db", placement=TWO_AZ), sub("db", "backup", cross_region=False)), "db"),
    ("REL-012", sub("db", "backup", last_restore_test="2025-01-01"), "db"),
    ("REL-013", sub("db", "backup", retention_days=3), "db"),
    ("REL-014", add_link("db", "app"), "db"),
    ("REL-015", add_link("app", "ghost"), "app"),
    ("REL-016", both(add_comp("batch", placement=TWO_AZ), add_link("batch", "db")), "batch"),
    ("REL-017", setc("app", autoscaling=None), "app"),
    ("REL-018", sub("app", "autoscaling", min=1), "app"),
    ("REL-019", setc("db", sla=0.9), "db"),
    ("REL-020", setc("db", sla=0.9), "db"),
    ("REL-021", sub("db", "failover", time_s=3600), "db"),
    ("REL-022", sub("db", "failover", cross_region_time_s=7200), "db"),
    ("REL-023", setc("db", replication="async"), "db"),
    ("REL-024", both(setc("cache", replication="none"), add_comp("worker", placement=TWO_AZ),
                     add_link("lb", "worker"), add_link("worker", "cache")), "cache"),
    ("REL-025", sub("db", "failover", time_s=600), "db"),
    ("REL-026", setc("app", min_replicas_for_capacity=5), "app"),
    ("PERF-001", setl("app", "db", latency_ms=200), "db"),
    ("PERF-002", setl("lb", "app", timeout_ms=None), "app"),
    ("PERF-003", setl("app", "db", timeout_ms=5000), "app"),
    ("PERF-004", setl("app", "db", retries=2), "db"),
    ("PERF-005", both(setl("lb", "app", retries=2, backoff=True), setl("app", "db", retries=2, backoff=True)), "db"),
    ("PERF-006", setl("app", "db", circuit_breaker=False), "db"),
    ("PERF-007", drop_link("app", "cache"), "db"),
    ("PERF-008", add_comp("static", "cos", public=True, placement=[{"region": "ap-guangzhou"}]), "static"),
    ("PERF-009", drop_link("app", "mq"), "db"),
    ("PERF-010", both(*(add_comp(f"s{i}", placement=TWO_AZ) for i in range(3)),
                      add_link("app", "s0"), add_link("s0", "s1"), add_link("s1", "s2"),
                      lambda d: d["journeys"].append({"id": "deep", "path": ["lb", "app", "s0", "s1", "s2"]})),
     "s2"),
    ("PERF-011", both(add_comp("x", placement=[{"az": GZ3}]), add_comp("y", placement=[{"az": "ap-shanghai-2"}]),
                      add_link("app", "x"), add_link("x", "y")), "y"),
    ("PERF-012", setc("app", capacity_per_instance_rps=None), "app"),
    ("SEC-001", setc("db", public=True), "db"),
    ("SEC-002", setc("app", auth=False), "lb"),
    ("SEC-003", setc("lb", waf=False), "lb"),
    ("SEC-004", setc("lb", encryption_in_transit=False), "lb"),
    ("SEC-005", setc("db", encryption_in_transit=False), "db"),
    ("SEC-006", setc("db", encryption_at_rest=False), "db"),
    ("SEC-007", sub("db", "backup", encrypted=False), "db"),
    ("SEC-008", add_comp("static", "cos", public=True, placement=[{"region": "ap-guangzhou"}]), "static"),
    ("SEC-009", setc("app", public=True), "app"),
    ("SEC-010", sub("lb", "monitoring", logging=False), "lb"),
    ("COST-001", setc("mq", criticality="low"), "mq"),
    ("COST-002", setc("mq", criticality="low", ha_mode="active_active"), "mq"),
    ("COST-003", setc("app", autoscaling=None), "app"),
    ("COST-004", setc("lb", cost_per_instance_month=None), "lb"),
    ("COST-005", setc("lb", tags={}), "lb"),
    ("COST-006", add_comp("old", placement=TWO_AZ), "old"),
    ("OPS-001", sub("db", "monitoring", metrics=False), "db"),
    ("OPS-002", sub("db", "monitoring", alerting=False), "db"),
    ("OPS-003", sub("app", "monitoring", tracing=False), "app"),
    ("OPS-004", sub("db", "monitoring", logging=False), "db"),
    ("OPS-005", setc("db", owner=None), "db"),
    ("OPS-006", add_comp("edge", "cdn"), "edge"),
    ("OPS-007", lambda d: d["journeys"][0].update(critical=False), "lb"),
    ("OPS-008", lambda d: d.update(waivers=[{"rule": "REL-009", "component": "db", "reason": "r",
                                             "until": "2026-01-01"}]), "db"),
    ("OPS-009", lambda d: d.update(waivers=[{"rule": "REL-999", "reason": "typo"}]), ""),
]

BASE_FACTS: dict[str, dict[str, Any]] = {"app": {
    "component_id": "app", "current_instances": 6, "required_instances_at_peak": 3, "utilisation_at_peak": 0.5,
    "required_after_az_loss": 3, "autoscaling_max": 12, "usl_nstar": 50.0, "concurrency_at_peak": 10.0,
}}
CAP_CASES: list[tuple[str, dict[str, Any]]] = [
    ("CAP-001", {"autoscaling_max": None, "required_instances_at_peak": 8}),
    ("CAP-002", {"required_after_az_loss": 5}),
    ("CAP-003", {"autoscaling_max": 2}),
    ("CAP-004", {"concurrency_at_peak": 60.0}),
    ("CAP-005", {"utilisation_at_peak": 0.85}),
    ("CAP-006", {"utilisation_at_peak": 0.1}),
]


def build(mutate: Callable[[Data], None] | None = None) -> Architecture:
    data = copy.deepcopy(BASE)
    if mutate is not None:
        mutate(data)
    return Architecture.model_validate(data)


def facts(**change: Any) -> dict[str, ComponentCapacity]:
    return {"app": ComponentCapacity(**{**BASE_FACTS["app"], **change})}


def test_base_is_clean() -> None:
    review = review_architecture(build(), today=TODAY, capacity=facts())
    assert review.findings == [] and review.waived == []
    assert review.scores.overall == pytest.approx(100.0)


@pytest.mark.parametrize(("rule_id", "mutate", "component"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_on_its_mutation(rule_id: str, mutate: Callable[[Data], None], component: str) -> None:
    review = review_architecture(build(mutate), today=TODAY)
    hits = [f for f in review.findings if f.rule_id == rule_id]
    assert hits, f"{rule_id} did not fire; got {[f.rule_id for f in review.findings]}"
    if component:
        assert any(component in f.component_ids for f in hits)
    for f in hits:  # every finding renders in both languages with all placeholders filled
        for lang in ("en", "zh-CN"):
            texts = f.text(lang)
            assert all(texts.values()) and not any("{" in v for v in texts.values()), texts


@pytest.mark.parametrize(("rule_id", "change"), CAP_CASES, ids=[c[0] for c in CAP_CASES])
def test_capacity_rule_fires(rule_id: str, change: dict[str, Any]) -> None:
    review = review_architecture(build(), today=TODAY, capacity=facts(**change))
    assert [f.rule_id for f in review.findings] == [rule_id]
    assert review.findings[0].component_ids == ["app"]


def test_capacity_rules_silent_without_facts() -> None:
    review = review_architecture(build(), today=TODAY, capacity=None)
    assert not [f for f in review.findings if f.rule_id.startswith("CAP-")]


def test_every_rule_has_a_case_and_texts() -> None:
    rules = all_rules()
    covered = {c[0] for c in CASES} | {c[0] for c in CAP_CASES}
    assert {r.id for r in rules} == covered
    assert len(rules) >= 40
    assert {r.pillar for r in rules} == set(Pillar)
    for r in rules:
        assert r.reference.startswith("https://")
        for lang in ("en", "zh-CN"):
            from workbench.i18n import catalogue
            for part in ("title", "rationale", "recommendation"):
                assert f"{r.key_prefix}.{part}" in catalogue(lang)


def test_restore_test_age_uses_review_date() -> None:
    arch = build(sub("db", "backup", last_restore_test="2026-06-01"))
    assert not [f for f in review_architecture(arch, today=TODAY).findings if f.rule_id == "REL-012"]
    later = review_architecture(arch, today=dt.date(2027, 1, 1))
    assert [f.params["days"] for f in later.findings if f.rule_id == "REL-012"] == [214]


def test_self_loop_is_a_cycle() -> None:
    review = review_architecture(build(add_link("app", "app")), today=TODAY)
    assert [f.params["cycle"] for f in review.findings if f.rule_id == "REL-014"] == ["app → app"]


def test_docs_rules_md_is_current() -> None:
    from workbench.architecture.rules import catalogue_markdown

    doc = (Path(__file__).resolve().parents[3] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert catalogue_markdown("en") in doc


def test_labels_exist_for_every_choice() -> None:
    from workbench.architecture.findings import FixKind, Severity
    from workbench.i18n import catalogue

    for lang in ("en", "zh-CN"):
        keys = catalogue(lang)
        assert all(f"review.pillar.{p.value}" in keys for p in Pillar)
        assert all(f"review.severity.{s.value}" in keys for s in Severity)
        assert all(f"review.fix.{k.value}" in keys for k in FixKind)
