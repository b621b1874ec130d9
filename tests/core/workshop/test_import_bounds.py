"""Workshop import is bounded (issue 9, "An input can break a workshop for good"): depth, number length,
NaN; a refusal is an InputError with a translated message and changes nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.errors import InputError
from workbench.i18n import catalogue
from workbench.store import open_store
from workbench.workshop.bounded_json import MAX_DEPTH, JsonLimitError, loads_bounded, too_deep_at
from workbench.workshop.exchange import import_workshop, parse_workshop_file

DEMO = Path(__file__).resolve().parents[3] / "sample_data" / "demo_workshop.en.json"


def _refused(data: bytes | str) -> InputError:
    store = open_store()
    before = [(w.id, w.version) for w in store.list()]
    with pytest.raises(InputError) as info:
        import_workshop(store, data)
    assert [(w.id, w.version) for w in store.list()] == before, "a refused import must not change the store"
    for lang in ("en", "zh-CN"):
        assert info.value.key in catalogue(lang)
        assert "{" not in info.value.translate(lang)
    return info.value


def _with_artefact_data(data: str) -> str:
    doc = json.loads(DEMO.read_text(encoding="utf-8"))
    doc["artefacts"][0]["data"] = {"payload": "__HOLE__"}
    return json.dumps(doc).replace('"__HOLE__"', data)


def test_workshop_nested_thousands_of_levels_is_refused_not_a_recursion_error() -> None:
    err = _refused(_with_artefact_data("[" * 5000 + "]" * 5000))
    assert err.key == "errors.import.too_deep"
    assert err.params["line"] == 1 and err.params["limit"] == MAX_DEPTH


def test_workshop_nested_beyond_the_recursion_limit_in_a_bare_file() -> None:
    assert _refused("[" * 100_000).key == "errors.import.too_deep"


def test_workshop_with_an_integer_of_thousands_of_digits_is_refused_with_its_place() -> None:
    err = _refused(_with_artefact_data("9" * 5000))
    assert err.key == "errors.import.number_too_long"
    assert err.params["line"] == 1 and err.params["column"] > 1


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_workshop_with_nan_is_refused(literal: str) -> None:
    assert _refused(_with_artefact_data(literal)).key == "errors.import.not_finite"


def test_demo_workshop_still_imports() -> None:
    ws = import_workshop(open_store(), DEMO.read_bytes())
    assert ws.artefacts and open_store().get(ws.id).meta.title


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    text = json.dumps({"text": "[" * 10_000, "quote": 'a"[[[' + "\\" * 3})
    assert too_deep_at(text) is None
    assert loads_bounded(text)["text"] == "[" * 10_000


def test_loads_bounded_reports_position() -> None:
    with pytest.raises(JsonLimitError) as info:
        loads_bounded('{\n  "a": ' + "[" * 300 + "]" * 300 + "}")
    # "{" is level 1 and the first "[" (column 8) level 2, so level MAX_DEPTH + 1 opens at column 7 + MAX_DEPTH
    assert (info.value.kind, info.value.line, info.value.column) == ("too_deep", 2, 7 + MAX_DEPTH)


def test_parse_never_lets_recursion_or_value_errors_escape() -> None:
    for payload in ("[" * 3000, "9" * 10_000, '{"format": ' + "1" * 5000 + "}", "\ud800", "{" * 2000 + "}" * 2000):
        with pytest.raises(InputError):
            parse_workshop_file(payload)


@pytest.mark.parametrize("opener", ["[", '{"k":'])
def test_depth_limit_is_exact(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    at_limit = opener * MAX_DEPTH + "1" + closer * MAX_DEPTH
    assert loads_bounded(at_limit) is not None
    with pytest.raises(JsonLimitError) as info:
        loads_bounded(opener * (MAX_DEPTH + 1) + "1" + closer * (MAX_DEPTH + 1))
    assert info.value.kind == "too_deep"
    mixed = [{"a": [1, {"b": []}]}, [], {"c": 1}]  # depth 5 in one branch only
    assert loads_bounded(json.dumps(mixed), max_depth=5) == mixed
    with pytest.raises(JsonLimitError):
        loads_bounded(json.dumps(mixed), max_depth=4)
