"""Groups of catalogue types the rules reason about (``relational_db`` is a data store, ``cvm`` is compute…).

The types themselves, and which are stateful, come from A's ``catalogue.yaml`` through ``catalogue.py``;
this module only names the groups a rule applies to, so each rule reads like its sentence.
"""

from __future__ import annotations

from workbench.architecture import catalogue
from workbench.architecture.model import Component

LOAD_BALANCER = "load_balancer"
API_GATEWAY = "api_gateway"
COMPUTE = "compute"
CONTAINER = "container_service"
SERVERLESS = "serverless"
CACHE = "cache"
RELATIONAL_DB = "relational_db"
NOSQL = "nosql"
MESSAGE_QUEUE = "message_queue"
OBJECT_STORAGE = "object_storage"
CDN = "cdn"
DNS = "dns"
SEARCH = "search"
UNKNOWN = "unknown"

DATA_STORES = frozenset({CACHE, RELATIONAL_DB, NOSQL, MESSAGE_QUEUE, SEARCH})
"""Stores whose nodes the design places itself (object storage is a regional managed service)."""
PERSISTENT = frozenset({RELATIONAL_DB, NOSQL, SEARCH, OBJECT_STORAGE})
"""Stores that keep the system of record (a cache or a queue is not one)."""
BACKED_UP = frozenset({RELATIONAL_DB, NOSQL, SEARCH})
"""Stores expected to have scheduled backups (REL09-BP01, Tencent SSA 'MySQL should enable backup')."""
SCALABLE_COMPUTE = frozenset({COMPUTE, CONTAINER})
"""Stateless compute the design scales itself (serverless scales by the platform)."""
ZONAL_STATELESS = frozenset({LOAD_BALANCER, API_GATEWAY, COMPUTE, CONTAINER})
"""Stateless tiers whose instances sit in AZs."""
ROUTERS = frozenset({LOAD_BALANCER, API_GATEWAY, CDN, DNS})
"""Types that route requests to healthy backends rather than process them."""
HTTP_ENTRY = frozenset({LOAD_BALANCER, API_GATEWAY, COMPUTE, CONTAINER, SERVERLESS, CDN})
"""Types that serve HTTP(S) to the Internet when public (WAF/auth apply)."""


def kind_of(c: Component) -> str:
    """The generic catalogue type key, or ``unknown`` (the loader reports unknown types separately)."""
    return catalogue.type_key(c) or UNKNOWN


def is_stateful(c: Component) -> bool:
    """Declared ``stateful``, else the catalogue default of the type."""
    return catalogue.is_stateful(c)
