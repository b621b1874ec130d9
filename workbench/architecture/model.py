# MODEL-READY
"""The declarative architecture model: regions and AZs, components, links, journeys, policy, waivers.

An :class:`Architecture` is the document an advisor writes (YAML or JSON, see ``loader.py``) and every
analysis reads.  Its shape follows the research note (``architecture-review-research.md`` §5):
explicit failure domains (region → AZ), HA / backup / autoscaling per component, links with
sync/async, timeout, retries and circuit breaker, a policy block (availability SLO, P99 latency
budget, RTO/RPO per disruption scope as in AWS Resilience Hub's resiliency policy) and waivers.

Design choices:
- All models are frozen value objects; a fix produces a new version with ``model_copy(update=...)``.
- Cross-references (link targets, journey paths, AZ ids, catalogue types) are *not* enforced here:
  a dangling link is a finding, not a crash.  ``loader.py`` checks them and reports every problem
  with its location; the analyses tolerate what remains (dangling links are left out of the graph).
- YAML uses ``from``/``to`` for links (aliases); Python uses ``source``/``target``.
- Units are in the field names or descriptions: seconds ``_s``, minutes ``_minutes``/``_min``,
  hours ``_h``, milliseconds ``_ms``, availability as a fraction (0.9995, not 99.95).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1
"""The only schema version this code reads; bump on breaking changes (Terraform ``format_version`` policy)."""


EXTENSION_PREFIX = "x-"
"""Keys starting with ``x-`` are extension fields (as in Docker Compose and OpenAPI): accepted and ignored.

They let advisors keep notes or YAML anchors (``x-defaults: &defaults {...}``) in the file; the anchors are
resolved by the parser before validation, so ignoring the blocks loses nothing the analyses need.
"""

MAX_DESCRIPTION = 5_000


def _error(kind: str, message: str, **params: Any) -> PydanticCustomError:
    """A validation error whose type names its catalogue key (``errors.architecture.<kind>``)."""
    return PydanticCustomError(f"arch_{kind}", message, params)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith(EXTENSION_PREFIX) for k in data):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
        return data


class HAMode(StrEnum):
    """How a component survives the loss of one of its instances."""

    NONE = "none"
    PRIMARY_STANDBY = "primary_standby"  # 主备, standby in the same AZ unless placed elsewhere
    MULTI_AZ = "multi_az"  # 多可用区部署, standby/replica in another AZ of the region
    CLUSTER = "cluster"  # n nodes, quorum or sharded
    ACTIVE_ACTIVE = "active_active"  # 多活, every replica serves traffic


class FailoverMode(StrEnum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"


class LinkMode(StrEnum):
    SYNC = "sync"
    ASYNC = "async"


class Replication(StrEnum):
    """Replication of a data store's state between its replicas (drives RPO, research note §4.4)."""

    SYNC = "sync"  # RPO 0 when the copy survives the disruption
    ASYNC = "async"  # RPO = replication lag
    NONE = "none"  # RPO = backup interval (or total loss without backup)


class Criticality(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Disruption(StrEnum):
    """Disruption scopes, as in AWS Resilience Hub and Tencent Cloud TSA: instance, AZ, region."""

    INSTANCE = "instance"
    AZ = "az"
    REGION = "region"


class AZ(_Frozen):
    """An availability zone (可用区), e.g. ``ap-guangzhou-3``."""

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=MAX_DESCRIPTION, description="free text, not analysed")


class Region(_Frozen):
    """A region (地域), e.g. ``ap-guangzhou``, and the AZs it contains."""

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=MAX_DESCRIPTION, description="free text, not analysed")
    azs: list[AZ] = Field(default_factory=list)


class Placement(_Frozen):
    """Where ``count`` replicas run: in one AZ, or region-level (a managed service spread over the region's AZs).

    A component with no placement at all is a global service (CDN, DNS): no AZ or region can take it down.
    """

    az: str | None = Field(default=None, max_length=200, description="AZ id, e.g. ap-guangzhou-3")
    region: str | None = Field(default=None, max_length=200, description="region id for region-level placement")
    count: int = Field(default=1, ge=1, le=1_000_000, description="replicas (instances) in this AZ/region")

    @model_validator(mode="after")
    def _one_domain(self) -> Placement:
        if (self.az is None) == (self.region is None):
            raise _error("placement_domain", "placement needs exactly one of 'az' or 'region'")
        return self


class Failover(_Frozen):
    """How and how fast a component recovers when an instance (or its AZ/region) is lost.

    ``time_s`` None means "the catalogue default for the type/product" (e.g. TencentDB for MySQL ≤ 30 s).
    ``cross_region_*`` describe the switch to another region (DNS/GSLB or DR promotion); when unset the
    component fails over across regions the same way it does within one (which is usually optimistic).
    """

    mode: FailoverMode = FailoverMode.AUTOMATIC
    time_s: float | None = Field(default=None, ge=0, description="failover time once detected, seconds")
    detection_s: float | None = Field(default=None, ge=0, description="time to detect (MTTD), seconds")
    cross_region_mode: FailoverMode | None = None
    cross_region_time_s: float | None = Field(default=None, ge=0, description="cross-region switch time, seconds")


