"""Universal Scalability Law: fit, peak, predictions with intervals, and the inverse.

Model (Gunther, *Guerrilla Capacity Planning*, Springer 2007, ch. 4 eq. 4.31; ch. 5 for fitting):

    X(N) = λ·N / (1 + σ·(N − 1) + κ·N·(N − 1))

N concurrency (users, threads, clients), X throughput (requests/s), λ the throughput of one user,
σ contention (the serial fraction, Amdahl's law when κ = 0), κ coherency (pairwise crosstalk).
The peak is at N* = sqrt((1 − σ)/κ) (Gunther 2007, eq. 4.33).

Fitting: bounded non-linear least squares (``scipy.optimize.least_squares``, trust-region reflective)
with σ ∈ [0, 1], κ ≥ 0, λ > 0, as in the R package ``usl`` (S. Möding, method "nls"/"nlxb").  The
covariance is the usual Gauss–Newton estimate s²·(JᵀJ)⁻¹ (Bates & Watts, *Nonlinear Regression
Analysis*, 1988, §2.3), giving t-based confidence intervals for the coefficients and, by the delta
method, for predictions.  Assumptions: independent, homoscedastic errors in throughput; the load test
measured steady state at each concurrency; the same workload mix at every level.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pydantic import Field
from scipy import optimize, stats

from workbench.capacity.models import FitWarning, Interval, USLFit, USLPrediction, USLWarningCode, _Frozen
from workbench.errors import InputError

MIN_POINTS = 4
_R2_POOR = 0.9


def usl_throughput(n: np.ndarray | float, sigma: float, kappa: float, lam: float) -> np.ndarray:
    """X(N) of the USL, requests/s, for concurrency N ≥ 0 (Gunther 2007, eq. 4.31)."""
    n = np.asarray(n, dtype=float)
    return lam * n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))


def _jacobian(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    sigma, kappa, lam = p
    den = 1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0)
    base = lam * n / den**2
    return np.column_stack((-base * (n - 1.0), -base * n * (n - 1.0), n / den))


def _validate(concurrency: Sequence[float], throughput: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    n = np.asarray(concurrency, dtype=float)
    x = np.asarray(throughput, dtype=float)
    if n.shape != x.shape or n.ndim != 1:
        raise InputError("errors.capacity.usl_shape")
    if n.size < MIN_POINTS:
        raise InputError("errors.capacity.usl_too_few_points", count=int(n.size), minimum=MIN_POINTS)
    if not (np.all(np.isfinite(n)) and np.all(np.isfinite(x))):
        raise InputError("errors.capacity.usl_not_finite")
    if np.any(n <= 0):
        raise InputError("errors.capacity.usl_concurrency_not_positive", value=float(n[n <= 0][0]))
    if np.any(x <= 0):
        raise InputError("errors.capacity.usl_throughput_not_positive", value=float(x[x <= 0][0]))
    return n, x


def _initial_guess(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    """λ from the lowest level; σ, κ from Gunther's quadratic linearisation (2007, §5.5)."""
    low = n == n.min()
    lam0 = float(np.mean(x[low] / n[low]))
    y = n * lam0 / x - 1.0  # = σ(N−1) + κN(N−1) exactly when λ is right
    a = np.column_stack((n - 1.0, n * (n - 1.0)))
    coef, *_ = np.linalg.lstsq(a, y, rcond=None)
    return np.array([float(np.clip(coef[0], 1e-6, 0.999)), float(max(coef[1], 1e-9)), lam0])


def _data_warnings(n: np.ndarray, x: np.ndarray) -> list[FitWarning]:
    out: list[FitWarning] = []
    levels, inverse = np.unique(n, return_inverse=True)
    if levels.size < MIN_POINTS:
        out.append(FitWarning(code=USLWarningCode.FEW_LEVELS, params={"levels": int(levels.size)}))
    if n.min() > 2.0:
        out.append(FitWarning(code=USLWarningCode.NO_LOW_POINT, params={"lowest": float(n.min())}))
    means = np.bincount(inverse, weights=x) / np.bincount(inverse)  # mean throughput per level, one pass
    if (means.max() - means.min()) / means.max() < 0.1:
        out.append(
            FitWarning(code=USLWarningCode.FLAT, params={"spread": float((means.max() - means.min()) / means.max())})
        )
    elif int(np.argmax(means)) == 0:
        out.append(FitWarning(code=USLWarningCode.RETROGRADE_ONLY, params={}))
    per_user = means / levels
    if np.any(per_user[1:] > 1.05 * per_user[0]):
        worst = int(np.argmax(per_user))
        out.append(
            FitWarning(
                code=USLWarningCode.SUPERLINEAR,
                params={"at": float(levels[worst]), "efficiency": float(per_user[worst] / per_user[0])},
            )
        )
    return out


