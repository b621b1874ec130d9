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

from workbench.forecast.models import ModelContext, unmet_need
from workbench.forecast.registry import get_forecaster, model_needs
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
    day = round(ctx.steps_per_day)
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


class CandidateFailed(Exception):
    """A candidate raised inside its fit; carries the message key and parameters for the skip reason."""

    def __init__(self, name: ModelName, error: BaseException) -> None:
        self.name, self.error = name, error
        super().__init__(f"{name}: {type(error).__name__}: {error}")

    @property
    def reason(self) -> tuple[str, dict[str, object]]:
        return "forecast.skip.failed", {"error": f"{type(self.error).__name__}: {str(self.error)[:160]}"}


class OverBudget(Exception):
    """The first fold showed the candidate would take longer than its time budget."""

    def __init__(self, projected: float, budget: float) -> None:
        self.projected, self.budget = projected, budget
        super().__init__(f"projected {projected:.1f} s > budget {budget:.1f} s")

    @property
    def reason(self) -> tuple[str, dict[str, object]]:
        return "forecast.skip.too_slow", {"seconds": round(self.projected, 1), "budget": round(self.budget, 1)}


def run_model(
    history: pd.Series, name: ModelName, ctx: ModelContext, test: int, origins: list[int],
    budget_s: float | None = None,
) -> list[Fold]:
    """Fit ``name`` at every origin and forecast ``test`` steps.

    With ``budget_s``, the folds are fitted newest first and the candidate is abandoned
    (:class:`OverBudget`) as soon as the projected total exceeds the budget: work stays bounded.

    Any exception inside the model (statsmodels raises ValueError/LinAlgError on awkward series) or a
    non-finite forecast becomes :class:`CandidateFailed`, so one candidate never fails the forecast.
    """
    from workbench.forecast.metrics import naive_scale

    forecaster = get_forecaster(name)
    values = history.to_numpy(float)
    season = ctx.steps_per_week if origins and origins[0] >= 2 * ctx.steps_per_week else round(ctx.steps_per_day)
    out: list[Fold] = []
    spent = 0.0
    for origin in sorted(origins, reverse=budget_s is not None):
        train = history.iloc[:origin]
        index = pd.DatetimeIndex(history.index[origin : origin + test])
        start = time.perf_counter()
        try:
            pred = np.asarray(forecaster(train, index, ctx).mean, float)
        except Exception as exc:
            raise CandidateFailed(name, exc) from exc
        if pred.shape != (len(index),) or not np.all(np.isfinite(pred)):
            raise CandidateFailed(name, ValueError("non-finite forecast"))
        seconds = time.perf_counter() - start
        spent += seconds
        if budget_s is not None and spent / (len(out) + 1) * len(origins) > budget_s:
            raise OverBudget(spent / (len(out) + 1) * len(origins), budget_s)
        scale = naive_scale(values[:origin], season)
        out.append(Fold(name, index, values[origin : origin + test], pred, scale, seconds))
    return sorted(out, key=lambda f: f.index[0])


def eligible(
    name: ModelName, history: pd.Series, origins: list[int], ctx: ModelContext, max_stats_rows: int
) -> tuple[str, dict[str, object]] | None:
    """None when ``name`` can run on this history at every origin, else (message key, parameters)."""
    if not origins:
        return "forecast.skip.short_history", {"needed": 0, "have": len(history), "cycles": 0, "season": 0}
    needs = model_needs(name, ctx, max_stats_rows)
    train = history.to_numpy(float)[: origins[0]]
    return unmet_need(needs, train, len(history))
