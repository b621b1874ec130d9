"""Fixes: each fixable rule's fix resolves its finding on the rule test mutation, never mutates the input,
and reports before/after scores, availability, RTO/RPO and a YAML diff."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.core.architecture.test_rules import CASES, GZ3, TODAY, build, setc
from workbench.architecture.findings import FixKind, FixSpec
from workbench.architecture.fixes import apply_fix, fixable, fixed_architecture
from workbench.architecture.model import Disruption
from workbench.architecture.review import review_architecture
from workbench.architecture.rules.base import registered
from workbench.errors import InputError

FIXABLE = [c for c in CASES if registered()[c[0]].fix_kind is not None]


@pytest.mark.parametrize(("rule_id", "mutate", "component"), FIXABLE, ids=[c[0] for c in FIXABLE])
def test_fix_resolves_its_finding(rule_id: str, mutate: Callable[[dict[str, Any]], None], component: str) -> None:
    arch = build(mutate)
    snapshot = copy.deepcopy(arch.model_dump())
    review = review_architecture(arch, today=TODAY)
    findings = [f for f in review.findings if f.rule_id == rule_id and fixable(f)]
    assert findings, f"{rule_id} declares a fix but its findings carry none"
    for finding in findings:
        outcome = apply_fix(arch, finding, today=TODAY, before=review)
        assert outcome.resolved, (rule_id, outcome.diff)
        assert outcome.diff and outcome.diff[0].startswith("--- before.yaml")
        assert outcome.scores_after.pillar(finding.pillar) >= outcome.scores_before.pillar(finding.pillar)
        assert outcome.architecture is not arch
    assert arch.model_dump() == snapshot  # the input is never mutated


def test_spof_database_fix_improves_availability_and_az_recovery() -> None:
    # a single-node MySQL in one AZ: REL-001 offers multi-AZ HA with automatic failover
    arch = build(setc("db", placement=[{"az": GZ3, "count": 1}], ha_mode="none", replication=None))
    review = review_architecture(arch, today=TODAY)
    spof = next(f for f in review.findings if f.rule_id == "REL-001")
    assert spof.fix is not None and spof.fix.kind == FixKind.multi_az_ha
    out = apply_fix(arch, spof, today=TODAY)
    db = out.architecture.component("db")
    assert db is not None and db.ha_mode == "multi_az" and len(db.azs) == 2 and db.replicas == 2
    assert out.availability_after["checkout"] > out.availability_before["checkout"]
    assert not out.recovery_before[Disruption.AZ].meets_rto or not out.recovery_before[Disruption.AZ].meets_rpo
    assert out.recovery_after[Disruption.AZ].meets_rto and out.recovery_after[Disruption.AZ].meets_rpo
    assert out.scores_after.reliability > out.scores_before.reliability
    assert any(line.startswith("+") and "ap-guangzhou-4" in line for line in out.diff)


def test_spread_fix_not_offered_without_spare_az_and_a_clear_error_if_forced() -> None:
    def one_az_region(d: dict[str, Any]) -> None:
        d["regions"] = [{"id": "r", "azs": [{"id": "only"}]}]
        for c in d["components"]:
            c["placement"] = [{"az": "only", "count": 1}]
        d["components"][1]["autoscaling"] = None
    arch = build(one_az_region)
    spof = next(f for f in review_architecture(arch, today=TODAY).findings if f.rule_id == "REL-001")
    assert spof.fix is None  # the region declares no other AZ: the spread fix does not apply, so none is offered
    finding = spof.model_copy(update={"fix": FixSpec(kind=FixKind.add_replica_other_az)})
    with pytest.raises(InputError) as err:
        fixed_architecture(arch, finding)
    assert err.value.key == "errors.review.fix_not_applicable"
    assert "AZ" in err.value.translate("en")


def test_finding_without_fix_is_refused() -> None:
    arch = build(setc("app", public=True))
    finding = next(f for f in review_architecture(arch, today=TODAY).findings if f.rule_id == "SEC-009")
    assert not fixable(finding)
    with pytest.raises(InputError) as err:
        apply_fix(arch, finding, today=TODAY)
    assert err.value.key == "errors.review.not_fixable"


def test_timeout_fix_respects_the_callers_timeout() -> None:
    # lb→app has 3000 ms; the fix on app→db (latency 10 ms, no retries) gives 5 × 10 = 50 → 100 ms minimum
    def no_timeout(d: dict[str, Any]) -> None:
        next(x for x in d["links"] if x["to"] == "db").pop("timeout_ms")
    arch = build(no_timeout)
    finding = next(f for f in review_architecture(arch, today=TODAY).findings if f.rule_id == "PERF-002")
    new = fixed_architecture(arch, finding)
    assert next(x for x in new.links if x.target == "db").timeout_ms == pytest.approx(100.0)
