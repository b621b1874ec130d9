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
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workbench.i18n import catalogue, normalise_language, placeholders, t, t_or

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
    add_capacity_per_az = "add_capacity_per_az"
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
    provider_docs: dict[str, str] = Field(
        default_factory=dict, description="language → the provider's documentation for the product family named"
    )
    weight: float = Field(
        default=1.0, ge=0, le=1,
        description="criticality factor of the most critical component named (scoring.CRITICALITY_FACTOR)",
    )
    subject: str = Field(
        default="", max_length=500,
        description="what, besides the components, this firing is about (a journey, an AZ, an edge), so two "
                    "firings of one rule on the same components keep distinct keys; empty when the components suffice",
    )
    waived: bool = False
    waiver_reason: str | None = None
    waiver_until: dt.date | None = None

    def text(self, lang: str | None = None) -> dict[str, str]:
        """The title, rationale and recommendation in ``lang`` (zh-CN or en)."""
        params = display_params({"components": ", ".join(self.component_ids), **self.params}, lang)
        return {
            "title": t(self.title_key, lang, **params),
            "rationale": t(self.rationale_key, lang, **params),
            "recommendation": t(self.recommendation_key, lang, **params),
        }

    def best_practice(self, lang: str | None = None) -> str:
        """The link to show as "best practice": the provider's documentation for the product family in ``lang``
        (Tencent Cloud zh on cloud.tencent.com, en on intl.cloud.tencent.com; AWS docs), else in English, else the
        rule's framework reference (Well-Architected, Azure WAF, SRE book) for generic types."""
        code = normalise_language(lang)
        return self.provider_docs.get(code) or self.provider_docs.get("en") or self.reference

    @property
    def key(self) -> tuple[str, tuple[str, ...], str]:
        """Identity of a finding within one review: the rule, the components it names and its subject.

        Unique within a review (REL-021 on ``db`` for the loss of ``ap-1a`` and of ``ap-1b`` are two keys) and
        stable across reviews of one design: the subject is an id (journey, AZ, edge), never a measured value.
        """
        return (self.rule_id, tuple(self.component_ids), self.subject)

    @property
    def legacy_key(self) -> tuple[str, tuple[str, ...]]:
        """The key before subjects existed (rule and components): what stored waivers, plan links and milestones
        written by older versions carry (they match again only where it identifies one finding)."""
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
    provisioned_for_az_loss: int | None = Field(
        default=None, ge=0,
        description="instances to provision across the AZs so that losing any one still leaves "
                    "required_after_az_loss (count; None for a single AZ, where nothing survives the loss)",
    )
    autoscaling_max: int | None = Field(default=None, ge=0, description="autoscaling maximum (count)")
    usl_nstar: float | None = Field(default=None, gt=0, description="USL peak concurrency N* (Gunther ch. 4)")
    concurrency_at_peak: float | None = Field(default=None, ge=0, description="concurrency / nodes at the peak")


class FindingCost(BaseModel):
    """Points one finding costs its pillar: what fixing it alone gives back (marginal, see scoring.py)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    component_ids: list[str] = Field(default_factory=list)
    severity: Severity
    weight: float = Field(description="criticality factor used")
    points: float = Field(ge=0, description="pillar points regained by fixing this finding alone")


class Deduction(BaseModel):
    """Points one rule costs a pillar: what fixing all its findings gives back, and each finding's share."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    pillar: Pillar
    severity: Severity
    count: int = Field(ge=1, description="findings of this rule")
    points: float = Field(ge=0, description="pillar points regained by fixing every finding of the rule")
    component_ids: list[str] = Field(default_factory=list)
    findings: list[FindingCost] = Field(default_factory=list, description="per-finding points, largest first")


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


# --- grouping for reading ----------------------------------------------------------------------------

HYGIENE_RULES: frozenset[str] = frozenset({"OPS-005", "OPS-006", "COST-004", "COST-005"})
"""Operational-hygiene rules (owner, SLA unknown, cost, tags): one finding per rule listing every component."""


