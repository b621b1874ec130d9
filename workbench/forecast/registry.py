"""The candidate models: for each :class:`ModelName`, the function that implements it and what it needs.

:mod:`workbench.forecast.models` states the shape every candidate shares and imports none of them; each
candidate module (``baselines``, ``seasonal``, ``stats_models``) imports that shape.  This registry names
each implementation by its import path and loads it on first use, so there is no import cycle and
statsmodels (seconds to import) is loaded only when ETS or MSTL actually runs.  Adding a candidate is one
entry here plus its module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from workbench.forecast.models import Forecaster, ModelContext, Needs
from workbench.forecast.schema import ModelName


@dataclass(frozen=True)
class Candidate:
    """One forecasting model: where its function lives (``"module:function"``) and its declared needs."""

    target: str
    needs: Callable[[ModelContext, int], Needs]

    def load(self) -> Forecaster:
        module, _, function = self.target.partition(":")
        forecaster: Forecaster = getattr(importlib.import_module(module), function)
        return forecaster


def _day(ctx: ModelContext) -> int:
    return round(ctx.steps_per_day)


# Needs (see Needs): a seasonal naive repeats one cycle; the regression fits the daily shape from one day
# (its ridge penalty holds the weekly terms); Holt-Winters needs two cycles for its heuristic initialisation
# (Hyndman & Athanasopoulos, FPP3 §8.3); MSTL two of its longest period (Bandara et al. 2021 §3).  The two
# statsmodels candidates are slow: capped in rows (MSTL at a third) and run only when they can still win.
CANDIDATES: dict[ModelName, Candidate] = {
    ModelName.NAIVE_DAILY: Candidate("workbench.forecast.baselines:naive_daily", lambda c, _: Needs(_day(c), 1.0)),
    ModelName.NAIVE_WEEKLY: Candidate("workbench.forecast.baselines:naive_weekly",
                                      lambda c, _: Needs(c.steps_per_week, 1.0)),
    ModelName.SEASONAL: Candidate("workbench.forecast.seasonal:forecast_seasonal", lambda c, _: Needs(_day(c), 1.0)),
    ModelName.ETS: Candidate("workbench.forecast.stats_models:forecast_ets",
                             lambda c, rows: Needs(_day(c), 2.0, max_rows=rows, expensive=True)),
    ModelName.MSTL: Candidate("workbench.forecast.stats_models:forecast_mstl",
                              lambda c, rows: Needs(c.steps_per_week, 2.0, max_rows=rows // 3, expensive=True)),
}


def get_forecaster(name: ModelName) -> Forecaster:
    """The function implementing ``name`` (its module imported on first use)."""
    return CANDIDATES[name].load()


def model_needs(name: ModelName, ctx: ModelContext, max_stats_rows: int) -> Needs:
    """The declared needs of candidate ``name`` (see :class:`~workbench.forecast.models.Needs`)."""
    return CANDIDATES[name].needs(ctx, max_stats_rows)
