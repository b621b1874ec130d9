"""Write the Terraform fixtures as ``terraform show -json`` writes them (one line of compact JSON).

Format: Terraform "JSON Output Format" (https://developer.hashicorp.com/terraform/internals/json-format):
a plan carries ``planned_values``, ``resource_changes`` and ``configuration`` (expressions with their
``references``); a state carries ``values`` whose resources list ``depends_on``.  Attribute names follow the
tencentcloud (tencentcloudstack/tencentcloud) and aws (hashicorp/aws) provider schemas.  Also usable as a
library: :func:`state_of_size` builds a large state for the benchmark.

Run ``python sample_data/imports/make_terraform.py`` to regenerate the files next to this script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "terraform"
TC = "registry.terraform.io/tencentcloudstack/tencentcloud"
AWS = "registry.terraform.io/hashicorp/aws"
GOOGLE = "registry.terraform.io/hashicorp/google"


def _res(address: str, type_: str, name: str, provider: str, values: dict[str, Any], index: Any = None,
         depends_on: list[str] | None = None) -> dict[str, Any]:
    r: dict[str, Any] = {"address": address, "mode": "managed", "type": type_, "name": name}
    if index is not None:
        r["index"] = index
    r |= {"provider_name": provider, "schema_version": 0, "values": values, "sensitive_values": {}}
    if depends_on:
        r["depends_on"] = depends_on
    return r


def _cfg(address: str, type_: str, name: str, key: str, refs: dict[str, list[str]],
         count: int | None = None, for_each: list[str] | None = None, depends_on: list[str] | None = None,
         consts: dict[str, Any] | None = None) -> dict[str, Any]:
    expressions: dict[str, Any] = {k: {"constant_value": v} for k, v in (consts or {}).items()}
    expressions |= {k: {"references": v} for k, v in refs.items()}
    c: dict[str, Any] = {"address": address, "mode": "managed", "type": type_, "name": name,
                         "provider_config_key": key, "expressions": expressions, "schema_version": 0}
    if count is not None:
        c["count_expression"] = {"constant_value": count}
    if for_each is not None:
        c["for_each_expression"] = {"references": for_each}
    if depends_on:
        c["depends_on"] = depends_on
    return c


def tencent_plan() -> dict[str, Any]:
    """A shop on Tencent Cloud, Guangzhou zones 3 and 4: CLB → 2×CVM (count) → MySQL/Redis, CKafka, COS, TKE."""
    zones = {"gz3": "ap-guangzhou-3", "gz4": "ap-guangzhou-4"}
    res = [
        _res("tencentcloud_vpc.main", "tencentcloud_vpc", "main", TC,
             {"cidr_block": "10.0.0.0/16", "name": "shop-vpc", "is_multicast": False, "tags": None}),
    ]
    for key, az in zones.items():
        res.append(_res(f'tencentcloud_subnet.app["{key}"]', "tencentcloud_subnet", "app", TC,
                        {"availability_zone": az, "cidr_block": f"10.0.{3 if key == 'gz3' else 4}.0/24",
                         "name": f"shop-app-{key}", "is_multicast": False, "tags": None}, index=key))
    res.append(_res("tencentcloud_clb_instance.web", "tencentcloud_clb_instance", "web", TC,
                    {"clb_name": "shop-clb", "network_type": "OPEN", "master_zone_id": "ap-guangzhou-3",
                     "slave_zone_id": "ap-guangzhou-4", "project_id": 0, "tags": None}))
    res.append(_res("tencentcloud_clb_listener.https", "tencentcloud_clb_listener", "https", TC,
                    {"listener_name": "https", "port": 443, "protocol": "HTTPS",
                     "certificate_ssl_mode": "UNIDIRECTIONAL"}))
    for i in range(2):
        az = "ap-guangzhou-3" if i == 0 else "ap-guangzhou-4"
        res.append(_res(f"tencentcloud_instance.web[{i}]", "tencentcloud_instance", "web", TC,
                        {"availability_zone": az, "instance_name": f"shop-web-{i}", "instance_type": "S5.LARGE8",
                         "image_id": "img-9qabwvbn", "allocate_public_ip": False, "system_disk_type": "CLOUD_PREMIUM",
                         "system_disk_size": 50, "tags": None}, index=i))
    res.append(_res("tencentcloud_clb_attachment.web", "tencentcloud_clb_attachment", "web", TC,
                    {"protocol_type": "HTTPS", "targets": [{"port": 80, "weight": 10}, {"port": 80, "weight": 10}]}))
    res.append(_res("tencentcloud_mysql_instance.orders", "tencentcloud_mysql_instance", "orders", TC,
                    {"instance_name": "shop-orders", "engine_version": "8.0", "availability_zone": "ap-guangzhou-3",
                     "first_slave_zone": "ap-guangzhou-4", "slave_deploy_mode": 1, "slave_sync_mode": 2,
                     "mem_size": 8000, "volume_size": 200, "internet_service": 0, "charge_type": "POSTPAID",
                     "root_password": None, "tags": None}))
    res.append(_res("tencentcloud_redis_instance.session", "tencentcloud_redis_instance", "session", TC,
                    {"name": "shop-session", "availability_zone": "ap-guangzhou-3", "type_id": 7, "mem_size": 4096,
                     "redis_shard_num": 1, "redis_replicas_num": 1, "replica_zone_ids": [100004],
                     "port": 6379, "tags": None}))
    res.append(_res("tencentcloud_ckafka_instance.events", "tencentcloud_ckafka_instance", "events", TC,
                    {"instance_name": "shop-events", "zone_id": 100003, "multi_zone_flag": True,
                     "zone_ids": [100003, 100004], "band_width": 40, "disk_size": 500,
                     "partition": 400, "period": 1, "tags": None}))
    res.append(_res("tencentcloud_cos_bucket.images", "tencentcloud_cos_bucket", "images", TC,
                    {"bucket": "shop-images-1250000000", "acl": "private", "encryption_algorithm": "AES256",
                     "versioning_enable": True, "multi_az": True, "tags": None}))
    res.append(_res("tencentcloud_kubernetes_cluster.apps", "tencentcloud_kubernetes_cluster", "apps", TC,
                    {"cluster_name": "shop-apps", "cluster_version": "1.30.0", "cluster_deploy_type": "MANAGED_CLUSTER",
                     "worker_config": [], "tags": None}))
    res.append(_res("tencentcloud_kubernetes_node_pool.workers", "tencentcloud_kubernetes_node_pool", "workers", TC,
                    {"name": "shop-workers", "max_size": 12, "min_size": 3, "desired_capacity": 4,
                     "enable_auto_scale": True, "node_os": "tlinux3.1x86_64", "tags": None}))
    res.append(_res("tencentcloud_security_group.web", "tencentcloud_security_group", "web", TC,
                    {"name": "shop-web", "description": "web tier", "project_id": 0, "tags": None}))
    key = "tencentcloud"
    cfg = [
        _cfg("tencentcloud_vpc.main", "tencentcloud_vpc", "main", key, {}, consts={"cidr_block": "10.0.0.0/16"}),
        _cfg("tencentcloud_subnet.app", "tencentcloud_subnet", "app", key,
             {"vpc_id": ["tencentcloud_vpc.main.id", "tencentcloud_vpc.main"], "availability_zone": ["each.value"]},
             for_each=["local.zones"]),
        _cfg("tencentcloud_clb_instance.web", "tencentcloud_clb_instance", "web", key,
             {"vpc_id": ["tencentcloud_vpc.main.id", "tencentcloud_vpc.main"]}),
        _cfg("tencentcloud_clb_listener.https", "tencentcloud_clb_listener", "https", key,
             {"clb_id": ["tencentcloud_clb_instance.web.id", "tencentcloud_clb_instance.web"]}),
        _cfg("tencentcloud_instance.web", "tencentcloud_instance", "web", key,
             {"subnet_id": ['tencentcloud_subnet.app["gz3"].id', "tencentcloud_subnet.app"],
              "orders_db": ["tencentcloud_mysql_instance.orders.intranet_ip", "tencentcloud_mysql_instance.orders"],
              "session_cache": ["tencentcloud_redis_instance.session.ip", "tencentcloud_redis_instance.session"],
              "security_groups": ["tencentcloud_security_group.web.id", "tencentcloud_security_group.web"]},
             count=2, depends_on=["tencentcloud_ckafka_instance.events"]),
        _cfg("tencentcloud_clb_attachment.web", "tencentcloud_clb_attachment", "web", key,
             {"clb_id": ["tencentcloud_clb_instance.web.id", "tencentcloud_clb_instance.web"],
              "listener_id": ["tencentcloud_clb_listener.https.listener_id", "tencentcloud_clb_listener.https"],
              "targets": ["tencentcloud_instance.web[0].id", "tencentcloud_instance.web[1].id",
                          "tencentcloud_instance.web"]}),
        _cfg("tencentcloud_mysql_instance.orders", "tencentcloud_mysql_instance", "orders", key,
             {"subnet_id": ['tencentcloud_subnet.app["gz3"].id', "tencentcloud_subnet.app"]}),
        _cfg("tencentcloud_redis_instance.session", "tencentcloud_redis_instance", "session", key,
             {"subnet_id": ['tencentcloud_subnet.app["gz3"].id', "tencentcloud_subnet.app"]}),
        _cfg("tencentcloud_ckafka_instance.events", "tencentcloud_ckafka_instance", "events", key,
             {"vpc_id": ["tencentcloud_vpc.main.id", "tencentcloud_vpc.main"]}),
        _cfg("tencentcloud_cos_bucket.images", "tencentcloud_cos_bucket", "images", key, {}),
        _cfg("tencentcloud_kubernetes_cluster.apps", "tencentcloud_kubernetes_cluster", "apps", key,
             {"vpc_id": ["tencentcloud_vpc.main.id", "tencentcloud_vpc.main"]}),
        _cfg("tencentcloud_kubernetes_node_pool.workers", "tencentcloud_kubernetes_node_pool", "workers", key,
             {"cluster_id": ["tencentcloud_kubernetes_cluster.apps.id", "tencentcloud_kubernetes_cluster.apps"],
              "subnet_ids": ['tencentcloud_subnet.app["gz3"].id', 'tencentcloud_subnet.app["gz4"].id',
                             "tencentcloud_subnet.app"]}),
        _cfg("tencentcloud_security_group.web", "tencentcloud_security_group", "web", key, {}),
    ]
    changes = [{"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                **({"index": r["index"]} if "index" in r else {}), "provider_name": TC,
                "change": {"actions": ["create"], "before": None, "after": r["values"], "after_unknown": {"id": True},
                           "before_sensitive": False, "after_sensitive": {}}} for r in res]
    return {
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": res}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"tencentcloud": {"name": "tencentcloud", "full_name": TC,
                                                 "version_constraint": "~> 1.81",
                                                 "expressions": {"region": {"constant_value": "ap-guangzhou"}}}},
            "root_module": {"resources": cfg},
        },
        "timestamp": "2026-11-30T08:12:44Z", "applyable": True, "complete": True, "errored": False,
    }


def aws_state() -> dict[str, Any]:
    """A three-tier app on AWS in us-east-1 (state): ALB → ASG and EC2 → RDS Multi-AZ, ElastiCache, S3."""
    subnets = {"a": "subnet-0a1b2c3d4e5f60001", "b": "subnet-0a1b2c3d4e5f60002", "c": "subnet-0a1b2c3d4e5f60003"}
    res = [_res("aws_vpc.main", "aws_vpc", "main", AWS,
                {"id": "vpc-0123456789abcdef0", "arn": "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0123456789abcdef0",
                 "cidr_block": "10.20.0.0/16", "tags": {"Name": "shop"}})]
    for i, (letter, sid) in enumerate(subnets.items()):
        res.append(_res(f"aws_subnet.private[{i}]", "aws_subnet", "private", AWS,
                        {"id": sid, "availability_zone": f"us-east-1{letter}", "cidr_block": f"10.20.{i}.0/24",
                         "vpc_id": "vpc-0123456789abcdef0", "tags": {"Name": f"private-{letter}"}},
                        index=i, depends_on=["aws_vpc.main"]))
    tg = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0123456789abcdef"
    lb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop/0123456789abcdef"
    res += [
        _res("aws_lb.web", "aws_lb", "web", AWS,
             {"id": lb, "arn": lb, "name": "shop", "internal": False, "load_balancer_type": "application",
              "subnets": list(subnets.values()), "dns_name": "shop-123.us-east-1.elb.amazonaws.com"},
             depends_on=["aws_subnet.private"]),
        _res("aws_lb_target_group.web", "aws_lb_target_group", "web", AWS,
             {"id": tg, "arn": tg, "name": "web", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-0123456789abcdef0"}),
        _res("aws_lb_listener.https", "aws_lb_listener", "https", AWS,
             {"id": lb + "/listener/1", "arn": lb + "/listener/1", "load_balancer_arn": lb, "port": 443,
              "protocol": "HTTPS", "default_action": [{"type": "forward", "target_group_arn": tg}]},
             depends_on=["aws_lb.web", "aws_lb_target_group.web"]),
        _res("aws_autoscaling_group.web", "aws_autoscaling_group", "web", AWS,
             {"id": "shop-web", "arn": "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:web",
              "name": "shop-web", "min_size": 3, "max_size": 12, "desired_capacity": 3,
              "vpc_zone_identifier": list(subnets.values()), "target_group_arns": [tg]},
             depends_on=["aws_lb_target_group.web", "aws_subnet.private"]),
        _res("aws_db_instance.orders", "aws_db_instance", "orders", AWS,
             {"id": "db-ABCDEFGHIJKLMNOPQRSTUVWXY", "arn": "arn:aws:rds:us-east-1:111122223333:db:shop-orders",
              "identifier": "shop-orders", "engine": "mysql", "engine_version": "8.0.39", "multi_az": True,
              "availability_zone": "us-east-1a", "backup_retention_period": 7, "storage_encrypted": True,
              "publicly_accessible": False, "address": "shop-orders.c1abcdefghij.us-east-1.rds.amazonaws.com"}),
        _res("aws_elasticache_replication_group.session", "aws_elasticache_replication_group", "session", AWS,
             {"id": "shop-session", "arn": "arn:aws:elasticache:us-east-1:111122223333:replicationgroup:shop-session",
              "replication_group_id": "shop-session", "num_cache_clusters": 2,
              "preferred_cache_cluster_azs": ["us-east-1a", "us-east-1b"], "automatic_failover_enabled": True,
              "multi_az_enabled": True, "at_rest_encryption_enabled": True, "transit_encryption_enabled": True}),
        _res("aws_s3_bucket.assets", "aws_s3_bucket", "assets", AWS,
             {"id": "shop-assets-111122223333", "arn": "arn:aws:s3:::shop-assets-111122223333",
              "bucket": "shop-assets-111122223333", "region": "us-east-1"}),
        _res('aws_instance.batch["reports"]', "aws_instance", "batch", AWS,
             {"id": "i-0abc0000000000001", "arn": "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc0000000000001",
              "availability_zone": "us-east-1a", "subnet_id": subnets["a"], "instance_type": "m6i.large",
              "tags": {"Name": "batch-reports"}},
             index="reports", depends_on=["aws_db_instance.orders", "aws_s3_bucket.assets"]),
        _res("aws_iam_role.web", "aws_iam_role", "web", AWS,
             {"id": "shop-web", "arn": "arn:aws:iam::111122223333:role/shop-web", "name": "shop-web"}),
    ]
    res[-6]["depends_on"] = ["aws_lb_target_group.web", "aws_subnet.private", "aws_db_instance.orders",
                             "aws_elasticache_replication_group.session"]
    return {"format_version": "1.0", "terraform_version": "1.9.8",
            "values": {"outputs": {"lb_dns": {"sensitive": False, "value": "shop-123.us-east-1.elb.amazonaws.com",
                                              "type": "string"}},
                       "root_module": {"resources": res}}}


def google_plan() -> dict[str, Any]:
    """A plan of another provider (bad input for these importers)."""
    res = [_res("google_compute_instance.web", "google_compute_instance", "web", GOOGLE,
                {"name": "web", "zone": "europe-west1-b", "machine_type": "e2-medium"})]
    return {"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {"root_module": {"resources": res}},
            "configuration": {"root_module": {"resources": []}}, "applyable": True, "complete": True,
            "errored": False}


def state_of_size(n_components: int) -> dict[str, Any]:
    """A tencentcloud state of ``n_components`` components over 2 regions × 3 AZs (benchmark input).

    Tiers of ten: a CLB, six CVMs, a MySQL, a Redis and a CKafka per tier, each CVM depending on its tier's
    data stores (``depends_on``), the CLB attached to the CVMs.
    """
    regions = ("ap-guangzhou", "ap-shanghai")
    res: list[dict[str, Any]] = []
    for t in range(max(n_components // 10, 1)):
        region = regions[t % 2]
        az = [f"{region}-{k}" for k in (2, 3, 4)]
        p = f"module.tier{t}."
        clb_id = f"lb-{t:08x}"
        db, cache, mq = f"cdb-{t:08x}", f"crs-{t:08x}", f"ckafka-{t:08x}"
        res.append(_res(f"{p}tencentcloud_clb_instance.lb", "tencentcloud_clb_instance", "lb", TC,
                        {"id": clb_id, "clb_name": f"t{t}-lb", "network_type": "OPEN",
                         "master_zone_id": az[0], "slave_zone_id": az[1]}))
        cvms = []
        for i in range(6):
            iid = f"ins-{t:06x}{i:02x}"
            cvms.append(iid)
            res.append(_res(f"{p}tencentcloud_instance.app{i}", "tencentcloud_instance", f"app{i}", TC,
                            {"id": iid, "availability_zone": az[i % 3], "instance_name": f"t{t}-app{i}"},
                            depends_on=[f"{p}tencentcloud_mysql_instance.db", f"{p}tencentcloud_redis_instance.cache"]))
        res.append(_res(f"{p}tencentcloud_clb_attachment.lb", "tencentcloud_clb_attachment", "lb", TC,
                        {"id": f"{clb_id}#att", "clb_id": clb_id, "targets": [{"instance_id": i} for i in cvms]}))
        res.append(_res(f"{p}tencentcloud_mysql_instance.db", "tencentcloud_mysql_instance", "db", TC,
                        {"id": db, "instance_name": f"t{t}-db", "availability_zone": az[0],
                         "first_slave_zone": az[1], "slave_sync_mode": 2}))
        res.append(_res(f"{p}tencentcloud_redis_instance.cache", "tencentcloud_redis_instance", "cache", TC,
                        {"id": cache, "name": f"t{t}-cache", "availability_zone": az[1], "redis_replicas_num": 1,
                         "replica_zone_ids": [az[2]]}))
        res.append(_res(f"{p}tencentcloud_ckafka_instance.mq", "tencentcloud_ckafka_instance", "mq", TC,
                        {"id": mq, "instance_name": f"t{t}-mq", "multi_zone_flag": True, "zone_ids": az[:2]}))
    return {"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": res}}}


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for name, doc in (("tencentcloud_plan.json", tencent_plan()), ("aws_state.json", aws_state()),
                      ("google_plan.json", google_plan())):
        (HERE / name).write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
