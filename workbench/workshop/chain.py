"""The chain inside one workshop: forecast peak → sizing per tier → capacity on the architecture → review.

Orchestration only, no maths (design.md): the peak comes from a stored forecast (or is typed in),
:func:`workbench.capacity.sizing.size_tiers` sizes each tier, tiers are mapped to architecture
components (suggested by id, name and type), and the capacity facts join the architecture review as
plain :class:`ComponentCapacity` values, so ``architecture/`` never imports ``capacity/``.

Everything is a pure function of the stored documents; :func:`compute_chain` is memoised on their
JSON text, so a page that reruns with unchanged inputs does not recompute (and any changed input,
anywhere upstream, changes the key and recomputes everything downstream).
"""

from __future__ import annotations

import functools
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.findings import ComponentCapacity
from workbench.architecture.loader import load_architecture
from workbench.architecture.model import Architecture, Component
from workbench.architecture.review import Review, review_architecture
from workbench.capacity.models import LatencySLO, SizingResult, TierModel, TierSpec
from workbench.capacity.sizing import size_tiers
from workbench.capacity.tables import tiers_from_rows
from workbench.capacity.usl import usl_inverse, usl_peak
from workbench.errors import InputError, WorkbenchError
from workbench.i18n import t
from workbench.workshop.documents import (
    CHAIN_ID,
    ArchitectureDoc,
    ChainSettings,
    ForecastDoc,
    Quantile,
    SizingDoc,
    chain_settings,
    newest,
)
from workbench.workshop.models import Workshop
from workbench.workshop.safe_load import load_safely

__all__ = ["CHAIN_ID", "AZLoss", "ChainResult", "ChainSettings", "ComponentLoad", "Provenance", "chain_if_ready",
           "compute_chain", "load_rows", "load_settings", "suggest_mapping"]

# Which component types a tier name suggests (lower-case keywords → catalogue type keys).
_TYPE_HINTS: dict[str, tuple[str, ...]] = {
    "web": ("compute", "container_service", "serverless"),
    "app": ("compute", "container_service", "serverless"),
    "api": ("api_gateway", "compute", "container_service", "serverless"),
    "front": ("compute", "container_service"),
    "service": ("compute", "container_service", "serverless"),
    "db": ("relational_db", "nosql"),
    "mysql": ("relational_db",),
    "database": ("relational_db", "nosql"),
    "cache": ("cache",),
    "redis": ("cache",),
    "queue": ("message_queue",),
    "kafka": ("message_queue",),
    "mq": ("message_queue",),
    "search": ("search",),
    "lb": ("load_balancer",),
    "gateway": ("api_gateway",),
}


class Provenance(BaseModel):
    """Where each input came from, shown on every page of the chain."""

    model_config = ConfigDict(frozen=True)

    peak_source: Literal["forecast", "sizing"]
    forecast_id: str | None = None
    forecast_name: str | None = Field(None, description="what the user knows the forecast by: 'series · scenario'")
    scenario: str | None = None
    quantile: Quantile | None = None
    model: str | None = None
    origin: str | None = None
    sizing_id: str | None = None
    sizing_name: str | None = Field(None, description="the sizing scenario's name as typed")
    architecture_id: str | None = None
    architecture_name: str | None = None


class AZLoss(BaseModel):
    """Capacity of one component after losing one AZ: instances left against the need at the peak."""

    model_config = ConfigDict(frozen=True)

    az: str
    instances_left: int
    required: int
    fraction_of_need: float = Field(description="instances left / required at the peak (≥ 1 means enough)")


class ComponentLoad(BaseModel):
    """One mapped tier on its component: current vs required instances, utilisation, AZ-loss headroom."""

    model_config = ConfigDict(frozen=True)

    tier: str
    component_id: str
    component_name: str
    current_instances: int
    required_instances: int | None
    provisioned_for_az_loss: int | None = Field(
        description="instances to provision across the AZs so that losing one still leaves required_instances "
                    "(None for a single AZ)")
    utilisation_at_peak: float | None = Field(description="with the current instances (fraction)")
    az_loss: list[AZLoss] = Field(default_factory=list)
    autoscaling_max: int | None = None
    enough: bool | None = None


class ChainResult(BaseModel):
    """Everything downstream of the inputs: the peak, the sizing, the loads and the review."""

    model_config = ConfigDict(frozen=True)

    provenance: Provenance
    peak_rps: float
    unit: str = ""
    slo_ms: float
    slo_percentile: float
    util_cap: float
    azs: int
    sizing: list[SizingResult]
    loads: list[ComponentLoad]
    architecture: Architecture | None
    review: Review | None
    capacity_facts: dict[str, ComponentCapacity] = Field(default_factory=dict)

    def az_mismatches(self) -> dict[str, list[str]]:
        """Mapped components whose placement spans another number of AZs than the sizing spread its tiers over
        (component id → its AZs): the sizing's per-AZ counts and its total to survive an AZ loss assume
        :attr:`azs` AZs, so for these they describe another deployment than the customer's."""
        if self.architecture is None:
            return {}
        comps = {c.id: c for c in self.architecture.components}
        out: dict[str, list[str]] = {}
        for load in self.loads:
            comp = comps.get(load.component_id)
            zones = sorted({p.az for p in comp.placement if p.az}) if comp is not None else []
            if zones and len(zones) != self.azs:
                out[load.component_id] = zones
        return out


