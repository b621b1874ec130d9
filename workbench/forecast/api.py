"""One entry point: :func:`forecast_load` — backtest, choose, fit, calibrate, apply scenarios, find peaks.

    from workbench.forecast import forecast_load, ForecastOptions, Scenario
    options = ForecastOptions(horizon=dt.timedelta(days=30))
    result = forecast_load(series, options, [Scenario(name="x", growth_pct_per_month=3)])
    result.scores            # backtest table, one row per model (the chosen one has the lowest MASE)
    result.scenarios["x"].peak   # PeakForecast to hand to capacity sizing

The series must be regular (one value per step, NaN for missing) with a DatetimeIndex; reading and
cleaning files is :mod:`workbench.io`'s job, so this module never sees raw bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import InputError
from workbench.forecast import backtest as bt
from workbench.forecast import metrics
from workbench.forecast.holidays import day_types
from workbench.forecast.intervals import Calibrator, calibrate
from workbench.forecast.models import ModelContext, PointForecast, future_index, get_forecaster
from workbench.forecast.peaks import daily_peaks, horizon_peak
from workbench.forecast.scenarios import apply_scenario
from workbench.forecast.schema import BacktestScore, ForecastOptions, ModelName, PeakForecast, Scenario
from workbench.forecast.seasonal import fit_seasonal

MAX_FORECAST_STEPS = 200_000
MAX_STEP = pd.Timedelta(hours=6)
Note = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's path (forecast + bands), its daily peaks and its horizon peak."""

    scenario: Scenario
    frame: pd.DataFrame
    daily_peaks: pd.DataFrame
    peak: PeakForecast


@dataclass(frozen=True)
class ForecastResult:
    """Everything the page and the CLI show; ``scenarios`` always holds ``"base"`` first."""

    series_name: str
    unit: str
    model: ModelName
    origin: pd.Timestamp
    step: pd.Timedelta
    scores: tuple[BacktestScore, ...]
    scenarios: dict[str, ScenarioResult]
    components: pd.DataFrame | None
    calibrator: Calibrator
    notes: tuple[Note, ...] = field(default=())

    @property
    def base(self) -> ScenarioResult:
        return self.scenarios["base"]

    def comparison(self) -> pd.DataFrame:
        """Scenarios side by side: growth, events and the horizon peak (point, P80, P95, when)."""
        rows = [
            {
                "scenario": name,
                "growth_pct_per_month": r.scenario.growth_pct_per_month,
                "events": len(r.scenario.events),
                "peak_point": r.peak.peak.point,
                "peak_p80": r.peak.peak.p80,
                "peak_p95": r.peak.peak.p95,
                "peak_time": r.peak.peak_time,
            }
            for name, r in self.scenarios.items()
        ]
        return pd.DataFrame(rows)


def validate_series(series: pd.Series) -> pd.Timedelta:
    """Check the series is regular, long enough and finite enough; return its step."""
    if not isinstance(series.index, pd.DatetimeIndex) or len(series) < 3:
        raise InputError("errors.forecast.too_short", days=0.0)
    idx = series.index
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise InputError("errors.forecast.irregular")
    diffs = np.diff(idx.asi8)
    if diffs.min() != diffs.max() or diffs[0] <= 0:
        raise InputError("errors.forecast.irregular")
    step = idx[1] - idx[0]
    if step > MAX_STEP:
        raise InputError("errors.forecast.step_too_coarse", step=str(step))
    values = series.to_numpy(float)
    finite = np.isfinite(values)
    days = float(finite.sum() * step / pd.Timedelta(days=1))
    if days < 2.0:
        raise InputError("errors.forecast.too_short", days=round(days, 2))
    if finite.mean() < 0.5:
        raise InputError("errors.forecast.too_many_gaps", share=round(100 * (1 - finite.mean()), 1))
    return step


def _score(name: ModelName, folds: list[bt.Fold], history: pd.Series) -> BacktestScore:
    """Fold-averaged metrics; coverage uses intervals calibrated on the *other* folds (no leakage)."""
    cover, peak_err = [], []
    for k, fold in enumerate(folds):
        others = folds[:k] + folds[k + 1 :]
        if not others:
            continue
        cal = calibrate(others, history)
        bands = cal.bands(fold.pred)
        cover.append(metrics.coverage(fold.actual, bands["lo95"], bands["hi95"]))
        peak_err.append(metrics.peak_error_pct(fold.actual, cal.peak_path(fold.pred), fold.index))
    return BacktestScore(
        model=name,
        mase=float(np.mean([metrics.mase(f.actual, f.pred, f.scale) for f in folds])),
        smape=float(np.mean([metrics.smape(f.actual, f.pred) for f in folds])),
        coverage95=float(np.mean(cover)) if cover else float("nan"),
        peak_error_pct=float(np.nanmean(peak_err)) if peak_err else float("nan"),
        fit_seconds=float(np.mean([f.seconds for f in folds])),
        folds=len(folds),
    )


