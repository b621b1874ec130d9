"""Typed documents: one pydantic model per artefact kind, with the id and version rules in one place.

The store keeps every artefact as JSON with a kind, an id and a schema version (:mod:`workbench.store.models`);
this module says what the JSON of each kind contains.  Pages, the chain, the report and import/export read
and write artefacts only through these models (:func:`read`, :func:`read_all`, :func:`newest`, :func:`dump`),
so a document's shape is defined once and a typed value (a :class:`PeakForecast`, a :class:`TierRow`) is
never lost at the store.

Kinds and their models (the registry :data:`_MODELS`; :func:`register` adds one):

=============  =====================  ==================================================================
dataset        :class:`DatasetDoc`    a cleaned, regular load history (values on a grid)
forecast       :class:`ForecastDoc`   the peak handed to sizing, with the dataset, reading options,
                                      forecast options and scenarios (events) that produced it
sizing         :class:`SizingDoc`     tiers, SLO, caps, AZs, and where each input came from
architecture   :class:`ArchitectureDoc` one saved version: YAML, parent version, template of origin
findings       :class:`FindingsDoc`   a version's review: scores, open findings and the waiver set
milestone      :class:`Milestone`     a dated snapshot (scores, findings, recovery, capacity)
chain          :class:`ChainSettings` which forecast/quantile/sizing/architecture feed the chain
draft          :class:`DraftDoc`      unsaved editor text (architecture editor)
settings       :class:`WorkshopSettings` workshop-wide settings: the time zone every time is shown in
homework       (extension)            registered by ``workbench.workshop.homework`` when present
=============  =====================  ==================================================================

Import validates every artefact with :func:`validate_artefact` (migrating older schema versions with
:func:`migrate`); a bad one is refused with :class:`InputError` ``errors.import.invalid_artefact`` naming
the artefact and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import re
import unicodedata
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, ClassVar, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbench.errors import InputError, WorkbenchError
from workbench.forecast.schema import PeakForecast, Scenario
from workbench.store.models import Artefact, ArtefactKind, Workshop

D = TypeVar("D", bound="Document")
Quantile = Literal["point", "p80", "p95"]

# ---- id and version rules ------------------------------------------------------------------------------

CHAIN_ID = "settings"  # the one chain-settings document of a workshop
ARCHITECTURE_DRAFT_ID = "architecture"  # the architecture editor's draft
FORECAST_DRAFT_ID = "forecast"  # the Forecast page's inputs as last edited
SETTINGS_ID = "workshop"  # the one workshop-settings document of a workshop
MAX_ID = 64


def slug(text: str, fallback: str, *, lower: bool = False, max_len: int = 60) -> str:
    """An artefact id from free text: ASCII letters, digits, '-' and '_' (accents folded, rest → '-')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_text).strip("-")
    out = (out.lower() if lower else out)[:max_len].strip("-")
    return out or fallback