def load_settings(workshop: Workshop) -> ChainSettings:
    """The chain settings stored in the workshop, or defaults (newest forecast, sizing and architecture)."""
    return chain_settings(workshop)


def suggest_mapping(tiers: list[str], arch: Architecture) -> dict[str, str]:
    """Tier → component: same id, then a name containing the tier, then a type the tier's name suggests."""
    out: dict[str, str] = {}
    used: set[str] = set()

    def pick(candidates: list[Component]) -> str | None:
        for comp in candidates:
            if comp.id not in used:
                return comp.id
        return None

    for tier in tiers:
        key = tier.strip().lower()
        by_id = [c for c in arch.components if c.id.lower() == key]
        by_name = [c for c in arch.components if key and (key in c.id.lower() or key in c.name.lower())]
        types = next((v for k, v in _TYPE_HINTS.items() if k in key), ())
        by_type = [c for t in types for c in arch.components if c.type == t]
        chosen = pick(by_id) or pick(by_name) or pick(by_type)
        if chosen:
            out[tier] = chosen
            used.add(chosen)
    return out


def _az_losses(comp: Component, required: int | None) -> list[AZLoss]:
    if required is None or required <= 0:
        return []
    per_az: dict[str, int] = {}
    for place in comp.placement:
        if place.az:
            per_az[place.az] = per_az.get(place.az, 0) + place.count
    return [
        AZLoss(az=az, instances_left=comp.replicas - n, required=required,
               fraction_of_need=(comp.replicas - n) / required)
        for az, n in sorted(per_az.items())
    ]


def _utilisation(result: SizingResult, current: int) -> float | None:
    """Utilisation scales as 1/instances for a fixed load (ρ = λ·S / (c·m)): re-base the sizing's value."""
    if result.utilisation_at_peak is None or result.required_instances is None or current <= 0:
        return None
    return result.utilisation_at_peak * result.required_instances / current


def _usl_facts(tier: TierSpec, result: SizingResult, current: int) -> tuple[float | None, float | None]:
    """(N*, concurrency per instance at the peak) for a USL tier; the concurrency is None past the peak."""
    if tier.model is not TierModel.USL or not (tier.usl_sigma is not None and tier.usl_kappa and tier.usl_lambda):
        return None, None
    nstar = usl_peak(tier.usl_sigma, tier.usl_kappa, tier.usl_lambda)[0]
    if nstar is None:  # κ so small the curve has no representable peak
        return None, None
    per_instance = result.peak_rps / max(current, 1)
    needed = usl_inverse(tier.usl_sigma, tier.usl_kappa, tier.usl_lambda, per_instance, nstar)
    return nstar, (needed if needed is not None else nstar * 1.5)


@functools.lru_cache(maxsize=64)
def _compute(settings_json: str, forecast_json: str | None, sizing_json: str, arch_yaml: str | None,
             ids_json: str) -> ChainResult:
    settings = ChainSettings.model_validate_json(settings_json)
    ids = json.loads(ids_json)
    sizing = SizingDoc.model_validate_json(sizing_json)
    inputs = sizing.inputs
    if forecast_json is not None:
        forecast = ForecastDoc.model_validate_json(forecast_json)
        peak = forecast.peak
        peak_rps = forecast.peak_value(settings.quantile)
        provenance = Provenance(peak_source="forecast", forecast_id=ids["forecast"], scenario=peak.scenario,
                                forecast_name=forecast.name or ids["forecast"],
                                quantile=settings.quantile, model=peak.model.value, origin=peak.origin.isoformat(),
                                sizing_id=ids["sizing"], sizing_name=sizing.name or ids["sizing"])
        unit = peak.unit
    else:
        peak_rps = inputs.peak
        provenance = Provenance(peak_source="sizing", sizing_id=ids["sizing"], sizing_name=sizing.name or ids["sizing"])
        unit = ""
    tiers = tiers_from_rows(sizing.tier_dicts())
    slo = LatencySLO(percentile=inputs.q, target=inputs.slo_ms / 1e3)
    util_cap = inputs.cap
    azs = inputs.azs
    results = size_tiers(peak_rps, tiers, slo, util_cap, azs)

    arch = load_architecture(arch_yaml) if arch_yaml else None
    loads: list[ComponentLoad] = []
    facts: dict[str, ComponentCapacity] = {}
    if arch is not None:
        provenance = provenance.model_copy(update={"architecture_id": ids.get("architecture"),
                                                   "architecture_name": arch.name})
        mapping = {**suggest_mapping([t.name for t in tiers], arch), **settings.mapping}
        components = {c.id: c for c in arch.components}
        for tier, result in zip(tiers, results, strict=True):
            comp = components.get(mapping.get(tier.name, ""))
            if comp is None:
                continue
            util = _utilisation(result, comp.replicas)
            nstar, concurrency = _usl_facts(tier, result, comp.replicas)
            auto_max = comp.autoscaling.max if comp.autoscaling else None
            loads.append(ComponentLoad(
                tier=tier.name, component_id=comp.id, component_name=comp.name, current_instances=comp.replicas,
                required_instances=result.required_instances, provisioned_for_az_loss=result.instances_with_az_loss,
                utilisation_at_peak=util, az_loss=_az_losses(comp, result.required_instances),
                autoscaling_max=auto_max,
                enough=None if result.required_instances is None else comp.replicas >= result.required_instances,
            ))
            if result.required_instances is not None:
                facts[comp.id] = ComponentCapacity(
                    component_id=comp.id, current_instances=comp.replicas,
                    required_instances_at_peak=result.required_instances, utilisation_at_peak=util or 0.0,
                    # after an AZ loss the survivors need what the peak needs; the AZ-headroom total is separate
                    required_after_az_loss=result.required_instances,
                    provisioned_for_az_loss=result.instances_with_az_loss,
                    autoscaling_max=auto_max, usl_nstar=nstar, concurrency_at_peak=concurrency,
                )
    review = review_architecture(arch, capacity=facts or None) if arch is not None else None
    return ChainResult(provenance=provenance, peak_rps=peak_rps, unit=unit, slo_ms=slo.target * 1e3,
                       slo_percentile=slo.percentile, util_cap=util_cap, azs=azs, sizing=results, loads=loads,
                       architecture=arch, review=review, capacity_facts=facts)


