"""Fleet radar benchmark: services/s on Dask (1 and 2 workers) against a plain sequential loop.

Data: the synthetic sample fleet (:mod:`workbench.fleet.sample`), N services × 8 weeks hourly on one
time grid, written as one small Parquet file per service (the radar reads each file in its task).
Peer: what a user would do without the radar — a Python loop calling the workshop's ingest
(``read_load_file``) and forecaster (``fit_forecast``) with the same options, one service after the other.
Measured: wall time end to end (cluster start included), services/s, ratio to the loop, speed-up from
1 to 2 worker processes, peak RSS (ru_maxrss) of each worker and of the client process, which hosts
the LocalCluster's scheduler.
Run: ``.venv/bin/python benchmarks/bench_fleet.py [--services 200] [--days 56] [--models multi_seasonal]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.fleet import FleetOptions, discover_services, run_fleet  # noqa: E402
from workbench.fleet.analyse import forecast_options  # noqa: E402
from workbench.fleet.models import FLEET_CANDIDATES, ServiceCapacity  # noqa: E402
from workbench.fleet.sample import make_fleet  # noqa: E402
from workbench.forecast import ModelName, fit_forecast  # noqa: E402
from workbench.io import read_load_file  # noqa: E402

TARGET_SERVICES = 10_000


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _write(folder: Path, services: int, days: int) -> dict[str, ServiceCapacity]:
    histories, capacity = make_fleet(services, days, seed=11)
    for name, s in histories.items():
        pd.DataFrame({"time": s.index, "qps": s.to_numpy()}).to_parquet(folder / f"{name}.parquet", index=False)
    return {r.service: ServiceCapacity(service=r.service, capacity_rps=r.instances * r.per_instance_rps)
            for r in capacity.itertuples()}


def _sequential(folder: Path, options: FleetOptions) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    for path in sorted(folder.glob("*.parquet")):
        series = read_load_file(path.read_bytes(), path.name).series
        fit_forecast(series, forecast_options(options), series_name=path.stem)
    wall = time.perf_counter() - start
    print(f"sequential loop: {wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU "
          "(wall >> CPU means the cores were shared with other work)")
    return wall, time.process_time() - cpu


def _dask(folder: Path, caps: dict[str, ServiceCapacity], options: FleetOptions,
          workers: int) -> tuple[float, dict[str, float], float]:
    start = time.perf_counter()
    run = run_fleet(discover_services(folder), caps, options.model_copy(update={"workers": workers}))
    seconds = time.perf_counter() - start
    if (run.table["status"] == "failed").any():
        raise SystemExit(f"failed services: {run.failed[['service', 'error']].to_dict('records')}")
    worker_cpu = sum(v for k, v in run.cpu_seconds.items() if k != "scheduler")
    return seconds, run.peak_rss_mb, worker_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--days", type=int, default=56)
    parser.add_argument("--models", default=",".join(m.value for m in FLEET_CANDIDATES))
    parser.add_argument("--no-sequential", action="store_true")
    args = parser.parse_args()
    options = FleetOptions(horizon=dt.timedelta(days=30),
                           candidates=tuple(ModelName(m) for m in args.models.split(",")))
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        folder = Path(tmp)
        caps = _write(folder, args.services, args.days)
        n = args.services
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"fleet: {n} services x {args.days} days hourly ({args.days * 24} points), horizon 30 d, "
              f"models {args.models}")
        results: dict[str, float] = {}
        cpu: dict[str, float] = {}
        if not args.no_sequential:
            name = "sequential loop (workshop forecaster)"
            results[name], cpu[name] = _sequential(folder, options)
        memory: dict[int, dict[str, float]] = {}
        for workers in (1, 2):
            name = f"dask LocalCluster, {workers} worker process(es)"
            results[name], memory[workers], cpu[name] = _dask(folder, caps, options, workers)
        base = results.get("sequential loop (workshop forecaster)")
        print(f"{'run':<45} {'seconds':>9} {'services/s':>11} {'vs loop':>8} {'10k services (extrapolated)':>28}")
        for name, seconds in results.items():
            rate = n / seconds
            ratio = f"{base / seconds:.2f}x" if base else "-"
            print(f"{name:<45} {seconds:9.1f} {rate:11.2f} {ratio:>8} {TARGET_SERVICES / rate / 60:24.1f} min")
        print("CPU seconds per service (independent of other load on the machine; workers include their start-up):")
        for name, seconds in cpu.items():
            per = seconds / n
            print(f"  {name:<45} {per:6.2f} s/service -> 10k services on 2 idle cores: "
                  f"{TARGET_SERVICES * per / 2 / 60:.0f} min")
        one = results["dask LocalCluster, 1 worker process(es)"]
        two = results["dask LocalCluster, 2 worker process(es)"]
        print(f"speed-up 1 -> 2 workers: {one / two:.2f}x")
        for workers, mem in memory.items():
            parts = ", ".join(f"{k}: {v:.0f} MB" for k, v in mem.items())
            print(f"peak RSS with {workers} worker(s) (scheduler runs in the client process): {parts}")
        print(f"peak RSS of this process (client + LocalCluster scheduler + data generation): {_peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
