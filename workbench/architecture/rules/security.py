"""Security rules (SEC-xxx): exposure, authentication, WAF, encryption in transit / at rest, backups, logging.

Sources: AWS Well-Architected security pillar (SEC02–SEC09), Trusted Advisor, OWASP pytm threats DE01/AA01,
Azure WAF SE checklist; research note §3.3.  Only the flags the model holds are read (``public``, ``auth``,
``waf``, ``encryption_in_transit``, ``encryption_at_rest``, ``backup.encrypted``, ``monitoring.logging``).
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.architecture.findings import Finding, FixKind, Pillar, Severity
from workbench.architecture.rules import kinds
from workbench.architecture.rules.base import Rule, RuleContext, rule, wa

P = Pillar.security


@rule("SEC-001", P, Severity.critical, wa("sec_network_protection_create_layers.html"), fix=FixKind.make_private)
def public_data_store(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A database, cache, queue or search cluster reachable from the Internet (SEC05-BP01)."""
    for c in ctx.arch.components:
        if c.public and kinds.kind_of(c) in kinds.DATA_STORES:
            yield r.finding([c.id], fix=True, kind=kinds.kind_of(c))


@rule("SEC-002", P, Severity.high, wa("sec_identities_enforce_mechanisms.html"), fix=FixKind.enable_auth)
def no_auth_on_public_entry(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A journey entered from the Internet where no component on the path authenticates callers
    (SEC02-BP01, pytm AA01).  Static-content journeys (CDN/object storage only) are exempt."""
    for j in ctx.arch.journeys:
        path = [ctx.components[c] for c in j.path if c in ctx.components]
        if not path or not path[0].public:
            continue
        if all(kinds.kind_of(c) in (kinds.CDN, kinds.OBJECT_STORAGE, kinds.DNS) for c in path):
            continue
        if not any(c.auth for c in path):
            yield r.finding([path[0].id], fix=True, journey=j.id)


@rule("SEC-003", P, Severity.medium, wa("sec_network_protection_inspection.html"), fix=FixKind.enable_waf)
def no_waf(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A public HTTP entry without a web application firewall (SEC05-BP03).

    A public component counts as protected when a public WAF-enabled component calls it (e.g. CDN with WAF).
    """
    for c in ctx.arch.components:
        if not c.public or c.waf or kinds.kind_of(c) not in kinds.HTTP_ENTRY:
            continue
        fronted = any(
            (s := ctx.components.get(x.source)) is not None and s.waf for x in ctx.in_links.get(c.id, [])
        )
        if not fronted:
            yield r.finding([c.id], fix=True)


@rule("SEC-004", P, Severity.high, wa("sec_protect_data_transit_encrypt.html"), fix=FixKind.encrypt_in_transit)
def public_without_tls(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A public endpoint that does not encrypt traffic in transit: interception (SEC09-BP02, pytm DE01)."""
    for c in ctx.arch.components:
        if c.public and not c.encryption_in_transit:
            yield r.finding([c.id], fix=True)


@rule("SEC-005", P, Severity.medium, wa("sec_protect_data_transit_encrypt.html"), fix=FixKind.encrypt_in_transit)
def store_without_tls(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A private data store whose connections are not encrypted (SEC09-BP02: encrypt in transit inside the VPC)."""
    for c in ctx.arch.components:
        if not c.public and kinds.is_stateful(c) and not c.encryption_in_transit:
            yield r.finding([c.id], fix=True)


@rule("SEC-006", P, Severity.high, wa("sec_protect_data_rest_encrypt.html"), fix=FixKind.encrypt_at_rest)
def no_encryption_at_rest(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A persistent store (database, NoSQL, search, object storage) without encryption at rest (SEC08-BP02)."""
    for c in ctx.arch.components:
        if kinds.kind_of(c) in kinds.PERSISTENT and not c.encryption_at_rest:
            yield r.finding([c.id], fix=True)


@rule("SEC-007", P, Severity.medium, wa("rel_backing_up_data_secured_backups_data.html"), fix=FixKind.encrypt_backup)
def unencrypted_backup(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Backups that are not encrypted leak the data they copy (REL09-BP02)."""
    for c in ctx.arch.components:
        if c.backup is not None and not c.backup.encrypted:
            yield r.finding([c.id], fix=True)


@rule("SEC-008", P, Severity.medium, wa("sec_permissions_analyze_cross_account.html"))
def public_object_storage(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Object storage open to the Internet (TA "S3 bucket permissions", SEC03-BP07): fine for public assets only,
    so the finding asks to confirm the content is public and writes are not."""
    for c in ctx.arch.components:
        if c.public and kinds.kind_of(c) == kinds.OBJECT_STORAGE:
            yield r.finding([c.id])


@rule("SEC-009", P, Severity.medium, wa("sec_network_protection_layered.html"))
def exposed_compute(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Virtual machines or containers exposed directly to the Internet instead of behind a load balancer or
    gateway (SEC05-BP02 layered network protection)."""
    for c in ctx.arch.components:
        if c.public and kinds.kind_of(c) in kinds.SCALABLE_COMPUTE:
            yield r.finding([c.id])


@rule("SEC-010", P, Severity.medium, wa("sec_detect_investigate_events_app_service_logging.html"),
      fix=FixKind.enable_logging)
def public_without_logs(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A public endpoint without access logs: no forensics after an attack (SEC04-BP01)."""
    for c in ctx.arch.components:
        if c.public and not c.monitoring.logging:
            yield r.finding([c.id], fix=True)
