"""Benchmark of the capacity engine (issue 3) against the peer a user would pick: pyworkforce's ErlangC.

Measured in one run:
- accuracy of Erlang B and Erlang C against 50-digit mpmath values for c up to 100,000 and ρ up to
  0.999 (target: relative error ≤ 1e-9);
- one service-level evaluation, ours (:func:`mmc_service_level`) against ``ErlangC.service_level`` at
  c = 10, 1,000 and 100,000 (target: ≥ 10× faster for c ≥ 1,000), with the agreement of the values;
- a staffing search "80 % answered within 20 s, mean handling time 180 s" whose answer is about 11,
  1,000 and 100,000 agents, ours (:func:`workbench.capacity.staffing.agents_needed`: one Erlang B
  recursion for small loads, doubling + bisection on the constant-time Erlang C above) against
  ``ErlangC.required_positions`` (target: ≥ 10× faster at every size) and whether both agree;
- exact MVA for 10,000 users × 20 stations (target: ≤ 1 s), with 0, 4, 6 and 8 multi-server stations,
  and 100,000 users with 2 multi-server stations (log-space convolution, see mva.py), with its
  agreement against a 60-digit mpmath MVA recursion on a smaller network (target: ≤ 1e-9 relative);
- a USL fit of 1,000 points (target: ≤ 10 ms);
- M/M/c/K waiting- and response-time P50/P95/P99 with K = 100,000 places (target: ≤ 0.1 s per
  queue, was 7–14 s), against the closed form with two regularised incomplete gamma functions per
  survival function evaluated in 60-digit mpmath and inverted by bisection (target: ≤ 1e-9 relative).

Timings are the best of several repeats, each repeat looping enough calls to last ≥ 20 ms for
sub-millisecond functions: wall clock (``time.perf_counter``) for our own figures; process CPU time in
alternating rounds for each ours-against-pyworkforce pair, so both sides see the same load on a shared
machine.  At 11 agents the whole search is ≈ 15 multiply-adds and one exp: in CPython that is ≈ 1 µs of
interpreter time (the call, two exp, the int and the tuple alone ≈ 0.3 µs), which measured 6–9× the peer,
below the 10× target; rewrites of the Python loop (range loop, C-level accumulate/map, full unrolling) all
measured 0.8–1.3 µs.  So the hot path (service level only, A < 64) has a C twin,
``workbench/capacity/_native.c``, built in place by ``make run`` / ``make test`` and checked equal to the
Python twin in the tests; the table says which one ran, and prints the Python twin's ratio at 11 agents
as well (what a machine without a C compiler gets).  numba (25–40× in a trial) was not taken: 0.3–0.7 s to
import and 0.7 s to compile in each process, about 50 MB more to install.
Run: ``.venv/bin/python benchmarks/bench_capacity.py``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mpmath
import numpy as np
from pyworkforce.queuing import ErlangC

from workbench.capacity.erlang import (
    erlang_b,
    erlang_c,
    mmc_service_level,
    staffing_for_service_level,
)
from workbench.capacity.finite import mmck
from workbench.capacity.models import Station
from workbench.capacity.mva import exact_mva
from workbench.capacity.native import NATIVE, service_level_agents_py
from workbench.capacity.staffing import agents_needed
from workbench.capacity.usl import fit_usl, usl_throughput

REPEATS = 5
AHT_S, ASA_S, TARGET = 180.0, 20.0, 0.8  # mean handling time, answer-within, service level


def timed(fn: Callable[[], Any], repeats: int = REPEATS, min_time: float = 0.02) -> tuple[float, Any]:
    """Best time per call (seconds) over ``repeats`` rounds, and the last result."""
    result = fn()
    t0 = time.perf_counter()
    fn()
    single = time.perf_counter() - t0
    loops = max(1, int(min_time / max(single, 1e-7)))
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(loops):
            result = fn()
        best = min(best, (time.perf_counter() - t0) / loops)
    return best, result


def timed_pair(ours: Callable[[], Any], peer: Callable[[], Any], repeats: int = 15,
               min_time: float = 0.02) -> tuple[float, Any, float, Any]:
    """Best CPU time per call of ours and of the peer, in alternating rounds so that both see the same machine
    load.  Both are single-threaded pure-Python/scalar code, so process CPU time is their cost without the
    time the shared machine's scheduler takes away (wall-clock best-of-N swung 5–14× under load)."""
    results, loops = [ours(), peer()], []
    for fn in (ours, peer):
        t0 = time.process_time()
        fn()
        loops.append(max(1, int(min_time / max(time.process_time() - t0, 1e-7))))
    best = [float("inf"), float("inf")]
    for _ in range(repeats):
        for i, fn in enumerate((ours, peer)):
            t0 = time.process_time()
            for _ in range(loops[i]):
                results[i] = fn()
            best[i] = min(best[i], (time.process_time() - t0) / loops[i])
    return best[0], results[0], best[1], results[1]


