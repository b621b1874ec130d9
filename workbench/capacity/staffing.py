"""Agent / worker staffing: the fewest servers meeting a service level, an average-wait (ASA) target and
an occupancy cap, then grossed up for shrinkage.

Model: M/M/c (Erlang C) with offered load A = λ·S erlangs (λ contacts or requests per second, S mean
handling time in seconds).  For c > A:

* service level  SL(c) = 1 − C(c, A)·exp(−(c − A)·t/S)     (Kleinrock Vol. 1, 1975, §3.5 eq. 3.47)
* average speed of answer ASA(c) = C(c, A)·S/(c − A)         (mean wait W_q, Kleinrock §3.5)
* occupancy      ρ(c) = A/c
* scheduled      ⌈c/(1 − shrinkage)⌉: agents on the roster so that c remain after breaks, training,
  absence (the call-centre practice described in Koole, *Call Center Optimization*, 2013, ch. 4, and
  in the callcentrehelper.com Erlang C worked example, which this module reproduces in the tests).

SL rises and ASA falls strictly with c (Koole 2013, §4.2), so each target has a unique smallest c.
Small loads run the Erlang B recursion B(k) = A·B(k−1)/(k + A·B(k−1)) once, checking every target at
each k (C = k·B/(k − A(1 − B)), Cooper 1981 §3.4); large loads double and bisect with the
constant-time Erlang C of :mod:`workbench.capacity.erlang`.  Units: seconds and per-second rates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum

from pydantic import Field

from workbench.capacity.erlang import erlang_c
from workbench.capacity.models import _Frozen
from workbench.capacity.native import service_level_agents
from workbench.capacity.validate import show
from workbench.errors import InputError

_SMALL_LOAD = 64.0
MAX_AGENTS = 10_000_000


class StaffingBinding(StrEnum):
    """Which target set the number of agents."""

    SERVICE_LEVEL = "service_level"
    ASA = "asa"
    OCCUPANCY = "occupancy"
    STABILITY = "stability"  # only the need to keep up with the load (no target given, or all met at ⌊A⌋+1)


class StaffingResult(_Frozen):
    """Agents needed on the floor and on the roster, which target binds, and what they achieve."""

    offered_load: float = Field(description="A = λ·S, erlangs")
    agents: int = Field(description="agents (servers) working at once that meet every target")
    scheduled: int = Field(description="agents on the roster: ⌈agents/(1 − shrinkage)⌉")
    shrinkage: float = Field(description="fraction of paid time not available for work, 0..1")
    binding: StaffingBinding
    agents_for_service_level: int | None = None
    agents_for_asa: int | None = None
    agents_for_occupancy: int | None = None
    service_level: float | None = Field(default=None, description="achieved P(wait ≤ t), 0..1")
    wait_target: float | None = Field(default=None, description="t of the service level, seconds")
    asa: float = Field(description="achieved average speed of answer (mean wait), seconds")
    occupancy: float = Field(description="achieved occupancy ρ = A/agents, 0..1")
    prob_wait: float = Field(description="achieved P(wait > 0), 0..1")


def _fraction(name: str, value: float | None, lo_open: bool = True) -> None:
    if value is None:
        return
    ok = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and (0.0 < value < 1.0 if lo_open else 0.0 <= value < 1.0)
    )
    if not ok:
        raise InputError(f"errors.capacity.{name}_range", value=str(value))


def _positive(name: str, value: float | None, allow_zero: bool = False) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"errors.capacity.{name}_not_number", value=str(value))
    if value < 0.0 or (value == 0.0 and not allow_zero):
        raise InputError(f"errors.capacity.{name}_not_positive", value=value)


def _search(check: object, lo: int) -> int:
    """Smallest c > lo with check(c) (monotone): doubling, then bisection."""
    assert callable(check)
    step, hi = 1, lo + 1
    while not check(hi):
        lo, step = hi, step * 2
        hi = lo + step
        if hi > MAX_AGENTS:
            raise InputError("errors.capacity.too_many_servers", limit=show(MAX_AGENTS))
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if check(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _small(a: float, t_s: float | None, max_late: float, asa_s: float | None) -> tuple[int | None, int | None]:
    """One Erlang B recursion checking the SL and ASA targets at each k > A (first k meeting each).

    Carried as 1/B(k) = 1 + (k/A)·(1/B(k−1)) and C(k) = k/((k − A)/B + A); the SL test
    C·e^{−(k−A)t/S} ≤ L is made without a division and with one exp for the whole search.
    """
    ia = 1.0 / a
    inv = 1.0
    n0 = int(a)
    for k in range(1, n0 + 1):
        inv = 1.0 + k * ia * inv
    k = n0 + 1
    inv = 1.0 + k * ia * inv
    d = k - a
    if asa_s is None and t_s is not None:  # the usual question: service level only
        e = math.exp(-d * t_s)
        step = math.exp(-t_s)
        while k * e > max_late * (d * inv + a):
            k += 1
            inv = 1.0 + k * ia * inv
            d += 1.0
            e *= step
        return k, None
    n_sl = None if t_s is not None else 0
    n_asa = None if asa_s is not None else 0
    while n_sl is None or n_asa is None:
        c = k / (d * inv + a)
        if n_sl is None and c * math.exp(-d * t_s) <= max_late:  # type: ignore[operator]
            n_sl = k
        if n_asa is None and c / d <= asa_s:  # type: ignore[operator]
            n_asa = k
        k += 1
        inv = 1.0 + k * ia * inv
        d += 1.0
    return n_sl or None, n_asa or None


def agents_needed(
    arrival_rate: float,
    handling_time: float,
    wait_target: float | None = None,
    service_level: float | None = None,
    asa_target: float | None = None,
    max_occupancy: float | None = None,
    _sl_agents: Callable[[float, float, float], int] = service_level_agents,
) -> tuple[int, int | None, int | None, int | None]:
    """(agents, for SL, for ASA, for occupancy): the search behind :func:`staff`, without building a result.

    Inputs as for :func:`staff`, already validated; kept separate so the sizing solver and the
    benchmark call the bare search.  ``_sl_agents`` is :func:`native.service_level_agents` bound as a
    default (a local name in the hot path), not an input.
    """
    a = arrival_rate * handling_time
    if a < 64.0 and asa_target is None and max_occupancy is None and service_level is not None:
        # The usual question alone (service level, A < 64 = _SMALL_LOAD): the hot path of the staffing
        # benchmark against pyworkforce, in C when built (see native.py for the formulas).
        n = _sl_agents(a, wait_target / handling_time, 1.0 - service_level)  # type: ignore[operator]
        return n, n, None, None
    floor_n = math.floor(a) + 1
    n_occ = None
    if max_occupancy is not None:
        need = a / max_occupancy
        if need > MAX_AGENTS:  # a tiny cap on a real load: refuse instead of printing a 300-digit count
            raise InputError("errors.capacity.too_many_servers", limit=show(MAX_AGENTS))
        n_occ = max(floor_n, math.ceil(need - 1e-9))
    t_s = None if wait_target is None else wait_target / handling_time
    asa_s = None if asa_target is None else asa_target / handling_time
    max_late = 1.0 - (service_level or 0.0)
    if a < _SMALL_LOAD:
        n_sl, n_asa = _small(a, t_s, max_late, asa_s)
    else:
        lo = math.floor(a)
        n_sl = None if t_s is None else _search(lambda c: erlang_c(c, a) * math.exp((a - c) * t_s) <= max_late, lo)
        n_asa = None if asa_s is None else _search(lambda c: erlang_c(c, a) / (c - a) <= asa_s, lo)
    return max(floor_n, n_sl or 0, n_asa or 0, n_occ or 0), n_sl, n_asa, n_occ


def staff(
    arrival_rate: float,
    handling_time: float,
    *,
    wait_target: float | None = None,
    service_level: float | None = None,
    asa_target: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """The fewest agents meeting every given target (see module docstring), and the roster for shrinkage.

    ``arrival_rate`` λ per second, ``handling_time`` S seconds, ``wait_target`` t seconds with
    ``service_level`` a fraction (both or neither), ``asa_target`` seconds, ``max_occupancy`` and
    ``shrinkage`` fractions.  With no target at all the answer is the fewest agents that keep up, ⌊A⌋+1.
    """
    _positive("rate", arrival_rate)
    _positive("handling_time", handling_time)
    _positive("wait_target", wait_target, allow_zero=True)
    _positive("asa_target", asa_target)
    _fraction("service_level", service_level)
    _fraction("occupancy", max_occupancy if max_occupancy != 1.0 else None)
    _fraction("shrinkage", shrinkage, lo_open=False)
    if (wait_target is None) != (service_level is None):
        raise InputError("errors.capacity.service_level_needs_both")
    a = arrival_rate * handling_time
    if a <= 0.0:  # λ·S underflowed: both tiny (the page and CLI refuse such values by their plausibility floors)
        raise InputError("errors.capacity.load_not_positive", value=show(a))
    if not math.isfinite(a) or a > MAX_AGENTS:
        raise InputError("errors.capacity.staff_load_too_large", rate=show(arrival_rate),
                         per_hour=show(arrival_rate * 3600), aht=show(handling_time), load=show(a),
                         limit=show(MAX_AGENTS))
    agents, n_sl, n_asa, n_occ = agents_needed(
        arrival_rate, handling_time, wait_target, service_level, asa_target, max_occupancy
    )
    t_s = None if wait_target is None else wait_target / handling_time
    if agents == n_sl:
        binding = StaffingBinding.SERVICE_LEVEL
    elif agents == n_asa:
        binding = StaffingBinding.ASA
    elif agents == n_occ:
        binding = StaffingBinding.OCCUPANCY
    else:
        binding = StaffingBinding.STABILITY
    c_wait = erlang_c(agents, a)
    return StaffingResult(
        offered_load=a,
        agents=agents,
        scheduled=math.ceil(agents / (1.0 - shrinkage) - 1e-9),
        shrinkage=shrinkage,
        binding=binding,
        agents_for_service_level=n_sl,
        agents_for_asa=n_asa,
        agents_for_occupancy=n_occ,
        service_level=None if t_s is None else 1.0 - c_wait * math.exp((a - agents) * t_s),
        wait_target=wait_target,
        asa=c_wait * handling_time / (agents - a),
        occupancy=a / agents,
        prob_wait=c_wait,
    )
