"""Prediction intervals calibrated on backtest residuals (split-conformal style).

Method: the rolling-origin residuals e = g(actual) − g(forecast) are grouped by lead time (buckets
of 0–1, 1–3, 3–7, 7–14 days); the interval at lead h is g⁻¹(g(forecast) + q_α(e | bucket(h))).
This is the empirical-quantile approach of Williams & Goodman (1971) and of split conformal
prediction (Vovk et al., *Algorithmic Learning in a Random World*, 2005; Lei et al., JASA 113, 2018),
with the finite-sample level correction ⌈(n+1)α⌉/n.  Quantile magnitudes are made non-decreasing
with the lead time, and beyond the longest backtested lead they grow like √(h / h_max), the
random-walk rate (FPP3 §5.5, multi-step intervals).  g(x) = log(x + c) for non-negative series
(relative errors, load-like data), g(x) = x otherwise.

Scaled per seasonal position (locally weighted split conformal, Lei et al. 2018 §5.2): load is not
equally predictable at every hour (night hours near zero have large relative errors, opening hours
small ones), so each residual is divided by the typical residual size s(p) of its position p (hour of
day × weekday/weekend, :func:`seasonal_position`), the quantiles are taken of e / s(p), and the band at
time t is q · s(p(t)).  s(p) is the mean |e| at p shrunk towards the pooled mean |e| with
:data:`SCALE_PRIOR` pseudo-observations, so a position seen a few times cannot make a zero-width or a
wild band.  Without this scaling, one pooled quantile makes day-time bands too wide and night-time ones
too narrow.

How far the tails reach is checked per series (:func:`choose_tail_factors`): each backtest fold
from the third on plays "the future" for bands calibrated on the folds before it, and each tail keeps
the widening whose miss rate there is closest to nominal.

Everything here is a function of the backtest residuals (:func:`calibrate_residuals`), so a batched
forecaster that computes its own fold residuals gets the same bands as the single-series path.

Daily peaks get their own quantiles from the residuals of the daily maxima (pooled over leads), so
that "P95 of tomorrow's peak" is calibrated for the peak and not for an average hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.forecast.backtest import Fold
from workbench.forecast.metrics import daily_max

LEVELS: tuple[float, ...] = (0.025, 0.10, 0.50, 0.80, 0.90, 0.95, 0.975)
BAND_NAMES: tuple[str, ...] = ("lo95", "lo80", "mid", "p80", "hi80", "p95", "hi95")
BUCKET_DAYS: tuple[float, ...] = (1.0, 3.0, 7.0)  # inner edges of the lead-time buckets
POSITIONS = 48  # hour of day (local) × (Monday–Friday, Saturday–Sunday)
SCALE_PRIOR = 30.0  # pseudo-observations of the pooled |residual| in each position's scale
# The tail probabilities of the per-step bands are multiplied by a factor chosen per series from
# TAIL_FACTORS by a forward-nested check on its own folds (choose_tail_factors): backtest windows can lie
# closer to the training data than the future does, and how much closer depends on the series.
# TAIL_FACTOR is the fallback when there are too few folds to check (MIN_NESTED_FOLDS); it was chosen
# on the TUNING series of benchmarks/bench_forecast.py as one constant for every series (95 % coverage
# 0.922 with 1.0, 0.931 with 0.7, 0.946 with 0.5).  The per-series choice gives 0.950 there.
TAIL_FACTOR = 0.5
TAIL_FACTORS: tuple[float, ...] = (1.0, 0.7, 0.5, 0.35, 0.25)  # candidates of choose_tail_factors
MIN_NESTED_FOLDS = 3  # two folds to calibrate on, one to check against


def seasonal_position(index: pd.DatetimeIndex) -> np.ndarray:
    """Position of each timestamp in the daily/weekly cycle: local hour + 24 on Saturdays and Sundays."""
    idx = pd.DatetimeIndex(index)
    return (idx.hour.to_numpy() + 24 * (idx.dayofweek.to_numpy() >= 5)).astype(np.int64)


def position_scales(resid: np.ndarray, position: np.ndarray, prior: float | None = None) -> np.ndarray:
    """Relative residual size per seasonal position (pooled = 1), shrunk towards 1 (see module docstring)."""
    prior = SCALE_PRIOR if prior is None else prior
    ok = np.isfinite(resid)
    a, p = np.abs(resid[ok]), position[ok]
    pooled = float(a.mean()) if len(a) else 0.0
    if pooled <= 0.0:
        return np.ones(POSITIONS)
    sums = np.bincount(p, weights=a, minlength=POSITIONS)[:POSITIONS]
    counts = np.bincount(p, minlength=POSITIONS)[:POSITIONS]
    return (sums / pooled + prior) / (counts + prior)


@dataclass(frozen=True)
class Calibrator:
    """Residual quantiles by lead bucket (rows) and level (columns, :data:`LEVELS`)."""

    offset: float | None  # c of g(x) = log(x + c); None: additive residuals
    step_days: float
    max_lead_days: float
    bucket_quantiles: np.ndarray  # quantiles of e / s(p) (see position_scale)
    peak_quantiles: np.ndarray
    position_scale: np.ndarray | None = None  # s(p) per seasonal position; None: 1 everywhere
    tail_factors: tuple[float, float] = (1.0, 1.0)  # (lower, upper), see choose_tail_factors

    def _scale(self, index: pd.DatetimeIndex | None, n: int) -> np.ndarray:
        if self.position_scale is None or index is None:
            return np.ones(n)
        return self.position_scale[seasonal_position(index)]

    def g(self, x: np.ndarray) -> np.ndarray:
        if self.offset is None:
            return x
        return np.log(np.maximum(x, 0.0) + self.offset)

    def g_inv(self, z: np.ndarray) -> np.ndarray:
        return z if self.offset is None else np.exp(np.clip(z, -700, 700)) - self.offset

    def _widen(self, lead_days: np.ndarray) -> np.ndarray:
        return np.sqrt(np.maximum(lead_days / self.max_lead_days, 1.0))

    def bands(self, pred: np.ndarray, index: pd.DatetimeIndex | None = None) -> dict[str, np.ndarray]:
        """Bounds for a path starting one step after the origin, named as :data:`BAND_NAMES`;
        ``index`` (the path's timestamps) gives each step its seasonal-position scale."""
        lead_days = (np.arange(len(pred)) + 1) * self.step_days
        bucket = np.searchsorted(BUCKET_DAYS, np.minimum(lead_days, self.max_lead_days), side="right")
        q = self.bucket_quantiles[np.minimum(bucket, len(self.bucket_quantiles) - 1)]
        q = q * (self._widen(lead_days) * self._scale(index, len(pred)))[:, None]
        z = self.g(pred)[:, None] + q
        vals = self.g_inv(z)
        return {name: vals[:, i] for i, name in enumerate(BAND_NAMES)}

    def peak_bands(self, daily_peak: np.ndarray, lead_days: np.ndarray) -> dict[str, np.ndarray]:
        """Quantiles of the actual daily maximum given the predicted one (``mid`` is its median)."""
        q = self.peak_quantiles[None, :] * self._widen(lead_days)[:, None]
        vals = self.g_inv(self.g(daily_peak)[:, None] + q)
        return {name: vals[:, i] for i, name in enumerate(BAND_NAMES)}

    def peak_path(self, pred: np.ndarray) -> np.ndarray:
        """``pred`` moved by the median daily-peak residual: its daily maxima are median peak forecasts."""
        mid = self.peak_quantiles[LEVELS.index(0.5)]
        return self.g_inv(self.g(pred) + mid)


def conformal_levels(n: int, lower: float = 1.0, upper: float = 1.0) -> list[float]:
    """The probabilities at which :data:`LEVELS` are read from ``n`` residuals: the split-conformal
    finite-sample correction ⌈(n+1)α⌉/n, each lower tail probability multiplied by ``lower`` and each
    upper one by ``upper`` (see :func:`choose_tail_factors`)."""
    return [
        a
        if a == 0.5
        else min(1.0, np.ceil((n + 1) * (1 - (1 - a) * upper)) / n)
        if a > 0.5
        else max(0.0, 1.0 - np.ceil((n + 1) * (1 - a * lower)) / n)
        for a in LEVELS
    ]


def _conformal_quantiles(residuals: np.ndarray, lower: float = 1.0, upper: float | None = None) -> np.ndarray:
    """Quantiles at :data:`LEVELS` of the finite residuals (:func:`conformal_levels`; ``upper``
    defaults to ``lower``)."""
    r = residuals[np.isfinite(residuals)]
    if len(r) == 0:
        return np.zeros(len(LEVELS))
    return np.quantile(r, conformal_levels(len(r), lower, lower if upper is None else upper), method="linear")


def _monotone(q: np.ndarray) -> np.ndarray:
    """Lower quantiles non-increasing, upper non-decreasing along the lead buckets."""
    out = q.copy()
    upper, lower = np.array(LEVELS) > 0.5, np.array(LEVELS) < 0.5
    out[:, upper] = np.maximum.accumulate(np.maximum(out[:, upper], 0.0), axis=0)
    out[:, lower] = np.minimum.accumulate(np.minimum(out[:, lower], 0.0), axis=0)
    return out


@dataclass(frozen=True)
class FoldResiduals:
    """One fold's residuals in g-space: per step (with its lead, days) and per daily maximum."""

    lead_days: np.ndarray
    resid: np.ndarray
    peak_resid: np.ndarray
    position: np.ndarray  # seasonal position of each step (:func:`seasonal_position`)


def _offset(history: pd.Series, log_offset_share: float) -> float | None:
    values = history.to_numpy(float)
    finite = values[np.isfinite(values)]
    return None if float(np.min(finite)) < 0 else max(log_offset_share * float(np.mean(finite)), 1e-9)


def fold_residuals(folds: Sequence[Fold], history: pd.Series, log_offset_share: float = 0.02) -> list[FoldResiduals]:
    """Residuals of each fold, computed once (the leave-one-fold-out scores reuse them)."""
    offset = _offset(history, log_offset_share)
    step_days = (history.index[1] - history.index[0]) / pd.Timedelta(days=1)
    cal = Calibrator(offset, step_days, 1.0, np.zeros((1, len(LEVELS))), np.zeros(len(LEVELS)))
    out = []
    for f in folds:
        a, p = daily_max(f.actual, f.index), daily_max(f.pred, f.index)
        p = p.reindex(a.index)
        out.append(FoldResiduals((np.arange(len(f.pred)) + 1) * step_days, cal.g(f.actual) - cal.g(f.pred),
                                 cal.g(a.to_numpy()) - cal.g(p.to_numpy()), seasonal_position(f.index)))
    return out


def calibrate(
    folds: Sequence[Fold], history: pd.Series, log_offset_share: float = 0.02,
    residuals: Sequence[FoldResiduals] | None = None,
) -> Calibrator:
    """Build a :class:`Calibrator` from backtest folds of one model (or their precomputed residuals)."""
    offset = _offset(history, log_offset_share)
    step_days = (history.index[1] - history.index[0]) / pd.Timedelta(days=1)
    parts = list(residuals) if residuals is not None else fold_residuals(folds, history, log_offset_share)
    return calibrate_residuals(parts, offset, step_days)


def calibrate_residuals(parts: Sequence[FoldResiduals], offset: float | None, step_days: float) -> Calibrator:
    """The calibration itself, a function of the fold residuals only (shared with batched forecasts)."""
    if not parts:
        return Calibrator(offset, step_days, 1.0, np.zeros((1, len(LEVELS))), np.zeros(len(LEVELS)))
    lower, upper = choose_tail_factors(parts)
    rows, scale, max_lead = _step_quantiles(parts, lower, upper)
    return Calibrator(
        offset=offset,
        step_days=step_days,
        max_lead_days=max_lead,
        bucket_quantiles=rows,
        peak_quantiles=_peak_quantiles(np.concatenate([p.peak_resid for p in parts]), rows[-1]),
        position_scale=scale,
        tail_factors=(lower, upper),
    )


def _scaled(parts: Sequence[FoldResiduals]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, list[float]]:
    """(e / s(p), lead bucket of each residual, s per position, longest lead, bucket edges) of ``parts``."""
    lead = np.concatenate([p.lead_days for p in parts])
    res = np.concatenate([p.resid for p in parts])
    position = np.concatenate([p.position for p in parts])
    scale = position_scales(res, position)
    max_lead = float(lead.max())
    edges = [e for e in BUCKET_DAYS if e < max_lead]
    return res / scale[position], np.searchsorted(edges, lead, side="right"), scale, max_lead, edges


def _rows(z: np.ndarray, bucket: np.ndarray, buckets: int, lower: float, upper: float) -> np.ndarray:
    return _monotone(np.array([_conformal_quantiles(z[bucket == b], lower, upper) for b in range(buckets)]))


def _step_quantiles(parts: Sequence[FoldResiduals], lower: float, upper: float) -> tuple[np.ndarray, np.ndarray, float]:
    """(quantile rows by lead bucket, s per position, longest lead) of the per-step residuals."""
    z, bucket, scale, max_lead, edges = _scaled(parts)
    return _rows(z, bucket, len(edges) + 1, lower, upper), scale, max_lead


def choose_tail_factors(parts: Sequence[FoldResiduals]) -> tuple[float, float]:
    """(lower, upper) tail factors of this series, chosen on its own folds by a forward-nested check.

    Each fold from the third on is treated as "the future": the bands are calibrated on the folds
    before it, for every factor in :data:`TAIL_FACTORS`, and the share of its residuals below the
    2.5 % and above the 97.5 % bound is counted.  Each tail keeps the factor whose pooled share is
    closest to 2.5 % (ties: the narrower band).  A series whose errors grow from fold to fold
    (drift, growth, a changing mix) gets wider tails; one whose errors are exchangeable keeps the
    plain split-conformal band (factor 1).  This is the rolling-origin evaluation (Tashman 2000)
    applied to the interval method itself, as in the adaptive conformal literature (Gibbs & Candès,
    *Adaptive Conformal Inference under Distribution Shift*, NeurIPS 2021, which adapts α from
    observed miscoverage).  With fewer than :data:`MIN_NESTED_FOLDS` folds there is nothing to check
    against and :data:`TAIL_FACTOR` applies.
    """
    if len(parts) < MIN_NESTED_FOLDS:
        return TAIL_FACTOR, TAIL_FACTOR
    below, above, n = np.zeros(len(TAIL_FACTORS)), np.zeros(len(TAIL_FACTORS)), 0
    for k in range(MIN_NESTED_FOLDS - 1, len(parts)):
        z, bucket, scale, max_lead, edges = _scaled(parts[:k])
        test = parts[k]
        zt = test.resid / (scale[test.position] * np.sqrt(np.maximum(test.lead_days / max_lead, 1.0)))
        bt = np.minimum(np.searchsorted(edges, np.minimum(test.lead_days, max_lead), side="right"), len(edges))
        ok = np.isfinite(zt)
        zt, bt = zt[ok], bt[ok]
        n += len(zt)
        for i, f in enumerate(TAIL_FACTORS):
            q = _rows(z, bucket, len(edges) + 1, f, f)[bt]
            below[i] += np.count_nonzero(zt < q[:, 0])
            above[i] += np.count_nonzero(zt > q[:, -1])
    if n == 0:
        return TAIL_FACTOR, TAIL_FACTOR
    goal = LEVELS[0]
    return (TAIL_FACTORS[int(np.argmin(np.abs(below / n - goal)))],
            TAIL_FACTORS[int(np.argmin(np.abs(above / n - goal)))])


MIN_PEAK_DAYS = 5


def _peak_quantiles(peak_resid: np.ndarray, step_row: np.ndarray) -> np.ndarray:
    """Quantiles of the daily-peak residuals; with fewer than :data:`MIN_PEAK_DAYS` backtested days
    (a two-day history) the per-step quantiles of the longest lead stand in, so a single day's
    peak error never makes a zero-width peak band."""
    finite = peak_resid[np.isfinite(peak_resid)]
    if len(finite) < MIN_PEAK_DAYS:
        return step_row
    return _conformal_quantiles(finite)