def _least_squares(n: np.ndarray, x: np.ndarray, p0: np.ndarray) -> optimize.OptimizeResult:
    """Bounded least squares for (σ, κ, λ): Levenberg–Marquardt (MINPACK) first, trust-region reflective
    with the bounds σ ∈ [0, 1], κ ≥ 0, λ ≥ 0 only when that optimum leaves them.

    An interior minimum of the unbounded problem is also the bounded one, and MINPACK's LM takes a
    fraction of TRF's time, so the answer is the same and the 1,000-point fit stays within 10 ms.
    """

    def fun(p: np.ndarray) -> np.ndarray:
        return np.asarray(usl_throughput(n, *p) - x)

    def jac(p: np.ndarray) -> np.ndarray:
        return _jacobian(p, n)

    tol = {"xtol": 1e-12, "ftol": 1e-12, "gtol": 1e-12}
    if n.size >= 3:
        res = optimize.least_squares(fun, p0, jac=jac, method="lm", x_scale="jac", max_nfev=2000, **tol)
        sigma, kappa, lam = res.x
        if res.success and 0.0 <= sigma <= 1.0 and kappa >= 0.0 and lam > 0.0:
            return res
    return optimize.least_squares(fun, p0, jac=jac, bounds=([0.0, 0.0, 0.0], [1.0, np.inf, np.inf]), x_scale="jac",
                                  max_nfev=2000, **tol)


def fit_usl(concurrency: Sequence[float], throughput: Sequence[float], confidence: float = 0.95) -> USLFit:
    """Fit σ, κ, λ to load-test points by bounded least squares, with intervals and warnings.

    Inputs: ``concurrency`` N > 0 and ``throughput`` X > 0 (requests/s), at least 4 points (3
    parameters need a residual degree of freedom).  Returns a :class:`USLFit`; warnings say when the
    data cannot support the fit (too few levels, no point near N = 1, flat, retrograde or superlinear
    curves, κ = 0 so no peak, poor R²).  Source: Gunther (2007) ch. 5; Bates & Watts (1988) §2.3.
    """
    n, x = _validate(concurrency, throughput)
    warnings = _data_warnings(n, x)
    p0 = _initial_guess(n, x)
    res = _least_squares(n, x, p0)
    sigma, kappa, lam = (float(v) for v in res.x)
    resid = res.fun
    ssr = float(resid @ resid)
    sst = float(((x - x.mean()) ** 2).sum())
    r2 = 1.0 - ssr / sst if sst > 0 else 0.0
    dof = max(n.size - 3, 1)
    s2 = ssr / dof
    jac = _jacobian(res.x, n)
    cov = s2 * np.linalg.pinv(jac.T @ jac)
    tq = float(stats.t.ppf(0.5 + confidence / 2.0, dof))
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    bounds = ((0.0, 1.0), (0.0, math.inf), (0.0, math.inf))
    intervals = [
        Interval(estimate=v, low=max(lo_b, v - tq * e), high=min(hi_b, v + tq * e))
        for v, e, (lo_b, hi_b) in zip((sigma, kappa, lam), se, bounds, strict=True)
    ]
    if kappa * n.max() ** 2 < 1e-9:  # coherency invisible in the measured range: no peak to locate
        warnings.append(FitWarning(code=USLWarningCode.KAPPA_ZERO, params={}))
        kappa = 0.0
        peak_n = None
        peak_x = lam / sigma if sigma > 0 else None
    else:
        peak_n = usl_peak(sigma, kappa, lam)[0]
        peak_x = float(usl_throughput(peak_n, sigma, kappa, lam)) if peak_n is not None else lam / max(sigma, 1e-300)
        if kappa - tq * se[1] <= 0.0:  # κ not distinguishable from 0: N* is a guess
            warnings.append(FitWarning(code=USLWarningCode.KAPPA_ZERO, params={}))
        if peak_n is not None and peak_n > 3.0 * n.max():
            warnings.append(
                FitWarning(code=USLWarningCode.PEAK_BEYOND_DATA, params={"peak": peak_n, "highest": float(n.max())})
            )
    if r2 < _R2_POOR:
        warnings.append(FitWarning(code=USLWarningCode.POOR_FIT, params={"r2": r2}))
    if kappa == 0.0:
        intervals[1] = Interval(estimate=0.0, low=intervals[1].low, high=intervals[1].high)
    return USLFit(
        sigma=intervals[0],
        kappa=intervals[1],
        lam=intervals[2],
        r_squared=r2,
        n_points=int(n.size),
        n_levels=int(np.unique(n).size),
        residual_std=math.sqrt(s2),
        peak_concurrency=peak_n,
        peak_throughput=peak_x,
        covariance=cov.tolist(),
        confidence=confidence,
        warnings=warnings,
        data_concurrency=n.tolist(),
        data_throughput=x.tolist(),
    )