def compute_chain(workshop: Workshop, settings: ChainSettings | None = None,
                  architecture_yaml: str | None = None) -> ChainResult:
    """Run the chain on the workshop's stored documents (memoised on their content).

    Needs a sizing scenario with tiers the advisor confirmed (example tiers never reach the customer);
    the forecast and the architecture are optional: without a forecast the sizing's typed-in peak is used,
    without an architecture there is no review.  ``architecture_yaml`` reviews a design being edited
    instead of a stored version.  Raises :class:`InputError` ``errors.chain.no_sizing`` when no sizing
    exists yet and ``errors.chain.no_tiers`` when its tiers are missing or unconfirmed examples.
    """
    settings = settings or load_settings(workshop)
    sizing = newest(workshop, SizingDoc, settings.sizing_id)
    if sizing is None:
        raise InputError("errors.chain.no_sizing")
    if not sizing[1].confirmed:
        raise InputError("errors.chain.no_tiers", sizing=sizing[1].name or sizing[0])
    forecast = newest(workshop, ForecastDoc, settings.forecast_id) if settings.use_forecast else None
    arch = newest(workshop, ArchitectureDoc, settings.architecture_id)
    arch_yaml = architecture_yaml if architecture_yaml is not None else (arch[1].yaml if arch else None)
    arch_id = "(editor)" if architecture_yaml is not None else (arch[0] if arch else None)
    ids = {"sizing": sizing[0], "forecast": forecast[0] if forecast else None, "architecture": arch_id}
    # a stored version that cannot be read (a 5,000-digit integer, say) is a typed error, never a crash
    result = load_safely(lambda: _compute(
        settings.model_dump_json(),
        forecast[1].model_dump_json() if forecast else None,
        sizing[1].model_dump_json(),
        arch_yaml,
        json.dumps(ids, sort_keys=True),
    ), kind="architecture", artefact_id=str(arch_id or ""))
    if isinstance(result, WorkbenchError):
        raise result
    return result


def chain_if_ready(workshop: Workshop, architecture_yaml: str | None = None) -> ChainResult | None:
    """:func:`compute_chain` with the saved settings, or None while a step is missing or not valid yet.

    For views that show the chain when there is one (the report, the milestone form, the architecture
    page) rather than explain why there is none.
    """
    result = load_safely(lambda: compute_chain(workshop, architecture_yaml=architecture_yaml), kind="chain")
    return None if isinstance(result, WorkbenchError) else result


def load_rows(chain: ChainResult, lang: str) -> list[dict[str, Any]]:
    """Per mapped component, for a table: current vs required instances, utilisation, each AZ loss."""
    rows = []
    for load in chain.loads:
        rows.append({
            t("report.tier", lang): load.tier,
            t("report.component", lang): load.component_id,
            t("report.current", lang): load.current_instances,
            t("report.required", lang): load.required_instances,
            t("report.total_for_az_loss", lang): load.provisioned_for_az_loss,
            t("report.utilisation", lang) + " %": None if load.utilisation_at_peak is None
            else round(load.utilisation_at_peak * 100, 1),
            t("report_page.az_loss", lang): "; ".join(
                f"{a.az}: {a.instances_left}/{a.required} ({a.fraction_of_need:.0%})" for a in load.az_loss) or "—",
        })
    return rows