class Autoscaling(_Frozen):
    min: int = Field(ge=0, description="minimum instances")
    max: int = Field(ge=1, description="maximum instances")

    @model_validator(mode="after")
    def _ordered(self) -> Autoscaling:
        if self.max < self.min:
            raise _error("autoscaling_order", "autoscaling max must be >= min")
        return self


class Backup(_Frozen):
    interval_h: float = Field(gt=0, description="hours between backups (RPO when only backups exist)")
    retention_days: float = Field(default=7, ge=0, description="days backups are kept")
    cross_region: bool = Field(default=False, description="a copy is kept in another region (跨地域备份)")
    encrypted: bool = False
    last_restore_test: dt.date | None = Field(default=None, description="date of the last successful restore drill")
    restore_minutes: float | None = Field(default=None, ge=0, description="measured restore time, minutes")


class Monitoring(_Frozen):
    metrics: bool = True
    alerting: bool = False
    tracing: bool = False
    logging: bool = True


class Component(_Frozen):
    """One component (tier) of the architecture: a load balancer, an app tier, a database...

    ``replicas`` is the total instance count; when ``placement`` is given and ``replicas`` is not, it
    is the sum of the placement counts (and they must agree when both are given).
    Catalogue defaults (SLA, stateful, failover time) apply where a field is None (``catalogue.py``).
    """

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=MAX_DESCRIPTION, description="free text, not analysed")
    type: str = Field(min_length=1, max_length=100, description="catalogue type or product key, e.g. relational_db")
    product: str | None = Field(default=None, max_length=100, description="catalogue product key, e.g. tencentdb_mysql")
    replicas: int = Field(default=1, ge=0, le=1_000_000, description="total instances")
    placement: list[Placement] = Field(default_factory=list)
    ha_mode: HAMode = HAMode.NONE
    failover: Failover = Field(default_factory=Failover)
    autoscaling: Autoscaling | None = None
    backup: Backup | None = None
    monitoring: Monitoring = Field(default_factory=Monitoring)
    encryption_in_transit: bool = False
    encryption_at_rest: bool = False
    public: bool = Field(default=False, description="reachable from the Internet")
    auth: bool = Field(default=False, description="callers are authenticated")
    waf: bool = Field(default=False, description="behind a web application firewall")
    capacity_per_instance_rps: float | None = Field(default=None, gt=0, description="requests/s one instance sustains")
    min_replicas_for_capacity: int | None = Field(
        default=None, ge=1, description="k in k-of-n: instances needed to carry the peak (else 1)"
    )
    cost_per_instance_month: float | None = Field(default=None, ge=0, description="CNY per instance per month")
    sla: float | None = Field(default=None, gt=0, le=1, description="availability per instance, fraction (override)")
    latency_ms: float | None = Field(default=None, ge=0, description="processing time inside the component, ms")
    owner: str | None = Field(default=None, max_length=200)
    criticality: Criticality = Criticality.MEDIUM
    stateful: bool | None = Field(default=None, description="holds data; None = catalogue default")
    replication: Replication | None = Field(default=None, description="replication between replicas (data stores)")
    replication_lag_s: float | None = Field(default=None, ge=0, description="async replication lag, seconds")
    cross_region_replication: Replication | None = Field(
        default=None, description="replication to replicas in other regions (DR copy); None = same as replication"
    )
    tags: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _replicas_from_placement(cls, data: Any) -> Any:
        if isinstance(data, dict) and "replicas" not in data and data.get("placement"):
            total = 0
            for p in data["placement"]:
                count = p.get("count", 1) if isinstance(p, dict) else getattr(p, "count", 1)
                total += count if isinstance(count, int) else 0
            data = {**data, "replicas": total}
        return data

    @model_validator(mode="after")
    def _replicas_match(self) -> Component:
        if self.placement and sum(p.count for p in self.placement) != self.replicas:
            total = sum(p.count for p in self.placement)
            raise _error(
                "replicas_mismatch",
                "replicas ({replicas}) differs from the placement total ({total})",
                replicas=self.replicas,
                total=total,
            )
        return self

    @property
    def azs(self) -> list[str]:
        """AZ ids this component has replicas in (in placement order, unique)."""
        return list(dict.fromkeys(p.az for p in self.placement if p.az is not None))


