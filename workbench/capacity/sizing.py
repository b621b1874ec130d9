"""Sizing: the fewest instances per tier that meet a latency SLO and a utilisation cap at the peak.

For a service-time tier the instances form one G/G/c pool (c = instances × workers per instance)
behind a load balancer: utilisation ρ = λ·S/c (Allen 1990 §6.4.2 for the queue; utilisation law,
Lazowska et al. 1984 §3.2) and the SLO percentile of response time from :mod:`workbench.capacity.ggc`
(exact for Poisson arrivals and exponential service), evaluated through the one queue entry point
:func:`workbench.capacity.queues.solve_queue` that the page and the CLI use.  Both constraints are monotone in c, so the
answer is found by doubling and bisection.  An SLO below the service time's own percentile is
infeasible at any count (more servers remove waiting, never service).

For a USL tier the per-instance curve X(N) = λN/(1+σ(N−1)+κN(N−1)) (Gunther 2007, ch. 4) gives the
capacity of one instance: at most cap·X_peak for the utilisation cap, and at most X(N_slo) where the
mean response time N/X(N) (Little's law) reaches the target.  The SLO is then checked on the mean, not
the percentile, and the result says so (``latency_is_mean``).

A tier may also be sized by blocking (the share of requests refused when every worker — and, with
``queue_per_instance``, every queue slot — is taken: Erlang B or M/M/c/K, see :mod:`loss` and
:mod:`finite`), by a mean-wait (ASA) target (Erlang C with the Allen–Cunneen variability factor), with
its own occupancy cap, and with shrinkage: ⌈required/(1 − shrinkage)⌉ instances are provisioned so
that ``required`` remain while some are out for deploys or maintenance (the staffing practice of
Koole, *Call Center Optimization*, 2013, ch. 4).  When the load alone needs more instances than can be
modelled, the reason names the load, not the latency target.

AZ loss: instances are spread evenly over ``azs`` zones; the count that survives losing the largest
zone is the smallest n with n − ⌈n/azs⌉ ≥ required (N+1-style redundancy per zone, as in the AWS/Tencent
Cloud well-architected reliability pillars: "static stability" after losing one AZ).
Units: rates requests/s, times seconds, prices per instance-hour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from workbench.capacity.erlang import erlang_b
from workbench.capacity.finite import mmck_blocking
from workbench.capacity.ggc import service_time_percentile
from workbench.capacity.loss import servers_for_blocking
from workbench.capacity.models import BindingConstraint, LatencySLO, SizingResult, TierModel, TierSpec
from workbench.capacity.queues import QueueSpec, solve_queue
from workbench.capacity.staffing import agents_needed
from workbench.capacity.usl import usl_inverse, usl_peak, usl_throughput
from workbench.capacity.validate import MAX_RATE, MIN_RATE, number
from workbench.errors import InputError

MAX_INSTANCES = 1_000_000
_EPS = 1e-9


def _ceil(x: float) -> int:
    return max(1, math.ceil(x - _EPS))


def az_spread(required: int, azs: int) -> tuple[int | None, list[int]]:
    """Instances (and their per-AZ spread) so that ``required`` remain after losing one AZ.

    Returns (None, [required]) for a single AZ, where no count survives the loss of the zone.
    """
    if azs <= 1:
        return None, [required]
    n = required
    while n - math.ceil(n / azs) < required:
        n += 1
    base, extra = divmod(n, azs)
    return n, [base + (1 if i < extra else 0) for i in range(azs)]


def _validate(peak_rps: float, slo: LatencySLO, util_cap: float, azs: int) -> None:
    number(peak_rps, "capacity.sizing.peak_rps", unit="req/s", maximum=MAX_RATE, smallest=MIN_RATE)
    if not math.isfinite(util_cap) or not 0.0 < util_cap < 1.0:
        raise InputError("errors.capacity.util_cap_range", value=util_cap)
    if isinstance(azs, bool) or not isinstance(azs, int) or not 1 <= azs <= 10:
        raise InputError("errors.capacity.azs_range", value=azs)
    if not isinstance(slo, LatencySLO):  # pragma: no cover - typed callers
        raise InputError("errors.capacity.slo_missing")


def _smallest(check: Callable[[int], bool], start: int) -> int | None:
    """Smallest n ≥ start with check(n) true, assuming monotonicity (doubling + bisection)."""
    if check(start):
        return start
    lo, step = start, 1
    hi = lo + step
    while not check(hi):
        lo = hi
        step *= 2
        hi = lo + step
        if hi > MAX_INSTANCES:
            return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if check(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _binding(n_util: int, n_lat: int, n_block: int = 0, n_asa: int = 0) -> BindingConstraint:
    top = max(n_util, n_lat, n_block, n_asa)
    if top <= 1:
        return BindingConstraint.MINIMUM
    if n_block == top and n_block > max(n_util, n_lat):
        return BindingConstraint.BLOCKING
    if n_asa == top and n_asa > max(n_util, n_lat):
        return BindingConstraint.ASA
    if n_util == n_lat:
        return BindingConstraint.BOTH
    return BindingConstraint.UTILISATION if n_util > n_lat else BindingConstraint.LATENCY


def _finish(
    tier: TierSpec,
    lam: float,
    n_util: int,
    n_lat: int,
    azs: int,
    utilisation: float,
    latency: float,
    params: dict[str, object],
    latency_is_mean: bool,
) -> SizingResult:
    n_block = int(params.get("blocking_instances", 0) or 0)  # type: ignore[call-overload]
    n_asa = int(params.get("asa_instances", 0) or 0)  # type: ignore[call-overload]
    required = max(n_util, n_lat, n_block, n_asa, 1)
    provisioned = math.ceil(required / (1.0 - tier.shrinkage) - _EPS)
    with_az, per_az = az_spread(provisioned, azs)
    price = tier.price_per_hour
    return SizingResult(
        tier=tier.name,
        feasible=True,
        required_instances=required,
        instances_for_utilisation=n_util,
        instances_for_latency=n_lat,
        instances_for_blocking=n_block or None,
        instances_for_asa=n_asa or None,
        provisioned_instances=provisioned,
        blocking_at_peak=params.get("blocking_at_peak"),  # type: ignore[arg-type]
        instances_with_az_loss=with_az,
        per_az=per_az,
        binding=_binding(n_util, n_lat, n_block, n_asa),
        explanation_params=params | {"required": required, "azs": azs, "provisioned": provisioned,
                                     "shrinkage_pct": f"{tier.shrinkage * 100:g}"},
        peak_rps=lam,
        utilisation_at_peak=utilisation,
        latency_at_peak=latency,
        latency_is_mean=latency_is_mean,
        cost_per_hour=None if price is None else price * provisioned,
        cost_per_hour_az=None if price is None or with_az is None else price * with_az,
    )


def _infeasible(tier: TierSpec, lam: float, key: str, **params: object) -> SizingResult:
    return SizingResult(tier=tier.name, feasible=False, reason_key=key, reason_params=params, peak_rps=lam)


def size_service_tier(tier: TierSpec, lam: float, slo: LatencySLO, util_cap: float, azs: int) -> SizingResult:
    """Size a tier described by its service time (mean, CV) as a G/G/c pool (see module docstring)."""
    if tier.service_time is None:
        raise InputError("errors.capacity.tier_needs_service_time", tier=tier.name)
    s, w, q = tier.service_time, tier.workers_per_instance, slo.percentile
    floor = service_time_percentile(q, s, tier.service_cv)
    params: dict[str, object] = {
        "rate": lam, "service_ms": s * 1e3, "cv": tier.service_cv, "arrival_cv": tier.arrival_cv,
        "workers": w, "cap_pct": f"{util_cap * 100:g}", "pct": f"{q * 100:g}", "target_ms": slo.target * 1e3,
        "floor_ms": floor * 1e3,
    }
    if floor >= slo.target:
        return _infeasible(tier, lam, "capacity.sizing.reason.slo_below_service", **params)
    cap = tier.max_occupancy or util_cap
    params["cap_pct"] = f"{cap * 100:g}"
    if lam * s / (w * cap) > MAX_INSTANCES:  # the load alone, not the latency target, is out of reach
        return _infeasible(tier, lam, "capacity.sizing.reason.load_too_large", limit=MAX_INSTANCES,
                           load=lam * s, **params)
    n_util = _ceil(lam * s / (w * cap))
    params["util_instances"] = n_util
    params |= _blocking_and_asa(tier, lam)

    def latency(n: int) -> float:
        res = solve_queue(QueueSpec(arrival_rate=lam, service_time=s, servers=n * w, arrival_cv=tier.arrival_cv,
                                    service_cv=tier.service_cv, percentiles=(q,)))
        return res.response_percentiles[q] if res.stable else math.inf

    stable_from = max(1, math.floor(lam * s / w + _EPS) + 1)
    while stable_from * w <= lam * s:  # guard ρ = 1 exactly
        stable_from += 1
    n_lat = _smallest(lambda n: latency(n) <= slo.target, stable_from)
    if n_lat is None:
        return _infeasible(tier, lam, "capacity.sizing.reason.too_many", limit=MAX_INSTANCES, **params)
    params["latency_instances"] = n_lat
    required = max(n_util, n_lat, int(params.get("blocking_instances", 0)), int(params.get("asa_instances", 0)))  # type: ignore[call-overload]
    if tier.max_blocking is not None:
        params["blocking_at_peak"] = _blocking(tier, lam, required)
    return _finish(tier, lam, n_util, n_lat, azs, lam * s / (required * w), latency(required), params, False)


def _blocking(tier: TierSpec, lam: float, n: int) -> float:
    """Share of requests refused with n instances: Erlang B, or M/M/c/K with the bounded queues."""
    s, w, q = tier.service_time or 0.0, tier.workers_per_instance, tier.queue_per_instance or 0
    if q == 0:
        return erlang_b(n * w, lam * s)  # K = c: the closed form, constant time at any size
    return mmck_blocking(lam, s, n * w, n * (w + q))  # M/M/c/K's P_K in O(c), any room K


def _blocking_and_asa(tier: TierSpec, lam: float) -> dict[str, object]:
    """Instances for the refused-share target and for the mean-wait target (empty when not asked).

    Blocking: Erlang B over c = n × workers (no queue; Kleinrock Vol. 1 §3.7) or M/M/c/K with room
    n × (workers + queue slots) (Gross et al. 2008 §2.6), both monotone in n.  Mean wait: the Erlang C
    W_q = C·S/(c − A) scaled by Allen–Cunneen's (C_a² + C_s²)/2 (Allen 1990 §6.4.2).
    """
    s, w = tier.service_time or 0.0, tier.workers_per_instance
    out: dict[str, object] = {}
    if tier.max_blocking is not None:
        target = tier.max_blocking
        if not tier.queue_per_instance:
            n_block = math.ceil(servers_for_blocking(lam * s, target) / w - _EPS)
        else:
            n_block = _smallest(lambda n: _blocking(tier, lam, n) <= target, 1) or MAX_INSTANCES
        out |= {"blocking_instances": max(n_block, 1), "blocking_pct": f"{target * 100:g}"}
    if tier.asa_target is not None:
        scv = (tier.arrival_cv**2 + tier.service_cv**2) / 2.0
        if scv == 0.0:
            n_asa = math.floor(lam * s / w + _EPS) + 1
        else:
            c, *_ = agents_needed(lam, s, asa_target=tier.asa_target / scv)
            n_asa = math.ceil(c / w - _EPS)
        out |= {"asa_instances": max(n_asa, 1), "asa_ms": tier.asa_target * 1e3}
    return out


def size_usl_tier(tier: TierSpec, lam: float, slo: LatencySLO, util_cap: float, azs: int) -> SizingResult:
    """Size a tier from a USL fit of one instance (see module docstring; latency is the mean)."""
    sigma, kappa, lam1 = tier.usl_sigma, tier.usl_kappa, tier.usl_lambda
    if sigma is None or kappa is None or lam1 is None:
        raise InputError("errors.capacity.tier_needs_usl", tier=tier.name)
    if sigma == 0.0 and kappa == 0.0:
        raise InputError("errors.capacity.usl_linear", tier=tier.name)
    top = usl_peak(sigma, kappa, lam1)[0]  # N* = sqrt((1 − σ)/κ), written once in usl.py
    peak_n = top if top is not None else math.inf
    x_peak = float(usl_throughput(peak_n, sigma, kappa, lam1)) if kappa > 0 else lam1 / sigma
    floor = 1.0 / lam1  # R(1) = 1/λ: one user alone
    params: dict[str, object] = {
        "rate": lam, "usl_lambda": lam1, "sigma": sigma, "kappa": kappa, "peak_x": x_peak,
        "cap_pct": f"{util_cap * 100:g}", "pct": f"{slo.percentile * 100:g}", "target_ms": slo.target * 1e3,
        "floor_ms": floor * 1e3,
    }
    if floor >= slo.target:
        return _infeasible(tier, lam, "capacity.sizing.reason.slo_below_service", **params)
    # R(N) = (1 + σ(N−1) + κN(N−1))/λ ≤ T  ⇔  κN² + (σ−κ)N + (1 − σ − Tλ) ≤ 0
    c0 = 1.0 - sigma - slo.target * lam1
    if kappa > 0:
        b = sigma - kappa
        n_slo = (-b + math.sqrt(b * b - 4.0 * kappa * c0)) / (2.0 * kappa)
    else:
        n_slo = -c0 / sigma
    n_use = min(n_slo, peak_n)
    x_lat = float(usl_throughput(n_use, sigma, kappa, lam1))
    n_util = _ceil(lam / (util_cap * x_peak))
    n_lat = _ceil(lam / x_lat)
    params |= {"util_instances": n_util, "latency_instances": n_lat, "x_at_slo": x_lat, "n_at_slo": n_use}
    required = max(n_util, n_lat)
    per_instance = lam / required
    n_needed = usl_inverse(sigma, kappa, lam1, per_instance, peak_n if kappa > 0 else None) or n_use
    return _finish(
        tier, lam, n_util, n_lat, azs, per_instance / x_peak, n_needed / per_instance, params, True
    )


def size_tiers(
    peak_rps: float,
    tiers: Sequence[TierSpec],
    slo: LatencySLO,
    util_cap: float = 0.7,
    azs: int = 1,
) -> list[SizingResult]:
    """Size every tier for the peak arrival rate (requests/s at the front door).

    Each tier sees ``peak_rps × visit_ratio``.  Plain inputs on purpose: the workshop layer passes in a
    forecast peak later.  Returns one :class:`SizingResult` per tier, infeasible ones with a reason.
    """
    _validate(peak_rps, slo, util_cap, azs)
    if not tiers:
        raise InputError("errors.capacity.no_tiers")
    out: list[SizingResult] = []
    for tier in tiers:
        lam = peak_rps * tier.visit_ratio
        if tier.model is TierModel.USL:
            out.append(size_usl_tier(tier, lam, slo, util_cap, azs))
        else:
            out.append(size_service_tier(tier, lam, slo, util_cap, azs))
    return out
