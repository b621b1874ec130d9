"""Run the radar over a fleet on Dask distributed: one task per service, bounded in flight, retried once.

Scheduling: an embedded ``LocalCluster`` sized to the machine (one single-threaded worker per core:
the forecast is numpy-bound and holds the GIL in places) unless ``options.scheduler`` or the
``DASK_SCHEDULER_ADDRESS`` environment variable names an existing cluster (whose workers must have
this package installed).  At most ``max_in_flight`` services are submitted at once and each result
is a small row, so memory stays bounded whatever the fleet size.  A service whose task fails is
resubmitted once; a second failure becomes a ``failed`` row with the error's message key — one bad
service never stops the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.errors import InputError, WorkbenchError
from workbench.fleet.analyse import analyse_series
from workbench.fleet.inputs import ServiceSource, load_service
from workbench.fleet.models import FleetOptions, ServiceCapacity
from workbench.fleet.ranking import rank

Progress = Callable[[int, int], None]
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


@dataclass
class FleetRun:
    """A finished run: the ranked table (one row per service) and how it was scheduled."""

    table: pd.DataFrame
    workers: int
    scheduler: str
    retried: list[str] = field(default_factory=list)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # "scheduler" and each worker's address
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # CPU used by each process at the end of the run

    @property
    def failed(self) -> pd.DataFrame:
        return self.table[self.table["status"] == "failed"]


def peak_rss_mb() -> float:
    """Peak resident memory of the calling process, MB (``ru_maxrss``; Linux reports KiB)."""
    import resource
    import sys

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return float(rss / (1024.0 * 1024.0) if sys.platform == "darwin" else rss / 1024.0)


def cpu_seconds() -> float:
    """User + system CPU time of the calling process so far, seconds."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return float(usage.ru_utime + usage.ru_stime)


def _measure(client: Any, probe: Callable[[], float]) -> dict[str, float]:
    """``probe`` on every worker and on the scheduler (informative only: a cluster may forbid client.run)."""
    try:
        out = {str(k): float(v) for k, v in client.run(probe).items()}
        out["scheduler"] = float(client.run_on_scheduler(probe))
    except Exception:
        return {}
    return out


def failure_row(service: str, key: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The row of a service that could not be analysed (its error's message key and parameters)."""
    nan = float("nan")
    return {
        "service": service, "status": "failed", "model": "", "peak_point": nan, "peak_p95": nan, "peak_day": None,
        "capacity_rps": nan, "headroom_pct": nan, "first_exceed_point": None, "first_exceed_p95": None,
        "days_to_exceed_point": nan, "days_to_exceed_p95": nan, "growth_pct_per_month": nan,
        "history_days": nan, "step_minutes": nan, "flags": "", "workshop": "", "tier": "", "sparkline": [],
        "error": key, "error_params": {k: str(v) for k, v in (params or {}).items()},
    }


def service_task(source: ServiceSource, capacity: ServiceCapacity | None, options: FleetOptions) -> dict[str, Any]:
    """The Dask task of one service: read, forecast, compare; a user error becomes a ``failed`` row."""
    try:
        ingest = load_service(source, options)
        row, _ = analyse_series(source.service, ingest, capacity, options)
    except WorkbenchError as exc:  # bad data: deterministic, reported (retried once by the runner)
        return failure_row(source.service, exc.key, exc.params)
    row["error_params"] = {}
    return row


@contextmanager
def _client(options: FleetOptions) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    address = options.scheduler or os.environ.get(SCHEDULER_ENV) or None
    if address:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError("errors.fleet.scheduler", address=address) from exc
        with client:
            yield client
        return
    workers = options.workers or max(1, os.cpu_count() or 1)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=options.processes,
                      dashboard_address=":0", silence_logs=40) as cluster, Client(cluster) as client:
        yield client


def _worker_count(client: Any) -> int:
    return max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))


def run_fleet(
    sources: Sequence[ServiceSource],
    capacities: dict[str, ServiceCapacity],
    options: FleetOptions | None = None,
    progress: Progress | None = None,
) -> FleetRun:
    """Analyse every service on Dask and return the ranked table; see the module docstring."""
    from distributed import as_completed

    options = options or FleetOptions()
    rows: list[dict[str, Any]] = []
    retried: list[str] = []
    total = len(sources)
    with _client(options) as client:
        workers = _worker_count(client)
        limit = options.max_in_flight or 4 * workers
        pending = iter(sources)
        attempts: dict[str, int] = {}
        meta: dict[Any, ServiceSource] = {}

        def submit(src: ServiceSource) -> Any:
            attempts[src.service] = attempts.get(src.service, 0) + 1
            fut = client.submit(service_task, src, capacities.get(src.service), options, pure=False,
                                key=f"fleet-{src.service}-{attempts[src.service]}-{id(src)}")
            meta[fut] = src
            return fut

        first = [submit(s) for _, s in zip(range(limit), pending, strict=False)]
        queue = as_completed(first)
        for fut in queue:
            src = meta.pop(fut)
            try:
                row = fut.result()
            except Exception as exc:  # a worker died or the task crashed: not the user's data
                row = failure_row(src.service, "errors.fleet.task_crashed", {"error": type(exc).__name__})
            fut.release()
            if row["status"] == "failed" and attempts[src.service] < 2:
                retried.append(src.service)
                queue.add(submit(src))
                continue
            rows.append(row)
            if progress is not None:
                progress(len(rows), total)
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(submit(nxt))
        scheduler = str(client.scheduler.address)
        memory = _measure(client, peak_rss_mb)
        cpu = _measure(client, cpu_seconds)
    return FleetRun(table=rank(pd.DataFrame(rows)), workers=workers, scheduler=scheduler, retried=retried,
                    peak_rss_mb=memory, cpu_seconds=cpu)
