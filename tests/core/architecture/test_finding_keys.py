"""Finding keys: unique within a review (a rule firing twice on one component gets two keys), stable across
reviews, and old subject-less waivers, plan links and milestones still matching where they are unambiguous."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench.architecture.findings import Finding, subject_of
from workbench.architecture.loader import load_architecture
from workbench.architecture.model import Architecture, Waiver
from workbench.architecture.review import Review, review_architecture
from workbench.workshop.documents import Milestone, MilestoneFinding
from workbench.workshop.homework import FindingLink, HomeworkPlan, reconcile, take_findings
from workbench.workshop.milestones import compare

DAY = dt.date(2026, 11, 9)
NOW = dt.datetime(2026, 11, 9, 2, 30, tzinfo=dt.UTC)
SAMPLES = sorted((ROOT / "sample_data" / "architectures").glob("*.yaml"))


def _arch(path: Path) -> Architecture:
    return load_architecture(path.read_text(encoding="utf-8"))


def _review(arch: Architecture) -> Review:
    return review_architecture(arch, today=DAY)


def _twins(review: Review) -> list[list[Finding]]:
    """Findings sharing their old (rule, components) key, two or more per list."""
    by_old: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
    for f in review.findings:
        by_old.setdefault(f.legacy_key, []).append(f)
    return [fs for fs in by_old.values() if len(fs) > 1]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_keys_are_unique_and_stable(path: Path) -> None:
    arch = _arch(path)
    first, again = _review(arch), _review(_arch(path))
    keys = [f.key for f in [*first.findings, *first.waived]]
    assert not [k for k, n in Counter(keys).items() if n > 1]
    assert keys == [f.key for f in [*again.findings, *again.waived]]


def test_journey_firings_on_one_component_get_their_journey_as_subject() -> None:
    review = _review(_arch(ROOT / "sample_data" / "architectures" / "single_az.yaml"))
    twins = _twins(review)
    assert twins, "single_az fires REL-019 / OPS-003 once per journey on the same components"
    for fs in twins:
        assert len({f.subject for f in fs}) == len(fs)
        for f in fs:
            assert f.subject == subject_of(f.params) == f"journey={f.params['journey']}"


def test_subject_is_ids_only_never_measured_values() -> None:
    assert subject_of({"journey": "checkout", "value": "99.7", "target": "99.95"}) == "journey=checkout"
    assert subject_of({"target_id": "ap-1a", "estimate": 42.0}) == "target_id=ap-1a"
    assert subject_of({"estimate": 42.0, "journey": ""}) == ""


def _single_az() -> tuple[Architecture, Review, list[Finding]]:
    arch = _arch(ROOT / "sample_data" / "architectures" / "single_az.yaml")
    review = _review(arch)
    return arch, review, next(fs for fs in _twins(review) if fs[0].component_ids)


def test_old_waiver_without_subject_still_waives_every_firing() -> None:
    arch, _, twins = _single_az()
    rule, component = twins[0].rule_id, twins[0].component_ids[0]
    old = _review(arch.model_copy(update={"waivers": [Waiver(rule=rule, component=component, reason="accepted")]}))
    assert {f.key for f in twins} <= {f.key for f in old.waived}


def test_waiver_with_subject_waives_only_that_firing() -> None:
    arch, _, twins = _single_az()
    one, other = twins[0], twins[1]
    waiver = Waiver(rule=one.rule_id, component=one.component_ids[0], subject=one.subject, reason="accepted")
    after = _review(arch.model_copy(update={"waivers": [waiver]}))
    assert one.key in {f.key for f in after.waived} and one.key not in {f.key for f in after.findings}
    assert other.key in {f.key for f in after.findings}


def test_plan_links_carry_subjects_and_old_links_match_any_firing() -> None:
    _, review, twins = _single_az()
    plan = take_findings(HomeworkPlan(), review.findings, "en", NOW, rules=[twins[0].rule_id])
    links = plan.items[0].findings
    assert {(lk.rule_id, tuple(lk.components), lk.subject) for lk in links} >= {f.key for f in twins}
    only_one = [f for f in review.findings if f.key != twins[0].key]
    new_link = FindingLink(rule_id=twins[0].rule_id, components=twins[0].component_ids, subject=twins[0].subject)
    old_link = FindingLink(rule_id=twins[0].rule_id, components=twins[0].component_ids)
    assert new_link.matches(twins[0]) and not new_link.matches(twins[1])
    assert old_link.matches(twins[0]) and old_link.matches(twins[1])
    # the item stays active while any of its firings remains, and proposes done once all are gone
    assert not reconcile(plan, only_one, NOW).items[0].proposed_done
    gone = [f for f in review.findings if f.rule_id != twins[0].rule_id]
    assert reconcile(plan, gone, NOW).items[0].proposed_done


def _milestone(name: str, findings: list[MilestoneFinding]) -> Milestone:
    return Milestone(name=name, date=DAY, created_at=NOW, findings=findings)


def _mf(rule: str, comps: list[str], subject: str | None = None) -> MilestoneFinding:
    return MilestoneFinding(rule_id=rule, components=comps, severity="high", pillar="reliability", title=rule,
                            subject=subject)


def test_milestone_saved_before_subjects_matches_when_unambiguous() -> None:
    before = _milestone("v1", [_mf("REL-002", ["db"]), _mf("OPS-003", ["web"])])
    after = _milestone("v2", [_mf("REL-002", ["db"], "az=ap-1a"),
                              _mf("OPS-003", ["web"], "journey=browse"), _mf("OPS-003", ["web"], "journey=buy")])
    diff = compare(before, after)
    assert [f.key for f in diff.resolved] == ["OPS-003|web"]  # two firings now: no guess which one it was
    assert sorted(f.key for f in diff.new) == ["OPS-003|web|journey=browse", "OPS-003|web|journey=buy"]
    same = compare(after, _milestone("v3", list(after.findings)))
    assert not same.resolved and not same.new
