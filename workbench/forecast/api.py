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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from workbench.errors import InputError
from workbench.forecast import backtest as bt
from workbench.forecast import metrics
from workbench.forecast.holidays import day_types
from workbench.forecast.intervals import LEVELS, MIN_NESTED_FOLDS, Calibrator, calibrate, fold_residuals
from workbench.forecast.models import ModelContext, PointForecast, future_index
from workbench.forecast.peaks import daily_peaks, horizon_peak
from workbench.forecast.registry import get_forecaster, model_needs
from workbench.forecast.scenarios import apply_scenario
from workbench.forecast.schema import BacktestScore, ForecastOptions, ModelName, PeakForecast, Scenario
from workbench.forecast.seasonal import fit_seasonal
from workbench.forecast.shifts import detect_level_shift

MAX_FORECAST_STEPS = 200_000
MAX_STEP = pd.Timedelta(hours=6)  # finest "coarse" step with a daily cycle; daily data is the other case
DAILY = pd.Timedelta(days=1)
MIN_DAILY_POINTS = 14  # two weeks: one weekly cycle to learn and one to check
Note = tuple[str, dict[str, Any]]
PEAK_TIE_MASE = 1.05  # models within 5 % of the best backtest MASE are compared on daily-peak error


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
    if step > MAX_STEP and step != DAILY:
        raise InputError("errors.forecast.step_too_coarse", step=str(step))
    values = series.to_numpy(float)
    finite = np.isfinite(values)
    days = float(finite.sum() * step / pd.Timedelta(days=1))
    if step == DAILY and finite.sum() < MIN_DAILY_POINTS:
        raise InputError("errors.forecast.too_short_daily", points=int(finite.sum()), needed=MIN_DAILY_POINTS)
    if days < 2.0:
        raise InputError("errors.forecast.too_short", days=round(days, 2))
    if finite.mean() < 0.5:
        raise InputError("errors.forecast.too_many_gaps", share=round(100 * (1 - finite.mean()), 1))
    return step


def interval_notes(cal: Calibrator, folds: int) -> list[Note]:
    """Say so when the per-series check widened the band (:func:`intervals.choose_tail_factors`)."""
    lower, upper = cal.tail_factors
    if folds < MIN_NESTED_FOLDS or (lower, upper) == (1.0, 1.0):
        return []
    return [("forecast.note.interval_widened",
             {"low_pct": round(100 * LEVELS[0] * lower, 2), "high_pct": round(100 - 100 * LEVELS[0] * upper, 2)})]


def _score(name: ModelName, folds: list[bt.Fold], history: pd.Series) -> BacktestScore:
    """Fold-averaged metrics; coverage uses intervals calibrated on the *other* folds (no leakage)."""
    cover, peak_err = [], []
    parts = fold_residuals(folds, history)
    for k, fold in enumerate(folds):
        others = folds[:k] + folds[k + 1 :]
        if not others or not np.isfinite(fold.actual).any():
            continue
        cal = calibrate(others, history, residuals=parts[:k] + parts[k + 1 :])
        bands = cal.bands(fold.pred, fold.index)
        cover.append(metrics.coverage(fold.actual, bands["lo95"], bands["hi95"]))
        peak_err.append(metrics.peak_error_pct(fold.actual, cal.peak_path(fold.pred), fold.index))
    # A fold whose test window is one gap (no actual value) has no score; it is left out of the mean
    # instead of making every candidate's score NaN (a valid series with a 3-day gap had no model).
    scored = [f for f in folds if np.isfinite(f.actual).any()]
    return BacktestScore(
        model=name,
        mase=float(np.mean([metrics.mase(f.actual, f.pred, f.scale) for f in scored])) if scored else float("nan"),
        smape=float(np.mean([metrics.smape(f.actual, f.pred) for f in scored])) if scored else float("nan"),
        coverage95=float(np.mean(cover)) if cover else float("nan"),
        peak_error_pct=float(np.nanmean(peak_err)) if peak_err else float("nan"),
        fit_seconds=float(np.mean([f.seconds for f in folds])),
        folds=len(folds),
    )


