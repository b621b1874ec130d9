"""Open networks of queues (Jackson): tiers with routing probabilities, visit counts, utilisation per
station and the end-to-end response time.

Model: stations i = 1 … K, each with c_i identical exponential servers of mean service time S_i and
one FCFS queue; requests arrive from outside at Poisson rate γ_i and, on leaving station i, go to
station j with probability P_ij or leave with probability 1 − Σ_j P_ij.  The traffic equations

    λ = γ + Pᵀ·λ      ⇔      (I − Pᵀ)·λ = γ

give each station's arrival rate; Jackson's theorem (J. R. Jackson, "Jobshop-like queueing systems",
Management Science 10(1), 1963; Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*,
4th ed. 2008, §4.2; Kleinrock, *Queueing Systems* Vol. 1, 1975, §4.8) says the stations then behave as
independent M/M/c_i queues with rate λ_i.  Visit count V_i = λ_i/Σγ (visits per request entering),
end-to-end mean response T = Σ_i V_i·R_i = L/Σγ (Little's law over the network).
Units: rates requests/s, times seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import Field

from workbench.capacity.erlang import mmc
from workbench.capacity.models import MIN_TIME_S, QueueKind, QueueResult, _Frozen
from workbench.errors import InputError

MAX_STATIONS = 200


class OpenStation(_Frozen):
    """One station of an open network."""

    name: str = Field(min_length=1, max_length=80)
    service_time: float = Field(ge=MIN_TIME_S, le=1e7, description="mean service time per visit, seconds")
    servers: int = Field(default=1, ge=1, le=1_000_000)
    external_rate: float = Field(default=0.0, ge=0.0, le=1e9, description="γ, arrivals from outside, requests/s")


class OpenNetworkResult(_Frozen):
    """Per-station queues and the end-to-end figures of an open network."""

    station_names: list[str]
    arrival_rates: list[float] = Field(description="λ_i from the traffic equations, requests/s")
    visits: list[float] = Field(description="V_i = λ_i/Σγ, visits per entering request")
    queues: list[QueueResult] = Field(description="each station as an M/M/c_i queue")
    throughput: float = Field(description="Σγ, requests/s entering (= leaving) the network")
    stable: bool
    mean_response: float | None = Field(description="T = Σ V_i·R_i, seconds; None when unstable")
    mean_in_system: float | None = Field(description="L = Σ L_i, requests; None when unstable")
    bottleneck: str = Field(description="station with the highest utilisation")
    max_scale: float = Field(description="factor by which all external rates may grow before saturation")


def solve_open_network(
    stations: Sequence[OpenStation],
    routing: Sequence[Sequence[float]],
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99),
) -> OpenNetworkResult:
    """Traffic equations, then each station as M/M/c (see module docstring).

    ``routing[i][j]`` = P(a request leaving station i goes to station j); each row sums to ≤ 1, the rest
    leaves.  Raises a translated :class:`InputError` for a bad matrix or a network no request leaves.
    """
    k = len(stations)
    if k == 0:
        raise InputError("errors.capacity.mva_no_stations")
    if k > MAX_STATIONS:
        raise InputError("errors.capacity.mva_too_many_stations", count=k, maximum=MAX_STATIONS)
    p = np.asarray(routing, dtype=float)
    if p.shape != (k, k):
        raise InputError("errors.capacity.routing_shape", stations=k)
    if not np.all(np.isfinite(p)) or np.any(p < 0.0) or np.any(p > 1.0):
        raise InputError("errors.capacity.routing_probability")
    sums = p.sum(axis=1)
    if np.any(sums > 1.0 + 1e-9):
        worst = int(np.argmax(sums))
        raise InputError("errors.capacity.routing_row_sum", station=stations[worst].name, total=float(sums[worst]))
    gamma = np.array([s.external_rate for s in stations])
    if gamma.sum() <= 0.0:
        raise InputError("errors.capacity.no_external_arrivals")
    system = np.eye(k) - p.T
    if np.linalg.cond(system) > 1e12:
        raise InputError("errors.capacity.routing_no_exit")
    lam = np.linalg.solve(system, gamma)
    lam = np.where(np.abs(lam) < 1e-15 * gamma.sum(), 0.0, lam)
    if np.any(lam < 0.0):
        raise InputError("errors.capacity.routing_no_exit")
    total = float(gamma.sum())
    queues = []
    for s, rate in zip(stations, lam, strict=True):
        if rate > 0.0:
            queues.append(mmc(float(rate), s.service_time, s.servers, percentiles))
        else:
            queues.append(QueueResult(kind=QueueKind.MM1 if s.servers == 1 else QueueKind.MMC, arrival_rate=0.0,
                                      service_time=s.service_time, servers=s.servers, stable=True, utilisation=0.0,
                                      prob_wait=0.0, mean_wait=0.0, mean_response=s.service_time,
                                      mean_queue_length=0.0, mean_in_system=0.0, prob_empty=1.0))
    util = np.array([q.utilisation for q in queues])
    stable = bool(np.all(util < 1.0))
    b = int(np.argmax(util))
    l_total = sum(q.mean_in_system or 0.0 for q in queues) if stable else None
    return OpenNetworkResult(
        station_names=[s.name for s in stations],
        arrival_rates=lam.tolist(),
        visits=(lam / total).tolist(),
        queues=queues,
        throughput=total,
        stable=stable,
        mean_response=None if l_total is None else l_total / total,
        mean_in_system=l_total,
        bottleneck=stations[b].name,
        max_scale=float(1.0 / util[b]) if util[b] > 0 else float("inf"),
    )
