"""Flag outliers with a robust, seasonal rule; never remove them silently.

Rule (a seasonal Hampel filter): for each point, the reference is the median of the values at the
same local time of day over the surrounding ``window_days`` days, and the scale is their median
absolute deviation (MAD). A point is flagged when its modified z-score
``0.6745 · |x − median| / MAD`` exceeds ``threshold`` (3.5 by default).

Sources: Iglewicz B. & Hoaglin D. C. (1993), *How to Detect and Handle Outliers*, ASQC Basic
References in Quality Control vol. 16, §3.3 (modified z-score, cut-off 3.5); Hampel F. R. (1974),
"The influence curve and its role in robust estimation", JASA 69(346) (median/MAD identifier);
Pearson R. K. (2002), "Outliers in process modeling and identification", IEEE TCST 10(1) (moving-window
Hampel filter). Comparing a time of day with the same time of day on other days is our adaptation
for diurnal load: 21:00 is compared with other 21:00s, not with 04:00.

Assumptions: the series is regular; with fewer than ``min_days`` days we fall back to a plain
centred moving window of ``fallback_points`` points (the first and last half-window are then not
judged, and a level shift longer than half the window is not detected). The MAD is floored at 1 % of the reference
level so that a perfectly flat series does not flag tiny wiggles. A promotion spike IS flagged:
flagging only marks it; the user decides whether to remove it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_CONSISTENCY = 0.6745  # Φ⁻¹(0.75): makes MAD comparable to a standard deviation for normal data


def _seasonal_median(
    values: pd.Series, window_days: int, min_days: int, fallback_points: int, weekly_days: int = 28
) -> pd.Series:
    """Median at the same local time of day over ``window_days`` comparable days (centred).

    With at least ``weekly_days`` days of history, weekends are compared with weekends and working
    days with working days (load differs by day type, e.g. e-commerce is busier at weekends).
    With less than ``min_days`` days, a plain centred moving median is used instead.
    """
    index = pd.DatetimeIndex(values.index)
    span_days = (index[-1] - index[0]) / pd.Timedelta(days=1)
    step = index[1] - index[0]
    if span_days >= min_days and step < pd.Timedelta(days=1):
        slot = index.hour * 3600 + index.minute * 60 + index.second
        keys = [slot, index.dayofweek >= 5] if span_days >= weekly_days else [slot]
        return values.groupby(keys).transform(
            lambda s: s.rolling(window_days, center=True, min_periods=3).median()
        )
    # Full windows only: a one-sided window at the ends would mistake a diurnal slope for an outlier.
    return values.rolling(fallback_points, center=True, min_periods=fallback_points).median()


def flag_outliers(
    series: pd.Series,
    threshold: float = 3.5,
    window_days: int = 15,
    min_days: int = 4,
    fallback_points: int = 25,
    scale_days: float = 7.0,
) -> pd.Series:
    """Boolean mask (same index as ``series``): True where the seasonal modified z-score > ``threshold``.

    Residuals are relative (``(x − m) / m``) because load noise grows with the level (multiplicative),
    and their MAD is pooled over a centred window of ``scale_days`` days, so that the scale is stable
    even with few days and is not inflated by a whole unusual day (a promotion lifting all of it).
    The MAD is floored at 0.5 % so that a flat series does not flag tiny wiggles.
    """
    values = series.astype("float64")
    if values.notna().sum() < 5 or len(values) < 2:
        return pd.Series(False, index=series.index)
    median = _seasonal_median(values, window_days, min_days, fallback_points)
    rel = (values - median) / median.abs().clip(lower=1e-9)
    if rel.notna().sum() == 0:  # too short to judge anything
        return pd.Series(False, index=series.index)
    index = pd.DatetimeIndex(values.index)
    step = (index[-1] - index[0]) / max(len(index) - 1, 1)
    window = max(25, int(pd.Timedelta(days=scale_days) / step) | 1)
    mad = rel.abs().rolling(window, center=True, min_periods=min(window, max(25, window // 7))).median()
    mad = mad.fillna(rel.abs().median()).clip(lower=0.005)
    z = _CONSISTENCY * rel.abs() / mad
    return (z > threshold).fillna(False).astype(bool)
