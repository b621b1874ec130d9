"""The component-type catalogue (``catalogue.yaml``): generic types, Tencent Cloud products, defaults.

What and why
    One data file, read once, gives every component its defaults: whether it holds state, the diagram
    shape, the failover/detection/rebuild/restore times used by the RTO estimate, and the published SLA
    with its source (research note §4.5).  A component overrides any of them in the architecture file.

Resolution order for a component's per-instance availability (:func:`effective_sla`):
    component ``sla`` → product ``sla_by_ha_mode[ha_mode]`` (when the key is present, even if null) →
    product ``sla`` → type ``sla`` → ``assumptions.default_instance_availability`` (flagged as assumed).
    A ``component.type`` may name a product directly (``type: cvm``); the product then supplies the type.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.model import Component

_PATH = Path(__file__).with_name("catalogue.yaml")


class SlaScope(StrEnum):
    INSTANCE = "instance"  # the figure is per instance: replicas combine in parallel
    SERVICE = "service"  # the figure covers the whole managed service in its failure domain


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Assumptions(_Frozen):
    az_availability: float = Field(gt=0, le=1, description="availability of one AZ (assumption, fraction)")
    region_availability: float = Field(gt=0, le=1, description="availability of one region (assumption, fraction)")
    default_instance_availability: float = Field(gt=0, le=1, description="used when no SLA is published")
    async_replication_lag_s: float = Field(ge=0, description="default async replication lag, seconds")
    manual_failover_min: float = Field(ge=0, description="human decision + action time, minutes")


class ComponentType(_Frozen):
    name: dict[str, str]
    stateful: bool
    shape: str = Field(description="Graphviz shape hint for the diagram")
    sla_scope: SlaScope
    detection_s: float = Field(ge=0, description="time to detect a failure (MTTD), seconds")
    failover_s: float = Field(ge=0, description="automatic failover time once detected, seconds")
    provision_min: float = Field(ge=0, description="time to rebuild an instance, minutes")
    restore_min: float = Field(ge=0, description="time to restore data from backup, minutes")
    sla: float | None = Field(default=None, gt=0, le=1)
    sla_source: str | None = None


class Product(_Frozen):
    name: dict[str, str]
    type: str
    provider: str | None = Field(default=None, description="tencent, aws… (None = generic)")
    docs: dict[str, str] = Field(default_factory=dict, description="language → the provider's documentation")
    topics: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="topic (spread, single_node, ha) → language → a page on that topic"
    )
    sla: float | None = Field(default=None, gt=0, le=1, description="published availability, fraction")
    sla_scope: SlaScope | None = None
    sla_by_ha_mode: dict[str, float | None] = Field(default_factory=dict)
    sla_source: str | None = None
    failover_s: float | None = Field(default=None, ge=0)
    detection_s: float | None = Field(default=None, ge=0)


class Catalogue(_Frozen):
    assumptions: Assumptions
    types: dict[str, ComponentType]
    products: dict[str, Product]
    services: dict[str, dict[str, dict[str, str]]] = Field(
        default_factory=dict, description="provider → service (monitoring, logging, waf, tracing) → language → URL"
    )

    def known_types(self) -> list[str]:
        """Every key a component's ``type`` may take: generic types then product keys."""
        return list(dict.fromkeys([*self.types, *self.products]))


class ResolvedSla(_Frozen):
    """A component's per-instance (or per-service) availability and where it comes from."""

    value: float = Field(gt=0, le=1, description="availability, fraction")
    source: str | None = Field(description="URL/document of the published figure, 'component' or None")
    assumed: bool = Field(description="True when no published figure exists and the default assumption is used")
    scope: SlaScope


@functools.cache
def load_catalogue() -> Catalogue:
    """The bundled catalogue (cached; it is package data, not user input)."""
    data = yaml.safe_load(_PATH.read_text(encoding="utf-8"))
    cat = Catalogue.model_validate(data)
    for key, product in cat.products.items():
        if product.type not in cat.types:  # guarded by a test; a broken data file must fail loudly
            raise ValueError(f"catalogue product {key} has unknown type {product.type}")
    return cat


def product_of(component: Component, cat: Catalogue | None = None) -> Product | None:
    cat = cat or load_catalogue()
    if component.product is not None and component.product in cat.products:
        return cat.products[component.product]
    return cat.products.get(component.type)


