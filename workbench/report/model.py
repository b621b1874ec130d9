"""What a report shows, as plain values: the workshop layer fills it, the renderers only read it.

Keeping the report data free of engine types means the report never computes: it renders numbers
the workshop chain already produced (design note: "report/ reads, never computes").
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Headline(_Value):
    """One of the three headline numbers of the executive summary."""

    label: str
    value: str
    detail: str = ""


class Action(_Value):
    """One piece of homework: a finding with its fix."""

    severity: str
    pillar: str
    rule_id: str
    title: str
    rationale: str = ""
    recommendation: str
    components: list[str] = Field(default_factory=list)
    reference: str = ""
    waived: bool = False
    waiver_reason: str = ""

    @property
    def unnamed_components(self) -> list[str]:
        """The components the title does not name already (a title listing them needs no "(…)" repeating it)."""
        return [c for c in self.components if c not in self.title]


class ScenarioPeak(_Value):
    """A forecast scenario's peak: point, P80 and P95 (the number capacity is sized to), when."""

    name: str
    point: float
    p80: float
    p95: float
    at: str = ""


class BacktestRow(_Value):
    """One model's backtest scores (stable keys in JSON; the HTML and Markdown reports translate the headers)."""

    model: str = Field(description="the model's name, translated")
    mase: float | None = Field(None, description="mean absolute scaled error (< 1 beats the seasonal naive)")
    smape: float | None = Field(None, description="symmetric mean absolute percentage error, percent")
    coverage95: float | None = Field(None, description="share of held-out points inside the 95 % band (0–1)")
    note: str = Field("", description="why the model was not run, translated; empty when it ran")


class ForecastSection(_Value):
    """The forecast and its peak."""

    series: str
    unit: str = ""
    model: str
    horizon_days: int
    history_start: str = ""
    history_end: str = ""
    chosen: str
    quantile: str
    peak_used: float
    scenarios: list[ScenarioPeak] = Field(default_factory=list)
    backtest: list[BacktestRow] = Field(default_factory=list)
    chart_svg: str | None = None


class SizingRow(_Value):
    """One tier's sizing at the peak."""

    tier: str
    component: str = ""
    current: int | None = None
    required: int | None = None
    after_az_loss: int | None = Field(default=None, description="instances to provision in all so that losing "
                                      "one AZ still leaves the required ones (the total, not the survivors' need)")
    utilisation: float | None = None
    p99_ms: float | None = None
    binding: str = ""
    cost: float | None = None
    feasible: bool = True


class WhatIfRow(_Value):
    """One simulated disruption with its estimated recovery against the targets."""

    disruption: str
    target: str
    journeys_broken: list[str] = Field(default_factory=list)
    rto_minutes: float | None = None
    rto_target: float | None = None
    meets_rto: bool | None = None
    rpo_minutes: float | None = None
    rpo_target: float | None = None
    meets_rpo: bool | None = None


class MilestoneRow(_Value):
    """A milestone for the progress table."""

    name: str
    date: str
    overall: float
    pillars: dict[str, float]
    findings: int
    resolved: int = 0
    new: int = 0


class ScopeRow(_Value):
    """One input the report rests on: what it is, which one, and its date (in the workshop's time zone)."""

    input: str
    name: str
    date: str = ""


class PlanRow(_Value):
    """One homework item of the improvement plan, already translated."""

    id: str
    title: str
    severity: str
    pillar: str
    owner: str = ""
    due: str = ""
    effort: str = ""
    status: str
    status_label: str
    overdue: bool = False
    proposed_done: bool = False
    components: list[str] = Field(default_factory=list)
    fix: str = ""
    accepted: str = ""

    @property
    def unnamed_components(self) -> list[str]:
        """The components the title does not name already (the plan shows these after it, not all of them again)."""
        return [c for c in self.components if c not in self.title]


class ReportData(_Value):
    """Everything one report shows, already translated into ``lang``."""

    lang: str
    title: str
    customer: str = ""
    advisor: str = ""
    date: dt.date
    generated_at: dt.datetime
    notes: str = ""
    headlines: list[Headline] = Field(default_factory=list)
    top_actions: list[Action] = Field(default_factory=list)
    top_actions_left_out: int = Field(
        0, ge=0, description="actions not listed in top_actions: closed (done or risk accepted) in the plan")
    forecast: ForecastSection | None = None
    sizing: list[SizingRow] = Field(default_factory=list)
    sizing_note: str = ""
    architecture_name: str = ""
    diagram_svg: str | None = None
    scores: dict[str, float] = Field(default_factory=dict)
    overall_score: float | None = None
    findings: list[Action] = Field(default_factory=list)
    waived: list[Action] = Field(default_factory=list)
    whatif: list[WhatIfRow] = Field(default_factory=list)
    milestones: list[MilestoneRow] = Field(default_factory=list)
    milestone_chart_svg: str | None = None
    timezone: str = Field("UTC", description="IANA name or UTC offset all times are shown in")
    scope: list[ScopeRow] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    currency: str = Field("CNY", description="ISO 4217 code of every cost")
    plan: list[PlanRow] = Field(default_factory=list)
    plan_counts: dict[str, int] = Field(default_factory=dict, description="status → items")
    risk_summary: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="pillar → severity → findings listed (one per rule, as in ``findings``)")
    firings: int = Field(0, ge=0, description="open rule firings on single components the listed findings group")
