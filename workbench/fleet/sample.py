"""A synthetic fleet for demos and tests: varied load shapes, some seeded over capacity.

Shapes (cycled over the services): steady daily+weekly cycle, growth (+8 %/month), a launch (level
doubles 10 days before the end), a promotion spike (×3 for 6 hours), business hours (weekdays
09–18 only), noisy and gappy (25 % of the hours missing).  Every ``over_every``-th service gets a
capacity *below* its recent daily peak (seeded over capacity); the others 1.6–2.4× above it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

SHAPES = ("steady", "growth", "launch", "promo", "business_hours", "noisy_gappy")
TIMEZONE = "Asia/Shanghai"


def _profile(shape: str, index: pd.DatetimeIndex, rng: np.random.Generator, size: float) -> np.ndarray:
    hours = index.hour.to_numpy() + index.minute.to_numpy() / 60.0
    days = (index - index[0]) / pd.Timedelta(days=1)
    t = np.asarray(days, float)
    weekday = index.dayofweek.to_numpy()
    daily = 1.0 + 0.6 * np.sin(2 * np.pi * (hours - 8.0) / 24.0)
    weekly = np.where(weekday >= 5, 0.8, 1.0)
    base = size * daily * weekly
    noise = 0.04
    if shape == "growth":
        base = base * (1.08 ** (t / 30.44))
    elif shape == "launch":
        base = base * np.where(t > t[-1] - 10, 2.0, 1.0)
    elif shape == "promo":
        spike = (t > t[-1] - 6) & (t < t[-1] - 6 + 0.25)
        base = base * np.where(spike, 3.0, 1.0)
    elif shape == "business_hours":
        on = (weekday < 5) & (hours >= 9) & (hours < 18)
        base = size * np.where(on, 1.0, 0.05)
    elif shape == "noisy_gappy":
        noise = 0.15
    values = base * (1.0 + rng.normal(0.0, noise, len(index)))
    return np.clip(values, 0.0, None)


def make_fleet(services: int = 12, days: int = 28, seed: int = 7, over_every: int = 4,
               freq: str = "1h") -> tuple[dict[str, pd.Series], pd.DataFrame]:
    """(histories by service, capacity table); deterministic for a seed."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2026-01-05", periods=int(pd.Timedelta(days=days) / pd.Timedelta(freq)), freq=freq,
                          tz=TIMEZONE)
    series: dict[str, pd.Series] = {}
    rows = []
    for i in range(services):
        shape = SHAPES[i % len(SHAPES)]
        name = f"svc-{i:04d}-{shape.replace('_', '-')}"
        size = float(rng.choice([50, 200, 1000, 5000]) * rng.uniform(0.8, 1.2))
        values = _profile(shape, index, rng, size)
        s = pd.Series(values, index=index, name="qps")
        if shape == "noisy_gappy":
            s = s[rng.random(len(s)) > 0.25]
        recent = float(s[s.index > index[-1] - pd.Timedelta(days=7)].max())
        over = i % over_every == over_every - 1
        capacity = recent * (0.85 if over else rng.uniform(1.6, 2.4))
        per = round(max(1.0, capacity / 8.0), 3)
        rows.append({"service": name, "instances": int(np.ceil(capacity / per)), "per_instance_rps": per,
                     "workshop": f"customer-{i % 3}", "tier": "api", "seeded_over": over})
        series[name] = s
    return series, pd.DataFrame(rows)


def cloudwatch_export(series: pd.Series, label: str) -> dict[str, object]:
    """``series`` as an ``aws cloudwatch get-metric-data`` answer: UTC timestamps, newest first (AWS's default)."""
    utc = series.tz_convert("UTC") if series.index.tz is not None else series
    newest_first = utc.iloc[::-1]
    return {"MetricDataResults": [{
        "Id": "m1", "Label": label, "StatusCode": "Complete",
        "Timestamps": [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in newest_first.index],
        "Values": [round(float(v), 3) for v in newest_first.to_numpy()],
    }], "Messages": []}


def write_fleet(out_dir: Path, services: int = 12, days: int = 28, seed: int = 7, over_every: int = 4,
                bad: bool = True, fmt: str = "csv") -> Path:
    """Write one file per service plus ``capacity.csv`` (and one unreadable service when ``bad``).

    ``fmt``: ``csv`` (time, qps) or ``cloudwatch`` (one ``get-metric-data`` JSON export per service).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    histories, capacity = make_fleet(services, days, seed, over_every)
    for name, s in histories.items():
        if fmt == "cloudwatch":
            (out_dir / f"{name}.json").write_text(json.dumps(cloudwatch_export(s, "RequestCount")), encoding="utf-8")
            continue
        frame = pd.DataFrame({"time": s.index.strftime("%Y-%m-%dT%H:%M:%S%z"), "qps": s.round(3).to_numpy()})
        frame.to_csv(out_dir / f"{name}.csv", index=False)
    if bad:
        (out_dir / "svc-broken.csv").write_text("time,qps\nnot a time,abc\nyesterday,-\n", encoding="utf-8")
        capacity = pd.concat([capacity, pd.DataFrame([{"service": "svc-broken", "instances": 2,
                                                       "per_instance_rps": 100.0, "workshop": "customer-0",
                                                       "tier": "api", "seeded_over": False}])])
    capacity.drop(columns=["seeded_over"]).to_csv(out_dir / "capacity.csv", index=False)
    return out_dir
