"""The ingest pipeline: bytes or a frame in, a regular, cleaned load series plus an ingest report out.

Order of operations (each step records what it did in the report, see docs/ingest.md):
sniff (size, gzip, container, encoding, CSV dialect) → read → choose columns → parse time → parse
values → drop unusable rows (with a reason each) → sort, de-duplicate → detect interval → resample
with the chosen aggregation → report gaps, fill them by policy → flag outliers (remove only on request).
"""

from __future__ import annotations

import re
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import InputError
from workbench.io import containers, csv_reader, sniff
from workbench.io.columns import detect_time_column, require_columns, value_candidates
from workbench.io.models import FileFormat, GapPolicy, IngestOptions, IngestReport, IngestResult, MessageRef, TimeUnit
from workbench.io.outliers import flag_outliers
from workbench.io.regularise import (
    Regular,
    fill,
    interval_text,
    median_interval,
    parse_freq,
    regularise,
    snap_to_grid,
)
from workbench.io.timestamps import parse_time
from workbench.io.values import parse_values

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
_MAX_GAPS, _MAX_OUTLIERS = 20, 50
ABSURD_VALUE = 1e15  # no load series reaches 10¹⁵ per step; such a number is a unit or export error
_FORMULA = r"^\s*[=@]|^\s*[+\-]\s*[A-Za-z(]"  # spreadsheet formula or injection, e.g. =SUM(A1:A2), +cmd(
_MULTI_SERIES = frozenset({FileFormat.prometheus.value, FileFormat.cloudwatch.value})


@dataclass
class _Context:
    """What each stage learned about the input, carried into the report."""

    format: FileFormat = FileFormat.frame
    compressed: bool = False
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    time_column: str = ""
    value_columns: list[str] = field(default_factory=list)
    time_unit: TimeUnit = TimeUnit.iso
    offsets: list[str] = field(default_factory=list)
    unit_hints: set[str] = field(default_factory=set)
    duplicates: int = 0
    interval: pd.Timedelta | None = None
    dropped: Counter[str] = field(default_factory=Counter)
    notes: list[MessageRef] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    time_limit: float = 120.0
    text_has_inf: bool = True  # False when the raw text spells no 'inf': an infinite value is then an overflow

    def note(self, key: str, **params: Any) -> None:
        self.notes.append(MessageRef(key=key, params=params))

    def check_time(self, step: str) -> None:
        """Refuse the input when reading it has taken longer than the limit (checked after each step)."""
        if time.monotonic() - self.started > self.time_limit:
            raise InputError("errors.io.timeout", step=step, seconds=round(self.time_limit))


