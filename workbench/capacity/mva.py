"""Mean Value Analysis of closed queueing networks: exact (with multi-server stations), Schweitzer, bounds.

Model: N users circulate between a think state (mean Z seconds) and K stations; station k has service
demand D_k seconds per request (visits × service time) and m_k identical servers, or is a delay
station (infinite servers, no queueing).  Assumptions: product form (BCMP): FCFS stations with
exponential, load-independent service per server, or PS/delay stations with any distribution; one
class of users; steady state.  Units: seconds and requests per second.

Exact MVA (Reiser & Lavenberg, "Mean-value analysis of closed multichain queuing networks",
J. ACM 27(2), 1980).  Multi-server stations use the exact marginal-probability recursion, not the
single-server approximation (Bolch, Greiner, de Meer & Trivedi, *Queueing Networks and Markov
Chains*, 2nd ed. 2006, §8.2.1 eqs. 8.31–8.33; Menascé, Almeida & Dowdy, *Performance by Design*, 2004,
ch. 13; Lazowska et al., *Quantitative System Performance*, 1984, ch. 20 §20.3):

    R_k(n)   = D_k/m_k · [1 + Q_k(n−1) + Σ_{j=0}^{m_k−2} (m_k−1−j)·p_k(j | n−1)]
    p_k(j|n) = D_k/j · X(n) · p_k(j−1 | n−1),             j = 1 … m_k−1
    p_k(0|n) = 1 − [D_k·X(n) + Σ_{j=1}^{m_k−1} (m_k−j)·p_k(j|n)] / m_k

The recursion runs over n = 1 … N with numpy arrays over stations (cost O(N·Σm_k)).

Approximate MVA (P. Schweitzer, "Approximate analysis of multiclass closed networks of queues",
1979; Lazowska et al. 1984, §6.4.2): Q_k(N−1) ≈ (N−1)/N · Q_k(N), solved by fixed-point iteration for
all requested populations at once; multi-server stations by Seidmann's decomposition (a queue with
demand D/m plus a delay of D(m−1)/m; Seidmann, Schweitzer & Shalev-Oren, 1987).

Bounds (Lazowska et al. 1984, ch. 5 §5.2): X(N) ≤ min(N/(D+Z), 1/D_max), R(N) ≥ max(D, N·D_max − Z).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

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


MAX_MULTI_STATIONS = 8


def exact_mva(stations: Sequence[Station], users: int, think_time: float = 0.0) -> MVAResult:
    """Exact MVA for every population 1 … ``users`` (see module docstring for the recursion).

    ``stations``: demands in seconds, servers ≥ 1, queue or delay kind.  ``think_time`` Z in seconds.
    Returns throughput (req/s), response time excluding Z (s), per-station utilisation per server
    and mean queue length (requests present, waiting or in service) for each population.

    Numerical stability: computing p_k(0|n) as the complement 1 − [...]/m_k (Bolch eq. 8.33) loses all
    precision once a multi-server station nears saturation, and the error then grows geometrically
    with n (we measured 70 % throughput errors at n ≈ 80 for a 16-server station).  We use instead the
    exact identity p_k(0|n) = G₋ₖ(n)/G(n) = p_k(0|n−1)·X(n)/X₋ₖ(n) (Lazowska et al. 1984, §20.3.2;
    Bolch et al. 2006, §8.2.1), where X₋ₖ is the throughput of the network without station k.  The
    complement networks are solved in the same pass, vectorised: one lane per subset of multi-server
    stations removed (2^M lanes for M multi-server stations, M ≤ 8), so every product stays positive.
    """
    _check_population(users, think_time)
    demand, servers, delay = _arrays(stations)
    multi = np.flatnonzero((~delay) & (servers > 1) & (demand > 0))
    m_count = multi.size
    if m_count > MAX_MULTI_STATIONS:
        raise InputError("errors.capacity.mva_too_many_multi", count=int(m_count), maximum=MAX_MULTI_STATIONS)
    lanes = 1 << m_count
    lane_ids = np.arange(lanes)
    removed = ((lane_ids[:, None] >> np.arange(m_count)[None, :]) & 1).astype(bool)  # (S, M)
    d_lane = np.repeat(demand[None, :], lanes, axis=0)
    d_lane[:, multi] = np.where(removed, 0.0, demand[multi][None, :])
    q_dem = np.where(delay[None, :], 0.0, d_lane / servers[None, :])  # (S, K)
    delay_dem = np.where(delay[None, :], d_lane, 0.0)
    comp = lane_ids[:, None] | (1 << np.arange(m_count))[None, :]  # lane with station b also removed
    m_multi = servers[multi]
    width = int(m_multi.max()) if m_count else 1
    j = np.arange(width, dtype=float)
    w_resid = np.where(j[None, :] <= m_multi[:, None] - 2, m_multi[:, None] - 1 - j[None, :], 0.0)  # (M, W)
    valid = (j[None, :] >= 1) & (j[None, :] <= m_multi[:, None] - 1)
    coef = np.where(valid, demand[multi][:, None] / np.maximum(j[None, :], 1.0), 0.0)  # (M, W)
    p = np.zeros((lanes, m_count, width))
    p[:, :, 0] = 1.0
    q = np.zeros((lanes, demand.size))
    xs = np.empty(users)
    rs = np.empty(users)
    qs = np.empty((demand.size, users))
    for n in range(1, users + 1):
        r = q_dem * (1.0 + q)
        if m_count:
            r[:, multi] += q_dem[:, multi] * (w_resid[None, :, :] * p).sum(axis=2)
        r += delay_dem
        total = think_time + r.sum(axis=1)
        empty = total < 1e-300  # a complement lane with (almost) nowhere to be: G₋ₖ(n) → 0
        x = np.where(empty, 0.0, n / np.where(empty, 1.0, total))
        q = x[:, None] * r
        if m_count:
            # X(n)/X₋ₖ(n) = (Z + ΣR₋ₖ)/(Z + ΣR): a ratio of totals cannot overflow; 0 for an empty complement
            ratio = np.where(empty[:, None], 0.0, total[comp] / np.where(empty, 1.0, total)[:, None])
            p0 = p[:, :, 0] * ratio
            p_new = np.empty_like(p)
            # a removed station's marginals are unused; keep them at "empty" so they cannot overflow
            p_new[:, :, 1:] = np.where(removed[:, :, None], 0.0, coef[None, :, 1:] * x[:, None, None] * p[:, :, :-1])
            p_new[:, :, 0] = np.where(removed, 1.0, p0)
            p = p_new
        xs[n - 1] = x[0]
        rs[n - 1] = total[0] - think_time
        qs[:, n - 1] = q[0]
    util = np.where(delay[:, None], 0.0, xs[None, :] * (demand / servers)[:, None])
    return MVAResult(
        populations=list(range(1, users + 1)),
        throughput=xs.tolist(),
        response_time=rs.tolist(),
        station_names=[s.name for s in stations],
        utilisation=util.tolist(),
        queue_length=qs.tolist(),
        think_time=think_time,
        exact=True,
    )


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

    Exact MVA runs 2^M lanes for M multi-server stations; beyond :data:`MAX_MULTI_STATIONS` the
    approximation is used for every population and the result is flagged ``exact=False``.
    """
    _check_population(users, think_time)
    demand, servers, delay = _arrays(stations)
    if int(((~delay) & (servers > 1) & (demand > 0)).sum()) <= MAX_MULTI_STATIONS:
        return exact_mva(stations, users, think_time)
    return schweitzer_mva(stations, range(1, users + 1), think_time)
