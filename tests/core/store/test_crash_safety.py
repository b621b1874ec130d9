"""Crash safety: a writer killed with SIGKILL mid-loop never corrupts the store or loses a commit.

A child process saves a workshop in a tight loop and prints each committed version; the parent kills
it at random moments many times.  After every kill the store must open, and the workshop must hold at
least the last version the child reported as committed, with every document intact (checksummed).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import ROOT
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta

CHILD = textwrap.dedent(
    """
    import hashlib, json, sys
    from workbench.store import open_store
    store = open_store(sys.argv[1])
    ws_id = sys.argv[2]
    version = store.version(ws_id)
    i = version
    while True:
        payload = ("数据" * 50 + str(i)) * 20
        doc = {"seq": i, "payload": payload, "sha": hashlib.sha256(payload.encode()).hexdigest()}
        version = store.put_artefact(ws_id, version, "dataset", f"d{i % 7}", doc)
        print(version, flush=True)
        i += 1
    """
)


def _verify(url: str, ws_id: str) -> int:
    store = open_store(url)
    ws = store.get(ws_id)
    for art in ws.artefacts:
        assert hashlib.sha256(art.data["payload"].encode()).hexdigest() == art.data["sha"]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    store.engine.dispose()
    return ws.version


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL semantics")
def test_sigkill_during_writes_never_loses_committed_versions(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    ws_id = open_store(url).create(WorkshopMeta(title="crash test")).id
    rng = random.Random(20261111)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 0
    for _ in range(12):
        child = subprocess.Popen([sys.executable, "-c", CHILD, url, ws_id], stdout=subprocess.PIPE, text=True,
                                 env=env, cwd=ROOT)
        assert child.stdout is not None
        first = child.stdout.readline()  # wait until it is really writing
        assert first.strip().isdigit(), first
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        kills += 1
        reported = [int(x) for x in [first, *out.split()] if x.strip().isdigit()]
        stored = _verify(url, ws_id)
        assert stored >= max(reported), (stored, max(reported))
    assert kills == 12
    assert json.loads(json.dumps({"ok": True}))["ok"]
