"""Our own fast multi-seasonal model: a penalised linear regression on calendar features.

Model (in the transformed space z = log(y + c) or z = y):

    z(t) = a + b·t + Σ_j δ_j·max(0, t − c_j)             piecewise-linear trend (Prophet §3.1.2)
           + Σ_k Fourier_daily_k(t) + Σ_k Fourier_weekly_k(t)   seasonality (Prophet §3.2; FPP3 §7.4)
           + off(t)·(s_0 + Σ_k Fourier_daily_k(t))       a daily shape of its own on weekends/holidays
           + γ·holiday(t) + Σ_e η_e·event_e(t) + ε(t)     calendar and event regressors (Prophet §3.3)

fitted by weighted ridge regression (Hastie, Tibshirani & Friedman, ESL 2nd ed. §3.4.1): minimise
Σ w_i (z_i − x_iᵀβ)² + Σ_j λ_j β_j², with recency weights w_i = 2^(−age_i / half-life) so the recent
level and shape dominate (exponential discounting as in simple exponential smoothing, FPP3 §8.1).
The ridge penalty on the slope changes δ_j plays the role of Prophet's Laplace prior on changepoints:
small changes are allowed, a wild slope at the end is not.  The solve is one (p × p) system with
p ≈ 70, so a year of hourly data or four months of 5-minute data fit in milliseconds.

Assumptions: the series is regular (one value per step) and load-like (non-negative, with daily and
weekly cycles); in log space seasonality, events and growth act multiplicatively.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.forecast import features as F
from workbench.forecast.holidays import day_types
from workbench.forecast.models import ModelContext, PointForecast
from workbench.forecast.schema import Transform


@dataclass(frozen=True)
class SeasonalConfig:
    """Tuning of the own model; defaults chosen on the benchmark series (benchmarks/bench_forecast.py)."""

    daily_order: int = 10
    weekly_order: int = 5
    offday_order: int = 6
    weekday_order: int = 4
    trend_damping_days: float | None = 0.0  # None: linear extrapolation; 0: flat after the origin
    level_memory: bool = True  # carry the recent daily residual level forward, decaying (AR(1))
    profile_weeks: int = 3  # residual week-profile: median of the last n weeks (0 = off)
    profile_shrink: float = 0.8  # share of that profile added to the forecast
    n_changepoints: int = 25
    changepoint_range: float = 0.8
    changepoint_penalty: float = 1e-2
    seasonal_penalty: float = 1e-6
    halflife_days: float | None = 5.0
    max_window_days: float = 365.0
    log_offset_share: float = 0.02  # c = share × mean(y): keeps zeros finite in log space
    growth_weeks: int = 8  # steady growth: log-linear fit of the last n weekly means …
    growth_min_r2: float = 0.9  # … carried forward only when it explains ≥ 90 % of their variance
    growth_min_weekly: float = 0.01  # … and is at least 1 % per week


@dataclass(frozen=True)
class SeasonalFit:
    """A fitted model: coefficients plus everything needed to rebuild the design for new times."""

    config: SeasonalConfig
    ctx: ModelContext
    log_offset: float | None
    t0: pd.Timestamp
    span_days: float
    changepoints: np.ndarray
    orders: tuple[int, int, int, int]
    blocks: tuple[tuple[str, int], ...]  # (name, number of columns) in design order
    beta: np.ndarray
    residual_scale: float = field(default=0.0)
    last_time: pd.Timestamp | None = None
    level: float = 0.0  # mean residual of the last day (model space)
    level_phi: float = 0.0  # day-to-day AR(1) coefficient of daily mean residuals
    profile: np.ndarray | None = None  # residual profile per step of the week (model space)
    growth_per_day: float = 0.0  # steady growth carried past the origin (model space per day)

    def design(self, index: pd.DatetimeIndex) -> list[F.Block]:
        """The design blocks for ``index`` (same layout as at fit time)."""
        return _design(index, self.t0, self.span_days, self.changepoints, self.orders, self.ctx, self.config)

    def predict(self, index: pd.DatetimeIndex) -> PointForecast:
        """Point forecast (original units) and additive components (transformed units)."""
        blocks = self.design(index)
        comps: dict[str, np.ndarray] = {}
        pos = 0
        for block in blocks:
            k = block.columns.shape[1]
            part = block.columns @ self.beta[pos : pos + k] if k else np.zeros(len(index))
            key = "trend" if block.name in ("base", "changepoints") else block.name
            comps[key] = comps.get(key, 0.0) + part
            pos += k
        if self.last_time is not None and self.level != 0.0:
            lead = np.maximum((index - self.last_time).total_seconds().to_numpy() / 86400.0, 0.0)
            comps["level"] = self.level * self.level_phi**lead
        if self.profile is not None:
            comps["profile"] = self.profile[_week_position(index, len(self.profile))]
        if self.growth_per_day != 0.0 and self.last_time is not None:
            lead = np.maximum((index - self.last_time).total_seconds().to_numpy() / 86400.0, 0.0)
            comps["growth"] = self.growth_per_day * lead
        z = np.sum(list(comps.values()), axis=0)
        mean = _inverse(z, self.log_offset)
        return PointForecast(mean=mean, components=pd.DataFrame(comps, index=index))


def _design(
    index: pd.DatetimeIndex,
    t0: pd.Timestamp,
    span_days: float,
    changepoints: np.ndarray,
    orders: tuple[int, int, int, int],
    ctx: ModelContext,
    cfg: SeasonalConfig,
) -> list[F.Block]:
    t = (index - t0).total_seconds().to_numpy() / 86400.0
    if cfg.trend_damping_days is not None:  # beyond the fit window the slope fades out (damped trend)
        tau = cfg.trend_damping_days
        beyond = np.maximum(t - span_days, 0.0)
        t = np.minimum(t, span_days) + (tau * (1.0 - np.exp(-beyond / tau)) if tau > 0 else 0.0)
    base = F.Block("base", np.column_stack([np.ones(len(index)), t / span_days]), 0.0)
    days = day_types(index, ctx.country)
    blocks = [base, F.trend_block(t, changepoints, span_days, cfg.changepoint_penalty)]
    blocks += F.seasonal_blocks(index, days, *orders[:3], penalty=cfg.seasonal_penalty, dow_order=orders[3])
    if ctx.country is not None:
        blocks.append(F.holiday_block(days, cfg.seasonal_penalty))
    blocks.append(F.event_block(index, ctx.events, cfg.seasonal_penalty))
    return blocks


def _orders(steps_per_day: float, cfg: SeasonalConfig) -> tuple[int, int, int, int]:
    """Fourier orders capped below the Nyquist limit of the sampling step."""
    daily_max = max(0, int((steps_per_day - 1) // 2))
    weekly_max = max(0, int((7 * steps_per_day - 1) // 2))
    return (min(cfg.daily_order, daily_max), min(cfg.weekly_order, weekly_max),
            min(cfg.offday_order, daily_max), min(cfg.weekday_order, daily_max))


def _transform(y: np.ndarray, transform: Transform, share: float) -> tuple[np.ndarray, float | None]:
    use_log = transform is Transform.LOG or (transform is Transform.AUTO and float(np.min(y)) >= 0.0)
    if not use_log:
        return y, None
    offset = max(share * float(np.mean(y)), 1e-9) - min(0.0, float(np.min(y)))
    return np.log(y + offset), offset


def _inverse(z: np.ndarray, offset: float | None) -> np.ndarray:
    if offset is None:
        return z
    return np.exp(np.clip(z, -700, 700)) - offset


def _week_position(index: pd.DatetimeIndex, steps_per_week: int) -> np.ndarray:
    """Step number within the week (Monday 00:00 = 0) for each timestamp."""
    seconds = index.dayofweek.to_numpy() * 86400 + (index.hour * 3600 + index.minute * 60 + index.second).to_numpy()
    return np.minimum((seconds * steps_per_week) // (7 * 86400), steps_per_week - 1).astype(int)


def _profile(resid: pd.Series, steps_per_week: int, cfg: SeasonalConfig) -> np.ndarray | None:
    """Shrunken median residual per step of the week over the last ``profile_weeks`` weeks.

    It keeps the fine weekly detail that a few Fourier terms smooth away — what makes weekly
    seasonal naive strong — while the median and the shrinkage keep one odd week from being copied.
    """
    if cfg.profile_weeks <= 0 or cfg.profile_shrink <= 0:
        return None
    last = resid.index[-1]
    recent = resid[resid.index > last - pd.Timedelta(weeks=cfg.profile_weeks)]
    if len(recent) < 2 * steps_per_week:
        return None
    pos = _week_position(pd.DatetimeIndex(recent.index), steps_per_week)
    med = recent.groupby(pos).median().reindex(range(steps_per_week)).fillna(0.0).to_numpy()
    return cfg.profile_shrink * med


def _level_memory(resid: pd.Series) -> tuple[float, float]:
    """(last day's mean residual, AR(1) coefficient of daily mean residuals over the last 8 weeks).

    Load that runs 5% above the model today tends to stay above it tomorrow; the deviation decays
    like an AR(1) process, φ estimated by the lag-1 autocorrelation (FPP3 §9.3, Yule-Walker).
    """
    last = resid.index[-1]
    recent = resid[resid.index > last - pd.Timedelta(days=56)]
    days = ((last - recent.index) // pd.Timedelta(days=1)).to_numpy()
    daily = recent.groupby(days).mean().sort_index(ascending=False).to_numpy()
    if len(daily) < 8:
        return 0.0, 0.0
    x = daily - daily.mean()
    phi = float(np.clip(np.dot(x[1:], x[:-1]) / max(np.dot(x, x), 1e-12), 0.0, 0.95))
    return float(daily[-1]), phi


def _growth(index: pd.DatetimeIndex, z: np.ndarray, cfg: SeasonalConfig) -> float:
    """Steady growth per day (model space) from the last ``growth_weeks`` whole-week means, or 0.

    Whole weeks cancel the weekly cycle; a least-squares line through their means (log space: a
    constant % per week) is carried forward only when it is strong and steady (R² and size
    thresholds), because the fitted trend itself is held flat after the origin (damped trend, FPP3
    §8.2) and would otherwise miss load that grows +5 %/week (issue 14).
    """
    if cfg.growth_weeks < 3 or cfg.log_offset_share <= 0:
        return 0.0
    age_weeks = ((index[-1] - index) / pd.Timedelta(weeks=1)).to_numpy()
    week = np.floor(age_weeks).astype(int)
    keep = week < cfg.growth_weeks
    if keep.sum() == 0 or week[keep].max() < cfg.growth_weeks - 1:
        return 0.0
    means = pd.Series(z[keep]).groupby(week[keep]).mean().sort_index(ascending=False).to_numpy()
    x = -7.0 * np.arange(len(means))[::-1].astype(float)  # days, oldest first, last week at 0
    x = x - x.mean()
    y = means - means.mean()
    sxx = float(np.dot(x, x))
    if sxx <= 0:
        return 0.0
    slope = float(np.dot(x, y) / sxx)
    ss_tot = float(np.dot(y, y))
    r2 = 1.0 - float(np.sum((y - slope * x) ** 2)) / ss_tot if ss_tot > 0 else 0.0
    if r2 < cfg.growth_min_r2 or abs(np.expm1(7 * slope)) < cfg.growth_min_weekly:
        return 0.0
    return slope


def _window_days(cfg: SeasonalConfig) -> float:
    """Data older than 14 half-lives has weight < 2⁻¹⁴ and is left out (speed, not accuracy)."""
    if cfg.halflife_days is None:
        return cfg.max_window_days
    return min(cfg.max_window_days, max(21.0, 14.0 * cfg.halflife_days))


@dataclass(frozen=True)
class WeightedDesign:
    """The ridge regression's left side on one time index: shared by one series and by a batch of them."""

    t0: pd.Timestamp
    span: float
    changepoints: np.ndarray
    orders: tuple[int, int, int, int]
    blocks: tuple[tuple[str, int], ...]  # (name, width) of each block of columns, in order
    x: np.ndarray  # (n, p) design
    w: np.ndarray  # recency weight of each row
    xw: np.ndarray  # design rows times their recency weight
    normal: np.ndarray  # XᵀWX + Λ, the penalised normal matrix


def weighted_design(index: pd.DatetimeIndex, ctx: ModelContext, cfg: SeasonalConfig) -> WeightedDesign:
    """Design, recency weights and ridge penalty for ``index`` (the window :func:`fit_seasonal` fits on)."""
    t0 = index[0]
    span = max((index[-1] - t0).total_seconds() / 86400.0, 1.0)
    changepoints = np.linspace(0.0, cfg.changepoint_range * span, cfg.n_changepoints + 2)[1:-1]
    orders = _orders(ctx.steps_per_day, cfg)
    blocks = _design(index, t0, span, changepoints, orders, ctx, cfg)
    x = np.hstack([b.columns for b in blocks])
    age = (index[-1] - index).total_seconds().to_numpy() / 86400.0
    w = np.ones(len(index)) if cfg.halflife_days is None else 0.5 ** (age / cfg.halflife_days)
    penalty = np.concatenate([np.full(b.columns.shape[1], b.penalty) for b in blocks]) * w.sum() + 1e-9
    xw = x * w[:, None]
    return WeightedDesign(t0, span, changepoints, orders, tuple((b.name, b.columns.shape[1]) for b in blocks),
                          x, w, xw, x.T @ xw + np.diag(penalty))


def fit_seasonal(history: pd.Series, ctx: ModelContext, cfg: SeasonalConfig | None = None) -> SeasonalFit:
    """Fit the model to a regular series (NaNs are left out of the fit)."""
    cfg = cfg or SeasonalConfig()
    window = history[history.index > history.index[-1] - pd.Timedelta(days=_window_days(cfg))]
    window = window[np.isfinite(window.to_numpy(float))]
    index = pd.DatetimeIndex(window.index)
    z, offset = _transform(window.to_numpy(float), ctx.transform, cfg.log_offset_share)
    d = weighted_design(index, ctx, cfg)
    t0, span, changepoints, orders, x = d.t0, d.span, d.changepoints, d.orders, d.x
    beta = np.linalg.solve(d.normal, d.xw.T @ z)
    resid = z - x @ beta
    profile = _profile(pd.Series(resid, index=index), ctx.steps_per_week, cfg)
    if profile is not None:
        resid = resid - profile[_week_position(index, len(profile))]
    level, phi = _level_memory(pd.Series(resid, index=index)) if cfg.level_memory else (0.0, 0.0)
    growth = _growth(index, z, cfg) if offset is not None else 0.0
    return SeasonalFit(
        config=cfg,
        ctx=ctx,
        log_offset=offset,
        t0=t0,
        span_days=span,
        changepoints=changepoints,
        orders=orders,
        blocks=d.blocks,
        beta=beta,
        residual_scale=float(np.sqrt(np.average(resid**2, weights=d.w))),
        last_time=index[-1],
        level=level,
        level_phi=phi,
        profile=profile,
        growth_per_day=growth,
    )


def forecast_seasonal(history: pd.Series, index: pd.DatetimeIndex, ctx: ModelContext) -> PointForecast:
    """Fit on ``history`` and forecast at ``index`` (the :data:`~workbench.forecast.registry.CANDIDATES` entry)."""
    return fit_seasonal(history, ctx).predict(index)
