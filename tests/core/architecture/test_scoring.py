"""Scoring arithmetic (docs/scoring.md): deductions by severity, diminishing repetition, floor, weights."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.architecture.findings import Finding, Pillar, Severity
from workbench.architecture.scoring import PILLAR_WEIGHTS, SEVERITY_POINTS, deductions, rule_deduction, score


def f(rule: str = "REL-001", sev: Severity = Severity.high, pillar: Pillar = Pillar.reliability,
      comp: str = "a", waived: bool = False) -> Finding:
    return Finding(rule_id=rule, pillar=pillar, severity=sev, component_ids=[comp], title_key="t",
                   rationale_key="r", recommendation_key="m", reference="https://x", waived=waived)


def test_no_findings_scores_100() -> None:
    s = score([])
    assert (
        s.overall == pytest.approx(100.0)
        and all(s.pillar(p) == pytest.approx(100.0) for p in Pillar)
        and s.deductions == []
    )


def test_single_high_costs_15() -> None:
    s = score([f()])
    assert s.reliability == pytest.approx(85.0)
    assert s.overall == pytest.approx(100 - 0.30 * 15, abs=0.05)  # 95.5


def test_repetition_halves_each_time() -> None:
    # 15 + 7.5 + 3.75 = 26.25 for three high findings of one rule (docs/scoring.md worked example)
    assert rule_deduction([f(comp=c) for c in "abc"]) == pytest.approx(26.25)
    s = score([f(comp=c) for c in "abc"] + [f(rule="REL-009")])
    # 100 − 26.25 − 15 = 58.75 → 58.8; overall = 0.30 × 58.8 + 0.70 × 100 = 87.64 → 87.6
    assert s.reliability == pytest.approx(58.8)
    assert s.overall == pytest.approx(87.6)
    assert s.band(Pillar.reliability) == "poor" and s.band() == "good"


def test_worst_first_within_a_rule() -> None:
    # critical 25 first, then the medium at half weight: 25 + 8 × 0.5 = 29
    assert rule_deduction([f(sev=Severity.medium), f(sev=Severity.critical, comp="b")]) == pytest.approx(29.0)


def test_floor_at_zero_and_pillars_are_separate() -> None:
    many = [f(rule=f"REL-{i:03d}", sev=Severity.critical) for i in range(10)]
    s = score([*many, f(rule="SEC-001", pillar=Pillar.security, sev=Severity.low)])
    assert (
        s.reliability == pytest.approx(0.0)
        and s.security == pytest.approx(97.0)
        and s.performance == pytest.approx(100.0)
    )


def test_waived_and_info_cost_nothing() -> None:
    s = score([f(waived=True), f(rule="COST-004", sev=Severity.info, pillar=Pillar.cost)])
    assert s.overall == pytest.approx(100.0)
    assert [d.rule_id for d in deductions([f(waived=True)])] == []


def test_deductions_are_explained() -> None:
    d = deductions([f(comp="b"), f(comp="a"), f(rule="OPS-005", sev=Severity.medium, pillar=Pillar.operations)])
    assert [(x.rule_id, x.count, x.points, x.component_ids) for x in d] == [
        ("REL-001", 2, 22.5, ["a", "b"]),
        ("OPS-005", 1, 8.0, ["a"]),
    ]


def test_weights_sum_to_one_and_reliability_heaviest() -> None:
    assert sum(PILLAR_WEIGHTS.values()) == pytest.approx(1.0)
    assert max(PILLAR_WEIGHTS, key=lambda p: PILLAR_WEIGHTS[p]) == Pillar.reliability


finding_st = st.builds(
    f,
    rule=st.sampled_from(["REL-001", "REL-002", "SEC-001", "PERF-001", "OPS-001", "COST-001"]),
    sev=st.sampled_from(list(Severity)),
    pillar=st.sampled_from(list(Pillar)),
    comp=st.sampled_from(["a", "b", "c", "d"]),
)


@given(st.lists(finding_st, max_size=30), finding_st)
def test_scores_bounded_and_monotonic(findings: list[Finding], extra: Finding) -> None:
    before, after = score(findings), score([*findings, extra])
    for p in Pillar:
        assert 0.0 <= after.pillar(p) <= before.pillar(p) <= 100.0
    assert after.overall <= before.overall + 1e-9


@given(st.lists(st.sampled_from(list(Severity)), min_size=1, max_size=50))
def test_one_rule_costs_less_than_twice_its_worst(sevs: list[Severity]) -> None:
    group = [f(sev=s, comp=str(i)) for i, s in enumerate(sevs)]
    worst = max(SEVERITY_POINTS[s] for s in sevs)
    assert rule_deduction(group) <= 2 * worst
