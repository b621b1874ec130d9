"""Accuracy measures for the backtest (Hyndman & Athanasopoulos, FPP3 §5.8 and §5.9).

* MASE (Hyndman & Koehler, "Another look at measures of forecast accuracy", IJF 22(4), 2006):
  MAE of the forecast divided by the in-sample MAE of the seasonal naive method, so 1.0 means
  "as good as repeating last season in-sample"; lower is better.
* sMAPE (Makridakis 1993, as used in M3/M4): 100 · mean(2|a − f| / (|a| + |f|)), percent, 0–200.
* Coverage: share of actual values inside a prediction interval (FPP3 §5.9, "Winkler score" context).
* Daily-peak error: mean absolute percentage error of each local day's maximum — what sizing uses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def naive_scale(history: np.ndarray, season: int) -> float:
    """In-sample MAE of the seasonal naive forecast with period ``season`` (MASE denominator)."""
    h = history[np.isfinite(history)] if season >= len(history) else history
    diffs = np.abs(h[season:] - h[:-season]) if len(h) > season else np.abs(np.diff(h))
    diffs = diffs[np.isfinite(diffs)]
    scale = float(np.mean(diffs)) if len(diffs) else 0.0
    return scale if scale > 0 else 1.0


def mase(actual: np.ndarray, pred: np.ndarray, scale: float) -> float:
    """Mean absolute scaled error (finite pairs only)."""
    ok = np.isfinite(actual) & np.isfinite(pred)
    return float(np.mean(np.abs(actual[ok] - pred[ok])) / scale)


def smape(actual: np.ndarray, pred: np.ndarray) -> float:
    """Symmetric MAPE in percent; a pair of zeros counts as a perfect forecast."""
    ok = np.isfinite(actual) & np.isfinite(pred)
    a, p = actual[ok], pred[ok]
    denom = np.abs(a) + np.abs(p)
    terms = np.where(denom > 0, 2.0 * np.abs(a - p) / np.where(denom > 0, denom, 1.0), 0.0)
    return float(100.0 * np.mean(terms))


def coverage(actual: np.ndarray, low: np.ndarray, high: np.ndarray) -> float:
    """Share of finite actuals with low ≤ actual ≤ high."""
    ok = np.isfinite(actual)
    return float(np.mean((actual[ok] >= low[ok]) & (actual[ok] <= high[ok])))


def local_day_codes(index: pd.DatetimeIndex) -> np.ndarray:
    """Integer local-day number of each timestamp (wall-clock days since the epoch).

    Cached by (first, last, length, zone): the backtest asks for the same fold windows many times."""
    if len(index) == 0:
        return np.zeros(0, dtype=np.int64)
    return _day_codes(int(index.asi8[0]), int(index.asi8[-1]), len(index), str(index.tz), index)


_CODES: dict[tuple[int, int, int, str], np.ndarray] = {}


def _day_codes(first: int, last: int, n: int, tz: str, index: pd.DatetimeIndex) -> np.ndarray:
    key = (first, last, n, tz)
    hit = _CODES.get(key)
    if hit is not None:
        return hit
    wall = index.tz_localize(None) if index.tz is not None else index
    codes = np.asarray(wall.asi8 // 86_400_000_000_000, dtype=np.int64)
    if len(_CODES) > 512:
        _CODES.clear()
    _CODES[key] = codes
    return codes


def daily_max(values: np.ndarray, index: pd.DatetimeIndex, min_share: float = 0.5) -> pd.Series:
    """Maximum per local day (indexed by local-day number), keeping days with at least ``min_share``
    of their steps present.

    Plain numpy on the (sorted) index: contiguous runs of one local day, ``np.fmax.reduceat`` over them.
    """
    if len(index) == 0:
        return pd.Series([], dtype=float)
    codes = local_day_codes(pd.DatetimeIndex(index))
    vals = np.asarray(values, float)
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    maxima = np.fmax.reduceat(vals, starts)
    counts = np.add.reduceat(np.isfinite(vals).astype(np.int64), starts)
    step = index[1] - index[0] if len(index) > 1 else pd.Timedelta(days=1)
    full = pd.Timedelta(days=1) / step
    keep = counts >= min_share * full
    return pd.Series(maxima[keep], index=codes[starts][keep])


def peak_error_pct(actual: np.ndarray, pred: np.ndarray, index: pd.DatetimeIndex) -> float:
    """Mean absolute % error of the daily maximum (days with a positive actual peak)."""
    a = daily_max(actual, index)
    p = daily_max(pred, index).reindex(a.index)
    ok = (a > 0) & p.notna()
    if not ok.any():
        return float("nan")
    return float(100.0 * np.mean(np.abs(a[ok] - p[ok]) / a[ok]))
