"""The one queue-model entry point used by the Capacity page, the CLI and sizing: pick the model, solve it.

:func:`solve_queue` chooses from the variability and the server count: C_a = C_s = 1 is M/M/1 or M/M/c
(Erlang C, exact); one server with Poisson arrivals and another service CV is M/G/1 (the Allen–Cunneen
mean with C_a = 1 is then the exact Pollaczek–Khinchine mean); anything else is G/G/c (Allen–Cunneen
approximation).  :func:`queue_curves` gives the response-time percentiles against the arrival rate and
against the server count, for the charts of the page and any other caller.
"""

from __future__ import annotations

import numpy as np

from workbench.capacity.ggc import ggc, response_percentile
from workbench.capacity.models import QueueKind, QueueResult

CURVE_POINTS = 40


def solve_queue(
    arrival_rate: float,
    service_time: float,
    servers: int,
    arrival_cv: float = 1.0,
    service_cv: float = 1.0,
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99),
    wait_target: float | None = None,
) -> QueueResult:
    """Queue metrics for λ (requests/s), S (s), c servers and the CVs, with the model named in ``kind``."""
    res = ggc(arrival_rate, service_time, servers, arrival_cv, service_cv, percentiles, wait_target)
    if servers == 1 and arrival_cv == 1.0 and service_cv != 1.0:
        res = res.model_copy(update={"kind": QueueKind.MG1})
    return res


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
