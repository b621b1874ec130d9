"""Generate the bundled load samples (reproducible: fixed seed, numpy only).

Outputs, next to this script:

* ``ecommerce_qps_5min.csv`` — 2026-05-01 to 2026-10-31 (184 days) of 5-minute e-commerce load,
  columns ``timestamp`` (ISO 8601 with +08:00), ``qps`` (requests per second) and ``cpu_pct``
  (average CPU utilisation of the web tier, %). It ends on 2026-11-01 so that Double 11
  (2026-11-11) lies inside a forecast horizon.
* ``prometheus_query_range.json`` — a Prometheus ``/api/v1/query_range`` answer (matrix) with two
  series (two nginx instances), one day (2026-10-30, Asia/Shanghai) at 1-minute steps.

The synthetic shape, stated so that a forecast can be checked against it:

* daily: trough around 04:00-05:00, lunch bump ~12:30, main peak ~21:00 (local time);
* weekly: Saturday x1.12, Sunday x1.10, Friday x1.03, other weekdays ~0.97-0.99;
* growth: 3 % per month, compounded (1.03 ** (days / 30.44));
* public holidays (State Council 2026 schedule): Labour Day 05-01..05-05 x0.90, Dragon Boat 06-19..06-21
  x0.95, Mid-Autumn 09-25..09-27 x0.95, National Day 10-01..10-07 x0.85 (people travel, shop less);
* promotions: 618 on 2026-06-18 (x1.3 all day, x2.5 from 20:00 to 02:00 next day), "99" on
  2026-09-09 (x1.6 20:00-24:00), Double 11 presale launch 2026-10-20 (x1.15 all day, x2.0 20:00-24:00);
* noise: multiplicative log-normal (sigma 3.5 %) plus a slow AR(1) wander (phi 0.995);
* two monitoring gaps (rows missing): 2026-07-14 03:10-03:35 and 2026-09-02 14:00-14:55.

Run: ``python sample_data/make_load_sample.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SEED = 20261111
HERE = Path(__file__).resolve().parent
STEP_MIN = 5
START = np.datetime64("2026-05-01T00:00")
END = np.datetime64("2026-11-01T00:00")
PEAK_QPS = 8000.0  # weekday 21:00 peak at the start, requests per second

WEEKDAY_FACTOR = np.array([0.97, 0.97, 0.98, 0.99, 1.03, 1.12, 1.10])  # Monday .. Sunday
HOLIDAYS = {
    ("2026-05-01", "2026-05-05"): 0.90,
    ("2026-06-19", "2026-06-21"): 0.95,
    ("2026-09-25", "2026-09-27"): 0.95,
    ("2026-10-01", "2026-10-07"): 0.85,
}
# (start, end, multiplier) in local time; day-long lifts and evening peaks.
PROMOTIONS = (
    ("2026-06-18T00:00", "2026-06-19T00:00", 1.3),
    ("2026-06-18T20:00", "2026-06-19T02:00", 2.5 / 1.3),  # 2.5 in total inside the day-long lift
    ("2026-06-19T00:00", "2026-06-19T02:00", 1.3),  # ... continuing past midnight
    ("2026-09-09T20:00", "2026-09-10T00:00", 1.6),
    ("2026-10-20T00:00", "2026-10-21T00:00", 1.15),
    ("2026-10-20T20:00", "2026-10-21T00:00", 2.0 / 1.15),
)
GAPS = (("2026-07-14T03:10", "2026-07-14T03:35"), ("2026-09-02T14:00", "2026-09-02T14:55"))


def _bump(hour: np.ndarray, centre: float, width: float) -> np.ndarray:
    """A Gaussian bump on the 24-hour circle (so 23:00 and 01:00 are 2 hours apart)."""
    dist = np.abs(hour - centre)
    dist = np.minimum(dist, 24.0 - dist)
    return np.exp(-0.5 * (dist / width) ** 2)


def _raw_shape(hour: np.ndarray) -> np.ndarray:
    daytime = 1.0 / (1.0 + np.exp(-(hour - 8.0)))
    return (
        0.10
        + 0.28 * daytime
        + 0.22 * _bump(hour, 12.5, 1.3)
        + 0.12 * _bump(hour, 15.5, 2.5)
        + 0.60 * _bump(hour, 21.0, 2.0)
    )


def daily_profile(hour: np.ndarray) -> np.ndarray:
    """Relative load by local hour (max 1): trough ~04:00, lunch bump, evening peak ~21:00."""
    return _raw_shape(hour) / _raw_shape(np.arange(0.0, 24.0, 1 / 60)).max()


def _window(times: np.ndarray, start: str, end: str) -> np.ndarray:
    return (times >= np.datetime64(start)) & (times < np.datetime64(end))


def make_qps(times: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """QPS at local times ``times`` (datetime64[m], naive local Asia/Shanghai)."""
    minutes = (times - times.astype("datetime64[D]")).astype(int)
    hour = minutes / 60.0
    days = (times - START).astype("timedelta64[m]").astype(float) / 1440.0
    weekday = (times.astype("datetime64[D]").astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    factor = WEEKDAY_FACTOR[weekday]
    for (first, last), mult in HOLIDAYS.items():
        on = _window(times, first + "T00:00", str(np.datetime64(last) + 1) + "T00:00")
        factor = np.where(on, mult, factor)
    for start, end, mult in PROMOTIONS:
        factor = factor * np.where(_window(times, start, end), mult, 1.0)
    growth = 1.03 ** (days / 30.44)
    wander = np.empty(len(times))
    shocks = rng.normal(0.0, 0.003, len(times))
    level = 0.0
    for i, shock in enumerate(shocks):  # AR(1): slow, realistic drift around the model
        level = 0.995 * level + shock
        wander[i] = level
    noise = np.exp(rng.normal(0.0, 0.035, len(times)) + wander)
    return PEAK_QPS * daily_profile(hour) * factor * growth * noise


def write_csv(path: Path, rng: np.random.Generator) -> int:
    times = np.arange(START, END, np.timedelta64(STEP_MIN, "m"))
    keep = np.ones(len(times), dtype=bool)
    for start, end in GAPS:
        keep &= ~((times >= np.datetime64(start)) & (times <= np.datetime64(end)))
    qps = make_qps(times, rng)
    cpu = np.clip(5.0 + 0.0038 * qps + rng.normal(0.0, 1.2, len(times)), 0.0, 100.0)
    stamps = np.datetime_as_string(times.astype("datetime64[s]"), unit="s")
    lines = ["timestamp,qps,cpu_pct"]
    lines += [f"{s}+08:00,{q:.1f},{c:.1f}" for s, q, c, k in zip(stamps, qps, cpu, keep, strict=True) if k]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return int(keep.sum())


def write_prometheus(path: Path, rng: np.random.Generator) -> None:
    local = np.arange(np.datetime64("2026-10-30T00:00"), np.datetime64("2026-10-31T00:00"), np.timedelta64(1, "m"))
    epoch = (local - np.datetime64("1970-01-01T08:00")).astype("timedelta64[s]").astype(int)  # local +08:00 -> UTC
    total = make_qps(local, rng)
    result = []
    for i, share in enumerate((0.52, 0.48)):
        values = total * share * np.exp(rng.normal(0.0, 0.02, len(local)))
        pairs = [[int(t), f"{v:.3f}"] for t, v in zip(epoch, values, strict=True)]
        if i == 1:
            pairs[600][1] = "NaN"  # rate() over a counter reset: Prometheus really returns this
        result.append({"metric": {"instance": f"10.0.1.{11 + i}:9113", "job": "nginx"}, "values": pairs})
    doc = {"status": "success", "data": {"resultType": "matrix", "result": result}}
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows = write_csv(HERE / "ecommerce_qps_5min.csv", rng)
    write_prometheus(HERE / "prometheus_query_range.json", rng)
    print(f"wrote {rows} rows to ecommerce_qps_5min.csv and prometheus_query_range.json")


if __name__ == "__main__":
    main()
