"""Writing a radar run: the full table as Parquet, a short summary as CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.exports import export_frame
from workbench.i18n import t

SUMMARY_COLUMNS = (
    "rank", "service", "status", "capacity_rps", "peak_point", "peak_p95", "headroom_pct",
    "first_exceed_point", "first_exceed_p95", "growth_pct_per_month", "model", "flags", "error",
)


def problem_text(key: Any, params: Any, lang: str) -> str:
    """A failed service's problem in words: its error's message key (:func:`workbench.fleet.runner.failure_row`)
    translated with its parameters (a dict, or the JSON text the Parquet file keeps); empty when there is none."""
    if not isinstance(key, str) or not key:
        return ""
    if isinstance(params, str):
        try:
            params = json.loads(params)
        except ValueError:
            params = {}
    return t(key, lang, **(params if isinstance(params, dict) else {}))


def problems(table: pd.DataFrame, lang: str) -> pd.Series:
    """The ``error`` column of a radar table in words (:func:`problem_text`)."""
    params = table["error_params"] if "error_params" in table.columns else pd.Series([None] * len(table),
                                                                                      index=table.index)
    return pd.Series([problem_text(k, p, lang) for k, p in zip(table["error"], params, strict=True)],
                     index=table.index, dtype=object)


def summary(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The columns a reader of the morning list needs (no sparkline), numbers without float noise
    (:func:`workbench.exports.export_number`); with ``lang``, a failed service's problem in words, not its key."""
    out = export_frame(table[[c for c in SUMMARY_COLUMNS if c in table.columns]])
    if lang is not None and "error" in out.columns:
        out["error"] = problems(table, lang)
    return out


def write_results(table: pd.DataFrame, out_dir: Path) -> tuple[Path, Path]:
    """``radar.parquet`` (every column) and ``summary.csv`` in ``out_dir`` (created)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    parquet, csv = out_dir / "radar.parquet", out_dir / "summary.csv"
    frame = table.copy()
    if "error_params" in frame.columns:  # Parquet cannot store an empty struct: keep it as JSON text
        frame["error_params"] = frame["error_params"].map(lambda p: json.dumps(p or {}, ensure_ascii=False))
    frame.to_parquet(parquet, index=False)
    summary(table).to_csv(csv, index=False)
    return parquet, csv
