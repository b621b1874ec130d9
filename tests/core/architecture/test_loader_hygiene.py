"""Architecture files real people write (issue 9): accepted when harmless, refused or warned precisely otherwise."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import zipfile

import pytest

from tests.core.architecture.test_loader import BASE, issues
from workbench.architecture.loader import MAX_NUMBER_CHARS, load_architecture, load_architecture_with_warnings
from workbench.i18n import t

COMPONENTS = "schema_version: 1\ncomponents:\n"


def _warnings(text: str, filename: str = "a.yaml") -> list:
    result = load_architecture_with_warnings(text, filename)
    for w in result.warnings:
        for lang in ("en", "zh-CN"):
            assert "{" not in w.text(lang), w.text(lang)
    return result.warnings


# --- number length -------------------------------------------------------------------------------------


def test_yaml_integer_with_thousands_of_digits_is_a_located_error() -> None:
    (issue,) = issues(BASE.replace("count: 2}", "count: " + "9" * 5000 + "}"))
    assert issue.key == "errors.architecture.number_too_long"
    assert (issue.line, issue.column) == (12, 33)  # "    placement: [{az: z1, count: " is 32 characters
    assert issue.params["length"] == 5000


def test_json_integer_with_thousands_of_digits_is_a_located_error() -> None:
    text = '{"name": "x",\n "components": [{"id": "a", "type": "cvm", "replicas": ' + "1" * 5000 + "}]}"
    (issue,) = issues(text, "a.json")
    assert issue.key == "errors.architecture.number_too_long"
    assert issue.line == 2 and issue.column is not None and issue.column > 40


def test_numbers_at_the_limit_still_load_as_values() -> None:
    digits = "1" + "0" * (MAX_NUMBER_CHARS - 1)
    found = issues(BASE.replace("count: 2}", f"count: {digits}}}"))
    assert found[0].key == "errors.architecture.must_be_le"  # a value problem, not a parsing one


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(literal: str) -> None:
    (issue,) = issues('{"components": [{"id": "a", "type": "cvm", "latency_ms": ' + literal + "}]}", "a.json")
    assert issue.key == "errors.architecture.not_finite" and issue.line == 1


def test_yaml_infinity_is_refused_where_a_number_is_expected() -> None:
    (issue,) = issues(COMPONENTS + "  - id: a\n    type: cvm\n    latency_ms: .inf\n")
    assert (issue.key, issue.location, issue.line) == ("errors.architecture.not_finite", "components[0].latency_ms", 5)


# --- descriptions and x- extensions ----------------------------------------------------------------------


def test_description_is_accepted_where_people_write_it() -> None:
    text = """\
schema_version: 1
description: the shop
regions:
  - id: r1
    description: main region
    azs: [{id: z1, description: first AZ}]
components:
  - id: web
    type: cvm
    description: the storefront
    placement: [{az: z1}]
links:
  - {from: web, to: web2, description: calls the API}
journeys:
  - {id: j, path: [web], description: browse}
"""
    arch = load_architecture(text.replace("to: web2", "to: web"))
    assert arch.components[0].description == "the storefront"
    assert arch.regions[0].description == "main region" and arch.regions[0].azs[0].description == "first AZ"
    assert arch.links[0].description == "calls the API" and arch.journeys[0].description == "browse"


def test_x_extension_blocks_with_anchors_are_accepted() -> None:
    text = """\
schema_version: 1
x-defaults: &app
  type: cvm
  ha_mode: cluster
  x-note: shared settings
x-owner: {team: sre}
components:
  - <<: *app
    id: web
    replicas: 3
    x-ticket: OPS-12
