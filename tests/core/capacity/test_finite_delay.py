"""M/M/c/K waiting- and response-time percentiles against a state-by-state sum in 40-digit mpmath.

The reference sums the conditional distributions state by state (Gross, Shortle, Thompson & Harris,
*Fundamentals of Queueing Theory*, 4th ed. 2008, §2.6: an admitted arrival finding c + j requests waits
Erlang(j + 1, c/S); adding the Exp(1/S) service gives P(E_k > t) + e^{−t/S}·(c/(c−1))^k·P(Gamma(k,
(c−1)/S) ≤ t), or Erlang(k + 1, 1/S) when c = 1), without the exchange of sums, the windowing or the
log-space shortcuts of :mod:`workbench.capacity.finite_delay`.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.finite import mmck
from workbench.capacity.finite_delay import log_geometric, log_poisson_mixture


def _reference(lam: float, s: float, c: int, k: int, q: float) -> tuple[float, float]:
    """(wait, response) q-quantiles in 40-digit arithmetic, by mpmath.findroot on the per-state sums."""
    with mpmath.workdps(40):
        lam_, s_ = mpmath.mpf(lam), mpmath.mpf(s)
        a = lam_ * s_
        weights = [a**n / mpmath.factorial(n) if n <= c else a**c / mpmath.factorial(c) * (a / c) ** (n - c)
                   for n in range(k + 1)]
        total = mpmath.fsum(weights)
        seen = [w / (total - weights[-1]) for w in weights[:k]]  # admitted arrivals see n = 0 … K−1
        mu = 1 / s_

        def p_le(j: int, m: mpmath.mpf) -> mpmath.mpf:  # P(Poisson(m) ≤ j)
            return mpmath.gammainc(j + 1, m, mpmath.inf, regularized=True)

        def wait_sf(t: mpmath.mpf) -> mpmath.mpf:
            return mpmath.fsum(seen[c + j] * p_le(j, c * mu * t) for j in range(k - c))

        def resp_sf(t: mpmath.mpf) -> mpmath.mpf:
            out = mpmath.fsum(seen[:c]) * mpmath.exp(-mu * t)
            for j in range(k - c):
                kk = j + 1
                if c == 1:
                    out += seen[c + j] * p_le(kk, mu * t)
                else:
                    r = mpmath.mpf(c) / (c - 1)
                    gamma_le = mpmath.gammainc(kk, 0, (c - 1) * mu * t, regularized=True)
                    out += seen[c + j] * (p_le(j, c * mu * t) + mpmath.exp(-mu * t) * r**kk * gamma_le)
            return out

        res = []
        for sf in (wait_sf, resp_sf):
            if sf(mpmath.mpf(0)) <= 1 - q:
                res.append(0.0)
                continue
            hi = s_
            while sf(hi) > 1 - q:
                hi *= 2
            lo = hi / 2 if hi > s_ else mpmath.mpf(0)
            res.append(float(mpmath.findroot(lambda t, f=sf: f(t) - (1 - q), (lo, hi), solver="anderson")))
        return res[0], res[1]


@pytest.mark.parametrize(
    ("rho", "c", "room", "q"),
    [(0.7, 3, 40, 0.99), (1.0, 3, 40, 0.95), (1.4, 3, 30, 0.5), (0.9, 1, 50, 0.99), (1.0, 1, 30, 0.9),
     (2.5, 1, 20, 0.95), (0.95, 8, 60, 0.999), (1.0000001, 2, 50, 0.9)],
)
def test_percentiles_match_a_40_digit_state_sum(rho: float, c: int, room: int, q: float) -> None:
    s = 0.2
    lam = rho * c / s
    res = mmck(lam, s, c, c + room, (q,))
    ref_wait, ref_resp = _reference(lam, s, c, c + room, q)
    assert res.wait_percentiles[q] == pytest.approx(ref_wait, rel=1e-9, abs=1e-12)
    assert res.response_percentiles[q] == pytest.approx(ref_resp, rel=1e-9)


def test_a_huge_waiting_room_approaches_mmc_percentiles() -> None:
    # K = 100,000 at ρ = 0.9 with 48 servers: blocking is below 1e-4000, so the delay distribution is
    # that of M/M/c (P(W_q > t) = C·e^{−(c/S − λ)t}, Kleinrock Vol. 1 §3.5 eq. 3.47).
    from workbench.capacity.erlang import mmc

    big = mmck(0.9 * 48 / 0.1, 0.1, 48, 100_000, (0.95, 0.99))
    ref = mmc(0.9 * 48 / 0.1, 0.1, 48, (0.95, 0.99))
    for q in (0.95, 0.99):
        assert big.wait_percentiles[q] == pytest.approx(ref.wait_percentiles[q], rel=1e-9)
        assert big.response_percentiles[q] == pytest.approx(ref.response_percentiles[q], rel=1e-9)


def test_a_full_queue_at_overload_waits_for_the_whole_room() -> None:
    # ρ = 3, one server, K = 100,000: almost every admitted request finds the room full and waits for
    # ≈ K − 1 services of mean S, so its wait is ≈ (K − 1)·S with Erlang spread √(K−1)·S.
    res = mmck(3.0 / 0.01, 0.01, 1, 100_000, (0.5,))
    assert res.wait_percentiles[0.5] == pytest.approx(99_999 * 0.01, rel=1e-3)


@settings(max_examples=40, deadline=None)
@given(m=st.integers(1, 5_000), log_ratio=st.floats(-0.5, 0.5))
def test_log_geometric_is_the_sum(m: int, log_ratio: float) -> None:
    terms = np.arange(m, dtype=float) * log_ratio
    top = terms.max()
    direct = top + math.log(float(np.exp(terms - top).sum()))
    assert float(log_geometric(np.array([float(m)]), log_ratio)[0]) == pytest.approx(direct, rel=1e-12, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(x=st.floats(0.01, 5_000.0), lo=st.integers(0, 3_000), width=st.integers(0, 6_000),
       lr=st.floats(-0.01, 0.01))
def test_windowed_mixture_equals_the_full_sum(x: float, lo: int, width: int, lr: float) -> None:
    hi = lo + width
    i = np.arange(lo, hi + 1, dtype=float)
    from scipy import special

    full = i * math.log(x) - x - special.gammaln(i + 1.0) + i * lr
    top = full.max()
    direct = top + math.log(float(np.exp(full - top).sum()))
    assert log_poisson_mixture(x, lo, hi, lambda k: k * lr) == pytest.approx(direct, rel=1e-10, abs=1e-10)
