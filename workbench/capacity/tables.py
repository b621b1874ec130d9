"""Tables of stations (for MVA) and tiers (for sizing) from CSV text or from rows (a page's data editor).

Columns use milliseconds for times because that is how people write them; the core gets seconds.
Stations: ``name, demand_ms, servers, kind`` (kind: queue | delay; servers default 1).
Tiers: ``name, service_ms, service_cv, arrival_cv, workers, price_per_hour, visit_ratio`` (optional
``blocking_pct, queue_slots, asa_ms, shrinkage_pct, max_occupancy_pct``) or, for a USL tier,
``model=usl`` with ``usl_sigma, usl_kappa, usl_lambda``.  Open networks and user classes: see
:func:`read_open_network_csv` and :func:`read_classes_csv`.  Errors name the row and the field.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from workbench.capacity.jackson import OpenStation
from workbench.capacity.loadtest import _decode
from workbench.capacity.models import Station, StationKind, TierModel, TierSpec
from workbench.capacity.multiclass import ClassSpec
from workbench.capacity.validate import MAX_TIME_MS, show
from workbench.errors import InputError

STATION_COLUMNS = ("name", "demand_ms", "servers", "kind")
TIER_COLUMNS = (
    "name", "model", "service_ms", "service_cv", "arrival_cv", "workers", "price_per_hour", "visit_ratio",
    "usl_sigma", "usl_kappa", "usl_lambda", "blocking_pct", "queue_slots", "asa_ms", "shrinkage_pct",
    "max_occupancy_pct",
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


def _scaled(row: Mapping[str, Any], key: str, line: int, factor: float) -> float | None:
    v = _num(row, key, line)
    return None if v is None else v * factor


def _pct(row: Mapping[str, Any], key: str, line: int) -> float | None:
    return _scaled(row, key, line, 0.01)


def _int(row: Mapping[str, Any], key: str, line: int) -> int | None:
    v = _num(row, key, line)
    if v is not None and v != int(v):
        raise InputError("errors.capacity.table_not_number", row=line, field=key, value=str(v))
    return None if v is None else int(v)


# model field → (the column the user wrote, the factor from the model's unit back to the column's unit)
_COLUMN_OF = {
    "service_time": ("service_ms", 1e3), "demand": ("demand_ms", 1e3), "think_time": ("think_ms", 1e3),
    "asa_target": ("asa_ms", 1e3), "workers_per_instance": ("workers", 1.0), "max_blocking": ("blocking_pct", 100.0),
    "shrinkage": ("shrinkage_pct", 100.0), "max_occupancy": ("max_occupancy_pct", 100.0),
    "queue_per_instance": ("queue_slots", 1.0), "external_rate": ("external_rps", 1.0),
    "price_per_hour": ("price_per_hour", 1.0), "users": ("users", 1.0),
}
_BOUND_KEYS = {"greater_than": ("gt", "table_gt"), "greater_than_equal": ("ge", "table_ge"),
               "less_than": ("lt", "table_lt"), "less_than_equal": ("le", "table_le")}


def _build(cls: type[Any], line: int, **fields: Any) -> Any:
    """The model, or an error naming the row, the column as the user wrote it and the limit in its unit."""
    try:
        return cls(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ())) or "?"
        column, factor = _COLUMN_OF.get(field, (field, 1.0))
        bound = _BOUND_KEYS.get(str(err.get("type")))
        value = fields.get(field)
        if bound is not None and isinstance(value, (int, float)):
            limit = float(err.get("ctx", {}).get(bound[0], 0.0)) * factor
            key = bound[1]
            if key == "table_ge" and value <= 0.0 < limit <= 1e-3:  # a tiny plausibility floor: −20 is told "> 0"
                key, limit = "table_gt", 0.0
            raise InputError(f"errors.capacity.{key}", row=line, column=column, value=show(value * factor),
                             limit=show(limit)) from None
        if str(err.get("type", "")).startswith("string_too"):
            raise InputError("errors.capacity.table_name_length", row=line, column=column, limit=80) from None
        raise InputError("errors.capacity.table_value", row=line, column=column, value=show(value)) from None


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
        workers = _num(row, "workers", line, 1.0)
        if workers is None or workers != int(workers):
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
                max_blocking=_pct(row, "blocking_pct", line),
                queue_per_instance=_int(row, "queue_slots", line),
                asa_target=_scaled(row, "asa_ms", line, 1e-3),
                shrinkage=_pct(row, "shrinkage_pct", line) or 0.0,
                max_occupancy=_pct(row, "max_occupancy_pct", line),
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


def open_network_from_rows(rows: Sequence[Mapping[str, Any]]) -> tuple[list[OpenStation], list[list[float]]]:
    """Stations and routing from dict rows (``service_ms`` in ms, ``to_<station>`` probabilities); blank rows
    are skipped and every bad cell is named by row and column."""
    stations: list[OpenStation] = []
    kept: list[tuple[int, Mapping[str, Any]]] = []
    for line, row in enumerate(rows, start=2):
        name = str(row.get("name") or "").strip()
        if name.lower() == "nan":
            name = ""
        service = _num(row, "service_ms", line)
        if not name and service is None:
            continue
        if service is None:
            raise InputError("errors.capacity.table_missing", row=line, field="service_ms")
        servers = _num(row, "servers", line, 1.0)
        if servers is None or servers != int(servers):
            raise InputError("errors.capacity.table_not_number", row=line, field="servers", value=str(servers))
        stations.append(_build(OpenStation, line, name=name or f"#{line}", service_time=service / 1e3,
                               servers=int(servers), external_rate=_num(row, "external_rps", line, 0.0)))
        kept.append((line, {str(k).strip().lower(): v for k, v in row.items()}))
    if not stations:
        raise InputError("errors.capacity.table_empty")
    names = [s.name.strip().lower() for s in stations]
    routing = [[_num(row, f"to_{n}", line, 0.0) or 0.0 for n in names] for line, row in kept]
    return stations, routing


def read_open_network_csv(data: bytes | str) -> tuple[list[OpenStation], list[list[float]]]:
    """An open network: ``name, service_ms, servers, external_rps`` and one ``to_<station>`` column per
    station with the probability of going there next (blank = 0; the rest of each row leaves)."""
    rows = _rows(data)
    if "service_ms" not in rows[0] or "name" not in rows[0]:
        expected = "name, service_ms, servers, external_rps, to_<station>…"
        raise InputError("errors.capacity.table_columns", expected=expected)
    return open_network_from_rows(list(rows))


def _demand_ms(row: Mapping[str, Any], column: str, line: int) -> float:
    """One class's demand at one station (the column is the station's name), 0 … MAX_TIME_MS."""
    v = _num(row, column, line, 0.0) or 0.0
    if v < 0.0:
        raise InputError("errors.capacity.table_ge", row=line, column=column, value=show(v), limit="0")
    if v > MAX_TIME_MS:
        raise InputError("errors.capacity.table_le", row=line, column=column, value=show(v), limit=show(MAX_TIME_MS))
    return v


def classes_from_rows(rows: Sequence[Mapping[str, Any]], station_names: list[str]) -> list[ClassSpec]:
    """User classes from dict rows: ``class, users, think_ms`` and one demand column (ms) per station."""
    out: list[ClassSpec] = []
    for line, raw in enumerate(rows, start=2):
        row = {str(k).strip().lower(): v for k, v in raw.items()}
        name = str(row.get("class") or row.get("name") or "").strip()
        if name.lower() == "nan":
            name = ""
        users = _num(row, "users", line)
        if not name and users is None:
            continue
        if users is None or users != int(users):
            raise InputError("errors.capacity.table_not_number", row=line, field="users", value=show(users))
        demands = [_demand_ms(row, n.strip().lower(), line) / 1e3 for n in station_names]
        out.append(_build(ClassSpec, line, name=name or f"#{line}", users=int(users),
                          think_time=(_num(row, "think_ms", line, 0.0) or 0.0) / 1e3, demands=demands))
    if not out:
        raise InputError("errors.capacity.table_empty")
    return out


def read_classes_csv(data: bytes | str, station_names: list[str]) -> list[ClassSpec]:
    """User classes: ``class, users, think_ms`` and one column per station (its demand in ms)."""
    rows = _rows(data)
    missing = [n for n in station_names if n.strip().lower() not in rows[0]]
    if "users" not in rows[0] or missing:
        expected = "class, users, think_ms, " + ", ".join(station_names)
        raise InputError("errors.capacity.table_columns", expected=expected)
    return classes_from_rows(list(rows), station_names)
