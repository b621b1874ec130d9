"""Load histories kept in a workshop: a cleaned, regular series as a JSON document and back.

An uploaded file is read once (``workbench.io``); what the workshop keeps is the clean result, so the
forecast can be rerun next week without the customer's file.  Values are stored as a list on a
regular grid (start, step), NaN as null; large series are refused with a message instead of bloating
the workshop.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import InputError
from workbench.workshop.documents import DatasetDoc, dataset_id, dump

__all__ = ["MAX_POINTS", "dataset_id", "document_to_series", "series_to_document"]

MAX_POINTS = 300_000  # about 3 years of 5-minute data
DATASET_SCHEMA = 1


def series_to_document(series: pd.Series, source: str, notes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A regular series with a tz-aware DatetimeIndex as a JSON-ready document."""
    index = pd.DatetimeIndex(series.index)
    if len(index) < 2 or index.freq is None and len(index) > 2 and index.to_series().diff().nunique() > 1:
        raise InputError("errors.dataset.not_regular")
    if len(series) > MAX_POINTS:
        raise InputError("errors.dataset.too_many_points", points=len(series), limit=MAX_POINTS)
    step = (index[1] - index[0]).total_seconds()
    values = [None if not math.isfinite(v) else round(float(v), 6) for v in series.to_numpy(float)]
    digest = hashlib.sha256(np.asarray(series.to_numpy(float)).tobytes()).hexdigest()[:16]
    return dump(DatasetDoc.model_validate({
        "schema": DATASET_SCHEMA, "source": source, "name": str(series.name or "load"),
        "timezone": str(index.tz) if index.tz is not None else "UTC",
        "start": index[0].isoformat(), "step_seconds": step, "points": len(values), "digest": digest,
        "values": values, "notes": notes or [],
    }))


def document_to_series(doc: dict[str, Any] | DatasetDoc) -> pd.Series:
    """The series a :func:`series_to_document` document holds (checked, so a damaged import reads clearly)."""
    if isinstance(doc, DatasetDoc):
        doc = doc.model_dump(mode="json", by_alias=True)
    try:
        values = np.array([np.nan if v is None else float(v) for v in doc["values"]], dtype=float)
        start = pd.Timestamp(doc["start"])
        step = pd.Timedelta(seconds=float(doc["step_seconds"]))
        if step <= pd.Timedelta(0) or len(values) < 2:
            raise ValueError("step or length")
        index = pd.date_range(start=start, periods=len(values), freq=step)
        if doc.get("timezone") and index.tz is not None:
            index = index.tz_convert(doc["timezone"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError("errors.dataset.damaged", detail=str(exc)[:120]) from exc
    return pd.Series(values, index=index, name=str(doc.get("name") or "load"))
