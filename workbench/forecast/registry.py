"""Which function implements each forecasting model: a registry filled by the model modules themselves.

A model module decorates its forecaster with :func:`register`; :func:`get_forecaster` imports the module that
provides a model the first time it is asked for (statsmodels is slow to import, so ETS/MSTL load only when
used).  The model modules import :mod:`workbench.forecast.models` for the shared types and this registry;
nothing imports back into them, so there is no import cycle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from workbench.forecast.models import Forecaster
from workbench.forecast.schema import ModelName

#: The module that registers each model (imported on first use).
PROVIDERS: dict[ModelName, str] = {
    ModelName.SEASONAL: "workbench.forecast.seasonal",
    ModelName.ETS: "workbench.forecast.stats_models",
    ModelName.MSTL: "workbench.forecast.stats_models",
    ModelName.NAIVE_DAILY: "workbench.forecast.baselines",
    ModelName.NAIVE_WEEKLY: "workbench.forecast.baselines",
}
_FORECASTERS: dict[ModelName, Forecaster] = {}


def register(name: ModelName) -> Callable[[Forecaster], Forecaster]:
    """Record the decorated function as the implementation of ``name``."""
    def deco(fn: Forecaster) -> Forecaster:
        _FORECASTERS[name] = fn
        return fn
    return deco


def get_forecaster(name: ModelName) -> Forecaster:
    """The function implementing ``name`` (its module is imported on first use)."""
    if name not in _FORECASTERS:
        importlib.import_module(PROVIDERS[name])
    return _FORECASTERS[name]
