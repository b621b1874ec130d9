"""Graphviz diagrams of an architecture: failure domains as clusters, findings and SPOFs marked.

What and why
    The advisor shows the customer a picture they recognise: regions (地域) and AZs (可用区) as nested
    clusters, each component with a shape for its type and its replica count, async links dashed,
    components filled by the worst severity of their findings and single points of failure outlined in
    bold red, plus a legend.  Built as DOT with the ``graphviz`` package (the route mingrammer/diagrams and
    OWASP pytm take, research note §1) and laid out by the system ``dot`` program.

Placement rule (a node inside a cluster is lost with that cluster)
    A component gets one node per region it runs in.  Replicas of that region all in one AZ: the node
    sits in that AZ's cluster.  Spread over several AZs of the region, or placed region-level: the node
    sits in the *region* cluster with its per-AZ counts in the label ("×4 · ap-guangzhou-3: 2 ·
    ap-guangzhou-4: 2").  Split over regions (两地三中心): one node per region, labelled "×3 / 6".  No
    placement (DNS, CDN): one node outside every region.  So the picture never puts a node where a
    single AZ loss would be drawn as taking down replicas that live elsewhere.  Links keep region
    affinity: a caller's node connects to the callee's node in the same region when there is one
    (traffic stays in-region, the usual multi-region routing), else to every node of the callee.

Safety
    Node ids are generated (``n0``, ``n1``…, ``g0``… for groups); user text appears only in labels and
    tooltips, which are escaped as DOT escStrings: backslashes doubled, quotes escaped by the ``graphviz``
    package's quoting, line breaks turned into ``\\n``, control characters dropped and ``<…>`` never taken
    as an HTML label (``graphviz.nohtml``).  See https://graphviz.org/doc/info/lang.html (quoted strings)
    and https://graphviz.org/docs/attr-types/escString/.

Scale
    Above :data:`AGGREGATE_ABOVE` components the default is an aggregated view: one node per
    (location, type) with component and replica counts, and one edge per (group, group, mode) with the
    number of links it stands for, so ``dot`` lays out tens of nodes instead of thousands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import graphviz

from workbench.architecture import catalogue
from workbench.architecture.findings import Finding, Severity
from workbench.architecture.model import Architecture, Component, LinkMode, Placement
from workbench.errors import InputError
from workbench.i18n import t

AGGREGATE_ABOVE = 150
"""Components above which :attr:`DiagramView.AUTO` picks the aggregated view (keeps ``dot`` fast)."""

FONT = "Noto Sans CJK SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,sans-serif"
"""Font list: a CJK font first so Chinese labels render in PNG; browsers read the list for SVG."""

_MAX_LINE = 60  # characters per label line before it is cut with an ellipsis
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

SEVERITY_FILL: dict[Severity | None, str] = {
    Severity.critical: "#ef9a9a",
    Severity.high: "#ffcc80",
    Severity.medium: "#fff59d",
    Severity.low: "#c5e1a5",
    Severity.info: "#e3f2fd",
    None: "#ffffff",
}
SPOF_COLOUR = "#c62828"

_FALLBACK_SHAPES: dict[str, str] = {
    "load_balancer": "hexagon", "api_gateway": "octagon", "compute": "box", "container_service": "box3d",
    "serverless": "component", "cache": "cylinder", "relational_db": "cylinder", "nosql": "cylinder",
    "message_queue": "cds", "object_storage": "folder", "cdn": "doubleoctagon", "dns": "invtriangle",
    "search": "note",
}
_SAFE_SHAPES = frozenset(_FALLBACK_SHAPES.values()) | {
    "box", "ellipse", "oval", "tab", "house", "invhouse", "hexagon", "octagon", "cylinder", "note", "folder",
    "box3d", "component", "cds", "doubleoctagon", "invtriangle", "triangle", "parallelogram", "trapezium",
    "invtrapezium", "diamond", "circle", "doublecircle", "rect", "rectangle", "square", "star", "egg",
}  # never "record"/"Mrecord": their labels treat { | < > as structure


class DiagramView(StrEnum):
    """Which diagram to draw: ``auto`` aggregates above :data:`AGGREGATE_ABOVE` components."""

    AUTO = "auto"
    FULL = "full"
    AGGREGATED = "aggregated"


class RenderFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    DOT = "dot"


class SpofLike(Protocol):
    """What the diagram needs from a SPOF of the analysis: its kind (component|az|region) and id."""

    @property
    def kind(self) -> str: ...

    @property
    def id(self) -> str: ...


@dataclass(frozen=True)
class Marks:
    """Per-component worst severity (unwaived findings) and the SPOFs to outline."""

    severity: dict[str, Severity] = field(default_factory=dict)
    spof_components: frozenset[str] = frozenset()
    spof_domains: frozenset[str] = frozenset()  # AZ and region ids


def marks_from(findings: Iterable[Finding] = (), spofs: Iterable[SpofLike] = ()) -> Marks:
    """Collect what to colour: the worst unwaived severity per component, and SPOF ids by kind."""
    worst: dict[str, Severity] = {}
    for f in findings:
        if f.waived:
            continue
        for cid in f.component_ids:
            if cid not in worst or f.severity.rank > worst[cid].rank:
                worst[cid] = f.severity
    comps: set[str] = set()
    domains: set[str] = set()
    for s in spofs:
        (comps if str(s.kind) == "component" else domains).add(s.id)
    return Marks(severity=worst, spof_components=frozenset(comps), spof_domains=frozenset(domains))


# --- labels -------------------------------------------------------------------------------------------


def _cut(line: str) -> str:
    return line if len(line) <= _MAX_LINE else line[: _MAX_LINE - 1] + "…"


def dot_label(*lines: object) -> str:
    """A DOT escString showing ``lines`` literally (one per line): safe for any user text.

    Backslashes are doubled (so ``\\N`` or ``\\l`` stay text), ``&`` becomes ``&amp;`` (Graphviz decodes
    HTML entities in every label, so ``&amp;`` typed by a user would otherwise show as ``&``), embedded
    line breaks become separate lines, control characters are dropped; the ``graphviz`` package then quotes the
    result and escapes ``"``.  Marked ``nohtml`` so a label like ``<b>x</b>`` is never read as an HTML-like label.
    """
    parts: list[str] = []
    for line in lines:
        text = str(line).replace("\r\n", "\n").replace("\r", "\n")
        parts.extend(_cut(_CONTROL.sub("", sub)) for sub in text.split("\n"))
    return graphviz.nohtml("\\n".join(graphviz.escape(p.replace("&", "&amp;")) for p in parts))


# --- shapes -------------------------------------------------------------------------------------------


def type_name(type_key: str, lang: str) -> str:
    """The catalogue's display name of a type or product in ``lang`` (the key itself when unknown)."""
    cat = catalogue.load_catalogue()
    entry = cat.types.get(type_key) or cat.products.get(type_key)
    if entry is None:
        return type_key
    return entry.name.get("zh-CN" if lang == "zh-CN" else "en") or type_key