"""
    arch = load_architecture(text)
    (web,) = arch.components
    assert (web.type, web.ha_mode.value, web.replicas) == ("cvm", "cluster", 3)


def test_x_extension_keys_in_json() -> None:
    doc = {"schema_version": 1, "x-generator": "terraform", "components": [{"id": "a", "type": "cvm", "x-id": 7}]}
    assert load_architecture(json.dumps(doc), "a.json").components[0].id == "a"


def test_other_unknown_keys_are_still_refused() -> None:
    found = issues(BASE.replace("type: cvm", "type: cvm\n    xdescription: typo"))
    assert found[0].key == "errors.architecture.unknown_field"


# --- tab, duplicates -------------------------------------------------------------------------------------


def test_tab_in_indentation_says_tab_with_line_and_column() -> None:
    (issue,) = issues("schema_version: 1\ncomponents:\n  - id: a\n\ttype: cvm\n")
    assert (issue.key, issue.line, issue.column) == ("errors.architecture.tab_indent", 4, 1)
    assert "tab" in t(issue.key, "en").lower() and "Tab" in t(issue.key, "zh-CN")


def test_duplicate_yaml_key_names_both_locations() -> None:
    (issue,) = issues("schema_version: 1\nname: a\ncomponents: []\nname: b\n")
    assert issue.key == "errors.architecture.duplicate_key"
    assert (issue.line, issue.column, issue.params["first_line"], issue.params["first_column"]) == (4, 1, 2, 1)
    assert "duplicate" in issue.text("en").lower() and "line 2" in issue.text("en")


def test_duplicate_json_key_is_located_with_both_locations() -> None:
    (issue,) = issues('{"schema_version": 1,\n "name": "a",\n "components": [],\n "name": "b"}', "a.json")
    assert issue.key == "errors.architecture.duplicate_key"
    assert (issue.line, issue.params["first_line"]) == (4, 2)
    assert "duplicate" in issue.text("en").lower()


def test_duplicate_component_ids_name_both_locations() -> None:
    found = issues(BASE.replace("  - id: web\n    type: cvm", "  - id: lb\n    type: cvm"))
    dup = found[0]
    assert (dup.key, dup.line, dup.params["first"], dup.params["first_line"]) == (
        "errors.architecture.duplicate_id", 10, "components[0].id", 7)
    assert "duplicate" in dup.text("en").lower() and "line 7" in dup.text("en") and "line 10" in dup.text("en")


def test_duplicate_ids_in_json_are_located_too() -> None:
    doc = '{"components": [\n {"id": "a", "type": "cvm"},\n {"id": "a", "type": "cvm"}]}'
    found = issues(doc, "a.json")
    assert (found[0].key, found[0].line, found[0].params["first_line"]) == ("errors.architecture.duplicate_id", 3, 2)


def test_duplicate_region_az_and_journey_ids_name_the_first() -> None:
    text = BASE.replace("azs: [{id: z1}, {id: z2}]", "azs: [{id: z1}, {id: z1}]").replace(
        "  - {id: j, path: [lb, web]}", "  - {id: j, path: [lb, web]}\n  - {id: j, path: [lb]}")
    keys = {i.key: i for i in issues(text)}
    assert keys["errors.architecture.duplicate_az"].params["first"] == "regions[0].azs[0].id"
    assert keys["errors.architecture.duplicate_journey"].params["first_line"] == 17


# --- look-alike ids, zero replicas, blank ids, NUL ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [("db", "db\\u200b"), ("café", "cafe\\u0301"), ("DB", "db "), ("db", "\\ufeffdb"), ("web", "WEB")],
    ids=["zero-width", "nfc-nfd", "case-and-space", "bom", "case"],
)
def test_lookalike_ids_load_with_a_warning(first: str, second: str) -> None:
    text = COMPONENTS + f'  - id: "{first}"\n    type: cvm\n  - id: "{second}"\n    type: cvm\n'
    (warning,) = _warnings(text)
    assert (warning.key, warning.location, warning.severity) == ("errors.architecture.lookalike_id",
                                                                 "components[1].id", "warning")
    assert (warning.line, warning.params["first_line"]) == (5, 3)


def test_distinct_ids_get_no_lookalike_warning() -> None:
    text = COMPONENTS + "  - {id: db1, type: cvm}\n  - {id: db2, type: cvm}\n  - {id: 订单, type: cvm}\n"
    assert _warnings(text) == []


def test_zero_replicas_is_a_warning() -> None:
    (warning,) = _warnings(COMPONENTS + "  - id: a\n    type: cvm\n    replicas: 0\n")
    assert (warning.key, warning.location, warning.line) == ("errors.architecture.zero_replicas",
                                                             "components[0].replicas", 5)


@pytest.mark.parametrize("blank", ["' '", '"\\u200b"', '"\\t "'])
def test_blank_ids_are_refused_with_their_location(blank: str) -> None:
    (issue,) = issues(COMPONENTS + f"  - id: {blank}\n    type: cvm\n")
    assert (issue.key, issue.location, issue.line) == ("errors.architecture.blank_id", "components[0].id", 3)


def test_blank_link_end_is_refused() -> None:
    found = issues(BASE.replace("{from: lb, to: web, timeout_ms: 1000}", "{from: lb, to: ' ', timeout_ms: 1000}"))
    assert ("errors.architecture.blank_id", "links[0].to") in [(i.key, i.location) for i in found]


def test_nul_character_raw_or_escaped_is_refused_with_location() -> None:
    (raw,) = issues(b"schema_version: 1\nname: a\x00b\n")
    assert (raw.key, raw.line, raw.column) == ("errors.architecture.nul_character", 2, 8)
    (escaped,) = issues(COMPONENTS + '  - id: "a\\0b"\n    type: cvm\n')
    assert (escaped.key, escaped.location, escaped.line) == ("errors.architecture.nul_character", "components[0].id", 3)
    (json_nul,) = issues('{"name": "a\\u0000"}', "a.json")
    assert (json_nul.key, json_nul.location) == ("errors.architecture.nul_character", "name")


# --- file-type sniffing ------------------------------------------------------------------------------------


def _zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(name, "name: x\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (pickle.dumps({"components": []}), "pickle"),
        (b"PAR1\x15\x04\x15\x10" + b"\x00" * 64 + b"PAR1", "parquet"),
        (_zip("architecture.yaml"), "zip"),
        (_zip("xl/workbook.xml"), "excel"),
        (gzip.compress(b"name: x\n"), "gzip"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "ole2"),
        (b"SQLite format 3\x00" + b"\x00" * 32, "sqlite"),
        ("name: x\n".encode("utf-16"), "utf16"),
    ],
)
def test_binary_files_are_named(data: bytes, kind: str) -> None:
    (issue,) = issues(data)
    assert issue.key == f"errors.architecture.file_type.{kind}"
    if kind not in ("utf16", "ole2"):
        assert "not an architecture" in issue.text("en")


def test_parquet_message_reads_as_the_issue_asks() -> None:
    (issue,) = issues(b"PAR1" + b"\x00" * 16)
    assert "this is a parquet file, not an architecture (yaml or json expected)" in issue.text("en").lower()


def test_text_that_merely_starts_like_a_signature_is_still_read_as_yaml() -> None:
    assert issues(b"BM: 1\n")[0].key == "errors.architecture.unknown_field"
    assert issues(b"PK: 1\n")[0].key == "errors.architecture.unknown_field"


# --- pydantic messages are translated -------------------------------------------------------------------------


def test_value_errors_are_translated_not_pydantic_english() -> None:
    found = issues(COMPONENTS + "  - id: a\n    type: cvm\n    replicas: -1\n    name: 5\n"
                   "    placement: [{az: z, region: r}]\n")
    keys = {i.location: i.key for i in found}
    assert keys["components[0].replicas"] == "errors.architecture.must_be_ge"
    assert keys["components[0].name"] == "errors.architecture.not_text"
    assert keys["components[0].placement[0]"] == "errors.architecture.placement_domain"
    for issue in found:
        assert "Input should" not in issue.text("zh-CN")


# --- time bound ---------------------------------------------------------------------------------------------


def test_parse_time_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parse that outlives its budget is refused with a translated message (budget forced to zero here)."""
    from workbench.architecture import loader

    monkeypatch.setattr(loader, "MAX_SECONDS", -1.0)
    (issue,) = issues(BASE)
    assert (issue.key, issue.line) == ("errors.architecture.too_slow", 1)


def test_binary_file_decoded_as_text_by_a_caller_is_still_named() -> None:
    """A page may decode an upload with errors="replace" before loading: the kind is still recognised."""
    parquet = (b"PAR1\x15\x04\x15\x10" + bytes(range(256)) + b"PAR1").decode("utf-8", errors="replace")
    assert issues(parquet)[0].key == "errors.architecture.file_type.parquet"
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))).decode("utf-8", errors="replace")
    assert issues(png)[0].key == "errors.architecture.file_type.binary"


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "schema_version: 1\nname: x\n\tdescription: y\n",
                                  "components:\n  - id: a\n\t  type: cvm\n"])
def test_tab_variants_are_named(text: str) -> None:
    (issue,) = issues(text)
    assert issue.key == "errors.architecture.tab_indent" and issue.column == 1


def test_a_tab_inside_a_block_scalar_is_not_blamed_for_another_error() -> None:
    (issue,) = issues("description: |\n  a\n  \tb\ncomponents: [\n")
    assert issue.key == "errors.architecture.syntax"
