"""Mean Value Analysis of closed queueing networks: exact (with multi-server stations), Schweitzer, bounds.

Model: N users circulate between a think state (mean Z seconds) and K stations; station k has service
demand D_k seconds per request (visits × service time) and m_k identical servers, or is a delay
station (infinite servers, no queueing).  Assumptions: product form (BCMP): FCFS stations with
exponential, load-independent service per server, or PS/delay stations with any distribution; one
class of users; steady state.  Units: seconds and requests per second.

Exact results (Reiser & Lavenberg, "Mean-value analysis of closed multichain queuing networks",
J. ACM 27(2), 1980) are computed by the algebraically identical convolution algorithm (Buzen 1973;
Bolch, Greiner, de Meer & Trivedi, *Queueing Networks and Markov Chains*, 2nd ed. 2006, §8.1;
Lazowska et al., *Quantitative System Performance*, 1984, ch. 20 §20.3) in log space, with a
c-server station's factors split into an FIR part (j < c) and a geometric tail: O(N·c) per station,
stable at any population (see :func:`exact_mva`).  The textbook MVA marginal recursion

    p_k(0|n) = 1 − [D_k·X(n) + Σ_{j=1}^{m_k−1} (m_k−j)·p_k(j|n)] / m_k        (Bolch eq. 8.33)

is not used: it cancels catastrophically near saturation (70 % throughput error at n ≈ 80 for a
16-server station in double precision).

Approximate MVA (P. Schweitzer, "Approximate analysis of multiclass closed networks of queues",
1979; Lazowska et al. 1984, §6.4.2): Q_k(N−1) ≈ (N−1)/N · Q_k(N), solved by fixed-point iteration for
all requested populations at once; multi-server stations by Seidmann's decomposition (a queue with
demand D/m plus a delay of D(m−1)/m; Seidmann, Schweitzer & Shalev-Oren, 1987).

Bounds (Lazowska et al. 1984, ch. 5 §5.2): X(N) ≤ min(N/(D+Z), 1/D_max), R(N) ≥ max(D, N·D_max − Z).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import special

from workbench.capacity.models import Bounds, MVAResult, Station, StationKind
from workbench.errors import InputError

MAX_USERS = 100_000
MAX_STATIONS = 50


def _arrays(stations: Sequence[Station]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not stations:
        raise InputError("errors.capacity.mva_no_stations")
    if len(stations) > MAX_STATIONS:
        raise InputError("errors.capacity.mva_too_many_stations", count=len(stations), maximum=MAX_STATIONS)
    demand = np.array([s.demand for s in stations], dtype=float)
    servers = np.array([s.servers for s in stations], dtype=float)
    delay = np.array([s.kind is StationKind.DELAY for s in stations])
    if not np.any((demand > 0) & ~delay):
        raise InputError("errors.capacity.mva_no_queue")
    return demand, servers, delay


def _check_population(users: int, think_time: float) -> None:
    if isinstance(users, bool) or not isinstance(users, int) or not 1 <= users <= MAX_USERS:
        raise InputError("errors.capacity.mva_users_range", value=users, maximum=MAX_USERS)
    if not np.isfinite(think_time) or think_time < 0:
        raise InputError("errors.capacity.not_positive", field="think_time", value=think_time)


def mva_bounds(stations: Sequence[Station], think_time: float = 0.0) -> Bounds:
    """Asymptotic bounds and the bottleneck (largest demand per server among queueing stations)."""
    demand, servers, delay = _arrays(stations)
    per_server = np.where(delay, 0.0, demand / servers)
    k = int(np.argmax(per_server))
    total = float(demand.sum())
    dmax = float(per_server[k])
    return Bounds(
        total_demand=total,
        max_demand=dmax,
        think_time=think_time,
        bottleneck=stations[k].name,
        n_star=(total + think_time) / dmax,
    )


# Exact work is O(N·Σm·M) log-space vector steps; beyond this budget the Schweitzer approximation is used.
MAX_EXACT_WORK = 400_000_000


def _log_station_filter(lx: np.ndarray, demand: float, servers: int, alpha: float) -> np.ndarray:
    """Convolve the log-sequence ``lx`` with one station's load-dependent factors, in log space.

    f(j) = (D/α)^j / Π_{i≤j} min(i, m): for j < m the first m terms are an FIR filter of length m; for
    j ≥ m, f(j) = f(m)·r^{j−m} with r = D/(m·α) ≤ 1, so the tail is Σ_{i ≤ n−m} f(m)·r^{n−m−i}·x(i)
    = f(m)·r^{n−m}·C₁(n−m) with C₁ the cumulative sum of r^{−i}·x(i), a cumulative log-sum-exp
    (``np.logaddexp.accumulate``).  Cost O(N·m); every term is positive, so nothing cancels.
    """
    size = lx.size
    j = np.arange(min(servers, size - 1) + 1, dtype=float)
    lf = j * math.log(demand / alpha) - special.gammaln(j + 1.0)
    out = np.full(size, -np.inf)
    for k in range(min(servers, size)):
        out[k:] = np.logaddexp(out[k:], lf[k] + lx[: size - k])
    if size > servers:
        r_log = math.log(demand / (servers * alpha))
        idx = np.arange(size - servers, dtype=float)
        c1 = np.logaddexp.accumulate(lx[: size - servers] - idx * r_log)
        out[servers:] = np.logaddexp(out[servers:], lf[servers] + idx * r_log + c1)
    return out


def _multi_queue_length(
    l_minus: np.ndarray, l_g: np.ndarray, demand: float, servers: int, alpha: float
) -> np.ndarray:
    """Mean number at a multi-server station for n = 0 … N from G₋ₖ (network without it) and G.

    Q(n) = Σ_j j·f(j)·G₋ₖ(n−j)/G(n) (Buzen 1973; Bolch et al. 2006, §8.1.2).  The tail j ≥ m is
    f(m)·r^{n−m}·[m·C₁(n−m) + C₂(n−m)] with C₂(K) = Σ_{l<K} C₁(l), so again only positive sums.
    """
    size = l_g.size
    j = np.arange(min(servers, size - 1) + 1, dtype=float)
    lf = j * math.log(demand / alpha) - special.gammaln(j + 1.0)
    acc = np.full(size, -np.inf)
    for k in range(1, min(servers, size)):
        acc[k:] = np.logaddexp(acc[k:], math.log(k) + lf[k] + l_minus[: size - k])
    if size > servers:
        r_log = math.log(demand / (servers * alpha))
        idx = np.arange(size - servers, dtype=float)
        c1 = np.logaddexp.accumulate(l_minus[: size - servers] - idx * r_log)
        c2 = np.concatenate(([-np.inf], np.logaddexp.accumulate(c1)[:-1]))
        tail = lf[servers] + idx * r_log + np.logaddexp(math.log(servers) + c1, c2)
        acc[servers:] = np.logaddexp(acc[servers:], tail)
    return np.exp(acc - l_g)


def exact_mva(stations: Sequence[Station], users: int, think_time: float = 0.0) -> MVAResult:
    """Exact results for every population 1 … ``users``, multi-server stations included.

    ``stations``: demands in seconds, servers ≥ 1, queue or delay kind.  ``think_time`` Z in seconds.
    Returns throughput (req/s), response time excluding Z (s), per-station utilisation per server
    and mean queue length (requests present, waiting or in service) for each population.

    Method: the convolution algorithm (Buzen 1973, "Computational algorithms for closed queueing
    networks with exponential servers", CACM 16(9); load-dependent form in Bolch et al. 2006, §8.1;
    Lazowska et al. 1984, §20.3), which gives the same numbers as exact MVA (Reiser & Lavenberg 1980)
    — the two are algebraically identical — but is stable where the MVA marginal recursion is not
    (p(0|n) = 1 − Σ… loses all precision near saturation).  Three choices make it fast and stable:

    * everything is kept in log space (G(n) spans thousands of decades: (Z/D)^n/n! with a long think
      time, (D/α)^j/j! for a station with many servers), after tilting by α = max_k D_k/m_k so that
      every geometric tail has ratio ≤ 1;
    * a c-server station's rate is constant beyond c, so its factors are an FIR filter of length c
      plus a geometric tail, a cumulative log-sum-exp: O(N·c) per station instead of O(N²);
    * all delay stations and the think time merge into one Poisson factor (Z_total)^n/n!.
    X(n) = G(n−1)/G(n); single-server queue lengths Q_k(n) = Σ_{j≥1} D_k^j·G(n−j)/G(n); a
    multi-server station's from G₋ₖ, the network without it (prefix products, O(M²) passes).
    """
    _check_population(users, think_time)
    demand, servers, delay = _arrays(stations)
    size = users + 1
    queue = (~delay) & (demand > 0)
    alpha = float(np.max(np.where(queue, demand / servers, 0.0)))
    z_total = think_time + float(demand[delay].sum())
    n_idx = np.arange(size, dtype=float)
    if z_total > 0:
        base = n_idx * math.log(z_total / alpha) - special.gammaln(n_idx + 1.0)
    else:
        base = np.where(n_idx == 0, 0.0, -np.inf)
    single = [k for k in np.flatnonzero(queue) if servers[k] == 1]
    multi = [k for k in np.flatnonzero(queue) if servers[k] > 1]
    for k in single:
        base = _log_station_filter(base, float(demand[k]), 1, alpha)
    # prefix[i] = base ⊛ multi[0..i−1]; G₋ₖ for multi[i] = prefix[i] ⊛ multi[i+1..]
    prefix = [base]
    for k in multi:
        prefix.append(_log_station_filter(prefix[-1], float(demand[k]), int(servers[k]), alpha))
    l_g = prefix[-1]
    with np.errstate(over="ignore"):
        x = np.exp(l_g[:-1] - l_g[1:]) / alpha
    q = np.zeros((demand.size, size))
    for k in single:
        r_log = math.log(float(demand[k]) / alpha)
        c1 = np.logaddexp.accumulate(l_g[:-1] - n_idx[:-1] * r_log)
        q[k, 1:] = np.exp(n_idx[1:] * r_log + c1 - l_g[1:])
    for i, k in enumerate(multi):
        minus = prefix[i]
        for k2 in multi[i + 1 :]:
            minus = _log_station_filter(minus, float(demand[k2]), int(servers[k2]), alpha)
        q[k] = _multi_queue_length(minus, l_g, float(demand[k]), int(servers[k]), alpha)
    q[delay, 1:] = x[None, :] * demand[delay][:, None]
    qs = q[:, 1:]
    util = np.where(delay[:, None], 0.0, x[None, :] * (demand / servers)[:, None])
    return MVAResult(
        populations=list(range(1, users + 1)),
        throughput=x.tolist(),
        response_time=(qs.sum(axis=0) / x).tolist(),  # Σ Q_k/X: no cancellation against a long Z
        station_names=[s.name for s in stations],
        utilisation=util.tolist(),
        queue_length=qs.tolist(),
        think_time=think_time,
        exact=True,
    )


def exact_work(stations: Sequence[Station], users: int) -> int:
    """Vector steps the exact method needs: N·(K + Σ_multi m·(M+1)) (see :func:`exact_mva`)."""
    multi = [s.servers for s in stations if s.kind is StationKind.QUEUE and s.servers > 1 and s.demand > 0]
    return users * (len(stations) + sum(multi) * (len(multi) + 1))


def schweitzer_mva(
    stations: Sequence[Station],
    populations: Sequence[int],
    think_time: float = 0.0,
    tol: float = 1e-10,
    max_iter: int = 10_000,
) -> MVAResult:
    """Schweitzer's approximate MVA at the given populations, all solved at once (vectorised).

    Fixed point of R_k = D_k'·(1 + (N−1)/N·Q_k) + delay part, X = N/(Z + ΣR), Q_k = X·R_k, where a
    station with m servers is split into a queue of demand D/m and a delay of D(m−1)/m (Seidmann).
    Typical error against exact MVA is a few per cent near the knee N* (tested).
    """
    pops = np.asarray(sorted({int(p) for p in populations}), dtype=float)
    if pops.size == 0:
        raise InputError("errors.capacity.mva_users_range", value=0, maximum=MAX_USERS)
    _check_population(int(pops.max()), think_time)
    _check_population(int(pops.min()), think_time)
    demand, servers, delay = _arrays(stations)
    q_demand = np.where(delay, 0.0, demand / servers)[:, None]
    d_delay = np.where(delay, demand, demand * (servers - 1.0) / servers)[:, None]
    q = np.repeat(pops[None, :] / demand.size, demand.size, axis=0)
    shrink = (pops - 1.0) / pops
    x = np.zeros_like(pops)
    for _ in range(max_iter):
        r_queue = q_demand * (1.0 + shrink[None, :] * q)
        x = pops / (think_time + (r_queue + d_delay).sum(axis=0))
        q_new = x[None, :] * r_queue
        if np.max(np.abs(q_new - q)) < tol * max(1.0, float(pops.max())):
            q = q_new
            break
        q = q_new
    r_all = q_demand * (1.0 + shrink[None, :] * q) + d_delay
    util = np.where(delay[:, None], 0.0, x[None, :] * (demand / servers)[:, None])
    return MVAResult(
        populations=[int(p) for p in pops],
        throughput=x.tolist(),
        response_time=r_all.sum(axis=0).tolist(),
        station_names=[s.name for s in stations],
        utilisation=util.tolist(),
        queue_length=(x[None, :] * r_all).tolist(),
        think_time=think_time,
        exact=False,
    )


def solve_network(stations: Sequence[Station], users: int, think_time: float = 0.0) -> MVAResult:
    """Exact MVA when it is affordable, otherwise Schweitzer's approximation (``exact`` says which).

    The exact method costs :func:`exact_work` vector steps; beyond :data:`MAX_EXACT_WORK` (thousands of
    servers at dozens of stations with 100,000 users) the approximation is used for every population
    and the result is flagged ``exact=False`` (the page and the CLI say so).
    """
    _check_population(users, think_time)
    _arrays(stations)
    if exact_work(stations, users) <= MAX_EXACT_WORK:
        return exact_mva(stations, users, think_time)
    return schweitzer_mva(stations, range(1, users + 1), think_time)
