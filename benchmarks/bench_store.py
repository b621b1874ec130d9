"""Benchmark of the workshop store under a team's load (issue 16): PostgreSQL against SQLite, the default.

20 simulated users, each editing its own workshop, save for 60 s through one store (as one Streamlit server
process does: one store, one thread per session).  Each save is ``put_artefact`` of a 2-40 kB JSON document
based on the version the user last saw, after a short think time.  Afterwards a fresh store reads every
workshop back and checks, per user, that

* the workshop's version is the last version a save acknowledged (no acknowledged write lost),
* every artefact holds the content of its last acknowledged save (checksummed),
* no refused save landed (refused-but-acknowledged), and counts refused saves (expected 0: nobody shares).

A second scenario puts the same 20 users on 5 shared workshops: then optimistic locking refuses saves
(stale versions), which must be refused, never lost and never half-applied.

Reported: saves, saves/s, p50/p95/p99 save latency, refused, lost, refused-but-landed; and the ratio
PostgreSQL / SQLite.  PostgreSQL comes from ``WORKBENCH_BENCH_POSTGRES_URL`` (or ``WORKBENCH_TEST_POSTGRES_URL``);
without one, a throw-away cluster is started from Debian's binaries (as in .ci/postgres.sh).

Run: .venv/bin/python benchmarks/bench_store.py [--seconds 60] [--users 20] [--think-ms 50]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np
from sqlalchemy import create_engine, text

from workbench.errors import StaleWriteError, StoreError
from workbench.store import open_store
from workbench.store.repository import WorkshopStore
from workbench.workshop.models import WorkshopMeta


@dataclass
class UserLog:
    """What one simulated user saw: acknowledged saves, refused saves, latencies."""

    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (ws, art) -> (version, sha)
    last_version: dict[str, int] = field(default_factory=dict)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (ws, art, sha) of refused saves
    errors: list[str] = field(default_factory=list)


def _document(rng: random.Random, user: int, seq: int) -> tuple[dict, str]:
    payload = f"user {user} save {seq} 数据 " * rng.randint(80, 1600)
    sha = hashlib.sha256(payload.encode()).hexdigest()
    return {"user": user, "seq": seq, "payload": payload, "sha": sha, "values": [rng.random() for _ in range(50)]}, sha


def _user(store: WorkshopStore, user: int, workshops: list[str], stop: threading.Event, think_ms: float,
          log: UserLog) -> None:
    rng = random.Random(user)
    seq = 0
    while not stop.is_set():
        ws_id = workshops[user % len(workshops)]
        art_id = f"u{user}-a{seq % 4}"
        try:
            seen = store.get(ws_id).version  # the page loads the workshop, the user edits, then saves
        except StoreError as exc:
            log.errors.append(f"read {exc.key}")
            continue
        time.sleep(rng.expovariate(1000 / think_ms) if think_ms > 0 else 0)
        doc, sha = _document(rng, user, seq)
        start = time.perf_counter()
        try:
            version = store.put_artefact(ws_id, seen, "dataset", art_id, doc)
        except StaleWriteError:
            log.refused.append((ws_id, art_id, sha))
        except StoreError as exc:
            log.refused.append((ws_id, art_id, sha))
            log.errors.append(exc.key)
        else:
            log.latencies.append(time.perf_counter() - start)
            log.acknowledged[(ws_id, art_id)] = (version, sha)
            log.last_version[ws_id] = max(log.last_version.get(ws_id, 0), version)
        seq += 1


@dataclass
class Result:
    backend: str
    scenario: str
    saves: int
    seconds: float
    p50: float
    p95: float
    p99: float
    refused: int
    lost: int
    refused_landed: int
    errors: list[str]


def run(url: str, backend: str, scenario: str, users: int, shared: int | None, seconds: float,
        think_ms: float) -> Result:
    store = open_store(url)
    n_workshops = shared or users
    workshops = [store.create(WorkshopMeta(title=f"{scenario} {i}")).id for i in range(n_workshops)]
    logs = [UserLog() for _ in range(users)]
    stop = threading.Event()
    threads = [threading.Thread(target=_user, args=(store, u, workshops, stop, think_ms, logs[u]))
               for u in range(users)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    store.engine.dispose()

    fresh = open_store(url)  # read back through a new store, as after a restart
    stored = {ws_id: fresh.get(ws_id) for ws_id in workshops}
    lost = refused_landed = 0
    newest: dict[tuple[str, str], tuple[int, str]] = {}
    for log in logs:
        for key, (version, sha) in log.acknowledged.items():
            if key not in newest or version > newest[key][0]:
                newest[key] = (version, sha)
    for (ws_id, art_id), (_version, sha) in newest.items():
        art = stored[ws_id].artefact("dataset", art_id)
        if art is None or art.data["sha"] != sha or \
                hashlib.sha256(art.data["payload"].encode()).hexdigest() != sha:
            lost += 1
    for ws_id, ws in stored.items():
        acked = max((log.last_version.get(ws_id, 0) for log in logs), default=0)
        if ws.version < acked:
            lost += 1
    acknowledged_shas = {sha for log in logs for (_v, sha) in log.acknowledged.values()}
    for log in logs:
        for ws_id, art_id, sha in log.refused:
            art = stored[ws_id].artefact("dataset", art_id)
            if art is not None and art.data["sha"] == sha and sha not in acknowledged_shas:
                refused_landed += 1
    fresh.engine.dispose()
    latencies = np.array([x for log in logs for x in log.latencies]) * 1000
    pct = np.percentile(latencies, [50, 95, 99]) if latencies.size else np.array([np.nan] * 3)
    return Result(backend, scenario, int(latencies.size), elapsed, *map(float, pct),
                  refused=sum(len(log.refused) for log in logs), lost=lost, refused_landed=refused_landed,
                  errors=sorted({e for log in logs for e in log.errors}))


@contextmanager
def postgres_url() -> Iterator[str | None]:
    """A PostgreSQL URL: the configured one, or a throw-away local cluster (None when no server is available)."""
    url = os.environ.get("WORKBENCH_BENCH_POSTGRES_URL") or os.environ.get("WORKBENCH_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        yield None
        return
    bin_dir = bins[-1].parent
    tmp = Path(tempfile.mkdtemp(prefix="workbench-bench-pg."))
    (tmp / "sock").mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(tmp / "sock", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp / "data"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"],
                   **quiet)  # type: ignore[call-overload]
    subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-w", "-o",
                    f"-k {tmp / 'sock'} -p {port} -c listen_addresses=''", "start"], **quiet)  # type: ignore[call-overload]
    try:
        subprocess.run([*run_as, str(bin_dir / "createdb"), "-h", str(tmp / "sock"), "-p", str(port), "-U", "postgres",
                        "bench"], **quiet)  # type: ignore[call-overload]
        yield f"postgresql+psycopg://postgres@/bench?host={tmp / 'sock'}&port={port}"
    finally:
        subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def _reset(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--think-ms", type=float, default=50.0, help="mean think time between load and save")
    args = parser.parse_args()
    results: list[Result] = []
    scenarios = [("own workshop each", None), ("5 shared workshops", 5)]
    with postgres_url() as pg:
        for scenario, shared in scenarios:
            with tempfile.TemporaryDirectory(prefix="workbench-bench-") as folder:
                results.append(run(f"sqlite:///{folder}/store.sqlite3", "SQLite", scenario, args.users, shared,
                                   args.seconds, args.think_ms))
            if pg is None:
                print("PostgreSQL: no server configured and no binaries under /usr/lib/postgresql; skipped")
                continue
            _reset(pg)
            results.append(run(pg, "PostgreSQL", scenario, args.users, shared, args.seconds, args.think_ms))
    print(f"\n{args.users} users, {args.seconds:.0f} s each, think time ~{args.think_ms:.0f} ms, "
          "documents 2-40 kB, one store shared by all users (one server process)")
    head = f"{'backend':<11} {'scenario':<19} {'saves':>6} {'saves/s':>8} {'p50 ms':>7} {'p95 ms':>7} " \
           f"{'p99 ms':>7} {'refused':>8} {'lost':>5} {'refused+landed':>15}"
    print(head)
    print("-" * len(head))
    for r in results:
        print(f"{r.backend:<11} {r.scenario:<19} {r.saves:>6} {r.saves / r.seconds:>8.1f} {r.p50:>7.1f} "
              f"{r.p95:>7.1f} {r.p99:>7.1f} {r.refused:>8} {r.lost:>5} {r.refused_landed:>15}"
              + (f"  errors: {', '.join(r.errors)}" if r.errors else ""))
    for scenario, _ in scenarios:
        pair = {r.backend: r for r in results if r.scenario == scenario}
        if len(pair) == 2:
            pg_r, lite = pair["PostgreSQL"], pair["SQLite"]
            print(f"PostgreSQL / SQLite ({scenario}): p95 save latency x{pg_r.p95 / lite.p95:.2f}, "
                  f"throughput x{(pg_r.saves / pg_r.seconds) / (lite.saves / lite.seconds):.2f}")
    bad = [r for r in results if r.lost or r.refused_landed or (r.scenario == scenarios[0][0] and r.refused)]
    if bad:
        print("FAILED: lost or refused-but-landed writes, or refusals without contention:",
              ", ".join(f"{r.backend}/{r.scenario}" for r in bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
