"""Native outputs of load-test tools, read as they are written, one point per concurrency level.

* **JMeter aggregate report** (Listener "Aggregate Report" → Save Table Data; columns ``Label, # Samples,
  Average, Median, 90% Line, 95% Line, 99% Line, Min, Max, Error %, Throughput, Received KB/sec,
  Sent KB/sec``; https://jmeter.apache.org/usermanual/component_reference.html#Aggregate_Report).
  The report has no thread count: it is taken from a ``Threads``/``users`` column or from the label
  ("checkout 50 users", "t=50").
* **JMeter JTL (CSV)** (``jmeter -n -l results.jtl``; default fields ``timeStamp, elapsed, label,
  responseCode, responseMessage, threadName, dataType, success, failureMessage, bytes, sentBytes,
  grpThreads, allThreads, URL, Latency, IdleTime, Connect``; https://jmeter.apache.org/usermanual/listeners.html).
  Samples are grouped by ``allThreads`` (active threads when the sample ended); throughput = samples /
  (last end − first start) of the level, mean latency = mean ``elapsed``.  Levels with too few samples
  (the ramp between steps) are skipped and counted.
* **Locust** ``--csv PREFIX`` → ``PREFIX_stats_history.csv`` (``Timestamp, User Count, Type, Name,
  Requests/s, Failures/s, 50%, …, 99%, …, Total Request Count, …``; https://docs.locust.io/en/stable/retrieving-stats.html).
  The ``Aggregated`` rows are grouped by ``User Count``; the first row after each change (its window
  still holds the previous level) is skipped and counted; throughput is the mean ``Requests/s``.
* **k6** ``--summary-export=summary.json`` (metrics ``http_reqs.rate``, ``http_req_duration.avg`` and
  ``p(95)``, ``vus_max.max``; https://grafana.com/docs/k6/latest/results-output/end-of-test/) or a
  ``handleSummary`` JSON (the same under ``values``).  One summary is one run: several runs are given as a
  JSON array or one summary per line.
* **wrk / wrk2** console text (``N threads and C connections`` … ``Latency  avg …`` … ``Requests/sec: X``;
  https://github.com/wg/wrk, https://github.com/giltene/wrk2), one block per run, several runs
  concatenated in one file; ``--latency`` percentiles are read when present.

Each reader returns a :class:`LoadTestData` whose ``source`` names the format and whose ``notes`` list
every repair with its count.  Units: latency in seconds, throughput in requests per second.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from typing import Any

from workbench.capacity.loadtest import (
    _TIME_UNITS,
    MAX_CONCURRENCY,
    MAX_LATENCY_S,
    MAX_THROUGHPUT,
    _check_duplicates,
    _plausible,
)
from workbench.capacity.models import FitWarning, LoadTestData, USLWarningCode
from workbench.errors import InputError

MIN_JTL_SAMPLES = 20
# Tools' own names for their outputs (proper nouns, the same in every language)
FORMAT_NAMES = {"jmeter_aggregate": "JMeter Aggregate Report", "jmeter_jtl": "JMeter JTL (CSV)",
                "locust": "Locust stats history", "k6": "k6 summary JSON", "wrk": "wrk/wrk2 output"}
MAX_JTL_ROWS = 3_000_000


def _finish(source: str, n: list[float], x: list[float], latency: list[float] | None,
            quantiles: dict[float, list[float]], notes: list[FitWarning], rows: int) -> LoadTestData:
    for i, (ni, xi) in enumerate(zip(n, x, strict=True), start=1):
        _plausible(i, "concurrency", ni, MAX_CONCURRENCY, "")
        _plausible(i, "throughput", xi, MAX_THROUGHPUT, " req/s")
    for values in [latency or [], *quantiles.values()]:
        for i, v in enumerate(values, start=1):
            _plausible(i, "latency", v, MAX_LATENCY_S, " s")
    notes = [FitWarning(code=USLWarningCode.READ_AS, params={"format": FORMAT_NAMES[source], "levels": len(n),
                                                              "rows": rows}),
             *notes, *_check_duplicates(n, x)]
    if len(n) < 4:
        raise InputError("errors.capacity.loadtest_few_levels", count=len(n), minimum=4, rows=rows)
    if any(v <= 0 for v in x):
        raise InputError("errors.capacity.loadtest_zero_throughput", row=x.index(min(x)) + 1, value=min(x))
    return LoadTestData(concurrency=n, throughput=x, latency=latency, latency_quantiles=quantiles, notes=notes,
                        source=source)


# ------------------------------------------------------------------------------------------ JMeter JTL

def is_jtl(header: list[str]) -> bool:
    low = {h.strip().lower() for h in header}
    return {"timestamp", "elapsed"} <= low and bool(low & {"allthreads", "grpthreads"})


def read_jtl(rows: list[list[str]]) -> LoadTestData:
    """JMeter JTL in CSV form (see module docstring)."""
    header = [h.strip().lower() for h in rows[0]]
    body = rows[1:]
    if len(body) > MAX_JTL_ROWS:
        raise InputError("errors.capacity.loadtest_too_many_rows", rows=len(body), limit=MAX_JTL_ROWS)
    i_ts, i_el = header.index("timestamp"), header.index("elapsed")
    i_th = header.index("allthreads") if "allthreads" in header else header.index("grpthreads")
    i_ok = header.index("success") if "success" in header else None
    levels: dict[int, list[tuple[float, float]]] = defaultdict(list)
    failed = bad = 0
    for r in body:
        try:
            ts, el, th = float(r[i_ts]), float(r[i_el]), int(float(r[i_th]))
        except (ValueError, IndexError):
            bad += 1
            continue
        if not (math.isfinite(ts) and math.isfinite(el)) or el < 0 or th <= 0:
            bad += 1
            continue
        levels[th].append((ts, el))
        if i_ok is not None and len(r) > i_ok and r[i_ok].strip().lower() == "false":
            failed += 1
    n: list[float] = []
    x: list[float] = []
    lat: list[float] = []
    few = 0
    for th in sorted(levels):
        samples = levels[th]
        span = (max(ts + el for ts, el in samples) - min(ts for ts, _ in samples)) / 1e3
        if len(samples) < MIN_JTL_SAMPLES or span <= 0:
            few += 1
            continue
        n.append(float(th))
        x.append(len(samples) / span)
        lat.append(sum(el for _, el in samples) / len(samples) / 1e3)
    notes = []
    if few:
        notes.append(FitWarning(code=USLWarningCode.FEW_SAMPLES, params={"count": few, "minimum": MIN_JTL_SAMPLES}))
    if bad:
        notes.append(FitWarning(code=USLWarningCode.BAD_ROWS, params={"count": bad}))
    if failed:
        notes.append(FitWarning(code=USLWarningCode.ERRORS_SEEN,
                                params={"count": failed, "pct": f"{100 * failed / max(len(body), 1):.2g}"}))
    return _finish("jmeter_jtl", n, x, lat, {}, notes, len(body))


# ----------------------------------------------------------------------------- JMeter aggregate report

def is_jmeter_aggregate(header: list[str]) -> bool:
    low = {h.strip().lower() for h in header}
    return {"label", "# samples", "average", "throughput"} <= low


_LABEL_LEVEL = re.compile(
    r"(?:^|[^\d.])(\d+)\s*(?:users?|threads?|vus?|clients?|并发|用户|线程)|(?:users?|threads?|vus?|t|n)\s*[=_:-]?\s*(\d+)",
    re.IGNORECASE,
)


def read_jmeter_aggregate(rows: list[list[str]]) -> LoadTestData:
    """A JMeter aggregate report; the thread count from a column or the label (see module docstring)."""
    from workbench.capacity.loadtest import _RATE_UNITS, _find_columns, _is_summary, _parse_cell

    header = [h.strip().lower() for h in rows[0]]
    cols = _find_columns(rows[0])
    i_label = header.index("label")
    i_avg = header.index("average")
    i_x = header.index("throughput")
    i_err = header.index("error %") if "error %" in header else None
    quant = {0.5: "median", 0.9: "90% line", 0.95: "95% line", 0.99: "99% line"}
    q_idx = {q: header.index(h) for q, h in quant.items() if h in header}
    n: list[float] = []
    x: list[float] = []
    lat: list[float] = []
    qs: dict[float, list[float]] = {q: [] for q in q_idx}
    dropped = stripped = errors = 0
    for i, r in enumerate(rows[1:], start=2):
        if _is_summary(r):
            dropped += 1
            continue
        if "concurrency" in cols:
            level, s1 = _parse_cell(r[cols["concurrency"].index], i, "concurrency", {"", "users", "threads"})
        else:
            m = _LABEL_LEVEL.search(r[i_label])
            if not m:
                raise InputError("errors.capacity.loadtest_jmeter_no_threads", row=i, label=r[i_label][:40])
            level, s1 = float(m.group(1) or m.group(2)), False
        xv, s2 = _parse_cell(r[i_x], i, "throughput", _RATE_UNITS)
        stripped += s1 or s2
        n.append(level)
        x.append(xv)
        lat.append(float(r[i_avg]) / 1e3)
        for q, j in q_idx.items():
            qs[q].append(float(r[j]) / 1e3)
        if i_err is not None and r[i_err].strip().rstrip("%") not in {"", "0", "0.0", "0.00"}:
            errors += 1
    notes = []
    if dropped:
        notes.append(FitWarning(code=USLWarningCode.SUMMARY_ROW, params={"count": dropped}))
    if stripped:
        notes.append(FitWarning(code=USLWarningCode.UNITS_STRIPPED, params={"count": stripped}))
    if errors:
        notes.append(FitWarning(code=USLWarningCode.ERROR_LEVELS, params={"count": errors}))
    return _finish("jmeter_aggregate", n, x, lat, qs, notes, len(rows) - 1)


# ----------------------------------------------------------------------------------- Locust history


def is_locust_history(header: list[str]) -> bool:
    low = {h.strip().lower() for h in header}
    return {"timestamp", "user count", "requests/s"} <= low


def read_locust_history(rows: list[list[str]]) -> LoadTestData:
    """Locust ``*_stats_history.csv`` (see module docstring)."""
    header = [h.strip().lower() for h in rows[0]]
    i_users, i_rps = header.index("user count"), header.index("requests/s")
    i_name = header.index("name") if "name" in header else None
    q_idx = {q: header.index(h) for q, h in ((0.5, "50%"), (0.95, "95%"), (0.99, "99%")) if h in header}
    by_level: dict[float, list[list[str]]] = defaultdict(list)
    previous: float | None = None
    ramp = used = 0
    for r in rows[1:]:
        if i_name is not None and len(r) > i_name and r[i_name].strip().lower() not in {"aggregated", ""}:
            continue
        try:
            users = float(r[i_users])
        except (ValueError, IndexError):
            continue
        if users != previous:  # the first window after a change still averages the previous level
            previous = users
            ramp += 1
            continue
        if users <= 0:
            continue
        by_level[users].append(r)
        used += 1
    n: list[float] = []
    x: list[float] = []
    qs: dict[float, list[float]] = {q: [] for q in q_idx}
    for users in sorted(by_level):
        rs = by_level[users]
        rates = [float(r[i_rps]) for r in rs]
        if not rates or sum(rates) <= 0:
            continue
        n.append(users)
        x.append(sum(rates) / len(rates))
        for q, j in q_idx.items():
            vals = [float(r[j]) for r in rs if r[j].replace(".", "", 1).isdigit()]
            qs[q].append(sorted(vals)[len(vals) // 2] / 1e3 if vals else math.nan)
    qs = {q: v for q, v in qs.items() if v and all(math.isfinite(t) for t in v)}
    notes = [FitWarning(code=USLWarningCode.RAMP_ROWS, params={"count": ramp})] if ramp else []
    return _finish("locust", n, x, None, qs, notes, used + ramp)


# ---------------------------------------------------------------------------------------------- k6


def _k6_value(metric: dict[str, Any], *names: str) -> float | None:
    values = metric.get("values", metric)
    for name in names:
        v = values.get(name)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def read_k6(text: str) -> LoadTestData:
    """k6 ``--summary-export`` or ``handleSummary`` JSON: one summary per run (see module docstring)."""
    try:
        doc = json.loads(text)
        docs = doc if isinstance(doc, list) else [doc]
    except json.JSONDecodeError:
        try:
            docs = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise InputError("errors.capacity.loadtest_json") from None
    points: list[tuple[float, float, float | None, float | None]] = []
    for i, d in enumerate(docs, start=1):
        metrics = d.get("metrics") if isinstance(d, dict) else None
        if not isinstance(metrics, dict) or "http_reqs" not in metrics:
            raise InputError("errors.capacity.loadtest_k6_metrics", run=i)
        vus = _k6_value(metrics.get("vus_max", {}), "max", "value") or _k6_value(metrics.get("vus", {}), "max", "value")
        rate = _k6_value(metrics["http_reqs"], "rate")
        if vus is None or rate is None:
            raise InputError("errors.capacity.loadtest_k6_metrics", run=i)
        dur = metrics.get("http_req_duration", {})
        points.append((vus, rate, _k6_value(dur, "avg"), _k6_value(dur, "p(95)")))
    points.sort(key=lambda p: p[0])
    lat = [p[2] / 1e3 for p in points if p[2] is not None]
    p95 = [p[3] / 1e3 for p in points if p[3] is not None]
    return _finish(
        "k6",
        [p[0] for p in points],
        [p[1] for p in points],
        lat if len(lat) == len(points) else None,
        {0.95: p95} if len(p95) == len(points) else {},
        [],
        len(points),
    )


# --------------------------------------------------------------------------------------------- wrk

_WRK_RUN = re.compile(r"(\d+)\s+threads\s+and\s+(\d+)\s+connections")
_WRK_RPS = re.compile(r"Requests/sec:\s*([\d.]+)\s*([km]?)", re.IGNORECASE)
_WRK_LAT = re.compile(r"^\s*Latency\s+([\d.]+)(us|ms|s|m)\b", re.MULTILINE)
_WRK_PCT = re.compile(r"^\s*(50|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\b", re.MULTILINE)


def is_wrk(text: str) -> bool:
    return bool(_WRK_RUN.search(text) and _WRK_RPS.search(text))


def read_wrk(text: str) -> LoadTestData:
    """wrk / wrk2 console output, one block per run (see module docstring)."""
    starts = [m.start() for m in _WRK_RUN.finditer(text)]
    units = _TIME_UNITS | {"m": 60.0}
    points: list[tuple[float, float, float | None, dict[float, float]]] = []
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        block = text[a:b]
        conns = float(_WRK_RUN.search(block).group(2))  # type: ignore[union-attr]
        rps_m = _WRK_RPS.search(block)
        if not rps_m:
            continue
        rps = float(rps_m.group(1)) * {"": 1.0, "k": 1e3, "m": 1e6}[rps_m.group(2).lower()]
        lat_m = _WRK_LAT.search(block)
        lat = float(lat_m.group(1)) * units[lat_m.group(2)] if lat_m else None
        pcts = {int(m.group(1)) / 100: float(m.group(2)) * units[m.group(3)] for m in _WRK_PCT.finditer(block)}
        points.append((conns, rps, lat, pcts))
    points.sort(key=lambda p: p[0])
    lat_all = [p[2] for p in points if p[2] is not None]
    qs = {q: [p[3][q] for p in points] for q in (0.5, 0.9, 0.99) if points and all(q in p[3] for p in points)}
    return _finish(
        "wrk",
        [p[0] for p in points],
        [p[1] for p in points],
        lat_all if len(lat_all) == len(points) else None,
        qs,
        [],
        len(points),
    )


def read_native(text: str, rows: list[list[str]] | None) -> LoadTestData | None:
    """The reader for a tool's native format, or None when the content is a plain table."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return read_k6(stripped)
    if is_wrk(text):
        return read_wrk(text)
    if rows:
        if is_jtl(rows[0]):
            return read_jtl(rows)
        if is_locust_history(rows[0]):
            return read_locust_history(rows)
        if is_jmeter_aggregate(rows[0]):
            return read_jmeter_aggregate(rows)
    return None
