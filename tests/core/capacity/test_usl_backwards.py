"""The USL read backwards: latency target, exact throughput root (vs Amdahl), diagnostics."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.usl import (
    amdahl_concurrency_for,
    usl_at_latency,
    usl_concurrency_for,
    usl_diagnostics,
    usl_peak,
    usl_throughput,
)
from workbench.errors import InputError

# specsdm91 coefficients as published in the vignette of the R package ``usl`` (S. Möding) for the data of
# Gunther, *Guerrilla Capacity Planning* (2007) ch. 5: σ = 0.0277285, κ = 0.0001044, λ = 89.9952382.
SIGMA, KAPPA, LAM = 0.0277285, 0.0001044, 89.9952382


def test_peak_of_the_published_fit() -> None:
    # Gunther (2007) eq. 4.33: N* = √((1 − σ)/κ) ≈ 96.5 users for specsdm91 (the vignette's "peak near 96").
    n, x = usl_peak(SIGMA, KAPPA, LAM)
    assert n == pytest.approx(math.sqrt((1 - SIGMA) / KAPPA), rel=1e-12)
    assert 96 < n < 97
    assert x == pytest.approx(float(usl_throughput(n, SIGMA, KAPPA, LAM)), rel=1e-12)


def test_exact_root_differs_from_the_amdahl_inversion() -> None:
    n = usl_concurrency_for(SIGMA, KAPPA, LAM, 1700.0)
    assert n is not None
    assert float(usl_throughput(n, SIGMA, KAPPA, LAM)) == pytest.approx(1700.0, rel=1e-12)
    amdahl = amdahl_concurrency_for(SIGMA, LAM, 1700.0)
    assert amdahl is not None and amdahl < n  # ignoring κ promises 1,700/s with too few users
    assert float(usl_throughput(amdahl, SIGMA, KAPPA, LAM)) < 1700.0
    assert usl_concurrency_for(SIGMA, KAPPA, LAM, 5000.0) is None  # above the peak


def test_latency_target() -> None:
    n, x = usl_at_latency(SIGMA, KAPPA, LAM, 0.05)  # type: ignore[misc]
    assert n / x == pytest.approx(0.05, rel=1e-12)  # Little's law R = N/X
    assert usl_at_latency(SIGMA, KAPPA, LAM, 0.5 / LAM) is None  # faster than one user alone: impossible


def test_diagnostics() -> None:
    d = usl_diagnostics(SIGMA, KAPPA, LAM, 64)
    assert d.efficiency == pytest.approx(1 / (1 + SIGMA * 63 + KAPPA * 64 * 63))
    assert d.speedup == pytest.approx(64 * d.efficiency)
    assert d.dominant == "contention" and d.crossover == pytest.approx(SIGMA / KAPPA)
    assert usl_diagnostics(SIGMA, KAPPA, LAM, 400).dominant == "coherency"  # beyond σ/κ ≈ 266
    assert usl_diagnostics(0.1, 0.0, LAM, 10).peak_throughput == pytest.approx(LAM / 0.1)  # Amdahl ceiling


@settings(max_examples=80, deadline=None)
@given(sigma=st.one_of(st.just(0.0), st.floats(1e-9, 0.5)), kappa=st.one_of(st.just(0.0), st.floats(1e-12, 0.01)),
       lam=st.floats(0.1, 1e4), frac=st.floats(0.01, 0.999))
def test_throughput_root_round_trips(sigma: float, kappa: float, lam: float, frac: float) -> None:
    if sigma == 0.0 and kappa == 0.0:
        return
    peak_n, peak_x = usl_peak(sigma, kappa, lam)
    target = frac * (peak_x if peak_x is not None else lam * 1e3)
    n = usl_concurrency_for(sigma, kappa, lam, target)
    assert n is not None and n > 0
    assert float(usl_throughput(n, sigma, kappa, lam)) == pytest.approx(target, rel=1e-8)
    if peak_n is not None:
        assert n <= peak_n * (1 + 1e-9)  # the rising side of the curve


@settings(max_examples=80, deadline=None)
@given(sigma=st.floats(1e-4, 0.5), kappa=st.one_of(st.just(0.0), st.floats(1e-12, 0.01)), lam=st.floats(0.1, 1e4),
       mult=st.floats(1.01, 1e3))
def test_latency_root_round_trips(sigma: float, kappa: float, lam: float, mult: float) -> None:
    target = mult / lam
    got = usl_at_latency(sigma, kappa, lam, target)
    assert got is not None
    n, x = got
    assert n / x == pytest.approx(target, rel=1e-8)


@pytest.mark.parametrize(("sigma", "kappa", "lam", "key"), [
    (1.5, 0.0, 1.0, "errors.capacity.usl_sigma_range"), (0.1, -1.0, 1.0, "errors.capacity.usl_kappa_range"),
    (0.1, 0.0, 0.0, "errors.capacity.usl_lambda_range"), (math.nan, 0.0, 1.0, "errors.capacity.usl_coefficient"),
])
def test_bad_coefficients_are_refused(sigma: float, kappa: float, lam: float, key: str) -> None:
    with pytest.raises(InputError) as exc:
        usl_diagnostics(sigma, kappa, lam, 10)
    assert exc.value.key == key
