"""Ingest benchmark: time and peak memory of `workbench.io` on the sample and on large CSVs.

Peer: a bare `pandas.read_csv` + `pandas.to_datetime(utc=True)` (no detection, no cleaning, no
resampling, no outliers), i.e. what a notebook would do. Targets from issue 6: the sample in < 1 s,
5 M rows in < 15 s. Each case runs in a fresh process so peak memory (VmHWM) is its own.

Run: `.venv/bin/python benchmarks/bench_io.py [--rows 1000000,5000000]`
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_csv(rows: int, path: Path, jitter_s: int = 0) -> None:
    """ISO +08:00 timestamps every 10 s (± ``jitter_s``: a jittered scrape) and a lognormal QPS column."""
    start = np.datetime64("2024-01-01T00:00:00")
    offsets = np.arange(rows) * 10
    if jitter_s:
        offsets = offsets + np.random.default_rng(2).integers(-jitter_s, jitter_s + 1, rows)
    stamps = np.datetime_as_string(start + offsets.astype("timedelta64[s]"), unit="s")
    qps = np.random.default_rng(1).lognormal(7, 0.1, rows)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("timestamp,qps\n")
        for i in range(0, rows, 500_000):
            chunk = [f"{s}+08:00,{q:.1f}" for s, q in zip(stamps[i : i + 500_000], qps[i : i + 500_000], strict=True)]
            fh.write("\n".join(chunk) + "\n")


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; unlike ru_maxrss it is not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ours(path: str) -> tuple[float, float]:
    from workbench.io import load_sample, read_load_file

    if path == "sample":
        load_sample()  # warm imports and caches: the page calls it repeatedly
        started = time.perf_counter()
        load_sample()
    else:
        data = Path(path).read_bytes()
        started = time.perf_counter()
        read_load_file(data, Path(path).name)
    return time.perf_counter() - started, _peak_mb()


def _peer(path: str) -> tuple[float, float]:
    import pandas as pd

    target = str(ROOT / "sample_data" / "ecommerce_qps_5min.csv") if path == "sample" else path
    started = time.perf_counter()
    df = pd.read_csv(target)
    pd.to_datetime(df["timestamp"], utc=True)
    return time.perf_counter() - started, _peak_mb()


def _refusal(path: str) -> tuple[float, float]:
    """Seconds to refuse a file over the row limit (counted on bytes, before parsing; issue 6: < 0.5 s)."""
    from workbench.errors import InputError
    from workbench.io import IngestOptions, read_load_file

    data = Path(path).read_bytes()
    started = time.perf_counter()
    try:
        read_load_file(data, Path(path).name, IngestOptions(max_rows=50_000))
    except InputError:
        return time.perf_counter() - started, _peak_mb()
    raise AssertionError("a file over the row limit was accepted")


def _run(fn: object, path: str) -> tuple[float, float]:
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, path).result()  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="1000000,5000000", help="comma-separated row counts")
    args = parser.parse_args()
    cases: list[tuple[str, str, float]] = [("sample (53k rows)", "sample", 1.0)]
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (int(r) for r in args.rows.split(",") if r):
            path = Path(tmp) / f"rows_{rows}.csv"
            make_csv(rows, path)
            cases.append((f"{rows:,} rows CSV", str(path), 15.0))
        jittered = Path(tmp) / "jittered_1000000.csv"  # issue 14: irregular timestamps once hung
        make_csv(1_000_000, jittered, jitter_s=3)
        cases.append(("1,000,000 jittered", str(jittered), 15.0))
        print(f"{'case':<22}{'ours s':>9}{'peer s':>9}{'ratio':>8}{'ours MB':>10}{'target s':>10}{'met':>5}")
        for name, path, target in cases:
            ours_s, ours_mb = _run(_ours, path)
            peer_s, _ = _run(_peer, path)
            met = "yes" if ours_s < target else "no"
            print(
                f"{name:<22}{ours_s:>9.2f}{peer_s:>9.2f}{ours_s / peer_s:>8.1f}{ours_mb:>10.0f}{target:>10.1f}{met:>5}"
            )
        path = Path(tmp) / "rows_200000.csv"
        make_csv(200_000, path)
        refuse_s, _ = _run(_refusal, str(path))
        print(f"{'refuse 200,000 rows':<22}{refuse_s:>9.3f}{'-':>9}{'-':>8}{'-':>10}{0.5:>10.1f}"
              f"{'yes' if refuse_s < 0.5 else 'no':>5}   (limit 50,000: refused before parsing)")


if __name__ == "__main__":
    main()