def mp_erlang(c: int, a: float) -> tuple[float, float]:
    """Erlang B and C in 50-digit arithmetic: B = pmf(c; A)/cdf(c; A), C = cB/(c − A(1 − B))."""
    with mpmath.workdps(50):
        cc, aa = mpmath.mpf(c), mpmath.mpf(a)
        b = mpmath.exp(cc * mpmath.log(aa) - aa - mpmath.loggamma(cc + 1)) / mpmath.gammainc(
            cc + 1, aa, mpmath.inf, regularized=True
        )
        return float(b), float(cc * b / (cc - aa * (1 - b)))


def accuracy() -> tuple[float, float]:
    worst_b = worst_c = 0.0
    for c in (10, 100, 1_000, 10_000, 100_000):
        for rho in (0.5, 0.8, 0.9, 0.99, 0.999):
            ref_b, ref_c = mp_erlang(c, c * rho)
            if ref_b > 1e-300:  # below that the value underflows double precision in any method
                worst_b = max(worst_b, abs(erlang_b(c, c * rho) - ref_b) / ref_b)
                worst_c = max(worst_c, abs(erlang_c(c, c * rho) - ref_c) / ref_c)
    return worst_b, worst_c


def fmt_t(seconds: float) -> str:
    if seconds < 1e-5:
        return f"{seconds * 1e6:9.2f} µs"
    if seconds < 1e-3:
        return f"{seconds * 1e6:9.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:9.2f} ms"
    return f"{seconds:9.2f} s "


def row(case: str, ours: float | None, peer: float | None, agree: str, target: str, met: bool | None) -> str:
    """One table row; ``ours`` None for an accuracy-only row (no time)."""
    ratio = f"{peer / ours:8.1f}×" if peer and ours else "        —"
    peer_s = fmt_t(peer) if peer else "          —"
    flag = "—" if met is None else ("yes" if met else "NO")
    ours_s = fmt_t(ours) if ours is not None else "          —"
    return f"| {case:<44} | {ours_s} | {peer_s} | {ratio} | {agree:<12} | {target:<16} | {flag:<3} |"


def erlang_rows() -> list[str]:
    out = []
    for agents in (10, 1_000, 100_000):
        offered = agents * (0.8 if agents == 10 else 0.98 if agents == 1_000 else 0.998)
        lam = offered / AHT_S
        peer = ErlangC(transactions=lam * 3600, aht=AHT_S / 60, asa=ASA_S / 60, interval=60)
        t_ours, v_ours, t_peer, v_peer = timed_pair(lambda a=agents, r=lam: mmc_service_level(ASA_S, a, r, AHT_S),
                                                    lambda p=peer, a=agents: p.service_level(a))
        rel = abs(v_ours - v_peer) / max(abs(v_peer), 1e-300)
        met = t_peer / t_ours >= 10 if agents >= 1_000 else None
        out.append(row(f"service level, c = {agents:,}", t_ours, t_peer, f"Δ {rel:.1e}",
                       "≥10× (c ≥ 1,000)" if agents >= 1_000 else "(reported)", met))
    for agents in (10, 1_000, 100_000):
        offered = agents * (0.75 if agents == 10 else 0.97 if agents == 1_000 else 0.997)
        lam = offered / AHT_S
        peer = ErlangC(transactions=lam * 3600, aht=AHT_S / 60, asa=ASA_S / 60, interval=60)
        big = agents == 100_000
        t_ours, found, t_peer, res = timed_pair(lambda r=lam: agents_needed(r, AHT_S, ASA_S, TARGET),
                                                lambda p=peer: p.required_positions(TARGET),
                                                repeats=3 if big else 15, min_time=0.0 if big else 0.02)
        n_ours = found[0]
        assert n_ours == staffing_for_service_level(lam, AHT_S, ASA_S, TARGET)
        n_peer = res["raw_positions"]
        agree = "same" if n_ours == n_peer else f"{n_ours} vs {n_peer}"
        twin = "C twin" if NATIVE and not big and agents <= 64 else "Python"
        out.append(row(f"staffing 80/20 → {n_ours:,} agents ({twin})", t_ours, t_peer, agree, "≥10×",
                       t_peer / t_ours >= 10 and n_ours == n_peer))
        if NATIVE and agents == 10:  # what a machine without a C compiler gets: reported, not a target
            t_py, found_py, t_peer, _ = timed_pair(
                lambda r=lam: agents_needed(r, AHT_S, ASA_S, TARGET, _sl_agents=service_level_agents_py),
                lambda p=peer: p.required_positions(TARGET))
            same = "same" if found_py == found else "DIFFERENT"
            out.append(row(f"staffing 80/20 → {n_ours:,} agents (Python twin)", t_py, t_peer, same, "(reported)", None))
    return out


