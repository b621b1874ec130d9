"""Read load-test results (concurrency, throughput[, latency]) from a CSV the way people really write them.

Accepted: a header with common names in English or Chinese (users/threads/并发数, throughput/TPS/吞吐量,
latency/avg/响应时间) or no header (first columns in that order); comma, semicolon, tab or pipe
separators; decimal commas with semicolons; units inside cells ("120 req/s", "2,345.6/min",
"85 ms", "0.2 s"), converted; JMeter "TOTAL"/summary rows, dropped with a note.  Anything else (text
in a number cell, an unknown unit, zero concurrency, duplicates that disagree) is an
:class:`InputError` naming the row, the column and what to do.  Latency is returned in seconds.
"""

from __future__ import annotations

import csv
import io
import math
import re

from workbench.capacity.models import FitWarning, LoadTestData, USLWarningCode
from workbench.capacity.validate import show
from workbench.errors import InputError

MAX_BYTES = 50_000_000  # a JTL of ~500,000 samples; bigger files should be summarised first
_CONFLICT_SPREAD = 0.5  # replicates at one level may differ; more than ±50 % means two different tests

# Header words, matched as tokens of the header ("p95_latency_ms" → p95, latency, ms; "Throughput (req/s)" →
# throughput, req, s; "vus_max" → vus, max).  Chinese headers are matched as whole words.
_CONCURRENCY = {
    "concurrency", "users", "user", "threads", "thread", "vus", "vu", "clients", "client", "connections", "conns",
    "workers", "load", "n", "processors", "allthreads", "grpthreads", "usercount", "并发", "并发数", "并发用户",
    "并发用户数", "用户数", "线程数",
}
_RATE_STRONG = {"throughput", "rps", "qps", "tps", "rpm", "x", "吞吐", "吞吐量", "吞吐率", "每秒请求数"}
_RATE_WEAK = {"req", "reqs", "requests", "request", "hits", "transactions", "ops"}  # count or rate: needs a time unit
_LATENCY = {
    "latency", "response", "responsetime", "rt", "duration", "elapsed", "avg", "average", "mean", "median",
    "响应时间", "平均响应时间", "延迟", "时延", "平均时延",
}
_MEAN = {"avg", "average", "mean", "平均响应时间", "平均时延"}
_PER_MINUTE = {"rpm", "min", "minute", "m"}
_PER_TIME = {"s", "sec", "second", "seconds", "min", "minute", "m", "persec", "ps", "rpm"}
_TOKEN = re.compile(r"p?\d+(?:\.\d+)?%?|[a-zµμ]+|[\u4e00-\u9fff]+")
_QUANTILE = re.compile(r"^p?(\d+(?:\.\d+)?)%?$")
MAX_CONCURRENCY = 10_000_000
MAX_THROUGHPUT = 1e9  # requests per second
MIN_THROUGHPUT = 1e-6  # requests per second (one in 11 days): below it a "load test" is a unit mistake
MAX_LATENCY_S = 1e6
_SUMMARY = {"total", "summary", "sum", "all", "总计", "合计", "汇总"}
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(.*)$")
_RATE_UNITS = {"": 1.0, "/s": 1.0, "/sec": 1.0, "rps": 1.0, "req/s": 1.0, "reqs/s": 1.0, "tps": 1.0,
               "qps": 1.0, "r/s": 1.0, "requests/s": 1.0, "次/秒": 1.0, "/min": 1 / 60, "rpm": 1 / 60,
               "req/min": 1 / 60, "/m": 1 / 60}
