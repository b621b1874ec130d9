"""M/G/1 (Pollaczek–Khinchine), G/G/c (Allen–Cunneen) and Little's law."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.erlang import mmc
from workbench.capacity.ggc import ggc, service_time_percentile
from workbench.capacity.little import (
    interactive_response_time,
    items_in_system,
    throughput_from,
    time_in_system,
)
from workbench.capacity.mg1 import mg1
from workbench.capacity.models import QueueKind
from workbench.errors import InputError


def test_md1_pollaczek_khinchine() -> None:
    # Kleinrock Vol. 1 §5.6, eq. 5.73 with C_s = 0 (M/D/1): W_q = ρS/(2(1−ρ)); ρ = 0.8, S = 0.1 s → 0.2 s.
    res = mg1(8.0, 0.1, 0.0)
    assert res.kind is QueueKind.MG1
    assert res.mean_wait == pytest.approx(0.2)
    assert res.mean_queue_length == pytest.approx(1.6)


def test_mg1_worked_example_hyperexponential() -> None:
    # Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory* (4th ed.) §5.1.1: P-K formula
    # L_q = (ρ² + λ²σ²)/(2(1−ρ)).  λ = 5/s, S = 0.1 s, σ = 0.2 s (C_s = 2): L_q = (0.25 + 1)/(1) = 1.25.
    res = mg1(5.0, 0.1, 2.0)
    assert res.mean_queue_length == pytest.approx(1.25)
    assert res.mean_wait == pytest.approx(0.25)


def test_ggc_with_unit_cvs_is_exact_mmc() -> None:
    a = ggc(80.0, 0.1, 10, 1.0, 1.0)
    b = mmc(80.0, 0.1, 10)
    assert a.mean_wait == pytest.approx(b.mean_wait) and a.response_percentiles == pytest.approx(b.response_percentiles)


def test_ggc_continuous_near_exponential() -> None:
    a = ggc(80.0, 0.1, 10, 1.0, 0.999)
    b = mmc(80.0, 0.1, 10)
    assert a.response_percentiles[0.99] == pytest.approx(b.response_percentiles[0.99], rel=5e-3)


def test_allen_cunneen_scales_erlang_c_wait() -> None:
    # Allen (1990) §6.4.2: W_q(G/G/c) = W_q(M/M/c)·(C_a² + C_s²)/2.
    base = mmc(80.0, 0.1, 10).mean_wait
    assert ggc(80.0, 0.1, 10, 0.5, 1.5).mean_wait == pytest.approx(base * (0.25 + 2.25) / 2)


def test_ggc_unstable_and_bad_cv() -> None:
    assert not ggc(200.0, 0.1, 10, 1.2, 0.7).stable
    with pytest.raises(InputError):
        ggc(10.0, 0.1, 2, -1.0, 1.0)
    with pytest.raises(InputError):
        ggc(10.0, 0.1, 2, 1.0, float("nan"))


def test_deterministic_service_percentile_floor() -> None:
    assert service_time_percentile(0.99, 0.05, 0.0) == pytest.approx(0.05)
    res = ggc(1.0, 0.05, 4, 0.0, 0.0)  # D/D/4 at low load: nobody waits, R = S exactly
    assert res.mean_wait == pytest.approx(0.0)
    assert res.response_percentiles[0.99] == pytest.approx(0.05, rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(c=st.integers(1, 50), rho=st.floats(0.05, 0.95), ca=st.floats(0.0, 3.0), cs=st.floats(0.1, 3.0))
def test_ggc_percentiles_ordered_and_above_service(c: int, rho: float, ca: float, cs: float) -> None:
    s = 0.05
    res = ggc(rho * c / s, s, c, ca, cs, percentiles=(0.5, 0.95, 0.99))
    r = list(res.response_percentiles.values())
    assert r == sorted(r)
    assert r[-1] >= service_time_percentile(0.99, s, cs) * (1 - 1e-6)


def test_littles_law_helpers() -> None:
    assert items_in_system(200.0, 0.05) == pytest.approx(10.0)
    assert time_in_system(10.0, 200.0) == pytest.approx(0.05)
    assert throughput_from(10.0, 0.05) == pytest.approx(200.0)
    # Lazowska et al. (1984) §3.3.3: N = 100 users, X = 4 req/s, Z = 20 s → R = 100/4 − 20 = 5 s.
    assert interactive_response_time(100, 4.0, 20.0) == pytest.approx(5.0)
    with pytest.raises(InputError):
        interactive_response_time(10, 4.0, 20.0)
    with pytest.raises(InputError):
        time_in_system(1.0, 0.0)
    with pytest.raises(InputError):
        items_in_system(math.nan, 1.0)
