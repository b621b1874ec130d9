"""Tables of stations (for MVA) and tiers (for sizing) from CSV text or from rows (a page's data editor).

Columns use milliseconds for times because that is how people write them; the core gets seconds.
Stations: ``name, demand_ms, servers, kind`` (kind: queue | delay; servers default 1).
Tiers: ``name, service_ms, service_cv, arrival_cv, workers, price_per_hour, visit_ratio`` or, for a
USL tier, ``model=usl`` with ``usl_sigma, usl_kappa, usl_lambda``.  Errors name the row and the field.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from workbench.capacity.loadtest import _decode
from workbench.capacity.models import Station, StationKind, TierModel, TierSpec
from workbench.errors import InputError

STATION_COLUMNS = ("name", "demand_ms", "servers", "kind")
TIER_COLUMNS = (
    "name", "model", "service_ms", "service_cv", "arrival_cv", "workers", "price_per_hour", "visit_ratio",
    "usl_sigma", "usl_kappa", "usl_lambda",
)


def _rows(data: bytes | str) -> list[dict[str, str]]:
    text = _decode(data).strip()
    if not text:
        raise InputError("errors.capacity.table_empty")
    try:
        delim = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t").delimiter
    except csv.Error:
        delim = ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delim)
    rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()} for r in reader]
    if not rows:
        raise InputError("errors.capacity.table_empty")
    return rows


def _num(row: Mapping[str, Any], key: str, line: int, default: float | None = None) -> float | None:
    raw = row.get(key)
    if raw is None or (isinstance(raw, str) and raw.strip() == "") or (isinstance(raw, float) and math.isnan(raw)):
        return default
    try:
        value = float(str(raw).replace(",", "").strip())
    except ValueError:
        raise InputError("errors.capacity.table_not_number", row=line, field=key, value=str(raw)[:40]) from None
    if not math.isfinite(value):
        raise InputError("errors.capacity.table_not_number", row=line, field=key, value=str(raw)[:40])
    return value


def _build(cls: type[Any], line: int, **fields: Any) -> Any:
    try:
        return cls(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ())) or "?"
        raise InputError("errors.capacity.table_invalid", row=line, field=field, detail=err.get("msg", "")) from None


def stations_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Station]:
    """Stations from dict rows (``demand_ms`` in milliseconds); blank rows are skipped."""
    out: list[Station] = []
    for line, row in enumerate(rows, start=2):
        name = str(row.get("name") or "").strip()
        if not name and _num(row, "demand_ms", line) is None:
            continue
        demand = _num(row, "demand_ms", line)
        if demand is None:
            raise InputError("errors.capacity.table_missing", row=line, field="demand_ms")
        servers = _num(row, "servers", line, 1.0)
        kind = str(row.get("kind") or "queue").strip().lower() or "queue"
        if kind not in {k.value for k in StationKind}:
            raise InputError("errors.capacity.table_kind", row=line, value=kind[:20])
        if servers is None or servers != int(servers):
            raise InputError("errors.capacity.table_not_number", row=line, field="servers", value=str(servers))
        out.append(_build(Station, line, name=name or f"#{line}", demand=demand / 1e3, servers=int(servers), kind=kind))
    if not out:
        raise InputError("errors.capacity.table_empty")
    return out


def tiers_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[TierSpec]:
    """Tiers from dict rows (``service_ms`` in milliseconds); blank rows are skipped."""
    out: list[TierSpec] = []
    for line, row in enumerate(rows, start=2):
        name = str(row.get("name") or "").strip()
        service = _num(row, "service_ms", line)
        model = str(row.get("model") or "").strip().lower() or (
            TierModel.USL.value if _num(row, "usl_lambda", line) else TierModel.SERVICE_TIME.value
        )
        if not name and service is None and model == TierModel.SERVICE_TIME.value:
            continue
        if model not in {m.value for m in TierModel}:
            raise InputError("errors.capacity.table_model", row=line, value=model[:20])
        if model == TierModel.SERVICE_TIME.value and service is None:
            raise InputError("errors.capacity.table_missing", row=line, field="service_ms")
        workers = _num(row, "workers", line, 1.0) or 1.0
        if workers != int(workers):
            raise InputError("errors.capacity.table_not_number", row=line, field="workers", value=str(workers))
        out.append(
            _build(
                TierSpec, line,
                name=name or f"#{line}",
                model=model,
                service_time=None if service is None else service / 1e3,
                service_cv=_num(row, "service_cv", line, 1.0),
                arrival_cv=_num(row, "arrival_cv", line, 1.0),
                workers_per_instance=int(workers),
                price_per_hour=_num(row, "price_per_hour", line),
                visit_ratio=_num(row, "visit_ratio", line, 1.0),
                usl_sigma=_num(row, "usl_sigma", line),
                usl_kappa=_num(row, "usl_kappa", line),
                usl_lambda=_num(row, "usl_lambda", line),
            )
        )
    if not out:
        raise InputError("errors.capacity.no_tiers")
    return out


def read_stations_csv(data: bytes | str) -> list[Station]:
    """Stations from a CSV file (see module docstring for the columns)."""
    rows = _rows(data)
    if "demand_ms" not in rows[0]:
        raise InputError("errors.capacity.table_columns", expected=", ".join(STATION_COLUMNS))
    return stations_from_rows(rows)


def read_tiers_csv(data: bytes | str) -> list[TierSpec]:
    """Tiers from a CSV file (see module docstring for the columns)."""
    rows = _rows(data)
    if "name" not in rows[0]:
        raise InputError("errors.capacity.table_columns", expected=", ".join(TIER_COLUMNS))
    return tiers_from_rows(rows)