_TIME_UNITS = {"ms": 1e-3, "s": 1.0, "sec": 1.0, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "毫秒": 1e-3, "秒": 1.0}
_COUNT_UNITS = {"", "users", "user", "threads", "vu", "vus", "clients", "个", "人"}


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise InputError("errors.capacity.loadtest_too_large", limit_mb=MAX_BYTES // 1_000_000)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("errors.capacity.loadtest_encoding")


def _tokens(header: str) -> list[str]:
    h = re.sub(r"p\((\d+(?:\.\d+)?)\)", r"p\1", header.strip())  # k6's p(95)
    h = re.sub(r"([a-z])([A-Z])", r"\1 \2", h).lower().replace("/sec", " persec").replace("/s", " persec")
    return _TOKEN.findall(h)


def _unit_seconds(tokens: list[str]) -> float | None:
    for tok in reversed(tokens):
        if tok in _TIME_UNITS:
            return _TIME_UNITS[tok]
        if tok in {"seconds", "second"}:
            return 1.0
    return None


class _Column:
    """What one header means: its role, the unit it states and, for latency, which statistic."""

    def __init__(self, index: int, role: str, scale: float, quantile: float | None = None, mean: bool = False):
        self.index, self.role, self.scale, self.quantile, self.mean = index, role, scale, quantile, mean


def _classify(index: int, header: str) -> _Column | None:
    toks = _tokens(header)
    words = set(toks)
    quantile = None
    for tok in toks:
        m = _QUANTILE.match(tok)
        if m and (tok.startswith("p") or tok.endswith("%")) and 0 < float(m.group(1)) < 100:
            quantile = float(m.group(1)) / 100
    if quantile is not None or words & _LATENCY:
        if words & (_RATE_STRONG | _CONCURRENCY) and not words & _LATENCY:
            pass  # "p95 rps"? not a latency: fall through
        else:
            unit = _unit_seconds(toks)
            mean = bool(words & _MEAN) or (quantile is None and "median" not in words)
            q = 0.5 if "median" in words else quantile
            return _Column(index, "latency", unit if unit is not None else 1e-3, q, mean and q is None)
    if words & _RATE_STRONG or (words & _RATE_WEAK and words & _PER_TIME):
        per_minute = bool(words & _PER_MINUTE) and "persec" not in words
        return _Column(index, "throughput", 1 / 60 if per_minute else 1.0)
    if words & _CONCURRENCY and not words & {"count", "total"} - {"usercount"}:
        return _Column(index, "concurrency", 1.0)
    if toks and toks[0] in _CONCURRENCY:
        return _Column(index, "concurrency", 1.0)
    return None


def _split_rows(text: str) -> list[list[str]]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputError("errors.capacity.loadtest_empty")
    sample = "\n".join(lines[:20])
    try:
        delim = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delim = ","
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
    if delim == ";":  # European exports: decimal commas
        rows = [[re.sub(r"^([+-]?\d+),(\d+)(?!\d)", r"\1.\2", c) for c in r] for r in rows]
    return rows


def _find_columns(header: list[str]) -> dict[str, _Column]:
    """Concurrency, throughput and the best latency column (mean, else median, else lowest percentile)."""
    found: dict[str, _Column] = {}
    latencies: list[_Column] = []
    for idx, raw in enumerate(header):
        col = _classify(idx, raw)
        if col is None:
            continue
        if col.role == "latency":
            latencies.append(col)
        elif col.role not in found:
            found[col.role] = col
    if latencies:
        latencies.sort(key=lambda c: (not c.mean, c.quantile if c.quantile is not None else 0.0))
        found["latency"] = latencies[0]
        for c in latencies:
            if c.quantile is not None:
                found.setdefault(f"q{c.quantile:g}", c)
    return found


def _parse_cell(cell: str, row: int, column: str, units: dict[str, float] | set[str]) -> tuple[float, bool]:
    """A number and whether a unit was stripped; InputError naming row/column otherwise."""
    m = _NUMBER.match(cell.replace("\u00a0", " ").strip())
    if not m:
        raise InputError("errors.capacity.loadtest_not_number", row=row, column=column, value=cell[:40])
    value = float(m.group(1).replace(",", ""))
    unit = m.group(2).strip().lower()
    if isinstance(units, dict):
        if unit not in units:
            raise InputError("errors.capacity.loadtest_unknown_unit", row=row, column=column, value=cell[:40])
        return value * units[unit], unit != ""
    if unit not in units:
        raise InputError("errors.capacity.loadtest_unknown_unit", row=row, column=column, value=cell[:40])
    return value, unit != ""


def _is_summary(row: list[str]) -> bool:
    return any(c.strip().lower() in _SUMMARY for c in row)


def _plausible(row: int, column: str, value: float, limit: float, unit: str) -> None:
    """Refuse values no load test produces (1e22 users, 1e308 req/s), and negatives, naming which."""
    shown = show(value)
    if value < 0:
        raise InputError(f"errors.capacity.loadtest_negative_{column}", row=row, value=shown)
    if value > limit:
        raise InputError("errors.capacity.loadtest_implausible", row=row, column=column, value=shown, unit=unit,
                         limit=show(limit))


def read_loadtest_csv(data: bytes | str) -> LoadTestData:
    """Parse a load-test table into validated points (see module docstring for what is accepted)."""
    rows = _split_rows(_decode(data))
    cols = _find_columns(rows[0])
    body = rows[1:]
    first_line = 2
    if "concurrency" not in cols or "throughput" not in cols:
        if _NUMBER.match(rows[0][0]) and len(rows[0]) >= 2:  # no header: N, X[, latency ms]
            cols = {"concurrency": _Column(0, "concurrency", 1.0), "throughput": _Column(1, "throughput", 1.0)}
            if len(rows[0]) >= 3:
                cols["latency"] = _Column(2, "latency", 1e-3, None, True)
            body, first_line = rows, 1
        else:
            raise InputError("errors.capacity.loadtest_columns", columns=", ".join(rows[0])[:120])
    lat = cols.get("latency")
    quantile_cols = {c.quantile: c for k, c in cols.items() if k.startswith("q") and c.quantile is not None}
    notes: list[FitWarning] = []
    n_out: list[float] = []
    x_out: list[float] = []
    l_out: list[float] = []
    q_out: dict[float, list[float]] = {q: [] for q in quantile_cols}
    stripped = dropped = 0
    need = max(c.index for c in cols.values())
    for i, row in enumerate(body, start=first_line):
        if _is_summary(row):
            dropped += 1
            continue
        if len(row) <= need:
            raise InputError("errors.capacity.loadtest_short_row", row=i)
        n, s1 = _parse_cell(row[cols["concurrency"].index], i, "concurrency", _COUNT_UNITS)
        x, s2 = _parse_cell(row[cols["throughput"].index], i, "throughput", _RATE_UNITS)
        x *= cols["throughput"].scale if not s2 else 1.0
        stripped += s1 or s2
        if not (math.isfinite(n) and math.isfinite(x)):
            raise InputError("errors.capacity.loadtest_not_number", row=i, column="throughput", value="NaN/inf")
        _plausible(i, "concurrency", n, MAX_CONCURRENCY, "")
        _plausible(i, "throughput", x, MAX_THROUGHPUT, " req/s")
        if n == 0:
            raise InputError("errors.capacity.loadtest_zero_concurrency", row=i, value=n)
        if x == 0:
            raise InputError("errors.capacity.loadtest_zero_throughput", row=i, value=x)
        if x < MIN_THROUGHPUT:
            raise InputError("errors.capacity.loadtest_tiny_throughput", row=i, value=show(x),
                             limit=show(MIN_THROUGHPUT))
        n_out.append(n)
        x_out.append(x)
        for col, out in ([(lat, l_out)] if lat is not None else []) + [(c, q_out[q]) for q, c in quantile_cols.items()]:
            cell = row[col.index]
            if not cell:
                continue
            v, s3 = _parse_cell(cell, i, "latency", {"": col.scale} | _TIME_UNITS)
            stripped += s3
            _plausible(i, "latency", v, MAX_LATENCY_S, " s")
            out.append(v)
    if dropped:
        notes.append(FitWarning(code=USLWarningCode.SUMMARY_ROW, params={"count": dropped}))
    if stripped:
        notes.append(FitWarning(code=USLWarningCode.UNITS_STRIPPED, params={"count": stripped}))
    notes.extend(_check_duplicates(n_out, x_out))
    if len(n_out) < 4:
        raise InputError("errors.capacity.usl_too_few_points", count=len(n_out), minimum=4)
    latency = l_out if lat is not None and lat.quantile is None and len(l_out) == len(n_out) else None
    quantiles = {q: v for q, v in q_out.items() if len(v) == len(n_out)}
    if lat is not None and lat.quantile is not None and len(l_out) == len(n_out):
        quantiles.setdefault(lat.quantile, l_out)
    return LoadTestData(concurrency=n_out, throughput=x_out, latency=latency, latency_quantiles=quantiles, notes=notes)


def _check_duplicates(n: list[float], x: list[float]) -> list[FitWarning]:
    groups: dict[float, list[float]] = {}
    for ni, xi in zip(n, x, strict=True):
        groups.setdefault(ni, []).append(xi)
    repeated = 0
    for level, xs in groups.items():
        if len(xs) < 2:
            continue
        repeated += 1
        mean = sum(xs) / len(xs)
        if (max(xs) - min(xs)) / mean > _CONFLICT_SPREAD:
            raise InputError(
                "errors.capacity.loadtest_conflicting_duplicates",
                level=level,
                values=", ".join(f"{v:g}" for v in xs[:5]),
            )
    return [FitWarning(code=USLWarningCode.DUPLICATES, params={"levels": repeated})] if repeated else []


def read_loadtest(data: bytes | str, filename: str = "") -> LoadTestData:
    """Any supported load-test file, recognised by its content, not its name: JMeter aggregate report or
    JTL, Locust stats history, k6 summary JSON, wrk/wrk2 text (:mod:`loadtest_formats`), else a table."""
    from workbench.capacity.loadtest_formats import read_native

    text = _decode(data)
    stripped = text.lstrip()
    rows = None if stripped.startswith(("{", "[")) else _split_rows(text)
    native = read_native(text, rows)
    if native is not None:
        return native
    return read_loadtest_csv(text).model_copy(update={"source": "csv"})
