"""Little's law and the interactive response-time law: the operational identities behind every model.

Source: J. D. C. Little, "A proof for the queuing formula L = λW", Operations Research 9(3), 1961;
Lazowska, Zahorjan, Graham & Sevcik, *Quantitative System Performance* (1984), ch. 3 §3.2–3.3.
Assumptions: a system in steady state over the observation window (arrivals = completions); no
distributional assumption.  Units: rates in requests/s, times in seconds, populations in requests.
"""

from __future__ import annotations

import math

from workbench.errors import InputError


def _positive(name: str, value: float, allow_zero: bool = False) -> float:
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError("errors.capacity.not_a_number", field=name, value=str(value))
    if value < 0.0 or (value == 0.0 and not allow_zero):
        raise InputError("errors.capacity.not_positive", field=name, value=value)
    return float(value)


def items_in_system(throughput: float, time_in_system: float) -> float:
    """L = X·W: mean requests in the system from throughput (req/s) and mean time inside (s)."""
    return _positive("throughput", throughput, True) * _positive("time_in_system", time_in_system, True)


def time_in_system(items: float, throughput: float) -> float:
    """W = L / X: mean time in the system (s) from mean requests inside and throughput (req/s)."""
    return _positive("items", items, True) / _positive("throughput", throughput)


def throughput_from(items: float, time_in_system_s: float) -> float:
    """X = L / W: throughput (req/s) from mean requests inside and mean time inside (s)."""
    return _positive("items", items, True) / _positive("time_in_system", time_in_system_s)


def interactive_response_time(users: float, throughput: float, think_time: float = 0.0) -> float:
    """R = N/X − Z, the interactive response-time law (Lazowska et al. 1984, §3.3.3).

    ``users`` N concurrent users, ``throughput`` X req/s, ``think_time`` Z seconds; result seconds.
    A negative result means the measurements are inconsistent (X > N/Z), reported as an input error.
    """
    r = _positive("users", users) / _positive("throughput", throughput) - _positive("think_time", think_time, True)
    if r < 0.0:
        raise InputError("errors.capacity.inconsistent_little", users=users, throughput=throughput, think=think_time)
    return r
