"""Pydantic v2 models at the boundary of the capacity engine (inputs and results).

Units are SI throughout the core: rates in requests per second, times in seconds.  Pages and the
CLI convert to and from milliseconds for display.  Results are frozen value objects so that pages can
cache them and the workshop can store them as JSON.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workbench.capacity.validate import MIN_RATE, MIN_TIME_MS

MIN_TIME_S = MIN_TIME_MS / 1e3  # a nanosecond: a smaller positive time is a typo and underflows the models


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QueueKind(StrEnum):
    """Which queueing model produced a result."""

    MM1 = "M/M/1"
    MMC = "M/M/c"
    MG1 = "M/G/1"
    GGC = "G/G/c"
    MMCK = "M/M/c/K"


class QueueResult(_Frozen):
    """Steady-state metrics of one queue.  Delay fields are None when the queue is unstable (ρ ≥ 1)."""

    kind: QueueKind
    arrival_rate: float = Field(description="λ, requests per second")
    service_time: float = Field(description="mean service time S, seconds")
    servers: int = Field(ge=1, description="c, identical servers sharing one queue")
    stable: bool = Field(description="False when utilisation ≥ 1: the queue grows without bound")
    utilisation: float = Field(description="ρ = λ·S/c, fraction of server time busy")
    offered_load: float = Field(default=0.0, description="A = λ·S, erlangs")
    prob_wait: float | None = Field(default=None, description="P(an arrival waits), 0..1")
    mean_wait: float | None = Field(default=None, description="mean time in queue W_q, seconds")
    mean_response: float | None = Field(default=None, description="mean response time R = W_q + S, seconds")
    mean_queue_length: float | None = Field(default=None, description="L_q, requests waiting")
    mean_in_system: float | None = Field(default=None, description="L, requests waiting or in service")
    wait_percentiles: dict[float, float] = Field(default_factory=dict, description="q → wait quantile, s")
    response_percentiles: dict[float, float] = Field(default_factory=dict, description="q → response quantile, s")
    wait_target: float | None = Field(default=None, description="t of the service level, seconds")
    service_level: float | None = Field(default=None, description="P(W_q ≤ wait_target), 0..1")
    arrival_cv: float = Field(default=1.0, description="coefficient of variation of inter-arrival times")
    service_cv: float = Field(default=1.0, description="coefficient of variation of service times")
    exact: bool = Field(default=True, description="False when the figures come from an approximation")
    prob_empty: float | None = Field(default=None, description="p0, probability that no request is present, 0..1")
    capacity: int | None = Field(default=None, description="K, most requests in the system (waiting + in service)")
    prob_blocked: float | None = Field(default=None, description="P_K, share of arrivals turned away, 0..1")
    effective_arrival_rate: float | None = Field(default=None, description="λ(1 − P_K), admitted requests/s")

    @classmethod
    def unstable(
        cls,
        kind: QueueKind,
        arrival_rate: float,
        service_time: float,
        servers: int,
        rho: float,
        arrival_cv: float = 1.0,
        service_cv: float = 1.0,
    ) -> QueueResult:
        """The result for ρ ≥ 1: no steady state exists, so no delay metric is reported."""
        return cls(
            kind=kind,
            arrival_rate=arrival_rate,
            service_time=service_time,
            servers=servers,
            stable=False,
            utilisation=rho,
            offered_load=arrival_rate * service_time,
            arrival_cv=arrival_cv,
            service_cv=service_cv,
        )

    def min_stable_servers(self) -> int:
        """The fewest servers that make this load stable: ⌊A⌋ + 1."""
        return int(self.offered_load // 1) + 1


class USLWarningCode(StrEnum):
    """Why a USL fit should not be trusted as it is."""

    FEW_LEVELS = "few_levels"
    NO_LOW_POINT = "no_low_point"
    FLAT = "flat"
    RETROGRADE_ONLY = "retrograde_only"
    SUPERLINEAR = "superlinear"
    KAPPA_ZERO = "kappa_zero"
    PEAK_BEYOND_DATA = "peak_beyond_data"
    DUPLICATES = "duplicates"
    SUMMARY_ROW = "summary_row"
    UNITS_STRIPPED = "units_stripped"
    POOR_FIT = "poor_fit"
    READ_AS = "read_as"  # which tool's format was recognised, and how many levels/rows
    FEW_SAMPLES = "few_samples"  # JTL levels with too few samples (ramp-up), skipped
    RAMP_ROWS = "ramp_rows"  # Locust rows whose window straddles two levels, skipped
    BAD_ROWS = "bad_rows"  # unreadable sample rows, skipped
    ERRORS_SEEN = "errors_seen"  # failed requests counted in the throughput
    ERROR_LEVELS = "error_levels"  # aggregate-report rows with a non-zero error %


class FitWarning(_Frozen):
    """One warning about the data or the fit: an i18n key suffix and its parameters."""

    code: USLWarningCode
    params: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """The i18n key of the message."""
        return f"capacity.usl.warn.{self.code.value}"


class LoadTestData(_Frozen):
    """Load-test points read from a file: one row per run or level, plus notes about the reading."""

    concurrency: list[float] = Field(description="N, concurrent users/threads")
    throughput: list[float] = Field(description="X, requests per second")
    latency: list[float] | None = Field(default=None, description="mean response time per row, seconds")
    latency_quantiles: dict[float, list[float]] = Field(default_factory=dict,
                                                        description="q → latency percentile per row, seconds")
    notes: list[FitWarning] = Field(default_factory=list)
    source: str | None = Field(default=None, description="format recognised: csv, jmeter_aggregate, jmeter_jtl, "
                               "locust, k6, wrk (i18n key suffix capacity.loadtest.source.*)")


class Interval(_Frozen):
    """A point estimate with a confidence interval (level given by the producer)."""

    estimate: float
    low: float
    high: float


class USLFit(_Frozen):
    """A fitted Universal Scalability Law X(N) = λN / (1 + σ(N−1) + κN(N−1)).

    Source: N. J. Gunther, *Guerrilla Capacity Planning* (Springer 2007), ch. 4 (eq. 4.31) and ch. 5.
    """

    sigma: Interval = Field(description="σ, contention (serial fraction), dimensionless")
    kappa: Interval = Field(description="κ, coherency (crosstalk) penalty, dimensionless")
    lam: Interval = Field(description="λ, throughput of one user (N = 1), requests/s")
    r_squared: float = Field(description="coefficient of determination of the fit")
    n_points: int
    n_levels: int = Field(description="distinct concurrency levels in the data")
    residual_std: float = Field(description="residual standard error, requests/s")
    peak_concurrency: float | None = Field(description="N* = sqrt((1−σ)/κ); None when κ = 0 (no peak)")
    peak_throughput: float | None = Field(
        description="X(N*), or the asymptote λ/σ when κ = 0; None for linear scaling (σ = κ = 0), requests/s"
    )
    covariance: list[list[float]] = Field(description="3×3 covariance of (σ, κ, λ)")
    confidence: float = Field(default=0.95)
    warnings: list[FitWarning] = Field(default_factory=list)
    data_concurrency: list[float] = Field(default_factory=list)
    data_throughput: list[float] = Field(default_factory=list)


class USLPrediction(_Frozen):
    """Predicted throughput at one concurrency with confidence and prediction intervals (requests/s)."""

    concurrency: float
    throughput: float
    ci_low: float
    ci_high: float
    pi_low: float
    pi_high: float


class StationKind(StrEnum):
    """A station of a closed queueing network."""

    QUEUE = "queue"  # single- or multi-server FCFS/PS queueing station
    DELAY = "delay"  # infinite server: no queueing (think time, a network hop, a sleep)


class Station(_Frozen):
    """One station of a closed network: its service demand per request and its servers."""

    name: str = Field(min_length=1, max_length=80)
    demand: float = Field(ge=0.0, le=1e7, description="service demand D = visits × service time, seconds (≤ 116 days)")
    servers: int = Field(default=1, ge=1, le=4096, description="identical servers at this station")
    kind: StationKind = StationKind.QUEUE


class MVAResult(_Frozen):
    """Per-population results of a closed network, index i ↔ population i+1 users."""

    populations: list[int]
    throughput: list[float] = Field(description="X(n), requests/s")
    response_time: list[float] = Field(description="R(n) excluding think time, seconds")
    station_names: list[str]
    utilisation: list[list[float]] = Field(description="[station][n] per-server utilisation, 0..1")
    queue_length: list[list[float]] = Field(description="[station][n] mean requests at the station")
    think_time: float = Field(description="Z, seconds")
    exact: bool = Field(description="True for exact MVA, False for Schweitzer's approximation")


class Bounds(_Frozen):
    """Asymptotic bounds of a closed network (Lazowska et al. 1984, ch. 5)."""

    total_demand: float = Field(description="D = Σ D_k over all stations, seconds")
    max_demand: float = Field(description="D_max = max D_k / m_k over queueing stations, seconds")
    think_time: float = Field(description="Z, seconds")
    bottleneck: str = Field(description="station with the largest demand per server")
    n_star: float = Field(description="N* = (D + Z)/D_max, the population where the bounds cross")

    def throughput_upper(self, n: float) -> float:
        """X(n) ≤ min(n/(D+Z), 1/D_max), requests/s."""
        return min(n / (self.total_demand + self.think_time), 1.0 / self.max_demand)

    def response_lower(self, n: float) -> float:
        """R(n) ≥ max(D, n·D_max − Z), seconds."""
        return max(self.total_demand, n * self.max_demand - self.think_time)


class LatencySLO(_Frozen):
    """A latency objective: the ``percentile`` of response time must not exceed ``target`` seconds."""

    percentile: float = Field(default=0.99, gt=0.0, lt=1.0, description="e.g. 0.99 for P99")
    target: float = Field(gt=0.0, description="seconds")


class TierModel(StrEnum):
    """How a tier's per-instance capacity is described."""

    SERVICE_TIME = "service_time"  # mean + CV of service time, G/G/c queue over all workers
    USL = "usl"  # a fitted USL curve of one instance (requests/s against concurrency)


