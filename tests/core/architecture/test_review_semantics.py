"""Semantics an architect checks first (issue 11): capacity after an AZ loss vs placement in one AZ, region loss
without a copy, replication mode and RPO, rules only where they apply, grouping, outputs with their sections."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.core.architecture.test_rules import GZ3, TODAY, add_comp, add_link, both, build, setc, setl, sub
from workbench.architecture.export import review_json, review_sarif
from workbench.architecture.findings import HYGIENE_RULES, FixKind, Severity, group_findings, severity_summary
from workbench.architecture.fixes import apply_fix
from workbench.architecture.loader import dump_architecture
from workbench.architecture.locations import component_locations
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.review import review_architecture
from workbench.architecture.rules import all_rules
from workbench.architecture.whatif import simulate

GZ4 = "ap-guangzhou-4"


def findings(arch: Architecture, rule: str) -> list[Any]:
    return [f for f in review_architecture(arch, today=TODAY).findings if f.rule_id == rule]


def test_capacity_after_az_loss_is_not_a_placement_problem() -> None:
    """web runs 3+3 over two AZs but the peak needs 4: REL-026 with the N+1 fix, not "spread web over two AZs"
    (REL-002), whose fix would fail for want of a spare AZ."""
    arch = build(both(setc("app", min_replicas_for_capacity=4, autoscaling=None,
                           placement=[{"az": GZ3, "count": 3}, {"az": GZ4, "count": 3}])))
    assert not findings(arch, "REL-002")
    [cap] = findings(arch, "REL-026")
    assert cap.component_ids == ["app"] and cap.fix is not None and cap.fix.kind == FixKind.add_capacity_per_az
    out = apply_fix(arch, cap, today=TODAY)
    app = out.architecture.component("app")
    assert out.resolved and app is not None
    assert {p.az: p.count for p in app.placement}[GZ3] == 4 and {p.az: p.count for p in app.placement}[GZ4] == 4
    assert out.scores_after.reliability > out.scores_before.reliability


def test_placed_in_one_az_gets_the_spread_fix_only_when_a_spare_az_exists() -> None:
    one_az = build(setc("app", placement=[{"az": GZ3, "count": 2}, {"az": "ap-shanghai-2", "count": 2}],
                        autoscaling=None))
    assert not findings(one_az, "REL-002")  # Shanghai still serves: the AZ loss breaks no journey
    lone = build(both(
        lambda d: d.update(regions=[{"id": "r", "azs": [{"id": "only"}]}]),
        *(setc(c, placement=[{"az": "only", "count": 2}]) for c in ("lb", "app", "cache", "db", "mq")),
    ))
    placed = findings(lone, "REL-002")
    assert placed and all(f.fix is None for f in placed)  # nowhere to spread to: no fix offered


def test_region_loss_without_a_copy_waits_for_the_region_even_with_autoscaling() -> None:
    single = build(both(*(setc(c, placement=[{"az": GZ3, "count": 1}, {"az": GZ4, "count": 1}])
                          for c in ("lb", "cache", "db", "mq")),
                        setc("app", placement=[{"az": GZ3, "count": 3}, {"az": GZ4, "count": 3}],
                             autoscaling={"min": 6, "max": 30}),
                        lambda d: d["policy"].update(rto_minutes={"region": 240})))
    w = simulate(single, Disruption.REGION, "ap-guangzhou")
    assert w.rto_unbounded and math.isinf(w.rto_minutes_est) and not w.meets_rto  # 240 min is not enough either
    assert "app" in w.components_lost  # its autoscaling group lived in the lost region
    doc = json.loads(review_json(review_architecture(single, today=TODAY), single, "en"))
    row = next(r for r in doc["whatif"] if r["disruption"] == "region")
    assert row["rto_minutes"] is None and row["rto_unbounded"] and not row["meets_rto"]


def test_cross_region_copy_without_a_declared_path_is_promoted_by_hand() -> None:
    arch = build(sub("db", "failover", cross_region_mode=None, cross_region_time_s=None))
    w = simulate(arch, Disruption.REGION, "ap-guangzhou")
    assert not w.rto_unbounded and w.rto_minutes_est >= 30  # manual decision (30 min) + switch
    assert findings(arch, "REL-022")


@pytest.mark.parametrize(("mode", "lag_s", "rpo"), [("sync", None, 0.0), ("async", 12, 0.2), ("none", None, 15.0)])
def test_replication_mode_sets_the_az_rpo(mode: str, lag_s: int | None, rpo: float) -> None:
    """Sync: 0; async: the lag (12 s = 0.2 min); none: the backup interval (0.25 h = 15 min) (research note §4.4)."""
    change = {"replication": mode, "ha_mode": "multi_az" if mode != "none" else "none",
              "placement": [{"az": GZ3, "count": 1}, {"az": GZ4, "count": 1}]}
    if lag_s is not None:
        change["replication_lag_s"] = lag_s
    w = simulate(build(setc("db", **change)), Disruption.AZ, GZ3)
    assert w.rpo_minutes_est == pytest.approx(rpo)


def test_transport_rules_skip_dns_and_cdn_edges() -> None:
    arch = build(both(add_comp("dns", "dnspod", sla=0.9999), add_comp("edge", "cdn", sla=0.9999),
                      lambda d: d["links"].append({"from": "dns", "to": "lb"}),
                      lambda d: d["links"].append({"from": "edge", "to": "lb", "retries": 2})))
    rv = review_architecture(arch, today=TODAY)
    edges = {("dns", "lb"), ("edge", "lb")}
    for rule in ("PERF-002", "PERF-003", "PERF-004"):
        assert not [f for f in rv.findings if f.rule_id == rule and tuple(f.component_ids) in edges], rule


def test_cache_advice_only_on_read_paths() -> None:
    worker = both(add_comp("worker", placement=[{"az": GZ3, "count": 1}, {"az": GZ4, "count": 1}]),
                  add_link("mq", "worker", mode="async"), add_link("worker", "db"),
                  lambda d: d["journeys"].append({"id": "fulfil", "path": ["mq", "worker", "db"], "critical": False}))
    assert not [f for f in findings(build(worker), "PERF-007") if "worker" in f.component_ids]
    assert findings(build(setl("app", "cache", mode="async")), "PERF-007") or findings(
        build(lambda d: d.update(links=[x for x in d["links"] if x["to"] != "cache"])), "PERF-007")


def test_severity_scaled_down_and_weight_lowered_on_low_criticality() -> None:
    batch = both(add_comp("batch", placement=[{"az": GZ3, "count": 1}], criticality="low"),
                 add_link("app", "batch", mode="async"))
    [single] = findings(build(batch), "REL-007")
    assert single.severity == Severity.medium and single.weight == pytest.approx(0.3)  # high → medium


def test_hygiene_rules_are_one_finding_and_groups_list_components() -> None:
    arch = build(both(*(setc(c, owner=None, tags={}) for c in ("lb", "app", "db")),
                      *(sub(c, "monitoring", alerting=False) for c in ("lb", "app", "db"))))
    rv = review_architecture(arch, today=TODAY)
    for rule in HYGIENE_RULES & {f.rule_id for f in rv.findings}:
        assert len([f for f in rv.findings if f.rule_id == rule]) == 1
    groups = group_findings(rv.findings)
    alerting = next(g for g in groups if g.rule_id == "OPS-002")
    assert alerting.count == 3 and set(alerting.component_ids) == {"lb", "app", "db"}
    assert alerting.severity == max((f.severity for f in alerting.findings), key=lambda s: s.rank)
    title = alerting.text("en")["title"]
    assert all(c in title for c in ("lb", "app", "db")) and "(3)" in title
    matrix = severity_summary(rv.findings)
    assert sum(n for row in matrix.values() for n in row.values()) == len(groups) < len(rv.findings)


def test_tencent_findings_link_to_tencent_docs_in_the_report_language() -> None:
    [f] = findings(build(setc("db", encryption_at_rest=False)), "SEC-006")
    assert f.best_practice("zh-CN") == "https://cloud.tencent.com/document/product/236"
    assert f.best_practice("en") == "https://intl.cloud.tencent.com/document/product/236"
    [alert] = findings(build(sub("db", "monitoring", alerting=False)), "OPS-002")
    assert alert.best_practice("zh-CN").endswith("/document/product/248")  # Cloud Monitor
    generic = build(both(add_comp("vm", "compute", placement=[{"az": GZ3, "count": 2}, {"az": GZ4, "count": 2}],
                                  encryption_in_transit=False, public=True),
                         add_link("lb", "vm")))
    public = [f for f in review_architecture(generic, today=TODAY).findings if f.rule_id == "SEC-004"
              and f.component_ids == ["vm"]]
    assert public and public[0].best_practice("en") == public[0].reference  # generic type: the framework page


def test_json_carries_the_sections_and_sarif_the_lines() -> None:
    arch = build(both(setc("db", placement=[{"az": GZ3, "count": 1}], ha_mode="none"),
                      sub("db", "monitoring", alerting=False)))
    rv = review_architecture(arch, today=TODAY)
    doc = json.loads(review_json(rv, arch, "en"))
    for key in ("summary", "groups", "score_costs", "spofs", "availability", "whatif", "latency"):
        assert key in doc, key
    assert {"kind": "component", "id": "db", "journeys_broken": ["checkout"]} in doc["spofs"]
    assert doc["summary"]["groups"] == len(doc["groups"]) and doc["summary"]["findings"] == len(doc["findings"])
    assert all("formula" in a and "=" in a["formula"] for a in doc["availability"])
    rel = doc["score_costs"]["reliability"]
    assert rel["costs"] and rel["score"] == doc["scores"]["reliability"]
    text = dump_architecture(arch)
    where = component_locations(text)
    assert text.splitlines()[where["db"][0] - 1].strip().endswith("db")
    sarif = review_sarif(rv, all_rules(), "en", locations=where)
    located = [r for r in sarif["runs"][0]["results"] if r["locations"][0]["physicalLocation"].get("region")]
    assert located and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in located)
    spof = next(r for r in located if r["ruleId"] == "REL-001")
    assert spof["locations"][0]["physicalLocation"]["region"]["startLine"] == where["db"][0]


def test_fix_effect_shows_the_finding_gone_score_availability_and_rto() -> None:
    from workbench.architecture.fixes import fix_effect

    arch = build(setc("db", placement=[{"az": GZ3, "count": 1}], ha_mode="none"))
    before = review_architecture(arch, today=TODAY)
    spof = next(f for f in before.findings if f.rule_id == "REL-001" and f.component_ids == ["db"])
    effect = fix_effect(apply_fix(arch, spof, today=TODAY, before=before))
    assert effect.resolved and effect.pillar == "reliability"
    assert effect.pillar_after >= effect.pillar_before + effect.points_cost - 0.11
    checkout = next(j for j in effect.journeys if j.journey_id == "checkout")
    assert checkout.after is not None and checkout.before is not None and checkout.after > checkout.before
    az = next(r for r in effect.recovery if r.disruption == Disruption.AZ)
    assert az.rto_after is not None and az.rto_before is not None and az.rto_after < az.rto_before