def predict(fit: USLFit, concurrency: Sequence[float]) -> list[USLPrediction]:
    """Throughput at each concurrency with confidence (mean) and prediction (new run) intervals.

    Delta method: Var X̂(N) = gᵀ·Cov·g with g = ∂X/∂(σ, κ, λ); the prediction interval adds the
    residual variance s² (Bates & Watts 1988, §2.3.4).  Intervals are clipped at 0 requests/s.
    """
    n = np.asarray(concurrency, dtype=float)
    if n.size == 0 or not np.all(np.isfinite(n)) or np.any(n <= 0):
        raise InputError("errors.capacity.usl_concurrency_not_positive", value=float(n.min()) if n.size else 0.0)
    p = np.array([fit.sigma.estimate, fit.kappa.estimate, fit.lam.estimate])
    x = usl_throughput(n, *p)
    g = _jacobian(p, n)
    cov = np.asarray(fit.covariance)
    var = np.einsum("ij,jk,ik->i", g, cov, g)
    dof = max(fit.n_points - 3, 1)
    tq = float(stats.t.ppf(0.5 + fit.confidence / 2.0, dof))
    ci = tq * np.sqrt(np.clip(var, 0.0, None))
    pi = tq * np.sqrt(np.clip(var, 0.0, None) + fit.residual_std**2)
    return [
        USLPrediction(
            concurrency=float(ni),
            throughput=float(xi),
            ci_low=float(max(0.0, xi - c)),
            ci_high=float(xi + c),
            pi_low=float(max(0.0, xi - q)),
            pi_high=float(xi + q),
        )
        for ni, xi, c, q in zip(n, x, ci, pi, strict=True)
    ]


def concurrency_for_throughput(fit: USLFit, target: float) -> float | None:
    """The smallest concurrency N with X(N) = target (requests/s), or None if above the peak.

    Solves λN = T·(1 + σ(N−1) + κN(N−1)), i.e. Tκ·N² + (Tσ − Tκ − λ)·N + T(1 − σ) = 0, taking the
    root on the rising side of the curve (N ≤ N*).  Source: rearranged Gunther (2007) eq. 4.31.
    """
    if not math.isfinite(target) or target <= 0:
        raise InputError("errors.capacity.not_positive", field="target", value=target)
    if fit.peak_throughput is not None and target > fit.peak_throughput:
        return None
    return usl_inverse(fit.sigma.estimate, fit.kappa.estimate, fit.lam.estimate, target, fit.peak_concurrency)


def usl_inverse(sigma: float, kappa: float, lam: float, target: float, peak: float | None) -> float | None:
    """Smallest N with X(N) = target for given coefficients (None when the curve never reaches it)."""
    a = target * kappa
    b = target * sigma - target * kappa - lam
    c = target * (1.0 - sigma)
    if a <= 0.0:
        return c / -b if b < 0 else None
    disc = b * b - 4.0 * a * c
    if disc < 0.0:  # target at (or above) the peak
        return peak if disc > -1e-9 * b * b else None
    # smaller root, computed without cancellation: 2c / (−b + sqrt(disc))
    return 2.0 * c / (-b + math.sqrt(disc))


def amdahl_throughput(n: np.ndarray | float, sigma: float, lam: float) -> np.ndarray:
    """Amdahl's law reference curve X(N) = λN/(1 + σ(N−1)) (USL with κ = 0; Gunther 2007, §4.3)."""
    return usl_throughput(n, sigma, 0.0, lam)


class USLDiagnostics(_Frozen):
    """The USL read backwards and explained at one concurrency (Gunther 2007, ch. 4–6)."""

    concurrency: float
    throughput: float = Field(description="X(N), requests/s")
    latency: float = Field(description="R(N) = N/X(N) (Little's law, no think time), seconds")
    efficiency: float = Field(description="X(N)/(λ·N) = 1/(1 + σ(N−1) + κN(N−1)), 0..1")
    speedup: float = Field(description="X(N)/X(1)")
    contention_term: float = Field(description="σ(N−1), share of the slowdown from queueing on shared resources")
    coherency_term: float = Field(description="κN(N−1), share of the slowdown from keeping data consistent")
    dominant: str = Field(description="'contention' or 'coherency': the larger of the two terms at N")
    crossover: float | None = Field(description="N where κN = σ and coherency starts to dominate; None if κ = 0")
    peak_concurrency: float | None
    peak_throughput: float | None = Field(description="X(N*), or the Amdahl ceiling λ/σ when κ = 0")


