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


def read_prometheus(data: bytes, max_rows: int) -> pd.DataFrame:
    """A ``/api/v1/query_range`` answer (``resultType: matrix``) as a wide frame.

    Columns: ``time`` (epoch seconds, float) and one column per series named by its label set.
    Values stay strings as Prometheus sends them ("NaN", "+Inf" included); cleaning happens later.
    """
    if data.count(b"],[") + data.count(b"], [") > max_rows * 1.05 + 10:  # cheap point count before parsing
        raise InputError("errors.io.too_many_rows", limit=max_rows)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("errors.io.bad_json", detail=str(exc)[:200]) from exc
    if isinstance(doc, dict) and doc.get("status") == "error":
        raise InputError("errors.io.prometheus_error", detail=str(doc.get("error", ""))[:200])
    body = doc.get("data", doc) if isinstance(doc, dict) else {"resultType": "matrix", "result": doc}
    if not isinstance(body, dict) or body.get("resultType") != "matrix" or not isinstance(body.get("result"), list):
        raise InputError("errors.io.prometheus_not_matrix")
    frames: list[pd.Series] = []
    total = 0
    for item in body["result"]:
        values = item.get("values") or []
        total += len(values)
        if total > max_rows:
            raise InputError("errors.io.too_many_rows", limit=max_rows)
        if not values:
            continue
        label = series_label(item.get("metric") or {})
        times = pd.Index([float(v[0]) for v in values], name=PROM_TIME)
        frames.append(pd.Series([str(v[1]) for v in values], index=times, name=label))
    if not frames:
        raise InputError("errors.io.no_rows")
    labels = [f.name for f in frames]
    if len(set(labels)) != len(labels):  # identical label sets (rare): make names unique
        for i, f in enumerate(frames):
            f.name = f"{f.name}#{i + 1}"
    wide = pd.concat(frames, axis=1).sort_index()
    return wide.reset_index()
