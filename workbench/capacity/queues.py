"""One entry point for every single-queue model: the page, the CLI and the sizing solver all call
:func:`solve_queue` with a :class:`QueueSpec`, so a figure means the same wherever it is shown.

Choice of model (each module cites its formula's source):

* ``capacity`` K given → M/M/c/K (:mod:`workbench.capacity.finite`), blocking and waiting together;
  K = c is the Erlang loss system.  Needs Poisson arrivals and exponential service (CVs = 1).
* both CVs = 1 → M/M/1 or M/M/c, exact (:mod:`workbench.capacity.erlang`);
* one server, Poisson arrivals, general service → M/G/1, exact means (Pollaczek–Khinchine);
* otherwise G/G/c by Allen–Cunneen (approximation, flagged ``exact=False``).

Every result carries p0, the probability that the system is empty: for M/M/c,
p0 = p_c·c!/A^c with p_c = C(c, A)·(1 − ρ) (Kleinrock Vol. 1, 1975, §3.5 eqs. 3.37–3.39), in log
space; for one server 1 − ρ (exact for any G/G/1 by the utilisation law); for G/G/c with c > 1 the
M/M/c value is shown as an approximation.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field
from scipy import special

from workbench.capacity.erlang import poisson_log_pmf
from workbench.capacity.finite import mmck
from workbench.capacity.ggc import ggc, response_percentile
from workbench.capacity.models import QueueKind, QueueResult, _Frozen
from workbench.errors import InputError


class QueueSpec(_Frozen):
    """What a user gives for one queue.  Times in seconds, rates per second."""

    arrival_rate: float = Field(description="λ, requests/s")
    service_time: float = Field(description="mean service time S, seconds")
    servers: int = Field(default=1, description="c")
    arrival_cv: float = Field(default=1.0, description="CV of inter-arrival times (1 = Poisson)")
    service_cv: float = Field(default=1.0, description="CV of service times (1 = exponential)")
    capacity: int | None = Field(default=None, description="K, most requests present (bounded queue)")
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99)
    wait_target: float | None = Field(default=None, description="t of the service level, seconds")


def _p0_mmc(res: QueueResult) -> float:
    """p0 = e^{−A}/[P(N ≤ c−1) + P(N = c)/(1 − ρ)] with N ~ Poisson(A) — Kleinrock's sum divided by e^A.

    Both terms of the bracket are probabilities, so nothing underflows at tiny loads (p0 → 1) or
    overflows at large ones; e^{−A} itself is taken in logs.
    """
    a, c = res.offered_load, res.servers
    if c == 1:
        return 1.0 - res.utilisation
    if a <= 0.0:
        return 1.0
    bracket = float(special.pdtr(c - 1, a)) + math.exp(poisson_log_pmf(c, a)) / (1.0 - res.utilisation)
    return math.exp(-a - math.log(bracket))


def solve_queue(spec: QueueSpec) -> QueueResult:
    """The metrics of one queue by the model its inputs call for (see module docstring)."""
    if spec.wait_target is not None and (not math.isfinite(spec.wait_target) or spec.wait_target < 0.0):
        raise InputError("errors.capacity.wait_target_not_positive", value=spec.wait_target)
    if spec.capacity is not None:
        if spec.arrival_cv != 1.0 or spec.service_cv != 1.0:
            raise InputError("errors.capacity.finite_needs_markov")
        return mmck(spec.arrival_rate, spec.service_time, spec.servers, spec.capacity, spec.percentiles,
                    spec.wait_target)
    res = ggc(spec.arrival_rate, spec.service_time, spec.servers, spec.arrival_cv, spec.service_cv,
              spec.percentiles, spec.wait_target)
    if spec.servers == 1 and spec.arrival_cv == 1.0 and spec.service_cv != 1.0:
        res = res.model_copy(update={"kind": QueueKind.MG1})
    if not res.stable:
        return res.model_copy(update={"prob_empty": 0.0})
    return res.model_copy(update={"prob_empty": _p0_mmc(res)})


CURVE_POINTS = 40


def queue_curves(
    arrival_rate: float,
    service_time: float,
    servers: int,
    arrival_cv: float,
    service_cv: float,
    percentiles: tuple[float, ...],
    points: int = CURVE_POINTS,
) -> tuple[list[dict[str, float | str]], list[dict[str, float | str]]]:
    """Response-time percentiles (ms) against the arrival rate at fixed c (ρ from 5 % to 97 %), and against
    the server count at fixed λ (from the fewest stable servers to twice the current count).

    Rows: ``{"x": rate or servers, "q": "P99", "ms": value}``.
    """
    capacity = servers / service_time
    by_rate: list[dict[str, float | str]] = [
        {"x": float(rho * capacity), "q": f"P{q * 100:g}",
         "ms": response_percentile(q, servers, float(rho * capacity), service_time, arrival_cv, service_cv) * 1e3}
        for rho in np.linspace(0.05, 0.97, points) for q in percentiles
    ]
    c_min = int(arrival_rate * service_time) + 1
    c_max = max(servers * 2, c_min + 10)
    grid = sorted({int(c) for c in np.linspace(c_min, c_max, points)})
    by_servers: list[dict[str, float | str]] = [
        {"x": float(c), "q": f"P{q * 100:g}",
         "ms": response_percentile(q, c, arrival_rate, service_time, arrival_cv, service_cv) * 1e3}
        for c in grid for q in percentiles
    ]
    return by_rate, by_servers


REFUSALS_WORTH_SAYING = 0.001  # a share of arrivals refused by a bounded queue that a latency verdict must name


def slo_verdict(res: QueueResult, slo_s: float, q: float) -> tuple[str, dict[str, float]]:
    """Is the latency SLO met: the message key and its numbers (``value_ms``, ``refused_pct``).

    A bounded queue's percentiles are those of the *admitted* requests (M/M/c/K, Gross & Harris,
    *Fundamentals of Queueing Theory*, §2.5): refusing half the arrivals keeps the admitted ones fast.  So a
    met SLO while at least :data:`REFUSALS_WORTH_SAYING` of the arrivals are refused is said as met for the
    admitted requests only, with the share refused, never as a plain "met".
    """
    p = res.response_percentiles[q]
    refused = res.prob_blocked or 0.0
    if p > slo_s:
        key = "capacity.queue.slo_missed"
    elif refused >= REFUSALS_WORTH_SAYING:
        key = "capacity.queue.slo_met_refusing"
    else:
        key = "capacity.queue.slo_met"
    return key, {"value_ms": p * 1e3, "refused_pct": refused * 100}
