"""Synthetic load-like series with known structure for the forecast tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def make_load(days: int = 56, freq: str = "1h", noise: float = 0.05, seed: int = 0,
              start: str = "2026-06-01", tz: str | None = "Asia/Shanghai") -> pd.Series:
    """Multiplicative daily and weekend pattern with log-normal noise (values around 1000)."""
    idx = pd.date_range(start, periods=int(days * pd.Timedelta(days=1) / pd.Timedelta(freq)), freq=freq, tz=tz)
    t = (idx - idx[0]).total_seconds().to_numpy() / 86400.0
    weekend = np.asarray(idx.dayofweek >= 5)
    rng = np.random.default_rng(seed)
    y = 1000 * (1 + 0.5 * np.sin(2 * np.pi * t)) * np.where(weekend, 0.7, 1.0) * np.exp(rng.normal(0, noise, len(t)))
    return pd.Series(y, idx, name="qps")


@pytest.fixture
def load() -> pd.Series:
    return make_load()
