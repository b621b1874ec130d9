"""Forecast results as plain data: a formula-safe CSV and a JSON-ready summary.

CSV cells that a spreadsheet would run as a formula (starting with = + - @ tab or CR) get a leading
apostrophe unless they are numbers (OWASP, "CSV Injection"); numbers stay numbers.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd

from workbench.forecast.api import ForecastResult

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text that a spreadsheet would evaluate."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value


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


def summary(result: ForecastResult) -> dict[str, Any]:
    """Model, scores, notes and each scenario's peak: what the CLI prints and the workshop stores."""
    return {
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
            }
            for name, r in result.scenarios.items()
        },
    }
