"""One service's radar row: the workshop forecast of its daily peaks compared with its capacity.

Per service: :func:`workbench.forecast.fit_forecast` (the workshop's engine, same options) gives the
daily-peak table over the horizon (point and one-sided P95, see :mod:`workbench.forecast.peaks`).  From
it: the horizon peak, the first day the point / P95 daily peak exceeds capacity, the headroom at the
peak ``(capacity − P95 peak) / capacity``, and the history's growth rate — the slope of a least-squares
line through log(daily maximum), as compound % per 30.44-day month (a log-linear trend, FPP3 §7.4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import WorkbenchError
from workbench.fleet.models import WATCH_HEADROOM_PCT, FleetOptions, ServiceCapacity
from workbench.forecast import ForecastOptions, ForecastResult, fit_forecast
from workbench.io import IngestResult

DAYS_PER_MONTH = 30.44
MIN_GROWTH_DAYS = 7


def forecast_options(options: FleetOptions) -> ForecastOptions:
    """The forecast options of a fleet run, as a workshop would pass them."""
    return ForecastOptions(horizon=options.horizon, candidates=options.candidates)


def daily_maxima(series: pd.Series) -> pd.Series:
    """Maximum per local day (days without a value left out)."""
    return series.resample("1D").max().dropna()


def growth_pct_per_month(series: pd.Series, daily: pd.Series | None = None) -> float:
    """Compound growth of the daily maximum, % per month (NaN when under a week of usable days).

    Least squares of log(daily max) on time plus one dummy per weekday, so a weekend dip at either
    end of the history does not read as a trend.  ``daily``: :func:`daily_maxima` of ``series`` if known.
    """
    daily = daily_maxima(series) if daily is None else daily
    daily = daily[daily > 0]
    if len(daily) < MIN_GROWTH_DAYS:
        return float("nan")
    t = np.asarray((daily.index - daily.index[0]) / pd.Timedelta(days=1), float)
    weekday = np.asarray(daily.index.dayofweek)
    design = np.column_stack([t] + [(weekday == d).astype(float) for d in range(7)])
    design = design[:, np.r_[True, design[:, 1:].any(axis=0)]]  # drop weekdays never seen
    coef, *_ = np.linalg.lstsq(design, np.log(daily.to_numpy(float)), rcond=None)
    return float((np.exp(coef[0] * DAYS_PER_MONTH) - 1.0) * 100.0)


def quality_flags(ingest: IngestResult) -> list[str]:
    """Data-quality flags from the ingest report (what a reviewer should look at before trusting a row)."""
    rep = ingest.report
    flags = []
    if rep.gap_points:
        flags.append("gaps")
    if rep.rows_dropped:
        flags.append("dropped_rows")
    if rep.duplicates:
        flags.append("duplicates")
    if rep.outlier_count:
        flags.append("outliers")
    if (rep.end - rep.start) < dt.timedelta(days=14):
        flags.append("short_history")
    return flags


FORECAST_FLAGS = {"forecast.note.level_shift_cut": "level_shift", "forecast.note.level_shift": "level_shift",
                  "forecast.note.flat": "flat", "forecast.note.short_backtest": "short_backtest"}
FLAGS = ("gaps", "dropped_rows", "duplicates", "outliers", "short_history", "level_shift", "flat", "short_backtest")


def forecast_flags(result: ForecastResult) -> list[str]:
    """Flags from the forecast's notes: a level shift (forecast from after it, or kept whole), a flat
    history (constant forecast, zero-width band), a backtest shorter than asked (less reliable intervals)."""
    out: list[str] = []
    for key, _ in result.notes:
        flag = FORECAST_FLAGS.get(key)
        if flag is not None and flag not in out:
            out.append(flag)
    return out


def _first_day(table: pd.DataFrame, column: str, capacity: float) -> dt.date | None:
    over = table.index[table[column].to_numpy(float) > capacity]
    return over[0] if len(over) else None


def _status(point_day: dt.date | None, p95_day: dt.date | None, headroom: float) -> str:
    if point_day is not None:
        return "breach"
    if p95_day is not None:
        return "at_risk"
    if headroom < WATCH_HEADROOM_PCT:
        return "watch"
    return "ok"


def sparkline(series: pd.Series, result: ForecastResult, days: int, daily: pd.Series | None = None) -> list[float]:
    """Daily maxima of the last ``days`` days of history followed by the forecast daily peaks (point)."""
    daily = daily_maxima(series) if daily is None else daily
    hist = daily.to_numpy(float)[-days:] if days else np.array([])
    fc = result.base.daily_peaks["point"].to_numpy(float)
    return [round(float(v), 3) for v in np.concatenate([hist, fc])]


def sparkline_history(series: pd.Series, days: int, daily: pd.Series | None = None) -> int:
    """How many leading points of :func:`sparkline` are history (the rest is forecast)."""
    daily = daily_maxima(series) if daily is None else daily
    return int(min(days, len(daily))) if days else 0


def analyse_batch(
    ingests: Mapping[str, IngestResult], capacities: Mapping[str, ServiceCapacity], options: FleetOptions
) -> dict[str, dict[str, Any] | WorkbenchError]:
    """Radar rows of many services: one batched forecast (:func:`workbench.forecast.batch.fit_forecasts`,
    equal to the workshop's per-series forecast) and the same per-service comparison as
    :func:`analyse_series`.  A service whose forecast raised a user error gets that error instead of a row."""
    from workbench.forecast.batch import fit_forecasts

    fits = fit_forecasts({name: ing.series for name, ing in ingests.items()}, forecast_options(options))
    out: dict[str, dict[str, Any] | WorkbenchError] = {}
    for name, ingest in ingests.items():
        fit = fits[name]
        if isinstance(fit, WorkbenchError):
            out[name] = fit
            continue
        out[name], _ = analyse_series(name, ingest, capacities.get(name), options, fit)
    return out


def analyse_series(
    service: str, ingest: IngestResult, capacity: ServiceCapacity | None, options: FleetOptions,
    result: ForecastResult | None = None,
) -> tuple[dict[str, Any], ForecastResult]:
    """The radar row of one service (plain values, ready for a DataFrame) and its forecast.

    ``result``: the service's forecast when already fitted (by :func:`analyse_batch`), else it is fitted here.
    """
    series = ingest.series
    if result is None:
        result = fit_forecast(series, forecast_options(options), series_name=service)
    table = result.base.daily_peaks
    daily = daily_maxima(series)
    peak = result.base.peak
    origin_day = result.origin.date()
    row: dict[str, Any] = {
        "service": service,
        "status": "no_capacity",
        "model": result.model.value,
        "peak_point": peak.peak.point,
        "peak_p95": peak.peak.p95,
        "peak_day": peak.peak_day.isoformat(),
        "capacity_rps": float("nan"),
        "headroom_pct": float("nan"),
        "first_exceed_point": None,
        "first_exceed_p95": None,
        "days_to_exceed_point": float("nan"),
        "days_to_exceed_p95": float("nan"),
        "growth_pct_per_month": growth_pct_per_month(series, daily),
        "history_days": round((series.index[-1] - series.index[0]) / pd.Timedelta(days=1), 2),
        "step_minutes": pd.Timedelta(result.step) / pd.Timedelta(minutes=1),
        "flags": ",".join(quality_flags(ingest) + forecast_flags(result)),
        "workshop": capacity.workshop if capacity else "",
        "tier": capacity.tier if capacity else "",
        "sparkline": sparkline(series, result, options.sparkline_days, daily),
        "sparkline_history": sparkline_history(series, options.sparkline_days, daily),
        "error": "",
    }
    if capacity is not None:
        cap = capacity.capacity_rps
        point_day = _first_day(table, "point", cap)
        p95_day = _first_day(table, "p95", cap)
        headroom = (cap - peak.peak.p95) / cap * 100.0
        row.update({
            "capacity_rps": cap,
            "headroom_pct": headroom,
            "first_exceed_point": point_day.isoformat() if point_day else None,
            "first_exceed_p95": p95_day.isoformat() if p95_day else None,
            "days_to_exceed_point": float((point_day - origin_day).days) if point_day else float("nan"),
            "days_to_exceed_p95": float((p95_day - origin_day).days) if p95_day else float("nan"),
            "status": _status(point_day, p95_day, headroom),
        })
    return row, result
