"""The staffing hot path: the fewest agents meeting a service level when the offered load is small (A < 64).

:func:`service_level_agents_py` is the reference; ``_native.c`` is its C twin, operation for operation,
built in place by ``tools/build_native.py`` (``make run`` / ``make test`` do it when a C compiler is
present).  :data:`service_level_agents` is the C twin when it is built and of the expected ABI, else the
Python one: the answers are the same (tests/core/capacity/test_native.py); only the time differs (about
1 µs of interpreter time against 0.1 µs, ``benchmarks/bench_capacity.py``).

Model: M/M/c (Erlang C) with offered load A = λ·S erlangs, ``ts`` = t/S the answer-within target in units
of the mean handling time, ``late`` = 1 − service level.  1/B(k) = 1 + (k/A)·1/B(k−1) (Erlang B recursion,
Kleinrock, *Queueing Systems* Vol. 1, 1975, §3.7) up to k = ⌊A⌋, two steps per pass; then, for k > A, the
test C(k)·e^{−(k−A)t/S} > L (service level missed, Kleinrock §3.5 eq. 3.47) with
C(k) = k/((k − A)/B(k) + A) (Cooper, *Introduction to Queueing Theory*, 1981, §3.4).  Since
(k − A)/B(k) + A = k·(1/B(k) − 1/B(k−1)), the test reads e > v with v = L + p·δ, p = L/B(k−1) and
δ = (k − A)/A; stepping k: p ← p + v, δ ← δ + 1/A, e ← e·e^{−t/S}: no division and one exp per search.
"""

from __future__ import annotations

import math
from collections.abc import Callable

ABI = 1  # must equal NATIVE_ABI in _native.c: a stale build of an older twin is not used


def service_level_agents_py(a: float, ts: float, late: float) -> int:
    """Fewest agents k > A with C(k, A)·exp(−(k − A)·ts) ≤ late, for 0 < A < 64, ts ≥ 0, 0 < late < 1."""
    if not (0.0 < a < 64.0 and ts >= 0.0 and 0.0 < late < 1.0):
        raise ValueError("service_level_agents: need 0 < a < 64, ts >= 0, 0 < late < 1")
    inv = 1.0
    k = 1.0
    top = math.floor(a)
    while k < top:
        k1 = k + 1.0
        inv = 1.0 + (1.0 + inv * k / a) * k1 / a
        k = k1 + 1.0
    if k == top:
        inv = 1.0 + inv * k / a
        k += 1.0
    p = late * inv
    ia = 1.0 / a
    delta = (k - a) * ia
    e = math.exp((a - k) * ts)
    step = math.exp(-ts)
    v = late + p * delta
    while e > v:
        p += v
        delta += ia
        e *= step
        v = late + p * delta
        k += 1.0
    return int(k)


def _load_native() -> Callable[[float, float, float], int] | None:
    try:
        from workbench.capacity import _native  # type: ignore[attr-defined]
    except ImportError:
        return None
    if getattr(_native, "ABI", None) != ABI:
        return None
    fn: Callable[[float, float, float], int] = _native.service_level_agents
    return fn


_NATIVE = _load_native()
NATIVE = _NATIVE is not None  # whether the C twin is in use (reported by the benchmark, required in CI)
service_level_agents: Callable[[float, float, float], int] = _NATIVE or service_level_agents_py
