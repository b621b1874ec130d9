"""M/G/1: one server, Poisson arrivals, general service time (Pollaczek–Khinchine mean-value formula).

Source: Kleinrock, *Queueing Systems* Vol. 1 (1975), ch. 5 §5.6 (P-K mean-value formula, eq. 5.73):
W_q = ρ·S·(1 + C_s²) / (2·(1 − ρ)), with ρ = λ·S and C_s the coefficient of variation of the service
time.  Assumptions: Poisson arrivals (λ, requests/s), i.i.d. service times with mean S (seconds) and
CV C_s, one server, FCFS, steady state.  The means are exact; the percentiles are an approximation
(see :mod:`workbench.capacity.ggc`), exact only for exponential service (C_s = 1).
"""

from __future__ import annotations

from workbench.capacity.ggc import ggc
from workbench.capacity.models import QueueKind, QueueResult


def mg1(
    arrival_rate: float,
    service_time: float,
    service_cv: float,
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99),
    wait_target: float | None = None,
) -> QueueResult:
    """M/G/1 metrics: P-K mean wait and the rest by Little's law; percentiles approximate.

    For one server and Poisson arrivals the Allen–Cunneen form used by :func:`ggc` reduces exactly to
    the P-K formula (C(1, A) = ρ), so both share one implementation.
    """
    result = ggc(arrival_rate, service_time, 1, 1.0, service_cv, percentiles, wait_target)
    return result.model_copy(update={"kind": QueueKind.MG1})
