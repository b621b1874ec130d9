"""Exact multi-class MVA: closed networks with several classes of users (e.g. browsers and buyers).

Model: classes c = 1 … C with N_c users each and think time Z_c; stations k with demand D_{c,k}
seconds per class-c request; single-server queueing stations (FCFS with class-independent exponential
service, or PS/LCFS-PR with any distribution: BCMP product form) and delay stations.

Recursion (Reiser & Lavenberg, J. ACM 27(2), 1980; Lazowska et al., *Quantitative System
Performance*, 1984, ch. 7 §7.4.2, Algorithm 7.1), over every population vector n ≤ N:

    R_{c,k}(n) = D_{c,k}·(1 + Q_k(n − e_c))     (queueing station)      R_{c,k}(n) = D_{c,k}   (delay)
    X_c(n)     = n_c / (Z_c + Σ_k R_{c,k}(n))
    Q_k(n)     = Σ_c X_c(n)·R_{c,k}(n)

Cost Π_c (N_c + 1) population vectors × C × K; populations are processed level by level (all
vectors with the same total at once, vectorised), keeping only two levels in memory.  Multi-server
stations are not handled exactly with several classes: the caller is told to split them.
Units: seconds and requests per second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import product

import numpy as np
from pydantic import Field

from workbench.capacity.models import StationKind, _Frozen
from workbench.errors import InputError

MAX_STATES = 2_000_000
MAX_CLASSES = 6


class ClassSpec(_Frozen):
    """One class of users: how many, how long they think, and their demand at each station."""

    name: str = Field(min_length=1, max_length=80)
    users: int = Field(ge=0, le=100_000)
    think_time: float = Field(default=0.0, ge=0.0, le=1e7, description="Z_c, seconds")
    demands: list[float] = Field(description="D_{c,k} per station, seconds")


class MultiClassResult(_Frozen):
    """Results at the full population N = (N_1, …, N_C)."""

    class_names: list[str]
    station_names: list[str]
    throughput: list[float] = Field(description="X_c, requests/s per class")
    response_time: list[float] = Field(description="R_c excluding think time, seconds per class")
    residence: list[list[float]] = Field(description="[class][station] R_{c,k}, seconds")
    queue_length: list[float] = Field(description="Q_k, mean requests at each station")
    utilisation: list[float] = Field(description="U_k = Σ_c X_c·D_{c,k}, 0..1")
    exact: bool = True


def multiclass_mva(
    classes: Sequence[ClassSpec], station_names: Sequence[str], station_kinds: Sequence[StationKind]
) -> MultiClassResult:
    """Exact multi-class MVA at the full population (see module docstring)."""
    k = len(station_names)
    if not classes or len(classes) > MAX_CLASSES:
        raise InputError("errors.capacity.classes_range", count=len(classes), maximum=MAX_CLASSES)
    if k == 0 or len(station_kinds) != k:
        raise InputError("errors.capacity.mva_no_stations")
    d = np.array([c.demands for c in classes], dtype=float)
    if d.shape != (len(classes), k) or not np.all(np.isfinite(d)) or np.any(d < 0):
        raise InputError("errors.capacity.class_demands", stations=k)
    caps = [c.users for c in classes]
    states = math.prod(n + 1 for n in caps)
    if states > MAX_STATES:
        raise InputError("errors.capacity.classes_too_big", states=states, limit=MAX_STATES)
    delay = np.array([kind is StationKind.DELAY for kind in station_kinds])
    z = np.array([c.think_time for c in classes])
    n_classes = len(classes)
    # Q over all population vectors, indexed in mixed radix; only the previous level is read
    strides = np.cumprod([1, *[n + 1 for n in caps[:-1]]])
    q = np.zeros((states, k))
    total = sum(caps)
    by_level: dict[int, list[tuple[int, ...]]] = {}
    for vec in product(*(range(n + 1) for n in caps)):
        by_level.setdefault(sum(vec), []).append(vec)
    x_last = np.zeros(n_classes)
    r_last = np.zeros((n_classes, k))
    for level in range(1, total + 1):
        vecs = np.array(by_level[level], dtype=np.int64)  # (S, C)
        idx = vecs @ strides
        r = np.zeros((vecs.shape[0], n_classes, k))
        x = np.zeros((vecs.shape[0], n_classes))
        for c in range(n_classes):
            has = vecs[:, c] > 0
            prev = np.where(has, idx - strides[c], 0)
            rc = np.where(delay[None, :], d[c][None, :], d[c][None, :] * (1.0 + q[prev]))
            rc[~has] = 0.0
            r[:, c, :] = rc
            denom = z[c] + rc.sum(axis=1)
            x[:, c] = np.where(has & (denom > 0), vecs[:, c] / np.where(denom > 0, denom, 1.0), 0.0)
        q[idx] = np.einsum("sc,sck->sk", x, r)
        if level == total:
            x_last, r_last = x[0], r[0]
    if total == 0:
        raise InputError("errors.capacity.mva_users_range", value=0, maximum=100_000)
    return MultiClassResult(
        class_names=[c.name for c in classes],
        station_names=list(station_names),
        throughput=x_last.tolist(),
        response_time=r_last.sum(axis=1).tolist(),
        residence=r_last.tolist(),
        queue_length=q[-1].tolist(),
        utilisation=np.where(delay, 0.0, x_last @ d).tolist(),
    )
