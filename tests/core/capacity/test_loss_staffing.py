"""Inverse Erlang B and staffing (SL, ASA, occupancy, shrinkage) against published tables and examples."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.erlang import erlang_b, erlang_c, mmc_service_level, staffing_for_service_level
from workbench.capacity.loss import load_for_blocking, servers_for_blocking
from workbench.capacity.staffing import StaffingBinding, agents_needed, staff
from workbench.errors import InputError

# Erlang B table (traffic in erlangs carried by c circuits at blocking B), as printed in e.g.
# V. B. Iversen, *Teletraffic Engineering and Network Planning* (DTU 2015), Erlang B table, and in
# every telephone-traffic handbook: two decimals.
ERLANG_B_TABLE = [
    (10, 0.001, 3.09), (10, 0.01, 4.46), (10, 0.02, 5.08), (20, 0.01, 12.03),
    (50, 0.01, 37.90), (100, 0.01, 84.06), (5, 0.05, 2.22), (30, 0.005, 19.03),
]


@pytest.mark.parametrize(("servers", "blocking", "load"), ERLANG_B_TABLE)
def test_load_for_blocking_matches_the_erlang_b_table(servers: int, blocking: float, load: float) -> None:
    assert load_for_blocking(servers, blocking) == pytest.approx(load, abs=0.006)


@pytest.mark.parametrize(("servers", "blocking", "load"), ERLANG_B_TABLE)
def test_servers_for_blocking_matches_the_erlang_b_table(servers: int, blocking: float, load: float) -> None:
    assert servers_for_blocking(load - 0.01, blocking) == servers
    assert servers_for_blocking(load + 0.02, blocking) == servers + 1


@settings(max_examples=60, deadline=None)
@given(load=st.floats(0.05, 50_000.0), target=st.floats(1e-6, 0.5))
def test_inverse_erlang_b_is_the_exact_inverse(load: float, target: float) -> None:
    c = servers_for_blocking(load, target)
    assert erlang_b(c, load) <= target
    assert c == 1 or erlang_b(c - 1, load) > target
    a = load_for_blocking(c, target)
    assert erlang_b(c, a) == pytest.approx(target, rel=1e-9)
    assert a >= load * (1 - 1e-12)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, math.nan, math.inf])
def test_blocking_target_out_of_range_is_refused(bad: float) -> None:
    with pytest.raises(InputError) as exc:
        servers_for_blocking(10.0, bad)
    assert exc.value.key == "errors.capacity.blocking_range"


def test_callcentrehelper_worked_example() -> None:
    # callcentrehelper.com, "Erlang C formula – made simple with an easy worked example": 100 calls in
    # 30 minutes, AHT 3 minutes (A = 10 erlangs), 80 % answered in 20 s.  Published steps: 11 agents give
    # P(wait) = 68.21 % and SL 39.0 %; 14 agents give SL 88.8 %, ASA 7.8 s, occupancy 71.4 %; with 30 %
    # shrinkage 20 agents are rostered.
    assert erlang_c(11, 10.0) == pytest.approx(0.6821, abs=5e-5)
    res = staff(100 / 1800, 180.0, wait_target=20.0, service_level=0.8, shrinkage=0.3)
    assert res.offered_load == pytest.approx(10.0)
    assert res.agents == 14 and res.scheduled == 20
    assert res.service_level == pytest.approx(0.888, abs=5e-4)
    assert res.asa == pytest.approx(7.8, abs=0.05)
    assert res.occupancy == pytest.approx(0.714, abs=5e-4)
    assert res.binding is StaffingBinding.SERVICE_LEVEL


def test_asa_and_occupancy_targets_bind_when_stricter() -> None:
    res = staff(100 / 1800, 180.0, wait_target=20.0, service_level=0.8, asa_target=3.0)
    assert res.binding is StaffingBinding.ASA and res.asa <= 3.0
    assert res.agents_for_asa is not None and res.agents == res.agents_for_asa
    c = res.agents - 1
    assert erlang_c(c, 10.0) * 180.0 / (c - 10.0) > 3.0  # one fewer misses the ASA
    res = staff(100 / 1800, 180.0, wait_target=20.0, service_level=0.8, max_occupancy=0.6)
    assert res.binding is StaffingBinding.OCCUPANCY and res.agents == 17 and res.occupancy <= 0.6


def test_no_target_gives_the_fewest_that_keep_up() -> None:
    res = staff(9.5 / 180, 180.0)
    assert res.agents == 10 and res.binding is StaffingBinding.STABILITY


@settings(max_examples=80, deadline=None)
@given(load=st.floats(0.01, 3_000.0), aht=st.floats(1.0, 600.0), t=st.floats(0.0, 120.0), level=st.floats(0.05, 0.99))
def test_staffing_search_agrees_with_bisection_at_every_size(load: float, aht: float, t: float, level: float) -> None:
    n, n_sl, _, _ = agents_needed(load / aht, aht, t, level)
    ref = staffing_for_service_level(load / aht, aht, t, level)
    if n_sl != ref:  # only where the service level equals the target to rounding (two formulas, two roundings)
        assert abs(n_sl - ref) == 1
        assert mmc_service_level(t, min(n_sl, ref), load / aht, aht) == pytest.approx(level, rel=1e-12, abs=1e-12)
        return
    assert n == max(n_sl or 0, math.floor(load) + 1)
    # the smallest count meeting the target (Kleinrock Vol. 1 §3.5 eq. 3.47 evaluated on its own)
    assert mmc_service_level(t, n_sl, load / aht, aht) >= level - 1e-12
    if n_sl - 1 > load:
        assert mmc_service_level(t, n_sl - 1, load / aht, aht) < level + 1e-12


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"wait_target": 20.0}, "errors.capacity.service_level_needs_both"),
        ({"asa_target": -1.0}, "errors.capacity.asa_target_not_positive"),
        ({"asa_target": math.nan}, "errors.capacity.asa_target_not_number"),
        ({"shrinkage": 1.0}, "errors.capacity.shrinkage_range"),
        ({"max_occupancy": 0.0}, "errors.capacity.occupancy_range"),
        ({"wait_target": 20.0, "service_level": 1.2}, "errors.capacity.service_level_range"),
    ],
)
def test_staffing_refuses_bad_targets(kwargs: dict[str, float], key: str) -> None:
    with pytest.raises(InputError) as exc:
        staff(0.05, 180.0, **kwargs)
    assert exc.value.key == key
