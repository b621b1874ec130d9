"""Load forecasting: models, backtest, calibrated intervals, peaks and scenarios.

Entry point: :func:`forecast_load` (see :mod:`workbench.forecast.api`).  The hand-over value to
capacity sizing is :class:`PeakForecast`.
"""

from workbench.forecast.api import ForecastResult, ScenarioResult, fit_forecast, forecast_load, with_scenarios
from workbench.forecast.scenarios import parse_event
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
