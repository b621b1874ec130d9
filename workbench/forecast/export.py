"""Forecast results as plain data: a formula-safe CSV and a JSON-ready summary.

CSV cells that a spreadsheet would run as a formula (starting with = + - @ tab or CR) get a leading
apostrophe unless they are numbers (OWASP, "CSV Injection"); numbers stay numbers.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd

from workbench.exports import neutralise_cell as safe_cell
from workbench.forecast.api import ForecastResult


def forecast_csv(result: ForecastResult) -> bytes:
    """Every scenario's path with bands, one row per (scenario, time), UTF-8 with BOM for Excel."""
    frames = []
    for name, scen in result.scenarios.items():
        f = scen.frame.reset_index(names="time")
        f.insert(0, "scenario", name)
        frames.append(f)
    table = pd.concat(frames, ignore_index=True)
    table["time"] = table["time"].map(lambda ts: ts.isoformat())
    table = table.map(safe_cell)
    buf = io.StringIO()
    table.to_csv(buf, index=False, float_format="%.6g")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _finite(v: float) -> float | None:
    return v if math.isfinite(v) else None


def _daily_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"day": str(day), "point": _finite(float(row.point)), "p80": _finite(float(row.p80)),
         "p95": _finite(float(row.p95))}
        for day, row in table.iterrows()
    ]


def _history_daily_max(history: pd.Series | None, days: int = 56) -> list[dict[str, Any]]:
    if history is None or history.empty:
        return []
    index = pd.DatetimeIndex(history.index)
    daily = history.groupby(index.normalize()).max().dropna().tail(days)
    return [{"day": str(d.date()), "max": _finite(float(v))} for d, v in daily.items()]


def summary(result: ForecastResult, history: pd.Series | None = None) -> dict[str, Any]:
    """Model, scores, notes, each scenario's peak and daily peaks (plus the last 8 weeks' daily maxima of
    ``history`` when given): what the CLI prints and the workshop stores (the report charts it)."""
    return {
        "history_daily_max": _history_daily_max(history),
        "history_start": None if history is None or history.empty else pd.Timestamp(history.index[0]).isoformat(),
        "series_name": result.series_name,
        "unit": result.unit,
        "model": result.model.value,
        "origin": result.origin.isoformat(),
        "step_minutes": result.step / pd.Timedelta(minutes=1),
        "scores": [
            {k: (_finite(v) if isinstance(v, float) else v) for k, v in s.model_dump(mode="json").items()}
            for s in result.scores
        ],
        "notes": [{"key": k, "params": p} for k, p in result.notes],
        "scenarios": {
            name: {
                "scenario": r.scenario.model_dump(mode="json"),
                "peak": r.peak.model_dump(mode="json"),
                "daily_peaks": _daily_rows(r.daily_peaks),
            }
            for name, r in result.scenarios.items()
        },
    }
