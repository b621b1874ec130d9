"""The architecture diagram: clusters, placement, marks, escaping of hostile labels, rendering, aggregation."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.architecture import diagram
from workbench.architecture.diagram import (
    AGGREGATE_ABOVE,
    DiagramView,
    build_diagram,
    dot_label,
    parts_of,
    render,
    resolve_view,
    to_dot,
)
from workbench.architecture.findings import Finding, Pillar, Severity
from workbench.architecture.model import Architecture
from workbench.architecture.synthetic import generate_architecture
from workbench.errors import InputError

needs_dot = pytest.mark.skipif(not diagram.dot_available(), reason="Graphviz dot not installed")

HOSTILE = [
    'quote " inside',
    "<script>alert(1)</script>",
    "a & b &amp; c",
    "back\\slash \\N \\G \\l end\\",
    "two\nlines\r\nand\rthree",
    "{{7*7}} ${7*7} {% raw %}",
    "中文标签 可用区",
    "emoji 🚀🔥",
    'a" -> b [label="x',
    '"; n0 -> n1; "',
    "<b>html</b>",
    "} digraph x { a",
]


def _arch(name: str = "shop") -> Architecture:
    return Architecture.model_validate(
        {
            "name": name,
            "regions": [
                {"id": "ap-guangzhou", "azs": [{"id": "ap-guangzhou-3"}, {"id": "ap-guangzhou-4"}]},
                {"id": "ap-shanghai", "azs": [{"id": "ap-shanghai-2"}]},
            ],
            "components": [
                {"id": "dns", "type": "dns"},
                {"id": "clb", "type": "load_balancer", "placement": [{"region": "ap-guangzhou", "count": 2}]},
                {"id": "app", "type": "compute", "placement": [{"az": "ap-guangzhou-3", "count": 2},
                                                                {"az": "ap-guangzhou-4", "count": 1}]},
                {"id": "db", "type": "relational_db", "placement": [{"az": "ap-guangzhou-3", "count": 1}]},
                {"id": "dr", "type": "relational_db", "placement": [{"az": "ap-guangzhou-4", "count": 1},
                                                                     {"az": "ap-shanghai-2", "count": 1}]},
                {"id": "mq", "type": "message_queue", "placement": [{"az": "ap-guangzhou-4", "count": 1}]},
            ],
            "links": [
                {"from": "dns", "to": "clb"},
                {"from": "clb", "to": "app"},
                {"from": "app", "to": "db"},
                {"from": "app", "to": "mq", "mode": "async"},
                {"from": "app", "to": "ghost"},
            ],
        }
    )


def _one_component(label: str) -> Architecture:
    return Architecture.model_validate(
        {
            "name": label,
            "regions": [{"id": "r1", "name": label, "azs": [{"id": "az1", "name": label}]}],
            "components": [
                {"id": label or "x", "name": label, "type": "compute", "placement": [{"az": "az1", "count": 1}]},
                {"id": "other", "name": label, "type": "cache", "placement": [{"az": "az1", "count": 1}]},
            ],
            "links": [{"from": label or "x", "to": "other"}],
        }
    )


def _finding(severity: Severity, *ids: str, waived: bool = False) -> Finding:
    return Finding(rule_id="REL-X", pillar=Pillar.reliability, severity=severity, component_ids=list(ids),
                   title_key="t", rationale_key="r", recommendation_key="c", reference="https://example.org",
                   waived=waived)


class _Spof:
    def __init__(self, kind: str, id: str) -> None:
        self.kind, self.id = kind, id


def _node_line(src: str, node_id: str) -> str:
    return next(line for line in src.splitlines() if line.strip().startswith(f"{node_id} ["))


def _cluster_body(src: str, name: str) -> str:
    """Text of one subgraph up to its closing brace at the same indentation."""
    start = src.index(f"subgraph {name} {{")
    indent = src[: start].rsplit("\n", 1)[1]
    end = src.index(f"\n{indent}}}", start)
    return src[start:end]


def test_placement_rule_puts_each_node_in_the_domain_that_takes_it_down() -> None:
    arch = _arch()
    where = {c.id: [(p.location, p.count) for p in parts_of(arch, c)] for c in arch.components}
    assert where == {
        "dns": [(("global", ""), 1)],
        "clb": [(("region", "ap-guangzhou"), 2)],
        "app": [(("region", "ap-guangzhou"), 3)],  # two AZs: once in the region with per-AZ counts
        "db": [(("az", "ap-guangzhou-3"), 1)],
        "dr": [(("az", "ap-guangzhou-4"), 1), (("az", "ap-shanghai-2"), 1)],  # one node per region
        "mq": [(("az", "ap-guangzhou-4"), 1)],
    }


def test_full_view_nests_azs_in_regions_with_generated_ids_and_per_az_counts() -> None:
    src = to_dot(_arch(), view="full")
    region = _cluster_body(src, "cluster_r0")
    az3 = _cluster_body(src, "cluster_r0_a0")
    assert "cluster_r0_a0" in region and "cluster_r0_a1" in region
    assert 'tooltip=db' in az3 and "tooltip=app" not in az3
    app_line = _node_line(src, "n2")
    assert "×3" in app_line and "ap-guangzhou-3: 2 · ap-guangzhou-4: 1" in app_line
    # node ids are generated: every node statement starts with n<i>, g<i> or the legend's l…
    for m in re.finditer(r"^\s*([^\s\[]+) \[", src, flags=re.MULTILINE):
        assert re.fullmatch(r"(n\d+(r\d+)?|g\d+|l\w+|node|edge|graph)", m.group(1)), m.group(1)
    assert "n2 -> n5 [style=dashed]" in src  # app -> mq is async
    assert "n2 -> n3" in src and "ghost" not in src  # dangling link dropped
    shanghai = _cluster_body(src, "cluster_r1")
    assert "n4r1 [" in shanghai and "×1 / 2" in shanghai  # dr's Shanghai replica, drawn in Shanghai


def test_links_keep_region_affinity() -> None:
    arch = Architecture.model_validate(
        {
            "regions": [{"id": "gz", "azs": [{"id": "gz-1"}, {"id": "gz-2"}]}, {"id": "sh", "azs": [{"id": "sh-1"}]}],
            "components": [
                {
                    "id": "app",
                    "type": "compute",
                    "placement": [{"az": "gz-1", "count": 1}, {"az": "gz-2", "count": 1}, {"az": "sh-1", "count": 1}],
                },
                {
                    "id": "db",
                    "type": "relational_db",
                    "placement": [{"az": "gz-1", "count": 1}, {"az": "sh-1", "count": 1}],
                },
                {"id": "solo", "type": "cache", "placement": [{"az": "gz-2", "count": 1}]},
            ],
            "links": [{"from": "app", "to": "db"}, {"from": "app", "to": "solo"}],
        }
    )
    src = to_dot(arch, view="full", legend=False)
    edges = set(re.findall(r"^\s*(n\w+) -> (n\w+)", src, flags=re.MULTILINE))
    # app@gz -> db@gz, app@sh -> db@sh (not across); solo only in gz: both app nodes call it
    assert edges == {("n0r0", "n1r0"), ("n0r1", "n1r1"), ("n0r0", "n2"), ("n0r1", "n2")}
    agg = to_dot(arch, view="aggregated", legend=False)
    labels = re.findall(r'label="×(\d+)"', agg)
    assert sorted(int(x) for x in labels) == [1, 1, 1, 1]


def test_shapes_follow_the_catalogue_hint() -> None:
    src = to_dot(_arch(), view="full")
    assert "shape=cylinder" in _node_line(src, "n3")
    assert "shape=hexagon" in _node_line(src, "n1")


def test_worst_unwaived_severity_fills_and_spofs_are_outlined() -> None:
    findings = [_finding(Severity.medium, "db"), _finding(Severity.critical, "db"),
                _finding(Severity.high, "app"), _finding(Severity.critical, "app", waived=True)]
    src = to_dot(
        _arch(), view="full", findings=findings, spofs=[_Spof("component", "db"), _Spof("az", "ap-guangzhou-3")]
    )
    assert diagram.SEVERITY_FILL[Severity.critical] in _node_line(src, "n3")
    assert diagram.SEVERITY_FILL[Severity.high] in _node_line(src, "n2")
    assert diagram.SEVERITY_FILL[None] in _node_line(src, "n4r0")
    assert diagram.SPOF_COLOUR in _node_line(src, "n3") and "penwidth=3" in _node_line(src, "n3")
    assert diagram.SPOF_COLOUR not in _node_line(src, "n2")
    assert diagram.SPOF_COLOUR in _cluster_body(src, "cluster_r0_a0").splitlines()[1]


def test_legend_is_translated() -> None:
    zh = to_dot(_arch(), lang="zh-CN")
    en = to_dot(_arch(), lang="en")
    assert "cluster_legend" in zh and "图例" in zh and "单点故障" in zh and "可用区" in zh
    assert "Legend" in en and "Single point of failure" in en
    assert "cluster_legend" not in to_dot(_arch(), legend=False)


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_label_keeps_every_backslash_and_quote_literal(text: str) -> None:
    label = dot_label(text)
    assert isinstance(label, diagram.graphviz.quoting.NoHtml)
    quoted = diagram.graphviz.quoting.quote(label)
    assert quoted.startswith('"') and quoted.endswith('"')
    body = quoted[1:-1]
    # inside the quotes every '"' is escaped and backslashes come in pairs except before n or "
    assert re.search(r'(?<!\\)"', body) is None
    assert re.fullmatch(r'([^\\]|\\\\|\\n|\\")*', body), body


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_any_text_yields_a_single_quoted_dot_string(text: str) -> None:
    quoted = diagram.graphviz.quoting.quote(dot_label(text))
    if diagram.graphviz.quoting.ID.match(quoted) and quoted.lower() not in diagram.graphviz.quoting.KEYWORDS:
        return  # a plain DOT identifier (letters, digits, underscore; or a number) needs no quotes
    body = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    assert re.fullmatch(r'([^\\"\n\r]|\\\\|\\n|\\")*', body, flags=re.DOTALL), body


def _svg_texts(svg: bytes) -> tuple[ET.Element, list[str]]:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    texts = [el.text or "" for el in root.iter() if el.tag.endswith("}text")]
    return root, texts


@needs_dot
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_labels_round_trip_through_dot_as_text(text: str) -> None:
    arch = _one_component(text)
    svg = render(to_dot(arch, view="full", legend=False), "svg")
    root, texts = _svg_texts(svg)
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert tags <= {"svg", "g", "title", "text", "polygon", "path", "ellipse", "polyline", "a"}, tags
    assert "script" not in tags and "b" not in tags
    rendered = "\n".join(texts)
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        assert line.strip() in rendered, (line, rendered)
    # exactly the two nodes and one edge we made: no injected node or edge
    groups = [el for el in root.iter() if el.tag.endswith("}g")]
    assert sum(1 for g in groups if g.get("class") == "node") == 2
    assert sum(1 for g in groups if g.get("class") == "edge") == 1


@needs_dot
def test_render_svg_png_and_dot() -> None:
    src = to_dot(_arch("中文 架构"), lang="zh-CN")
    svg = render(src, "svg")
    assert b"<svg" in svg and "中文 架构".encode() in svg
    assert render(src, "png").startswith(b"\x89PNG\r\n\x1a\n")
    assert render(src, "dot") == src.encode()


def test_render_without_dot_raises_a_translated_input_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not diagram.dot_available()
    with pytest.raises(InputError) as info:
        render("digraph { a }", "svg")
    assert info.value.key == "errors.architecture.graphviz_missing"
    assert "Graphviz" in info.value.translate("en") and "Graphviz" in info.value.translate("zh-CN")
    assert render("digraph { a }", "dot") == b"digraph { a }"  # DOT is still offered


def test_render_timeout_and_failure_are_input_errors(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    slow = tmp_path / "dot"
    slow.write_text("#!/bin/sh\nexec /bin/sleep 5\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError) as info:
        render("digraph { a }", "svg", timeout_s=0.2)
    assert info.value.key == "errors.architecture.graphviz_timeout"
    slow.write_text("#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 1\n")
    with pytest.raises(InputError) as info:
        render("digraph {", "svg")
    assert info.value.key == "errors.architecture.graphviz_failed"
    assert "syntax error" in info.value.params["detail"]
    with pytest.raises(InputError) as info:
        render("digraph { a }", "pdf")
    assert info.value.key == "errors.architecture.diagram_format"


def test_auto_view_aggregates_large_architectures() -> None:
    small = generate_architecture(AGGREGATE_ABOVE, seed=1)
    large = generate_architecture(AGGREGATE_ABOVE + 1, seed=1)
    assert resolve_view(small) is DiagramView.FULL
    assert resolve_view(large) is DiagramView.AGGREGATED
    assert resolve_view(large, "full") is DiagramView.FULL


def test_aggregated_view_conserves_components_replicas_and_links() -> None:
    arch = generate_architecture(600, seed=7)
    src = to_dot(arch, view="aggregated", legend=False)
    groups = re.findall(r'^\s*g\d+ \[label="[^"]*\\n(\d+) components? · ×(\d+)"', src, flags=re.MULTILINE)
    assert sum(int(c) for c, _ in groups) == len(arch.components)
    assert sum(int(r) for _, r in groups) == sum(c.replicas for c in arch.components)
    assert len(groups) < 60
    # every link between two different groups is counted once in an aggregated edge label
    edge_counts = [int(n) for n in re.findall(r'-> g\d+ \[label="×(\d+)"', src)]
    ids = {c.id for c in arch.components}
    groups_of = {c.id: (parts_of(arch, c)[0].location, c.type) for c in arch.components}
    assert all(len(parts_of(arch, c)) == 1 for c in arch.components)  # synthetic: one region per component
    between = sum(1 for ln in arch.links if ln.source in ids and ln.target in ids
                  and groups_of[ln.source] != groups_of[ln.target])
    assert sum(edge_counts) == between
    assert "style=dashed" in src  # async queues -> workers


def test_aggregated_marks_take_the_worst_member() -> None:
    arch = generate_architecture(200, seed=2)
    target = next(c for c in arch.components if c.type == "relational_db")
    src = to_dot(arch, view="aggregated", findings=[_finding(Severity.critical, target.id)],
                 spofs=[_Spof("component", target.id)])
    marked = [
        ln for ln in src.splitlines() if diagram.SEVERITY_FILL[Severity.critical] in ln and ln.strip().startswith("g")
    ]
    assert len(marked) == 1 and diagram.SPOF_COLOUR in marked[0]


@needs_dot
def test_aggregated_10k_diagram_is_small_and_renders() -> None:
    arch = generate_architecture(10_000, seed=0)
    g = build_diagram(arch)
    assert g.source.count("->") < 300
    assert render(g.source, "svg", timeout_s=20).lstrip().startswith(b"<?xml")
