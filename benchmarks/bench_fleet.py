"""Fleet radar benchmark: 10,000 services x 8 weeks hourly end to end on Dask, against a plain sequential loop.

Data: the synthetic sample fleet (:mod:`workbench.fleet.sample`: steady, growth, launch, promotion,
business-hours and noisy/gappy services), N services x 8 weeks hourly, written as one small Parquet
file per service (the radar reads each file in its task; writing is not timed).
Measured: wall time of ``run_fleet`` end to end (cluster start, reading, ingest, batched forecast,
ranking), services/s, speed-up from 1 to 2 worker processes, peak RSS (ru_maxrss) of each worker and of
the scheduler (which runs in this client process for a LocalCluster).
Peer: what a user would do without the radar — a Python loop calling the workshop's ingest
(``read_load_file``) and forecaster (``fit_forecast``) with the same options, one service after the
other.  It is timed on a sample of ``--loop-sample`` services (every k-th, so every shape is in it)
and extrapolated linearly to N (it is ~0.4 s per service: the full loop would take an hour).
Run: ``.venv/bin/python benchmarks/bench_fleet.py [--services 10000] [--loop-sample 200]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import multiprocessing
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
print = functools.partial(print, flush=True)  # noqa: A001 - progress lines appear while the benchmark runs


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _write_files(folder: Path, services: int, days: int) -> None:
    histories, capacity = make_fleet(services, days, seed=11)
    for name, s in histories.items():
        pd.DataFrame({"time": s.index, "qps": s.to_numpy()}).to_parquet(folder / f"{name}.parquet", index=False)
    capacity.to_csv(folder / "capacity.csv", index=False)


def _write(folder: Path, services: int, days: int) -> dict[str, ServiceCapacity]:
    """Generate in a child process, so this process's peak RSS (it hosts the scheduler) is not the generator's."""
    child = multiprocessing.get_context("spawn").Process(target=_write_files, args=(folder, services, days))
    child.start()
    child.join()
    capacity = pd.read_csv(folder / "capacity.csv")
    (folder / "capacity.csv").unlink()
    return {r.service: ServiceCapacity(service=r.service, capacity_rps=r.instances * r.per_instance_rps)
            for r in capacity.itertuples()}


def _sequential(folder: Path, options: FleetOptions, sample: int) -> tuple[float, float, int]:
    """(wall s, CPU s, services) of the plain loop over every k-th service file."""
    paths = sorted(folder.glob("*.parquet"))
    every = max(1, len(paths) // max(1, sample))
    picked = paths[::every][:sample]
    start, cpu = time.perf_counter(), time.process_time()
    for path in picked:
        series = read_load_file(path.read_bytes(), path.name).series
        fit_forecast(series, forecast_options(options), series_name=path.stem)
    return time.perf_counter() - start, time.process_time() - cpu, len(picked)


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
    parser.add_argument("--services", type=int, default=TARGET_SERVICES)
    parser.add_argument("--days", type=int, default=56)
    parser.add_argument("--loop-sample", type=int, default=200, help="services timed in the sequential loop")
    parser.add_argument("--batch-size", type=int, default=FleetOptions().batch_size)
    parser.add_argument("--models", default=",".join(m.value for m in FLEET_CANDIDATES))
    parser.add_argument("--workers", default="2,1", help="worker counts to run, e.g. 2 (no speed-up line) or 2,1")
    args = parser.parse_args()
    options = FleetOptions(horizon=dt.timedelta(days=30), batch_size=args.batch_size,
                           candidates=tuple(ModelName(m) for m in args.models.split(",")))
    n = args.services
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        caps = _write(folder, n, args.days)
        print(f"fleet: {n} services x {args.days} days hourly ({args.days * 24} points each), horizon 30 d, "
              f"models {args.models}, {args.batch_size} services per task "
              f"(written in {time.perf_counter() - start:.0f} s)")
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        runs: dict[int, tuple[float, dict[str, float], float]] = {}
        counts = [int(w) for w in args.workers.split(",")]
        for workers in counts:
            runs[workers] = _dask(folder, caps, options, workers)
            seconds = runs[workers][0]
            mem = ", ".join(f"{k}: {v:.0f} MB" for k, v in runs[workers][1].items())
            print(f"dask LocalCluster, {workers} worker process(es): {seconds:.1f} s end to end, "
                  f"{n / seconds:.1f} services/s, worker CPU {runs[workers][2] / n * 1000:.1f} ms/service, "
                  f"load average now {os.getloadavg()[0]:.1f}; peak RSS {mem}")
        loop_s, loop_cpu, sampled = _sequential(folder, options, args.loop_sample)
        loop_rate = sampled / loop_s
        print(f"sequential loop (workshop ingest + fit_forecast) on {sampled} services: {loop_s:.1f} s wall, "
              f"{loop_cpu:.1f} s CPU ({loop_cpu / sampled * 1000:.0f} ms/service), {loop_rate:.2f} services/s "
              f"-> {n} services extrapolated: {n / loop_rate:.0f} s")
        print(f"{'run':<42} {'seconds':>9} {'services/s':>11} {'vs loop':>8}")
        print(f"{'sequential loop (extrapolated from sample)':<42} {n / loop_rate:9.0f} {loop_rate:11.2f} {'1.00x':>8}")
        for workers in sorted(runs):
            seconds = runs[workers][0]
            print(f"{f'dask, {workers} worker(s)':<42} {seconds:9.1f} {n / seconds:11.1f} "
                  f"{n / seconds / loop_rate:7.1f}x")
        best = min(seconds for seconds, _, _ in runs.values())
        scaled = best * TARGET_SERVICES / n
        if 1 in runs and 2 in runs:
            print(f"speed-up 1 -> 2 workers: {runs[1][0] / runs[2][0]:.2f}x")
        print(f"target 10k services <= 300 s: {'met' if scaled <= 300 else 'NOT met'} ({scaled:.0f} s scaled to 10k)")
        for workers, (_, mem, cpu) in runs.items():
            parts = ", ".join(f"{k}: {v:.0f} MB" for k, v in mem.items())
            print(f"peak RSS with {workers} worker(s): {parts}; "
                  f"worker CPU {cpu:.0f} s ({cpu / n * 1000:.1f} ms/service)")
        print(f"peak RSS of this process (client + LocalCluster scheduler + loop sample): {_peak_rss_mb():.0f} MB")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