def _coefficients(sigma: float, kappa: float, lam: float) -> None:
    for name, v in (("sigma", sigma), ("kappa", kappa), ("lambda", lam)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise InputError("errors.capacity.usl_coefficient", name=name, value=str(v))
    if not 0.0 <= sigma <= 1.0:
        raise InputError("errors.capacity.usl_sigma_range", value=sigma)
    if kappa < 0.0:
        raise InputError("errors.capacity.usl_kappa_range", value=kappa)
    if lam <= 0.0:
        raise InputError("errors.capacity.usl_lambda_range", value=lam)


def usl_peak(sigma: float, kappa: float, lam: float) -> tuple[float | None, float | None]:
    """(N*, X(N*)) = (√((1−σ)/κ), X there) (Gunther 2007, eq. 4.33); (None, λ/σ) when κ = 0."""
    if kappa > 0.0:
        n = math.sqrt((1.0 - sigma) / kappa)
        if math.isfinite(n) and n < 1e150:  # a κ so small its peak cannot be represented counts as 0
            return n, float(usl_throughput(n, sigma, kappa, lam))
    return None, (lam / sigma if sigma > 0.0 else None)


def usl_diagnostics(sigma: float, kappa: float, lam: float, concurrency: float) -> USLDiagnostics:
    """Throughput, latency, efficiency and which term (σ or κ) dominates at N (Gunther 2007, §4.4, §6.7)."""
    _coefficients(sigma, kappa, lam)
    n = float(concurrency)
    if not math.isfinite(n) or n <= 0.0:
        raise InputError("errors.capacity.usl_concurrency_not_positive", value=n)
    cont, coh = sigma * (n - 1.0), kappa * n * (n - 1.0)
    den = 1.0 + cont + coh
    x = lam * n / den
    peak_n, peak_x = usl_peak(sigma, kappa, lam)
    return USLDiagnostics(
        concurrency=n, throughput=x, latency=n / x, efficiency=1.0 / den, speedup=n / den,
        contention_term=cont, coherency_term=coh, dominant="coherency" if coh > cont else "contention",
        crossover=(sigma / kappa if kappa > 0.0 else None), peak_concurrency=peak_n, peak_throughput=peak_x,
    )


def usl_at_latency(sigma: float, kappa: float, lam: float, latency: float) -> tuple[float, float] | None:
    """(N, X(N)) where the mean latency R(N) = N/X(N) reaches ``latency`` seconds; None if R(1) = 1/λ > it.

    R(N) = (1 + σ(N−1) + κN(N−1))/λ rises monotonically, so κN² + (σ−κ)N + (1 − σ − Tλ) = 0 has one
    root ≥ 1, computed without cancellation (Gunther 2007, eq. 4.31 with Little's law R = N/X).
    """
    _coefficients(sigma, kappa, lam)
    if not math.isfinite(latency) or latency <= 0.0:
        raise InputError("errors.capacity.usl_latency_target", value=latency)
    c0 = 1.0 - sigma - latency * lam
    if c0 > 1e-15 * latency * lam:  # even one user is slower than the target
        return None
    b = sigma - kappa
    if kappa > 0.0:
        disc = b * b - 4.0 * kappa * c0
        root = (-b + math.sqrt(disc)) / (2.0 * kappa) if b < 0 else -2.0 * c0 / (b + math.sqrt(disc))
    elif sigma > 0.0:
        root = -c0 / sigma
    else:
        return None  # linear scaling: latency never grows, any N meets it
    n = max(root, 1.0)
    return n, float(usl_throughput(n, sigma, kappa, lam))


def usl_concurrency_for(sigma: float, kappa: float, lam: float, target: float) -> float | None:
    """The exact smallest N with X(N) = target requests/s (both σ and κ kept), or None above the peak.

    The κ-ignoring (Amdahl) inversion N = T(1−σ)/(λ − Tσ) that some tools use underestimates N once
    coherency matters; :func:`amdahl_concurrency_for` gives it for comparison only.
    """
    _coefficients(sigma, kappa, lam)
    if not math.isfinite(target) or target <= 0.0:
        raise InputError("errors.capacity.usl_throughput_target", value=target)
    peak_n, peak_x = usl_peak(sigma, kappa, lam)
    if peak_x is not None and target > peak_x * (1.0 + 1e-12):
        return None
    return usl_inverse(sigma, kappa, lam, target, peak_n)


def amdahl_concurrency_for(sigma: float, lam: float, target: float) -> float | None:
    """N from Amdahl's law alone (κ = 0): T(1−σ)/(λ − Tσ); None when T ≥ λ/σ.  For comparison only."""
    den = lam - target * sigma
    return target * (1.0 - sigma) / den if den > 0 else None
