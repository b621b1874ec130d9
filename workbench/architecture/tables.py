"""Components and links as editable tables, and back: the page's table editors regenerate the document.

What and why
    Advisors edit a handful of fields far more often than they write YAML (rename, move a replica to
    another AZ, switch HA mode, mark a link async).  The page shows two tables; this module turns an
    :class:`Architecture` into them and merges edited tables back into the *document* (a plain mapping),
    which then goes through the same loader as typed YAML, so a table edit is validated, located and
    reported exactly like a text edit.  Fields not shown in a table are kept from the original component
    or link (matched by id, or by source→target for links).

Placement text
    ``ID:COUNT`` entries separated by commas, e.g. ``ap-guangzhou-3:2, ap-guangzhou-4:1``.  An ID that
    is a declared region id means a region-level placement; anything else is an AZ id.  An empty cell
    means no placement (a global service such as DNS or a CDN).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from workbench.architecture.model import Architecture, Component
from workbench.errors import InputError

COMPONENT_COLUMNS: tuple[str, ...] = (
    "id", "name", "type", "product", "placement", "ha_mode", "criticality", "public", "auth", "waf",
    "encryption_in_transit", "encryption_at_rest",
)
LINK_COLUMNS: tuple[str, ...] = (
    "from", "to", "mode", "protocol", "timeout_ms", "retries", "backoff", "circuit_breaker", "fallback",
    "latency_ms",
)
_ENTRY = re.compile(r"^\s*(?P<id>[^:,]+?)\s*:\s*(?P<count>\d{1,7})\s*$")


def format_placement(component: Component) -> str:
    """``ap-guangzhou-3:2, ap-guangzhou-4:1`` (regions as their id) for a component's placement."""
    return ", ".join(f"{p.az or p.region}:{p.count}" for p in component.placement)


def parse_placement(text: str, region_ids: set[str], *, row: str = "") -> list[dict[str, Any]]:
    """The placement list of a table cell; ``InputError('errors.architecture.table_placement')`` if malformed."""
    out: list[dict[str, Any]] = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        m = _ENTRY.match(part)
        if m is None or int(m["count"]) < 1:
            raise InputError("errors.architecture.table_placement", row=row, value=part.strip()[:80])
        domain = "region" if m["id"] in region_ids else "az"
        out.append({domain: m["id"], "count": int(m["count"])})
    return out


def components_frame(arch: Architecture) -> pd.DataFrame:
    """One row per component with the editable columns."""
    rows = []
    for c in arch.components:
        rows.append({
            "id": c.id, "name": c.name, "type": c.type, "product": c.product or "",
            "placement": format_placement(c), "ha_mode": c.ha_mode.value, "criticality": c.criticality.value,
            "public": c.public, "auth": c.auth, "waf": c.waf,
            "encryption_in_transit": c.encryption_in_transit, "encryption_at_rest": c.encryption_at_rest,
        })
    return pd.DataFrame(rows, columns=list(COMPONENT_COLUMNS))


def links_frame(arch: Architecture) -> pd.DataFrame:
    """One row per link with the editable columns."""
    rows = []
    for ln in arch.links:
        rows.append({
            "from": ln.source, "to": ln.target, "mode": ln.mode.value, "protocol": ln.protocol,
            "timeout_ms": ln.timeout_ms, "retries": ln.retries, "backoff": ln.backoff,
            "circuit_breaker": ln.circuit_breaker, "fallback": ln.fallback, "latency_ms": ln.latency_ms,
        })
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))


def _clean(value: Any) -> Any:
    """A table cell as a plain Python value: NaN/None/'' → None, numpy scalars → Python scalars."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _merge_component(base: dict[str, Any], row: dict[str, Any], region_ids: set[str], index: int) -> dict[str, Any]:
    out = dict(base)
    for col in COMPONENT_COLUMNS:
        value = _clean(row.get(col))
        if col == "placement":
            out["placement"] = parse_placement(value or "", region_ids, row=str(row.get("id") or index + 1))
            out.pop("replicas", None)  # recomputed from the placement by the model
            continue
        if value is None:
            if col in ("name", "product"):
                out.pop(col, None)
            continue
        out[col] = value
    if not out.get("placement"):
        out.pop("placement", None)
        out.setdefault("replicas", base.get("replicas", 1))
    return out


def apply_tables(arch: Architecture, components: pd.DataFrame, links: pd.DataFrame) -> dict[str, Any]:
    """The document of ``arch`` with components and links replaced by the (edited) tables.

    Rows are matched to the original by component id (links by from→to, in order); fields the tables do
    not show are kept.  The result is a plain mapping for the loader, which validates everything.
    """
    doc = arch.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    doc["schema_version"] = arch.schema_version
    region_ids = {r.id for r in arch.regions}
    originals = {c["id"]: c for c in doc.get("components", [])}
    new_components = []
    for i, row in enumerate(components.to_dict(orient="records")):
        if all(_clean(row.get(col)) in (None, False) for col in COMPONENT_COLUMNS):
            continue  # an empty row added by the editor
        cid = _clean(row.get("id"))
        new_components.append(_merge_component(originals.get(str(cid), {}), row, region_ids, i))
    doc["components"] = new_components
    pending: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ln in doc.get("links", []):
        pending.setdefault((ln["from"], ln["to"]), []).append(ln)
    new_links = []
    for row in links.to_dict(orient="records"):
        if all(_clean(row.get(col)) in (None, False, 0) for col in LINK_COLUMNS):
            continue
        key = (str(_clean(row.get("from"))), str(_clean(row.get("to"))))
        base = dict(pending[key].pop(0)) if pending.get(key) else {}
        for col in LINK_COLUMNS:
            value = _clean(row.get(col))
            if value is None:
                base.pop(col, None)
            else:
                base[col] = value
        new_links.append(base)
    doc["links"] = new_links
    return doc
