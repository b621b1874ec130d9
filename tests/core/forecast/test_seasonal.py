"""The own multi-seasonal model recovers known structure (trend, sinusoid, event step)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.forecast.models import ModelContext, future_index
from workbench.forecast.schema import Event, EventKind, Transform
from workbench.forecast.seasonal import SeasonalConfig, fit_seasonal

# Plain least-squares behaviour: no recency weighting, no residual profile or level memory, linear trend.
PLAIN = SeasonalConfig(halflife_days=None, trend_damping_days=None, level_memory=False, profile_weeks=0,
                       n_changepoints=0, seasonal_penalty=0.0)


def _series(days: int = 28) -> tuple[pd.Series, np.ndarray]:
    idx = pd.date_range("2026-03-02", periods=days * 24, freq="h", tz="UTC")
    t = np.arange(len(idx)) / 24.0
    return pd.Series(500 + 3.0 * t + 80 * np.sin(2 * np.pi * t + 0.3), idx), t


def test_pure_sinusoid_and_trend_are_recovered_in_and_out_of_sample() -> None:
    y, _ = _series()
    ctx = ModelContext(step=pd.Timedelta("1h"), transform=Transform.NONE)
    fit = fit_seasonal(y, ctx, PLAIN)
    future = future_index(y, 7 * 24)
    t_future = np.arange(28 * 24, 35 * 24) / 24.0
    expected = 500 + 3.0 * t_future + 80 * np.sin(2 * np.pi * t_future + 0.3)
    assert np.max(np.abs(fit.predict(future).mean - expected)) < 1e-6
    assert fit.residual_scale < 1e-5  # normal equations: round-off only


def test_daily_component_has_the_true_amplitude() -> None:
    y, _ = _series()
    ctx = ModelContext(step=pd.Timedelta("1h"), transform=Transform.NONE)
    comps = fit_seasonal(y, ctx, PLAIN).predict(y.index[-48:]).components
    assert comps is not None
    amplitude = (comps["daily"].max() - comps["daily"].min()) / 2
    assert abs(amplitude - 80) < 1.0  # hourly sampling of a sine misses the crest by < 1%


def test_step_event_multiplier_is_recovered_in_log_space() -> None:
    idx = pd.date_range("2026-01-05", periods=35 * 24, freq="h", tz="Asia/Shanghai")
    t = np.arange(len(idx)) / 24.0
    base = 1000 * (1 + 0.3 * np.sin(2 * np.pi * t))
    event = Event(name="promo", start=idx[500].to_pydatetime(), end=idx[530].to_pydatetime(), value=3.0)
    inside = (idx >= idx[500]) & (idx < idx[530])
    y = pd.Series(np.where(inside, 3.0 * base, base), idx)
    ctx = ModelContext(step=pd.Timedelta("1h"), events=(event,), transform=Transform.LOG)
    fit = fit_seasonal(y, ctx, PLAIN)
    comps = fit.predict(idx).components
    assert comps is not None
    effect = float(comps["events"][inside].mean())
    # log(3y + c) - log(y + c) with c = 2% of the mean: close to log 3 (within 2%).
    assert abs(np.exp(effect) - 3.0) / 3.0 < 0.02


def test_additive_uplift_is_recovered_without_transform() -> None:
    y, _ = _series()
    start, end = y.index[200], y.index[212]
    inside = (y.index >= start) & (y.index < end)
    y2 = y + np.where(inside, 250.0, 0.0)
    event = Event(name="launch", start=start.to_pydatetime(), end=end.to_pydatetime(), kind=EventKind.UPLIFT,
                  value=250.0)
    ctx = ModelContext(step=pd.Timedelta("1h"), events=(event,), transform=Transform.NONE)
    comps = fit_seasonal(y2, ctx, PLAIN).predict(y.index).components
    assert comps is not None
    assert abs(float(comps["events"][inside].mean()) - 250.0) < 1e-6


def test_five_minute_data_fits_quickly_and_stays_finite() -> None:
    idx = pd.date_range("2026-07-01", periods=120 * 288, freq="5min", tz="Asia/Shanghai")
    t = np.arange(len(idx)) / 288
    y = pd.Series(2000 * (1 + 0.6 * np.sin(2 * np.pi * t)), idx)
    ctx = ModelContext(step=pd.Timedelta("5min"), china_holidays=True)
    pred = fit_seasonal(y, ctx).predict(future_index(y, 30 * 288)).mean
    assert np.all(np.isfinite(pred)) and pred.min() > 0
