"""Fleet capacity radar: forecast every service's daily peak and rank the capacity risks, on Dask.

Entry point: :func:`run_fleet` (see :mod:`workbench.fleet.runner`).  Each service goes through the
same ingest (:mod:`workbench.io`) and forecast engine (:func:`workbench.forecast.fit_forecast`) as a
workshop; only the scheduling (Dask distributed) and the ranking are fleet-specific.
"""

from workbench.fleet.analyse import analyse_series
from workbench.fleet.inputs import ServiceSource, discover_services, load_service, read_capacity
from workbench.fleet.models import FleetOptions, ServiceCapacity
from workbench.fleet.output import write_results
from workbench.fleet.ranking import rank
from workbench.fleet.runner import FleetRun, run_fleet

__all__ = [
    "FleetOptions",
    "FleetRun",
    "ServiceCapacity",
    "ServiceSource",
    "analyse_series",
    "discover_services",
    "load_service",
    "rank",
    "read_capacity",
    "run_fleet",
    "write_results",
]
