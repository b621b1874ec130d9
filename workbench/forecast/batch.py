"""Many series at once: the workshop forecast (:func:`~workbench.forecast.api.fit_forecast`) for a batch.

Why: a fleet of thousands of services is mostly series on the *same time grid* (same start, step and
length).  For them the multi-seasonal regression (:mod:`workbench.forecast.seasonal`) has one design
matrix X and one weight vector w per training window, so the ridge normal equations
(XᵀWX + Λ) β = XᵀW z are factorised once and solved for all series as one matrix right-hand side
(Golub & Van Loan, *Matrix Computations*, 4th ed., §3.1: one LU, many right-hand sides).  The seasonal
naive baselines, the backtest residuals and metrics (MASE, sMAPE, daily-peak error) and the daily
maxima of the forecast paths are the same formulas evaluated along a series axis.  The calibration
that sets the published bands and daily-peak quantiles is the shared
:func:`~workbench.forecast.intervals.calibrate_residuals` applied to each series' fold residuals, with
bands from the shared :class:`~workbench.forecast.intervals.Calibrator`; only the leave-one-fold-out
calibrations inside the backtest scores (15 per series) are evaluated with a series axis, because one
call per series and fold would cost more than the whole batched fit.

Contract: for every series the result equals ``fit_forecast(series, options)`` — same model choice,
same point path, same calibrated daily peaks — up to floating-point rounding (a matrix solve instead
of a vector solve).  Everything a single series decides (regularity, flat history, level-shift cut,
candidate eligibility, model choice, the base scenario and its peak table) is delegated to the shared
functions of :mod:`workbench.forecast.api`, :mod:`~workbench.forecast.backtest`,
:mod:`~workbench.forecast.seasonal`, :mod:`~workbench.forecast.intervals` and
:mod:`~workbench.forecast.peaks`; only the array arithmetic is re-expressed with a series axis.
``tests/core/fleet/test_batch.py`` pins the equality, so a change to the single-series engine that
is not mirrored here fails a test instead of drifting silently.

What the batch does not do (those series go to :func:`fit_forecast` one by one, same result):
series with gaps (NaN) or negative values, the statsmodels candidates (Holt-Winters, MSTL), holiday
calendars, history events, a non-automatic transform, daily data.  The result's ``components`` are
left out (None): the fleet needs peaks, not the decomposition chart.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from workbench.errors import WorkbenchError
from workbench.forecast import backtest as bt
from workbench.forecast.api import (
    DAILY,
    MAX_FORECAST_STEPS,
    ForecastResult,
    Note,
    ScenarioResult,
    _after_level_shift,
    _flat_forecast,
    choose_model,
    fit_forecast,
    interval_notes,
    validate_series,
)
from workbench.forecast.intervals import (
    BUCKET_DAYS,
    LEVELS,
    MIN_NESTED_FOLDS,
    MIN_PEAK_DAYS,
    POSITIONS,
    SCALE_PRIOR,
    TAIL_FACTOR,
    TAIL_FACTORS,
    Calibrator,
    FoldResiduals,
    _monotone,
    calibrate_residuals,
    conformal_levels,
    seasonal_position,
)
from workbench.forecast.metrics import local_day_codes
from workbench.forecast.models import ModelContext, future_index
from workbench.forecast.peaks import horizon_peak
from workbench.forecast.schema import BacktestScore, ForecastOptions, ModelName, PeakForecast, Scenario, Transform
from workbench.forecast.seasonal import (
    SeasonalConfig,
    _design,
    _inverse,
    _week_position,
    _window_days,
    weighted_design,
)

BATCH_MODELS = frozenset({ModelName.NAIVE_DAILY, ModelName.NAIVE_WEEKLY, ModelName.SEASONAL})
LOG_OFFSET_SHARE = 0.02  # intervals.calibrate's default, as fit_forecast uses it
Outcome = ForecastResult | WorkbenchError


def batch_supported(options: ForecastOptions) -> bool:
    """True when ``options`` are ones the batch reproduces exactly (else every series goes one by one)."""
    return (set(options.candidates) <= BATCH_MODELS and options.country is None and not options.history_events
            and options.transform is Transform.AUTO)


# ---------------------------------------------------------------------------------------------- seasonal model


@dataclass(frozen=True)
class _BatchFit:
    """:class:`~workbench.forecast.seasonal.SeasonalFit` with a series axis (first axis everywhere)."""

    ctx: ModelContext
    cfg: SeasonalConfig
    t0: pd.Timestamp
    span: float
    changepoints: np.ndarray
    orders: tuple[int, int, int, int]
    beta: np.ndarray  # (p, S)
    offset: np.ndarray  # (S,)
    last_time: pd.Timestamp
    level: np.ndarray  # (S,)
    phi: np.ndarray  # (S,)
    profile: np.ndarray | None  # (S, steps per week)
    growth: np.ndarray  # (S,)

    def predict(self, index: pd.DatetimeIndex) -> np.ndarray:
        """Point forecasts (S, len(index)) as :meth:`SeasonalFit.predict` computes them."""
        blocks = _design(index, self.t0, self.span, self.changepoints, self.orders, self.ctx, self.cfg)
        x = np.hstack([b.columns for b in blocks])
        z = (x @ self.beta).T
        lead = np.maximum((index - self.last_time).total_seconds().to_numpy() / 86400.0, 0.0)
        z = z + self.level[:, None] * self.phi[:, None] ** lead[None, :]
        if self.profile is not None:
            z = z + self.profile[:, _week_position(index, self.profile.shape[1])]
        z = z + self.growth[:, None] * lead[None, :]
        return _inverse(z, self.offset[:, None])  # type: ignore[arg-type]  # broadcasts like a scalar offset


def _group_starts(codes: np.ndarray) -> np.ndarray:
    """Start positions of the runs of equal consecutive ``codes``."""
    return np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))


def _median_by(values: np.ndarray, pos: np.ndarray, width: int) -> np.ndarray:
    """Per-row median of ``values`` (S, n) grouped by ``pos`` (n,), reindexed 0..width-1, 0 where absent."""
    out = np.zeros((values.shape[0], width))
    order = np.argsort(pos, kind="stable")
    sorted_pos = pos[order]
    starts = _group_starts(sorted_pos)
    counts = np.diff(np.append(starts, len(sorted_pos)))
    cols = values[:, order]
    if len(counts) and (counts == counts[0]).all():
        med = np.median(cols.reshape(values.shape[0], len(starts), counts[0]), axis=2)
        out[:, sorted_pos[starts]] = med
        return out
    for s, c in zip(starts, counts, strict=True):
        out[:, sorted_pos[s]] = np.median(cols[:, s : s + c], axis=1)
    return out


def _profile(resid: np.ndarray, index: pd.DatetimeIndex, steps_per_week: int, cfg: SeasonalConfig) -> np.ndarray | None:
    """seasonal._profile along the series axis."""
    if cfg.profile_weeks <= 0 or cfg.profile_shrink <= 0:
        return None
    last = index[-1]
    keep = np.asarray(index > last - pd.Timedelta(weeks=cfg.profile_weeks))
    if keep.sum() < 2 * steps_per_week:
        return None
    pos = _week_position(pd.DatetimeIndex(index[keep]), steps_per_week)
    return cfg.profile_shrink * _median_by(resid[:, keep], pos, steps_per_week)


def _level_memory(resid: np.ndarray, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """seasonal._level_memory along the series axis: (last day's mean residual, AR(1) φ)."""
    s = resid.shape[0]
    last = index[-1]
    keep = np.asarray(index > last - pd.Timedelta(days=56))
    days = ((last - index[keep]) // pd.Timedelta(days=1)).to_numpy()
    starts = _group_starts(days)  # days decrease along time: each day is one run, oldest first
    if len(starts) < 8:
        return np.zeros(s), np.zeros(s)
    counts = np.diff(np.append(starts, len(days)))
    daily = np.add.reduceat(resid[:, keep], starts, axis=1) / counts
    x = daily - daily.mean(axis=1, keepdims=True)
    num = np.einsum("ij,ij->i", x[:, 1:], x[:, :-1])
    den = np.maximum(np.einsum("ij,ij->i", x, x), 1e-12)
    return daily[:, -1].copy(), np.clip(num / den, 0.0, 0.95)


def _growth(index: pd.DatetimeIndex, z: np.ndarray, cfg: SeasonalConfig) -> np.ndarray:
    """seasonal._growth along the series axis (0 where the weekly trend is not strong and steady)."""
    s = z.shape[0]
    if cfg.growth_weeks < 3 or cfg.log_offset_share <= 0:
        return np.zeros(s)
    age_weeks = ((index[-1] - index) / pd.Timedelta(weeks=1)).to_numpy()
    week = np.floor(age_weeks).astype(int)
    keep = week < cfg.growth_weeks
    if keep.sum() == 0 or week[keep].max() < cfg.growth_weeks - 1:
        return np.zeros(s)
    wk = week[keep]
    starts = _group_starts(wk)  # week numbers decrease along time: oldest first, as sorted descending
    counts = np.diff(np.append(starts, len(wk)))
    means = np.add.reduceat(z[:, keep], starts, axis=1) / counts
    x = -7.0 * np.arange(means.shape[1])[::-1].astype(float)
    x = x - x.mean()
    y = means - means.mean(axis=1, keepdims=True)
    sxx = float(np.dot(x, x))
    if sxx <= 0:
        return np.zeros(s)
    slope = y @ x / sxx
    ss_tot = np.einsum("ij,ij->i", y, y)
    ss_res = np.sum((y - slope[:, None] * x[None, :]) ** 2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(ss_tot > 0, 1.0 - ss_res / np.where(ss_tot > 0, ss_tot, 1.0), 0.0)
    ok = (r2 >= cfg.growth_min_r2) & (np.abs(np.expm1(7 * slope)) >= cfg.growth_min_weekly)
    return np.where(ok, slope, 0.0)


def fit_seasonal_batch(index: pd.DatetimeIndex, values: np.ndarray, ctx: ModelContext,
                       cfg: SeasonalConfig | None = None) -> _BatchFit:
    """:func:`~workbench.forecast.seasonal.fit_seasonal` for S gap-free, non-negative series (S, n) on ``index``.

    One design and one factorisation of XᵀWX + Λ serve every series: ``solve`` with a (p × S) right side.
    """
    cfg = cfg or SeasonalConfig()
    keep = np.asarray(index > index[-1] - pd.Timedelta(days=_window_days(cfg)))
    idx = pd.DatetimeIndex(index[keep])
    y = values[:, keep]
    offset = np.maximum(cfg.log_offset_share * y.mean(axis=1), 1e-9)  # _transform for y >= 0 (log space)
    z = np.log(y + offset[:, None])
    d = weighted_design(idx, ctx, cfg)
    t0, span, changepoints, orders, x = d.t0, d.span, d.changepoints, d.orders, d.x
    beta = np.linalg.solve(d.normal, d.xw.T @ z.T)
    resid = z - (x @ beta).T
    profile = _profile(resid, idx, ctx.steps_per_week, cfg)
    if profile is not None:
        resid = resid - profile[:, _week_position(idx, profile.shape[1])]
    s = values.shape[0]
    level, phi = _level_memory(resid, idx) if cfg.level_memory else (np.zeros(s), np.zeros(s))
    return _BatchFit(ctx, cfg, t0, span, changepoints, orders, beta, offset, idx[-1], level, phi, profile,
                     _growth(idx, z, cfg))


def _naive(values: np.ndarray, season: int, steps: int) -> np.ndarray:
    """baselines.seasonal_naive along the series axis (gap-free histories need no filling)."""
    if season < 1 or values.shape[1] < season:
        raise ValueError("history shorter than one season")
    return np.tile(values[:, -season:], -(-steps // season))[:, :steps]


def _point(name: ModelName, history: np.ndarray, hist_index: pd.DatetimeIndex, index: pd.DatetimeIndex,
           ctx: ModelContext) -> np.ndarray:
    """The forecaster ``name`` (see models.get_forecaster) for S series at once: (S, len(index))."""
    if name is ModelName.SEASONAL:
        return fit_seasonal_batch(hist_index, history, ctx).predict(index)
    season = round(ctx.steps_per_day) if name is ModelName.NAIVE_DAILY else ctx.steps_per_week
    return _naive(history, season, len(index))


# ----------------------------------------------------------------------------------- backtest and calibration


@dataclass(frozen=True)
class _Fold:
    """backtest.Fold plus intervals.FoldResiduals with a series axis."""

    index: pd.DatetimeIndex
    actual: np.ndarray  # (S, T)
    pred: np.ndarray  # (S, T)
    scale: np.ndarray  # (S,)
    lead_days: np.ndarray  # (T,)
    resid: np.ndarray  # (S, T) g(actual) − g(pred)
    starts: np.ndarray  # local-day runs of the fold window
    keep_days: np.ndarray  # runs with at least half a day of steps (metrics.daily_max)
    peak_resid: np.ndarray  # (S, days kept)
    position: np.ndarray  # (T,) intervals.seasonal_position of the fold's steps


def _g(x: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Calibrator.g with one offset per series (rows)."""
    return np.log(np.maximum(x, 0.0) + offset[:, None])


def _g_inv(z: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Calibrator.g_inv with one offset per series (rows)."""
    return np.exp(np.clip(z, -700, 700)) - offset[:, None]


def _day_runs(index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """(run starts, kept runs) of metrics.daily_max for a gap-free window."""
    codes = local_day_codes(index)
    starts = _group_starts(codes)
    counts = np.diff(np.append(starts, len(codes)))
    step = index[1] - index[0] if len(index) > 1 else pd.Timedelta(days=1)
    return starts, counts >= 0.5 * (pd.Timedelta(days=1) / step)


def _daily_max(values: np.ndarray, starts: np.ndarray, keep: np.ndarray) -> np.ndarray:
    return np.fmax.reduceat(values, starts, axis=1)[:, keep]


def _naive_scale(history: np.ndarray, season: int) -> np.ndarray:
    """metrics.naive_scale along the series axis (gap-free histories longer than the season)."""
    h = history
    diffs = np.abs(h[:, season:] - h[:, :-season]) if h.shape[1] > season else np.abs(np.diff(h, axis=1))
    scale = diffs.mean(axis=1) if diffs.shape[1] else np.zeros(h.shape[0])
    return np.where(scale > 0, scale, 1.0)


def _make_fold(index: pd.DatetimeIndex, actual: np.ndarray, pred: np.ndarray, scale: np.ndarray,
               offset: np.ndarray, step_days: float) -> _Fold:
    starts, keep = _day_runs(index)
    peak = _g(_daily_max(actual, starts, keep), offset) - _g(_daily_max(pred, starts, keep), offset)
    return _Fold(index, actual, pred, scale, (np.arange(actual.shape[1]) + 1) * step_days,
                 _g(actual, offset) - _g(pred, offset), starts, keep, peak, seasonal_position(index))


def _conformal_rows(residuals: np.ndarray, factors: Sequence[float]) -> np.ndarray:
    """intervals._conformal_quantiles for every row of gap-free residuals (S, n), for each tail factor
    in ``factors`` (the same on both tails), in one partial sort: (len(factors), S, len(LEVELS))."""
    n, s = residuals.shape[1], residuals.shape[0]
    if n == 0:
        return np.zeros((len(factors), s, len(LEVELS)))
    levels = [q for f in factors for q in conformal_levels(n, f, f)]
    out = np.quantile(residuals, levels, axis=1, method="linear")  # (F·L, S)
    return out.reshape(len(factors), len(LEVELS), s).transpose(0, 2, 1)


_LOWER = np.array(LEVELS) < 0.5


def _scaled(folds: Sequence[_Fold]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, list[float]]:
    """intervals._scaled for every series: (e / s(p) (S, n), bucket (n,), s (S, P), longest lead, edges)."""
    lead = np.concatenate([f.lead_days for f in folds])
    res = np.concatenate([f.resid for f in folds], axis=1)
    pos = np.concatenate([f.position for f in folds])
    a = np.abs(res)  # position_scales, row by row
    pooled = a.mean(axis=1)
    onehot = np.zeros((len(pos), POSITIONS))
    onehot[np.arange(len(pos)), pos] = 1.0
    counts = np.bincount(pos, minlength=POSITIONS)[:POSITIONS]
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = ((a @ onehot) / pooled[:, None] + SCALE_PRIOR) / (counts + SCALE_PRIOR)
    scale = np.where((pooled > 0.0)[:, None], scale, 1.0)
    max_lead = float(lead.max())
    edges = [e for e in BUCKET_DAYS if e < max_lead]
    return res / scale[:, pos], np.searchsorted(edges, lead, side="right"), scale, max_lead, edges


def _factor_rows(z: np.ndarray, bucket: np.ndarray, buckets: int, factors: Sequence[float]) -> np.ndarray:
    """intervals._rows for every series and every factor: (F, S, B, L), monotone along the buckets."""
    rows = np.stack([_conformal_rows(z[:, bucket == b], factors) for b in range(buckets)], axis=2)  # (F,S,B,L)
    f, s, b, levels = rows.shape
    flat = np.transpose(rows.reshape(f * s, b, levels), (1, 2, 0))  # (B, L, F·S)
    return np.transpose(_monotone(flat), (2, 0, 1)).reshape(f, s, b, levels)


def _tail_factors(folds: Sequence[_Fold]) -> tuple[np.ndarray, np.ndarray]:
    """intervals.choose_tail_factors for every series: indices into TAIL_FACTORS (lower, upper), (S,) each."""
    s = folds[0].resid.shape[0]
    default = np.full(s, TAIL_FACTORS.index(TAIL_FACTOR))
    if len(folds) < MIN_NESTED_FOLDS:
        return default, default
    below = np.zeros((len(TAIL_FACTORS), s))
    above = np.zeros((len(TAIL_FACTORS), s))
    n = 0
    for k in range(MIN_NESTED_FOLDS - 1, len(folds)):
        z, bucket, scale, max_lead, edges = _scaled(folds[:k])
        test = folds[k]
        widen = np.sqrt(np.maximum(test.lead_days / max_lead, 1.0))
        zt = test.resid / (scale[:, test.position] * widen[None, :])  # (S, m)
        bt = np.minimum(np.searchsorted(edges, np.minimum(test.lead_days, max_lead), side="right"), len(edges))
        grid = _factor_rows(z, bucket, len(edges) + 1, TAIL_FACTORS)  # (F, S, B, L)
        for b in range(len(edges) + 1):
            zb = zt[None, :, bt == b]  # (1, S, m_b)
            below += np.count_nonzero(zb < grid[:, :, b, 0, None], axis=2)
            above += np.count_nonzero(zb > grid[:, :, b, -1, None], axis=2)
        n += zt.shape[1]
    if n == 0:
        return default, default
    goal = LEVELS[0]
    return np.argmin(np.abs(below / n - goal), axis=0), np.argmin(np.abs(above / n - goal), axis=0)


@dataclass(frozen=True)
class _LooCalibration:
    """intervals.calibrate_residuals for every series at once (used for the leave-one-fold-out scores only;
    the published bands and peaks come from the shared function itself, series by series)."""

    max_lead: float
    bucket_q: np.ndarray  # (S, buckets, levels)
    peak_q: np.ndarray  # (S, levels)
    scale: np.ndarray  # (S, POSITIONS)

    @classmethod
    def of(cls, folds: Sequence[_Fold]) -> _LooCalibration:
        z, bucket, scale, max_lead, edges = _scaled(folds)
        lower, upper = _tail_factors(folds)
        grid = _factor_rows(z, bucket, len(edges) + 1, TAIL_FACTORS)  # (F, S, B, L)
        series = np.arange(z.shape[0])
        rows = np.where(_LOWER[None, None, :], grid[lower, series], grid[upper, series])  # (S, B, L)
        peak = np.concatenate([f.peak_resid for f in folds], axis=1)
        peak_q = rows[:, -1, :] if peak.shape[1] < MIN_PEAK_DAYS else _conformal_rows(peak, (1.0,))[0]
        return cls(max_lead, rows, peak_q, scale)

    def band(self, pred: np.ndarray, position: np.ndarray, level: int, offset: np.ndarray,
             step_days: float) -> np.ndarray:
        """Calibrator.bands(pred, index)[BAND_NAMES[level]] for every series (rows of ``pred``)."""
        lead = (np.arange(pred.shape[1]) + 1) * step_days
        bucket = np.searchsorted(BUCKET_DAYS, np.minimum(lead, self.max_lead), side="right")
        q = self.bucket_q[:, np.minimum(bucket, self.bucket_q.shape[1] - 1), level]
        q = q * (np.sqrt(np.maximum(lead / self.max_lead, 1.0))[None, :] * self.scale[:, position])
        return _g_inv(_g(pred, offset) + q, offset)

    def peak_path(self, pred: np.ndarray, offset: np.ndarray) -> np.ndarray:
        """Calibrator.peak_path for every series."""
        return _g_inv(_g(pred, offset) + self.peak_q[:, _MID][:, None], offset)


_LO95, _MID, _HI95 = LEVELS.index(0.025), LEVELS.index(0.5), LEVELS.index(0.975)


def _series_residuals(folds: Sequence[_Fold], i: int) -> list[FoldResiduals]:
    """Series ``i``'s residuals of every fold, as intervals.fold_residuals gives them for one series."""
    return [FoldResiduals(f.lead_days, f.resid[i], f.peak_resid[i], f.position) for f in folds]


@dataclass(frozen=True)
class _Scores:
    """api._score for every series of a grid, and the fold residuals the final calibration needs."""

    values: dict[str, np.ndarray]  # mase, smape, coverage95, peak_error_pct -> (S,)
    parts: list[list[FoldResiduals]]  # per series


def _score(folds: list[_Fold], offset: np.ndarray, step_days: float) -> _Scores:
    """api._score along the series axis: fold-averaged MASE, sMAPE, coverage (leave-one-fold-out
    calibration, :class:`_LooCalibration`) and daily-peak error of the calibrated median peak path."""
    s = offset.shape[0]
    parts = [_series_residuals(folds, i) for i in range(s)]
    mase = [np.mean(np.abs(f.actual - f.pred), axis=1) / f.scale for f in folds]
    smape = []
    for f in folds:
        denom = np.abs(f.actual) + np.abs(f.pred)
        terms = np.where(denom > 0, 2.0 * np.abs(f.actual - f.pred) / np.where(denom > 0, denom, 1.0), 0.0)
        smape.append(100.0 * np.mean(terms, axis=1))
    cover, peak_err = [], []
    for k, f in enumerate(folds):
        if len(folds) < 2:
            continue
        cal = _LooCalibration.of(folds[:k] + folds[k + 1 :])
        lo = cal.band(f.pred, f.position, _LO95, offset, step_days)
        hi = cal.band(f.pred, f.position, _HI95, offset, step_days)
        cover.append(np.mean((f.actual >= lo) & (f.actual <= hi), axis=1))
        path = cal.peak_path(f.pred, offset)
        a = _daily_max(f.actual, f.starts, f.keep_days)
        p = _daily_max(path, f.starts, f.keep_days)
        ok = a > 0
        err = np.where(ok, np.abs(a - p) / np.where(ok, a, 1.0), 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            peak_err.append(np.where(ok.any(axis=1), 100.0 * err / ok.sum(axis=1), np.nan))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        values = {
            "mase": np.mean(mase, axis=0), "smape": np.mean(smape, axis=0),
            "coverage95": np.mean(cover, axis=0) if cover else np.full(s, np.nan),
            "peak_error_pct": np.nanmean(peak_err, axis=0) if peak_err else np.full(s, np.nan),
        }
    return _Scores(values, parts)


# ------------------------------------------------------------------------------------------------ one grid


@dataclass(frozen=True)
class _Member:
    name: str
    series: pd.Series
    notes: list[Note]


def _short_note(test: int, origins: list[int], options: ForecastOptions, ctx: ModelContext) -> list[Note]:
    if len(origins) < options.folds or test * ctx.step < min(options.horizon, bt.MAX_TEST):
        return [("forecast.note.short_backtest",
                 {"folds": len(origins), "days": round(test * ctx.step / pd.Timedelta(days=1), 1)})]
    return []


def _plan(n: int, options: ForecastOptions, ctx: ModelContext) -> tuple[int, list[int]]:
    """api.run_backtest's fold plan (with its fallbacks for short histories)."""
    horizon_steps = max(1, int(options.horizon / ctx.step))
    test, origins = bt.plan_folds(n, ctx, horizon_steps, options.folds, 2 * ctx.steps_per_week)
    if not origins:
        test, origins = bt.plan_folds(n, ctx, horizon_steps, options.folds, 2 * int(ctx.steps_per_day))
    if not origins:
        test, origins = bt.plan_folds(n, ctx, horizon_steps, options.folds, int(ctx.steps_per_day))
    return test, origins


def _fit_grid(members: list[_Member], options: ForecastOptions, unit: str) -> dict[str, Outcome]:
    """Forecast series that share one grid (index) and have no gaps; see the module docstring."""
    index = pd.DatetimeIndex(members[0].series.index)
    values = np.vstack([m.series.to_numpy(float) for m in members])
    s, n = values.shape
    step = index[1] - index[0]
    step_days = step / pd.Timedelta(days=1)
    ctx = ModelContext(step=step, holiday_country=options.country, events=options.history_events,
                       transform=options.transform)
    steps = int(np.ceil(options.horizon / step))
    test, origins = _plan(n, options, ctx)
    offset = np.maximum(LOG_OFFSET_SHARE * values.mean(axis=1), 1e-9)  # intervals._offset (no negatives here)
    skip: dict[ModelName, tuple[str, dict[str, object]]] = {}
    for name in options.candidates:
        why = bt.eligible(name, members[0].series, origins, ctx, options.max_statsmodels_rows)
        if why is not None:
            skip[name] = why
    runs: dict[ModelName, list[_Fold]] = {}
    bad = np.zeros(s, bool)  # a non-finite fold forecast: that series goes one by one (its candidate is skipped)
    season = ctx.steps_per_week if origins and origins[0] >= 2 * ctx.steps_per_week else round(ctx.steps_per_day)
    for name in options.candidates:
        if name in skip:
            continue
        folds = []
        for origin in origins:
            fold_index = pd.DatetimeIndex(index[origin : origin + test])
            pred = _point(name, values[:, :origin], pd.DatetimeIndex(index[:origin]), fold_index, ctx)
            bad |= ~np.isfinite(pred).all(axis=1)
            actual = values[:, origin : origin + test]
            folds.append(_make_fold(fold_index, actual, pred, _naive_scale(values[:, :origin], season),
                                    offset, step_days))
        runs[name] = folds
    scored = {name: _score(folds, offset, step_days) for name, folds in runs.items()}
    future = future_index(members[0].series, steps)
    finals: dict[ModelName, np.ndarray] = {}
    growth = np.zeros(s)
    for name in runs:
        if name is ModelName.SEASONAL:
            fit = fit_seasonal_batch(index, values, ctx)
            finals[name], growth = fit.predict(future), fit.growth
        else:
            finals[name] = _point(name, values, index, future, ctx)
    fold_seconds = 0.0  # not measured per series in a batch
    origin_ts = pd.Timestamp(index[-1])
    tables = {name: _daily_peaks(finals[name], future, origin_ts) for name in runs}
    short = _short_note(test, origins, options, ctx)
    out: dict[str, Outcome] = {}
    for i, member in enumerate(members):
        if bad[i]:
            out[member.name] = _single(member.series, options, member.name, unit)
            continue
        scores = tuple(
            _skipped_score(name, skip[name]) if name in skip else BacktestScore(
                model=name, mase=float(scored[name].values["mase"][i]),
                smape=float(scored[name].values["smape"][i]),
                coverage95=float(scored[name].values["coverage95"][i]),
                peak_error_pct=float(scored[name].values["peak_error_pct"][i]),
                fit_seconds=fold_seconds, folds=len(runs[name]))
            for name in options.candidates
        )
        try:
            model = choose_model(scores, options.model)
        except WorkbenchError as exc:
            out[member.name] = exc
            continue
        point = finals[model][i]
        if not np.all(np.isfinite(point)):  # the final fit failed: api._final_fit tries the next model
            out[member.name] = _single(member.series, options, member.name, unit)
            continue
        cal = calibrate_residuals(scored[model].parts[i], float(offset[i]), step_days)  # api: calibrate(runs[model])
        base = pd.DataFrame({"forecast": point, **cal.bands(point, future)}, index=future)
        result = tables[model].result(i, base, cal, model, options, member.name, unit)
        notes = member.notes + short
        if model is ModelName.SEASONAL and growth[i] != 0.0:  # api's note on steady growth carried forward
            lead = max((future[-1] - index[-1]).total_seconds() / 86400.0, 0.0)
            per_day = float(growth[i]) * lead / max(len(future) * step_days, 1e-9)
            notes = notes + [("forecast.note.growth", {"pct_per_week": round(100 * float(np.expm1(7 * per_day)), 1)})]
        notes = notes + interval_notes(cal, len(runs[model]))
        out[member.name] = ForecastResult(member.name, unit, model, origin_ts, step, scores, {"base": result},
                                          None, cal, tuple(notes))
    return out


@dataclass(frozen=True)
class _PeakTables:
    """peaks.daily_peaks for S paths on one future index: per local day the maximum and when it occurs."""

    origin: pd.Timestamp
    days: list[object]  # datetime.date per local day
    peaks: np.ndarray  # (S, days) maximum of the point path
    times: np.ndarray  # (S, days) int64 ns of each day's (first) maximum, as ``idxmax``
    tz: object

    def result(self, i: int, base: pd.DataFrame, cal: Calibrator, model: ModelName, options: ForecastOptions,
               name: str, unit: str) -> ScenarioResult:
        """The base scenario of series ``i`` as api._scenario_result builds it (the base scenario scales by 1):
        the day's quantiles from the shared :meth:`Calibrator.peak_bands`, the horizon peak from
        :func:`~workbench.forecast.peaks.horizon_peak`."""
        times = pd.DatetimeIndex(pd.to_datetime(self.times[i], utc=True)).tz_convert(self.tz)  # type: ignore[arg-type]
        lead = (times - self.origin).total_seconds().to_numpy() / 86400.0
        bands = cal.peak_bands(self.peaks[i], lead)
        table = pd.DataFrame({"peak_time": times, "point": bands["mid"], "p80": bands["p80"], "p95": bands["p95"],
                              "lo95": bands["lo95"], "hi95": bands["hi95"]}, index=pd.Index(self.days, name="day"))
        value, when, day = horizon_peak(table)
        peak = PeakForecast(scenario="base", series_name=name, unit=unit,
                            horizon_days=options.horizon / pd.Timedelta(days=1), peak=value,
                            peak_time=when.to_pydatetime(), peak_day=day, model=model,
                            origin=self.origin.to_pydatetime())
        return ScenarioResult(Scenario(name="base"), base, table, peak)


def _daily_peaks(paths: np.ndarray, future: pd.DatetimeIndex, origin: pd.Timestamp) -> _PeakTables:
    """The grouping step of peaks.daily_peaks along the series axis: each local day's maximum and the
    first step that reaches it."""
    day = future.normalize()
    starts = _group_starts(day.asi8)
    ends = np.append(starts[1:], len(day))
    stamps = future.asi8
    rows = np.arange(paths.shape[0])
    peaks = np.empty((paths.shape[0], len(starts)))
    times = np.empty((paths.shape[0], len(starts)), dtype=np.int64)
    for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
        arg = np.argmax(paths[:, a:b], axis=1)
        peaks[:, k] = paths[rows, a + arg]
        times[:, k] = stamps[a + arg]
    return _PeakTables(origin, [d.date() for d in day[starts]], peaks, times, future.tz)


def _skipped_score(name: ModelName, reason: tuple[str, dict[str, object]]) -> BacktestScore:
    nan = float("nan")
    return BacktestScore(model=name, mase=nan, smape=nan, coverage95=nan, peak_error_pct=nan, fit_seconds=nan,
                         folds=0, skipped=reason[0], skipped_params=reason[1])  # type: ignore[arg-type]


def _single(series: pd.Series, options: ForecastOptions, name: str, unit: str) -> Outcome:
    """The single-series workshop forecast; a user error is returned, not raised."""
    try:
        return fit_forecast(series, options, series_name=name, unit=unit)
    except WorkbenchError as exc:
        return exc


# ------------------------------------------------------------------------------------------------ entry point


def _grid_key(series: pd.Series) -> tuple[int, int, int, str]:
    idx = pd.DatetimeIndex(series.index)
    return int(idx.asi8[0]), int(idx.asi8[1] - idx.asi8[0]), len(idx), str(idx.tz)


def _batchable(series: pd.Series, options: ForecastOptions) -> tuple[pd.Series, list[Note]] | None:
    """The series as the batch fits it (after the level-shift cut) and its notes, or None: one by one."""
    if _flat_forecast(series, options, "", "") is not None:
        return None
    try:
        step = validate_series(series)
    except WorkbenchError:
        return None
    values = series.to_numpy(float)
    if step >= DAILY or not np.isfinite(values).all() or float(values.min()) < 0.0:
        return None
    if int(np.ceil(options.horizon / step)) > MAX_FORECAST_STEPS:
        return None
    cut, notes = _after_level_shift(series.astype(float), step)
    return cut, notes


def fit_forecasts(series: Mapping[str, pd.Series], options: ForecastOptions | None = None, *,
                  unit: str = "") -> dict[str, Outcome]:
    """``fit_forecast`` for every series (name → series), batched by time grid; see the module docstring.

    Returns name → :class:`~workbench.forecast.api.ForecastResult`, or the :class:`WorkbenchError` the
    single-series forecast raised for that series (bad data is reported per series, never raised).
    """
    options = options or ForecastOptions()
    out: dict[str, Outcome] = {}
    groups: dict[tuple[int, int, int, str], list[_Member]] = {}
    supported = batch_supported(options)
    with threadpool_limits(1, user_api="blas"):
        for name, s in series.items():
            prepared = _batchable(s, options) if supported else None
            if prepared is None:
                out[name] = _single(s, options, name, unit)
                continue
            cut, notes = prepared
            groups.setdefault(_grid_key(cut), []).append(_Member(name, cut, notes))
        for members in groups.values():
            try:
                out.update(_fit_grid(members, options, unit))
            except Exception:  # noqa: BLE001 - e.g. a singular solve: these series go one by one instead
                out.update({m.name: _single(series[m.name], options, m.name, unit) for m in members})
    return {name: out[name] for name in series}


__all__ = ["BATCH_MODELS", "batch_supported", "fit_forecasts", "fit_seasonal_batch"]
