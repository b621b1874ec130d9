"""Sizing solver: constraints, AZ loss, infeasible SLOs, USL tiers, costs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.erlang import mmc
from workbench.capacity.models import BindingConstraint, LatencySLO, TierModel, TierSpec
from workbench.capacity.sizing import az_spread, size_tiers
from workbench.errors import InputError

SLO = LatencySLO(percentile=0.99, target=0.1)


def test_fewest_instances_meet_both_constraints() -> None:
    tier = TierSpec(name="web", service_time=0.02, workers_per_instance=8, price_per_hour=0.5)
    (res,) = size_tiers(1200.0, [tier], SLO, util_cap=0.7, azs=3)
    n = res.required_instances
    assert res.feasible and n is not None
    # n meets both: utilisation ≤ 70 % and M/M/c P99 ≤ 100 ms; n − 1 fails one of them.
    ok = mmc(1200.0, 0.02, n * 8)
    assert ok.utilisation <= 0.7 and ok.response_percentiles[0.99] <= 0.1
    worse = mmc(1200.0, 0.02, (n - 1) * 8)
    assert worse.utilisation > 0.7 or not worse.stable or worse.response_percentiles[0.99] > 0.1
    assert res.binding is BindingConstraint.UTILISATION
    assert res.cost_per_hour == pytest.approx(0.5 * n)
    assert res.instances_with_az_loss == 8 and res.per_az == [3, 3, 2]


def test_latency_binds_for_single_worker_instances() -> None:
    tier = TierSpec(name="api", service_time=0.015, workers_per_instance=1)
    (res,) = size_tiers(100.0, [tier], SLO, util_cap=0.9, azs=2)
    assert res.binding is BindingConstraint.LATENCY
    assert res.latency_at_peak <= 0.1
    assert res.instances_with_az_loss == 2 * res.required_instances


def test_slo_below_service_time_is_infeasible_with_reason() -> None:
    # Exponential service with mean 80 ms has P99 = 80·ln 100 ≈ 368 ms > 100 ms: no count can help.
    (res,) = size_tiers(50.0, [TierSpec(name="slow", service_time=0.08)], SLO, 0.7, 3)
    assert not res.feasible and res.reason_key == "capacity.sizing.reason.slo_below_service"
    assert res.reason_params["floor_ms"] == pytest.approx(80 * math.log(100))
    assert res.required_instances is None


def test_usl_tier() -> None:
    tier = TierSpec(name="svc", model=TierModel.USL, usl_sigma=0.04, usl_kappa=0.0008, usl_lambda=118.0)
    (res,) = size_tiers(5000.0, [tier], SLO, 0.7, 1)
    peak_n = math.sqrt(0.96 / 0.0008)
    x_peak = 118 * peak_n / (1 + 0.04 * (peak_n - 1) + 0.0008 * peak_n * (peak_n - 1))
    assert res.instances_for_utilisation == math.ceil(5000 / (0.7 * x_peak))
    assert res.latency_is_mean and res.instances_with_az_loss is None


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"peak_rps": -5.0}, "errors.capacity.field_not_positive"),
        ({"peak_rps": float("nan")}, "errors.capacity.field_not_number"),
        ({"peak_rps": 1e300}, "errors.capacity.field_too_large"),
        ({"util_cap": 1.0}, "errors.capacity.util_cap_range"),
        ({"azs": 0}, "errors.capacity.azs_range"),
    ],
)
def test_bad_sizing_inputs(kwargs: dict[str, float], key: str) -> None:
    args = {"peak_rps": 100.0, "tiers": [TierSpec(name="a", service_time=0.01)], "slo": SLO, "util_cap": 0.7, "azs": 2}
    args |= kwargs
    with pytest.raises(InputError) as err:
        size_tiers(**args)  # type: ignore[arg-type]
    assert err.value.key == key


@settings(max_examples=40, deadline=None)
@given(required=st.integers(1, 500), azs=st.integers(2, 6))
def test_az_spread_survives_loss(required: int, azs: int) -> None:
    total, per_az = az_spread(required, azs)
    assert total is not None and sum(per_az) == total
    assert total - max(per_az) >= required
    assert (total - 1) - math.ceil((total - 1) / azs) < required  # and it is the smallest such count


@settings(max_examples=25, deadline=None)
@given(rate=st.floats(1.0, 5000.0), s=st.floats(0.001, 0.02), cv=st.floats(0.2, 2.0))
def test_more_load_never_needs_fewer_instances(rate: float, s: float, cv: float) -> None:
    tier = TierSpec(name="t", service_time=s, service_cv=cv, workers_per_instance=4)
    (a,) = size_tiers(rate, [tier], SLO, 0.7, 2)
    (b,) = size_tiers(rate * 1.5, [tier], SLO, 0.7, 2)
    if a.feasible and b.feasible:
        assert b.required_instances >= a.required_instances


# ------------------------------------------------- sizing by blocking, mean wait, occupancy and shrinkage


def test_tier_sized_by_blocking_uses_erlang_b() -> None:
    from workbench.capacity.loss import servers_for_blocking
    from workbench.capacity.models import BindingConstraint, LatencySLO, TierSpec
    from workbench.capacity.sizing import size_tiers

    # a licence/connection tier: 10 erlangs on 2 workers per instance, at most 1 % refused; the Erlang B
    # table gives 18 servers for 10 erlangs at 1 % (Iversen 2015), i.e. 9 instances
    tier = TierSpec(name="conn", service_time=0.1, workers_per_instance=2, max_blocking=0.01)
    res = size_tiers(100.0, [tier], LatencySLO(percentile=0.99, target=5.0), 0.95)[0]
    assert servers_for_blocking(10.0, 0.01) == 18
    assert res.instances_for_blocking == 9 and res.binding is BindingConstraint.BLOCKING
    assert res.blocking_at_peak is not None and res.blocking_at_peak <= 0.01


def test_tier_with_bounded_queue_blocks_less_than_without() -> None:
    from workbench.capacity.models import LatencySLO, TierSpec
    from workbench.capacity.sizing import size_tiers

    slo = LatencySLO(percentile=0.99, target=5.0)
    no_queue = TierSpec(name="a", service_time=0.1, workers_per_instance=2, max_blocking=0.001)
    queued = no_queue.model_copy(update={"queue_per_instance": 8})
    a, b = (size_tiers(100.0, [t], slo, 0.95)[0] for t in (no_queue, queued))
    assert b.instances_for_blocking is not None and a.instances_for_blocking is not None
    assert b.instances_for_blocking <= a.instances_for_blocking


def test_tier_sized_by_mean_wait_and_shrinkage() -> None:
    from workbench.capacity.erlang import erlang_c
    from workbench.capacity.models import BindingConstraint, LatencySLO, TierSpec
    from workbench.capacity.sizing import size_tiers

    tier = TierSpec(name="api", service_time=0.2, workers_per_instance=1, asa_target=0.002, shrinkage=0.25)
    res = size_tiers(40.0, [tier], LatencySLO(percentile=0.5, target=10.0), 0.95)[0]
    n = res.instances_for_asa
    assert n is not None and res.binding is BindingConstraint.ASA
    assert erlang_c(n, 8.0) * 0.2 / (n - 8.0) <= 0.002 < erlang_c(n - 1, 8.0) * 0.2 / (n - 1 - 8.0)
    assert res.provisioned_instances == math.ceil(res.required_instances / 0.75)
    assert res.cost_per_hour is None


def test_load_out_of_reach_names_the_load() -> None:
    from workbench.capacity.models import LatencySLO, TierSpec
    from workbench.capacity.sizing import size_tiers

    res = size_tiers(1e9, [TierSpec(name="x", service_time=10.0)], LatencySLO(percentile=0.99, target=100.0))[0]
    assert not res.feasible and res.reason_key == "capacity.sizing.reason.load_too_large"