def run_backtest(
    series: pd.Series, options: ForecastOptions, ctx: ModelContext
) -> tuple[tuple[BacktestScore, ...], dict[ModelName, list[bt.Fold]], list[Note]]:
    """Rolling-origin backtest of every candidate model."""
    horizon_steps = max(1, int(options.horizon / ctx.step))
    test, origins = bt.plan_folds(len(series), ctx, horizon_steps, options.folds, 2 * ctx.steps_per_week)
    if not origins:  # short history: at least two days of training
        test, origins = bt.plan_folds(len(series), ctx, horizon_steps, options.folds, 2 * int(ctx.steps_per_day))
    notes: list[Note] = []
    if len(origins) < options.folds or test * ctx.step < min(options.horizon, bt.MAX_TEST):
        notes.append(("forecast.note.short_backtest",
                      {"folds": len(origins), "days": round(test * ctx.step / pd.Timedelta(days=1), 1)}))
    scores: list[BacktestScore] = []
    runs: dict[ModelName, list[bt.Fold]] = {}
    for name in options.candidates:
        why = bt.eligible(name, len(series), origins, ctx, options.max_statsmodels_rows)
        if why is not None:
            nan = float("nan")
            scores.append(BacktestScore(model=name, mase=nan, smape=nan, coverage95=nan,
                                        peak_error_pct=nan, fit_seconds=nan, folds=0, skipped=why))
            continue
        runs[name] = bt.run_model(series, name, ctx, test, origins)
        scores.append(_score(name, runs[name], series))
    return tuple(scores), runs, notes


def choose_model(scores: Sequence[BacktestScore], forced: ModelName | None) -> ModelName:
    """The forced model if it ran, else the one with the lowest backtest MASE."""
    ran = [s for s in scores if s.skipped is None and np.isfinite(s.mase)]
    if not ran:
        raise InputError("errors.forecast.no_model")
    if forced is not None:
        if forced not in {s.model for s in ran}:
            raise InputError("errors.forecast.model_skipped", model=str(forced))
        return forced
    return min(ran, key=lambda s: s.mase).model


def _scenario_result(
    base: pd.DataFrame, scenario: Scenario, origin: pd.Timestamp, cal: Calibrator,
    model: ModelName, options: ForecastOptions, series_name: str, unit: str,
) -> ScenarioResult:
    frame = apply_scenario(base, origin, scenario)
    table = daily_peaks(frame["forecast"], origin, cal)
    value, when, day = horizon_peak(table)
    peak = PeakForecast(
        scenario=scenario.name, series_name=series_name, unit=unit,
        horizon_days=options.horizon / pd.Timedelta(days=1), peak=value,
        peak_time=when.to_pydatetime(), peak_day=day, model=model, origin=origin.to_pydatetime(),
    )
    return ScenarioResult(scenario, frame, table, peak)


def _notes_for_calendar(index: pd.DatetimeIndex, options: ForecastOptions) -> list[Note]:
    if not options.china_holidays:
        return []
    unknown = day_types(index, True).unknown_days
    if not unknown:
        return []
    return [("forecast.note.holidays_unknown", {"first": unknown[0].isoformat(), "days": len(unknown)})]


def forecast_load(
    series: pd.Series,
    options: ForecastOptions | None = None,
    scenarios: Sequence[Scenario] = (),
    *,
    series_name: str = "load",
    unit: str = "",
) -> ForecastResult:
    """Forecast a regular load series: see the module docstring (= :func:`fit_forecast` + :func:`with_scenarios`)."""
    options = options or ForecastOptions()
    _check_scenario_names(scenarios)
    return with_scenarios(fit_forecast(series, options, series_name=series_name, unit=unit), scenarios, options)


def _check_scenario_names(scenarios: Sequence[Scenario]) -> None:
    names = [s.name for s in scenarios]
    if "base" in names or len(set(names)) != len(names):
        raise InputError("errors.forecast.scenario_name")


def fit_forecast(
    series: pd.Series,
    options: ForecastOptions | None = None,
    *,
    series_name: str = "load",
    unit: str = "",
) -> ForecastResult:
    """The expensive part: backtest, choose, fit and calibrate; the result holds the base scenario only.

    Scenarios (growth, events) are applied afterwards by :func:`with_scenarios`, which costs
    milliseconds, so editing a scenario never refits the model.
    """
    options = options or ForecastOptions()
    step = validate_series(series)
    steps = int(np.ceil(options.horizon / step))
    if steps > MAX_FORECAST_STEPS:
        raise InputError("errors.forecast.too_many_steps", steps=steps, limit=MAX_FORECAST_STEPS)
    series = series.astype(float)
    ctx = ModelContext(step=step, china_holidays=options.china_holidays,
                       events=options.history_events, transform=options.transform)
    scores, runs, notes = run_backtest(series, options, ctx)
    model = choose_model(scores, options.model)
    cal = calibrate(runs[model], series)
    index = future_index(series, steps)
    point: PointForecast = get_forecaster(model)(series, index, ctx)
    own = point if model is ModelName.SEASONAL else fit_seasonal(series, ctx).predict(index)
    bands = cal.bands(np.asarray(point.mean, float))
    base = pd.DataFrame({"forecast": point.mean, **bands}, index=index)
    origin = pd.Timestamp(series.index[-1])
    results = {"base": _scenario_result(base, Scenario(name="base"), origin, cal, model, options, series_name, unit)}
    notes += _notes_for_calendar(index, options)
    return ForecastResult(series_name, unit, model, origin, step, scores, results, own.components, cal, tuple(notes))


def with_scenarios(result: ForecastResult, scenarios: Sequence[Scenario], options: ForecastOptions) -> ForecastResult:
    """``result`` with ``scenarios`` applied on its base path (growth and events), base kept first."""
    _check_scenario_names(scenarios)
    base = result.base
    extra = {
        s.name: _scenario_result(base.frame, s, result.origin, result.calibrator, result.model, options,
                                 result.series_name, result.unit)
        for s in scenarios
    }
    return dataclasses.replace(result, scenarios={"base": base, **extra})