class TierSpec(_Frozen):
    """One tier to size.  Either a service time (mean, CV) or a USL fit of one instance."""

    name: str = Field(min_length=1, max_length=80)
    model: TierModel = TierModel.SERVICE_TIME
    service_time: float | None = Field(default=None, ge=MIN_TIME_S, le=1e7, description="mean service time, seconds")
    service_cv: float = Field(default=1.0, ge=0.0, le=10.0, description="CV of service time")
    arrival_cv: float = Field(default=1.0, ge=0.0, le=10.0, description="CV of inter-arrival times")
    workers_per_instance: int = Field(default=1, ge=1, le=10_000, description="concurrent workers per instance")
    usl_sigma: float | None = Field(default=None, ge=0.0, le=1.0)
    usl_kappa: float | None = Field(default=None, ge=0.0, le=1.0)
    usl_lambda: float | None = Field(default=None, ge=MIN_RATE, le=1e9, description="requests/s at concurrency 1")
    price_per_hour: float | None = Field(default=None, ge=0.0, le=1e9, description="price of one instance per hour")
    visit_ratio: float = Field(default=1.0, ge=1e-9, le=1e6, description="requests at this tier per front-end request")
    max_blocking: float | None = Field(default=None, gt=0.0, lt=1.0,
                                       description="share of requests that may be refused (no free worker/slot)")
    queue_per_instance: int | None = Field(default=None, ge=0, le=1_000_000,
                                           description="bounded queue slots per instance; None = unbounded")
    asa_target: float | None = Field(default=None, ge=MIN_TIME_S, le=1e7,
                                     description="mean wait in queue at most this, s")
    shrinkage: float = Field(default=0.0, ge=0.0, lt=1.0,
                             description="share of instances unavailable (deploys, maintenance), provisioned on top")
    max_occupancy: float | None = Field(default=None, gt=0.0, lt=1.0,
                                        description="this tier's utilisation cap, overriding the global one")


