"""The public values of the forecast engine: options in, peaks and scores out.

Everything a page, the CLI or the capacity sizing exchanges with the forecast engine is one of these
pydantic v2 models.  Value objects are frozen.  Load values carry the unit of the input series
(``unit``, e.g. "QPS"); times are tz-aware timestamps in the series' own time zone.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench.errors import InputError

MAX_HORIZON = dt.timedelta(days=549)  # 18 months (the upper bound), rounded up
MIN_HORIZON = dt.timedelta(hours=1)


class ModelName(StrEnum):
    """The forecasting models the engine can fit and compare."""

    NAIVE_DAILY = "seasonal_naive_daily"
    NAIVE_WEEKLY = "seasonal_naive_weekly"
    SEASONAL = "multi_seasonal"  # our own model (seasonal.py)
    ETS = "holt_winters"
    MSTL = "mstl"


class Transform(StrEnum):
    """Space in which the own model is fitted: 'log' makes seasonality and events multiplicative."""

    AUTO = "auto"
    LOG = "log"
    NONE = "none"


class EventKind(StrEnum):
    """How a known event changes load inside its window."""

    MULTIPLIER = "multiplier"  # load × value
    UPLIFT = "uplift"  # load + value (in the series' unit)


class Event(BaseModel):
    """A known event: a time window in which load is multiplied (×3) or raised (+5000)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=80, description="Label shown to users, e.g. 'Double 11'.")
    start: dt.datetime = Field(description="Start of the window (inclusive), tz-aware or naive local time.")
    end: dt.datetime = Field(description="End of the window (exclusive).")
    kind: EventKind = EventKind.MULTIPLIER
    value: float = Field(description="Multiplier (dimensionless, > 0) or uplift (series unit, e.g. QPS).")

    @model_validator(mode="after")
    def _check(self) -> Event:
        if self.end <= self.start:
            raise InputError("errors.forecast.event_window", name=self.name)
        if self.kind is EventKind.MULTIPLIER and not (0 < self.value <= 1000):
            raise InputError("errors.forecast.event_multiplier", name=self.name, value=self.value)
        return self


class Scenario(BaseModel):
    """A what-if on top of the base forecast: monthly growth plus known events."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(default="base", min_length=1, max_length=80)
    growth_pct_per_month: float = Field(
        default=0.0, ge=-50.0, le=200.0, description="Compound growth, % per 30.44-day month."
    )
    events: tuple[Event, ...] = ()


class ForecastOptions(BaseModel):
    """What to forecast and how; validated once for the page and the CLI alike."""

    model_config = ConfigDict(frozen=True)

    horizon: dt.timedelta = Field(default=dt.timedelta(days=30), description="How far ahead (1 hour to 18 months).")
    model: ModelName | None = Field(default=None, description="Force a model; None = best backtest MASE.")
    candidates: tuple[ModelName, ...] = tuple(ModelName)
    transform: Transform = Transform.AUTO
    china_holidays: bool = Field(default=False, description="Use mainland-China holidays and 调休 (= country 'CN').")
    holiday_country: str | None = Field(
        default=None, max_length=8,
        description="ISO 3166 code of the public-holiday calendar used as regressors ('CN' with 调休 via "
        "chinese_calendar; others via the holidays package); None = weekends only.",
    )
    history_events: tuple[Event, ...] = Field(default=(), description="Past events whose effect the model learns.")
    folds: int = Field(default=5, ge=2, le=8, description="Rolling-origin backtest folds.")
    max_statsmodels_rows: int = Field(
        default=12_000, ge=0,
        description="Skip Holt-Winters above this many rows and MSTL above a third of it (they are slow).",
    )
    thorough: bool = Field(
        default=False,
        description="Backtest the slow statsmodels candidates even when the multi-seasonal model already "
        "beats seasonal naive (default: only where they can win).",
    )

    @property
    def country(self) -> str | None:
        """The holiday calendar in use: ``holiday_country``, else 'CN' when ``china_holidays``."""
        if self.holiday_country:
            return self.holiday_country.strip().upper()
        return "CN" if self.china_holidays else None

    @model_validator(mode="after")
    def _check(self) -> ForecastOptions:
        if not (MIN_HORIZON <= self.horizon <= MAX_HORIZON):
            raise InputError("errors.forecast.horizon", days=round(self.horizon.total_seconds() / 86400, 2))
        if self.holiday_country and self.holiday_country.strip().upper() != "CN":  # CN: no import needed
            from workbench.forecast.holidays import supported_countries

            if self.holiday_country.strip().upper() not in supported_countries():
                raise InputError("errors.forecast.holiday_country", country=self.holiday_country)
        if self.model is not None and self.model not in self.candidates:
            raise InputError("errors.forecast.model_not_candidate", model=str(self.model))
        return self


class BacktestScore(BaseModel):
    """Rolling-origin accuracy of one model (Hyndman & Athanasopoulos, FPP3 §5.10 and §5.8)."""

    model_config = ConfigDict(frozen=True)

    model: ModelName
    mase: float = Field(description="Mean absolute scaled error (scale: in-sample weekly or daily naive MAE).")
    smape: float = Field(description="Symmetric MAPE, percent (0–200).")
    coverage95: float = Field(description="Share of actuals inside the 95% interval (0–1).")
    peak_error_pct: float = Field(description="Mean absolute % error of the daily maximum.")
    fit_seconds: float = Field(description="Mean wall time of one fit + predict, seconds.")
    folds: int
    skipped: str | None = Field(default=None, description="Message key when the model was not run.")
    skipped_params: dict[str, str | int | float] = Field(
        default_factory=dict, description="Parameters of the skip message (what was needed, what failed)."
    )


class PeakValue(BaseModel):
    """A forecast peak as an interval-like value (series unit): point and upper quantiles.

    ``p80``/``p95`` are one-sided upper quantiles — the numbers capacity is sized to;
    ``low95``/``high95`` bound the two-sided 95% interval.
    """

    model_config = ConfigDict(frozen=True)

    point: float
    p80: float
    p95: float
    low95: float
    high95: float

    def scale(self, factor: float) -> PeakValue:
        """The same peak multiplied by ``factor`` (e.g. a growth or headroom factor)."""
        return PeakValue(**{k: v * factor for k, v in self.model_dump().items()})


class PeakForecast(BaseModel):
    """Hand-over to capacity sizing: the peak of one scenario over a horizon."""

    model_config = ConfigDict(frozen=True)

    scenario: str
    series_name: str
    unit: str = Field(description="Unit of the load, e.g. 'QPS' or 'requests/min'.")
    horizon_days: float = Field(gt=0, description="Forecast horizon, days.")
    peak: PeakValue
    peak_time: dt.datetime = Field(description="When the point forecast peaks.")
    peak_day: dt.date = Field(description="Local day of the peak.")
    model: ModelName
    origin: dt.datetime = Field(description="Last timestamp of the history used.")
