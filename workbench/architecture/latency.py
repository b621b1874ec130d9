"""Latency budget per journey: hop latencies against the P99 budget, timeout ordering, retry amplification.

What and why
    - **Hops.** A journey path lists components entry first.  Each component after the first is called by
      the nearest earlier component on the path that has a link to it (so ``[clb, app, redis, mysql]``
      gives clb→app, app→redis, app→mysql: the app calls its stores one after the other).  The journey's
      P99 estimate is the sum of the hop latencies plus each component's own ``latency_ms`` (sequential
      calls; summing P99s is an upper-bound style estimate, not a convolution).
    - **Timeout ordering.** A caller must wait at least as long as its callee may legitimately take, or it
      gives up while the callee is still working and retries pile up ("timeouts should be set so that
      upstream timeouts exceed downstream ones", AWS Builders' Library, *Timeouts, retries and backoff with
      jitter*; REL05-BP05).  For a hop caller→callee with timeout T1 and each hop callee→next with timeout
      T2 and r2 retries, an inversion is ``T1 < (1 + r2) × T2 + latency(caller→callee)``.
    - **Retry amplification.** One failing request at the bottom of a chain of retrying callers is tried
      Π (1 + retries_i) times (Builders' Library, same article; Google SRE book ch. 22 "Addressing Cascading
      Failures", retry amplification).  We report the largest product over the call chains of the journey.

Units: milliseconds.  Unknown hop latency counts as 0 and is listed in ``unknown_latency``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from workbench.architecture.model import Architecture, Journey, Link, LinkMode


def link_label(link: Link) -> str:
    return f"{link.source}->{link.target}"


class Hop(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    target: str
    latency_ms: float | None
    timeout_ms: float | None
    retries: int
    mode: LinkMode


class JourneyLatency(BaseModel):
    model_config = ConfigDict(frozen=True)

    journey_id: str
    total_ms: float = Field(description="Σ hop latencies + Σ component latencies, ms")
    budget_ms: float
    meets: bool
    hops: list[Hop]
    timeout_inversions: list[tuple[str, str]] = Field(
        default_factory=list, description="(caller link, callee link) labels 'a->b' where the caller gives up first"
    )
    retry_amplification: float = Field(description="largest Π (1 + retries) over the journey's call chains")
    missing_timeouts: list[str] = Field(default_factory=list, description="sync hops without a timeout")
    missing_hops: list[str] = Field(default_factory=list, description="path components no earlier one links to")
    unknown_latency: list[str] = Field(default_factory=list, description="hops without a latency figure")


def _hops(journey: Journey, links: dict[tuple[str, str], Link]) -> tuple[list[Link], list[str]]:
    path = list(dict.fromkeys(journey.path))
    hops: list[Link] = []
    missing: list[str] = []
    for i in range(1, len(path)):
        target = path[i]
        caller = next((path[j] for j in range(i - 1, -1, -1) if (path[j], target) in links), None)
        if caller is None:
            missing.append(target)
        else:
            hops.append(links[(caller, target)])
    return hops, missing


def journey_latency(arch: Architecture, journey: Journey, links: dict[tuple[str, str], Link]) -> JourneyLatency:
    """Latency, timeout ordering and retry amplification of one journey."""
    hops, missing = _hops(journey, links)
    ids = arch.components_by_id
    total = sum(h.latency_ms or 0.0 for h in hops)
    total += sum(ids[c].latency_ms or 0.0 for c in dict.fromkeys(journey.path) if c in ids)
    by_caller: dict[str, list[Link]] = {}
    for h in hops:
        by_caller.setdefault(h.source, []).append(h)
    inversions: list[tuple[str, str]] = []
    for h in hops:
        if h.mode != LinkMode.SYNC or h.timeout_ms is None:
            continue
        for nxt in by_caller.get(h.target, []):
            if nxt.mode != LinkMode.SYNC or nxt.timeout_ms is None:
                continue
            if h.timeout_ms < (1 + nxt.retries) * nxt.timeout_ms + (h.latency_ms or 0.0):
                inversions.append((link_label(h), link_label(nxt)))
    # Retry amplification: amp(node) = max over its sync hops of (1 + retries) × amp(callee); hops form a
    # tree rooted at the entry and callees come later on the path, so one reverse pass suffices.
    amp: dict[str, float] = {}
    for h in reversed(hops):
        if h.mode == LinkMode.SYNC:
            amp[h.source] = max(amp.get(h.source, 1.0), (1 + h.retries) * amp.get(h.target, 1.0))
    budget = arch.policy.latency_budget_p99_ms
    return JourneyLatency(
        journey_id=journey.id,
        total_ms=total,
        budget_ms=budget,
        meets=total <= budget,
        hops=[
            Hop(
                source=h.source,
                target=h.target,
                latency_ms=h.latency_ms,
                timeout_ms=h.timeout_ms,
                retries=h.retries,
                mode=h.mode,
            )
            for h in hops
        ],
        timeout_inversions=inversions,
        retry_amplification=max(amp.values(), default=1.0),
        missing_timeouts=[link_label(h) for h in hops if h.mode == LinkMode.SYNC and h.timeout_ms is None],
        missing_hops=missing,
        unknown_latency=[link_label(h) for h in hops if h.latency_ms is None],
    )


def latency(arch: Architecture) -> list[JourneyLatency]:
    """Latency analysis of every journey (first link wins when a pair is linked twice)."""
    links: dict[tuple[str, str], Link] = {}
    for lk in arch.links:
        links.setdefault((lk.source, lk.target), lk)
    return [journey_latency(arch, j, links) for j in arch.journeys]
