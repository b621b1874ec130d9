"""The public, typed boundary of ``workbench.io``: ingest options, the ingest report and the result.

Everything a page or the CLI needs to explain an ingest ("what was assumed, what was done") lives in
:class:`IngestReport`; free text never does: each note is a :class:`MessageRef` (an i18n key plus
parameters) so the page translates it into the user's language.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field


class Aggregation(StrEnum):
    """How the samples falling into one resampling bin become one value."""

    mean = "mean"
    max = "max"
    sum = "sum"
    p95 = "p95"


class GapPolicy(StrEnum):
    """What to do with bins that have no sample after resampling ('leave' keeps NaN)."""

    leave = "leave"
    interpolate = "interpolate"
    zero = "zero"


class FileFormat(StrEnum):
    """The container the data came in (detected from the bytes, not trusted from the file name)."""

    csv = "csv"
    parquet = "parquet"
    excel = "excel"
    prometheus = "prometheus"
    cloudwatch = "cloudwatch"
    frame = "frame"


class TimeUnit(StrEnum):
    """How the time column was written.

    ``iso``: strings or datetimes carrying a UTC offset; ``local``: naive wall-clock times,
    localised in the chosen timezone; ``epoch_*``: numbers since 1970-01-01 UTC, unit
    detected by magnitude.
    """

    iso = "iso"
    local = "local"
    epoch_s = "epoch_s"
    epoch_ms = "epoch_ms"
    epoch_us = "epoch_us"
    epoch_ns = "epoch_ns"


class IngestOptions(BaseModel):
    """User overrides for an ingest; ``None`` means "detect it and say so in the report"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_column: str | None = Field(None, description="Name of the time column; None = detect.")
    value_columns: list[str] | None = Field(
        None, description="Value column(s); None = the first numeric column. Several are summed row by row."
    )
    timezone: str = Field(
        "Asia/Shanghai",
        description="IANA timezone of the result, and of naive (local) timestamps; DST-aware.",
    )
    freq: str | None = Field(
        None, description="Pandas fixed offset of the regular result ('5min', '1h'); None = median interval."
    )
    aggregation: Aggregation = Field(Aggregation.mean, description="Aggregation within a resampling bin.")
    gaps: GapPolicy = Field(GapPolicy.interpolate, description="What to do with empty bins.")
    remove_outliers: bool = Field(
        False, description="Replace flagged outliers by the gap policy. Default False: flag only."
    )
    prometheus_series: str | None = Field(
        None,
        description="Label-set string (Prometheus) or label (CloudWatch) of the one series to keep; "
        "None = sum all series.",
    )
    time_limit_s: float = Field(
        120.0, gt=0, description="Refuse the file when reading it takes longer than this, seconds (checked "
        "after every step; each step is bounded by the row and grid limits).",
    )
    max_bytes: int = Field(
        200 * 1024 * 1024, gt=0, description="Refuse files (and decompressed content) larger than this, bytes."
    )
    max_rows: int = Field(5_000_000, gt=0, description="Refuse inputs with more data rows than this, rows.")


class MessageRef(BaseModel):
    """A translatable note: an i18n key (``io.note.*``) and the parameters its text needs."""

    model_config = ConfigDict(frozen=True)

    key: str
    params: dict[str, Any] = Field(default_factory=dict)


class IngestReport(BaseModel):
    """Exactly what an ingest assumed and did, for the user to check (see docs/ingest.md)."""

    model_config = ConfigDict(frozen=True)

    format: FileFormat = Field(description="Detected container format.")
    compressed: bool = Field(False, description="True if the bytes were gzip and were decompressed.")
    encoding: str | None = Field(None, description="Detected text encoding (text formats only).")
    delimiter: str | None = Field(None, description="Detected CSV delimiter.")
    decimal: str | None = Field(None, description="Detected decimal mark ('.' or ',').")
    rows_read: int = Field(description="Data rows read from the input, rows.")
    rows_dropped: int = Field(description="Rows not used, rows (sum of dropped_reasons).")
    dropped_reasons: dict[str, int] = Field(
        default_factory=dict, description="Dropped rows per reason (time_unparseable, non_numeric, ...)."
    )
    duplicates: int = Field(0, description="Rows whose timestamp occurred before, rows.")
    gap_count: int = Field(0, description="Runs of empty bins after resampling.")
    gap_points: int = Field(0, description="Empty bins after resampling, bins.")
    gaps: list[tuple[dt.datetime, dt.datetime]] = Field(
        default_factory=list, description="First 20 gaps as (first empty bin, last empty bin)."
    )
    filled: int = Field(0, description="Bins filled by the gap policy (or replacing removed outliers), bins.")
    outlier_count: int = Field(0, description="Points flagged as outliers.")
    outliers: list[dt.datetime] = Field(default_factory=list, description="First 50 flagged timestamps.")
    outliers_removed: bool = Field(False, description="True if flagged points were replaced.")
    time_column: str = Field(description="Column used as time.")
    value_columns: list[str] = Field(description="Column(s) used as value (summed if several).")
    time_unit: TimeUnit = Field(description="How timestamps were written.")
    timezone: str = Field(description="Timezone of the result index (IANA name).")
    source_offsets: list[str] = Field(
        default_factory=list, description="Distinct UTC offsets seen in ISO timestamps ('+08:00', 'Z')."
    )
    freq: str = Field(description="Regular frequency of the result (pandas offset).")
    detected_interval: str | None = Field(None, description="Median interval of the raw timestamps.")
    aggregation: Aggregation
    gap_policy: GapPolicy
    start: dt.datetime = Field(description="First timestamp of the result (tz-aware).")
    end: dt.datetime = Field(description="Last timestamp of the result (tz-aware).")
    points: int = Field(description="Length of the regular result series, points.")
    unit_hints: list[str] = Field(
        default_factory=list, description="Unit suffixes seen in values ('%', 'K', 'Mil') and applied."
    )
    notes: list[MessageRef] = Field(default_factory=list, description="Translatable notes, in order.")


class IngestResult(BaseModel):
    """A clean, regular load series plus the report explaining how it was obtained."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    series: pd.Series = Field(
        description="float64 values on a regular tz-aware DatetimeIndex (in options.timezone); name = value column."
    )
    report: IngestReport
    columns: list[str] = Field(description="All candidate value columns, for an override select box.")
    outlier_mask: pd.Series = Field(description="bool, same index as series; True = flagged outlier.")
