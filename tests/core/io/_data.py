"""Shared helpers for the ingest tests: small, regular load series written in various shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd


def regular_frame(periods: int = 288 * 3, freq: str = "5min", tz: str = "Asia/Shanghai", seed: int = 7) -> pd.DataFrame:
    """A plausible diurnal load (QPS) with multiplicative noise, ISO timestamps with offset."""
    idx = pd.date_range("2026-03-02", periods=periods, freq=freq, tz=tz)
    hour = idx.hour + idx.minute / 60
    base = 500 + 400 * np.exp(-0.5 * ((hour - 21) / 2.5) ** 2)
    noise = np.random.default_rng(seed).lognormal(0, 0.03, periods)
    return pd.DataFrame({"timestamp": idx.map(lambda t: t.isoformat()), "qps": np.round(base * noise, 3)})


def csv_bytes(df: pd.DataFrame, **kwargs: object) -> bytes:
    return df.to_csv(index=False, **kwargs).encode("utf-8")  # type: ignore[call-overload]
