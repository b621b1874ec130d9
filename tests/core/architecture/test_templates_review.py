"""The three homework templates (sample_data/architectures, written with the model): pinned review results.

Scores are pinned exactly (review date fixed) so that any change of a rule, a weight or a template shows up
here and is looked at on purpose; the arithmetic behind them is in docs/scoring.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from workbench.architecture.findings import Pillar, Severity
from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.loader import load_architecture
from workbench.architecture.model import Disruption
from workbench.architecture.review import Review, review_architecture

TODAY = dt.date(2026, 11, 25)
TEMPLATES = Path(__file__).resolve().parents[3] / "sample_data" / "architectures"


@cache
def review(name: str) -> Review:
    path = TEMPLATES / f"{name}.yaml"
    return review_architecture(load_architecture(path.read_bytes(), path.name), today=TODAY)


def rules(name: str, severity: Severity | None = None) -> Counter[str]:
    return Counter(f.rule_id for f in review(name).findings if severity is None or f.severity == severity)


@pytest.mark.parametrize(
    ("name", "reliability", "overall"),
    [("single_az", 4.8, 44.0), ("same_city_active_active", 45.0, 73.9), ("two_regions_three_dcs", 94.1, 88.6)],
)
def test_scores_pinned(name: str, reliability: float, overall: float) -> None:
    s = review(name).scores
    assert (s.reliability, s.overall) == pytest.approx((reliability, overall), abs=0.1 + 1e-9)  # scores are rounded


def test_scores_rank_the_designs() -> None:
    overall = [review(n).scores.overall for n in ("single_az", "same_city_active_active", "two_regions_three_dcs")]
    assert overall == sorted(overall) and len(set(overall)) == 3


def test_single_az_has_the_typical_flaws() -> None:
    r = review("single_az")
    spofs = {c for f in r.findings if f.rule_id == "REL-001" for c in f.component_ids}
    assert {"clb", "mysql"} <= spofs  # single CLB instance and single-node MySQL
    assert any(f.rule_id == "REL-002" and f.params["az"] == "ap-guangzhou-3" for f in r.findings)
    crit = rules("single_az", Severity.critical)
    assert crit["REL-001"] >= 2
    # placed in one AZ: one finding per journey component of that AZ, each with the spread fix (a spare AZ exists)
    placed = [f for f in r.findings if f.rule_id == "REL-002"]
    assert {c for f in placed for c in f.component_ids} == {"clb", "web", "redis", "mysql", "orders_mq", "order_worker"}
    assert all(f.fix is not None for f in placed)
    for rule in ("REL-011", "REL-012", "REL-017", "SEC-003", "PERF-002", "PERF-004", "PERF-003"):
        assert rules("single_az")[rule] >= 1, rule


def test_same_city_survives_an_az_but_not_a_region() -> None:
    r = review("same_city_active_active")
    assert not {"REL-001", "REL-002", "REL-021"} & set(rules("same_city_active_active"))
    assert all(w.meets_rto for w in r.analysis.whatif if w.disruption == Disruption.AZ)
    assert rules("same_city_active_active")["REL-003"] == 1  # no DR region


def test_two_regions_three_dcs_meets_recovery_targets() -> None:
    r = review("two_regions_three_dcs")
    rel = [f for f in r.findings if f.pillar == Pillar.reliability]
    assert not [f for f in rel if f.severity.at_least(Severity.high)]
    assert not {"REL-001", "REL-002", "REL-003", "REL-021", "REL-022", "REL-023"} & {f.rule_id for f in rel}
    az = [w for w in r.analysis.whatif if w.disruption == Disruption.AZ]
    region = [w for w in r.analysis.whatif if w.disruption == Disruption.REGION]
    assert az and all(w.meets_rto and w.rto_target == pytest.approx(15) for w in az)
    assert region and all(w.meets_rto and w.rto_target == pytest.approx(30) for w in region)


def test_two_regions_availability_gap_is_only_the_assumed_dns_sla() -> None:
    gaps = [f for f in review("two_regions_three_dcs").findings if f.rule_id == "REL-019"]
    assert gaps and all(f.severity == Severity.low and "dns" in str(f.params["assumed"]) for f in gaps)


def test_single_az_database_fix() -> None:
    path = TEMPLATES / "single_az.yaml"
    arch = load_architecture(path.read_bytes(), path.name)
    r = review("single_az")
    finding = next(f for f in r.findings if f.rule_id == "REL-001" and f.component_ids == ["mysql"])
    out = apply_fix(arch, finding, today=TODAY, before=r)
    mysql = out.architecture.component("mysql")
    assert out.resolved and mysql is not None and mysql.ha_mode == "multi_az"
    assert mysql.azs == ["ap-guangzhou-3", "ap-guangzhou-4"]
    assert out.availability_after["checkout"] > out.availability_before["checkout"]
    assert arch.component("mysql").ha_mode == "none"  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["single_az", "same_city_active_active", "two_regions_three_dcs"])
def test_every_offered_fix_applies_and_resolves(name: str) -> None:
    path = TEMPLATES / f"{name}.yaml"
    arch = load_architecture(path.read_bytes(), path.name)
    r = review(name)
    for f in r.findings:
        if fixable(f):
            out = apply_fix(arch, f, today=TODAY, before=r)
            assert out.resolved, (f.rule_id, f.component_ids)
            assert out.scores_after.pillar(f.pillar) >= out.scores_before.pillar(f.pillar)
