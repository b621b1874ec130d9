"""Review exports (CSV formula safety, JSON) and the table editors' round trip back into the document."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.architecture import export, tables
from workbench.architecture.findings import Finding, Pillar, Severity
from workbench.architecture.loader import load_architecture
from workbench.architecture.model import Architecture
from workbench.architecture.synthetic import generate_architecture
from workbench.errors import InputError


def _finding(cid: str, severity: Severity = Severity.high, reason: str | None = None) -> Finding:
    return Finding(rule_id="REL-007", pillar=Pillar.reliability, severity=severity, component_ids=[cid],
                   title_key="rules.rel_007.title", rationale_key="rules.rel_007.rationale",
                   recommendation_key="rules.rel_007.recommendation", reference="https://example.org/x",
                   waived=reason is not None, waiver_reason=reason)


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_findings_csv_neutralises_formulas(hostile: str) -> None:
    data = export.findings_csv([_finding(hostile, reason=hostile)], "en").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert len(rows) == 1  # no injected row
    expected = "\ncmd" if hostile == "\rcmd" else "'" + hostile  # a bare CR becomes a quoted line break
    assert rows[0]["components"] == expected
    assert rows[0]["waiver_reason"] == expected
    assert rows[0]["title"].startswith("Single instance")  # translated, not a key


def test_findings_frame_is_worst_first() -> None:
    frame = export.findings_frame([_finding("a", Severity.low), _finding("b", Severity.critical)], "zh-CN")
    assert list(frame["components"]) == ["b", "a"]
    assert list(frame.columns) == list(export.CSV_COLUMNS)


def test_tables_round_trip_leaves_the_architecture_unchanged() -> None:
    arch = generate_architecture(60, seed=5)
    doc = tables.apply_tables(arch, tables.components_frame(arch), tables.links_frame(arch))
    assert Architecture.model_validate(doc) == arch


def test_table_edits_regenerate_the_model() -> None:
    arch = generate_architecture(20, seed=3)
    comps, links = tables.components_frame(arch), tables.links_frame(arch)
    row = comps.index[comps["id"] == "d0-svc"][0]
    comps.loc[row, "name"] = "订单服务 <v2>"
    comps.loc[row, "placement"] = "ap-guangzhou-1:1, ap-guangzhou-2:2"
    comps.loc[len(comps)] = {"id": "new-cache", "name": "", "type": "cache", "product": "redis",
                             "placement": "ap-guangzhou", "ha_mode": "none", "criticality": "low", "public": False,
                             "auth": False, "waf": False, "encryption_in_transit": False,
                             "encryption_at_rest": False}
    comps.loc[len(comps) - 1, "placement"] = "ap-guangzhou:2"  # a region id: region-level placement
    links.loc[0, "mode"] = "async"
    links = links.iloc[:-1]  # delete the last link
    new = Architecture.model_validate(tables.apply_tables(arch, comps, links))
    svc = new.components_by_id["d0-svc"]
    assert svc.name == "订单服务 <v2>" and svc.replicas == 3 and svc.azs == ["ap-guangzhou-1", "ap-guangzhou-2"]
    assert svc.autoscaling == arch.components_by_id["d0-svc"].autoscaling  # fields not in the table are kept
    cache = new.components_by_id["new-cache"]
    assert cache.placement[0].region == "ap-guangzhou" and cache.replicas == 2
    assert new.links[0].mode.value == "async" and len(new.links) == len(arch.links) - 1


def test_bad_placement_cell_is_an_input_error() -> None:
    arch = generate_architecture(10, seed=1)
    comps = tables.components_frame(arch)
    comps.loc[0, "placement"] = "ap-guangzhou-1 two"
    with pytest.raises(InputError) as info:
        tables.apply_tables(arch, comps, tables.links_frame(arch))
    assert info.value.key == "errors.architecture.table_placement"
    assert "ap-guangzhou-1 two" in info.value.translate("en")


def test_table_edits_go_through_the_loader(tmp_path) -> None:
    """A table edit that breaks a reference is reported by the loader like a text edit."""
    import yaml

    arch = generate_architecture(10, seed=1)
    comps = tables.components_frame(arch)
    comps.loc[0, "type"] = "warp_drive"
    text = yaml.safe_dump(tables.apply_tables(arch, comps, tables.links_frame(arch)), allow_unicode=True)
    with pytest.raises(InputError) as info:
        load_architecture(text)
    assert any(i.location == "components[0].type" for i in info.value.issues)  # type: ignore[attr-defined]


@given(st.lists(st.tuples(st.sampled_from(["ap-guangzhou-1", "ap-guangzhou-2", "ap-guangzhou"]),
                          st.integers(1, 50)), min_size=1, max_size=3, unique_by=lambda x: x[0]))
@settings(max_examples=50, deadline=None)
def test_placement_text_round_trips(entries: list[tuple[str, int]]) -> None:
    text = ", ".join(f"{i}:{n}" for i, n in entries)
    parsed = tables.parse_placement(text, {"ap-guangzhou"})
    assert [(p.get("az") or p.get("region"), p["count"]) for p in parsed] == entries
    assert all(("region" in p) == (p.get("region") == "ap-guangzhou") for p in parsed)


def test_exports_name_which_firing_a_finding_is() -> None:
    """Two firings of one rule on one component differ by their subject; CSV, JSON and SARIF carry it, so a
    waiver can name the one it accepts (docs/architecture.md, waivers)."""
    from workbench.architecture.export import _sarif_result

    base = _finding("api")
    one = base.model_copy(update={"subject": "journey=checkout"})
    two = base.model_copy(update={"subject": "journey=search"})
    rows = list(csv.DictReader(io.StringIO(export.findings_csv([one, two], "en").decode("utf-8-sig"), newline="")))
    assert sorted(r["subject"] for r in rows) == ["journey=checkout", "journey=search"]
    assert export.finding_record(one, "en")["subject"] == "journey=checkout"
    assert _sarif_result(one, {}, "en", "architecture.yaml")["properties"]["subject"] == "journey=checkout"
    assert "subject" not in _sarif_result(_finding("api"), {}, "en", "architecture.yaml")["properties"]
