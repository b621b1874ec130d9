"""The common shape of every forecasting model: history in, point forecast (and components) out.

A model is a function ``(history, future_index, ctx) -> PointForecast``.  Intervals are not the
models' business: they are calibrated on backtest residuals for all models alike
(:mod:`workbench.forecast.intervals`), so that coverage is comparable across models.

This module states the shape only and imports no candidate: each candidate module imports it, and
:mod:`workbench.forecast.registry` says which function implements which :class:`ModelName`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.forecast.schema import Event, Transform


@dataclass(frozen=True)
class ModelContext:
    """What a model needs to know besides the numbers."""

    step: pd.Timedelta
    china_holidays: bool = False  # former switch; same as holiday_country="CN"
    holiday_country: str | None = None  # ISO code of the holiday calendar (see forecast.holidays)
    events: tuple[Event, ...] = ()
    transform: Transform = Transform.AUTO

    @property
    def country(self) -> str | None:
        """The holiday calendar in use (None: weekends only)."""
        return self.holiday_country or ("CN" if self.china_holidays else None)

    @property
    def steps_per_day(self) -> float:
        return pd.Timedelta(days=1) / self.step

    @property
    def steps_per_week(self) -> int:
        return round(7 * self.steps_per_day)


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


@dataclass(frozen=True)
class Needs:
    """What a candidate model needs from its training history; checked before it runs.

    ``season_steps``: length of the cycle the model repeats or fits (steps); ``cycles``: how many full
    cycles of it must be in the training part (statsmodels' heuristic Holt-Winters initialisation
    needs two, Hyndman & Athanasopoulos FPP3 §8.3; MSTL needs two of its longest period, Bandara et
    al. 2021 §3); ``positive``: values must be > 0 (a multiplicative model divides by them);
    ``max_rows``: above this many rows the model is skipped because it is too slow to backtest;
    ``expensive``: run in the automatic choice only when the cheap candidates leave room to win.
    """

    season_steps: int
    cycles: float
    positive: bool = False
    max_rows: int | None = None
    expensive: bool = False

    @property
    def min_steps(self) -> int:
        return int(np.ceil(self.season_steps * self.cycles))


def ets_period(train_steps: int, ctx: ModelContext) -> int:
    """Holt-Winters season: one week when two weeks (plus a day) of history exist and a week is ≤ 336
    steps (hourly, half-hourly), else one day."""
    week, day = ctx.steps_per_week, round(ctx.steps_per_day)
    return week if week <= 336 and train_steps >= 2 * week + day else day


def unmet_need(needs: Needs, train: np.ndarray, rows: int) -> tuple[str, dict[str, object]] | None:
    """(message key, parameters) of the first need ``train`` does not meet, or None."""
    finite = train[np.isfinite(train)]
    if len(train) < needs.min_steps or len(finite) < needs.min_steps // 2:
        return "forecast.skip.short_history", {"needed": needs.min_steps, "have": len(train),
                                               "cycles": needs.cycles, "season": needs.season_steps}
    if needs.positive and (len(finite) == 0 or float(finite.min()) <= 0.0):
        return "forecast.skip.not_positive", {"count": int((finite <= 0).sum())}
    if needs.max_rows is not None and rows > needs.max_rows:
        return "forecast.skip.too_many_rows", {"rows": rows, "limit": needs.max_rows}
    return None
