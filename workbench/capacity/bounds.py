"""All the bounds of a closed network: asymptotic (ABA) and balanced-job (BJB), optimistic and pessimistic.

Source: Lazowska, Zahorjan, Graham & Sevcik, *Quantitative System Performance* (1984), ch. 5:
Table 5.1 (asymptotic bounds) and Table 5.3 (balanced job bounds, terminal workloads).  With D = Σ D_k
over queueing stations, D_max the largest demand per server, D_avg = D/K, Z the think time (plus all
delay stations) and N users:

    ABA  N/(N·D + Z) ≤ X(N) ≤ min(N/(D + Z), 1/D_max)          max(D, N·D_max − Z) ≤ R(N) ≤ N·D
    BJB  N/(D + Z + (N−1)·D_max/(1 + Z/(N·D))) ≤ X(N)
         X(N) ≤ min(1/D_max, N/(D + Z + (N−1)·D_avg/(1 + Z/D)))
         max(N·D_max − Z, D + (N−1)·D_avg/(1 + Z/D)) ≤ R(N) ≤ D + (N−1)·D_max/(1 + Z/(N·D))

The balanced job bounds assume single-server (load-independent) queueing stations; with a
multi-server station they are not proven, so only the asymptotic ones are given (``balanced`` is
False) — the optimistic asymptotic bound then uses the demand per server D_k/m_k.
Units: seconds and requests per second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import Field

from workbench.capacity.models import Station, _Frozen
from workbench.capacity.mva import _arrays, _check_population


class NetworkBounds(_Frozen):
    """Bounds on throughput (requests/s) and response time excluding think time (s), per population."""

    populations: list[int]
    x_upper_aba: list[float]
    x_lower_aba: list[float]
    r_lower_aba: list[float]
    r_upper_aba: list[float]
    balanced: bool = Field(description="True when the balanced job bounds apply (single-server queues only)")
    x_upper_bjb: list[float] | None = None
    x_lower_bjb: list[float] | None = None
    r_lower_bjb: list[float] | None = None
    r_upper_bjb: list[float] | None = None
    total_demand: float
    max_demand: float
    think_time: float = Field(description="Z plus the demand of delay stations, seconds")


def network_bounds(stations: Sequence[Station], populations: Sequence[int], think_time: float = 0.0) -> NetworkBounds:
    """ABA and (for single-server networks) BJB at each population (see module docstring)."""
    pops = sorted({int(p) for p in populations})
    for p in (pops[0], pops[-1]) if pops else (0,):
        _check_population(p, think_time)
    demand, servers, delay = _arrays(stations)
    queue = (~delay) & (demand > 0)
    d = float(demand[queue].sum())
    dmax = float(np.max(np.where(queue, demand / servers, 0.0)))
    z = think_time + float(demand[delay].sum())
    n = np.asarray(pops, dtype=float)
    x_up = np.minimum(n / (d + z), 1.0 / dmax)
    x_lo = n / (n * d + z)
    r_lo = np.maximum(d, n * dmax - z)
    r_up = n * d
    balanced = bool(np.all(servers[queue] == 1))
    extra: dict[str, list[float] | None] = {}
    if balanced:
        davg = d / int(queue.sum())
        x_lo_b = n / (d + z + (n - 1.0) * dmax / (1.0 + z / (n * d)))
        x_up_b = np.minimum(1.0 / dmax, n / (d + z + (n - 1.0) * davg / (1.0 + z / d)))
        r_lo_b = np.maximum(n * dmax - z, d + (n - 1.0) * davg / (1.0 + z / d))
        r_up_b = d + (n - 1.0) * dmax / (1.0 + z / (n * d))
        extra = {"x_upper_bjb": x_up_b.tolist(), "x_lower_bjb": x_lo_b.tolist(),
                 "r_lower_bjb": r_lo_b.tolist(), "r_upper_bjb": r_up_b.tolist()}
    return NetworkBounds(
        populations=pops, x_upper_aba=x_up.tolist(), x_lower_aba=x_lo.tolist(), r_lower_aba=r_lo.tolist(),
        r_upper_aba=r_up.tolist(), balanced=balanced, total_demand=d, max_demand=dmax, think_time=z,
        **extra,
    )


