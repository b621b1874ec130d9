"""Rolling-origin evaluation ("time series cross-validation", FPP3 §5.10; Tashman, IJF 16(4), 2000).

The history is cut at ``folds`` origins; each model is fitted on the data before an origin and
forecasts the next ``test_steps``; the test windows are consecutive and end at the last observation.
The residuals are kept: they calibrate the prediction intervals (:mod:`workbench.forecast.intervals`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.forecast.models import ModelContext, min_history_steps
from workbench.forecast.registry import get_forecaster
from workbench.forecast.schema import ModelName

MAX_TEST = pd.Timedelta(days=14)


@dataclass(frozen=True)
class Fold:
    """One origin: what was forecast and what happened."""

    model: ModelName
    index: pd.DatetimeIndex
    actual: np.ndarray
    pred: np.ndarray
    scale: float  # MASE denominator from the training part
    seconds: float


def plan_folds(n: int, ctx: ModelContext, horizon_steps: int, folds: int, min_train: int) -> tuple[int, list[int]]:
    """(test_steps, origins): shrink the test window and the number of folds to fit a short history."""
    day = int(round(ctx.steps_per_day))
    test = min(horizon_steps, int(MAX_TEST / ctx.step))
    while folds >= 1:
        avail = n - min_train
        if avail >= folds * test:
            return test, [n - k * test for k in range(folds, 0, -1)]
        if test > day:
            test = max(day, avail // folds)
            continue
        folds -= 1
    return test, []


def run_model(history: pd.Series, name: ModelName, ctx: ModelContext, test: int, origins: list[int]) -> list[Fold]:
    """Fit ``name`` at every origin and forecast ``test`` steps."""
    from workbench.forecast.metrics import naive_scale

    forecaster = get_forecaster(name)
    values = history.to_numpy(float)
    season = ctx.steps_per_week if origins and origins[0] >= 2 * ctx.steps_per_week else int(round(ctx.steps_per_day))
    out: list[Fold] = []
    for origin in origins:
        train = history.iloc[:origin]
        index = pd.DatetimeIndex(history.index[origin : origin + test])
        start = time.perf_counter()
        pred = forecaster(train, index, ctx).mean
        seconds = time.perf_counter() - start
        out.append(
            Fold(name, index, values[origin : origin + test], np.asarray(pred, float),
                 naive_scale(values[:origin], season), seconds)
        )
    return out


def eligible(name: ModelName, n: int, origins: list[int], ctx: ModelContext, max_stats_rows: int) -> str | None:
    """None when ``name`` can run on this history, else the message key saying why not."""
    if not origins or origins[0] < min_history_steps(name, ctx):
        return "forecast.skip.short_history"
    if name in (ModelName.ETS, ModelName.MSTL) and n > max_stats_rows:
        return "forecast.skip.too_many_rows"
    return None
