"""Seasonal naive forecasts: tomorrow looks like today (daily) or like the same day last week (weekly).

Definition: ŷ(T+h) = y(T + h − m·⌈h/m⌉) with season length m (Hyndman & Athanasopoulos, *Forecasting:
Principles and Practice*, 3rd ed., §5.2 "Seasonal naïve method").  On load with a weekly cycle the
weekly variant is a strong benchmark that many fitted models fail to beat.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.forecast.models import ModelContext, PointForecast


def seasonal_naive(values: np.ndarray, season: int, steps: int) -> np.ndarray:
    """Repeat the last full season ``season`` (steps) forward for ``steps`` steps."""
    if season < 1 or len(values) < season:
        raise ValueError("history shorter than one season")
    last = values[-season:]
    reps = -(-steps // season)
    return np.tile(last, reps)[:steps]


def _filled(history: pd.Series) -> np.ndarray:
    """Values with gaps filled by the previous value (naive methods need a value in every step)."""
    return history.ffill().bfill().to_numpy(float)


def naive_daily(history: pd.Series, index: pd.DatetimeIndex, ctx: ModelContext) -> PointForecast:
    """Seasonal naive with m = one day."""
    return PointForecast(seasonal_naive(_filled(history), round(ctx.steps_per_day), len(index)))


def naive_weekly(history: pd.Series, index: pd.DatetimeIndex, ctx: ModelContext) -> PointForecast:
    """Seasonal naive with m = one week."""
    return PointForecast(seasonal_naive(_filled(history), ctx.steps_per_week, len(index)))
