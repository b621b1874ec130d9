"""Sizing: the fewest instances per tier that meet a latency SLO and a utilisation cap at the peak.

For a service-time tier the instances form one G/G/c pool (c = instances × workers per instance)
behind a load balancer: utilisation ρ = λ·S/c (Allen 1990 §6.4.2 for the queue; utilisation law,
Lazowska et al. 1984 §3.2) and the SLO percentile of response time from :mod:`workbench.capacity.ggc`
(exact for Poisson arrivals and exponential service).  Both constraints are monotone in c, so the
answer is found by doubling and bisection.  An SLO below the service time's own percentile is
infeasible at any count (more servers remove waiting, never service).

For a USL tier the per-instance curve X(N) = λN/(1+σ(N−1)+κN(N−1)) (Gunther 2007, ch. 4) gives the
capacity of one instance: at most cap·X_peak for the utilisation cap, and at most X(N_slo) where the
mean response time N/X(N) (Little's law) reaches the target.  The SLO is then checked on the mean, not
the percentile, and the result says so (``latency_is_mean``).

AZ loss: instances are spread evenly over ``azs`` zones; the count that survives losing the largest
zone is the smallest n with n − ⌈n/azs⌉ ≥ required (N+1-style redundancy per zone, as in the AWS/Tencent
Cloud well-architected reliability pillars: "static stability" after losing one AZ).
Units: rates requests/s, times seconds, prices per instance-hour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from workbench.capacity.ggc import response_percentile, service_time_percentile
from workbench.capacity.models import BindingConstraint, LatencySLO, SizingResult, TierModel, TierSpec
from workbench.capacity.usl import usl_inverse, usl_peak, usl_throughput
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
    if not isinstance(peak_rps, (int, float)) or not math.isfinite(peak_rps):
        raise InputError("errors.capacity.not_a_number", field="peak_rps", value=str(peak_rps))
    if peak_rps <= 0:
        raise InputError("errors.capacity.not_positive", field="peak_rps", value=peak_rps)
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


def _binding(n_util: int, n_lat: int) -> BindingConstraint:
    if max(n_util, n_lat) <= 1:
        return BindingConstraint.MINIMUM
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
    required = max(n_util, n_lat, 1)
    with_az, per_az = az_spread(required, azs)
    price = tier.price_per_hour
    return SizingResult(
        tier=tier.name,
        feasible=True,
        required_instances=required,
        instances_for_utilisation=n_util,
        instances_for_latency=n_lat,
        instances_with_az_loss=with_az,
        per_az=per_az,
        binding=_binding(n_util, n_lat),
        explanation_params=params | {"required": required, "azs": azs},
        peak_rps=lam,
        utilisation_at_peak=utilisation,
        latency_at_peak=latency,
        latency_is_mean=latency_is_mean,
        cost_per_hour=None if price is None else price * required,
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
    n_util = _ceil(lam * s / (w * util_cap))
    params["util_instances"] = n_util

    def latency(n: int) -> float:
        return response_percentile(q, n * w, lam, s, tier.arrival_cv, tier.service_cv)

    stable_from = max(1, math.floor(lam * s / w + _EPS) + 1)
    while stable_from * w <= lam * s:  # guard ρ = 1 exactly
        stable_from += 1
    n_lat = _smallest(lambda n: latency(n) <= slo.target, stable_from)
    if n_lat is None:
        return _infeasible(tier, lam, "capacity.sizing.reason.too_many", limit=MAX_INSTANCES, **params)
    params["latency_instances"] = n_lat
    required = max(n_util, n_lat)
    return _finish(tier, lam, n_util, n_lat, azs, lam * s / (required * w), latency(required), params, False)


def size_usl_tier(tier: TierSpec, lam: float, slo: LatencySLO, util_cap: float, azs: int) -> SizingResult:
    """Size a tier from a USL fit of one instance (see module docstring; latency is the mean)."""
    sigma, kappa, lam1 = tier.usl_sigma, tier.usl_kappa, tier.usl_lambda
    if sigma is None or kappa is None or lam1 is None:
        raise InputError("errors.capacity.tier_needs_usl", tier=tier.name)
    if sigma == 0.0 and kappa == 0.0:
        raise InputError("errors.capacity.usl_linear", tier=tier.name)
    peak_n = usl_peak(sigma, kappa)
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
