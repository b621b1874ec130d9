"""Flag outliers with a robust, seasonal rule; never remove them silently.

Rule (a seasonal Hampel filter): for each point, the reference is the median of the values at the
same local time of day over the surrounding ``window_days`` comparable days; residuals are relative
to it, and their scale is a median absolute deviation (MAD). A point is flagged when its modified
z-score ``0.6745 · |r| / MAD`` exceeds ``threshold`` (3.5 by default).

Sources: Iglewicz B. & Hoaglin D. C. (1993), *How to Detect and Handle Outliers*, ASQC Basic
References in Quality Control vol. 16, §3.3 (modified z-score, cut-off 3.5); Hampel F. R. (1974),
"The influence curve and its role in robust estimation", JASA 69(346) (median/MAD identifier);
Pearson R. K. (2002), "Outliers in process modeling and identification", IEEE TCST 10(1) (moving-window
Hampel filter). Comparing a time of day with the same time of day on other days is our adaptation
for diurnal load: 21:00 is compared with other 21:00s, not with 04:00.

Assumptions: the series is regular and the load noise is roughly multiplicative. Details (pooled
scale, floors, the fallback for short series) in :func:`flag_outliers`. A promotion spike IS
flagged: flagging only marks it; the user decides whether to remove it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_CONSISTENCY = 0.6745  # Φ⁻¹(0.75): makes MAD comparable to a standard deviation for normal data


def _columnwise_rolling_median(mat: np.ndarray, window: int) -> np.ndarray:
    """Centred rolling median down each column (NaN ignored, >= 3 values), in ONE vectorised call:
    columns are laid end to end with ``window // 2`` NaNs between them so no window spans two."""
    half = window // 2
    cols = mat.T
    padded = np.full((cols.shape[0], cols.shape[1] + half), np.nan)
    padded[:, : cols.shape[1]] = cols
    flat = pd.Series(padded.ravel()).rolling(window, center=True, min_periods=3).median().to_numpy()
    result: np.ndarray = flat.reshape(padded.shape)[:, : cols.shape[1]].T
    return result


class _DayGrid:
    """The series laid out as a (local day × time-of-day slot) matrix, so that "the same time on
    nearby days" is a column and a rolling median down the columns is one vectorised call."""

    def __init__(self, index: pd.DatetimeIndex, step: pd.Timedelta) -> None:
        local_days = index.normalize().tz_localize(None) if index.tz is not None else index.normalize()
        day_ns = local_days.asi8
        self.day = ((day_ns - day_ns[0]) // 86_400_000_000_000).astype(np.int64)
        seconds = np.asarray(index.hour * 3600 + index.minute * 60 + index.second)
        self.slot = (seconds // max(int(step.total_seconds()), 1)).astype(np.int64)
        self.shape = (int(self.day.max()) + 1, int(self.slot.max()) + 1)
        first = pd.Timestamp(local_days[0]).dayofweek
        self.weekend_rows = ((first + np.arange(self.shape[0])) % 7) >= 5

    def matrix(self, values: np.ndarray) -> np.ndarray:
        out = np.full(self.shape, np.nan)
        out[self.day, self.slot] = values  # a repeated DST hour shares one cell: last value wins
        return out

    def rolling_median(self, values: np.ndarray, window: int, by_day_type: bool) -> np.ndarray:
        """Centred median of each cell's column over ``window`` comparable days, read back per point."""
        mat = self.matrix(values)
        out = np.full(self.shape, np.nan)
        groups = (self.weekend_rows, ~self.weekend_rows) if by_day_type else (np.ones(self.shape[0], bool),)
        for rows in groups:
            if rows.any():
                out[rows] = _columnwise_rolling_median(mat[rows], window)
        per_point: np.ndarray = out[self.day, self.slot]
        return per_point

    def pooled_median(self, values: np.ndarray, days: float) -> np.ndarray:
        """Median of all values within a centred window of ``days`` local days, per point."""
        mat = self.matrix(values)
        half = max(int(days), 1) // 2
        per_day = np.full(self.shape[0], np.nan)
        for d in range(self.shape[0]):
            block = mat[max(0, d - half) : d + half + 1]
            block = block[~np.isnan(block)]
            if block.size:
                per_day[d] = np.median(block)
        per_point: np.ndarray = per_day[self.day]
        return per_point


def flag_outliers(
    series: pd.Series,
    threshold: float = 3.5,
    window_days: int = 15,
    min_days: int = 4,
    fallback_points: int = 25,
    scale_days: float = 7.0,
    weekly_days: int = 7,
) -> pd.Series:
    """Boolean mask (same index as ``series``): True where the seasonal modified z-score > ``threshold``.

    Reference: the median at the same local time of day over ``window_days`` comparable days; with at
    least ``weekly_days`` days of history (one week: a regular weekend dip is never an outlier),
    weekends are compared with weekends and working days with
    working days (e-commerce load is higher at weekends). Residuals are relative (``(x − m) / m``)
    because load noise grows with the level. Their scale is the larger of two MADs: the MAD at the
    same time of day over the same days (noise often differs between 04:00 and 21:00), and a pooled
    MAD (all |r| within a centred window of ``scale_days`` days: stable even when a slot has few
    values, and not inflated by one unusual day such as a promotion). The scale is floored at
    0.5 % so that a flat series does not flag tiny wiggles.

    With less than ``min_days`` days (or daily data), a plain centred moving median of
    ``fallback_points`` points is the reference and the pooled MAD of the whole series the scale (full
    windows only: the first and last half-window are not judged, and a level shift longer than half
    the window is not detected).
    """
    values = series.astype("float64")
    if values.notna().sum() < 5 or len(values) < 2:
        return pd.Series(False, index=series.index)
    index = pd.DatetimeIndex(values.index)
    step = index[1] - index[0]
    span_days = (index[-1] - index[0]) / pd.Timedelta(days=1)
    arr = values.to_numpy()
    if span_days >= min_days and step < pd.Timedelta(days=1):
        grid = _DayGrid(index, step)
        by_type = span_days >= weekly_days
        median = grid.rolling_median(arr, window_days, by_type)
        rel = np.abs(arr - median) / np.maximum(np.abs(median), 1e-9)
        scale = np.fmax(grid.rolling_median(rel, window_days, by_type), grid.pooled_median(rel, scale_days))
    elif step == pd.Timedelta(days=1) and span_days >= weekly_days * 4:
        # daily data: a Monday is compared with the surrounding Mondays (a weekly rhythm is not an outlier)
        weekday = pd.Series(index.dayofweek, index=index)
        median = values.groupby(weekday.to_numpy()).transform(
            lambda s: s.rolling(9, center=True, min_periods=5).median()).to_numpy()
        rel = np.abs(arr - median) / np.maximum(np.abs(median), 1e-9)
        scale = np.full(len(rel), np.nanmedian(rel))
    else:
        median = values.rolling(fallback_points, center=True, min_periods=fallback_points).median().to_numpy()
        rel = np.abs(arr - median) / np.maximum(np.abs(median), 1e-9)
        if np.isnan(rel).all():  # too short to judge anything
            return pd.Series(False, index=series.index)
        scale = np.full(len(rel), np.nanmedian(rel))
    with np.errstate(invalid="ignore"):
        z = _CONSISTENCY * rel / np.maximum(np.nan_to_num(scale, nan=0.0), 0.005)
        flagged = np.nan_to_num(z, nan=0.0) > threshold
    return pd.Series(flagged, index=series.index)
