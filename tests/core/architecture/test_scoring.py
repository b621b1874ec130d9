"""Scoring arithmetic (docs/scoring.md): risk shares by severity × criticality, product form, marginal costs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.architecture.findings import Finding, Pillar, Severity
from workbench.architecture.scoring import (
    CRITICALITY_FACTOR,
    PILLAR_WEIGHTS,
    SEVERITY_SHARE,
    deductions,
    finding_cost,
    pillar_score,
    score,
)


def f(rule: str = "REL-001", sev: Severity = Severity.high, pillar: Pillar = Pillar.reliability,
      comp: str = "a", waived: bool = False, weight: float = 1.0) -> Finding:
    return Finding(rule_id=rule, pillar=pillar, severity=sev, component_ids=[comp], title_key="t",
                   rationale_key="r", recommendation_key="m", reference="https://x", waived=waived, weight=weight)


def test_no_findings_scores_100() -> None:
    s = score([])
    assert all(s.pillar(p) == pytest.approx(100.0) for p in Pillar)
    assert s.overall == pytest.approx(100.0)
    assert s.deductions == []


def test_one_critical_spof_costs_a_quarter_and_ten_read_differently() -> None:
    one = score([f(sev=Severity.critical)])
    assert one.reliability == pytest.approx(75.0)
    two = score([f(sev=Severity.critical, comp=c) for c in "ab"])
    assert two.reliability == pytest.approx(56.2, abs=0.1)  # 100 × 0.75²
    ten = score([f(sev=Severity.critical, comp=str(i)) for i in range(10)])
    assert ten.reliability == pytest.approx(100 * 0.75**10, abs=0.05)
    assert 0 < ten.reliability < two.reliability < one.reliability


def test_criticality_scales_the_share() -> None:
    low = score([f(sev=Severity.critical, weight=CRITICALITY_FACTOR["low"])])
    assert low.reliability == pytest.approx(100 * (1 - SEVERITY_SHARE[Severity.critical] * 0.3), abs=0.05)
    assert low.reliability > score([f(sev=Severity.critical)]).reliability


def test_cost_is_what_fixing_gives_back() -> None:
    findings = [f(sev=Severity.critical, comp="a"), f(sev=Severity.high, comp="b"), f("REL-002", Severity.medium)]
    s = score(findings)
    for x in findings:
        rest = [y for y in findings if y is not x]
        assert finding_cost(s, x) == pytest.approx(pillar_score(rest) - pillar_score(findings), abs=1e-3)
    rel1 = next(d for d in s.deductions if d.rule_id == "REL-001")
    assert rel1.count == 2 and rel1.component_ids == ["a", "b"]
    assert rel1.points == pytest.approx(pillar_score(findings[2:]) - pillar_score(findings), abs=1e-3)
    assert [c.component_ids for c in rel1.findings] == [["a"], ["b"]]  # largest cost first


def test_waived_and_info_cost_nothing_and_pillars_are_separate() -> None:
    s = score([f(sev=Severity.critical, waived=True), f(sev=Severity.info, comp="b"),
               f("SEC-001", Severity.high, Pillar.security)])
    assert s.reliability == pytest.approx(100.0)
    assert s.security == pytest.approx(85.0)
    assert [d.rule_id for d in deductions([f(waived=True)])] == []


def test_weights_sum_to_one_and_reliability_heaviest() -> None:
    assert sum(PILLAR_WEIGHTS.values()) == pytest.approx(1.0)
    assert max(PILLAR_WEIGHTS, key=lambda p: PILLAR_WEIGHTS[p]) == Pillar.reliability


finding_st = st.builds(
    f,
    rule=st.sampled_from(["REL-001", "REL-002", "SEC-001", "PERF-001", "OPS-001", "COST-001"]),
    sev=st.sampled_from(list(Severity)),
    pillar=st.sampled_from(list(Pillar)),
    comp=st.sampled_from(["a", "b", "c", "d"]),
    weight=st.sampled_from(list(CRITICALITY_FACTOR.values())),
)


@given(st.lists(finding_st, max_size=40), finding_st)
def test_scores_bounded_and_monotonic(findings: list[Finding], extra: Finding) -> None:
    before, after = score(findings), score([*findings, extra])
    for p in Pillar:
        assert 0.0 < after.pillar(p) <= before.pillar(p) <= 100.0
    assert after.overall <= before.overall + 1e-9
    # removing ``extra`` again gives back exactly its cost (rounding to one decimal aside)
    gain = before.pillar(extra.pillar) - after.pillar(extra.pillar)
    assert gain == pytest.approx(finding_cost(after, extra) if not extra.waived else 0.0, abs=0.11)
