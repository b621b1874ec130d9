"""The fleet's typed boundary: run options and one service's capacity."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench.errors import InputError
from workbench.forecast import ModelName

# The statsmodels models (Holt-Winters, MSTL) cost ~10x the others per series; a fleet run skips them
# by default so thousands of services fit in minutes.  ``candidates`` puts them back.
FLEET_CANDIDATES: tuple[ModelName, ...] = (ModelName.NAIVE_DAILY, ModelName.NAIVE_WEEKLY, ModelName.SEASONAL)
WATCH_HEADROOM_PCT = 20.0  # below this headroom at the P95 peak a service is on the watch list
MAX_WORKERS = 256  # local cluster workers
MAX_BATCH_SIZE = 5000  # services per Dask task


class FleetOptions(BaseModel):
    """How to run the radar: horizon and models (as a workshop forecast), ingest step, scheduling."""

    model_config = ConfigDict(frozen=True)

    horizon: dt.timedelta = Field(default=dt.timedelta(days=30), description="Forecast horizon.")
    candidates: tuple[ModelName, ...] = FLEET_CANDIDATES
    freq: str | None = Field(default=None, description="Resample every history to this step (e.g. '1h').")
    timezone: str = Field(default="Asia/Shanghai", description="Timezone of naive timestamps.")
    scheduler: str | None = Field(default=None, description="tcp://host:8786 of an existing Dask cluster.")
    workers: int | None = Field(default=None, ge=1, le=MAX_WORKERS, description="Local cluster workers (None = cores).")
    processes: bool = Field(default=True, description="Local cluster with worker processes (False = threads).")
    max_in_flight: int | None = Field(default=None, ge=1, description="Tasks in flight (None = 2 × workers).")
    batch_size: int = Field(default=400, ge=1, le=MAX_BATCH_SIZE,
                            description="Services per Dask task; same-grid services in a task are fitted in one solve.")
    sparkline_days: int = Field(default=28, ge=0, le=400, description="Days of history in the sparkline.")

    @model_validator(mode="after")
    def _check(self) -> FleetOptions:
        if not self.candidates:
            raise InputError("errors.fleet.no_candidates")
        return self


class ServiceCapacity(BaseModel):
    """Capacity of one service: instances × per-instance rps, or a throughput limit (rps)."""

    model_config = ConfigDict(frozen=True)

    service: str = Field(min_length=1, max_length=200)
    capacity_rps: float = Field(gt=0, description="Throughput the service can carry now, in the series' unit.")
    instances: int | None = Field(default=None, ge=0)
    per_instance_rps: float | None = Field(default=None, gt=0)
    workshop: str = Field(default="", max_length=200)
    tier: str = Field(default="", max_length=200)