class FindingGroup(BaseModel):
    """All open findings of one rule, read as one: "no alerting on 6 critical components: …".

    ``severity`` is the worst of its findings; ``component_ids`` lists every component named (first-seen order);
    ``findings`` keeps the per-component findings (each with its own fix and score cost).
    """

    model_config = ConfigDict(frozen=True)

    rule_id: str
    pillar: Pillar
    severity: Severity
    component_ids: list[str]
    findings: list[Finding]
    points: float = Field(default=0.0, ge=0, description="pillar points regained by fixing the whole group")

    @property
    def first(self) -> Finding:
        """The worst finding of the group (its severity, fix and links stand for the group; see :meth:`text`)."""
        return self.findings[0]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def fixable(self) -> list[Finding]:
        """The findings of the group that carry a mechanical fix."""
        return [f for f in self.findings if f.fix is not None]

    def text(self, lang: str | None = None) -> dict[str, str]:
        """Title (:meth:`title`), rationale and recommendation of the whole group.

        A text whose figures are the same for every finding is said once, naming every component; otherwise each
        component gets its own sentence with its own figures ("mysql: … needs 46; web: … needs 34"), so the group
        never quotes one component's numbers for all (at most :data:`GROUP_LINES_SHOWN` sentences, then the rest
        by name)."""
        if self.count == 1:
            return self.first.text(lang)
        return {"title": self.title(lang), "rationale": self._part("rationale", lang),
                "recommendation": self._part("recommendation", lang)}

    def title(self, lang: str | None = None) -> str:
        """One title for the whole group that names no single finding's figures as everyone's.

        When the title's other values are the same for every finding, it names every component with their count;
        when exactly one text value differs (the AZ lost, the journey), it lists the distinct values; otherwise it
        is the worst finding's own title with how many more there are.
        """
        first = self.first
        if self.count == 1:
            return first.text(lang)["title"]
        template = catalogue(normalise_language(lang)).get(first.title_key, "")
        names = placeholders(template) - {"components"}
        differing = [n for n in sorted(names) if any(f.params.get(n) != first.params.get(n) for f in self.findings)]
        same_key = all(f.title_key == first.title_key for f in self.findings)
        params = display_params({**first.params, "components": ", ".join(self.component_ids)}, lang)
        if same_key and len(differing) == 1 and all(isinstance(f.params.get(differing[0]), str) for f in self.findings):
            name = differing[0]
            params[name] = ", ".join(dict.fromkeys(str(display_params(f.params, lang)[name]) for f in self.findings))
        elif not same_key or differing or "components" not in placeholders(template):
            return t("architecture.group.title_more", lang, title=first.text(lang)["title"], more=self.count - 1)
        title = t(first.title_key, lang, **params)
        if "components" not in placeholders(template):
            return title
        return t("architecture.group.title_all", lang, count=len(self.component_ids), title=title)

    def _part(self, part: str, lang: str | None) -> str:
        """The group's rationale or recommendation: once when every finding's figures agree, else one sentence
        per finding, each naming its components."""
        texts = catalogue(normalise_language(lang))
        first = self.first
        key = getattr(first, f"{part}_key")
        template = texts.get(key, "")
        names = placeholders(template) - {"components"}
        if all(getattr(f, f"{part}_key") == key and all(f.params.get(n) == first.params.get(n) for n in names)
               for f in self.findings):
            return t(key, lang, **display_params({**first.params, "components": ", ".join(self.component_ids)},
                                                 lang))
        sentences: dict[str, None] = {}
        for f in self.findings:
            text = f.text(lang)[part]
            label = _label(f, text, "components" in placeholders(texts.get(getattr(f, f"{part}_key"), "")), lang)
            if label:
                text = t("architecture.group.item", lang, components=label, text=text)
            sentences[text.rstrip("。.")] = None
        lines = list(sentences)
        sep, end = ("；", "。") if normalise_language(lang) == "zh-CN" else ("; ", ".")
        out = sep.join(lines[:GROUP_LINES_SHOWN]) + end
        if len(lines) > GROUP_LINES_SHOWN:
            shown = {c for f in self.findings[:GROUP_LINES_SHOWN] for c in f.component_ids}
            rest = [c for c in self.component_ids if c not in shown]
            out += " " + t("architecture.group.lines_more", lang, count=len(lines) - GROUP_LINES_SHOWN,
                           components=", ".join(rest) or "—")
        return out


def _label(f: Finding, text: str, names_components: bool, lang: str | None) -> str:
    """What a sentence of a group must be prefixed with to say which finding it is about: the components when its
    text does not name them, and the subject (journey, AZ, edge) when its text does not mention it."""
    named = names_components or all(re.search(rf"(?<![\w.-]){re.escape(c)}(?![\w-]|\.\w)", text)
                                    for c in f.component_ids)
    parts = [] if named else [", ".join(f.component_ids)]
    values = [item.partition("=")[2].replace("->", " → ") for item in f.subject.split(";") if item]
    if f.subject and not all(v and v in text for v in values):
        parts.append(subject_label(f.subject, lang))
    return " · ".join(parts)


