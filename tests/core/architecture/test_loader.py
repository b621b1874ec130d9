"""Safe loading: bad input gives located, translated issues — never a traceback, a hang or code execution."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.architecture.loader import (
    MAX_BYTES,
    ArchitectureLoadError,
    dump_architecture,
    load_architecture,
    load_architecture_with_warnings,
)
from workbench.i18n import catalogue

TEMPLATES = Path(__file__).resolve().parents[3] / "sample_data" / "architectures"

BASE = """\
schema_version: 1
name: shop
regions:
  - id: r1
    azs: [{id: z1}, {id: z2}]
components:
  - id: lb
    type: clb
    placement: [{region: r1}]
  - id: web
    type: cvm
    placement: [{az: z1, count: 2}]
links:
  - {from: lb, to: web, timeout_ms: 1000}
entry_points: [lb]
journeys:
  - {id: j, path: [lb, web]}
"""


def issues(text: str | bytes, filename: str = "a.yaml") -> list:
    with pytest.raises(ArchitectureLoadError) as info:
        load_architecture(text, filename)
    err = info.value
    assert err.issues, "an error always lists its issues"
    for lang in ("en", "zh-CN"):  # every issue renders in both languages, without leftover placeholders
        for line in err.describe(lang):
            assert "{" not in line.replace("{{", ""), line
        assert err.translate(lang)
    return err.issues


def test_valid_file_loads() -> None:
    arch = load_architecture(BASE)
    assert [c.id for c in arch.components] == ["lb", "web"]
    assert arch.components[1].replicas == 2


def test_syntax_error_has_line_and_column() -> None:
    (issue,) = issues("name: x\ncomponents: [\n  {id: a\n")
    assert issue.key == "errors.architecture.syntax"
    assert issue.line is not None and issue.line >= 3 and issue.column is not None


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['echo owned > /tmp/owned']\n",
        "name: !!python/name:os.system\n",
        "name: !!python/object/new:builtins.dict {}\n",
        "name: !custom thing\n",
    ],
)
def test_object_tags_are_rejected(payload: str, tmp_path: Path) -> None:
    (issue,) = issues(payload)
    assert issue.key == "errors.architecture.tag_not_allowed"
    assert issue.line == 1
    assert not Path("/tmp/owned").exists()


def test_billion_laughs_is_rejected_fast() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        name, prev = chr(ord("a") + i), chr(ord("a") + i - 1)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (issue,) = issues("\n".join(levels) + "\n")  # refused by counting nodes, never expanded
    assert issue.key == "errors.architecture.too_many_nodes"


def test_many_aliases_are_rejected() -> None:
    text = "x: &x 1\nname: [" + ",".join(["*x"] * 2_000) + "]\n"
    (issue,) = issues(text)
    assert issue.key == "errors.architecture.too_many_aliases"


def test_recursive_alias_is_rejected() -> None:
    (issue,) = issues("a: &a [*a]\n")
    assert issue.key == "errors.architecture.recursive_alias"


def test_deep_nesting_is_rejected_yaml_and_json() -> None:
    assert issues("[" * 500 + "]" * 500)[0].key == "errors.architecture.too_deep"
    assert issues("[" * 100 + "]" * 100, "a.json")[0].key == "errors.architecture.too_deep"
    assert issues("[" * 100_000 + "]" * 100_000, "a.json")[0].key == "errors.architecture.too_deep"


def test_size_limit() -> None:
    (issue,) = issues(b"#" * (MAX_BYTES + 1))
    assert issue.key == "errors.architecture.too_large"


def test_multiple_documents_are_rejected_with_the_line() -> None:
    (issue,) = issues("name: a\n---\nname: b\n")
    assert issue.key == "errors.architecture.multiple_documents"
    assert issue.line == 2


def test_duplicate_keys_are_rejected_yaml_and_json() -> None:
    (issue,) = issues("name: a\nname: b\n")
    assert (issue.key, issue.line, issue.params["name"]) == ("errors.architecture.duplicate_key", 2, "name")
    (issue,) = issues('{"name": "a", "name": "b"}', "a.json")
    assert issue.key == "errors.architecture.duplicate_key"


def test_merge_keys_are_not_duplicates() -> None:
    text = BASE.replace("  - id: web\n    type: cvm\n", "  - &web\n    id: web\n    type: cvm\n")
    assert load_architecture(text).components[1].id == "web"


def test_duplicate_component_ids_are_located() -> None:
    text = BASE.replace("  - id: web\n    type: cvm", "  - id: lb\n    type: cvm")
    found = issues(text)
    assert found[0].key == "errors.architecture.duplicate_id"
    assert found[0].location == "components[1].id"
    assert found[0].line == 10


def test_unknown_type_lists_the_known_ones() -> None:
    found = issues(BASE.replace("type: cvm", "type: mainframe"))
    assert found[0].key == "errors.architecture.unknown_type"
    assert found[0].location == "components[1].type"
    assert "relational_db" in found[0].params["known"] and "tencentdb_mysql" in found[0].params["known"]


def test_az_without_region() -> None:
    found = issues(BASE.replace("{az: z1, count: 2}", "{az: z9, count: 2}"))
    assert found[0].key == "errors.architecture.az_without_region"
    assert found[0].location == "components[1].placement[0].az"
    assert found[0].line == 12


def test_pydantic_errors_are_located() -> None:
    found = issues(BASE.replace("count: 2}", "count: -2}").replace("type: clb", "type: clb\n    ha_mode: weird"))
    by_loc = {i.location: i for i in found}
    assert by_loc["components[0].ha_mode"].key == "errors.architecture.not_allowed"
    assert by_loc["components[0].ha_mode"].line == 9
    assert "components[1].placement[0].count" in by_loc


def test_unknown_field_is_reported() -> None:
    found = issues(BASE.replace("type: cvm", "type: cvm\n    replica: 3"))
    assert found[0].key == "errors.architecture.unknown_field"
    assert found[0].location == "components[1].replica"


def test_dangling_link_and_self_loop_load_with_warnings() -> None:
    text = BASE.replace("links:\n", "links:\n  - {from: web, to: ghost}\n  - {from: web, to: web}\n")
    result = load_architecture_with_warnings(text)
    keys = [(w.key, w.location) for w in result.warnings]
    assert ("errors.architecture.dangling_link", "links[0].to") in keys
    assert ("errors.architecture.self_loop", "links[1]") in keys
    assert all(w.severity == "warning" for w in result.warnings)


def test_not_a_mapping_empty_and_bad_encoding() -> None:
    assert issues("- a\n- b\n")[0].key == "errors.architecture.not_mapping"
    assert issues("")[0].key == "errors.architecture.empty"
    assert issues(b"name: \xff\xfe")[0].key == "errors.architecture.encoding"


def test_json_input_and_json_syntax_error() -> None:
    arch = load_architecture('{"name": "x", "components": [{"id": "a", "type": "cvm"}]}', "a.json")
    assert arch.components[0].id == "a"
    (issue,) = issues('{"name": "x",\n "components": [}', "a.json")
    assert (issue.key, issue.line) == ("errors.architecture.syntax", 2)


@pytest.mark.parametrize(
    "label",
    [
        '<script>alert("x")</script>',
        "{{ 7*7 }} ${jndi:ldap://x} {name}",
        'a"b\\c\nnew line & <b>bold</b>',
        "订单服务 🚀 — 广州三区",
        'digraph { a -> b [label="x"] }',
    ],
)
def test_hostile_labels_load_as_plain_data(label: str) -> None:
    import json

    doc = {"name": label, "components": [{"id": "a", "name": label, "type": "cvm"}]}
    arch = load_architecture(json.dumps(doc), "a.json")
    assert arch.name == label and arch.components[0].name == label
    again = load_architecture(dump_architecture(arch))
    assert again == arch


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.yaml")), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_templates_round_trip(path: Path, fmt: str) -> None:
    arch = load_architecture(path.read_bytes(), path.name)
    text = dump_architecture(arch, fmt)
    assert load_architecture(text, f"x.{fmt}") == arch


def test_every_issue_key_exists_in_both_languages() -> None:
    import re

    mine = [
        "model",
        "catalogue",
        "loader",
        "graph",
        "failure",
        "availability",
        "recovery",
        "whatif",
        "spof",
        "latency",
        "analysis",
        "messages",
        "schema",
    ]
    folder = Path(__file__).resolve().parents[3] / "workbench/architecture"
    source = [folder / f"{name}.py" for name in mine]
    keys = {k for f in source for k in re.findall(r'"((?:errors\.architecture|arch_model)\.[a-z_.]+)"', f.read_text())}
    assert keys
    for lang in ("en", "zh-CN"):
        missing = keys - set(catalogue(lang))
        assert not missing, (lang, missing)
