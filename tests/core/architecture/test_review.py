"""review_architecture: waivers (active, expired, wildcard), ordering, thresholds, JSON round trip."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.architecture.test_rules import TODAY, build, setc, sub
from workbench.architecture.findings import Severity
from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.review import Review, review_architecture
from workbench.architecture.synthetic import generate_architecture
from workbench.errors import InputError


def _no_backup_with_waiver(**waiver: Any) -> Review:
    def mutate(d: dict[str, Any]) -> None:
        setc("db", backup=None)(d)
        d["waivers"] = [{"rule": "REL-009", "reason": "backups by the DBA team's own tool", **waiver}]
    return review_architecture(build(mutate), today=TODAY)


def test_active_waiver_moves_finding_apart_and_costs_nothing() -> None:
    review = _no_backup_with_waiver(component="db", until="2027-01-01")
    assert [f.rule_id for f in review.findings] == []
    assert [(f.rule_id, f.waived, f.waiver_reason) for f in review.waived] == [
        ("REL-009", True, "backups by the DBA team's own tool")
    ]
    assert review.scores.overall == pytest.approx(100.0)


def test_waiver_without_component_or_date_covers_all() -> None:
    review = _no_backup_with_waiver()
    assert [f.rule_id for f in review.waived] == ["REL-009"] and review.findings == []


def test_waiver_for_other_component_does_not_apply() -> None:
    review = _no_backup_with_waiver(component="cache")
    assert "REL-009" in [f.rule_id for f in review.findings]


def test_expired_waiver_no_longer_applies_and_is_reported() -> None:
    review = _no_backup_with_waiver(component="db", until="2026-11-24")
    ids = [f.rule_id for f in review.findings]
    assert "REL-009" in ids and "OPS-008" in ids and review.waived == []
    # valid on the day itself
    assert _no_backup_with_waiver(component="db", until="2026-11-25").waived


def test_findings_sorted_worst_first_and_threshold() -> None:
    review = review_architecture(build(setc("db", public=True, backup=None)), today=TODAY)
    ranks = [f.severity.rank for f in review.findings]
    assert ranks == sorted(ranks, reverse=True)
    assert [f.rule_id for f in review.at_least(Severity.critical)] == ["SEC-001"]
    assert {f.rule_id for f in review.at_least(Severity.high)} == {"SEC-001", "REL-009"}


def test_review_is_json_serialisable() -> None:
    review = review_architecture(build(sub("db", "backup", encrypted=False)), today=TODAY)
    again = Review.model_validate_json(review.model_dump_json())
    assert again.findings == review.findings and again.scores == review.scores


def test_today_defaults_to_the_current_date() -> None:
    assert review_architecture(build()).reviewed_on == dt.date.today()


# --- properties over random designs -------------------------------------------------------------------------


AZS = ["ap-guangzhou-3", "ap-guangzhou-4", "ap-shanghai-2"]
FLAGS = ["public", "auth", "waf", "encryption_in_transit", "encryption_at_rest"]


@st.composite
def random_design(draw: st.DrawFn) -> dict[str, Any]:
    import copy

    from tests.core.architecture.test_rules import BASE

    d = copy.deepcopy(BASE)
    for c in d["components"]:
        azs = draw(st.lists(st.sampled_from(AZS), min_size=1, max_size=3, unique=True))
        c["placement"] = [{"az": az, "count": draw(st.integers(1, 3))} for az in azs]
        c["ha_mode"] = draw(st.sampled_from(["none", "primary_standby", "multi_az", "cluster", "active_active"]))
        c["failover"] = {"mode": draw(st.sampled_from(["automatic", "manual"]))}
        for flag in FLAGS:
            c[flag] = draw(st.booleans())
        c["monitoring"] = {k: draw(st.booleans()) for k in ("metrics", "alerting", "tracing", "logging")}
        if draw(st.booleans()):
            c.pop("backup", None)
        c.pop("autoscaling", None) if draw(st.booleans()) else None
    for x in d["links"]:
        x["mode"] = draw(st.sampled_from(["sync", "async"]))
        x["retries"] = draw(st.integers(0, 3))
        x["circuit_breaker"] = draw(st.booleans())
        if draw(st.booleans()):
            x.pop("timeout_ms", None)
    if draw(st.booleans()):
        d["links"].append({"from": "db", "to": "app"})  # a cycle
    return d


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_design())
def test_review_of_any_design_is_well_formed(data: dict[str, Any]) -> None:
    from workbench.architecture.model import Architecture

    arch = Architecture.model_validate(data)
    review = review_architecture(arch, today=TODAY)
    ids = set(arch.components_by_id)
    for f in review.findings:
        assert set(f.component_ids) <= ids
        assert not any("{" in v for v in f.text("zh-CN").values())
    assert 0 <= review.scores.overall <= 100
    for f in [f for f in review.findings if fixable(f)][:8]:
        try:
            out = apply_fix(arch, f, today=TODAY, before=review)
        except InputError as err:
            assert err.key == "errors.review.fix_not_applicable"
            continue
        assert out.resolved, (f.rule_id, f.component_ids, out.diff)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_synthetic_architectures_review(seed: int) -> None:
    arch = generate_architecture(300, seed=seed)
    review = review_architecture(arch, today=TODAY)
    assert review.findings and 0 <= review.scores.overall <= 100
