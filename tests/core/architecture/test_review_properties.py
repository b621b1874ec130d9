"""Properties of the review an advisor has to defend (issue 11):

- applying any offered fix removes the finding it targets and never lowers any score, and raises its pillar by at
  least the points the finding cost (hypothesis over every rule's mutation of the clean base, singly and combined);
- removing redundancy never raises the reliability score nor any journey's availability;
- golden ordering of the three homework templates.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.core.architecture.test_rules import BASE, CASES, TODAY, Data
from workbench.architecture.findings import Pillar
from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.loader import load_architecture
from workbench.architecture.model import Architecture, Disruption
from workbench.architecture.review import Review, review_architecture
from workbench.architecture.scoring import finding_cost

TEMPLATES = Path(__file__).resolve().parents[3] / "sample_data" / "architectures"
TOL = 0.11  # scores are rounded to one decimal


@cache
def template(name: str) -> Architecture:
    path = TEMPLATES / f"{name}.yaml"
    return load_architecture(path.read_bytes(), path.name)


@cache
def template_review(name: str) -> Review:
    return review_architecture(template(name), today=TODAY)


def _mutated(indices: tuple[int, ...]) -> Architecture | None:
    data: Data = copy.deepcopy(BASE)
    try:
        for i in indices:
            CASES[i][1](data)
        ids = [c["id"] for c in data["components"]]
        if len(ids) != len(set(ids)):
            return None  # the loader rejects duplicate ids; model_validate alone does not
        return Architecture.model_validate(data)
    except (ValueError, KeyError, StopIteration):
        return None  # two mutations that do not compose (e.g. both add the same component id)


def _check_every_fix(arch: Architecture, today: dt.date = TODAY) -> int:
    before = review_architecture(arch, today=today)
    checked = 0
    for f in before.findings:
        if not fixable(f):
            continue
        out = apply_fix(arch, f, today=today, before=before)
        assert out.resolved, f"{f.rule_id} {f.component_ids}: fix {f.fix} left the finding"
        for p in Pillar:
            assert out.scores_after.pillar(p) >= out.scores_before.pillar(p) - TOL, (
                f"{f.rule_id} fix lowered {p.value}: {out.scores_before.pillar(p)} → {out.scores_after.pillar(p)}")
        # Its pillar gains what the finding cost, less what any follow-up finding the fix opens costs (e.g. a new
        # backup that was never restore-tested): those are listed with their own cost after the fix.
        after = review_architecture(out.architecture, today=today)
        old_keys = {x.key for x in before.findings}
        follow_up = sum(finding_cost(after.scores, x) for x in after.findings
                        if x.key not in old_keys and x.pillar == f.pillar)
        gain = out.scores_after.pillar(f.pillar) - out.scores_before.pillar(f.pillar)
        assert gain >= finding_cost(before.scores, f) - follow_up - TOL, (f.rule_id, gain, follow_up)
        checked += 1
    return checked


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, len(CASES) - 1), min_size=1, max_size=3, unique=True))
@example(indices=[8, 0])  # no backup + SPOF db: the new backup must honour the RPO and copy to another region
@example(indices=[7, 1])  # manual db failover + app in one AZ: the AZ SPOF must not hide the slow failover
@example(indices=[38, 57])  # public db without logs: making it private must not move the log risk to operations
@example(indices=[27, 35])  # new lb→app timeout must exceed app's own (slow) downstream timeouts: no PERF-003
def test_every_offered_fix_removes_its_finding_and_never_lowers_a_score(indices: list[int]) -> None:
    arch = _mutated(tuple(indices))
    if arch is not None:
        _check_every_fix(arch)


def test_every_fix_kind_is_exercised_on_the_mutations() -> None:
    kinds = set()
    for i in range(len(CASES)):
        arch = _mutated((i,))
        assert arch is not None
        kinds |= {f.fix.kind for f in review_architecture(arch, today=TODAY).findings if f.fix is not None}
    assert len(kinds) >= 15


@pytest.mark.parametrize("name", ["single_az", "same_city_active_active", "two_regions_three_dcs"])
def test_every_fix_on_the_templates(name: str) -> None:
    assert _check_every_fix(template(name)) >= 1


def _less_redundant(arch: Architecture, draw: Any) -> Architecture | None:
    doc = arch.model_dump(mode="json", by_alias=True)
    candidates = [(ci, pi) for ci, c in enumerate(doc["components"]) for pi, p in enumerate(c["placement"])
                  if p.get("az") and (p["count"] > 1 or len(c["placement"]) > 1)]
    if not candidates:
        return None
    ci, pi = draw(st.sampled_from(candidates))
    c = doc["components"][ci]
    if c["placement"][pi]["count"] > 1:
        c["placement"][pi]["count"] -= 1
    else:
        del c["placement"][pi]
    c["replicas"] = sum(p["count"] for p in c["placement"])
    if c.get("autoscaling"):
        c["autoscaling"]["min"] = min(c["autoscaling"]["min"], c["replicas"])
    if c.get("min_replicas_for_capacity"):
        c["min_replicas_for_capacity"] = min(c["min_replicas_for_capacity"], max(c["replicas"], 1))
    return Architecture.model_validate(doc)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["single_az", "same_city_active_active", "two_regions_three_dcs", "base"]), st.data())
def test_removing_redundancy_never_raises_reliability(name: str, data: st.DataObject) -> None:
    arch = Architecture.model_validate(copy.deepcopy(BASE)) if name == "base" else template(name)
    worse = _less_redundant(arch, data.draw)
    if worse is None:
        return
    before, after = review_architecture(arch, today=TODAY), review_architecture(worse, today=TODAY)
    assert after.scores.reliability <= before.scores.reliability + TOL
    avail_before = {a.journey_id: a.value for a in before.analysis.availability}
    for a in after.analysis.availability:
        assert a.value <= avail_before[a.journey_id] + 1e-12


def test_golden_ordering_of_the_templates() -> None:
    single, same_city, two_regions = (template_review(n) for n in
                                      ("single_az", "same_city_active_active", "two_regions_three_dcs"))
    assert single.scores.reliability < 40  # low: SPOFs, one AZ, no DR
    assert same_city.scores.reliability >= single.scores.reliability + 25  # clearly higher: survives an AZ
    assert two_regions.scores.reliability > same_city.scores.reliability + 25  # highest: survives a region
    assert single.scores.overall < same_city.scores.overall < two_regions.scores.overall
    az = [w for w in two_regions.analysis.whatif if w.disruption == Disruption.AZ]
    region = [w for w in two_regions.analysis.whatif if w.disruption == Disruption.REGION]
    assert az and all(w.meets_rto and w.rto_target == pytest.approx(15) for w in az)
    assert region and all(w.meets_rto and w.rto_target == pytest.approx(30) for w in region)
    # the single-region designs miss the region RTO: nothing to fail over to
    for r in (single, same_city):
        assert not any(w.meets_rto for w in r.analysis.whatif if w.disruption == Disruption.REGION)