def shape_for(component: Component) -> str:
    """The node shape: the catalogue's hint for the component's type (``box`` when unknown or unsafe)."""
    shape = catalogue.shape_of(component)
    return shape if shape in _SAFE_SHAPES else _FALLBACK_SHAPES.get(component.type, "box")


# --- placement ----------------------------------------------------------------------------------------

Location = tuple[str, str]  # ("global", "") | ("region", region_id) | ("az", az_id)


@dataclass(frozen=True)
class Part:
    """A component's replicas in one region (or one orphan AZ, or the global part): one node of the diagram."""

    location: Location
    region: str  # region id, "" for the global part, "?<az>" for an AZ that belongs to no region
    count: int
    placements: tuple[Placement, ...] = ()


def parts_of(arch: Architecture, component: Component) -> list[Part]:
    """The nodes of a component: one per region it runs in (see the module doc), or one global node."""
    if not component.placement:
        return [Part(("global", ""), "", component.replicas)]
    by_region: dict[str, list[Placement]] = {}
    for p in component.placement:
        key = p.region if p.region is not None else arch.az_region.get(p.az or "") or f"?{p.az}"
        by_region.setdefault(key, []).append(p)
    parts: list[Part] = []
    for region, placed in by_region.items():
        azs = {p.az for p in placed}
        if len(azs) == 1 and None not in azs:
            loc: Location = ("az", str(placed[0].az))
        else:
            loc = ("region", region)
        parts.append(Part(loc, region, sum(p.count for p in placed), tuple(placed)))
    return parts


