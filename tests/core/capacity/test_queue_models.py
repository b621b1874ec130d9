"""M/M/c/K, p0 and the one queue entry point; hypothesis properties across every queue model."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workbench.capacity.erlang import erlang_b, mmc
from workbench.capacity.finite import mmck
from workbench.capacity.models import QueueKind
from workbench.capacity.queues import QueueSpec, solve_queue
from workbench.errors import InputError


@pytest.mark.parametrize(("rho", "k"), [(0.5, 5), (0.9, 10), (1.3, 4)])
def test_mm1k_closed_form(rho: float, k: int) -> None:
    # Gross, Shortle, Thompson & Harris (2008) §2.5: p0 = (1−ρ)/(1−ρ^{K+1}), P_K = ρ^K·p0,
    # L = ρ/(1−ρ) − (K+1)ρ^{K+1}/(1−ρ^{K+1}).  Stable at any load, ρ ≥ 1 included.
    res = mmck(rho / 0.2, 0.2, 1, k)
    p0 = (1 - rho) / (1 - rho ** (k + 1))
    assert res.prob_empty == pytest.approx(p0, rel=1e-6)
    assert res.prob_blocked == pytest.approx(rho**k * p0, rel=1e-6)
    length = rho / (1 - rho) - (k + 1) * rho ** (k + 1) / (1 - rho ** (k + 1))
    assert res.mean_in_system == pytest.approx(length, rel=1e-5)


def test_mm1k_at_rho_one() -> None:
    # Gross et al. (2008) §2.5: at ρ = 1 every state is equally likely, p_n = 1/(K+1), L = K/2.
    res = mmck(5.0, 0.2, 1, 8)
    assert res.prob_empty == pytest.approx(1 / 9, rel=1e-12) and res.prob_blocked == pytest.approx(1 / 9, rel=1e-12)
    assert res.mean_in_system == pytest.approx(4.0, rel=1e-12)


@pytest.mark.parametrize(("servers", "load"), [(10, 4.46), (20, 12.03), (100, 84.06)])
def test_mmck_with_no_waiting_room_is_erlang_b(servers: int, load: float) -> None:
    # Erlang B table (Iversen 2015): these loads are blocked 1 % of the time.
    res = mmck(load, 1.0, servers, servers)
    assert res.prob_blocked == pytest.approx(erlang_b(servers, load), rel=1e-10)
    assert res.prob_blocked == pytest.approx(0.01, abs=2e-4)
    assert res.mean_wait == pytest.approx(0.0) and res.prob_wait == pytest.approx(0.0)


def test_mmck_with_a_long_queue_is_mmc() -> None:
    big = mmck(80.0, 0.1, 10, 3_000)
    ref = mmc(80.0, 0.1, 10)
    assert big.prob_blocked < 1e-200
    assert big.mean_wait == pytest.approx(ref.mean_wait, rel=1e-10)
    assert big.prob_wait == pytest.approx(ref.prob_wait, rel=1e-10)
    assert big.response_percentiles[0.99] == pytest.approx(ref.response_percentiles[0.99], rel=1e-6)


def test_p0_of_mmc_closed_form() -> None:
    # Kleinrock Vol. 1 §3.5 eq. 3.39: p0 = [Σ_{k<c} A^k/k! + A^c/(c!(1−ρ))]^{-1}
    a, c = 8.0, 10
    expected = 1 / (sum(a**k / math.factorial(k) for k in range(c)) + a**c / math.factorial(c) / (1 - a / c))
    assert solve_queue(QueueSpec(arrival_rate=a, service_time=1.0, servers=c)).prob_empty == pytest.approx(
        expected, rel=1e-12
    )
    assert solve_queue(QueueSpec(arrival_rate=0.5, service_time=1.0, service_cv=0.3)).prob_empty == pytest.approx(0.5)


def test_dispatcher_picks_the_model() -> None:
    kinds = {
        QueueKind.MM1: QueueSpec(arrival_rate=5, service_time=0.1),
        QueueKind.MMC: QueueSpec(arrival_rate=5, service_time=0.1, servers=2),
        QueueKind.MG1: QueueSpec(arrival_rate=5, service_time=0.1, service_cv=0.5),
        QueueKind.GGC: QueueSpec(arrival_rate=5, service_time=0.1, servers=2, arrival_cv=2.0),
        QueueKind.MMCK: QueueSpec(arrival_rate=5, service_time=0.1, servers=2, capacity=6),
    }
    for kind, spec in kinds.items():
        assert solve_queue(spec).kind is kind


def test_finite_queue_needs_markov_inputs() -> None:
    with pytest.raises(InputError) as exc:
        solve_queue(QueueSpec(arrival_rate=5, service_time=0.1, servers=2, capacity=6, service_cv=0.5))
    assert exc.value.key == "errors.capacity.finite_needs_markov"


def test_capacity_below_servers_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        mmck(5.0, 0.1, 4, 3)
    assert exc.value.key == "errors.capacity.capacity_range"


# ---------------------------------------------------------------- properties across all queue models

MODELS = st.sampled_from(["mmc", "mg1", "ggc", "mmck", "mmcc"])  # mmcc: the Erlang loss system, K = c


def _spec(model: str, rate: float, service: float, servers: int, cv: float) -> QueueSpec:
    if model == "mmc":
        return QueueSpec(arrival_rate=rate, service_time=service, servers=servers, percentiles=(0.9,))
    if model == "mg1":
        return QueueSpec(arrival_rate=rate, service_time=service, servers=1, service_cv=cv, percentiles=(0.9,))
    if model == "ggc":
        return QueueSpec(
            arrival_rate=rate, service_time=service, servers=servers, arrival_cv=cv, service_cv=cv, percentiles=(0.9,)
        )
    return QueueSpec(
        arrival_rate=rate, service_time=service, servers=servers, percentiles=(0.9,),
        capacity=servers if model == "mmcc" else servers + 20,
    )


def _probabilities(res: object) -> list[float]:
    names = ("prob_wait", "prob_empty", "prob_blocked", "service_level")
    return [v for v in (getattr(res, n) for n in names) if v is not None]


@settings(max_examples=60, deadline=None)
@given(
    model=MODELS,
    rho=st.floats(0.01, 1.4),
    service=st.floats(1e-3, 10.0),
    servers=st.integers(1, 40),
    cv=st.floats(0.1, 3.0),
)
def test_probabilities_bounded_and_littles_law(model: str, rho: float, service: float, servers: int, cv: float) -> None:
    c = 1 if model == "mg1" else servers
    spec = _spec(model, rho * c / service, service, c, cv).model_copy(update={"wait_target": service})
    res = solve_queue(spec)
    assume(res.stable)
    for p in _probabilities(res):
        assert -1e-12 <= p <= 1 + 1e-12
    assert 0.0 <= res.utilisation < 1.0 + 1e-12
    lam = res.effective_arrival_rate or res.arrival_rate
    assert res.mean_in_system == pytest.approx(lam * res.mean_response, rel=1e-9)
    assert res.mean_queue_length == pytest.approx(lam * res.mean_wait, rel=1e-9, abs=1e-300)
    assert res.mean_response == pytest.approx(res.mean_wait + res.service_time, rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    model=MODELS,
    rho=st.floats(0.05, 0.95),
    service=st.floats(1e-3, 10.0),
    servers=st.integers(1, 30),
    cv=st.floats(0.1, 3.0),
)
def test_more_servers_never_wait_longer(model: str, rho: float, service: float, servers: int, cv: float) -> None:
    assume(model != "mg1")
    rate = rho * servers / service
    fewer = solve_queue(_spec(model, rate, service, servers, cv))
    more = solve_queue(_spec(model, rate, service, servers + 1, cv))
    assert more.mean_wait <= fewer.mean_wait * (1 + 1e-9) + 1e-300
    assert (more.prob_wait or 0.0) <= (fewer.prob_wait or 0.0) * (1 + 1e-9) + 1e-300
    if model in ("mmck", "mmcc"):
        assert (more.prob_blocked or 0.0) <= (fewer.prob_blocked or 0.0) * (1 + 1e-9) + 1e-300


@settings(max_examples=50, deadline=None)
@given(
    model=MODELS,
    rho=st.floats(0.05, 0.9),
    grow=st.floats(1.001, 1.1),
    service=st.floats(1e-3, 10.0),
    servers=st.integers(1, 30),
    cv=st.floats(0.1, 3.0),
)
def test_more_load_never_waits_less(
    model: str, rho: float, grow: float, service: float, servers: int, cv: float
) -> None:
    c = 1 if model == "mg1" else servers
    rate = rho * c / service
    low = solve_queue(_spec(model, rate, service, c, cv))
    high = solve_queue(_spec(model, rate * grow, service, c, cv))
    assert high.mean_wait >= low.mean_wait * (1 - 1e-9)
    assert (high.prob_empty or 0.0) <= (low.prob_empty or 0.0) * (1 + 1e-9) + 1e-300
    if model in ("mmck", "mmcc"):
        assert (high.prob_blocked or 0.0) >= (low.prob_blocked or 0.0) * (1 - 1e-9)


@settings(max_examples=30, deadline=None)
@given(
    model=st.sampled_from(["mmc", "ggc", "mmck"]),
    load=st.floats(0.1, 20.0),
    service=st.floats(1e-3, 10.0),
    cv=st.floats(0.1, 3.0),
)
def test_many_servers_remove_waiting(model: str, load: float, service: float, cv: float) -> None:
    # c → ∞: nobody waits, the response time is the service time, nothing is blocked (infinite-server limit)
    res = solve_queue(_spec(model, load / service, service, int(load) + 200, cv))
    assert res.prob_wait < 1e-12
    assert res.mean_response == pytest.approx(service, rel=1e-9)
    assert (res.prob_blocked or 0.0) < 1e-12
    assert erlang_b(int(load) + 200, load) < 1e-12


@settings(max_examples=60, deadline=None)
@given(rho=st.floats(0.05, 3.0), servers=st.integers(1, 60), room=st.integers(0, 400))
def test_blocking_alone_matches_the_full_model(rho: float, servers: int, room: int) -> None:
    from workbench.capacity.finite import mmck_blocking

    full = mmck(rho * servers / 0.1, 0.1, servers, servers + room, ())
    assert mmck_blocking(rho * servers / 0.1, 0.1, servers, servers + room) == pytest.approx(
        full.prob_blocked, rel=1e-9, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(
    model=MODELS,
    rho=st.floats(0.05, 1.3),
    service=st.floats(1e-3, 10.0),
    servers=st.integers(1, 40),
    cv=st.floats(0.1, 3.0),
)
def test_percentiles_are_ordered_and_invert_the_service_level(
    model: str, rho: float, service: float, servers: int, cv: float
) -> None:
    c = 1 if model == "mg1" else servers
    spec = _spec(model, rho * c / service, service, c, cv).model_copy(update={"percentiles": (0.5, 0.9, 0.99)})
    res = solve_queue(spec)
    assume(res.stable)
    waits = [res.wait_percentiles[q] for q in (0.5, 0.9, 0.99)]
    resp = [res.response_percentiles[q] for q in (0.5, 0.9, 0.99)]
    assert waits == sorted(waits) and resp == sorted(resp)
    assert all(r >= w for r, w in zip(resp, waits, strict=True))
    if waits[1] > 0.0:  # P(W_q ≤ its P90) = 0.9: the quantile and the service level are one function
        at = solve_queue(spec.model_copy(update={"wait_target": waits[1]}))
        assert at.service_level == pytest.approx(0.9, abs=1e-7)


@settings(max_examples=30, deadline=None)
@given(
    rates=st.lists(st.floats(0.1, 50.0), min_size=2, max_size=4),
    service=st.floats(1e-3, 0.02),
    feedback=st.floats(0.0, 0.6),
    grow=st.floats(1.001, 1.2),
)
def test_open_networks_obey_littles_law_and_monotonicity(
    rates: list[float], service: float, feedback: float, grow: float
) -> None:
    # Jackson (1957): each station is an M/M/c queue at its traffic-equation rate; L = Σγ·T end to end,
    # more servers never slow it down, more load never speeds it up.
    from workbench.capacity.jackson import OpenStation, solve_open_network

    k = len(rates)
    routing = [[feedback / k] * k for _ in range(k)]  # every station sends a share back into the network

    def solve(scale: float, extra: int) -> object:
        stations = [OpenStation(name=f"s{i}", service_time=service, servers=2 + extra, external_rate=r * scale)
                    for i, r in enumerate(rates)]
        return solve_open_network(stations, routing, ())

    base = solve(1.0, 0)
    assume(base.stable and solve(grow, 0).stable)
    assert base.mean_in_system == pytest.approx(base.throughput * base.mean_response, rel=1e-9)
    assert all(0.0 <= q.utilisation < 1.0 and 0.0 <= (q.prob_wait or 0.0) <= 1.0 for q in base.queues)
    assert solve(1.0, 1).mean_response <= base.mean_response * (1 + 1e-12)
    assert solve(grow, 0).mean_response >= base.mean_response * (1 - 1e-12)
    assert solve(1.0, 400).mean_response == pytest.approx(  # c → ∞: nobody waits, T = Σ V_i·S
        sum(base.visits) * service, rel=1e-9)
