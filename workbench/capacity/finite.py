"""M/M/c/K: c servers and room for K requests in all (K − c waiting) — a thread pool with a bounded queue.

Arrivals finding K requests present are turned away (HTTP 503, a rejected task), so the queue is
stable at any load and the questions are "what share is refused?" and "how long do the admitted
wait?".  K = c is the Erlang loss system (Erlang B); K → ∞ is M/M/c (Erlang C).

Source: Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed. (2008), §2.5
(M/M/1/K) and §2.6 (M/M/c/K), eqs. 2.49–2.56; Kleinrock, *Queueing Systems* Vol. 1 (1975), §3.6.
With A = λ·S and ρ = A/c:

    p_n = p0·A^n/n!              for 0 ≤ n ≤ c
    p_n = p0·A^c/c!·ρ^(n−c)      for c < n ≤ K,           p0 = 1/Σ(…)

blocking P_K = p_K; admitted rate λ_e = λ(1 − P_K); L = Σ n·p_n, L_q = Σ (n − c)·p_n;
W = L/λ_e, W_q = L_q/λ_e (Little's law on admitted requests); server utilisation λ_e·S/c.
An admitted arrival sees n with probability p_n/(1−P_K) (PASTA) and, when n ≥ c, waits an
Erlang(n − c + 1, c/S) time; the response time adds an independent Exp(1/S) service.  Those mixtures
are summed in O(√(c·t/S)) per evaluation by :mod:`workbench.capacity.finite_delay` (exchanged sums,
log-concave windows), so percentiles stay fast for K up to 100,000.  State probabilities are computed
in log space (no factorial overflows at thousands of servers).
Units: λ requests/s, S seconds.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from workbench.capacity.erlang import _check_rates
from workbench.capacity.finite_delay import FiniteQueue, response_survival, wait_survival
from workbench.capacity.ggc import invert_survival
from workbench.capacity.models import QueueKind, QueueResult
from workbench.errors import InputError

MAX_CAPACITY = 100_000
_NEGLIGIBLE = 1e-18  # states less likely than this (relative to the likeliest) do not move any figure


def _state_log_probabilities(offered_load: float, servers: int, capacity: int) -> np.ndarray:
    """ln p_n for n = 0 … K (module docstring), normalised in log space."""
    n = np.arange(capacity + 1, dtype=float)
    log_a = math.log(offered_load)
    low = n[: servers + 1] * log_a - special.gammaln(n[: servers + 1] + 1.0)
    high = low[-1] + (n[servers + 1 :] - servers) * (log_a - math.log(servers))
    logs = np.concatenate((low, high))
    top = float(logs.max())
    return logs - (top + math.log(float(np.exp(logs - top).sum())))


def mmck_blocking(arrival_rate: float, service_time: float, servers: int, capacity: int) -> float:
    """P_K alone, in O(c) for any K (the sizing search asks it for thousands of instances):

    log P_K = log(A^c/c!·ρ^{K−c}) − log Σ_n (…), with the queue part of the sum a geometric series,
    Σ_{j=1}^{K−c} ρ^j = ρ(1 − ρ^{K−c})/(1 − ρ) (K − c when ρ = 1) (Gross et al. 2008, eq. 2.53).
    """
    a = arrival_rate * service_time
    n = np.arange(servers + 1, dtype=float)
    low = n * math.log(a) - special.gammaln(n + 1.0)
    m = capacity - servers
    log_rho = math.log(a) - math.log(servers)
    if m == 0:
        log_tail = -math.inf
    elif abs(log_rho) < 1e-12:
        log_tail = low[-1] + math.log(m)
    elif log_rho < 0:  # ρ < 1: ρ(1 − ρ^m)/(1 − ρ)
        log_tail = low[-1] + log_rho + math.log(-math.expm1(m * log_rho)) - math.log(-math.expm1(log_rho))
    else:  # ρ > 1: ρ(ρ^m − 1)/(ρ − 1), kept in logs
        log_tail = low[-1] + log_rho + m * log_rho + math.log(-math.expm1(-m * log_rho)) - math.log(math.expm1(log_rho))
    log_total = float(special.logsumexp(np.append(low, log_tail)))
    return math.exp(low[-1] + m * log_rho - log_total)


def mmck(
    arrival_rate: float,
    service_time: float,
    servers: int,
    capacity: int,
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99),
    wait_target: float | None = None,
) -> QueueResult:
    """All M/M/c/K metrics (see module docstring); delays are those of admitted requests.

    ``capacity`` K ≥ ``servers`` c is the most requests present at once (in service + waiting).
    """
    _check_rates(arrival_rate, service_time)
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise InputError("errors.capacity.servers_not_positive", value=servers)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not servers <= capacity <= MAX_CAPACITY:
        raise InputError("errors.capacity.capacity_range", value=capacity, servers=servers, limit=MAX_CAPACITY)
    a = arrival_rate * service_time
    logs = _state_log_probabilities(a, servers, capacity)
    p = np.exp(logs)
    n = np.arange(capacity + 1, dtype=float)
    blocked = float(p[-1])
    kept = logs[:-1]  # ln(1 − P_K) summed over the admitting states: exact even when P_K → 1
    log_admitted = float(kept.max()) + math.log(float(np.exp(kept - kept.max()).sum()))
    admitted = math.exp(log_admitted)
    lam_e = arrival_rate * admitted
    l_sys = float((n * p).sum())  # elementwise, not BLAS: its threads only add contention here
    l_q = float((np.clip(n - servers, 0.0, None) * p).sum())
    fq = FiniteQueue(
        servers=servers,
        service_time=service_time,
        room=capacity - servers,
        log_rho=math.log(a) - math.log(servers),
        log_q0=float(logs[0]) - log_admitted,
        log_qc=float(logs[servers]) - log_admitted,
        prob_wait=min(1.0, float(p[servers:capacity].sum()) / admitted),
    )

    def wait_sf(t: float) -> float:
        return wait_survival(t, fq)

    def resp_sf(t: float) -> float:
        return response_survival(t, fq)

    mean_wait = l_q / lam_e
    scale = service_time + mean_wait
    return QueueResult(
        kind=QueueKind.MMCK,
        arrival_rate=arrival_rate,
        service_time=service_time,
        servers=servers,
        stable=True,
        utilisation=lam_e * service_time / servers,
        offered_load=a,
        prob_wait=fq.prob_wait,
        mean_wait=mean_wait,
        mean_response=l_sys / lam_e,
        mean_queue_length=l_q,
        mean_in_system=l_sys,
        wait_percentiles={q: invert_survival(wait_sf, q, scale) for q in percentiles},
        response_percentiles={q: invert_survival(resp_sf, q, scale) for q in percentiles},
        wait_target=wait_target,
        service_level=None if wait_target is None else 1.0 - wait_sf(wait_target),
        exact=True,
        prob_empty=float(p[0]),
        capacity=capacity,
        prob_blocked=blocked,
        effective_arrival_rate=lam_e,
    )