def _part_lines(component: Component, part: Part, n_parts: int) -> list[str]:
    """``×n`` (``×n / total`` when split over regions), then per-AZ counts two per line when there are several."""
    head = [f"×{part.count} / {component.replicas}" if n_parts > 1 else f"×{component.replicas}"]
    counts = [f"{p.az or p.region}: {p.count}" for p in part.placements]
    if len(counts) <= 1:
        return head
    return head + [" · ".join(counts[i : i + 2]) for i in range(0, len(counts), 2)]


def _pick_targets(source: Part, targets: Sequence[tuple[str, Part]]) -> list[str]:
    """Region affinity: a call goes to the target's node in the caller's region when there is one, else to all."""
    same = [node for node, part in targets if part.region and part.region == source.region]
    return same or [node for node, _ in targets]


# --- building -----------------------------------------------------------------------------------------


@dataclass
class _Node:
    node_id: str
    label: str
    shape: str
    location: Location
    severity: Severity | None
    spof: bool
    tooltip: str


def resolve_view(arch: Architecture, view: DiagramView | str = DiagramView.AUTO) -> DiagramView:
    """``full`` or ``aggregated``: what :attr:`DiagramView.AUTO` means for this architecture."""
    view = DiagramView(view)
    if view is DiagramView.AUTO:
        return DiagramView.AGGREGATED if len(arch.components) > AGGREGATE_ABOVE else DiagramView.FULL
    return view


def _node_attrs(node: _Node) -> dict[str, str]:
    attrs = {
        "shape": node.shape,
        "style": "filled",
        "fillcolor": SEVERITY_FILL[node.severity],
        "tooltip": node.tooltip,
    }
    if node.spof:
        attrs.update(color=SPOF_COLOUR, penwidth="3", style="filled,bold")
    return attrs


_Parts = dict[str, list[tuple[str, Part]]]  # component id -> [(node id, part)]


def _full_nodes(arch: Architecture, marks: Marks) -> tuple[list[_Node], _Parts]:
    nodes: list[_Node] = []
    placed: _Parts = {}
    for i, c in enumerate(arch.components):
        if c.id in placed:  # duplicate ids are a load error; draw the first only
            continue
        kind = c.type if not c.product else f"{c.type} · {c.product}"
        title = c.name or c.id
        lines = [title, c.id, kind] if c.name and c.name != c.id else [title, kind]
        parts = parts_of(arch, c)
        placed[c.id] = []
        for k, part in enumerate(parts):
            node_id = f"n{i}" if len(parts) == 1 else f"n{i}r{k}"
            placed[c.id].append((node_id, part))
            nodes.append(_Node(node_id, dot_label(*lines, *_part_lines(c, part, len(parts))), shape_for(c),
                               part.location, marks.severity.get(c.id), c.id in marks.spof_components,
                               dot_label(c.id)))
    return nodes, placed


def _full_edges(arch: Architecture, placed: _Parts) -> list[tuple[str, str, dict[str, str]]]:
    edges: list[tuple[str, str, dict[str, str]]] = []
    for link in arch.links:
        if link.source not in placed or link.target not in placed:  # dangling links are findings, not edges
            continue
        attrs = {"style": "dashed"} if link.mode is LinkMode.ASYNC else {}
        for src_node, src_part in placed[link.source]:
            for tgt_node in _pick_targets(src_part, placed[link.target]):
                edges.append((src_node, tgt_node, attrs))
    return edges


