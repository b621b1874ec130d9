"""The common shape of every forecasting model: history in, point forecast (and components) out.

A model is a function ``(history, future_index, ctx) -> PointForecast``.  Intervals are not the
models' business: they are calibrated on backtest residuals for all models alike
(:mod:`workbench.forecast.intervals`), so that coverage is comparable across models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.forecast.schema import Event, ModelName, Transform


@dataclass(frozen=True)
class ModelContext:
    """What a model needs to know besides the numbers."""

    step: pd.Timedelta
    china_holidays: bool = False
    events: tuple[Event, ...] = ()
    transform: Transform = Transform.AUTO

    @property
    def steps_per_day(self) -> float:
        return pd.Timedelta(days=1) / self.step

    @property
    def steps_per_week(self) -> int:
        return int(round(7 * self.steps_per_day))


@dataclass(frozen=True)
class PointForecast:
    """Point forecast in the series' unit; components (additive, model space) when the model has them."""

    mean: np.ndarray
    components: pd.DataFrame | None = None


Forecaster = Callable[[pd.Series, pd.DatetimeIndex, ModelContext], PointForecast]


def future_index(history: pd.Series, steps: int) -> pd.DatetimeIndex:
    """The ``steps`` timestamps after the end of a regular series."""
    idx = pd.DatetimeIndex(history.index)
    step = idx[1] - idx[0]
    return pd.date_range(idx[-1] + step, periods=steps, freq=step)


def min_history_steps(name: ModelName, ctx: ModelContext) -> int:
    """Shortest history a model can work with (steps)."""
    day = int(round(ctx.steps_per_day))
    if name in (ModelName.NAIVE_WEEKLY, ModelName.MSTL):
        return 2 * ctx.steps_per_week if name is ModelName.MSTL else ctx.steps_per_week
    return 2 * day
