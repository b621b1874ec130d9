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
from workbench.errors import InputError

MAX_BYTES = 5_000_000
_CONFLICT_SPREAD = 0.5  # replicates at one level may differ; more than ±50 % means two different tests

_ALIASES: dict[str, tuple[str, ...]] = {
    "concurrency": (
        "concurrency", "users", "user", "threads", "thread", "vus", "vu", "clients", "n", "load",
        "processors", "workers", "并发", "并发数", "并发用户", "并发用户数", "用户数", "线程数",
    ),
    "throughput": (
        "throughput", "tps", "rps", "qps", "x", "reqs", "requestspersecond", "吞吐", "吞吐量", "吞吐率",
    ),
    "latency": (
        "latency", "latencyms", "responsetime", "rt", "avg", "average", "mean", "meanlatency", "avgrt",
        "响应时间", "平均响应时间", "延迟", "时延", "平均时延",
    ),
}
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


def _norm_header(h: str) -> str:
    h = re.sub(r"[\(\[（【].*?[\)\]）】]", "", h.strip().lower())
    return re.sub(r"[\s_\-#./%]", "", h)


def _header_unit(h: str) -> float | None:
    """Seconds per unit when a latency header names its unit: 'latency (s)', 'rt_ms', '响应时间(毫秒)'."""
    m = re.search(r"[\(\[（【]\s*([^\)\]）】]+?)\s*[\)\]）】]", h) or re.search(
        r"[_\s](ms|s|sec|us)$", h.strip().lower()
    )
    return _TIME_UNITS.get(m.group(1).strip().lower()) if m else None


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


def _find_columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for idx, raw in enumerate(header):
        key = _norm_header(raw)
        for role, names in _ALIASES.items():
            if role not in found and (key in names or (role == "latency" and key.startswith(names))):
                found[role] = idx
                break
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


def read_loadtest_csv(data: bytes | str) -> LoadTestData:
    """Parse a load-test CSV into validated points (see module docstring for what is accepted)."""
    rows = _split_rows(_decode(data))
    cols = _find_columns(rows[0])
    header = rows[0]
    body = rows[1:]
    if "concurrency" not in cols or "throughput" not in cols:
        if _NUMBER.match(rows[0][0]) and len(rows[0]) >= 2:  # no header: N, X[, latency]
            cols = {"concurrency": 0, "throughput": 1} | ({"latency": 2} if len(rows[0]) >= 3 else {})
            header, body = ["concurrency", "throughput", "latency"], rows
        else:
            raise InputError("errors.capacity.loadtest_columns", columns=", ".join(rows[0])[:120])
    latency_scale = _header_unit(header[cols["latency"]]) if "latency" in cols else None
    notes: list[FitWarning] = []
    n_out: list[float] = []
    x_out: list[float] = []
    l_out: list[float] = []
    stripped = dropped = 0
    for i, row in enumerate(body, start=2 if header is rows[0] else 1):
        if _is_summary(row):
            dropped += 1
            continue
        if len(row) <= max(cols.values()):
            raise InputError("errors.capacity.loadtest_short_row", row=i)
        n, s1 = _parse_cell(row[cols["concurrency"]], i, "concurrency", _COUNT_UNITS)
        x, s2 = _parse_cell(row[cols["throughput"]], i, "throughput", _RATE_UNITS)
        stripped += s1 or s2
        if not (math.isfinite(n) and math.isfinite(x)):
            raise InputError("errors.capacity.loadtest_not_number", row=i, column="throughput", value="nan")
        if n <= 0:
            raise InputError("errors.capacity.loadtest_zero_concurrency", row=i, value=n)
        if x <= 0:
            raise InputError("errors.capacity.loadtest_zero_throughput", row=i, value=x)
        n_out.append(n)
        x_out.append(x)
        if "latency" in cols and row[cols["latency"]]:
            cell = row[cols["latency"]]
            units = {"": latency_scale or 1e-3} | _TIME_UNITS  # bare numbers: milliseconds
            lat, s3 = _parse_cell(cell, i, "latency", units)
            stripped += s3
            l_out.append(lat)
    if dropped:
        notes.append(FitWarning(code=USLWarningCode.SUMMARY_ROW, params={"count": dropped}))
    if stripped:
        notes.append(FitWarning(code=USLWarningCode.UNITS_STRIPPED, params={"count": stripped}))
    notes.extend(_check_duplicates(n_out, x_out))
    if len(n_out) < 4:
        raise InputError("errors.capacity.usl_too_few_points", count=len(n_out), minimum=4)
    latency = l_out if len(l_out) == len(n_out) else None
    return LoadTestData(concurrency=n_out, throughput=x_out, latency=latency, notes=notes)


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
