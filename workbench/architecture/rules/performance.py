"""Performance rules (PERF-xxx): latency budget, timeouts, retries, circuit breakers, caching, queues.

Sources: AWS Well-Architected performance and reliability pillars (PERF03–PERF05, REL04–REL05), Azure WAF
PE:01, Google SRE book ch. 22 "Addressing Cascading Failures" (retry amplification); research note §3.2.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.architecture.findings import Finding, FixKind, Pillar, Severity
from workbench.architecture.model import LinkMode
from workbench.architecture.rules import kinds
from workbench.architecture.rules.base import Rule, RuleContext, rule, wa

P = Pillar.performance
RETRY_AMPLIFICATION_MAX = 4.0
"""Worst-case attempts reaching the deepest callee per user request.  Google SRE book ch. 22 shows retries at
several layers multiplying (3 retries at each of 3 layers → 64×) and advises retrying at one layer only; one
layer with 3 retries (4 attempts) is the most we accept without a finding."""
EDGES = frozenset({kinds.DNS, kinds.CDN})
"""Edge services whose calls to origins the provider configures (resolver timeouts, CDN origin retries): the
transport rules (timeouts, backoff, inversions) do not apply to links they make."""


def from_edge(ctx: RuleContext, source: str) -> bool:
    c = ctx.components.get(source)
    return c is not None and kinds.kind_of(c) in EDGES


MAX_SYNC_DEPTH = 3
"""Synchronous hops from the entry before a finding (research note REL-025, REL04-BP02)."""


@rule("PERF-001", P, Severity.high, wa("perf_process_culture_establish_key_performance_indicators.html"),
      needs_analysis=True)
def latency_over_budget(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """The P99 latency summed along a journey exceeds the budget (PERF05-BP01, PE:01)."""
    assert ctx.analysis is not None
    journeys = {j.id: j for j in ctx.arch.journeys}
    for jl in ctx.analysis.latency:
        if not jl.meets:
            path = journeys[jl.journey_id].path if jl.journey_id in journeys else []
            ids = [c for c in path if c in ctx.components]
            yield r.finding(ids, journey=jl.journey_id, total_ms=float(jl.total_ms), budget_ms=float(jl.budget_ms))


@rule("PERF-002", P, Severity.medium, wa("rel_mitigate_interaction_failure_client_timeouts.html"),
      fix=FixKind.add_timeout)
def missing_timeout(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A synchronous call without an explicit timeout: hung calls exhaust threads and pools (REL05-BP05)."""
    for link in ctx.arch.links:
        if (link.mode == LinkMode.SYNC and link.timeout_ms is None and link.target in ctx.components
                and not from_edge(ctx, link.source)):
            yield r.finding([link.source, link.target], fix={"source": link.source, "target": link.target},
                            source=link.source, target=link.target)


@rule("PERF-003", P, Severity.medium, wa("rel_mitigate_interaction_failure_client_timeouts.html"),
      needs_analysis=True)