GROUP_LINES_SHOWN = 12
"""Sentences a group's rationale or recommendation gives one by one before naming the rest."""


def display_params(params: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """``params`` as a text shows them: a disruption scope or a catalogue type is a translated word
    (``instance`` → 实例, ``message_queue`` → 消息队列), never the raw value a rule passes; a whole number is
    shown without decimals (an RPO of 5 min, not 5.00 min)."""
    out = {k: f"{int(v):,}" if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else v  # "5 min", "1,440"
           for k, v in params.items()}
    code = normalise_language(lang)
    if isinstance(out.get("disruption"), str):
        out["disruption"] = t_or(f"architecture.disruption.{out['disruption']}", out["disruption"], code)
    if isinstance(out.get("kind"), str):
        from workbench.architecture.catalogue import load_catalogue

        kind = load_catalogue().types.get(out["kind"])
        if kind is not None:
            out["kind"] = kind.name.get(code) or kind.name.get("en") or out["kind"]
    return out


def group_findings(findings: list[Finding], points: dict[str, float] | None = None) -> list[FindingGroup]:
    """Open findings grouped by rule (one group per rule and pillar), worst severity first, then by points.

    ``points`` (rule id → points, from :attr:`Scores.deductions`) orders groups of equal severity by what fixing
    them gives back.  Waived findings belong in their own list and are not grouped here.
    """
    by_rule: dict[tuple[str, Pillar], list[Finding]] = {}
    for f in findings:
        by_rule.setdefault((f.rule_id, f.pillar), []).append(f)
    groups: list[FindingGroup] = []
    for (rule_id, pillar), group in by_rule.items():
        ordered = sorted(group, key=lambda f: (-f.severity.rank, -f.weight, tuple(f.component_ids)))
        ids = list(dict.fromkeys(c for f in ordered for c in f.component_ids))
        groups.append(FindingGroup(rule_id=rule_id, pillar=pillar, severity=ordered[0].severity, component_ids=ids,
                                   findings=ordered, points=(points or {}).get(rule_id, 0.0)))
    return sorted(groups, key=lambda g: (-g.severity.rank, -g.points, g.rule_id))


def severity_summary(findings: list[Finding], *, grouped: bool = True) -> dict[Pillar, dict[Severity, int]]:
    """Pillar × severity counts (of rule groups when ``grouped``, else of findings), every cell present."""
    out = {p: {s: 0 for s in Severity} for p in Pillar}
    if grouped:
        for g in group_findings(findings):
            out[g.pillar][g.severity] += 1
    else:
        for f in findings:
            out[f.pillar][f.severity] += 1
    return out


SUBJECT_PARAMS: tuple[str, ...] = ("journey", "target_id")
"""Parameters that name what a firing is about (a journey, the AZ or region a what-if takes out): the default
subject of a finding that carries one (:meth:`workbench.architecture.rules.base.Rule.finding`)."""


def subject_of(params: dict[str, ParamValue]) -> str:
    """The default subject: the values of :data:`SUBJECT_PARAMS` present in ``params``, ``name=value`` joined."""
    return ";".join(f"{name}={params[name]}" for name in SUBJECT_PARAMS if params.get(name) not in (None, ""))



_SUBJECT_WORDS: frozenset[str] = frozenset({"journey", "az", "region", "edge"})
"""Subject names shown with a word for their kind (链路/可用区/地域/调用); any other (``target_id``) shows its value."""


def subject_label(subject: str, lang: str | None = None) -> str:
    """A subject (``az=ap-1a;journey=checkout``) as a reader sees it: ``AZ ap-1a · journey checkout`` (可用区 ap-1a ·
    链路 checkout); ``edge=a->b`` as ``call a → b``; a value whose kind needs no word (``target_id=ckafka``) alone.
    Never the raw parameter name."""
    parts = []
    for item in filter(None, subject.split(";")):
        name, _, value = item.partition("=")
        if not value:
            parts.append(name)
            continue
        value = value.replace("->", " → ") if name == "edge" else value
        parts.append(t(f"architecture.subject.{name}", lang, value=value) if name in _SUBJECT_WORDS else value)
    return " · ".join(parts)
