"""Open Jackson networks, exact multi-class MVA and the full (ABA + BJB) bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.bounds import network_bounds
from workbench.capacity.erlang import mmc
from workbench.capacity.jackson import OpenStation, solve_open_network
from workbench.capacity.models import Station, StationKind
from workbench.capacity.multiclass import ClassSpec, multiclass_mva
from workbench.capacity.mva import exact_mva
from workbench.errors import InputError


def test_tandem_is_the_sum_of_its_queues() -> None:
    # Burke's theorem / Jackson (1963): two M/M/1 in series, T = S1/(1−ρ1) + S2/(1−ρ2)
    # (Kleinrock Vol. 1 §4.8; Gross et al. 2008 §4.1).
    st_ = [OpenStation(name="a", service_time=0.1, external_rate=5.0), OpenStation(name="b", service_time=0.05)]
    res = solve_open_network(st_, [[0.0, 1.0], [0.0, 0.0]])
    assert res.mean_response == pytest.approx(0.1 / 0.5 + 0.05 / 0.75, rel=1e-12)
    assert res.visits == pytest.approx([1.0, 1.0])


def test_bernoulli_feedback() -> None:
    # Gross et al. (2008) §4.1, M/M/1 with feedback probability p: λ = γ/(1−p), visits 1/(1−p),
    # T = S/((1−p)(1−ρ)) with ρ = γS/(1−p).
    res = solve_open_network([OpenStation(name="app", service_time=0.1, external_rate=2.0)], [[0.5]])
    assert res.arrival_rates == pytest.approx([4.0]) and res.visits == pytest.approx([2.0])
    assert res.mean_response == pytest.approx(0.1 / (0.5 * 0.6), rel=1e-12)


def test_three_tier_with_cache_hits_and_retries() -> None:
    # web → app (all), app → db with 0.3, back to app after db with 0.2 (a retry), else leave.
    st_ = [OpenStation(name="web", service_time=0.004, servers=4, external_rate=400.0),
           OpenStation(name="app", service_time=0.01, servers=8), OpenStation(name="db", service_time=0.008, servers=2)]
    routing = [[0, 1, 0], [0, 0, 0.3], [0, 0.2, 0]]
    res = solve_open_network(st_, routing)
    # traffic equations by hand: λ_app = 400 + 0.2·λ_db, λ_db = 0.3·λ_app → λ_app = 400/0.94
    lam_app = 400 / 0.94
    assert res.arrival_rates == pytest.approx([400.0, lam_app, 0.3 * lam_app], rel=1e-12)
    per_station = [mmc(r, s.service_time, s.servers) for r, s in zip(res.arrival_rates, st_, strict=True)]
    t = sum(v * q.mean_response for v, q in zip(res.visits, per_station, strict=True))
    assert res.mean_response == pytest.approx(t, rel=1e-12)  # T = Σ V_i R_i = L/γ
    # utilisations 0.40, 0.53, 0.51: the app tier saturates first, at 1/0.53 × today's load
    assert res.bottleneck == "app" and res.max_scale == pytest.approx(1 / per_station[1].utilisation)


def test_unstable_station_named_and_no_end_to_end_time() -> None:
    st_ = [OpenStation(name="api", service_time=0.1, external_rate=12.0)]
    res = solve_open_network(st_, [[0.0]])
    assert not res.stable and res.mean_response is None and res.bottleneck == "api"


@pytest.mark.parametrize(
    ("routing", "key"),
    [([[1.0]], "errors.capacity.routing_no_exit"), ([[0.7, 0.5], [0, 0]], "errors.capacity.routing_row_sum"),
     ([[-0.1, 0], [0, 0]], "errors.capacity.routing_probability"), ([[0.0]], "errors.capacity.routing_shape")],
)
def test_bad_routing_is_refused(routing: list[list[float]], key: str) -> None:
    st_ = [OpenStation(name="a", service_time=0.1, external_rate=1.0)]
    if len(routing) == 2 or key == "errors.capacity.routing_shape":
        st_.append(OpenStation(name="b", service_time=0.1))
    with pytest.raises(InputError) as exc:
        solve_open_network(st_, routing)
    assert exc.value.key == key


KINDS = [StationKind.QUEUE, StationKind.QUEUE, StationKind.DELAY]


def test_one_class_is_single_class_mva() -> None:
    st_ = [Station(name="cpu", demand=0.05), Station(name="disk", demand=0.08),
           Station(name="lan", demand=0.01, kind=StationKind.DELAY)]
    ref = exact_mva(st_, 20, 1.0)
    res = multiclass_mva([ClassSpec(name="all", users=20, think_time=1.0, demands=[0.05, 0.08, 0.01])],
                         ["cpu", "disk", "lan"], KINDS)
    assert res.throughput[0] == pytest.approx(ref.throughput[-1], rel=1e-12)
    assert res.queue_length == pytest.approx([q[-1] for q in ref.queue_length], rel=1e-12)


def test_identical_classes_add_up_to_one_class() -> None:
    d = [0.05, 0.08, 0.01]
    res = multiclass_mva([ClassSpec(name="a", users=7, think_time=1.0, demands=d),
                          ClassSpec(name="b", users=13, think_time=1.0, demands=d)], ["cpu", "disk", "lan"], KINDS)
    ref = exact_mva([Station(name="cpu", demand=0.05), Station(name="disk", demand=0.08),
                     Station(name="lan", demand=0.01, kind=StationKind.DELAY)], 20, 1.0)
    assert sum(res.throughput) == pytest.approx(ref.throughput[-1], rel=1e-12)
    assert res.throughput[0] / res.throughput[1] == pytest.approx(7 / 13, rel=1e-12)


def test_two_classes_one_user_each_by_hand() -> None:
    # One queue, no think time, one user of each class: R_a(1,1) = D_a·(1 + Q(0,1)) = 2·D_a (Q(0,1) = 1),
    # so X_a = 1/(2·D_a), X_b = 1/(2·D_b), and both users are always at the station: Q = 2.
    res = multiclass_mva([ClassSpec(name="a", users=1, demands=[0.2]), ClassSpec(name="b", users=1, demands=[0.5])],
                         ["q"], [StationKind.QUEUE])
    assert res.throughput == pytest.approx([2.5, 1.0]) and res.queue_length == pytest.approx([2.0])
    assert res.utilisation == pytest.approx([2.5 * 0.2 + 1.0 * 0.5])


def test_multiclass_state_space_is_limited() -> None:
    with pytest.raises(InputError) as exc:
        multiclass_mva([ClassSpec(name=str(i), users=100, demands=[0.1]) for i in range(4)], ["q"], [StationKind.QUEUE])
    assert exc.value.key == "errors.capacity.classes_too_big"


@settings(max_examples=40, deadline=None)
@given(demands=st.lists(st.floats(0.001, 0.3), min_size=1, max_size=5), think=st.floats(0.0, 5.0),
       users=st.integers(1, 80))
def test_exact_mva_lies_within_balanced_within_asymptotic_bounds(
    demands: list[float], think: float, users: int
) -> None:
    stations = [Station(name=f"s{i}", demand=d) for i, d in enumerate(demands)]
    res = exact_mva(stations, users, think)
    b = network_bounds(stations, range(1, users + 1), think)
    x, r, e = np.array(res.throughput), np.array(res.response_time), 1e-9
    assert b.balanced and b.x_upper_bjb is not None and b.x_lower_bjb is not None
    assert np.all(x <= np.array(b.x_upper_bjb) * (1 + e)) and np.all(x >= np.array(b.x_lower_bjb) * (1 - e))
    assert np.all(r >= np.array(b.r_lower_bjb) * (1 - e)) and np.all(r <= np.array(b.r_upper_bjb) * (1 + e))
    assert np.all(np.array(b.x_upper_bjb) <= np.array(b.x_upper_aba) * (1 + e))
    assert np.all(np.array(b.x_lower_bjb) >= np.array(b.x_lower_aba) * (1 - e))


def test_bounds_with_a_multi_server_station_are_asymptotic_only() -> None:
    stations = [Station(name="pool", demand=0.08, servers=4), Station(name="db", demand=0.01)]
    b = network_bounds(stations, [1, 10, 100], 1.0)
    assert not b.balanced and b.x_upper_bjb is None
    assert b.max_demand == pytest.approx(0.02)
    res = exact_mva(stations, 100, 1.0)
    for i, n in enumerate(b.populations):
        assert b.x_lower_aba[i] * (1 - 1e-12) <= res.throughput[n - 1] <= b.x_upper_aba[i] * (1 + 1e-12)


def test_table_rows_with_blank_cells_are_named_by_row() -> None:
    # the page's data editors hand over NaN for an emptied cell: refused with its row, never a crash
    from workbench.capacity.tables import classes_from_rows, open_network_from_rows

    rows = [{"name": "web", "service_ms": 4.0, "servers": 1, "external_rps": 10.0, "to_app": 1.0},
            {"name": "app", "service_ms": float("nan"), "servers": 1, "external_rps": 0.0, "to_app": 0.0}]
    with pytest.raises(InputError) as exc:
        open_network_from_rows(rows)
    assert exc.value.key == "errors.capacity.table_missing" and exc.value.params["row"] == 3
    rows[1]["service_ms"] = 10.0
    stations, routing = open_network_from_rows(rows)
    assert [s.name for s in stations] == ["web", "app"] and routing == [[0.0, 1.0], [0.0, 0.0]]
    with pytest.raises(InputError) as exc:
        classes_from_rows([{"class": "a", "users": -3, "cpu": 10.0}], ["cpu"])
    assert exc.value.key == "errors.capacity.table_ge" and exc.value.params["column"] == "users"  # not "not a number"


def test_multiclass_against_the_bcmp_product_form() -> None:
    # Independent reference: enumerate every state of a small two-class network and weight it by the BCMP
    # product form (Baskett, Chandy, Muntz & Palacios, J. ACM 22(2), 1975): a PS station contributes
    # n_k!·Π_c D_ck^{n_ck}/n_ck!, the think stage Π_c Z_c^{m_c}/m_c!.  X_c = E[m_c]/Z_c.
    import itertools
    import math

    demands = [[0.3, 0.2], [0.1, 0.5]]  # [class][station], seconds
    users, think = [2, 3], [1.0, 2.0]

    def splits(n: int, parts: int) -> list[tuple[int, ...]]:
        return [c for c in itertools.product(range(n + 1), repeat=parts) if sum(c) == n]

    weight_total = 0.0
    thinking = [0.0, 0.0]
    for a in splits(users[0], 3):  # class 0 users at (station 0, station 1, thinking)
        for b in splits(users[1], 3):
            w = 1.0
            for k in range(2):
                w *= math.factorial(a[k] + b[k])
                w *= demands[0][k] ** a[k] / math.factorial(a[k]) * demands[1][k] ** b[k] / math.factorial(b[k])
            w *= think[0] ** a[2] / math.factorial(a[2]) * think[1] ** b[2] / math.factorial(b[2])
            weight_total += w
            thinking[0] += w * a[2]
            thinking[1] += w * b[2]
    expected = [thinking[c] / weight_total / think[c] for c in range(2)]
    res = multiclass_mva([ClassSpec(name="a", users=2, think_time=1.0, demands=demands[0]),
                          ClassSpec(name="b", users=3, think_time=2.0, demands=demands[1])],
                         ["s0", "s1"], [StationKind.QUEUE, StationKind.QUEUE])
    assert res.throughput == pytest.approx(expected, rel=1e-12)
