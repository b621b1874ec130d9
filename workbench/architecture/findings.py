# FINDINGS-READY
"""The value objects of an architecture review: pillars, severities, findings, fixes, capacity facts, scores.

What and why
    A *finding* is one rule firing on named components of a declarative architecture.  It carries message
    keys (never prose) so the same finding renders in Chinese or English, the parameters the message needs,
    the URL of the public best practice it rests on, and, where the remedy is mechanical, a :class:`FixSpec`
    that :mod:`workbench.architecture.fixes` can apply to produce a new architecture version.

Sources for the shape
    - Tencent Cloud Smart Advisor (TSA) ``Strategies``/``Conditions``: id, name, description, level,
      repair advice (``tencentcloud/advisor/v20200721/models.py``) — research note §1.2 [T4].
    - OWASP pytm threats: SID, target, condition, severity, mitigations, references [P2].
    - AWS Well-Architected lens ``riskRules`` and improvement plans [A1]; the WA ``Reason`` values for
      acknowledged risks inspired :class:`Waiver` handling [A3].

Assumptions
    Severities follow TSA's levels (3 = high, 2 = medium) with ``critical`` above and ``low``/``info`` below;
    numbers in ``params`` are plain floats/ints in the units named by the message (minutes, ms, percent).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workbench.i18n import t

ParamValue = str | int | float | bool | None


class Pillar(StrEnum):
    """The five pillars shared by AWS Well-Architected, Azure WAF and TSA modules (research note §1)."""

    reliability = "reliability"
    performance = "performance"
    security = "security"
    cost = "cost"
    operations = "operations"


class Severity(StrEnum):
    """How bad a finding is; ``critical`` > ``high`` > ``medium`` > ``low`` > ``info``."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"

    @property
    def rank(self) -> int:
        """4 for critical … 0 for info, for ordering and ``--fail-on`` thresholds."""
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is as bad as ``other`` or worse."""
        return self.rank >= other.rank


_SEVERITY_RANK: dict[Severity, int] = {
    Severity.critical: 4,
    Severity.high: 3,
    Severity.medium: 2,
    Severity.low: 1,
    Severity.info: 0,
}


class FixKind(StrEnum):
    """Mechanical remedies :mod:`workbench.architecture.fixes` knows how to apply."""

    add_replica_other_az = "add_replica_other_az"
    multi_az_ha = "multi_az_ha"
    automatic_failover = "automatic_failover"
    enable_backup = "enable_backup"
    cross_region_backup = "cross_region_backup"
    encrypt_backup = "encrypt_backup"
    shorten_backup_interval = "shorten_backup_interval"
    enable_autoscaling = "enable_autoscaling"
    add_timeout = "add_timeout"
    add_backoff = "add_backoff"
    add_circuit_breaker = "add_circuit_breaker"
    encrypt_in_transit = "encrypt_in_transit"
    encrypt_at_rest = "encrypt_at_rest"
    enable_waf = "enable_waf"
    enable_auth = "enable_auth"
    make_private = "make_private"
    enable_monitoring = "enable_monitoring"
    enable_alerting = "enable_alerting"
    enable_tracing = "enable_tracing"
    enable_logging = "enable_logging"


class FixSpec(BaseModel):
    """A mechanical fix: its kind, and the ids it acts on (``component_id`` or ``source``/``target`` of a link)."""

    model_config = ConfigDict(frozen=True)

    kind: FixKind
    params: dict[str, ParamValue] = Field(default_factory=dict, description="e.g. component_id, source, target")


class Finding(BaseModel):
    """One rule firing on one or more components, with translatable texts and an optional fix.

    ``title_key``/``rationale_key``/``recommendation_key`` are i18n keys (domain ``architecture_rules``);
    ``params`` fill their ``{placeholders}``; ``{components}`` is always available (the component ids).
    """

    model_config = ConfigDict(frozen=True)

    rule_id: str = Field(description="stable rule id, e.g. REL-001")
    pillar: Pillar
    severity: Severity
    component_ids: list[str] = Field(default_factory=list, description="components the finding names")
    title_key: str
    rationale_key: str
    recommendation_key: str
    params: dict[str, ParamValue] = Field(default_factory=dict)
    reference: str = Field(description="URL of the public best practice the rule rests on")
    fix: FixSpec | None = None
    waived: bool = False
    waiver_reason: str | None = None
    waiver_until: dt.date | None = None

    def text(self, lang: str | None = None) -> dict[str, str]:
        """The title, rationale and recommendation in ``lang`` (zh-CN or en)."""
        params: dict[str, Any] = {"components": ", ".join(self.component_ids), **self.params}
        return {
            "title": t(self.title_key, lang, **params),
            "rationale": t(self.rationale_key, lang, **params),
            "recommendation": t(self.recommendation_key, lang, **params),
        }

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """Identity of a finding within one review: the rule and the components it names."""
        return (self.rule_id, tuple(self.component_ids))


class ComponentCapacity(BaseModel):
    """Capacity facts for one component, computed by the capacity engine and passed in by ``workshop/``.

    ``architecture/`` never imports ``capacity/`` (design.md): these are plain numbers.
    """

    model_config = ConfigDict(frozen=True)

    component_id: str
    current_instances: int = Field(ge=0, description="instances the design provides (count)")
    required_instances_at_peak: int = Field(ge=0, description="instances needed at the forecast peak (count)")
    utilisation_at_peak: float = Field(ge=0, description="per-instance utilisation at the peak (fraction 0–1+)")
    required_after_az_loss: int = Field(ge=0, description="instances the surviving AZs need at the peak (count)")
    autoscaling_max: int | None = Field(default=None, ge=0, description="autoscaling maximum (count)")
    usl_nstar: float | None = Field(default=None, gt=0, description="USL peak concurrency N* (Gunther ch. 4)")
    concurrency_at_peak: float | None = Field(default=None, ge=0, description="concurrency / nodes at the peak")


class Deduction(BaseModel):
    """Points one rule costs a pillar (all its findings together, with diminishing repetition)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    pillar: Pillar
    severity: Severity
    count: int = Field(ge=1, description="findings of this rule")
    points: float = Field(ge=0, description="points deducted from the pillar (0–100 scale)")
    component_ids: list[str] = Field(default_factory=list)


class Scores(BaseModel):
    """Scores 0–100 per pillar and overall; see :mod:`workbench.architecture.scoring` for the formula."""

    model_config = ConfigDict(frozen=True)

    reliability: float = Field(ge=0, le=100)
    performance: float = Field(ge=0, le=100)
    security: float = Field(ge=0, le=100)
    cost: float = Field(ge=0, le=100)
    operations: float = Field(ge=0, le=100)
    overall: float = Field(ge=0, le=100)
    deductions: list[Deduction] = Field(default_factory=list)

    def pillar(self, pillar: Pillar) -> float:
        """The score of one pillar."""
        return float(getattr(self, pillar.value))

    def band(self, pillar: Pillar | None = None) -> str:
        """TSA's bands [T3]: ``good`` 85–100, ``fair`` 61–84, ``poor`` ≤ 60 (overall when pillar is None)."""
        value = self.overall if pillar is None else self.pillar(pillar)
        return "good" if value >= 85 else "fair" if value > 60 else "poor"
