"""Prediction intervals calibrated on backtest residuals (split-conformal style).

Method: the rolling-origin residuals e = g(actual) − g(forecast) are grouped by lead time (buckets
of 0–1, 1–3, 3–7, 7–14 days); the interval at lead h is g⁻¹(g(forecast) + q_α(e | bucket(h))).
This is the empirical-quantile approach of Williams & Goodman (1971) and of split conformal
prediction (Vovk et al., *Algorithmic Learning in a Random World*, 2005; Lei et al., JASA 113, 2018),
with the finite-sample level correction ⌈(n+1)α⌉/n.  Quantile magnitudes are made non-decreasing
with the lead time, and beyond the longest backtested lead they grow like √(h / h_max), the
random-walk rate (FPP3 §5.5, multi-step intervals).  g(x) = log(x + c) for non-negative series
(relative errors, load-like data), g(x) = x otherwise.

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


@dataclass(frozen=True)
class Calibrator:
    """Residual quantiles by lead bucket (rows) and level (columns, :data:`LEVELS`)."""

    offset: float | None  # c of g(x) = log(x + c); None: additive residuals
    step_days: float
    max_lead_days: float
    bucket_quantiles: np.ndarray
    peak_quantiles: np.ndarray

    def g(self, x: np.ndarray) -> np.ndarray:
        if self.offset is None:
            return x
        return np.log(np.maximum(x, 0.0) + self.offset)

    def g_inv(self, z: np.ndarray) -> np.ndarray:
        return z if self.offset is None else np.exp(np.clip(z, -700, 700)) - self.offset

    def _widen(self, lead_days: np.ndarray) -> np.ndarray:
        return np.sqrt(np.maximum(lead_days / self.max_lead_days, 1.0))

    def bands(self, pred: np.ndarray) -> dict[str, np.ndarray]:
        """Bounds for a path starting one step after the origin, named as :data:`BAND_NAMES`."""
        lead_days = (np.arange(len(pred)) + 1) * self.step_days
        bucket = np.searchsorted(BUCKET_DAYS, np.minimum(lead_days, self.max_lead_days), side="right")
        q = self.bucket_quantiles[np.minimum(bucket, len(self.bucket_quantiles) - 1)]
        q = q * self._widen(lead_days)[:, None]
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


def _conformal_quantiles(residuals: np.ndarray) -> np.ndarray:
    """Quantiles at :data:`LEVELS` with the split-conformal finite-sample correction."""
    r = residuals[np.isfinite(residuals)]
    if len(r) == 0:
        return np.zeros(len(LEVELS))
    n = len(r)
    levels = [
        a
        if a == 0.5
        else min(1.0, np.ceil((n + 1) * a) / n)
        if a > 0.5
        else max(0.0, 1.0 - np.ceil((n + 1) * (1 - a)) / n)
        for a in LEVELS
    ]
    return np.quantile(r, levels, method="linear")


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
                                 cal.g(a.to_numpy()) - cal.g(p.to_numpy())))
    return out


def calibrate(
    folds: Sequence[Fold], history: pd.Series, log_offset_share: float = 0.02,
    residuals: Sequence[FoldResiduals] | None = None,
) -> Calibrator:
    """Build a :class:`Calibrator` from backtest folds of one model (or their precomputed residuals)."""
    offset = _offset(history, log_offset_share)
    step_days = (history.index[1] - history.index[0]) / pd.Timedelta(days=1)
    parts = list(residuals) if residuals is not None else fold_residuals(folds, history, log_offset_share)
    if not parts:
        return Calibrator(offset, step_days, 1.0, np.zeros((1, len(LEVELS))), np.zeros(len(LEVELS)))
    lead = np.concatenate([p.lead_days for p in parts])
    res = np.concatenate([p.resid for p in parts])
    max_lead = float(lead.max())
    edges = [e for e in BUCKET_DAYS if e < max_lead]
    bucket = np.searchsorted(edges, lead, side="right")
    rows = [_conformal_quantiles(res[bucket == b]) for b in range(len(edges) + 1)]
    return Calibrator(
        offset=offset,
        step_days=step_days,
        max_lead_days=max_lead,
        bucket_quantiles=_monotone(np.array(rows)),
        peak_quantiles=_peak_quantiles(np.concatenate([p.peak_resid for p in parts]), _monotone(np.array(rows))[-1]),
    )


MIN_PEAK_DAYS = 5


def _peak_quantiles(peak_resid: np.ndarray, step_row: np.ndarray) -> np.ndarray:
    """Quantiles of the daily-peak residuals; with fewer than :data:`MIN_PEAK_DAYS` backtested days
    (a two-day history) the per-step quantiles of the longest lead stand in, so a single day's
    peak error never makes a zero-width peak band."""
    finite = peak_resid[np.isfinite(peak_resid)]
    if len(finite) < MIN_PEAK_DAYS:
        return step_row
    return _conformal_quantiles(finite)