def timeout_inversion(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A caller gives up before its callee does: the callee's work is wasted and retries pile up (REL05-BP05)."""
    assert ctx.analysis is not None
    links = {f"{x.source}->{x.target}": x for x in ctx.arch.links}
    seen: set[tuple[str, str]] = set()
    for jl in ctx.analysis.latency:
        for caller_label, callee_label in jl.timeout_inversions:
            caller, callee = links.get(caller_label), links.get(callee_label)
            if caller is None or callee is None or (caller_label, callee_label) in seen:
                continue
            if from_edge(ctx, caller.source):
                continue  # a resolver or CDN edge answers from its records/cache; it does not wait for the callee
            seen.add((caller_label, callee_label))
            # the caller must outwait every attempt of the callee plus its own hop (latency.py, the inversion test)
            attempts = 1 + callee.retries
            hop_ms = _whole(caller.latency_ms or 0.0)
            yield r.finding([caller.source, caller.target], caller=f"{caller.source} → {caller.target}",
                            callee=f"{callee.source} → {callee.target}",
                            caller_ms=_whole(caller.timeout_ms or 0.0), callee_ms=_whole(callee.timeout_ms or 0.0),
                            retries=callee.retries,
                            attempts=attempts, hop_ms=hop_ms, variant="hop" if hop_ms else "",
                            budget_ms=_whole(attempts * (callee.timeout_ms or 0.0) + hop_ms))


def _whole(ms: float) -> float | int:
    """A millisecond figure for a text: a whole value below 1,000 as an int ("1 ms", not "1.00 ms"), anything else
    as a float (grouped: "4,001 ms")."""
    return int(ms) if float(ms).is_integer() and abs(ms) < 1000 else float(ms)


@rule("PERF-004", P, Severity.medium, wa("rel_mitigate_interaction_failure_limit_retries.html"),
      fix=FixKind.add_backoff)
def retries_without_backoff(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Retries without exponential backoff and jitter turn a blip into a retry storm (REL05-BP03)."""
    for link in ctx.arch.links:
        if link.retries > 0 and not link.backoff and link.target in ctx.components and not from_edge(ctx, link.source):
            yield r.finding([link.source, link.target], fix={"source": link.source, "target": link.target},
                            source=link.source, target=link.target, retries=link.retries)


@rule("PERF-005", P, Severity.medium, "https://sre.google/sre-book/addressing-cascading-failures/",
      needs_analysis=True)
def retry_amplification(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Retries at several layers multiply the load on the deepest dependency (SRE book ch. 22)."""
    assert ctx.analysis is not None
    journeys = {j.id: j for j in ctx.arch.journeys}
    for jl in ctx.analysis.latency:
        if jl.retry_amplification > RETRY_AMPLIFICATION_MAX:
            path = journeys[jl.journey_id].path if jl.journey_id in journeys else []
            yield r.finding([c for c in path if c in ctx.components], journey=jl.journey_id,
                            factor=float(jl.retry_amplification), limit=RETRY_AMPLIFICATION_MAX)


@rule("PERF-006", P, Severity.medium, wa("rel_mitigate_interaction_failure_graceful_degradation.html"),
      fix=FixKind.add_circuit_breaker)
def no_circuit_breaker(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A synchronous call to a critical dependency with neither circuit breaker nor fallback (REL05-BP01, RE:07).

    Calls to or from a load balancer, gateway, CDN or DNS are exempt: those route around failed backends with
    health checks rather than fail as one unit.
    """
    for link in ctx.arch.links:
        target, source = ctx.components.get(link.target), ctx.components.get(link.source)
        if (target is None or source is None or link.mode != LinkMode.SYNC or link.circuit_breaker
                or link.fallback or kinds.kind_of(target) in kinds.ROUTERS or kinds.kind_of(source) in kinds.ROUTERS):
            continue
        if ctx.is_critical(target):
            yield r.finding([link.source, link.target], fix={"source": link.source, "target": link.target},
                            source=link.source, target=link.target)


@rule("PERF-007", P, Severity.low, wa("perf_data_access_patterns_caching.html"))
def no_cache_before_db(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A request-serving component reads a relational database synchronously and uses no cache (PERF03-BP05).

    Read paths only: the caller must serve synchronous requests (an entry point, or called synchronously); a
    worker fed by a queue writes, and caching its writes is not advice.
    """
    for c in ctx.arch.components:
        if c.id not in ctx.on_journey:
            continue
        serves = c.id in ctx.arch.entry_points or any(x.mode == LinkMode.SYNC for x in ctx.in_links.get(c.id, []))
        if not serves:
            continue
        targets = [ctx.components[x.target] for x in ctx.sync_out(c.id) if x.target in ctx.components]
        dbs = [t.id for t in targets if kinds.kind_of(t) == kinds.RELATIONAL_DB]
        links_any = [ctx.components[x.target] for x in ctx.out_links.get(c.id, []) if x.target in ctx.components]
        if dbs and not any(kinds.kind_of(t) == kinds.CACHE for t in links_any):
            yield r.finding([c.id, *dbs], caller=c.id, databases=", ".join(dbs))


@rule("PERF-008", P, Severity.low, wa("perf_networking_evaluate_networking_features.html"))
def no_cdn_for_public_storage(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """Public object storage (static content) served without a CDN in front (PERF04-BP02)."""
    for c in ctx.arch.components:
        if kinds.kind_of(c) == kinds.OBJECT_STORAGE and c.public:
            callers = [ctx.components.get(x.source) for x in ctx.in_links.get(c.id, [])]
            if not any(k is not None and kinds.kind_of(k) == kinds.CDN for k in callers):
                yield r.finding([c.id])


@rule("PERF-009", P, Severity.low, wa("rel_prevent_interaction_failure_loosely_coupled_system.html"))
def no_queue_for_peaks(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A critical journey writes to its database only synchronously and the caller uses no queue to absorb peaks
    (削峰填谷, REL04-BP02 loosely coupled dependencies)."""
    seen: set[tuple[str, str]] = set()
    for j in ctx.arch.journeys:
        if not j.critical:
            continue
        path = list(dict.fromkeys(j.path))
        for i, b in enumerate(path):
            dst = ctx.components.get(b)
            if dst is None or kinds.kind_of(dst) != kinds.RELATIONAL_DB:
                continue
            a = next((path[k] for k in range(i - 1, -1, -1)
                      if any(x.target == b for x in ctx.out_links.get(path[k], []))), None)
            if a is None or (a, b) in seen:
                continue
            seen.add((a, b))
            uses_queue = any(
                x.mode == LinkMode.ASYNC
                or (x.target in ctx.components and kinds.kind_of(ctx.components[x.target]) == kinds.MESSAGE_QUEUE)
                for x in ctx.out_links.get(a, [])
            )
            if not uses_queue:
                yield r.finding([a, b], journey=j.id, caller=a, database=b)


@rule("PERF-010", P, Severity.low, wa("rel_prevent_interaction_failure_loosely_coupled_system.html"))
def sync_chain_too_deep(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """More than three synchronous hops on one journey: latency and failure multiply along the chain."""
    for j in ctx.arch.journeys:
        hops = 0
        for a, b in zip(j.path, j.path[1:], strict=False):
            if any(x.target == b and x.mode == LinkMode.SYNC for x in ctx.out_links.get(a, [])):
                hops += 1
        if hops > MAX_SYNC_DEPTH:
            yield r.finding([c for c in j.path if c in ctx.components], journey=j.id, hops=hops,
                            limit=MAX_SYNC_DEPTH)


@rule("PERF-011", P, Severity.medium,
      wa("perf_networking_choose_workload_location_network_requirements.html"))
def sync_cross_region(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A synchronous call whose caller and callee share no region: tens of ms per call (PERF04-BP06)."""
    for link in ctx.arch.links:
        src, dst = ctx.components.get(link.source), ctx.components.get(link.target)
        if src is None or dst is None or link.mode != LinkMode.SYNC:
            continue
        rs, rd = set(ctx.arch.component_regions(src)), set(ctx.arch.component_regions(dst))
        if rs and rd and not rs & rd:
            yield r.finding([src.id, dst.id], source=src.id, target=dst.id)


@rule("PERF-012", P, Severity.info, wa("perf_compute_hardware_collect_compute_related_metrics.html"))
def unknown_capacity(r: Rule, ctx: RuleContext) -> Iterator[Finding]:
    """A compute tier on a journey with no declared per-instance capacity: peaks cannot be checked (PE:02)."""
    for c in ctx.arch.components:
        if (c.id in ctx.on_journey and kinds.kind_of(c) in kinds.SCALABLE_COMPUTE
                and c.capacity_per_instance_rps is None):
            yield r.finding([c.id])
