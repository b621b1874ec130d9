"""Write the synthetic sample fleet.

``python sample_data/make_sample_fleet.py [OUT_DIR] [SERVICES] [DAYS] [csv|cloudwatch]``

One file per service (hourly, 28 days by default: a CSV, or a CloudWatch ``get-metric-data`` JSON export)
plus ``capacity.csv``; see :mod:`workbench.fleet.sample` for the shapes and which services are seeded
over capacity.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.fleet.sample import write_fleet  # noqa: E402

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("sample_fleet")
    services = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    days = int(sys.argv[3]) if len(sys.argv) > 3 else 28
    fmt = sys.argv[4] if len(sys.argv) > 4 else "csv"
    print(write_fleet(out, services=services, days=days, fmt=fmt))
