"""Read the non-CSV containers into a plain frame: Parquet, Excel (openpyxl) and Prometheus JSON.

Each reader enforces the row limit before materialising data where the format allows it
(Parquet metadata, XLSX uncompressed size), so a hostile file cannot exhaust memory.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from workbench.errors import InputError

PROM_TIME = "time"


def read_parquet(data: bytes, max_rows: int, max_bytes: int) -> pd.DataFrame:
    """A Parquet file as a frame; row count and uncompressed size are checked from the footer first."""
    try:
        pf = pq.ParquetFile(io.BytesIO(data))
        meta = pf.metadata
        if meta.num_rows > max_rows:
            raise InputError("errors.io.too_many_rows", limit=max_rows)
        if sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)) > max_bytes:
            raise InputError("errors.io.decompressed_too_large", limit_mb=round(max_bytes / 2**20, 1))
        return pf.read().to_pandas()
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for corrupt files
        raise InputError("errors.io.unparseable", detail=str(exc)[:200]) from exc


def read_excel(data: bytes, max_rows: int, max_bytes: int) -> pd.DataFrame:
    """The first sheet of an XLSX workbook; the zip's uncompressed size is checked first (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > max_bytes:
                raise InputError("errors.io.decompressed_too_large", limit_mb=round(max_bytes / 2**20, 1))
            if not any(n.startswith("xl/") for n in zf.namelist()):
                raise InputError("errors.io.zip_not_excel")
        df = pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl", nrows=max_rows + 1)
    except InputError:
        raise
    except Exception as exc:
        raise InputError("errors.io.unparseable", detail=str(exc)[:200]) from exc
    if len(df) > max_rows:
        raise InputError("errors.io.too_many_rows", limit=max_rows)
    df.columns = [str(c).strip() for c in df.columns]
    return df


def series_label(metric: dict[str, Any]) -> str:
    """Prometheus' own notation for a label set: ``name{a="1",b="2"}`` (labels sorted)."""
    name = str(metric.get("__name__", ""))
    labels = ",".join(f'{k}="{v}"' for k, v in sorted(metric.items()) if k != "__name__")
    return f"{name}{{{labels}}}" if labels or not name else name


def _load_json(data: bytes, max_rows: int) -> Any:
    if data.count(b"],[") + data.count(b"], [") + data.count(b",") > max_rows * 3 + 100:  # cheap size guard
        raise InputError("errors.io.too_many_rows", limit=max_rows)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError("errors.io.bad_json", detail=str(exc)[:200]) from exc


def is_cloudwatch(doc: Any) -> bool:
    """CloudWatch ``get-metric-data`` (MetricDataResults) or ``get-metric-statistics`` (Datapoints) JSON."""
    return isinstance(doc, dict) and ("MetricDataResults" in doc or "Datapoints" in doc)


def read_json(data: bytes, max_rows: int) -> tuple[pd.DataFrame, bool, int]:
    """(wide frame, is CloudWatch, repeated timestamps dropped) for Prometheus or CloudWatch JSON."""
    doc = _load_json(data, max_rows)
    if is_cloudwatch(doc):
        frame, repeated = read_cloudwatch(doc, max_rows)
        return frame, True, repeated
    frame, repeated = prometheus_frame(doc, max_rows)
    return frame, False, repeated


def _wide(frames: list[pd.Series]) -> tuple[pd.DataFrame, int]:
    """Series side by side on the union of their timestamps; a timestamp repeated within one series
    keeps its last value (Prometheus can repeat a sample at a step boundary) and is counted."""
    labels = [f.name for f in frames]
    if len(set(labels)) != len(labels):  # identical label sets (rare): make names unique
        for i, f in enumerate(frames):
            f.name = f"{f.name}#{i + 1}"
    repeated = 0
    unique = []
    for f in frames:
        dup = f.index.duplicated(keep="last")
        repeated += int(dup.sum())
        unique.append(f[~dup])
    wide = pd.concat(unique, axis=1, sort=False)  # file order kept: the sort is done (and said) later
    return wide.reset_index(), repeated


