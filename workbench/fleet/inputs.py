"""Fleet input: which services there are, how to read one, and the capacity table.

Two layouts: a folder with one file per service (CSV, CSV.gz, Parquet, Excel or Prometheus JSON; the
service is the file name without extension), or one Parquet file with a ``service`` column.  Only the
*list* of services is built up front; each service's history is read by the task that analyses it, so
memory stays bounded by the number of services in flight, not the size of the fleet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, ValidationError

from workbench.errors import InputError, WorkbenchError
from workbench.fleet.models import FleetOptions, ServiceCapacity
from workbench.io import IngestOptions, IngestResult, read_load_file, read_load_frame

SUFFIXES = (".csv", ".csv.gz", ".parquet", ".xlsx", ".json", ".txt")
SERVICE_COLUMN = "service"
MAX_CAPACITY_BYTES = 20 * 1024 * 1024


class ServiceSource(BaseModel):
    """Where one service's history is: a file of its own, or its rows in a shared Parquet file."""

    model_config = ConfigDict(frozen=True)

    service: str
    path: str
    shared: bool = False  # True: rows with service == name inside ``path``


def service_name(path: Path) -> str:
    """The service a file holds: its name without the (known) extension."""
    name = path.name
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def discover_services(path: Path) -> list[ServiceSource]:
    """The services of a fleet folder or of a Parquet file with a ``service`` column, sorted by name."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(SUFFIXES)
                       and not p.name.startswith((".", "capacity")))
        if not files:
            raise InputError("errors.fleet.empty_folder", path=path.name)
        names = [service_name(p) for p in files]
        if len(set(names)) != len(names):
            raise InputError("errors.fleet.duplicate_service", path=path.name)
        return [ServiceSource(service=n, path=str(p)) for n, p in zip(names, files, strict=True)]
    if not path.is_file():
        raise InputError("errors.fleet.not_found", path=str(path.name))
    try:
        column = pq.read_table(path, columns=[SERVICE_COLUMN]).column(SERVICE_COLUMN)
    except (OSError, KeyError, ValueError) as exc:  # not Parquet, or no service column
        raise InputError("errors.fleet.bad_dataset", path=path.name) from exc
    names = sorted({str(v) for v in column.to_pylist() if v is not None})
    if not names:
        raise InputError("errors.fleet.empty_folder", path=path.name)
    return [ServiceSource(service=n, path=str(path), shared=True) for n in names]


def ingest_options(options: FleetOptions) -> IngestOptions:
    """The ingest options every service is read with (same defaults as a workshop upload)."""
    return IngestOptions(freq=options.freq, timezone=options.timezone)


def load_service(source: ServiceSource, options: FleetOptions) -> IngestResult:
    """Read and clean one service's history with :mod:`workbench.io` (the workshop's ingest)."""
    opts = ingest_options(options)
    path = Path(source.path)
    if not source.shared:
        return read_load_file(path.read_bytes(), path.name, opts)
    table = pq.read_table(path, filters=[(SERVICE_COLUMN, "==", source.service)])
    frame = table.to_pandas().drop(columns=[SERVICE_COLUMN])
    if frame.empty:
        raise InputError("errors.fleet.no_rows", service=source.service)
    return read_load_frame(frame, opts)


def load_services(sources: Sequence[ServiceSource], options: FleetOptions) -> dict[str, IngestResult | WorkbenchError]:
    """:func:`load_service` for a partition of services; the rows of services sharing one Parquet file
    are read in one filtered scan (not one scan per service).  A user error is returned per service."""
    out: dict[str, IngestResult | WorkbenchError] = {}
    shared: dict[str, list[str]] = {}
    for src in sources:
        if src.shared:
            shared.setdefault(src.path, []).append(src.service)
            continue
        try:
            out[src.service] = load_service(src, options)
        except WorkbenchError as exc:
            out[src.service] = exc
    opts = ingest_options(options)
    for path, names in shared.items():
        frame = pq.read_table(path, filters=[(SERVICE_COLUMN, "in", names)]).to_pandas()
        groups = dict(tuple(frame.groupby(frame[SERVICE_COLUMN].astype(str), sort=False)))
        for name in names:
            try:
                part = groups.get(name)
                if part is None or part.empty:
                    raise InputError("errors.fleet.no_rows", service=name)
                out[name] = read_load_frame(part.drop(columns=[SERVICE_COLUMN]).reset_index(drop=True), opts)
            except WorkbenchError as exc:
                out[name] = exc
    return {src.service: out[src.service] for src in sources}


def _column(frame: pd.DataFrame, name: str) -> pd.Series | None:
    return pd.to_numeric(frame[name], errors="coerce") if name in frame.columns else None


def read_capacity(data: bytes) -> dict[str, ServiceCapacity]:
    """The capacity CSV: ``service`` plus ``capacity_rps``, or ``instances`` and ``per_instance_rps``.

    Optional ``workshop`` and ``tier`` columns are kept for display.  A row with neither a positive
    capacity nor both instance columns is refused with its line number.
    """
    if len(data) > MAX_CAPACITY_BYTES:
        raise InputError("errors.fleet.capacity_too_large", limit_mb=MAX_CAPACITY_BYTES // (1024 * 1024))
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype={SERVICE_COLUMN: str})
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError("errors.fleet.capacity_unreadable") from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if SERVICE_COLUMN not in frame.columns:
        raise InputError("errors.fleet.capacity_columns", columns=", ".join(frame.columns))
    total = _column(frame, "capacity_rps")
    inst, per = _column(frame, "instances"), _column(frame, "per_instance_rps")
    if total is None and (inst is None or per is None):
        raise InputError("errors.fleet.capacity_columns", columns=", ".join(frame.columns))
    out: dict[str, ServiceCapacity] = {}
    for i, row in frame.iterrows():
        line = int(str(i)) + 2  # header is line 1
        name = str(row[SERVICE_COLUMN]).strip()
        n = None if inst is None or not np.isfinite(inst[i]) else int(inst[i])
        p = None if per is None or not np.isfinite(per[i]) else float(per[i])
        cap = float(total[i]) if total is not None and np.isfinite(total[i]) else (n * p if n and p else float("nan"))
        if not name or name == "nan" or not np.isfinite(cap) or cap <= 0:
            raise InputError("errors.fleet.capacity_row", line=line)
        try:
            out[name] = ServiceCapacity(
                service=name, capacity_rps=cap, instances=n, per_instance_rps=p,
                workshop=str(row.get("workshop", "") if pd.notna(row.get("workshop", "")) else ""),
                tier=str(row.get("tier", "") if pd.notna(row.get("tier", "")) else ""),
            )
        except ValidationError as exc:
            raise InputError("errors.fleet.capacity_row", line=line) from exc
    return out