Progress = Callable[[float], None]


def _skipped(name: ModelName, reason: tuple[str, dict[str, Any]]) -> BacktestScore:
    nan = float("nan")
    return BacktestScore(model=name, mase=nan, smape=nan, coverage95=nan, peak_error_pct=nan,
                         fit_seconds=nan, folds=0, skipped=reason[0], skipped_params=reason[1])


def _can_win(scores: Sequence[BacktestScore]) -> tuple[str, dict[str, Any]] | None:
    """None when an expensive candidate should be tried, else the 'not needed' reason.

    The multi-seasonal model is the one to beat: when it beats weekly seasonal naive in the backtest,
    the statsmodels peers rarely do better (issue 14: it alone scored better than the automatic
    choice on unseen windows), so their 10–100× cost is not spent by default.
    """
    by = {s.model: s for s in scores if s.skipped is None and np.isfinite(s.mase)}
    own = by.get(ModelName.SEASONAL)
    naive = [by[m].mase for m in (ModelName.NAIVE_WEEKLY, ModelName.NAIVE_DAILY) if m in by]
    if own is None or (naive and own.mase >= min(naive)):
        return None
    return "forecast.skip.not_needed", {"mase": round(own.mase, 3)}


EXPENSIVE_BUDGET_S = 2.0  # an expensive candidate may add at most this …
EXPENSIVE_BUDGET_FACTOR = 5.0  # … or this many times the cheap candidates' backtest, whichever is larger


def _budget(runs: dict[ModelName, list[bt.Fold]]) -> float:
    """Seconds an expensive candidate may spend on its backtest (bounded: 'a small multiple of one fit')."""
    cheap = sum(f.seconds for folds in runs.values() for f in folds)
    return max(EXPENSIVE_BUDGET_S, EXPENSIVE_BUDGET_FACTOR * cheap)


def run_backtest(
    series: pd.Series, options: ForecastOptions, ctx: ModelContext, progress: Progress | None = None
) -> tuple[tuple[BacktestScore, ...], dict[ModelName, list[bt.Fold]], list[Note]]:
    """Rolling-origin backtest: cheap candidates first, expensive ones only where they can win.

    Each candidate declares its needs (:func:`~workbench.forecast.registry.model_needs`); one that the
    series does not qualify for, or that fails inside its fit, is skipped with a translated reason.
    """
    horizon_steps = max(1, int(options.horizon / ctx.step))
    test, origins = bt.plan_folds(len(series), ctx, horizon_steps, options.folds, 2 * ctx.steps_per_week)
    if not origins:  # short history: at least two days of training, else one (two-day histories)
        test, origins = bt.plan_folds(len(series), ctx, horizon_steps, options.folds, 2 * int(ctx.steps_per_day))
    if not origins:
        test, origins = bt.plan_folds(len(series), ctx, horizon_steps, options.folds, int(ctx.steps_per_day))
    notes: list[Note] = []
    if len(origins) < options.folds or test * ctx.step < min(options.horizon, bt.MAX_TEST):
        notes.append(("forecast.note.short_backtest",
                      {"folds": len(origins), "days": round(test * ctx.step / pd.Timedelta(days=1), 1)}))
    scores: dict[ModelName, BacktestScore] = {}
    runs: dict[ModelName, list[bt.Fold]] = {}
    expensive = {m for m in options.candidates
                 if model_needs(m, ctx, options.max_statsmodels_rows).expensive}
    stages = [[m for m in options.candidates if m not in expensive], [m for m in options.candidates if m in expensive]]
    done, total = 0, max(1, len(options.candidates))
    for stage, names in enumerate(stages):
        gate = None if stage == 0 or options.thorough else _can_win(list(scores.values()))
        for name in names:
            why = bt.eligible(name, series, origins, ctx, options.max_statsmodels_rows)
            if why is None and gate is not None and name is not options.model:
                why = gate
            if why is None:
                budget = None if stage == 0 or options.thorough or name is options.model else _budget(runs)
                try:
                    runs[name] = bt.run_model(series, name, ctx, test, origins, budget)
                except (bt.CandidateFailed, bt.OverBudget) as exc:
                    why = exc.reason
            scores[name] = _skipped(name, why) if why is not None else _score(name, runs[name], series)
            done += 1
            if progress is not None:
                progress(0.9 * done / total)
    return tuple(scores[m] for m in options.candidates), runs, notes