class BindingConstraint(StrEnum):
    """Which requirement set the instance count."""

    UTILISATION = "utilisation"
    LATENCY = "latency"
    BOTH = "both"
    MINIMUM = "minimum"  # one instance already meets both
    BLOCKING = "blocking"  # the refused-share target
    ASA = "asa"  # the mean-wait target


class SizingResult(_Frozen):
    """How many instances a tier needs at the peak, and why."""

    tier: str
    feasible: bool
    reason_key: str | None = Field(default=None, description="i18n key explaining infeasibility")
    reason_params: dict[str, Any] = Field(default_factory=dict)
    required_instances: int | None = Field(default=None, description="fewest instances meeting both limits")
    instances_for_utilisation: int | None = None
    instances_for_latency: int | None = None
    instances_for_blocking: int | None = None
    instances_for_asa: int | None = None
    provisioned_instances: int | None = Field(default=None, description="required ÷ (1 − shrinkage), rounded up")
    blocking_at_peak: float | None = Field(default=None, description="share refused at the provisioned count")
    instances_with_az_loss: int | None = Field(default=None, description="instances so one AZ may fail")
    per_az: list[int] = Field(default_factory=list, description="instances in each AZ (even spread)")
    binding: BindingConstraint | None = None
    explanation_params: dict[str, Any] = Field(default_factory=dict)
    peak_rps: float = Field(description="arrival rate at this tier at the peak, requests/s")
    utilisation_at_peak: float | None = None
    latency_at_peak: float | None = Field(default=None, description="SLO percentile of latency, seconds")
    latency_is_mean: bool = Field(default=False, description="True for USL tiers: Little's-law mean latency")
    cost_per_hour: float | None = Field(default=None, description="required_instances × price")
    cost_per_hour_az: float | None = Field(default=None, description="instances_with_az_loss × price")
