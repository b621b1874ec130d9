"""The chain: forecast peak → sizing → capacity on the architecture → review with capacity findings."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from workbench.architecture.loader import load_architecture
from workbench.errors import InputError
from workbench.store import open_store
from workbench.workshop.chain import ChainSettings, compute_chain, suggest_mapping
from workbench.workshop.models import WorkshopMeta

SINGLE_AZ = (ROOT / "sample_data" / "architectures" / "single_az.yaml").read_text(encoding="utf-8")
TIERS = [
    {"name": "web", "service_ms": 12.0, "service_cv": 1.0, "arrival_cv": 1.0, "workers": 8, "price_per_hour": 0.35,
     "visit_ratio": 1.0},
    {"name": "db", "service_ms": 4.0, "service_cv": 0.5, "arrival_cv": 1.0, "workers": 4, "price_per_hour": 2.4,
     "visit_ratio": 2.0},
]


def _forecast_doc(point: float, p80: float, p95: float) -> dict:
    return {"peak": {"scenario": "double11", "series_name": "qps", "unit": "QPS", "horizon_days": 30,
                     "peak": {"point": point, "p80": p80, "p95": p95, "low95": point * 0.8, "high95": p95 * 1.1},
                     "peak_time": "2026-11-11T21:00:00+08:00", "peak_day": "2026-11-11", "model": "multi_seasonal",
                     "origin": "2026-11-01T00:00:00+08:00"}}


@pytest.fixture
def workshop():
    store = open_store()
    ws = store.create(WorkshopMeta(title="chain"))
    v = store.put_artefact(ws.id, ws.version, "sizing", "peak", {
        "inputs": {"peak": 500.0, "slo_ms": 150.0, "q": 0.99, "cap": 0.7, "azs": 2, "scenario": "peak"},
        "tiers": TIERS})
    v = store.put_artefact(ws.id, v, "architecture", "v001", {"yaml": SINGLE_AZ, "name": "single"})
    store.put_artefact(ws.id, v, "forecast", "qps-double11", _forecast_doc(6000.0, 6600.0, 7200.0))
    return store, store.get(ws.id)


def test_forecast_peak_at_the_chosen_quantile_drives_the_sizing(workshop):
    _, ws = workshop
    p95 = compute_chain(ws, ChainSettings(quantile="p95"))
    point = compute_chain(ws, ChainSettings(quantile="point"))
    assert p95.peak_rps == pytest.approx(7200.0) and point.peak_rps == pytest.approx(6000.0)
    assert p95.provenance.peak_source == "forecast" and p95.provenance.scenario == "double11"
    web95 = next(r for r in p95.sizing if r.tier == "web")
    web_pt = next(r for r in point.sizing if r.tier == "web")
    assert web95.required_instances >= web_pt.required_instances
    # utilisation cap binds for web at 7,200 req/s: 7,200 × 0.012 s / (8 workers × 0.7) = 15.4 → 16 instances
    assert web95.required_instances >= 16


def test_loads_and_capacity_findings_join_the_review(workshop):
    _, ws = workshop
    result = compute_chain(ws, ChainSettings(quantile="p95"))
    web = next(load for load in result.loads if load.component_id == "web")
    arch = load_architecture(SINGLE_AZ)
    assert web.current_instances == next(c.replicas for c in arch.components if c.id == "web")
    assert web.enough is False  # the single-AZ template is far below 16 web instances
    assert web.utilisation_at_peak is not None and web.utilisation_at_peak > 1.0
    assert all(loss.instances_left == 0 for loss in web.az_loss)  # one AZ holds everything
    rules = {f.rule_id for f in result.review.findings}
    assert any(r.startswith("CAP") for r in rules)


def test_without_forecast_the_typed_peak_is_used():
    store = open_store()
    ws = store.create(WorkshopMeta(title="typed"))
    store.put_artefact(ws.id, ws.version, "sizing", "s", {"inputs": {"peak": 500.0, "slo_ms": 150.0, "q": 0.99,
                                                                      "cap": 0.7, "azs": 1}, "tiers": TIERS})
    result = compute_chain(store.get(ws.id))
    assert result.peak_rps == pytest.approx(500.0) and result.provenance.peak_source == "sizing"
    assert result.review is None and result.loads == []


def test_no_sizing_is_a_clear_message():
    store = open_store()
    ws = store.create(WorkshopMeta(title="empty"))
    with pytest.raises(InputError) as info:
        compute_chain(ws)
    assert info.value.key == "errors.chain.no_sizing"


def test_changing_an_input_recomputes_and_unchanged_inputs_are_cached(workshop):
    store, ws = workshop
    first = compute_chain(ws)
    assert compute_chain(store.get(ws.id)) is first  # same documents: memoised
    store.put_artefact(ws.id, ws.version, "forecast", "qps-double11", _forecast_doc(9000.0, 9900.0, 10800.0))
    second = compute_chain(store.get(ws.id))
    assert second is not first and second.peak_rps == pytest.approx(10800.0)


def test_suggested_mapping_by_id_then_type():
    arch = load_architecture(SINGLE_AZ)
    mapping = suggest_mapping(["web", "db", "cache", "unknown-tier"], arch)
    assert mapping["web"] == "web" and mapping["db"] == "mysql" and mapping["cache"] == "redis"
    assert "unknown-tier" not in mapping


ACTIVE_ACTIVE = (ROOT / "sample_data" / "architectures" / "same_city_active_active.yaml").read_text(encoding="utf-8")


def _active_active_chain(peak: float, azs: int):
    """The chain of the same-city active-active template (two AZs) with the sizing spread over ``azs`` AZs."""
    store = open_store()
    ws = store.create(WorkshopMeta(title=f"{azs} AZs"))
    v = store.put_artefact(ws.id, ws.version, "sizing", "peak", {
        "inputs": {"peak": peak, "slo_ms": 150.0, "q": 0.99, "cap": 0.7, "azs": azs, "scenario": "peak"},
        "tiers": TIERS})
    store.put_artefact(ws.id, v, "architecture", "v001", {"yaml": ACTIVE_ACTIVE, "name": "aa"})
    return compute_chain(store.get(ws.id))


def test_az_loss_need_is_the_need_at_the_peak_not_the_total_to_provision():
    """CAP-002's "needs N", the AZ-loss column's "left / needed" and the facts agree; the AZ-headroom total is
    its own figure (what CAP-003 asks the autoscaling maximum to reach)."""
    result = _active_active_chain(peak=6000.0, azs=3)
    findings = {f.component_ids[0]: f for f in result.review.findings if f.rule_id == "CAP-002"}
    assert findings
    for load in result.loads:
        sized = next(r for r in result.sizing if r.tier == load.tier)
        fact = result.capacity_facts[load.component_id]
        assert fact.required_after_az_loss == load.required_instances == sized.required_instances
        assert fact.provisioned_for_az_loss == load.provisioned_for_az_loss == sized.instances_with_az_loss
        assert fact.provisioned_for_az_loss > fact.required_after_az_loss  # three AZs: the total is larger
        assert {a.required for a in load.az_loss} == {load.required_instances}
        if load.component_id in findings:
            f = findings[load.component_id]
            assert f.params["required"] == load.required_instances
            assert f"needs {load.required_instances} " in f.text("en")["rationale"]


def test_a_sizing_over_more_azs_than_the_architecture_uses_is_named():
    # same_city_active_active runs in two AZs; a sizing spread over 3 describes another deployment
    arch = load_architecture(ACTIVE_ACTIVE)
    result = _active_active_chain(peak=600.0, azs=3)
    mismatches = result.az_mismatches()
    assert mismatches and set(mismatches) == {load.component_id for load in result.loads}
    for comp_id, zones in mismatches.items():
        comp = next(c for c in arch.components if c.id == comp_id)
        assert zones == sorted({p.az for p in comp.placement if p.az}) and len(zones) == 2
    two = result.model_copy(update={"azs": 2})
    assert two.az_mismatches() == {}
