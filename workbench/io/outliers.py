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
centred moving window of ``fallback_points`` points. The MAD is floored at 1 % of the reference
level so that a perfectly flat series does not flag tiny wiggles. A promotion spike IS flagged:
flagging only marks it; the user decides whether to remove it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_CONSISTENCY = 0.6745  # Φ⁻¹(0.75): makes MAD comparable to a standard deviation for normal data


def _seasonal_median(values: pd.Series, window_days: int, min_days: int, fallback_points: int) -> pd.Series:
    """Median at the same local time of day over ``window_days`` days (centred), or a moving median."""
    index = pd.DatetimeIndex(values.index)
    span_days = (index[-1] - index[0]) / pd.Timedelta(days=1)
    step = index[1] - index[0]
    if span_days >= min_days and step < pd.Timedelta(days=1):
        slot = index.hour * 3600 + index.minute * 60 + index.second
        return values.groupby(slot).transform(
            lambda s: s.rolling(window_days, center=True, min_periods=3).median()
        )
    return values.rolling(fallback_points, center=True, min_periods=3).median()


def flag_outliers(
    series: pd.Series,
    threshold: float = 3.5,
    window_days: int = 15,
    min_days: int = 4,
    fallback_points: int = 25,
    scale_points: int = 289,
) -> pd.Series:
    """Boolean mask (same index as ``series``): True where the seasonal modified z-score > ``threshold``.

    Residuals are relative (``(x − m) / m``) because load noise grows with the level (multiplicative),
    and their MAD is pooled over a centred window of ``scale_points`` points (one day at 5 min) so
    that the scale is stable even when only a few days exist. The MAD is floored at 0.5 % so a flat
    series does not flag tiny wiggles.
    """
    values = series.astype("float64")
    if values.notna().sum() < 5 or len(values) < 2:
        return pd.Series(False, index=series.index)
    median = _seasonal_median(values, window_days, min_days, fallback_points)
    rel = (values - median) / median.abs().clip(lower=1e-9)
    mad = rel.abs().rolling(scale_points, center=True, min_periods=min(25, scale_points)).median()
    mad = mad.fillna(rel.abs().median()).clip(lower=0.005)
    z = _CONSISTENCY * rel.abs() / mad
    return (z > threshold).fillna(False).astype(bool)