def mva_rows() -> list[str]:
    out = []
    for multi in (0, 4, 6, 8):
        stations = [
            Station(name=f"s{i}", demand=0.001 * (1 + i % 5), servers=(4, 16)[i % 2] if i < multi else 1)
            for i in range(20)
        ]
        t, res = timed(lambda s=stations: exact_mva(s, 10_000, 1.0), repeats=3, min_time=0.0)
        out.append(row(f"exact MVA 10,000 users × 20 st. ({multi} multi)", t, None,
                       f"X={res.throughput[-1]:.1f}", "≤ 1 s", t <= 1.0))
    stations = [Station(name="web", demand=0.002, servers=8), Station(name="app", demand=0.001, servers=2),
                Station(name="db", demand=0.0009)]
    t, res = timed(lambda: exact_mva(stations, 100_000, 1.0), repeats=3, min_time=0.0)
    out.append(row("exact MVA 100,000 users × 3 st. (2 multi)", t, None, f"X={res.throughput[-1]:.1f}",
                   "(reported)", None))
    out.append(mva_accuracy_row())
    return out


def mva_accuracy_row() -> str:
    """Worst relative error of X(n) against the load-dependent MVA recursion in 60-digit arithmetic."""
    stations = [Station(name="a", demand=0.16, servers=16), Station(name="b", demand=0.05, servers=5),
                Station(name="c", demand=0.0099), Station(name="z", demand=0.3, servers=1)]
    users, think = 150, 2.0
    with mpmath.workdps(60):
        p = [[mpmath.mpf(1)] + [mpmath.mpf(0)] * users for _ in stations]
        ref = []
        for n in range(1, users + 1):
            r = [mpmath.fsum(mpmath.mpf(j) / min(j, s.servers) * s.demand * p[k][j - 1] for j in range(1, n + 1))
                 for k, s in enumerate(stations)]
            x = n / (think + mpmath.fsum(r))
            for k, s in enumerate(stations):
                new = [mpmath.mpf(0)] + [s.demand / min(j, s.servers) * x * p[k][j - 1] for j in range(1, users + 1)]
                new[0] = 1 - mpmath.fsum(new[1:])
                p[k] = new
            ref.append(float(x))
    got = exact_mva(stations, users, think).throughput
    err = max(abs(a - b) / b for a, b in zip(got, ref, strict=True))
    return row("exact MVA vs 60-digit MVA-LD, max rel. err.", None, None, f"{err:.1e}", "≤ 1e-9", err <= 1e-9)