def _aggregate(
    arch: Architecture, marks: Marks, lang: str
) -> tuple[list[_Node], list[tuple[str, str, dict[str, str]]]]:
    """One node per (location, type) with component and replica counts; edges counted per node pair and mode."""
    GroupKey = tuple[Location, str]
    members: dict[GroupKey, dict[str, int]] = defaultdict(dict)  # group -> component id -> replicas there
    first: dict[GroupKey, Component] = {}
    seen: set[str] = set()
    part_keys: dict[str, list[tuple[GroupKey, Part]]] = {}
    for c in arch.components:
        if c.id in seen:
            continue
        seen.add(c.id)
        part_keys[c.id] = []
        for part in parts_of(arch, c):
            key = (part.location, c.type)
            members[key][c.id] = members[key].get(c.id, 0) + part.count
            first.setdefault(key, c)
            part_keys[c.id].append((key, part))
    node_of = {key: f"g{i}" for i, key in enumerate(members)}
    nodes: list[_Node] = []
    for key, comps in members.items():
        severities = [marks.severity[cid] for cid in comps if cid in marks.severity]
        worst = max(severities, key=lambda s: s.rank) if severities else None
        text = t("architecture.diagram.group", lang, count=len(comps), replicas=sum(comps.values()))
        nodes.append(_Node(node_of[key], dot_label(type_name(key[1], lang), text), shape_for(first[key]), key[0],
                           worst, any(cid in marks.spof_components for cid in comps), dot_label(key[1])))
    counts: dict[tuple[str, str, LinkMode], int] = defaultdict(int)
    for link in arch.links:
        if link.source not in part_keys or link.target not in part_keys:
            continue
        targets = [(node_of[k], p) for k, p in part_keys[link.target]]
        for key, part in part_keys[link.source]:
            for tgt in dict.fromkeys(_pick_targets(part, targets)):
                if tgt != node_of[key]:
                    counts[(node_of[key], tgt, link.mode)] += 1
    edges = []
    for (a, b, mode), n in counts.items():
        attrs = {"label": dot_label(f"×{n}"), "penwidth": str(min(1 + n / 10, 5))}
        if mode is LinkMode.ASYNC:
            attrs["style"] = "dashed"
        edges.append((a, b, attrs))
    return nodes, edges


def _legend(g: graphviz.Digraph, lang: str) -> None:
    """One row: a box per severity colour, the SPOF outline, then a solid (sync) and a dashed (async) edge."""
    with g.subgraph(name="cluster_legend") as lg:
        lg.attr(label=dot_label(t("architecture.diagram.legend", lang)), style="rounded", color="#9e9e9e",
                rank="same")
        order: list[str] = []
        for i, sev in enumerate((Severity.critical, Severity.high, Severity.medium, Severity.low)):
            lg.node(f"l{i}", dot_label(t(f"architecture.severity.{sev.value}", lang)), shape="box",
                    style="filled", fillcolor=SEVERITY_FILL[sev])
            order.append(f"l{i}")
        lg.node("l_spof", dot_label(t("architecture.diagram.spof", lang)), shape="box", style="filled,bold",
                fillcolor="#ffffff", color=SPOF_COLOUR, penwidth="3")
        order.append("l_spof")
        for name in ("l_a", "l_b", "l_c"):
            lg.node(name, dot_label(""), shape="point", width="0.05")
        for a, b in zip(order, [*order[1:], "l_a"], strict=True):
            lg.edge(a, b, style="invis")
        lg.edge("l_a", "l_b", label=dot_label(t("architecture.diagram.sync", lang)), minlen="2")
        lg.edge("l_b", "l_c", label=dot_label(t("architecture.diagram.async", lang)), style="dashed", minlen="2")


def _clusters(arch: Architecture, g: graphviz.Digraph, nodes: Sequence[_Node], marks: Marks, lang: str) -> None:
    by_loc: dict[Location, list[_Node]] = defaultdict(list)
    for n in nodes:
        by_loc[n.location].append(n)

    def emit(target: graphviz.Digraph, loc: Location) -> None:
        for n in by_loc.pop(loc, []):
            target.node(n.node_id, n.label, **_node_attrs(n))

    def domain_attrs(domain_id: str, label: str, fill: str) -> dict[str, str]:
        attrs = {"label": dot_label(label), "style": "rounded,filled", "fillcolor": fill, "color": "#90a4ae"}
        if domain_id in marks.spof_domains:
            attrs.update(color=SPOF_COLOUR, penwidth="3")
        return attrs

    emit(g, ("global", ""))
    for ri, region in enumerate(arch.regions):
        if ("region", region.id) not in by_loc and not any(("az", az.id) in by_loc for az in region.azs):
            continue  # nothing lives there: an empty cluster would only take space
        with g.subgraph(name=f"cluster_r{ri}") as rg:
            rg.attr(**domain_attrs(region.id, f"{t('architecture.diagram.region', lang)} {region.name or region.id}",
                                   "#f5f7fa"))
            emit(rg, ("region", region.id))
            for ai, az in enumerate(region.azs):
                if ("az", az.id) not in by_loc:
                    continue
                with rg.subgraph(name=f"cluster_r{ri}_a{ai}") as ag:
                    ag.attr(**domain_attrs(az.id, f"{t('architecture.diagram.az', lang)} {az.name or az.id}",
                                           "#e8f0fe"))
                    emit(ag, ("az", az.id))
    for i, loc in enumerate([loc for loc in by_loc if loc[0] == "az"]):  # AZs that belong to no region
        with g.subgraph(name=f"cluster_x{i}") as xg:
            xg.attr(**domain_attrs(loc[1], t("architecture.diagram.orphan_az", lang, az=loc[1]), "#fff8e1"))
            emit(xg, loc)
    for loc in list(by_loc):  # regions with components but no declared region: draw at top level
        emit(g, loc)


