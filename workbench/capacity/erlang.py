"""Erlang B, Erlang C and the M/M/c and M/M/1 queues, stable up to c = 100,000 servers.

Units: arrival rate λ in requests per second, mean service time S in seconds, times in seconds.
Offered load A = λ·S (erlangs), utilisation ρ = A / c.

Numerics (why no factorials): Erlang B equals the Poisson ratio B(c, A) = pmf(c; A) / cdf(c; A)
(Jagerman 1974, "Some properties of the Erlang loss function", Bell Syst. Tech. J. 53(3)).  The pmf is
evaluated in log space with Loader's saddle-point form (C. Loader, "Fast and accurate computation of
binomial probabilities", 2000), which keeps full relative precision where ``c·ln A − A − ln c!``
would lose ~6 digits to cancellation at c = 10⁵; the cdf is the regularised upper incomplete gamma
function (``scipy.special.pdtr``).  Cost is constant in c.  For small c the textbook recursion
B(0)=1, B(k)=A·B(k−1)/(k+A·B(k−1)) is used (Kleinrock, Queueing Systems Vol. 1, 1975, §3.7) and both
paths are checked against each other and against mpmath in the tests.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special
from scipy.optimize import brentq

from workbench.capacity.models import QueueKind, QueueResult
from workbench.errors import InputError

_RECURSION_MAX_C = 64
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
# Stirling-series coefficients for ln n! − [(n+½)ln n − n + ½ln 2π] (Abramowitz & Stegun 6.1.41).
_S0, _S1, _S2, _S3, _S4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188


def _stirlerr(n: float) -> float:
    """δ(n) = ln n! − [(n+½)ln n − n + ½ln(2π)], accurate to double precision (Loader 2000, §2)."""
    if n <= 15.0:
        return math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - _HALF_LOG_2PI
    nn = n * n
    return (_S0 - (_S1 - (_S2 - (_S3 - _S4 / nn) / nn) / nn) / nn) / n


def _bd0(x: float, m: float) -> float:
    """Deviance term x·ln(x/m) + m − x without cancellation (Loader 2000, §3)."""
    if abs(x - m) < 0.1 * (x + m):
        v = (x - m) / (x + m)
        s = (x - m) * v
        ej = 2.0 * x * v
        v2 = v * v
        j = 1
        while True:
            ej *= v2
            s1 = s + ej / (2 * j + 1)
            if s1 == s:
                return s1
            s = s1
            j += 1
    return x * math.log(x / m) + m - x


def poisson_log_pmf(k: int, mean: float) -> float:
    """ln P(K = k) for K ~ Poisson(mean), full relative precision for large k (Loader 2000)."""
    if k == 0:
        return -mean
    return -_stirlerr(float(k)) - _bd0(float(k), mean) - 0.5 * math.log(2.0 * math.pi * k)


def _check_load(servers: int, offered_load: float) -> None:
    if not isinstance(servers, int) or isinstance(servers, bool) or servers < 1:
        raise InputError("errors.capacity.servers_not_positive", value=servers)
    if not math.isfinite(offered_load) or offered_load <= 0.0:
        raise InputError("errors.capacity.load_not_positive", value=offered_load)


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of an M/M/c/c loss system (Erlang B formula).

    Source: A. K. Erlang (1917); Kleinrock, *Queueing Systems* Vol. 1 (1975), §3.7 eq. 3.46.
    Assumptions: Poisson arrivals, c servers, no waiting room; the result is insensitive to the
    service-time distribution beyond its mean (Sevastyanov 1957).
    ``offered_load`` A = λ·S in erlangs (> 0); ``servers`` c ≥ 1.  Returns B ∈ (0, 1).
    """
    _check_load(servers, offered_load)
    if servers <= _RECURSION_MAX_C:
        b = 1.0
        for k in range(1, servers + 1):
            b = offered_load * b / (k + offered_load * b)
        return b
    if offered_load >= servers:
        return _erlang_b_overload(servers, offered_load)
    log_pmf = poisson_log_pmf(servers, offered_load)
    return min(1.0, math.exp(log_pmf) / float(special.pdtr(servers, offered_load)))