def choose_model(scores: Sequence[BacktestScore], forced: ModelName | None) -> ModelName:
    """The forced model if it ran, else the lowest backtest MASE, ties (within 5 %) broken by daily-peak error."""
    ran = [s for s in scores if s.skipped is None and np.isfinite(s.mase)]
    if not ran:
        raise InputError("errors.forecast.no_model")
    if forced is not None:
        if forced not in {s.model for s in ran}:
            raise InputError("errors.forecast.model_skipped", model=str(forced))
        return forced
    best = min(ran, key=lambda s: s.mase)
    # Daily peaks are what capacity is sized to: among models within 5 % of the best MASE, the one with
    # the smallest daily-peak error is chosen (the heat-wave week: peaks 44 % low at equal MASE).
    close = [s for s in ran if s.mase <= PEAK_TIE_MASE * best.mase and np.isfinite(s.peak_error_pct)]
    if close:
        return min(close, key=lambda s: (s.peak_error_pct, s.mase)).model
    return best.model


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
    if options.country is None:
        return []
    unknown = day_types(index, options.country).unknown_days
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
    progress: Progress | None = None,
) -> ForecastResult:
    """The expensive part: backtest, choose, fit and calibrate; the result holds the base scenario only.

    Scenarios (growth, events) are applied afterwards by :func:`with_scenarios`, which costs
    milliseconds, so editing a scenario never refits the model.
    """
    options = options or ForecastOptions()
    # One BLAS thread: the solves are small (≈130×130), and OpenBLAS's threads spinning against each
    # other on a busy 2-core machine made each solve ~17× slower (measured, issue 14).
    with threadpool_limits(1, user_api="blas"):
        return _fit_forecast(series, options, series_name, unit, progress)


def _fit_forecast(
    series: pd.Series, options: ForecastOptions, series_name: str, unit: str, progress: Progress | None
) -> ForecastResult:
    flat = _flat_forecast(series, options, series_name, unit)
    if flat is not None:
        return flat
    step = validate_series(series)
    steps = int(np.ceil(options.horizon / step))
    if steps > MAX_FORECAST_STEPS:
        raise InputError("errors.forecast.too_many_steps", steps=steps, limit=MAX_FORECAST_STEPS)
    series = series.astype(float)
    series, shift_notes = _after_level_shift(series, step)
    ctx = ModelContext(step=step, holiday_country=options.country,
                       events=options.history_events, transform=options.transform)
    scores, runs, notes = run_backtest(series, options, ctx, progress)
    notes = shift_notes + notes
    model = choose_model(scores, options.model)
    index = future_index(series, steps)
    point, model, failed = _final_fit(series, index, ctx, scores, model)
    if failed:
        notes.append(("forecast.note.final_fit_failed", {"failed": ", ".join(failed), "model": model.value}))
    cal = calibrate(runs[model], series)
    own = point if model is ModelName.SEASONAL else fit_seasonal(series, ctx).predict(index)
    if model is ModelName.SEASONAL and own.components is not None and "growth" in own.components:
        per_day = float(own.components["growth"].iloc[-1]) / max(len(index) * step / pd.Timedelta(days=1), 1e-9)
        notes.append(("forecast.note.growth", {"pct_per_week": round(100 * float(np.expm1(7 * per_day)), 1)}))
    notes.extend(interval_notes(cal, len(runs[model])))
    bands = cal.bands(np.asarray(point.mean, float), index)
    base = pd.DataFrame({"forecast": point.mean, **bands}, index=index)
    origin = pd.Timestamp(series.index[-1])
    results = {"base": _scenario_result(base, Scenario(name="base"), origin, cal, model, options, series_name, unit)}
    notes += _notes_for_calendar(index, options)
    if progress is not None:
        progress(1.0)
    return ForecastResult(series_name, unit, model, origin, step, scores, results, own.components, cal, tuple(notes))