def build_diagram(
    arch: Architecture,
    *,
    findings: Iterable[Finding] = (),
    spofs: Iterable[SpofLike] = (),
    view: DiagramView | str = DiagramView.AUTO,
    lang: str = "en",
    legend: bool = True,
) -> graphviz.Digraph:
    """The diagram of ``arch`` as a ``graphviz.Digraph`` (``.source`` is the DOT text)."""
    marks = marks_from(findings, spofs)
    resolved = resolve_view(arch, view)
    g = graphviz.Digraph(name="architecture")
    g.attr(rankdir="TB", compound="true", newrank="true", fontname=FONT, fontsize="12",
           label=dot_label(arch.name) if arch.name else None, labelloc="t")
    g.attr("node", fontname=FONT, fontsize="11", margin="0.15,0.06")
    g.attr("edge", fontname=FONT, fontsize="9", color="#546e7a")
    if resolved is DiagramView.FULL:
        nodes, placed = _full_nodes(arch, marks)
        edges = _full_edges(arch, placed)
    else:
        nodes, edges = _aggregate(arch, marks, lang)
    _clusters(arch, g, nodes, marks, lang)
    for a, b, attrs in edges:
        g.edge(a, b, **attrs)
    if legend:
        _legend(g, lang)
    return g


def to_dot(arch: Architecture, **kwargs: object) -> str:
    """The DOT source of :func:`build_diagram` (same keyword arguments)."""
    return build_diagram(arch, **kwargs).source  # type: ignore[arg-type]


# --- rendering ----------------------------------------------------------------------------------------


def dot_available() -> bool:
    """True when the system Graphviz ``dot`` program is on PATH."""
    return shutil.which("dot") is not None


def render(dot_source: str, fmt: RenderFormat | str = RenderFormat.SVG, timeout_s: float = 20.0) -> bytes:
    """Lay out and render DOT with the system ``dot`` (``dot`` format returns the source itself).

    Raises ``InputError('errors.architecture.graphviz_missing')`` when ``dot`` is not installed,
    ``…graphviz_timeout`` after ``timeout_s`` seconds (the process is killed) and ``…graphviz_failed``
    when ``dot`` rejects the input.  ``SERVER_NAME`` is set so ``dot`` refuses to read image files
    named in the input (Graphviz's restriction for web use, https://graphviz.org/docs/attrs/image/).
    """
    try:
        fmt = RenderFormat(fmt)
    except ValueError:
        raise InputError("errors.architecture.diagram_format", fmt=str(fmt)) from None
    if fmt is RenderFormat.DOT:
        return dot_source.encode("utf-8")
    exe = shutil.which("dot")
    if exe is None:
        raise InputError("errors.architecture.graphviz_missing")
    env = {**os.environ, "SERVER_NAME": "capacity-workbench"}
    try:
        proc = subprocess.run(
            [exe, f"-T{fmt.value}"], input=dot_source.encode("utf-8"), capture_output=True,
            timeout=timeout_s, check=False, env=env,
        )
    except subprocess.TimeoutExpired:
        raise InputError("errors.architecture.graphviz_timeout", seconds=timeout_s) from None
    if proc.returncode != 0 or not proc.stdout:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise InputError("errors.architecture.graphviz_failed", detail=detail[0] if detail else "")
    return proc.stdout
