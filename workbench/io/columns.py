"""Choose the time column and the candidate value columns of a frame (the user can override both)."""

from __future__ import annotations

import pandas as pd

from workbench.errors import InputError
from workbench.io.timestamps import time_share
from workbench.io.values import numeric_share

_TIME_NAMES = ("timestamp", "time", "datetime", "date", "ts", "_time", "@timestamp", "时间", "日期", "时间戳")
_TIME_SHARE = 0.8
_NUMERIC_SHARE = 0.5


def _name_rank(name: str) -> int:
    low = name.strip().lower()
    if low in _TIME_NAMES:
        return 0
    if any(h in low for h in ("time", "date", "时间", "日期")):
        return 1
    return 2


def require_columns(df: pd.DataFrame, names: list[str]) -> None:
    """Raise ``errors.io.unknown_column`` for a name the frame does not have."""
    for name in names:
        if name not in df.columns:
            raise InputError("errors.io.unknown_column", column=name, available=", ".join(map(str, df.columns)))


def detect_time_column(df: pd.DataFrame) -> str:
    """The column most likely to hold time: by name first, then by content (>= 80 % readable)."""
    ordered = sorted(df.columns, key=lambda c: _name_rank(str(c)))
    for col in ordered:
        if time_share(df[col]) >= _TIME_SHARE:
            return str(col)
    raise InputError("errors.io.no_time_column", columns=", ".join(map(str, df.columns)))


_LOAD_HINTS = ("rps", "qps", "tps", "request", "req", "call", "count", "total", "traffic", "load", "throughput",
               "hits", "orders", "sessions", "users", "value", "sum", "请求", "流量", "并发")
_NOT_LOAD_HINTS = ("pct", "percent", "%", "cpu", "mem", "util", "ratio", "latency", "duration", "_ms", "seconds",
                   "error_rate", "rate_pct", "temperature", "延迟", "使用率")


def load_rank(name: str) -> int:
    """0 for names that read like load (rps, requests_total), 2 for ratios and latencies (cpu_pct), else 1."""
    low = name.lower()
    if any(h in low for h in _NOT_LOAD_HINTS):
        return 2
    return 0 if any(h in low for h in _LOAD_HINTS) else 1


def value_candidates(df: pd.DataFrame, time_column: str, decimal: str) -> list[str]:
    """Columns other than time whose cells are mostly numbers (units like '1.2 K' allowed), load-like
    names first (``rps`` before ``cpu_pct``), otherwise in file order."""
    found = [str(c) for c in df.columns if c != time_column and numeric_share(df[c], decimal) >= _NUMERIC_SHARE]
    return sorted(found, key=load_rank)
