"""A deterministic generator of large, realistic architectures for benchmarks and scale tests.

What and why
    The review must stay fast on real estates of hundreds to thousands of components (issue 4: analyses
    and score for 1,000 components within 1 s, 10,000 within 10 s; the aggregated diagram of 10,000
    within 5 s).  Hand-written templates are tiny, so this module builds architectures of any size with
    the shape of a typical micro-service estate on Tencent Cloud:

    - a global edge: DNS (DNSPod) and a CDN, no placement (global services);
    - per region: a CLB and an API gateway, placed region-level;
    - *domains* of five components each (an API service, an async worker, a cache, a database and a
      message queue) assigned to regions round-robin, services spread over the region's AZs;
    - sync calls gateway → service → cache/database, service → other services of earlier domains only
      (so the sync graph stays acyclic, as in a layered design), async service → queue → worker;
    - one journey per domain up to ``max_journeys``: dns → cdn → clb → gateway → service → database.

    A fixed share of components carries typical flaws (single-AZ services, databases without cross-region
    backup, links without timeouts) so the rules have something to find.  Same ``seed``, same output:
    a :class:`random.Random` seeded explicitly (Ciw's reproducibility-by-seed convention, STYLE.md).

Assumptions
    Type keys are the generic catalogue types (``dns``, ``cdn``, ``load_balancer``, ``api_gateway``,
    ``compute``, ``container_service``, ``cache``, ``relational_db``, ``message_queue``).  Latencies are P99 per
    hop in milliseconds; capacities in requests per second per instance; costs in CNY per month.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from workbench.architecture.model import Architecture

_DOMAIN_ROLES: tuple[str, ...] = ("svc", "worker", "cache", "db", "mq")
_EDGE_COMPONENTS = 2  # dns + cdn
_PER_REGION_COMPONENTS = 2  # clb + gateway
_FLAW_SHARE = 0.15  # share of components/links that carry a typical flaw


@dataclass
class _Builder:
    """Mutable scratch state while generating; the result is validated into a frozen Architecture."""

    rng: random.Random
    regions: list[dict[str, Any]]
    components: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    journeys: list[dict[str, Any]] = field(default_factory=list)

    def flaw(self) -> bool:
        return self.rng.random() < _FLAW_SHARE

    def azs(self, region_index: int) -> list[str]:
        return [az["id"] for az in self.regions[region_index]["azs"]]

    def link(self, source: str, target: str, *, mode: str = "sync", protocol: str = "http") -> None:
        flawed = self.flaw()
        self.links.append(
            {
                "from": source,
                "to": target,
                "mode": mode,
                "protocol": protocol,
                "timeout_ms": None if flawed else float(self.rng.choice((200, 500, 1000, 2000))),
                "retries": self.rng.choice((0, 1, 2, 3)),
                "backoff": not flawed,
                "circuit_breaker": not flawed and self.rng.random() < 0.7,
                "latency_ms": round(self.rng.uniform(0.5, 8.0), 2),
            }
        )


def _regions(n_regions: int, azs_per_region: int) -> list[dict[str, Any]]:
    """Region/AZ ids in Tencent Cloud style: ap-guangzhou with ap-guangzhou-1…, then numbered regions."""
    base = ("ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu", "ap-nanjing", "ap-chongqing")
    out: list[dict[str, Any]] = []
    for r in range(n_regions):
        rid = base[r] if r < len(base) else f"ap-region{r + 1}"
        out.append({"id": rid, "name": rid, "azs": [{"id": f"{rid}-{a + 1}"} for a in range(azs_per_region)]})
    return out


def _spread(b: _Builder, region_index: int, replicas: int, *, single_az: bool) -> list[dict[str, Any]]:
    """Placement of ``replicas`` over the region's AZs (round-robin), or all in one AZ when flawed."""
    azs = b.azs(region_index)
    if single_az or len(azs) == 1:
        return [{"az": b.rng.choice(azs), "count": replicas}]
    counts: dict[str, int] = {}
    start = b.rng.randrange(len(azs))
    for i in range(replicas):
        az = azs[(start + i) % len(azs)]
        counts[az] = counts.get(az, 0) + 1
    return [{"az": az, "count": c} for az, c in counts.items()]


def _edge(b: _Builder) -> None:
    b.components.append({"id": "dns", "name": "DNSPod", "type": "dns", "public": True, "criticality": "critical"})
    b.components.append({"id": "cdn", "name": "CDN", "type": "cdn", "public": True, "waf": True, "auth": False})
    b.link("dns", "cdn", protocol="dns")
    for r, region in enumerate(b.regions):
        clb, gw = f"clb-{r}", f"gw-{r}"
        b.components.append(
            {"id": clb, "name": f"CLB {region['id']}", "type": "load_balancer", "product": "clb",
             "placement": [{"region": region["id"], "count": 2}], "ha_mode": "multi_az", "public": True,
             "waf": not b.flaw(), "encryption_in_transit": True}
        )
        b.components.append(
            {"id": gw, "name": f"API gateway {region['id']}", "type": "api_gateway",
             "placement": [{"region": region["id"], "count": 2}], "ha_mode": "multi_az", "auth": True,
             "encryption_in_transit": True}
        )
        b.link("cdn", clb, protocol="https")
        b.link(clb, gw, protocol="http")


