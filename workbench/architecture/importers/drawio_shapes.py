"""draw.io shape styles → catalogue types (data, one table per library).

Sources: the AWS 2021+ library of diagrams.net (``mxgraph.aws4.*``: a resource icon is
``shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.ec2`` or ``shape=mxgraph.aws4.ec2``; groups are
``shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_region`` / ``group_availability_zone``), the older
``mxgraph.aws3.*`` names, the generic shapes (``cylinder3`` is the usual database) and Tencent Cloud's
architecture icon set, which is used in draw.io as image shapes whose file names or labels carry the product
name (CVM, CLB, TencentDB...).  Labels are matched as a last resort, and every label match is reported as
an assumption.
"""

from __future__ import annotations

AWS_ICONS: dict[str, tuple[str, str | None]] = {
    "ec2": ("compute", None),
    "instance": ("compute", None),
    "instances": ("compute", None),
    "auto_scaling2": ("compute", None),
    "auto_scaling": ("compute", None),
    "elastic_load_balancing": ("load_balancer", None),
    "application_load_balancer": ("load_balancer", None),
    "network_load_balancer": ("load_balancer", None),
    "classic_load_balancer": ("load_balancer", None),
    "rds": ("relational_db", None),
    "rds_instance": ("relational_db", None),
    "aurora": ("relational_db", None),
    "aurora_instance": ("relational_db", None),
    "elasticache": ("cache", None),
    "elasticache_for_redis": ("cache", None),
    "elasticache_for_memcached": ("cache", None),
    "dynamodb": ("nosql", None),
    "documentdb_with_mongodb_compatibility": ("nosql", None),
    "s3": ("object_storage", None),
    "simple_storage_service": ("object_storage", None),
    "bucket": ("object_storage", None),
    "lambda": ("serverless", None),
    "lambda_function": ("serverless", None),
    "api_gateway": ("api_gateway", None),
    "cloudfront": ("cdn", None),
    "route_53": ("dns", None),
    "sqs": ("message_queue", None),
    "sns": ("message_queue", None),
    "managed_streaming_for_kafka": ("message_queue", None),
    "msk": ("message_queue", None),
    "mq": ("message_queue", None),
    "eks": ("container_service", None),
    "elastic_kubernetes_service": ("container_service", None),
    "ecs": ("container_service", None),
    "elastic_container_service": ("container_service", None),
    "fargate": ("container_service", None),
    "opensearch_service": ("search", None),
    "elasticsearch_service": ("search", None),
}
"""``mxgraph.aws4.<name>`` / ``mxgraph.aws3.<name>`` → (type, product)."""

TENCENT_WORDS: tuple[tuple[tuple[str, ...], str, str | None], ...] = (
    (("clb", "负载均衡", "load balancer"), "load_balancer", "clb"),
    (("tke", "容器服务", "kubernetes"), "container_service", "tke"),
    (("cvm", "云服务器", "云主机"), "compute", "cvm"),
    (("scf", "云函数"), "serverless", "scf"),
    (("tdsql-c", "tdsqlc", "cynosdb"), "relational_db", "tdsql_c"),
    (("mysql", "tencentdb", "云数据库", "cdb"), "relational_db", "tencentdb_mysql"),
    (("redis", "缓存"), "cache", "redis"),
    (("ckafka", "kafka"), "message_queue", "ckafka"),
    (("tdmq", "消息队列", "rocketmq", "pulsar"), "message_queue", "tdmq"),
    (("cos", "对象存储"), "object_storage", "cos"),
    (("cdn", "内容分发"), "cdn", "cdn"),
    (("dnspod", "云解析", "dns"), "dns", "dnspod"),
    (("elasticsearch", "es", "搜索"), "search", "es"),
    (("api gateway", "api网关", "api 网关", "apigw"), "api_gateway", None),
)
"""Words in a Tencent Cloud icon's image name or label → (type, product), first match wins."""

GENERIC_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("load balancer", "lb", "nginx", "haproxy", "slb", "elb", "alb"), "load_balancer"),
    (("gateway",), "api_gateway"),
    (("postgres", "mysql", "database", "db", "数据库", "oracle", "sql server"), "relational_db"),
    (("redis", "memcached", "cache"), "cache"),
    (("kafka", "rabbitmq", "queue", "mq"), "message_queue"),
    (("mongodb", "cassandra", "nosql"), "nosql"),
    (("bucket", "storage", "s3"), "object_storage"),
    (("cdn",), "cdn"),
    (("dns",), "dns"),
    (("search", "elasticsearch"), "search"),
    (("server", "vm", "app", "service", "web", "api", "服务", "应用"), "compute"),
)
"""Words in a generic shape's label → type (assumed, reported)."""

GENERIC_SHAPES: dict[str, str] = {
    "cylinder": "relational_db",
    "cylinder3": "relational_db",
    "mxgraph.flowchart.database": "relational_db",
    "datastore": "relational_db",
    "mxgraph.cisco.servers.fileserver": "compute",
    "mxgraph.network.server": "compute",
    "mxgraph.network.load_balancer": "load_balancer",
}
"""Generic draw.io shape names → type (the label still decides when it names a product)."""

REGION_GROUPS = {"group_region", "region"}
AZ_GROUPS = {"group_availability_zone", "availability_zone"}
