"""statsmodels peers: Holt-Winters exponential smoothing and MSTL decomposition + ETS.

* Holt-Winters (FPP3 §8.3; statsmodels ``ExponentialSmoothing``): damped additive trend, seasonal
  period one week when that is ≤ 336 steps (hourly, half-hourly) and two weeks of history exist,
  else one day; multiplicative
  seasonality for positive series.  Fitted on the last 8 weeks to bound the cost.
* MSTL (Bandara, Hyndman & Bergmeir, "MSTL: a seasonal-trend decomposition algorithm for time series
  with multiple seasonal patterns", 2021; statsmodels ``MSTL``): daily and weekly seasonal components
  are repeated from their last cycle (seasonal naive on each component), the seasonally adjusted
  series is forecast with a damped Holt trend (FPP3 §8.2), as in Hyndman's ``forecast::mstl``
  + ``stlf``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from workbench.forecast.baselines import seasonal_naive
from workbench.forecast.models import ModelContext, PointForecast, ets_period

_ETS_WINDOW_WEEKS = 8


def _values(history: pd.Series) -> np.ndarray:
    return history.interpolate(limit_direction="both").to_numpy(float)


def forecast_ets(history: pd.Series, index: pd.DatetimeIndex, ctx: ModelContext) -> PointForecast:
    """Holt-Winters with damped trend (see module docstring)."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    week = ctx.steps_per_week
    y = _values(history)[-_ETS_WINDOW_WEEKS * week :]
    period = ets_period(len(y), ctx)
    positive = bool(np.min(y) > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            y,
            trend="add",
            damped_trend=True,
            seasonal="mul" if positive else "add",
            seasonal_periods=period,
            initialization_method="heuristic",
        )
        fitted = model.fit(optimized=True, use_brute=False)
        mean = np.asarray(fitted.forecast(len(index)), float)
    if not np.all(np.isfinite(mean)):  # a diverged fit falls back to the seasonal pattern
        mean = seasonal_naive(y, period, len(index))
    return PointForecast(mean)


def forecast_mstl(history: pd.Series, index: pd.DatetimeIndex, ctx: ModelContext) -> PointForecast:
    """MSTL decomposition, seasonal naive per component, damped Holt on the adjusted series."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    from statsmodels.tsa.seasonal import MSTL

    day = round(ctx.steps_per_day)
    y = _values(history)
    periods = tuple(p for p in (day, ctx.steps_per_week) if p > 1)  # daily data: the weekly cycle only
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = MSTL(y, periods=periods).fit()
        seasonal = np.atleast_2d(np.asarray(res.seasonal, float).T).T
        future_seasonal = sum(
            seasonal_naive(seasonal[:, i], periods[i], len(index)) for i in range(seasonal.shape[1])
        )
        adjusted = y - seasonal.sum(axis=1)
        holt = ExponentialSmoothing(adjusted[-_ETS_WINDOW_WEEKS * ctx.steps_per_week :], trend="add",
                                    damped_trend=True, initialization_method="estimated").fit()
        level = np.asarray(holt.forecast(len(index)), float)
    return PointForecast(level + future_seasonal)