def _domain(b: _Builder, d: int, roles: tuple[str, ...]) -> None:
    """One domain's components (the first ``len(roles)`` of svc, worker, cache, db, mq) and links."""
    r = d % len(b.regions)
    region = b.regions[r]["id"]
    ids = {role: f"d{d}-{role}" for role in roles}
    rng = b.rng
    for role in roles:
        cid = ids[role]
        flawed = b.flaw()
        comp: dict[str, Any] = {"id": cid, "name": f"domain {d} {role}", "owner": f"team-{d % 37}",
                                "criticality": rng.choice(("low", "medium", "high", "critical")),
                                "tags": {"domain": str(d), "tier": role}}
        if role in ("svc", "worker"):
            replicas = rng.randint(2, 12)
            comp.update(type="container_service" if role == "svc" else "compute", ha_mode="active_active",
                        placement=_spread(b, r, replicas, single_az=flawed),
                        capacity_per_instance_rps=float(rng.choice((200, 500, 800, 1500))),
                        cost_per_instance_month=float(rng.choice((300, 600, 1200))),
                        autoscaling=None if flawed else {"min": replicas, "max": replicas * 3},
                        monitoring={"metrics": True, "alerting": not flawed, "tracing": rng.random() < 0.5,
                                    "logging": True},
                        encryption_in_transit=not flawed)
        elif role == "cache":
            comp.update(type="cache", product="redis", ha_mode="primary_standby" if flawed else "multi_az",
                        placement=_spread(b, r, 2, single_az=flawed), replication="async", stateful=True)
        elif role == "db":
            comp.update(type="relational_db", product="tencentdb_mysql",
                        ha_mode="primary_standby" if flawed else "multi_az",
                        placement=_spread(b, r, 2, single_az=flawed), replication="sync" if not flawed else "async",
                        stateful=True, encryption_at_rest=not flawed,
                        backup={"interval_h": 24.0, "retention_days": 7, "cross_region": not flawed,
                                "encrypted": not flawed})
        else:  # mq
            comp.update(type="message_queue", product="ckafka", ha_mode="cluster",
                        placement=[{"region": region, "count": 3}], replication="sync", stateful=True)
        b.components.append(comp)
    if "svc" not in ids:
        return
    svc = ids["svc"]
    b.link(f"gw-{r}", svc)
    for role in ("cache", "db"):
        if role in ids:
            b.link(svc, ids[role], protocol="tcp")
    if "mq" in ids:
        b.link(svc, ids["mq"], mode="async", protocol="kafka")
        if "worker" in ids:
            b.link(ids["mq"], ids["worker"], mode="async", protocol="kafka")
    n_regions = len(b.regions)
    if d >= n_regions and rng.random() < 0.5:  # an earlier, complete domain of the same region: layered,
        other = d - n_regions * rng.randint(1, min(5, d // n_regions))  # so the sync graph has no cycle
        b.link(svc, f"d{other}-svc")


def generate_architecture(
    n_components: int,
    *,
    seed: int = 0,
    regions: int = 2,
    azs_per_region: int = 3,
    max_journeys: int = 50,
) -> Architecture:
    """A validated :class:`Architecture` with exactly ``n_components`` components (at least the edge).

    ``n_components`` counts every component: 2 global (DNS, CDN), 2 per region (CLB, gateway), then
    domains of 5 (the last domain may be partial).  Raises ``ValueError`` when ``n_components`` is below
    the fixed edge size ``2 + 2 * regions`` or the region/AZ counts are not positive.
    """
    if regions < 1 or azs_per_region < 1:
        raise ValueError("regions and azs_per_region must be >= 1")
    fixed = _EDGE_COMPONENTS + _PER_REGION_COMPONENTS * regions
    if n_components < fixed:
        raise ValueError(f"n_components must be >= {fixed} for {regions} region(s)")
    b = _Builder(rng=random.Random(seed), regions=_regions(regions, azs_per_region))
    _edge(b)
    remaining = n_components - fixed
    d = 0
    while remaining > 0:
        roles = _DOMAIN_ROLES[: min(len(_DOMAIN_ROLES), remaining)]
        _domain(b, d, roles)
        remaining -= len(roles)
        d += 1
    ids = {c["id"] for c in b.components}
    for j in range(min(d, max_journeys)):
        r = j % regions
        path = ["dns", "cdn", f"clb-{r}", f"gw-{r}", f"d{j}-svc"]
        if f"d{j}-db" in ids:
            path.append(f"d{j}-db")
        b.journeys.append({"id": f"j{j}", "name": f"journey {j}", "path": path, "critical": j % 3 == 0})
    return Architecture.model_validate(
        {
            "schema_version": 1,
            "name": f"synthetic-{n_components}-s{seed}",
            "regions": b.regions,
            "components": b.components,
            "links": b.links,
            "entry_points": ["dns"],
            "journeys": b.journeys,
        }
    )