class Link(_Frozen):
    """A dependency: ``source`` calls (sync) or sends to (async) ``target``."""

    source: str = Field(alias="from", min_length=1, max_length=200)
    target: str = Field(alias="to", min_length=1, max_length=200)
    mode: LinkMode = LinkMode.SYNC
    protocol: str = Field(default="", max_length=100)
    timeout_ms: float | None = Field(default=None, gt=0, description="caller's timeout for one attempt, ms")
    retries: int = Field(default=0, ge=0, le=100, description="retries after the first attempt")
    backoff: bool = Field(default=False, description="retries back off exponentially (with jitter)")
    circuit_breaker: bool = False
    fallback: bool = Field(default=False, description="caller degrades gracefully when the target fails")
    latency_ms: float | None = Field(default=None, ge=0, description="P99 network + call latency of one attempt, ms")
    description: str = Field(default="", max_length=MAX_DESCRIPTION, description="free text, not analysed")


class Journey(_Frozen):
    """A user journey (critical path): the chain of components a request passes through, entry first."""

    id: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=500)
    path: list[str] = Field(min_length=1)
    critical: bool = True
    description: str = Field(default="", max_length=MAX_DESCRIPTION, description="free text, not analysed")


def _default_rto() -> dict[Disruption, float]:
    return {Disruption.INSTANCE: 5.0, Disruption.AZ: 15.0, Disruption.REGION: 30.0}


def _default_rpo() -> dict[Disruption, float]:
    return {Disruption.INSTANCE: 0.0, Disruption.AZ: 0.0, Disruption.REGION: 15.0}


class Policy(_Frozen):
    """Targets the review checks against (Resilience Hub-style resiliency policy per disruption)."""

    availability_target: float = Field(default=0.9995, gt=0, le=1, description="per journey, fraction")
    latency_budget_p99_ms: float = Field(default=100.0, gt=0, description="end-to-end P99 budget per journey, ms")
    rto_minutes: dict[Disruption, float] = Field(default_factory=_default_rto, description="recovery time objective")
    rpo_minutes: dict[Disruption, float] = Field(default_factory=_default_rpo, description="recovery point objective")

    @field_validator("rto_minutes", "rpo_minutes", mode="after")
    @classmethod
    def _fill(cls, value: dict[Disruption, float], info: Any) -> dict[Disruption, float]:
        defaults = _default_rto() if info.field_name == "rto_minutes" else _default_rpo()
        for k, v in value.items():
            if v < 0:
                raise _error("negative_objective", "{scope} must be >= 0 minutes", scope=str(k))
        return {**defaults, **value}


class Waiver(_Frozen):
    """An accepted risk: rule ``rule`` (for ``component``, or all when None) is waived for ``reason``.

    ``subject`` narrows it to one firing when the rule fires more than once on the component; a waiver written
    without one (all waivers before subjects existed) keeps covering every firing of the rule on the component.
    """

    rule: str = Field(min_length=1, max_length=100)
    component: str | None = Field(default=None, max_length=200)
    subject: str | None = Field(
        default=None, max_length=500,
        description="only the firing about this subject (Finding.subject, e.g. 'journey=checkout'); None: every one",
    )
    reason: str = Field(min_length=1, max_length=2000)
    until: dt.date | None = None
    description: str = Field(default="", max_length=MAX_DESCRIPTION, description="free text, not analysed")


_CACHED = ("components_by_id", "az_region")


class Architecture(_Frozen):
    """The whole architecture document (schema version 1)."""

    schema_version: int = SCHEMA_VERSION
    name: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=20_000)
    regions: list[Region] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    entry_points: list[str] = Field(default_factory=list, description="component ids that receive user traffic")
    journeys: list[Journey] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)
    waivers: list[Waiver] = Field(default_factory=list)

    @field_validator("schema_version")
    @classmethod
    def _supported(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise _error(
                "schema_version",
                "unsupported schema_version {version}; this version reads {supported}",
                version=value,
                supported=SCHEMA_VERSION,
            )
        return value

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Architecture:
        """A copy (for fixes and new versions) without the cached lookups of the original."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _CACHED:
            copy.__dict__.pop(name, None)
        return copy

    @cached_property
    def components_by_id(self) -> dict[str, Component]:
        """Components keyed by id (the first one wins if ids repeat; the loader rejects duplicates)."""
        out: dict[str, Component] = {}
        for c in self.components:
            out.setdefault(c.id, c)
        return out

    @cached_property
    def az_region(self) -> dict[str, str]:
        """AZ id → region id."""
        return {az.id: r.id for r in self.regions for az in r.azs}

    def component(self, component_id: str) -> Component | None:
        return self.components_by_id.get(component_id)

    def component_regions(self, component: Component) -> list[str]:
        """Regions a component has replicas in (via its AZs or region-level placement)."""
        out: dict[str, None] = {}
        for p in component.placement:
            region = p.region if p.region is not None else self.az_region.get(p.az or "")
            if region is not None:
                out[region] = None
        return list(out)
