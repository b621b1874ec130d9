"""Property: any bytes shaped like a load export give a result or a clear WorkbenchError, never another
exception and never a hang (issue 14). Random timestamps (jittered, unsorted, repeated, mixed formats),
random values (NaN, inf, negatives, huge, formulas, unit suffixes), random encodings and layouts."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.i18n import LANGUAGES
from workbench.io import IngestOptions, read_load_file

UNFILLED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")  # a placeholder left in a message ({job="a"} is data)
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
    _assert_clear(error)


def _assert_clear(error: BaseException | None) -> None:
    """No error, or a WorkbenchError whose message reads in every language with its parameters filled."""
    assert error is None or isinstance(error, WorkbenchError), repr(error)
    if error is not None:
        for lang in LANGUAGES:
            text = error.translate(lang)
            assert text and not UNFILLED.search(text), text


_JSON_VALUE = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), st.sampled_from(
    ["NaN", "+Inf", "-Inf", "", "1e400", "-3", "x", "12"]), st.integers(-10, 10**6), st.none())


@st.composite
def json_exports(draw: Any) -> tuple[bytes, str]:
    """Prometheus query_range matrices and CloudWatch GetMetricData results with random series,
    repeated/unsorted/odd timestamps and values, sometimes with keys missing or of the wrong type."""
    n_series = draw(st.integers(0, 4))
    n = draw(st.integers(0, 120))
    start = draw(st.integers(1_600_000_000, 1_900_000_000))
    step = draw(st.sampled_from([15, 60, 300, 3600]))
    stamps = [start + step * (i // draw(st.sampled_from([1, 2]))) for i in range(n)]
    if draw(st.booleans()):
        stamps = stamps[::-1]
    series = []
    for k in range(n_series):
        values = draw(st.lists(_JSON_VALUE, min_size=n, max_size=n))
        if draw(st.booleans()):  # Prometheus
            series.append({"metric": {"__name__": "http_requests_total", "instance": f"10.0.0.{k}:9090"},
                           "values": [[t, v] for t, v in zip(stamps, values, strict=True)]})
        else:  # CloudWatch
            fmt = draw(st.sampled_from(["iso", "epoch", "bad"]))
            times = [pd.Timestamp(t, unit="s", tz="UTC").isoformat() if fmt == "iso" else t if fmt == "epoch"
                     else "soon" for t in stamps]
            series.append({"Id": f"m{k}", "Label": f"RequestCount lb-{k}", "Timestamps": times, "Values": values})
    prom = [s for s in series if "metric" in s]
    cloud = [s for s in series if "Id" in s]
    doc: Any = draw(st.sampled_from([
        {"status": "success", "data": {"resultType": "matrix", "result": prom}},
        {"MetricDataResults": cloud},
        {"data": {"result": "not a list"}},
        {"MetricDataResults": [{"Id": "m", "Timestamps": stamps}]},
        prom,
    ]))
    return json.dumps(doc).encode(), draw(st.sampled_from(["export.json", "x.txt", "data"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(json_exports())
def test_any_prometheus_or_cloudwatch_export_gives_a_result_or_a_clear_error(case: tuple[bytes, str]) -> None:
    data, name = case
    finished, error = _ingest_in_thread(data, name)
    assert finished, "ingest did not finish: a hang"
    _assert_clear(error)
