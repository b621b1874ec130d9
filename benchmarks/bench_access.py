"""What access checks and the audit trail cost (issue 16): the checked store against the unchecked one.

Every call through :class:`workbench.access.AccessStore` as a signed-in user adds one indexed membership
lookup before the operation (the write's audit row is inside the store's own transaction, so both sides pay
it).  Reported per operation: median and p95 latency of the checked and the raw store, and their ratio; and
the workshop list of a user who is a member of 100 of 2,000 workshops against the local owner's full list.

Run: .venv/bin/python benchmarks/bench_access.py [--ops 400] [--url sqlite:///…]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np

from workbench.access import AccessStore, Principal
from workbench.store import open_store
from workbench.store.models import Role
from workbench.workshop.models import WorkshopMeta

DOC = {"quantile": "p95", "notes": "x" * 2_000, "series": list(range(200))}


def _timed(checked: Callable[[int], object], raw: Callable[[int], object], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Latencies (ms) of both, interleaved (alternating which goes first) so machine load hits both alike."""
    out = np.empty((2, n))
    for i in range(n):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for k in order:
            start = time.perf_counter()
            (checked, raw)[k](i)
            out[k, i] = time.perf_counter() - start
    return out[0] * 1000.0, out[1] * 1000.0


def _row(name: str, checked: np.ndarray, raw: np.ndarray) -> str:
    c50, c95, r50, r95 = (float(np.percentile(a, q)) for a in (checked, raw) for q in (50, 95))
    return f"| {name} | {c50:.2f} | {c95:.2f} | {r50:.2f} | {r95:.2f} | {c50 / r50:.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=400)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        raw = open_store(url)
        alice = AccessStore(raw, Principal.user("alice@example.com"))
        ws = alice.create(WorkshopMeta(title="bench"))
        version = {"v": ws.version}

        def put_checked(i: int) -> None:
            version["v"] = alice.put_artefact(ws.id, version["v"], "chain", "chain", {**DOC, "i": i})

        def put_raw(i: int) -> None:
            version["v"] = raw.put_artefact(ws.id, version["v"], "chain", "chain", {**DOC, "i": i})

        rows = [
            _row("save one artefact (put_artefact)", *_timed(put_checked, put_raw, args.ops)),
            _row("open a workshop (get)", *_timed(lambda _i: alice.get(ws.id), lambda _i: raw.get(ws.id), args.ops)),
        ]
        local = AccessStore(raw, Principal.local())
        for i in range(2_000):
            made = local.create(WorkshopMeta(title=f"w{i}"))
            if i % 20 == 0:
                local.set_member(made.id, "bob@example.com", Role.EDITOR)
        bob = AccessStore(raw, Principal.user("bob@example.com"))
        assert len(bob.list()) == 100
        rows.append(_row("list: bob (100 of 2,000) vs all 2,000", *_timed(lambda _i: bob.list(),
                                                                            lambda _i: local.list(), 50)))
        raw.engine.dispose()
    print(f"Access checks and audit trail, {url.split(':')[0]}, {args.ops} operations per row (ms)\n")
    print("| operation | checked p50 | checked p95 | raw p50 | raw p95 | checked / raw (p50) |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