def read_cloudwatch(doc: dict[str, Any], max_rows: int) -> tuple[pd.DataFrame, int]:
    """CloudWatch JSON as a wide frame: ``time`` (ISO strings) and one column per metric label.

    ``get-metric-data`` lists Timestamps newest first (TimestampDescending is its default order);
    ``get-metric-statistics`` lists Datapoints in no order, with one column per statistic.
    """
    frames: list[pd.Series] = []
    total = 0
    if "MetricDataResults" in doc:
        for k, item in enumerate(doc.get("MetricDataResults") or []):
            stamps, values = item.get("Timestamps") or [], item.get("Values") or []
            total += len(stamps)
            if total > max_rows:
                raise InputError("errors.io.too_many_rows", limit=max_rows)
            if len(stamps) != len(values):
                raise InputError("errors.io.cloudwatch_lengths", label=str(item.get("Label", k)))
            if stamps:
                label = str(item.get("Label") or item.get("Id") or f"series_{k + 1}")
                frames.append(pd.Series([str(v) for v in values], index=pd.Index(stamps, name=PROM_TIME), name=label))
    else:
        points = doc.get("Datapoints") or []
        if len(points) > max_rows:
            raise InputError("errors.io.too_many_rows", limit=max_rows)
        stats = [k for k in ("Sum", "Average", "Maximum", "Minimum", "SampleCount") if any(k in p for p in points)]
        label = str(doc.get("Label") or "value")
        for stat in stats:
            stamps = [p.get("Timestamp") for p in points if stat in p]
            values = [str(p.get(stat)) for p in points if stat in p]
            frames.append(pd.Series(values, index=pd.Index(stamps, name=PROM_TIME), name=f"{label} {stat}"))
    if not frames:
        raise InputError("errors.io.no_rows")
    return _wide(frames)


def read_prometheus(data: bytes, max_rows: int) -> pd.DataFrame:
    """A ``/api/v1/query_range`` answer as a wide frame (see :func:`prometheus_frame`)."""
    return prometheus_frame(_load_json(data, max_rows), max_rows)[0]


def prometheus_frame(doc: Any, max_rows: int) -> tuple[pd.DataFrame, int]:
    """A ``/api/v1/query_range`` answer (``resultType: matrix``) as a wide frame.

    Columns: ``time`` (epoch seconds, float) and one column per series named by its label set.
    Values stay strings as Prometheus sends them ("NaN", "+Inf" included); cleaning happens later.
    Returns (frame, repeated timestamps dropped within a series).
    """
    if isinstance(doc, dict) and doc.get("status") == "error":
        raise InputError("errors.io.prometheus_error", detail=str(doc.get("error", ""))[:200])
    body = doc.get("data", doc) if isinstance(doc, dict) else {"resultType": "matrix", "result": doc}
    if not isinstance(body, dict) or body.get("resultType") != "matrix" or not isinstance(body.get("result"), list):
        raise InputError("errors.io.prometheus_not_matrix")
    frames: list[pd.Series] = []
    total = 0
    for item in body["result"]:
        if not isinstance(item, dict):
            raise InputError("errors.io.prometheus_not_matrix")
        values = item.get("values") or []
        total += len(values)
        if total > max_rows:
            raise InputError("errors.io.too_many_rows", limit=max_rows)
        if not values:
            continue
        label = series_label(item.get("metric") or {})
        try:
            times = pd.Index([float(v[0]) for v in values], name=PROM_TIME)
            frames.append(pd.Series([str(v[1]) for v in values], index=times, name=label))
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise InputError("errors.io.prometheus_not_matrix") from exc
    if not frames:
        raise InputError("errors.io.no_rows")
    return _wide(frames)
