"""Load forecasting: models, backtest, calibrated intervals, peaks and scenarios.

Entry point: :func:`forecast_load` (see :mod:`workbench.forecast.api`).  The hand-over value to
capacity sizing is :class:`PeakForecast`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from workbench.forecast.schema import (
    BacktestScore,
    Event,
    EventKind,
    ForecastOptions,
    ModelName,
    PeakForecast,
    PeakValue,
    Scenario,
    Transform,
)

if TYPE_CHECKING:
    from workbench.forecast.api import ForecastResult, ScenarioResult, fit_forecast, forecast_load, with_scenarios
    from workbench.forecast.scenarios import parse_event

# The engine (api, scenarios) loads on first use, so importing the schema (e.g. the workshop's documents, the
# CLI) stays fast: PEP 562 module __getattr__.
_LAZY = {"ForecastResult": "api", "ScenarioResult": "api", "fit_forecast": "api", "forecast_load": "api",
         "with_scenarios": "api", "parse_event": "scenarios"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"workbench.forecast.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'workbench.forecast' has no attribute {name!r}")


__all__ = [
    "BacktestScore",
    "Event",
    "EventKind",
    "ForecastOptions",
    "ForecastResult",
    "ModelName",
    "PeakForecast",
    "PeakValue",
    "Scenario",
    "ScenarioResult",
    "Transform",
    "fit_forecast",
    "forecast_load",
    "parse_event",
    "with_scenarios",
]
