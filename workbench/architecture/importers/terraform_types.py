"""Terraform resource types → architecture components: one small function per resource family.

What and why
    Each function reads the attributes of one resource instance (the ``values`` object of ``terraform show
    -json``, JSON Output Format, "values representation") and returns a :class:`Spec`: the catalogue type
    and product, where the instance runs (AZs, or the region for a regional managed service), how many
    replicas, and the HA facts the resource states.  Facts the resource does not state are *assumed* and
    each assumption names its rule (a report entry), e.g. "Multi-AZ RDS: the standby's AZ is chosen by AWS,
    placed region-wide".

    Attribute names follow the provider schemas:
    - tencentcloud (registry.terraform.io/tencentcloudstack/tencentcloud): ``tencentcloud_instance``
      (availability_zone), ``tencentcloud_clb_instance`` (network_type OPEN|INTERNAL, master_zone_id,
      slave_zone_id), ``tencentcloud_mysql_instance`` (availability_zone, first_slave_zone,
      second_slave_zone, slave_sync_mode 0 async / 1 semi-sync / 2 strong sync), ``tencentcloud_redis_instance``
      (availability_zone, replica_zone_ids, replicas_num, redis_shard_num), ``tencentcloud_ckafka_instance``
      (zone_id, multi_zone_flag, zone_ids), ``tencentcloud_cos_bucket`` (acl, encryption_algorithm),
      ``tencentcloud_kubernetes_cluster`` (worker_config[].availability_zone/count),
      ``tencentcloud_kubernetes_node_pool`` (subnet_ids, desired_capacity, min_size, max_size);
    - aws (registry.terraform.io/hashicorp/aws): ``aws_instance``, ``aws_lb`` (internal, subnets),
      ``aws_db_instance`` (multi_az, backup_retention_period, storage_encrypted),
      ``aws_elasticache_replication_group`` (num_cache_clusters, preferred_cache_cluster_azs,
      automatic_failover_enabled, multi_az_enabled), ``aws_autoscaling_group`` (vpc_zone_identifier,
      min_size, max_size, desired_capacity), ``aws_msk_cluster``, ``aws_eks_node_group`` ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SUPPORTED_PROVIDERS = ("tencentcloud", "aws")


@dataclass
class Spec:
    """What one resource instance contributes to a component."""

    type: str
    product: str | None = None
    azs: list[str] = field(default_factory=list)  # AZ per replica group (repeated AZ = several replicas there)
    counts: list[int] = field(default_factory=list)  # replicas per entry of ``azs`` (1 each when empty)
    regional: int = 0  # replicas placed region-wide (managed service spread by the provider)
    ha_mode: str | None = None
    replication: str | None = None
    autoscaling: tuple[int, int] | None = None
    failover_manual: bool = False
    public: bool = False
    encryption_at_rest: bool = False
    encryption_in_transit: bool = False
    backup_h: float | None = None
    name: str = ""
    assumed: list[tuple[str, dict[str, str | int | float]]] = field(default_factory=list)
    subnets: list[str] = field(default_factory=list)  # subnet ids whose AZs the replicas use


Values = dict[str, Any]


def _s(v: Values, key: str) -> str:
    x = v.get(key)
    return x if isinstance(x, str) else ""


def _i(v: Values, key: str, default: int = 0) -> int:
    x = v.get(key)
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, int):
        return x
    if isinstance(x, str) and x.strip().isdigit():
        return int(x)
    return default


def _list(v: Values, key: str) -> list[Any]:
    x = v.get(key)
    return x if isinstance(x, list) else []


def _strs(v: Values, key: str) -> list[str]:
    return [x for x in _list(v, key) if isinstance(x, str) and x]


def _block(v: Values, key: str) -> Values:
    """The first element of a nested block (providers encode single blocks as one-element lists)."""
    x = v.get(key)
    if isinstance(x, list) and x and isinstance(x[0], dict):
        return x[0]
    return x if isinstance(x, dict) else {}


# --- tencentcloud -------------------------------------------------------------------------------------

TENCENT_ZONE_REGIONS = {
    10: "ap-guangzhou", 20: "ap-shanghai", 80: "ap-beijing", 16: "ap-chengdu", 19: "ap-chongqing",
    33: "ap-nanjing", 30: "ap-hongkong", 90: "ap-singapore", 15: "na-siliconvalley", 70: "eu-frankfurt",
}
"""Numeric Tencent Cloud zone ids (TencentDB for Redis ``replica_zone_ids``, CKafka ``zone_id``/``zone_ids``):
``100003`` is ``ap-guangzhou-3`` (region code ``id // 10000``, zone number ``id % 10000``)."""


def tencent_zone(value: Any) -> str:
    """A zone name from a name or a numeric zone id; an unknown numeric id becomes ``zone-<id>``."""
    if isinstance(value, bool):
        return ""
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    if not text.isdigit():
        return text
    n = int(text)
    region = TENCENT_ZONE_REGIONS.get(n // 10000)
    return f"{region}-{n % 10000}" if region else f"zone-{n}"


def _zones(v: Values, key: str) -> list[str]:
    return [z for z in (tencent_zone(x) for x in _list(v, key)) if z]



def _cvm(v: Values) -> Spec:
    return Spec("compute", "cvm", azs=[_s(v, "availability_zone")], name=_s(v, "instance_name"),
                subnets=[_s(v, "subnet_id")], public=bool(v.get("allocate_public_ip")))


def _clb(v: Values) -> Spec:
    zones = [z for z in (_s(v, "master_zone_id"), _s(v, "slave_zone_id")) if z]
    spec = Spec("load_balancer", "clb", name=_s(v, "clb_name"), public=_s(v, "network_type").upper() == "OPEN")
    if zones:
        spec.azs = zones
        spec.ha_mode = "multi_az" if len(set(zones)) > 1 else None
    else:
        spec.regional = 1
        spec.ha_mode = "multi_az"
        spec.assumed.append(("architecture_import.assume.clb_regional", {}))
    return spec


def _mysql(v: Values) -> Spec:
    primary = _s(v, "availability_zone")
    slaves = [z for z in (_s(v, "first_slave_zone"), _s(v, "second_slave_zone")) if z]
    if not slaves:  # two-node edition: the standby is in the primary's AZ unless slave_deploy_mode says otherwise
        slaves = [primary]
        spec_assume: list[tuple[str, dict[str, str | int | float]]] = [
            ("architecture_import.assume.mysql_standby_same_az", {})]
    else:
        spec_assume = []
    three = bool(_s(v, "second_slave_zone"))
    sync = {0: "async", 1: "async", 2: "sync"}.get(_i(v, "slave_sync_mode", 0), "async")
    spec = Spec("relational_db", "tencentdb_mysql_three_node" if three else "tencentdb_mysql",
                azs=[primary, *slaves], name=_s(v, "instance_name"), replication=sync,
                ha_mode="multi_az" if any(z != primary for z in slaves) else "primary_standby",
                public=bool(v.get("internet_service")), subnets=[], backup_h=24.0, assumed=spec_assume)
    if _i(v, "slave_sync_mode", 0) == 1:
        spec.assumed.append(("architecture_import.assume.semi_sync", {}))
    spec.assumed.append(("architecture_import.assume.daily_backup", {}))
    return spec


def _mysql_ro(v: Values) -> Spec:
    return Spec("relational_db", "tencentdb_mysql", azs=[_s(v, "zone") or _s(v, "availability_zone")],
                name=_s(v, "instance_name"), replication="async")


def _redis(v: Values) -> Spec:
    primary = _s(v, "availability_zone")
    replicas = _i(v, "redis_replicas_num", _i(v, "replicas_num", 1))  # replicas_num is the deprecated name
    zones = _zones(v, "replica_zone_ids")
    azs = [primary] + (zones if zones else [primary] * replicas)
    spec = Spec("cache", "redis", azs=azs, name=_s(v, "name"), replication="async")
    spec.ha_mode = "cluster" if _i(v, "redis_shard_num", 1) > 1 else (
        "multi_az" if any(z != primary for z in azs) else ("primary_standby" if len(azs) > 1 else None))
    if not zones and replicas:
        spec.assumed.append(("architecture_import.assume.replicas_same_az", {"count": replicas}))
    return spec


def _ckafka(v: Values) -> Spec:
    zones = _zones(v, "zone_ids") if v.get("multi_zone_flag") else []
    zone = tencent_zone(v.get("zone_id"))
    azs = zones or [zone]
    spec = Spec("message_queue", "ckafka", azs=azs, name=_s(v, "instance_name"), replication="sync",
                ha_mode="multi_az" if len(set(azs)) > 1 else "cluster")
    return spec


def _cos(v: Values) -> Spec:
    spec = Spec("object_storage", "cos", regional=1, name=_s(v, "bucket"), ha_mode="multi_az" if v.get("multi_az")
                else None, public=_s(v, "acl").startswith("public"),
                encryption_at_rest=bool(_s(v, "encryption_algorithm")))
    return spec


def _tke(v: Values) -> Spec:
    workers = [w for w in _list(v, "worker_config") if isinstance(w, dict)]
    spec = Spec("container_service", "tke", name=_s(v, "cluster_name"), ha_mode="active_active")
    for w in workers:
        spec.azs.append(_s(w, "availability_zone"))
        spec.counts.append(max(_i(w, "count", 1), 1))
        if _s(w, "subnet_id"):
            spec.subnets.append(_s(w, "subnet_id"))
    if not workers:
        spec.regional = 1
        spec.assumed.append(("architecture_import.assume.cluster_without_workers", {}))
    return spec


def _node_pool(v: Values) -> Spec:
    desired = max(_i(v, "desired_capacity", _i(v, "min_size", 1)), 1)
    spec = Spec("container_service", "tke", name=_s(v, "name"), subnets=_strs(v, "subnet_ids"),
                ha_mode="active_active")
    spec.counts = [desired]
    if v.get("enable_auto_scale", True) and _i(v, "max_size", 0) >= 1:
        spec.autoscaling = (_i(v, "min_size", 0), max(_i(v, "max_size", 1), _i(v, "min_size", 0)))
    return spec


# --- aws ----------------------------------------------------------------------------------------------


def _ec2(v: Values) -> Spec:
    return Spec("compute", azs=[_s(v, "availability_zone")], subnets=[_s(v, "subnet_id")],
                name=str((v.get("tags") or {}).get("Name", "")) if isinstance(v.get("tags"), dict) else "",
                public=bool(v.get("associate_public_ip_address")))


def _alb(v: Values) -> Spec:
    subnets = _strs(v, "subnets") or [_s(m, "subnet_id") for m in _list(v, "subnet_mapping") if isinstance(m, dict)]
    spec = Spec("load_balancer", name=_s(v, "name"), public=not v.get("internal", False), subnets=subnets,
                ha_mode="active_active")
    if not subnets:
        spec.regional = 1
    return spec


def _rds(v: Values) -> Spec:
    multi = bool(v.get("multi_az"))
    spec = Spec("relational_db", name=_s(v, "identifier"), encryption_at_rest=bool(v.get("storage_encrypted")),
                public=bool(v.get("publicly_accessible")))
    if multi:
        spec.regional, spec.ha_mode, spec.replication = 2, "multi_az", "sync"
        spec.assumed.append(("architecture_import.assume.rds_multi_az", {}))
    else:
        spec.azs = [_s(v, "availability_zone")]
    if _i(v, "backup_retention_period", 0) > 0:
        spec.backup_h = 24.0
        spec.assumed.append(("architecture_import.assume.daily_backup", {}))
    return spec


def _aurora(v: Values) -> Spec:
    zones = _strs(v, "availability_zones")
    return Spec("relational_db", name=_s(v, "cluster_identifier"), azs=zones, regional=0 if zones else 2,
                ha_mode="multi_az", replication="sync", encryption_at_rest=bool(v.get("storage_encrypted")))


def _elasticache_rg(v: Values) -> Spec:
    n = max(_i(v, "num_cache_clusters", _i(v, "number_cache_clusters", 1)), 1)
    zones = _strs(v, "preferred_cache_cluster_azs")
    spec = Spec("cache", name=_s(v, "replication_group_id"), replication="async",
                encryption_at_rest=bool(v.get("at_rest_encryption_enabled")),
                encryption_in_transit=bool(v.get("transit_encryption_enabled")),
                failover_manual=not v.get("automatic_failover_enabled", False))
    if zones:
        spec.azs = (zones * n)[:n] if len(zones) < n else zones[:n]
    else:
        spec.regional = n
        spec.assumed.append(("architecture_import.assume.azs_chosen_by_provider", {"count": n}))
    spec.ha_mode = "multi_az" if v.get("multi_az_enabled") else ("primary_standby" if n > 1 else None)
    return spec


def _elasticache(v: Values) -> Spec:
    return Spec("cache", name=_s(v, "cluster_id"), azs=[_s(v, "availability_zone")],
                counts=[max(_i(v, "num_cache_nodes", 1), 1)])


def _asg(v: Values) -> Spec:
    desired = _i(v, "desired_capacity", _i(v, "min_size", 1))
    spec = Spec("compute", name=_s(v, "name"), subnets=_strs(v, "vpc_zone_identifier"), ha_mode="active_active",
                autoscaling=(_i(v, "min_size", 0), max(_i(v, "max_size", 1), 1)))
    spec.counts = [max(desired, 1)]
    if not spec.subnets:
        spec.azs = _strs(v, "availability_zones")
    return spec


def _msk(v: Values) -> Spec:
    info = _block(v, "broker_node_group_info")
    return Spec("message_queue", name=_s(v, "cluster_name"), subnets=_strs(info, "client_subnets"),
                counts=[max(_i(v, "number_of_broker_nodes", 3), 1)], ha_mode="cluster", replication="sync")


def _eks_nodes(v: Values) -> Spec:
    sc = _block(v, "scaling_config")
    spec = Spec("container_service", name=_s(v, "node_group_name"), subnets=_strs(v, "subnet_ids"),
                counts=[max(_i(sc, "desired_size", 1), 1)], ha_mode="active_active")
    if sc:
        spec.autoscaling = (_i(sc, "min_size", 0), max(_i(sc, "max_size", 1), 1))
    return spec


def _regional(type_: str, product: str | None = None, name_key: str = "name") -> Callable[[Values], Spec]:
    def build(v: Values) -> Spec:
        return Spec(type_, product, regional=1, name=_s(v, name_key))

    return build


def _global(type_: str, product: str | None = None, name_key: str = "name") -> Callable[[Values], Spec]:
    def build(v: Values) -> Spec:
        return Spec(type_, product, name=_s(v, name_key))

    return build


COMPONENT_TYPES: dict[str, Callable[[Values], Spec]] = {
    "tencentcloud_instance": _cvm,
    "tencentcloud_clb_instance": _clb,
    "tencentcloud_mysql_instance": _mysql,
    "tencentcloud_mysql_readonly_instance": _mysql_ro,
    "tencentcloud_redis_instance": _redis,
    "tencentcloud_ckafka_instance": _ckafka,
    "tencentcloud_cos_bucket": _cos,
    "tencentcloud_kubernetes_cluster": _tke,
    "tencentcloud_kubernetes_node_pool": _node_pool,
    "tencentcloud_scf_function": _regional("serverless", "scf"),
    "tencentcloud_elasticsearch_instance": _regional("search", "es", "instance_name"),
    "tencentcloud_cdn_domain": _global("cdn", "cdn", "domain"),
    "tencentcloud_dnspod_record": _global("dns", "dnspod", "domain"),
    "aws_instance": _ec2,
    "aws_lb": _alb,
    "aws_alb": _alb,
    "aws_db_instance": _rds,
    "aws_rds_cluster": _aurora,
    "aws_elasticache_replication_group": _elasticache_rg,
    "aws_elasticache_cluster": _elasticache,
    "aws_autoscaling_group": _asg,
    "aws_msk_cluster": _msk,
    "aws_eks_cluster": _regional("container_service", None),
    "aws_eks_node_group": _eks_nodes,
    "aws_s3_bucket": _regional("object_storage", None, "bucket"),
    "aws_dynamodb_table": _regional("nosql"),
    "aws_sqs_queue": _regional("message_queue"),
    "aws_lambda_function": _regional("serverless", None, "function_name"),
    "aws_api_gateway_rest_api": _regional("api_gateway"),
    "aws_apigatewayv2_api": _regional("api_gateway"),
    "aws_opensearch_domain": _regional("search", None, "domain_name"),
    "aws_cloudfront_distribution": _global("cdn", None, "comment"),
    "aws_route53_zone": _global("dns"),
}
"""Resource types that become components."""

SUBNET_TYPES = {"tencentcloud_subnet", "aws_subnet"}
"""Resource types that place things in an AZ (their ``availability_zone``)."""

NETWORK_TYPES = {"tencentcloud_vpc", "aws_vpc"}
"""Recognised as the network that holds the subnets; no component of their own."""

LISTENER_TYPES = {"tencentcloud_clb_listener", "tencentcloud_clb_listener_rule", "aws_lb_listener",
                  "aws_alb_listener", "aws_lb_listener_rule", "aws_lb_target_group", "aws_alb_target_group"}
"""Glue between a load balancer and its targets: they give links and TLS, not components."""

ATTACHMENT_TYPES = {"tencentcloud_clb_attachment", "aws_lb_target_group_attachment",
                    "aws_alb_target_group_attachment", "aws_autoscaling_attachment"}
"""Attach targets to a load balancer (or its target group): each gives a link."""