def _validate_options(opts: IngestOptions) -> None:
    try:
        zoneinfo.ZoneInfo(opts.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError("errors.io.bad_timezone", timezone=opts.timezone) from exc
    if opts.freq is not None:
        parse_freq(opts.freq)


def read_load_file(data: bytes, filename: str, options: IngestOptions | None = None) -> IngestResult:
    """Read CSV / Parquet / Excel / Prometheus ``query_range`` JSON bytes into a clean load series.

    The format is detected from the content (magic bytes), not the name; gzip is decompressed under
    the size limit. Raises :class:`InputError` (``errors.io.*``) for anything unusable.
    """
    opts = options or IngestOptions()
    _validate_options(opts)
    sniff.check_size(len(data), opts.max_bytes)
    if not data.strip():
        raise InputError("errors.io.empty_file")
    ctx = _Context(time_limit=opts.time_limit_s)
    if data[:2] == b"\x1f\x8b":
        data = sniff.gunzip_limited(data, opts.max_bytes)
        ctx.compressed = True
        ctx.note("io.note.gzip")
        if not data.strip():
            raise InputError("errors.io.empty_file")
    ctx.format = sniff.detect_format(data, filename)
    df = _read_container(data, opts, ctx)
    return _ingest(df, opts, ctx)


def _read_container(data: bytes, opts: IngestOptions, ctx: _Context) -> pd.DataFrame:
    if ctx.format is FileFormat.parquet:
        return containers.read_parquet(data, opts.max_rows, opts.max_bytes)
    if ctx.format is FileFormat.excel:
        return containers.read_excel(data, opts.max_rows, opts.max_bytes)
    if ctx.format is FileFormat.prometheus:
        frame, cloudwatch, repeated = containers.read_json(data, opts.max_rows)
        if cloudwatch:
            ctx.format = FileFormat.cloudwatch
        if repeated:
            ctx.note("io.note.repeated_in_series", count=repeated)
        return frame
    ctx.text_has_inf = re.search(rb"(?i)inf", data) is not None
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        ctx.note("io.note.bom")
    ctx.encoding = sniff.detect_encoding(data)
    sample = data[: 64 * 1024].decode(ctx.encoding, errors="ignore")
    dialect = csv_reader.sniff(sample)
    ctx.delimiter, ctx.decimal = dialect.delimiter, dialect.decimal
    if dialect.decimal == ",":
        ctx.note("io.note.decimal_comma")
    if not dialect.header:
        ctx.note("io.note.no_header")
    df, malformed = csv_reader.read_csv(data, ctx.encoding, dialect, opts.max_rows)
    if dialect.comment:
        ctx.note("io.note.comments_skipped")
    if malformed:
        ctx.dropped["malformed_line"] += malformed
    return df


def read_load_frame(df: pd.DataFrame | pd.Series, options: IngestOptions | None = None) -> IngestResult:
    """The same cleaning as :func:`read_load_file` on an in-memory frame (format 'frame').

    A DatetimeIndex (e.g. a Series of load indexed by time) becomes the time column.
    """
    opts = options or IngestOptions()
    _validate_options(opts)
    if isinstance(df, pd.Series):
        df = df.to_frame(name=str(df.name) if df.name is not None else "value")
    if isinstance(df.index, pd.DatetimeIndex):
        name = str(df.index.name) if df.index.name is not None else "time"
        df = df.rename_axis(name).reset_index()
    return _ingest(df, opts, _Context(time_limit=opts.time_limit_s))


def load_sample(name: str = "ecommerce_qps") -> IngestResult:
    """A bundled sample from ``sample_data/`` (``<name>_5min.csv``, ``.csv.gz``, ``<name>.csv`` or ``.json``)."""
    for candidate in (f"{name}_5min.csv", f"{name}_5min.csv.gz", f"{name}.csv", f"{name}.csv.gz", f"{name}.json"):
        path = SAMPLE_DIR / candidate
        if path.is_file() and path.resolve().parent == SAMPLE_DIR:
            return read_load_file(path.read_bytes(), path.name)
    raise InputError("errors.io.unknown_sample", name=name)


# --------------------------------------------------------------------------- the frame pipeline


def _choose_values(df: pd.DataFrame, time_col: str, opts: IngestOptions, ctx: _Context) -> tuple[list[str], list[str]]:
    """(candidate value columns, columns to use)."""
    candidates = value_candidates(df, time_col, ctx.decimal)
    if opts.value_columns:
        require_columns(df, opts.value_columns)
        return candidates, list(opts.value_columns)
    if not candidates:
        raise InputError("errors.io.no_value_column", columns=", ".join(map(str, df.columns)))
    if ctx.format.value in _MULTI_SERIES:
        if opts.prometheus_series is not None:
            matches = [c for c in candidates if c == opts.prometheus_series] or [
                c for c in candidates if opts.prometheus_series in c
            ]
            if len(matches) != 1:
                raise InputError(
                    "errors.io.prometheus_series_not_found",
                    series=opts.prometheus_series,
                    available=" | ".join(candidates),
                )
            ctx.note("io.note.prometheus_picked", series=matches[0], count=len(candidates))
            return candidates, matches
        stat = _cloudwatch_statistic(candidates) if ctx.format is FileFormat.cloudwatch else None
        if stat is not None:
            ctx.note("io.note.prometheus_picked", series=stat, count=len(candidates))
            return candidates, [stat]
        if len(candidates) > 1:
            ctx.note("io.note.prometheus_summed", count=len(candidates), series=" + ".join(candidates))
        return candidates, candidates
    if len(candidates) > 1:
        ctx.note("io.note.value_column_detected", column=candidates[0], candidates=", ".join(candidates))
    return candidates, [candidates[0]]


def _cloudwatch_statistic(candidates: list[str]) -> str | None:
    """For ``get-metric-statistics`` columns ('<label> Sum', '<label> Average', …) the one statistic to
    use: Sum (a count per period: load), else Average, else Maximum. Adding statistics up is meaningless."""
    for stat in ("Sum", "Average", "Maximum"):
        hits = [c for c in candidates if c.endswith(f" {stat}")]
        if hits and len(candidates) > 1 and all(c.rsplit(" ", 1)[-1] in
                                                 ("Sum", "Average", "Maximum", "Minimum", "SampleCount")
                                                 for c in candidates):
            return hits[0]
    return None


def _refuse_absurd(df: pd.DataFrame, col: str, values: pd.Series, text_has_inf: bool) -> None:
    """Refuse a value above :data:`ABSURD_VALUE` (or a number too large for a float, e.g. 1.8e308,
    which a reader turns into infinity), naming the data row; an explicit 'inf' is dropped with a note."""
    arr = values.to_numpy(float)
    if pd.api.types.is_numeric_dtype(df[col]):
        spelled = np.isinf(arr) & text_has_inf
    else:
        raw = df[col].astype("string").str.strip().str.lower()
        spelled = raw.str.fullmatch(r"[-+]?(inf|infinity|nan)").fillna(False).to_numpy(bool)
    with np.errstate(invalid="ignore"):
        bad = (np.abs(arr) > ABSURD_VALUE) & ~spelled
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise InputError("errors.io.absurd_value", row=pos + 1, column=col, value=str(df[col].iloc[pos])[:40],
                         limit=f"{ABSURD_VALUE:.0e}")


def _parse_rows(df: pd.DataFrame, opts: IngestOptions, ctx: _Context) -> tuple[pd.Series, pd.DatetimeIndex]:
    """Parse time and values, drop unusable rows (counting reasons).

    Returns (values by time, every readable timestamp). The readable timestamps include rows whose
    value was dropped: they still tell the sampling interval.
    """
    value_cols = ctx.value_columns
    parsed_time = parse_time(df[ctx.time_column], opts.timezone)
    ctx.time_unit, ctx.offsets = parsed_time.unit, parsed_time.offsets
    _time_notes(parsed_time.unit, parsed_time.offsets, parsed_time.dst_shifted, parsed_time.dst_ambiguous, opts, ctx)
    total = pd.Series(0.0, index=df.index)
    non_numeric = pd.Series(False, index=df.index)
    hints: set[str] = set()
    formula = pd.Series(False, index=df.index)
    for col in value_cols:
        pv = parse_values(df[col], ctx.decimal)
        _refuse_absurd(df, col, pv.values, ctx.text_has_inf)
        total = total + pv.values  # NaN in any listed column makes the row unusable
        non_numeric |= pv.non_numeric
        if pv.non_numeric.any():
            formula |= pv.non_numeric & df[col].astype("string").str.contains(_FORMULA, regex=True).fillna(False)
        hints |= pv.unit_hints
    if len(value_cols) > 1 and ctx.format.value not in _MULTI_SERIES:
        ctx.note("io.note.value_columns_summed", columns=", ".join(value_cols))
    times = parsed_time.times
    reasons = [
        ("time_unparseable", times.isna()),
        ("formula", formula),
        ("non_numeric", non_numeric),
        ("missing_value", total.isna() & ~non_numeric),
        ("non_finite", np.isinf(total)),
        ("negative", total < 0),
    ]
    keep = pd.Series(True, index=df.index)
    for reason, bad in reasons:
        hit = bad & keep
        if int(hit.sum()):
            ctx.dropped[reason] += int(hit.sum())
        keep &= ~bad
    values = pd.Series(total[keep].to_numpy(dtype="float64"), index=pd.DatetimeIndex(times[keep]))
    if hints:
        ctx.note("io.note.units_applied", units=", ".join(sorted(hints)))
    ctx.unit_hints = hints
    stamps = np.sort(pd.DatetimeIndex(times.dropna()).asi8)  # int64 ns since epoch (UTC)
    stamps = stamps[np.concatenate(([True], stamps[1:] != stamps[:-1]))]  # faster than np.unique here
    readable = pd.DatetimeIndex(stamps.view("M8[ns]")).tz_localize("UTC").tz_convert(opts.timezone)
    return values, readable


def _time_notes(
    unit: TimeUnit, offsets: list[str], shifted: int, ambiguous: int, opts: IngestOptions, ctx: _Context
) -> None:
    if unit is TimeUnit.local:
        ctx.note("io.note.local_time", timezone=opts.timezone)
    elif unit is TimeUnit.iso:
        if len(offsets) > 1:
            ctx.note("io.note.mixed_offsets", offsets=", ".join(offsets), timezone=opts.timezone)
        else:
            ctx.note("io.note.offsets_converted", offsets=", ".join(offsets) or "UTC", timezone=opts.timezone)
    else:
        ctx.note("io.note.epoch", unit=unit.value, timezone=opts.timezone)
    if ambiguous:
        ctx.note("io.note.dst_ambiguous", count=ambiguous)
    if shifted:
        ctx.note("io.note.dst_shifted", count=shifted)


def _sort_dedupe(values: pd.Series, opts: IngestOptions, ctx: _Context) -> pd.Series:
    """Sort by time; drop exact duplicate rows, keep conflicting ones for the aggregation."""
    if not values.index.is_monotonic_increasing:
        stamps = values.index.asi8
        if len(stamps) > 1 and bool(np.all(stamps[1:] <= stamps[:-1])):
            ctx.note("io.note.descending", count=len(stamps))
        else:
            ctx.note("io.note.sorted", count=int((stamps[1:] < stamps[:-1]).sum()))
        values = values.sort_index(kind="stable")
    dup_time = values.index.duplicated(keep="first")
    duplicates = ctx.duplicates = int(dup_time.sum())
    if duplicates:
        frame = pd.DataFrame({"t": values.index, "v": values.to_numpy()})
        exact = frame.duplicated(keep="first").to_numpy()
        if int(exact.sum()):
            ctx.dropped["duplicate"] += int(exact.sum())
            ctx.note("io.note.duplicates_dropped", count=int(exact.sum()))
        values = values[~exact]
        conflicting = duplicates - int(exact.sum())
        if conflicting:
            ctx.note("io.note.duplicates_aggregated", count=conflicting, aggregation=opts.aggregation.value)
    return values


def _ingest(df: pd.DataFrame, opts: IngestOptions, ctx: _Context) -> IngestResult:
    if df.shape[1] == 0:
        raise InputError("errors.io.empty_file")
    if len(df) == 0:
        raise InputError("errors.io.no_rows")
    if len(df) > opts.max_rows:
        raise InputError("errors.io.too_many_rows", limit=opts.max_rows)
    df = df.reset_index(drop=True)
    df.columns = [str(c) for c in df.columns]
    if opts.time_column:
        require_columns(df, [opts.time_column])
    ctx.time_column = opts.time_column or detect_time_column(df)
    candidates, ctx.value_columns = _choose_values(df, ctx.time_column, opts, ctx)
    ctx.check_time("columns")
    values, readable = _parse_rows(df, opts, ctx)
    ctx.check_time("parse")
    if values.empty:
        raise InputError("errors.io.no_valid_values", rows=len(df))
    values = _sort_dedupe(values, opts, ctx)
    if values.index.nunique() < 2:
        raise InputError("errors.io.too_short", points=int(values.index.nunique()))
    interval, irregular = median_interval(readable)
    ctx.interval = interval
    freq = parse_freq(opts.freq) if opts.freq else interval
    if irregular > 0.1:
        ctx.note("io.note.irregular", share=round(100 * irregular, 1), interval=interval_text(interval))
        values, moved = snap_to_grid(values, freq)
        if moved:
            ctx.note("io.note.snapped", moved=moved, points=len(values), interval=interval_text(freq))
    if freq < interval:
        ctx.note("io.note.upsampled", freq=interval_text(freq), interval=interval_text(interval))
    ctx.note("io.note.resampled", freq=interval_text(freq), aggregation=opts.aggregation.value)
    ctx.check_time("interval")
    reg = regularise(values, freq, opts.aggregation, opts.gaps, opts.max_rows)
    if freq >= interval:  # a user's finer interval is said by the 'upsampled' note instead
        _refuse_sparse(reg, values, freq)
    if reg.gap_count:
        ctx.note("io.note.gaps", count=reg.gap_count, points=int(reg.gap_mask.sum()), policy=opts.gaps.value)
    if freq >= pd.Timedelta(days=1):
        ctx.note("io.note.daily", aggregation=opts.aggregation.value)
    ctx.check_time("resample")
    series, refilled, mask = _outliers(reg.series, reg.gap_mask, opts, ctx)
    ctx.check_time("outliers")
    filled = reg.filled + refilled
    if int(series.notna().sum()) < 2:
        raise InputError("errors.io.too_short", points=int(series.notna().sum()))
    series.name = "+".join(ctx.value_columns)
    mask.name = "outlier"
    report = _report(ctx, opts, len(df), reg, filled, series, mask)
    return IngestResult(series=series, report=report, columns=candidates, outlier_mask=mask)


def _refuse_sparse(reg: Regular, values: pd.Series, freq: pd.Timedelta) -> None:
    """Refuse a grid that is mostly empty: filling it would invent most of the series (10 points over a
    week on a 5-minute grid would become 2,000 interpolated points and a falsely tight band)."""
    bins = len(reg.series)
    observed = bins - int(reg.gap_mask.sum())
    if bins >= 4 and observed < 0.5 * bins:
        span = values.index[-1] - values.index[0]
        suggestion = span / max(observed - 1, 1)
        raise InputError("errors.io.too_sparse", points=observed, bins=bins, freq=interval_text(freq),
                         suggestion=interval_text(max(suggestion.ceil("1h"), freq)))


def _outliers(
    series: pd.Series, gap_mask: pd.Series, opts: IngestOptions, ctx: _Context
) -> tuple[pd.Series, int, pd.Series]:
    """Flag on observed bins only; replace them only if the user asked. Returns (series, filled, mask)."""
    observed = series.where(~gap_mask)
    mask = flag_outliers(observed) & ~gap_mask
    count = int(mask.sum())
    if not count:
        return series, 0, mask
    if not opts.remove_outliers:
        ctx.note("io.note.outliers_flagged", count=count)
        return series, 0, mask
    refilled, _ = fill(series.where(~mask), mask | gap_mask, opts.gaps)
    ctx.note("io.note.outliers_removed", count=count, policy=opts.gaps.value)
    return refilled, 0 if opts.gaps is GapPolicy.leave else count, mask


def _report(
    ctx: _Context, opts: IngestOptions, rows: int, reg: Regular, filled: int, series: pd.Series, mask: pd.Series
) -> IngestReport:
    rows_read = rows + ctx.dropped.get("malformed_line", 0)
    if ctx.dropped:
        ctx.note("io.note.rows_dropped", count=sum(ctx.dropped.values()), rows=rows_read)
        for reason, count in sorted(ctx.dropped.items()):
            ctx.note("io.note.dropped_reason", count=count, reason=reason, policy=opts.gaps.value)
    return IngestReport(
        format=ctx.format,
        compressed=ctx.compressed,
        encoding=ctx.encoding,
        delimiter=ctx.delimiter,
        decimal=ctx.decimal if ctx.format is FileFormat.csv else None,
        rows_read=rows_read,
        rows_dropped=sum(ctx.dropped.values()),
        dropped_reasons=dict(ctx.dropped),
        duplicates=ctx.duplicates,
        gap_count=reg.gap_count,
        gap_points=int(reg.gap_mask.sum()),
        gaps=[(a.to_pydatetime(), b.to_pydatetime()) for a, b in reg.gaps[:_MAX_GAPS]],
        filled=filled,
        outlier_count=int(mask.sum()),
        outliers=[t.to_pydatetime() for t in series.index[mask.to_numpy()][:_MAX_OUTLIERS]],
        outliers_removed=bool(opts.remove_outliers and mask.any()),
        time_column=ctx.time_column,
        value_columns=ctx.value_columns,
        time_unit=ctx.time_unit,
        timezone=opts.timezone,
        source_offsets=ctx.offsets,
        freq=reg.freq,
        detected_interval=interval_text(ctx.interval) if ctx.interval is not None else None,
        aggregation=opts.aggregation,
        gap_policy=opts.gaps,
        start=series.index[0].to_pydatetime(),
        end=series.index[-1].to_pydatetime(),
        points=len(series),
        unit_hints=sorted(ctx.unit_hints),
        notes=ctx.notes,
    )
