"""Risk ranking of a radar table: the services to act on first come first.

Order: status (breach at the point forecast, then at P95 only, then watch, ok, no capacity, failed),
then the earliest day capacity is exceeded, then the smallest headroom at the P95 peak.  A breach
predicted sooner is more urgent than a larger but later one; headroom breaks the ties.
"""

from __future__ import annotations

import pandas as pd

STATUS_ORDER = ("breach", "at_risk", "watch", "ok", "no_capacity", "failed")


def rank(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` sorted by risk with a 1-based ``rank`` column first."""
    if table.empty:
        return table.assign(rank=pd.Series(dtype=int))
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    key = pd.DataFrame({
        "status": table["status"].map(order).fillna(len(order)),
        "days_point": table["days_to_exceed_point"].fillna(1e9),
        "days_p95": table["days_to_exceed_p95"].fillna(1e9),
        "headroom": table["headroom_pct"].fillna(1e9),
        "service": table["service"],
    }, index=table.index)
    ordered = table.loc[key.sort_values(["status", "days_point", "days_p95", "headroom", "service"]).index]
    ordered = ordered.reset_index(drop=True)
    ordered.insert(0, "rank", range(1, len(ordered) + 1))
    return ordered