def _erlang_b_overload(servers: int, offered_load: float) -> float:
    """Erlang B for A ≥ c, where the Poisson cdf can underflow.

    1/B = Σ_{j=0..c} c!/((c−j)!·A^j) (Jagerman 1974, eq. 5); every ratio (c−i)/A ≤ 1, so the terms
    fall at least like exp(−j²/2c) and ~10·√c of them reach double precision.
    """
    k = min(servers, int(10.0 * math.sqrt(servers)) + 100)
    terms = np.cumprod((servers - np.arange(k, dtype=float)) / offered_load)
    return 1.0 / (1.0 + float(terms.sum()))


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival has to wait in an M/M/c queue (Erlang C formula).

    Source: Kleinrock, *Queueing Systems* Vol. 1 (1975), §3.5 eq. 3.40; computed from Erlang B by
    C = c·B / (c − A·(1 − B)) (Cooper, *Introduction to Queueing Theory*, 2nd ed. 1981, §3.4).
    Assumptions: Poisson arrivals, exponential service, c identical servers, FCFS, infinite queue.
    Requires A < c (ρ < 1); returns 1.0 when A ≥ c (everyone waits: the queue is unstable).
    """
    _check_load(servers, offered_load)
    if offered_load >= servers:
        return 1.0
    b = erlang_b(servers, offered_load)
    return servers * b / (servers - offered_load * (1.0 - b))


def _check_rates(arrival_rate: float, service_time: float) -> None:
    for name, value in (("arrival_rate", arrival_rate), ("service_time", service_time)):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError("errors.capacity.not_a_number", field=name, value=str(value))
        if value <= 0.0:
            raise InputError("errors.capacity.not_positive", field=name, value=value)


def mmc_wait_survival(t: float, servers: int, arrival_rate: float, service_time: float) -> float:
    """P(W_q > t) for M/M/c: C(c, A)·exp(−(c/S − λ)·t), t in seconds (Kleinrock Vol. 1, §3.5 eq. 3.47)."""
    a = arrival_rate * service_time
    theta = servers / service_time - arrival_rate
    return erlang_c(servers, a) * math.exp(-theta * max(t, 0.0))


def _hypoexp_survival(t: float, theta: float, mu: float) -> float:
    """P(X + Y > t) for independent X ~ Exp(θ), Y ~ Exp(μ); symmetric in θ, μ and stable when θ ≈ μ.

    With a = min(θ, μ), δ = |θ − μ|: e^{−at}·(1 + a·(1 − e^{−δt})/δ), the last factor via expm1
    (→ t as δ → 0), so no term can overflow.
    """
    a = min(theta, mu)
    delta = abs(theta - mu)
    x = delta * t
    factor = t * (1.0 - 0.5 * x) if x < 1e-8 else -math.expm1(-x) / delta
    return math.exp(-a * t) * (1.0 + a * factor)


def mmc_response_survival(t: float, servers: int, arrival_rate: float, service_time: float) -> float:
    """P(R > t) for M/M/c, R = W_q + S: (1−C)·e^{−μt} + C·P(Exp(cμ−λ) + Exp(μ) > t).

    Source: Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed. (2008),
    §2.3 (M/M/c waiting-time distribution); the response time is the convolution of the conditional
    exponential wait with the exponential service (a hypoexponential mixture).  t in seconds.
    """
    if t <= 0.0:
        return 1.0
    mu = 1.0 / service_time
    theta = servers * mu - arrival_rate
    c_wait = erlang_c(servers, arrival_rate * service_time)
    return (1.0 - c_wait) * math.exp(-mu * t) + c_wait * _hypoexp_survival(t, theta, mu)


def mmc_wait_percentile(q: float, servers: int, arrival_rate: float, service_time: float) -> float:
    """The q-quantile of the M/M/c waiting time in seconds: 0 if q ≤ 1−C, else ln(C/(1−q))/(c/S − λ).

    Source: inverse of Kleinrock Vol. 1 §3.5 eq. 3.47.  q ∈ (0, 1).
    """
    c_wait = erlang_c(servers, arrival_rate * service_time)
    if q <= 1.0 - c_wait:
        return 0.0
    theta = servers / service_time - arrival_rate
    return math.log(c_wait / (1.0 - q)) / theta


def mmc_response_percentile(q: float, servers: int, arrival_rate: float, service_time: float) -> float:
    """The q-quantile of the M/M/c response time (wait + service) in seconds, solved with brentq.

    No closed form exists; the exact survival function :func:`mmc_response_survival` is inverted on a
    bracket that doubles until it holds the quantile.  Assumptions as for :func:`erlang_c`.
    """
    target = 1.0 - q
    hi = service_time * max(1.0, -math.log(target))
    while mmc_response_survival(hi, servers, arrival_rate, service_time) > target:
        hi *= 2.0
    return float(
        brentq(
            lambda t: mmc_response_survival(t, servers, arrival_rate, service_time) - target,
            0.0,
            hi,
            xtol=1e-12 * hi,
            rtol=1e-12,
        )
    )


def mmc_service_level(wait_target: float, servers: int, arrival_rate: float, service_time: float) -> float:
    """Service level P(W_q ≤ t) for M/M/c, t in seconds ("80 % answered within 20 s").

    Source: Kleinrock Vol. 1 §3.5 eq. 3.47; call-centre use as in Koole, *Call Center Optimization*
    (2013), §4.2.  Returns 0.0 for an unstable queue (A ≥ c).
    """
    if arrival_rate * service_time >= servers:
        return 0.0
    return 1.0 - mmc_wait_survival(wait_target, servers, arrival_rate, service_time)


def mmc(
    arrival_rate: float,
    service_time: float,
    servers: int,
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99),
    wait_target: float | None = None,
) -> QueueResult:
    """All M/M/c metrics in one value: utilisation, P(wait), means, percentiles, service level.

    Source: Kleinrock, *Queueing Systems* Vol. 1 (1975), §3.5; Gross et al. (2008) §2.3.
    Assumptions: Poisson arrivals (λ, requests/s), exponential service (mean S, seconds), c identical
    servers fed from one FCFS queue of unlimited size, steady state.  An unstable queue (ρ ≥ 1) gives a
    result with ``stable=False`` and no delay metrics instead of an exception or NaN.
    Mean wait W_q = C/(c/S − λ); mean response R = W_q + S; L_q = λ·W_q and L = λ·R (Little's law).
    """
    _check_rates(arrival_rate, service_time)
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise InputError("errors.capacity.servers_not_positive", value=servers)
    a = arrival_rate * service_time
    rho = a / servers
    kind = QueueKind.MM1 if servers == 1 else QueueKind.MMC
    if rho >= 1.0:
        return QueueResult.unstable(kind, arrival_rate, service_time, servers, rho)
    c_wait = erlang_c(servers, a)
    mean_wait = c_wait / (servers / service_time - arrival_rate)
    mean_response = mean_wait + service_time
    return QueueResult(
        kind=kind,
        arrival_rate=arrival_rate,
        service_time=service_time,
        servers=servers,
        stable=True,
        utilisation=rho,
        offered_load=a,
        prob_wait=c_wait,
        mean_wait=mean_wait,
        mean_response=mean_response,
        mean_queue_length=arrival_rate * mean_wait,
        mean_in_system=arrival_rate * mean_response,
        wait_percentiles={q: mmc_wait_percentile(q, servers, arrival_rate, service_time) for q in percentiles},
        response_percentiles={
            q: mmc_response_percentile(q, servers, arrival_rate, service_time) for q in percentiles
        },
        wait_target=wait_target,
        service_level=(
            None if wait_target is None else mmc_service_level(wait_target, servers, arrival_rate, service_time)
        ),
        exact=True,
    )


def mm1(
    arrival_rate: float,
    service_time: float,
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99),
    wait_target: float | None = None,
) -> QueueResult:
    """M/M/1: the single-server case of :func:`mmc` (Kleinrock Vol. 1 §3.2: R = S/(1−ρ), P(wait) = ρ).

    Same units and assumptions as :func:`mmc`; the response time is exponential with rate 1/S − λ.
    """
    return mmc(arrival_rate, service_time, 1, percentiles, wait_target)


def staffing_for_service_level(
    arrival_rate: float, service_time: float, wait_target: float, target_level: float
) -> int:
    """The fewest servers c with P(W_q ≤ wait_target) ≥ target_level in an M/M/c queue.

    The service level increases with c (Koole 2013, §4.2), so the answer is found by doubling from
    ⌊A⌋+1 until it holds and then bisecting: O(log c) evaluations of a constant-time formula.
    Units: λ requests/s, S and wait_target seconds; target_level ∈ (0, 1).
    """
    _check_rates(arrival_rate, service_time)
    if not 0.0 < target_level < 1.0:
        raise InputError("errors.capacity.percentile_range", value=target_level)
    if not math.isfinite(wait_target) or wait_target < 0.0:
        raise InputError("errors.capacity.not_positive", field="wait_target", value=wait_target)
    a = arrival_rate * service_time
    if a < _RECURSION_MAX_C:
        return _staffing_small(a, wait_target / service_time, 1.0 - target_level)
    lo = math.floor(a)  # unstable (or ρ ≥ 1): never enough
    step = 1
    hi = lo + step
    while mmc_service_level(wait_target, hi, arrival_rate, service_time) < target_level:
        lo = hi
        step *= 2
        hi = lo + step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mmc_service_level(wait_target, mid, arrival_rate, service_time) >= target_level:
            hi = mid
        else:
            lo = mid
    return hi


def _staffing_small(a: float, t_over_s: float, max_late: float) -> int:
    """Staffing for small loads in one pass of the Erlang B recursion (each c costs one multiply-add).

    P(W_q > t) = C(c, A)·exp(−(c − A)·t/S) ≤ 1 − target, with C from B as in :func:`erlang_c`.
    """
    b = 1.0
    k = 0
    exp = math.exp
    while True:
        k += 1
        ab = a * b
        b = ab / (k + ab)
        if k > a and k * b / (k - a * (1.0 - b)) * exp((a - k) * t_over_s) <= max_late:
            return k
