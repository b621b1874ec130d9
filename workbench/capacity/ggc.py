"""G/G/c: the Allen–Cunneen / Kingman approximation for general arrivals and service.

Mean wait (Allen–Cunneen): W_q ≈ C(c, A)/(c/S − λ) · (C_a² + C_s²)/2, where C(c, A) is Erlang C.
Source: A. O. Allen, *Probability, Statistics and Queueing Theory* (2nd ed. 1990), §6.4.2; for c = 1 it
is Kingman's heavy-traffic formula (J. F. C. Kingman, "The single server queue in heavy traffic",
Proc. Camb. Phil. Soc. 57, 1961), and with C_a = 1 it equals the exact P-K formula for M/G/1.

Percentiles (approximation, stated as such): the wait is 0 with probability 1 − C(c, A) and otherwise
exponential with the Allen–Cunneen conditional mean (the shape used by Whitt, "Approximations for the
GI/G/m queue", Production and Operations Management 2(2), 1993, §4); the service time is modelled as a
gamma distribution with mean S and CV C_s (C_s = 0 deterministic, C_s = 1 exponential).  The response
time is their convolution, inverted numerically.  With C_a = C_s = 1 every figure is the exact M/M/c one.
Units: λ requests/s, S seconds, times seconds; CVs dimensionless.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from scipy import special
from scipy.optimize import brentq

from workbench.capacity.erlang import (
    _check_rates,
    erlang_c,
    mmc,
    mmc_response_percentile,
    mmc_response_survival,
)
from workbench.capacity.models import QueueKind, QueueResult
from workbench.errors import InputError

DETERMINISTIC_CV = 1e-4
"""Below this CV a service time is treated as constant (the gamma shape 1/C² would overflow; the
difference in any percentile is far below a microsecond at realistic service times)."""


def _check_cv(name: str, value: float) -> None:
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError("errors.capacity.not_a_number", field=name, value=str(value))
    if value < 0.0 or value > 10.0:
        raise InputError("errors.capacity.cv_range", field=name, value=value)


def _service_survival(t: float, service_time: float, service_cv: float) -> float:
    """P(S > t) for the gamma service model with mean S and CV C_s."""
    if service_cv < DETERMINISTIC_CV:
        return 1.0 if t < service_time else 0.0
    shape = 1.0 / service_cv**2
    return float(special.gammaincc(shape, t * shape / service_time))


def _exp_plus_gamma_survival(t: float, wait_mean: float, service_time: float, service_cv: float) -> float:
    """P(E + S > t), E ~ Exp(mean w) independent of the gamma service S (numerical convolution)."""
    if service_cv < DETERMINISTIC_CV:
        return 1.0 if t < service_time else math.exp(-(t - service_time) / wait_mean)
    if service_cv == 1.0:
        from workbench.capacity.erlang import _hypoexp_survival

        return _hypoexp_survival(t, 1.0 / wait_mean, 1.0 / service_time)
    shape = 1.0 / service_cv**2
    scale = service_time / shape
    beta = 1.0 / scale - 1.0 / wait_mean
    tail = float(special.gammaincc(shape, t / scale))
    if beta > 0.0:
        # ∫₀ᵗ g(s)·e^{−(t−s)/w} ds = e^{−t/w}·(1 − θ/w)^{−k}·P(k, βt): a gamma integral in closed form.
        log_factor = -t / wait_mean - shape * math.log1p(-scale / wait_mean)
        return tail + math.exp(log_factor) * float(special.gammainc(shape, beta * t))
    log_norm = -math.lgamma(shape) - shape * math.log(scale)

    def integrand(s: float) -> float:
        if s <= 0.0:
            return 0.0
        return math.exp((shape - 1.0) * math.log(s) - s / scale + log_norm - (t - s) / wait_mean)

    from scipy import integrate  # imported on first use: slow to import, needed only for these tails

    inner, _ = integrate.quad(integrand, 0.0, t, limit=200)
    return tail + float(inner)


def invert_survival(survival: Callable[[float], float], q: float, scale: float) -> float:
    """The smallest t ≥ 0 with survival(t) ≤ 1 − q (a quantile), by bracket doubling and brentq."""
    target = 1.0 - q
    if survival(0.0) <= target:
        return 0.0
    lo, hi = 0.0, scale
    while survival(hi) > target:
        lo, hi = hi, hi * 2.0
        if hi > scale * 1e12:  # pragma: no cover - survival functions here always decay
            raise InputError("errors.capacity.no_quantile", q=q)
    return float(brentq(lambda t: survival(t) - target, lo, hi, xtol=1e-12 * hi, rtol=1e-10))


def ggc_response_survival(
    t: float,
    servers: int,
    arrival_rate: float,
    service_time: float,
    arrival_cv: float,
    service_cv: float,
) -> float:
    """Approximate P(R > t) for G/G/c (see module docstring); exact for C_a = C_s = 1."""
    if arrival_cv == 1.0 and service_cv == 1.0:
        return mmc_response_survival(t, servers, arrival_rate, service_time)
    if t <= 0.0:
        return 1.0
    p_wait = erlang_c(servers, arrival_rate * service_time)
    scv = (arrival_cv**2 + service_cv**2) / 2.0
    if scv == 0.0:  # D/D/c below saturation: nobody waits
        return _service_survival(t, service_time, service_cv)
    wait_mean = scv / (servers / service_time - arrival_rate)
    no_wait = _service_survival(t, service_time, service_cv)
    waited = _exp_plus_gamma_survival(t, wait_mean, service_time, service_cv)
    return (1.0 - p_wait) * no_wait + p_wait * waited


def service_time_percentile(q: float, service_time: float, service_cv: float) -> float:
    """The q-quantile of the gamma service-time model (seconds): the floor no server count can beat."""
    if service_cv < DETERMINISTIC_CV:
        return service_time
    shape = 1.0 / service_cv**2
    return float(special.gammaincinv(shape, q)) * service_time / shape  # gamma(shape, S/shape) quantile


def ggc(
    arrival_rate: float,
    service_time: float,
    servers: int,
    arrival_cv: float = 1.0,
    service_cv: float = 1.0,
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99),
    wait_target: float | None = None,
) -> QueueResult:
    """G/G/c metrics by Allen–Cunneen (means) and the wait/service convolution (percentiles).

    Inputs: λ (requests/s), S (s), c servers, C_a and C_s (dimensionless, 0..10).  Unstable loads
    (ρ ≥ 1) give ``stable=False``.  With C_a = C_s = 1 the result is the exact :func:`mmc` one.
    """
    _check_rates(arrival_rate, service_time)
    _check_cv("arrival_cv", arrival_cv)
    _check_cv("service_cv", service_cv)
    if arrival_cv == 1.0 and service_cv == 1.0:
        return mmc(arrival_rate, service_time, servers, percentiles, wait_target)
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise InputError("errors.capacity.servers_not_positive", value=servers)
    a = arrival_rate * service_time
    rho = a / servers
    if rho >= 1.0:
        return QueueResult.unstable(QueueKind.GGC, arrival_rate, service_time, servers, rho, arrival_cv, service_cv)
    p_wait = erlang_c(servers, a)
    scv = (arrival_cv**2 + service_cv**2) / 2.0
    theta = servers / service_time - arrival_rate
    mean_wait = p_wait / theta * scv
    mean_response = mean_wait + service_time

    def wait_sf(t: float) -> float:
        if scv == 0.0:
            return 0.0
        return p_wait * math.exp(-theta * t / scv) if t >= 0.0 else 1.0

    def resp_sf(t: float) -> float:
        return ggc_response_survival(t, servers, arrival_rate, service_time, arrival_cv, service_cv)

    scale = max(service_time, mean_response)
    return QueueResult(
        kind=QueueKind.GGC,
        arrival_rate=arrival_rate,
        service_time=service_time,
        servers=servers,
        stable=True,
        utilisation=rho,
        offered_load=a,
        prob_wait=p_wait if scv > 0.0 else 0.0,
        mean_wait=mean_wait,
        mean_response=mean_response,
        mean_queue_length=arrival_rate * mean_wait,
        mean_in_system=arrival_rate * mean_response,
        wait_percentiles={q: invert_survival(wait_sf, q, scale) for q in percentiles},
        response_percentiles={q: invert_survival(resp_sf, q, scale) for q in percentiles},
        wait_target=wait_target,
        service_level=None if wait_target is None else 1.0 - wait_sf(wait_target),
        arrival_cv=arrival_cv,
        service_cv=service_cv,
        exact=False,
    )


def response_percentile(
    q: float,
    servers: int,
    arrival_rate: float,
    service_time: float,
    arrival_cv: float = 1.0,
    service_cv: float = 1.0,
) -> float:
    """The q-quantile of the response time (seconds) of a stable G/G/c queue; exact for M/M/c."""
    if arrival_cv == 1.0 and service_cv == 1.0:
        return mmc_response_percentile(q, servers, arrival_rate, service_time)
    return invert_survival(
        lambda t: ggc_response_survival(t, servers, arrival_rate, service_time, arrival_cv, service_cv),
        q,
        service_time,
    )
