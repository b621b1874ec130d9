"""Writing a radar run: the full table as Parquet, a short summary as CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

SUMMARY_COLUMNS = (
    "rank", "service", "status", "capacity_rps", "peak_point", "peak_p95", "headroom_pct",
    "first_exceed_point", "first_exceed_p95", "growth_pct_per_month", "model", "flags", "error",
)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader of the morning list needs (no sparkline)."""
    return table[[c for c in SUMMARY_COLUMNS if c in table.columns]]


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