def mp_mmck_percentiles(lam: float, s: float, c: int, k: int, q: float) -> tuple[float, float]:
    """(wait, response) q-quantiles of M/M/c/K in 60 digits from closed forms (Gross et al. 2008 §2.6).

    With M = K − c, x = c·t/S, Q_j(m) = P(Poisson(m) ≤ j):  P(W > t) = q_c/(1−ρ)·[e^{−x(1−ρ)}Q_{M−1}(ρx)
    − ρ^M·Q_{M−1}(x)]; the response adds e^{−t/S}-weighted terms of the same kind (see finite_delay.py).
    At 60 digits the cancellation near ρ = 1 that rules this form out in double precision is harmless.
    """
    with mpmath.workdps(60):
        lam_, s_ = mpmath.mpf(lam), mpmath.mpf(s)
        a, mu, m = lam_ * s_, 1 / s_, k - c
        rho = a / c

        def cdf(j: int, mean: Any) -> Any:
            return mpmath.gammainc(j + 1, mean, mpmath.inf, regularized=True)

        top = mpmath.exp(c * mpmath.log(a) - mpmath.loggamma(c + 1))
        norm = mpmath.exp(a) * cdf(c - 1, a) + top * (1 - rho ** (m + 1)) / (1 - rho)
        p_k = top / norm * rho**m
        qc, q0 = top / norm / (1 - p_k), 1 / norm / (1 - p_k)
        waits = qc * (1 - rho**m) / (1 - rho)

        def wait(t: Any) -> Any:
            x = c * mu * t
            return qc / (1 - rho) * (mpmath.exp(-x * (1 - rho)) * cdf(m - 1, rho * x) - rho**m * cdf(m - 1, x))

        def resp(t: Any) -> Any:
            if c == 1:
                x = mu * t
                return q0 / (1 - rho) * (mpmath.exp(-x * (1 - rho)) * cdf(m, rho * x) - rho ** (m + 1) * cdf(m, x))
            r = mpmath.mpf(c) / (c - 1)
            y, pr = (c - 1) * mu * t, rho * r
            inner = (cdf(m - 1, y) - mpmath.exp(y * (pr - 1)) * cdf(m - 1, y * pr)) / (1 - pr)
            tail = (1 - pr**m) / (1 - pr) * (1 - cdf(m - 1, y))
            return (1 - waits) * mpmath.exp(-mu * t) + wait(t) + mpmath.exp(-mu * t) * qc * r * (inner + tail)

        out = []
        for sf in (wait, resp):
            if sf(mpmath.mpf("1e-30")) <= 1 - q:
                out.append(0.0)
                continue
            hi = s_
            while sf(hi) > 1 - q:
                hi *= 2
            lo = hi / 2
            for _ in range(60):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if sf(mid) > 1 - q else (lo, mid)
            out.append(float((lo + hi) / 2))
        return out[0], out[1]


def mmck_rows() -> list[str]:
    out = []
    for rho, c in ((0.999, 48), (1.2, 48), (0.9999999, 1), (1.0000001, 2_000)):
        lam = rho * c / 0.1
        t, res = timed(lambda r=lam, cc=c: mmck(r, 0.1, cc, 100_000), repeats=7, min_time=0.0)
        ref_w, ref_r = mp_mmck_percentiles(lam, 0.1, c, 100_000, 0.99)
        err = max(abs(res.wait_percentiles[0.99] - ref_w) / ref_w, abs(res.response_percentiles[0.99] - ref_r) / ref_r)
        out.append(row(f"M/M/c/K P50–99, K = 100k, c = {c:,}, ρ = {rho:g}", t, None, f"Δ {err:.1e}",
                       "≤ 0.1 s, ≤ 1e-9", t <= 0.1 and err <= 1e-9))
    return out


def usl_row() -> str:
    rng = np.random.default_rng(2026)
    n = rng.integers(1, 256, 1_000).astype(float)
    x = usl_throughput(n, 0.03, 1e-4, 90.0) * (1 + 0.03 * rng.standard_normal(1_000))
    t, fit = timed(lambda: fit_usl(n, x), repeats=5, min_time=0.05)
    agree = f"σ={fit.sigma.estimate:.4f}"
    return row("USL fit, 1,000 points", t, None, agree, "≤ 10 ms", t <= 0.01)


def main() -> None:
    worst_b, worst_c = accuracy()
    header = (f"| {'case':<44} | {'ours':>12} | {'pyworkforce':>12} | {'ratio':>9} | {'agreement':<12} "
              f"| {'target':<16} | met |")
    print("Capacity engine benchmark (best of repeats; wall clock, except ours-vs-pyworkforce pairs: CPU time, "
          "alternating rounds)\n")
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    print(
        f"| {'Erlang B max rel. error vs mpmath':<44} | {worst_b:12.1e} | {'':>12} | {'':>9} | {'c ≤ 100,000':<12} "
        f"| {'≤ 1e-9':<16} | {'yes' if worst_b <= 1e-9 else 'NO':<3} |"
    )
    print(
        f"| {'Erlang C max rel. error vs mpmath':<44} | {worst_c:12.1e} | {'':>12} | {'':>9} | {'ρ ≤ 0.999':<12} "
        f"| {'≤ 1e-9':<16} | {'yes' if worst_c <= 1e-9 else 'NO':<3} |"
    )
    for line in [*erlang_rows(), *mva_rows(), usl_row(), *mmck_rows()]:
        print(line)


if __name__ == "__main__":
    main()