MIN_DAYS_AFTER_SHIFT = 14


def _after_level_shift(series: pd.Series, step: pd.Timedelta) -> tuple[pd.Series, list[Note]]:
    """Forecast from the data after a detected level shift when two weeks of it exist (else keep all),
    and say so: history from before a shift would make the intervals far too wide (issue 14)."""
    if step >= DAILY:
        return series, []
    shift = detect_level_shift(series)
    if shift is None:
        return series, []
    after = series[series.index >= shift.at]
    days = float(np.isfinite(after.to_numpy(float)).sum() * step / pd.Timedelta(days=1))
    params = {"date": shift.at.date().isoformat(), "ratio": round(shift.ratio, 2), "days": round(days, 1)}
    if days >= MIN_DAYS_AFTER_SHIFT:
        return after, [("forecast.note.level_shift_cut", params)]
    return series, [("forecast.note.level_shift", params)]


def _flat_forecast(series: pd.Series, options: ForecastOptions, series_name: str, unit: str) -> ForecastResult | None:
    """A constant history (even one day of it) gets a constant forecast and a note, not a refusal.

    There is no variation to learn from or to calibrate an interval on, so the band has zero width and
    the note says so; growth and events still apply through scenarios.
    """
    if not isinstance(series.index, pd.DatetimeIndex) or len(series) < 3:
        return None
    values = series.to_numpy(float)
    finite = values[np.isfinite(values)]
    if len(finite) < 3 or float(np.ptp(finite)) > 1e-9 * max(1.0, abs(float(finite[0]))):
        return None
    idx = series.index
    diffs = np.diff(idx.asi8)
    if diffs.min() != diffs.max() or diffs[0] <= 0 or (idx[1] - idx[0]) > DAILY:
        return None
    step = idx[1] - idx[0]
    steps = min(int(np.ceil(options.horizon / step)), MAX_FORECAST_STEPS)
    index = future_index(series, steps)
    level = float(finite[0])
    cal = Calibrator(None, step / pd.Timedelta(days=1), 1.0, np.zeros((1, len(LEVELS))), np.zeros(len(LEVELS)))
    base = pd.DataFrame({"forecast": np.full(steps, level), **cal.bands(np.full(steps, level))}, index=index)
    origin = pd.Timestamp(idx[-1])
    model = ModelName.NAIVE_DAILY
    results = {"base": _scenario_result(base, Scenario(name="base"), origin, cal, model, options, series_name, unit)}
    scores = tuple(_skipped(m, ("forecast.skip.flat", {})) for m in options.candidates)
    note = ("forecast.note.flat", {"value": level, "points": len(finite)})
    return ForecastResult(series_name, unit, model, origin, step, scores, results, None, cal, (note,))


def _final_fit(
    series: pd.Series, index: pd.DatetimeIndex, ctx: ModelContext, scores: Sequence[BacktestScore], model: ModelName
) -> tuple[PointForecast, ModelName, list[str]]:
    """Fit the chosen model on the whole history; if it fails there, the next best that ran is used."""
    ranked = sorted((s for s in scores if s.skipped is None and np.isfinite(s.mase)), key=lambda s: s.mase)
    order = [model] + [s.model for s in ranked if s.model is not model]
    failed: list[str] = []
    for name in order:
        try:
            point = get_forecaster(name)(series, index, ctx)
        except Exception:  # noqa: BLE001 - a third-party fit may raise anything; the next model serves
            failed.append(name.value)
            continue
        if np.all(np.isfinite(np.asarray(point.mean, float))):
            return point, name, failed
        failed.append(name.value)
    raise InputError("errors.forecast.no_model")


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