def type_of(component: Component, cat: Catalogue | None = None) -> ComponentType | None:
    """The generic type of a component (None when the type is unknown; the loader reports that)."""
    cat = cat or load_catalogue()
    if component.type in cat.types:
        return cat.types[component.type]
    product = product_of(component, cat)
    return cat.types.get(product.type) if product is not None else None


def type_key(component: Component, cat: Catalogue | None = None) -> str | None:
    """The generic type key ('relational_db', ...) of a component, or None when unknown."""
    cat = cat or load_catalogue()
    if component.type in cat.types:
        return component.type
    product = cat.products.get(component.type)
    return product.type if product is not None else None


def is_stateful(component: Component, cat: Catalogue | None = None) -> bool:
    if component.stateful is not None:
        return component.stateful
    ctype = type_of(component, cat)
    return ctype.stateful if ctype is not None else False


def shape_of(component: Component, cat: Catalogue | None = None) -> str:
    ctype = type_of(component, cat)
    return ctype.shape if ctype is not None else "box"


def sla_scope(component: Component, cat: Catalogue | None = None) -> SlaScope:
    product = product_of(component, cat)
    if product is not None and product.sla_scope is not None:
        return product.sla_scope
    ctype = type_of(component, cat)
    return ctype.sla_scope if ctype is not None else SlaScope.INSTANCE


def effective_sla(component: Component, cat: Catalogue | None = None) -> ResolvedSla:
    """The availability figure the maths uses for one instance (or the service), with its provenance."""
    cat = cat or load_catalogue()
    scope = sla_scope(component, cat)
    if component.sla is not None:
        return ResolvedSla(value=component.sla, source="component", assumed=False, scope=scope)
    product = product_of(component, cat)
    if product is not None:
        if component.ha_mode.value in product.sla_by_ha_mode:
            value = product.sla_by_ha_mode[component.ha_mode.value]
        else:
            value = product.sla
        if value is not None:
            return ResolvedSla(value=value, source=product.sla_source, assumed=False, scope=scope)
    ctype = type_of(component, cat)
    if product is None and ctype is not None and ctype.sla is not None:
        return ResolvedSla(value=ctype.sla, source=ctype.sla_source, assumed=False, scope=scope)
    return ResolvedSla(value=cat.assumptions.default_instance_availability, source=None, assumed=True, scope=scope)


def detection_s(component: Component, cat: Catalogue | None = None) -> float:
    """Time to detect a failure (MTTD), seconds: component → product → type → 60 s."""
    if component.failover.detection_s is not None:
        return component.failover.detection_s
    product = product_of(component, cat)
    if product is not None and product.detection_s is not None:
        return product.detection_s
    ctype = type_of(component, cat)
    return ctype.detection_s if ctype is not None else 60.0


def failover_s(component: Component, cat: Catalogue | None = None) -> float:
    """Automatic failover time once detected, seconds: component → product → type → 120 s."""
    if component.failover.time_s is not None:
        return component.failover.time_s
    product = product_of(component, cat)
    if product is not None and product.failover_s is not None:
        return product.failover_s
    ctype = type_of(component, cat)
    return ctype.failover_s if ctype is not None else 120.0


def provision_min(component: Component, cat: Catalogue | None = None) -> float:
    ctype = type_of(component, cat)
    return ctype.provision_min if ctype is not None else 30.0


def restore_min(component: Component, cat: Catalogue | None = None) -> float:
    if component.backup is not None and component.backup.restore_minutes is not None:
        return component.backup.restore_minutes
    ctype = type_of(component, cat)
    return ctype.restore_min if ctype is not None else 60.0


def provider_docs(component: Component, topic: str | None = None, cat: Catalogue | None = None) -> dict[str, str]:
    """The provider's own documentation for the component's product family, per language (en / zh-CN).

    A page on ``topic`` (e.g. ``spread``) wins where the catalogue has one for that language; otherwise the product's
    documentation root.  Empty for generic types (no provider): the rule's framework reference applies alone.
    """
    product = product_of(component, cat)
    if product is None or product.provider is None:
        return {}
    out = dict(product.docs)
    if topic is not None:
        out.update(product.topics.get(topic, {}))
    return out


def service_docs(component: Component, service: str, cat: Catalogue | None = None) -> dict[str, str]:
    """The provider's documentation of a cross-cutting service (monitoring, logging, WAF, tracing) for a component
    of that provider; empty for generic types."""
    cat = cat or load_catalogue()
    product = product_of(component, cat)
    if product is None or product.provider is None:
        return {}
    return dict(cat.services.get(product.provider, {}).get(service, {}))