def unique_id(base: str, existing: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … : the first not in ``existing``."""
    taken = set(existing)
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = base[: MAX_ID - len(suffix)] + suffix, n + 1
    return candidate


def name_slug(text: str, key: str, fallback: str, *, lower: bool = False, max_len: int = 60) -> str:
    """An id for a name the user typed: its :func:`slug` when that spells the name (spaces as '-'), else the slug
    with a short stable hash of ``key`` (the full name) appended, so "双十一" and "大促" (both slugged to nothing)
    or "Peak +10%" and "Peak 10" keep different ids.  ASCII names keep the ids they always had."""
    base = slug(text, fallback, lower=lower, max_len=max_len)
    plain = re.sub(r"\s+", "-", text.strip())
    if (plain.lower() if lower else plain) == base:
        return base
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{base[: max_len - len(digest) - 1].rstrip('-')}-{digest}"


def artefact_name(kind: ArtefactKind | str, data: dict[str, Any]) -> str:
    """The name a user knows a saved forecast or sizing by (what they typed), read from its stored JSON.

    A forecast: "series · scenario" ("qps · 双十一"); a sizing: its scenario ("双十一峰值"); "" for other kinds or
    a document without one.  Shown wherever a saved forecast or sizing is named; its id is only a key."""
    if kind == ArtefactKind.FORECAST:
        peak = data.get("peak")
        if isinstance(peak, dict):
            parts = [str(peak.get("series_name") or "").strip(), str(peak.get("scenario") or "").strip()]
            return " · ".join(p for p in parts if p)
    elif kind == ArtefactKind.SIZING:
        inputs = data.get("inputs")
        if isinstance(inputs, dict):
            return str(inputs.get("scenario") or "peak").strip()  # the SizingInputs default
    return ""


def id_for_name(workshop: Workshop | None, kind: ArtefactKind | str, wanted: str, name: str) -> str:
    """The id to save a document called ``name`` under: the id of the one already called so (saving it again
    replaces it, also one stored under an older id rule), else ``wanted`` when free, else ``wanted-2``, … : never
    the id of a document with another name (that one would be overwritten silently)."""
    if workshop is None:
        return wanted
    names = {art.id: artefact_name(kind, art.data) for art in workshop.artefacts_of(kind)}
    if names.get(wanted) == name:
        return wanted
    same = [aid for aid, known in names.items() if known == name]
    if same:
        return same[0]
    return unique_id(wanted, names)


def dataset_id(name: str) -> str:
    """The id of a dataset kept from file ``name`` (same file name → same id: an upload replaces its copy).

    A name with non-ASCII characters (which the slug drops) gets a short hash of the whole name, so "监控.csv"
    and "订单.csv" are two datasets, not one overwriting the other; ASCII file names keep their ids."""
    base = slug(name, "dataset", max_len=MAX_ID)
    if name.isascii():
        return base
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{base[: MAX_ID - len(digest) - 1].rstrip('-')}-{digest}"


def forecast_id(series_name: str, scenario: str) -> str:
    """The id of a saved forecast: series and scenario (saving the same scenario again replaces it); see
    :func:`name_slug` for names that are not plain ASCII and :func:`id_for_name` before saving."""
    return name_slug(f"{series_name}-{scenario}", f"{series_name}\n{scenario}", "forecast")


def sizing_id(scenario: str) -> str:
    """The id of a sizing scenario (lower-case slug of its name; see :func:`name_slug`)."""
    return name_slug(scenario, scenario, "sizing", lower=True)


def milestone_id(name: str, existing: Iterable[str]) -> str:
    """An id for a milestone name: lower-case ASCII slug (letters and digits), unique among ``existing``."""
    return unique_id(slug(name.replace("_", "-"), "milestone", lower=True, max_len=40), existing)


def next_version_id(existing: Iterable[str]) -> str:
    """The next architecture version id: ``v001``, ``v002`` … (one more than the highest number used)."""
    numbers = [int(m.group(1)) for v in existing if (m := re.fullmatch(r"v(\d+)", v))]
    return f"v{max(numbers, default=0) + 1:03d}"


# ---- the documents ---------------------------------------------------------------------------------------


class Document(BaseModel):
    """Base of every artefact document: its kind and current schema version are class attributes."""

    model_config = ConfigDict(extra="forbid")

    KIND: ClassVar[ArtefactKind]
    SCHEMA: ClassVar[int] = 1

    def check(self) -> None:
        """Deeper checks than the fields' (e.g. that stored YAML still loads); raise :class:`InputError`."""


class InputSource(StrEnum):
    """Where an input came from: only confirmed, typed, imported or forecast values reach the customer."""

    FORECAST = "forecast"  # a saved forecast's peak
    TYPED = "typed"  # typed in by the advisor
    CONFIRMED = "confirmed"  # an example or suggestion the advisor confirmed
    IMPORTED = "imported"  # from a workshop file (or saved before sources were recorded)
    EXAMPLE = "example"  # a built-in example value, never advice


class NoteRef(BaseModel):
    """A translated note: message key and parameters."""

    model_config = ConfigDict(extra="forbid")

    key: str
    params: dict[str, Any] = Field(default_factory=dict)


class DatasetDoc(Document):
    """A cleaned load history on a regular grid: ``values[i]`` at ``start + i·step`` (None = missing)."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.DATASET

    schema_: int = Field(1, alias="schema", description="kept for files written before schema versions moved out")
    source: str = Field(max_length=500, description="file name the series came from")
    name: str = Field("load", max_length=200)
    timezone: str = "UTC"
    start: dt.datetime
    step_seconds: float = Field(gt=0)
    points: int = Field(ge=2)
    digest: str = Field(max_length=64)
    values: list[float | None]
    notes: list[NoteRef] = Field(default_factory=list)
    reading: dict[str, Any] | None = Field(None, description="the reading options used (IngestOptions as JSON)")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _length(self) -> DatasetDoc:
        if len(self.values) != self.points:
            raise ValueError(f"points says {self.points} but values holds {len(self.values)}")
        return self


class ForecastSettings(BaseModel):
    """The forecast options a user picks on the page (the rest are the engine's defaults)."""

    model_config = ConfigDict(extra="ignore")  # older drafts carried china_holidays (now holiday_country)

    horizon_days: int = Field(30, ge=1, le=548)
    model: str = Field("auto", max_length=40, description="'auto' = best backtest, else a ModelName value")
    holiday_country: str = Field("CN", max_length=10, description="holiday calendar: 'CN', 'none' or a country")
    thorough: bool = False


class DayMax(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: str
    max: float | None


class DailyPeakRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: str
    point: float | None
    p80: float | None
    p95: float | None


class ScoreRow(BaseModel):
    """One model's backtest score as stored (None where the model was skipped); further engine fields are kept."""

    model_config = ConfigDict(extra="allow")

    model: str
    mase: float | None = None
    smape: float | None = None
    coverage95: float | None = None
    peak_error_pct: float | None = None
    fit_seconds: float | None = None
    folds: int = 0
    skipped: str | None = None
    skipped_params: dict[str, str | int | float] = Field(default_factory=dict,
                                                         description="Parameters of the skip reason's message")


class ScenarioSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: Scenario
    peak: PeakForecast
    daily_peaks: list[DailyPeakRow] = Field(default_factory=list)


class ForecastSummary(BaseModel):
    """What the report charts and tabulates: model, scores, each scenario's peaks, recent daily maxima.

    Written by ``forecast.export.summary``; fields the engine adds later are kept as they are (extra="allow").
    """

    model_config = ConfigDict(extra="allow")

    history_daily_max: list[DayMax] = Field(default_factory=list)
    series_name: str = ""
    unit: str = ""
    model: str = ""
    origin: dt.datetime | None = None
    step_minutes: float | None = None
    scores: list[ScoreRow] = Field(default_factory=list)
    notes: list[NoteRef] = Field(default_factory=list)
    scenarios: dict[str, ScenarioSummary] = Field(default_factory=dict)
    history_start: dt.datetime | None = Field(None, description="first timestamp of the history (None in older files)")


class ForecastInputs(BaseModel):
    """Everything the Forecast page's user chose: data source, reading options, forecast options, scenario.

    Kept in the forecast draft as it is edited (so the page shows it again after leaving, a refresh or next
    week) and in each saved forecast (so the peak's origin can be reproduced).
    """

    model_config = ConfigDict(extra="forbid")

    source: Literal["sample", "upload", "workshop"] = "sample"
    dataset_id: str | None = Field(None, description="dataset artefact of the history (source 'workshop')")
    reading: dict[str, Any] | None = Field(None, description="reading options (IngestOptions as JSON)")
    settings: ForecastSettings = Field(default_factory=ForecastSettings)
    scenario: Scenario = Field(default_factory=lambda: Scenario(name="scenario"))
    chosen: str | None = Field(None, description="the scenario whose peak is used for sizing")


class ForecastDoc(Document):
    """A saved forecast: the peak handed to sizing and everything that produced it."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.FORECAST

    peak: PeakForecast
    summary: ForecastSummary = Field(default_factory=ForecastSummary)
    inputs: ForecastInputs | None = Field(None, description="what produced it (None in files from before)")

    def restored_inputs(self) -> ForecastInputs:
        """The inputs that produced this forecast; for older files, rebuilt from its summary (scenario, horizon)."""
        if self.inputs is not None:
            return self.inputs
        saved = self.summary.scenarios.get(self.peak.scenario)
        return ForecastInputs(settings=ForecastSettings(horizon_days=max(1, round(self.peak.horizon_days))),
                              scenario=saved.scenario if saved else Scenario(name=self.peak.scenario or "scenario"),
                              chosen=self.peak.scenario)

    def peak_value(self, quantile: Quantile) -> float:
        """The peak at ``quantile`` (point, p80 or p95), in the series' unit."""
        return float(getattr(self.peak.peak, quantile))

    @property
    def name(self) -> str:
        """What the user knows it by: "series · scenario" (see :func:`artefact_name`)."""
        return " · ".join(p for p in (self.peak.series_name.strip(), self.peak.scenario.strip()) if p)


class TierRow(BaseModel):
    """One tier as typed in the sizing table (milliseconds; converted by ``capacity.tables.tiers_from_rows``)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    model: str | None = None
    service_ms: float | None = Field(None, gt=0)
    service_cv: float | None = Field(None, ge=0, le=10)
    arrival_cv: float | None = Field(None, ge=0, le=10)
    workers: float | None = Field(None, ge=1)
    price_per_hour: float | None = Field(None, ge=0)
    visit_ratio: float | None = Field(None, gt=0)
    usl_sigma: float | None = Field(None, ge=0, le=1)
    usl_kappa: float | None = Field(None, ge=0)
    usl_lambda: float | None = Field(None, gt=0)


class SizingInputs(BaseModel):
    """The sizing's scalar inputs: peak (requests/s), SLO (ms at percentile q), utilisation cap, AZs."""

    model_config = ConfigDict(extra="forbid")

    peak: float = Field(gt=0, description="peak arrival rate, requests/s (used when the chain has no forecast)")
    slo_ms: float = Field(gt=0)
    q: float = Field(gt=0, lt=1)
    cap: float = Field(gt=0, le=1)
    azs: int = Field(ge=1, le=10)
    scenario: str = Field("peak", max_length=60)


class SizingProvenance(BaseModel):
    """Where the sizing's inputs came from (shown next to every number; examples never reach the customer)."""

    model_config = ConfigDict(extra="forbid")

    peak: InputSource = InputSource.TYPED
    forecast_id: str | None = None
    quantile: Quantile | None = None
    tiers: InputSource = InputSource.CONFIRMED


class SizingDoc(Document):
    """A sizing scenario: tiers, SLO, cap, AZs and their provenance (results are recomputed, kept for export)."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.SIZING

    inputs: SizingInputs
    tiers: list[TierRow] = Field(default_factory=list)
    provenance: SizingProvenance = Field(default_factory=SizingProvenance)
    results: list[dict[str, Any]] = Field(default_factory=list, description="SizingResult as JSON, for export")
    rows: list[dict[str, Any]] = Field(default_factory=list, description="explained rows, for export")

    @property
    def confirmed(self) -> bool:
        """True when tiers exist and are not unconfirmed examples: only then may the chain use them."""
        return bool(self.tiers) and self.provenance.tiers is not InputSource.EXAMPLE

    def tier_dicts(self) -> list[dict[str, Any]]:
        """The tier rows as plain dicts for ``capacity.tables.tiers_from_rows``."""
        return [r.model_dump(exclude_none=True) for r in self.tiers]

    @property
    def name(self) -> str:
        """What the user knows it by: the scenario name typed on the Capacity page."""
        return self.inputs.scenario.strip()


def _architecture_text(text: str) -> str:
    """An architecture's YAML within the upload limit in force (``WORKBENCH_MAX_ARCHITECTURE_MB``, 32 MB by
    default): the same limit as the loader's, so a file the page accepted can always be saved."""
    from workbench.architecture.loader import max_bytes

    if len(text) > max_bytes():
        raise ValueError(f"the architecture text is longer than the file limit ({max_bytes():,} bytes)")
    return text


class ArchitectureDoc(Document):
    """One saved architecture version: its YAML, its parent version and the template it started from."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.ARCHITECTURE

    yaml: str
    name: str = Field("", max_length=500)
    created: dt.datetime | None = None
    parent: str | None = None
    template: str | None = Field(None, max_length=200, description="template file stem it came from, if any")

    @field_validator("yaml")
    @classmethod
    def _within_the_file_limit(cls, text: str) -> str:
        return _architecture_text(text)

    def check(self) -> None:
        from workbench.architecture.loader import load_architecture

        load_architecture(self.yaml)


class FindingsDoc(Document):
    """A version's review as saved with it: scores, open findings and the waiver set (waived findings)."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.FINDINGS

    architecture_version: str
    scores: dict[str, float | None] = Field(default_factory=dict)
    findings: list[dict[str, Any]] = Field(default_factory=list)
    waived: list[dict[str, Any]] = Field(default_factory=list)


class DraftDoc(Document):
    """Work in progress on a page, saved as it is edited so a refresh or another device finds it.

    Id ``architecture``: the editor's unsaved YAML (and the template it started from); id ``forecast``: the
    Forecast page's inputs.
    """

    KIND: ClassVar[ArtefactKind] = ArtefactKind.DRAFT

    yaml: str | None = None
    saved: dt.datetime
    template: str | None = None
    parent: str | None = None
    forecast: ForecastInputs | None = None

    @field_validator("yaml")
    @classmethod
    def _within_the_file_limit(cls, text: str | None) -> str | None:
        return None if text is None else _architecture_text(text)


class ChainSettings(Document):
    """What the advisor picked: which forecast and quantile, which sizing, which architecture, the mapping."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.CHAIN

    model_config = ConfigDict(extra="ignore")

    forecast_id: str | None = Field(None, description="forecast artefact whose peak drives the sizing; None = newest")
    use_forecast: bool = Field(True, description="False: size for the peak typed in on the sizing page")
    quantile: Quantile = Field("p95", description="which value of the peak: point, P80 or P95")
    sizing_id: str | None = Field(None, description="sizing artefact holding the tiers, SLO and caps")
    architecture_id: str | None = Field(None, description="architecture version; None = the newest")
    mapping: dict[str, str] = Field(default_factory=dict, description="tier name → component id")


class WorkshopSettings(Document):
    """Workshop-wide settings, kept (and exported) with the workshop."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.SETTINGS

    model_config = ConfigDict(extra="forbid")

    timezone: str | None = Field(None, max_length=64, description="IANA time zone (e.g. 'Asia/Shanghai') every "
                                 "time of the workshop is shown in; None: the viewer's browser zone")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value[:64]!r}") from exc
        return value

    def zone(self) -> ZoneInfo | None:
        """The zone, or None when the workshop leaves it to the viewer."""
        return ZoneInfo(self.timezone) if self.timezone else None


# Milestones ------------------------------------------------------------------------------------------------


class MilestoneFinding(BaseModel):
    """A finding as the milestone remembers it (title in the workshop's language at snapshot time)."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    components: list[str]
    severity: str
    pillar: str
    title: str
    subject: str | None = Field(None, description="Finding.subject; None in milestones saved before it existed")

    @property
    def legacy_key(self) -> str:
        """Rule and components: the key milestones saved before subjects carried."""
        return f"{self.rule_id}|{','.join(sorted(self.components))}"

    @property
    def key(self) -> str:
        """Rule, components and subject: unique within one milestone (see Finding.key)."""
        return self.legacy_key if not self.subject else f"{self.legacy_key}|{self.subject}"


class MilestoneRecovery(BaseModel):
    """Estimated RTO/RPO of one disruption against its targets."""

    model_config = ConfigDict(frozen=True)

    disruption: str
    target: str
    rto_minutes: float | None = Field(description="estimated RTO, minutes; None = until the lost domain returns")
    rto_target: float
    meets_rto: bool
    rpo_minutes: float | None
    rpo_target: float
    meets_rpo: bool


class MilestoneCapacity(BaseModel):
    """Key capacity numbers: the peak sized to and each tier's required vs current instances."""

    model_config = ConfigDict(frozen=True)

    peak_rps: float
    tiers: dict[str, int | None] = Field(default_factory=dict, description="tier → required instances")
    current: dict[str, int] = Field(default_factory=dict, description="tier → current instances (mapped)")


class Milestone(Document):
    """One snapshot."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.MILESTONE

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    date: dt.date
    created_at: dt.datetime
    architecture_version: str | None = None
    architecture_name: str | None = None
    scores: dict[str, float] = Field(default_factory=dict)
    overall: float | None = None
    findings: list[MilestoneFinding] = Field(default_factory=list)
    recovery: list[MilestoneRecovery] = Field(default_factory=list)
    capacity: MilestoneCapacity | None = None


# ---- registry, migration, validation ----------------------------------------------------------------------

_MODELS: dict[ArtefactKind, type[Document]] = {}
_MIGRATIONS: dict[tuple[ArtefactKind, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}
#: Modules that register further kinds when they exist (h-12's homework items register here).
EXTENSIONS = ("workbench.workshop.homework",)
_extensions_loaded = False


def register(model: type[D]) -> type[D]:
    """Register ``model`` as the document of ``model.KIND`` (usable as a class decorator)."""
    _MODELS[model.KIND] = model
    return model


def register_migration(kind: ArtefactKind, from_version: int) -> Callable[[Callable[[dict[str, Any]], dict[str, Any]]],
                                                                          Callable[[dict[str, Any]], dict[str, Any]]]:
    """Register a function turning ``kind``'s data at schema ``from_version`` into ``from_version + 1``."""
    def deco(fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
        _MIGRATIONS[(kind, from_version)] = fn
        return fn
    return deco


for _model in (DatasetDoc, ForecastDoc, SizingDoc, ArchitectureDoc, FindingsDoc, DraftDoc, ChainSettings, Milestone,
               WorkshopSettings):
    register(_model)


def _load_extensions() -> None:
    global _extensions_loaded
    if _extensions_loaded:
        return
    _extensions_loaded = True
    for name in EXTENSIONS:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def model_for(kind: ArtefactKind | str) -> type[Document] | None:
    """The document model of ``kind``, or None when no model is registered for it."""
    kind = ArtefactKind(kind)
    if kind not in _MODELS:
        _load_extensions()
    return _MODELS.get(kind)


def schema_of(kind: ArtefactKind | str) -> int:
    """The current schema version of ``kind``'s documents."""
    model = model_for(kind)
    return model.SCHEMA if model else 1


def migrate(kind: ArtefactKind | str, schema_version: int, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` brought from ``schema_version`` to the current schema of ``kind`` (unchanged when current).

    Documents written before provenance was recorded (sizing without ``provenance``) count as imported:
    the advisor saved them on purpose, so they are not examples.
    """
    kind = ArtefactKind(kind)
    current = schema_of(kind)
    version = schema_version
    while version < current:
        step = _MIGRATIONS.get((kind, version))
        if step is None:
            break
        data, version = step(data), version + 1
    if kind is ArtefactKind.SIZING and "provenance" not in data:
        data = {**data, "provenance": {"peak": InputSource.IMPORTED.value, "tiers": InputSource.IMPORTED.value}}
    return data


def _location(error: Any) -> str:
    return ".".join(str(p) for p in error.get("loc", ())) or "—"


def parse(kind: ArtefactKind | str, data: dict[str, Any], schema_version: int = 1, *,
          artefact_id: str = "?", deep: bool = False) -> Document:
    """The typed document of ``kind`` held by ``data`` (migrated); ``deep`` also runs :meth:`Document.check`.

    Raises :class:`InputError` ``errors.import.invalid_artefact`` naming kind, id, field and problem.
    """
    kind = ArtefactKind(kind)
    model = model_for(kind)
    if model is None:
        raise InputError("errors.import.unknown_kind", kind=kind.value, id=artefact_id)
    try:
        doc = model.model_validate(migrate(kind, schema_version, data))
        if deep:
            doc.check()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError("errors.import.invalid_artefact", kind=kind.value, id=artefact_id, field=_location(first),
                         detail=str(first.get("msg", ""))[:200], count=exc.error_count()) from exc
    except WorkbenchError as exc:
        raise InputError("errors.import.invalid_artefact", kind=kind.value, id=artefact_id, field="yaml",
                         detail=exc.key, count=1) from exc
    return doc


def validate_artefact(art: Artefact) -> Artefact:
    """``art`` with its data migrated to the current schema and checked against its model (deeply)."""
    doc = parse(art.kind, art.data, art.schema_version, artefact_id=art.id, deep=True)
    return art.model_copy(update={"data": dump(doc), "schema_version": doc.SCHEMA})


def validate_workshop(workshop: Workshop) -> Workshop:
    """Every artefact of ``workshop`` validated (and migrated); the first bad one raises :class:`InputError`."""
    return workshop.model_copy(update={"artefacts": [validate_artefact(a) for a in workshop.artefacts]})


def dump(doc: Document) -> dict[str, Any]:
    """The JSON-ready data of a document, as the store keeps it."""
    return doc.model_dump(mode="json", by_alias=True)


# ---- typed reading ---------------------------------------------------------------------------------------


def read(workshop: Workshop | None, model: type[D], artefact_id: str | None) -> D | None:
    """The document ``artefact_id`` of ``model``'s kind, or None when absent (or unreadable: logged by caller)."""
    if workshop is None or not artefact_id:
        return None
    art = workshop.artefact(model.KIND, artefact_id)
    if art is None:
        return None
    doc = parse(art.kind, art.data, art.schema_version, artefact_id=art.id)
    assert isinstance(doc, model)
    return doc


def read_all(workshop: Workshop | None, model: type[D]) -> list[tuple[Artefact, D]]:
    """All documents of ``model``'s kind, newest first, with their envelopes (id, times)."""
    if workshop is None:
        return []
    out: list[tuple[Artefact, D]] = []
    for art in workshop.artefacts_of(model.KIND):
        doc = parse(art.kind, art.data, art.schema_version, artefact_id=art.id)
        assert isinstance(doc, model)
        out.append((art, doc))
    return out


def newest(workshop: Workshop | None, model: type[D], wanted: str | None = None) -> tuple[str, D] | None:
    """``wanted`` when it exists, else the newest document of the kind, as (id, document); None when none."""
    if workshop is None:
        return None
    if wanted:
        doc = read(workshop, model, wanted)
        if doc is not None:
            return wanted, doc
    items = read_all(workshop, model)
    return (items[0][0].id, items[0][1]) if items else None


def chain_settings(workshop: Workshop | None) -> ChainSettings:
    """The workshop's chain settings, or the defaults (newest forecast, sizing and architecture; P95)."""
    return read(workshop, ChainSettings, CHAIN_ID) or ChainSettings()


def workshop_settings(workshop: Workshop | None) -> WorkshopSettings:
    """The workshop's settings, or the defaults (times in the viewer's zone)."""
    try:
        return read(workshop, WorkshopSettings, SETTINGS_ID) or WorkshopSettings()
    except WorkbenchError:  # an unreadable settings document: times fall back to the viewer's zone
        return WorkshopSettings()


def zone_of(data: dict[str, Any] | None) -> str | None:
    """The time zone named by a stored settings document's data, or None (absent, unreadable or left to the viewer)."""
    try:
        return WorkshopSettings.model_validate(data).timezone if data else None
    except ValidationError:
        return None
