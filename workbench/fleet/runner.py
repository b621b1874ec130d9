"""Run the radar over a fleet on Dask distributed: one task per partition of services, bounded in flight.

Scheduling: an embedded ``LocalCluster`` sized to the machine (one single-threaded worker per core:
the forecast is numpy-bound and holds the GIL in places) unless ``options.scheduler`` or the
``DASK_SCHEDULER_ADDRESS`` environment variable names an existing cluster (whose workers must have
this package installed).  The services are cut into partitions of ``batch_size``; each task reads its
partition and fits the services that share a time grid in one batched solve
(:mod:`workbench.forecast.batch`, equal to the workshop's per-series forecast).  At most
``max_in_flight`` partitions are submitted at once and each result is a list of small rows, so memory
stays bounded whatever the fleet size.  A service that fails in its partition (or every service of a
partition whose task crashed) is retried once in a task of its own; a second failure becomes a
``failed`` row with the error's message key — one bad service never stops the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.errors import InputError, WorkbenchError
from workbench.fleet.analyse import analyse_batch, analyse_series
from workbench.fleet.inputs import ServiceSource, load_service, load_services
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
        "sparkline_history": 0, "error": key, "error_params": {k: str(v) for k, v in (params or {}).items()},
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


def partition_task(sources: Sequence[ServiceSource], capacities: dict[str, ServiceCapacity],
                   options: FleetOptions) -> list[dict[str, Any]]:
    """The Dask task of a partition: read its services, forecast the same-grid ones in one batch
    (:func:`workbench.fleet.analyse.analyse_batch`), compare; a user error becomes that service's
    ``failed`` row.  Rows come back in the order of ``sources``."""
    loaded = load_services(sources, options)
    ok = {name: ing for name, ing in loaded.items() if not isinstance(ing, WorkbenchError)}
    analysed = analyse_batch(ok, capacities, options) if ok else {}
    rows = []
    for src in sources:
        got = loaded[src.service] if src.service not in analysed else analysed[src.service]
        if isinstance(got, WorkbenchError):
            rows.append(failure_row(src.service, got.key, got.params))
        else:
            assert isinstance(got, dict)
            rows.append({**got, "error_params": {}})
    return rows


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


def _partitions(sources: Sequence[ServiceSource], size: int) -> Iterator[list[ServiceSource]]:
    for start in range(0, len(sources), size):
        yield list(sources[start : start + size])


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
        limit = options.max_in_flight or 2 * workers
        pending = _partitions(sources, options.batch_size)
        meta: dict[Any, list[ServiceSource] | ServiceSource] = {}
        counter = iter(range(1 << 62))

        def submit_partition(part: list[ServiceSource]) -> Any:
            caps = {s.service: capacities[s.service] for s in part if s.service in capacities}
            fut = client.submit(partition_task, part, caps, options, pure=False,
                                key=f"fleet-part-{next(counter)}-{part[0].service}")
            meta[fut] = part
            return fut

        def submit_single(src: ServiceSource) -> Any:  # the retry of one service, isolated in its own task
            retried.append(src.service)
            fut = client.submit(service_task, src, capacities.get(src.service), options, pure=False,
                                key=f"fleet-retry-{next(counter)}-{src.service}")
            meta[fut] = src
            return fut

        def done(row: dict[str, Any]) -> None:
            rows.append(row)
            if progress is not None:
                progress(len(rows), total)

        queue = as_completed([submit_partition(p) for _, p in zip(range(limit), pending, strict=False)])
        for fut in queue:
            job = meta.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:  # a worker died or the task crashed: not the user's data
                result = exc
            fut.release()
            if isinstance(job, list):  # a partition: failed services (or all, if it crashed) get one retry
                got = result if isinstance(result, list) else [failure_row(s.service, "", {}) for s in job]
                for src, row in zip(job, got, strict=True):
                    if row["status"] == "failed":
                        queue.add(submit_single(src))
                    else:
                        done(row)
                nxt = next(pending, None)
                if nxt is not None:
                    queue.add(submit_partition(nxt))
                continue
            if isinstance(result, Exception):
                result = failure_row(job.service, "errors.fleet.task_crashed", {"error": type(result).__name__})
            done(result)
        scheduler = str(client.scheduler.address)
        memory = _measure(client, peak_rss_mb)
        cpu = _measure(client, cpu_seconds)
    return FleetRun(table=rank(pd.DataFrame(rows)), workers=workers, scheduler=scheduler, retried=retried,
                    peak_rss_mb=memory, cpu_seconds=cpu)
