"""``python -m workbench review`` / ``schema``: formats, exit codes, translated bad-input messages, SARIF shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from workbench.architecture import diagram
from workbench.architecture.findings import Severity
from workbench.architecture.loader import load_architecture
from workbench.architecture.review import review_architecture
from workbench.architecture.rules import all_rules
from workbench.cli.main import app

runner = CliRunner()

# One VM in one AZ behind nothing: a SPOF (high or worse) plus lower findings; the name is hostile on purpose.
SMALL = """
schema_version: 1
name: "shop =1+1 <b>"
regions:
  - id: ap-guangzhou
    azs: [{id: ap-guangzhou-3}, {id: ap-guangzhou-4}]
components:
  - id: web
    type: compute
    placement: [{az: ap-guangzhou-3, count: 1}]
    public: true
  - id: db
    type: relational_db
    product: tencentdb_mysql
    placement: [{az: ap-guangzhou-3, count: 1}]
links:
  - {from: web, to: db}
entry_points: [web]
journeys:
  - {id: buy, path: [web, db]}
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _review(text: str = SMALL):
    return review_architecture(load_architecture(text))


def _invoke(*args: str):
    return runner.invoke(app, list(args))


def test_text_report_lists_scores_and_findings_in_both_languages(small: Path) -> None:
    en = _invoke("review", str(small))
    assert en.exit_code == 0, en.output
    assert "Architecture review: shop =1+1 <b>" in en.output and "Reliability" in en.output
    rv = _review()
    from workbench.architecture.findings import group_findings

    assert f"Open findings: {len(group_findings(rv.findings))}" in en.output  # grouped by rule
    for section in ("Single points of failure", "Availability per journey", "What-if", "Latency budget"):
        assert section in en.output
    zh = _invoke("review", str(small), "--lang", "zh")
    assert zh.exit_code == 0 and "架构评审" in zh.output and "可靠性" in zh.output


def test_json_format_matches_the_review(small: Path) -> None:
    for args in (("--format", "json"), ("--json",)):
        result = _invoke("review", str(small), *args)
        assert result.exit_code == 0, result.output
        doc = json.loads(result.output)
        rv = _review()
        assert doc["scores"]["overall"] == pytest.approx(rv.scores.overall)
        assert len(doc["findings"]) == len(rv.findings)
        assert {f["rule_id"] for f in doc["findings"]} == {f.rule_id for f in rv.findings}
        assert all(f["title"] and not f["title"].startswith("rules.") for f in doc["findings"])


def test_markdown_escapes_user_text(small: Path) -> None:
    result = _invoke("review", str(small), "--format", "md")
    assert result.exit_code == 0
    assert result.output.startswith("# ")
    assert "<b>" not in result.output and r"\<b\>" in result.output
    assert "| --- | ---: |" in result.output


