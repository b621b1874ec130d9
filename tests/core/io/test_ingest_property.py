"""Property: any bytes shaped like a load export give a result or a clear WorkbenchError, never another
exception and never a hang (issue 14). Random timestamps (jittered, unsorted, repeated, mixed formats),
random values (NaN, inf, negatives, huge, formulas, unit suffixes), random encodings and layouts."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.io import IngestOptions, read_load_file

HANG_GUARD_S = 60.0  # generous: this guards against hangs, it does not measure speed

_VALUE = st.one_of(
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda v: f"{v:.3f}"),
    st.sampled_from(
        [
            "NaN",
            "inf",
            "-inf",
            "",
            "-5",
            "1.8e308",
            "=SUM(A1:A3)",
            "+cmd(1)",
            "1.2 K",
            "3 Mil",
            "42 %",
            "n/a",
            "1e20",
            "0",
            "@x",
            "１２",
        ]
    ),
)
_STAMP_FORMAT = st.sampled_from(["epoch", "epoch_ms", "iso_z", "local", "local_slash", "garbage"])


def _stamp(seconds: float, fmt: str) -> str:
    ts = pd.Timestamp(int(seconds), unit="s", tz="UTC")
    if fmt == "epoch":
        return f"{seconds:.0f}"
    if fmt == "epoch_ms":
        return f"{seconds * 1000:.0f}"
    if fmt == "iso_z":
        return ts.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "local":
        return ts.strftime("%Y-%m-%d %H:%M:%S")
    if fmt == "local_slash":
        return ts.strftime("%d/%m/%Y %H:%M")
    return "yesterday-ish"


@st.composite
def load_files(draw: Any) -> tuple[bytes, str]:
    n = draw(st.integers(min_value=0, max_value=400))
    start = draw(st.floats(min_value=1.6e9, max_value=1.9e9))
    step = draw(st.sampled_from([1, 15, 60, 300, 3600, 86400]))
    jitter = draw(st.floats(min_value=0, max_value=0.6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    seconds = start + np.cumsum(step * (1 + jitter * rng.uniform(-1, 1, n)))
    if draw(st.booleans()):
        rng.shuffle(seconds)
    if n and draw(st.booleans()):
        seconds = np.concatenate([seconds, seconds[: max(1, n // 10)]])  # repeated timestamps
    fmts = draw(st.lists(_STAMP_FORMAT, min_size=1, max_size=2))
    values = draw(st.lists(_VALUE, min_size=len(seconds), max_size=len(seconds)))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.sampled_from(["time{s}rps", "timestamp{s}cpu_pct{s}rps", 'ts{s}"up{{job=""a""}}"', ""]))
    rows = [
        f"{_stamp(s, fmts[i % len(fmts)])}{sep}{v}" + (f"{sep}{v}" if "cpu" in header else "")
        for i, (s, v) in enumerate(zip(seconds, values, strict=True))
    ]
    text = "\n".join([header.format(s=sep), *rows]) if header else "\n".join(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "latin-1"]))
    return text.encode(encoding, errors="replace"), draw(st.sampled_from(["load.csv", "x.txt", "data"]))


def _ingest_in_thread(data: bytes, name: str) -> tuple[bool, BaseException | None]:
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            read_load_file(data, name, IngestOptions(max_rows=50_000))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test inspects what was raised
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD_S)
    return bool(outcome), (outcome[0] if outcome else None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(load_files())
def test_any_load_export_gives_a_result_or_a_clear_error(case: tuple[bytes, str]) -> None:
    data, name = case
    finished, error = _ingest_in_thread(data, name)
    assert finished, "ingest did not finish: a hang"
    assert error is None or isinstance(error, WorkbenchError), repr(error)