def test_sarif_is_minimal_valid_2_1_0(small: Path) -> None:
    result = _invoke("review", str(small), "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.output)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in all_rules()]
    assert len(rules) >= 40
    ids = {r["id"] for r in rules}
    rv = _review()
    assert len(run["results"]) == len(rv.findings) + len(rv.waived)
    for res in run["results"]:
        assert res["ruleId"] in ids and rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in {"error", "warning", "note"}
        assert res["message"]["text"]
        logical = res["locations"][0]["logicalLocations"]
        assert all(loc["kind"] == "resource" and loc["fullyQualifiedName"] == f"components/{loc['name']}"
                   for loc in logical)
    levels = {(f.rule_id, f.severity) for f in rv.findings}
    assert any(sev in (Severity.critical, Severity.high) for _, sev in levels)
    assert any(r["level"] == "error" for r in run["results"])


def test_fail_on_exit_code_follows_the_worst_open_finding(small: Path, tmp_path: Path) -> None:
    assert _invoke("review", str(small)).exit_code == 0  # no --fail-on: report only
    assert _invoke("review", str(small), "--fail-on", "critical").exit_code == 1  # REL-001 SPOF is critical
    # waive every rule that has a high/critical finding: medium and below remain
    doc = yaml.safe_load(SMALL)
    severe = sorted({f.rule_id for f in _review().findings if f.severity.at_least(Severity.high)})
    doc["waivers"] = [{"rule": r, "reason": "accepted"} for r in severe]
    text = yaml.safe_dump(doc)
    path = tmp_path / "gate.yaml"
    path.write_text(text, encoding="utf-8")
    left = _review(text).findings
    assert left and not any(f.severity.at_least(Severity.high) for f in left)
    assert any(f.severity is Severity.medium for f in left)
    assert _invoke("review", str(path), "--fail-on", "critical").exit_code == 0
    assert _invoke("review", str(path), "--fail-on", "high").exit_code == 0
    assert _invoke("review", str(path), "--fail-on", "medium").exit_code == 1
    assert _invoke("review", str(path), "--fail-on", "low").exit_code == 1


def test_waivers_keep_the_gate_open(tmp_path: Path) -> None:
    doc = yaml.safe_load(SMALL)
    rv = _review()
    doc["waivers"] = [{"rule": f.rule_id, "reason": "accepted for the pilot"} for f in rv.findings]
    path = tmp_path / "waived.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = _invoke("review", str(path), "--fail-on", "low", "--format", "sarif")
    assert result.exit_code == 0, result.output
    results = json.loads(result.output)["runs"][0]["results"]
    assert results and all(r["suppressions"][0]["justification"] == "accepted for the pilot" for r in results)


def test_bad_yaml_exits_2_with_translated_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncomponents: [\n", encoding="utf-8")
    en = _invoke("review", str(path))
    assert en.exit_code == 2
    assert "bad.yaml" in en.output and re.search(r"bad\.yaml:\d+:\d+", en.output)
    assert "Traceback" not in en.output
    zh = _invoke("review", str(path), "--lang", "zh")
    assert zh.exit_code == 2 and "不是有效的架构文件" in zh.output


def test_invalid_model_reports_each_problem_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("components:\n  - {id: a, type: compute}\n  - {id: a, type: warp_drive}\n", encoding="utf-8")
    result = _invoke("review", str(path))
    assert result.exit_code == 2
    assert "components[1]" in result.output and "(2 problems)" in result.output


def test_missing_file_and_object_tags_exit_2(tmp_path: Path) -> None:
    missing = _invoke("review", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "Cannot read" in missing.output
    evil = tmp_path / "evil.yaml"
    evil.write_text("name: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    result = _invoke("review", str(evil))
    assert result.exit_code == 2 and "pwned" not in result.output.replace("echo pwned", "")


@pytest.mark.skipif(not diagram.dot_available(), reason="Graphviz dot not installed")
def test_svg_is_written(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "shop.svg"
    result = _invoke("review", str(small), "--svg", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().lstrip().startswith(b"<?xml") and b"<svg" in out.read_bytes()


def test_svg_without_dot_exits_2_with_message(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = _invoke("review", str(small), "--svg", str(tmp_path / "x.svg"))
    assert result.exit_code == 2 and "Graphviz" in result.output


def test_schema_prints_a_json_schema() -> None:
    result = _invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "components" in schema["properties"] and "$defs" in schema
    assert "relational_db" in schema["$defs"]["Component"]["properties"]["type"]["enum"]
    link = schema["$defs"]["Link"]["properties"]
    assert "from" in link and "to" in link


def test_the_example_in_docs_architecture_md_loads_and_reviews(tmp_path: Path) -> None:
    """The walkthrough's example is real: it loads, reviews, and its waiver takes effect."""
    import datetime as dt

    doc = (Path(__file__).resolve().parents[3] / "docs" / "architecture.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", doc, flags=re.DOTALL)
    assert example is not None
    arch = load_architecture(example.group(1))
    rv = review_architecture(arch, today=dt.date(2026, 11, 25))
    assert [f.rule_id for f in rv.waived] == ["REL-011"]
    assert not any(f.rule_id == "REL-001" for f in rv.findings)  # multi-AZ everywhere: no component SPOF
    path = tmp_path / "example.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    assert _invoke("review", str(path), "--format", "json").exit_code == 0
