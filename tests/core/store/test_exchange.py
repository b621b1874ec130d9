"""Export/import of a whole workshop: lossless round trip, clear refusals, nothing stored on failure."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.store import open_store
from workbench.workshop.exchange import export_workshop, import_workshop, parse_workshop_file
from workbench.workshop.models import ArtefactKind, WorkshopMeta

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
artefact_ids = st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)


def _comparable(ws):
    return (ws.meta, sorted((a.kind, a.id, a.schema_version, json.dumps(a.data, sort_keys=True), a.created_at,
                             a.updated_at) for a in ws.artefacts))


def test_round_trip_over_every_artefact_kind():
    store = open_store()
    ws = store.create(WorkshopMeta(title="往返 <b>test</b>", customer="=HYPERLINK()", notes="line1\nline2"))
    v = ws.version
    for kind in ArtefactKind:
        v = store.put_artefact(ws.id, v, kind, f"{kind.value}-1", {"kind": kind.value, "values": [1, 2.5, None],
                                                                    "nested": {"中文": "✓"}}, schema_version=2)
    original = store.get(ws.id)
    imported = import_workshop(store, export_workshop(original))
    assert imported.id != original.id
    assert _comparable(imported) == _comparable(original)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(min_size=1, max_size=50).filter(lambda s: s.strip()),
    notes=st.text(max_size=200),
    docs=st.lists(st.tuples(st.sampled_from(list(ArtefactKind)), artefact_ids,
                            st.dictionaries(st.text(max_size=8), json_values, max_size=5)),
                  max_size=6, unique_by=lambda d: (d[0], d[1])),
)
def test_round_trip_property(title, notes, docs):
    store = open_store("sqlite:///:memory:")
    ws = store.create(WorkshopMeta(title=title, notes=notes, date=dt.date(2026, 11, 11)))
    v = ws.version
    for kind, art_id, data in docs:
        v = store.put_artefact(ws.id, v, kind, art_id, data)
    original = store.get(ws.id)
    again = parse_workshop_file(export_workshop(original))
    assert _comparable(again) == _comparable(original)


@pytest.mark.parametrize(
    ("payload", "key"),
    [
        (b"", "errors.import.empty"),
        (b"\xff\xfe\x00garbage\x00", "errors.import.not_utf8"),
        (b"hello, not json", "errors.import.not_json"),
        (b'{"format": "capacity-workbench/workshop", "schema_version": 1, "meta": {"ti', "errors.import.truncated"),
        (b'{"some": "other json"}', "errors.import.wrong_format"),
        (b'[1, 2, 3]', "errors.import.wrong_format"),
        (b'{"format": "capacity-workbench/workshop", "schema_version": 99}', "errors.import.unknown_version"),
    ],
)
def test_bad_files_are_named_and_change_nothing(payload, key):
    store = open_store()
    before = store.list()
    with pytest.raises(InputError) as info:
        import_workshop(store, payload)
    assert info.value.key == key
    assert store.list() == before


def test_wrong_field_types_name_the_field():
    store = open_store()
    ws = store.create(WorkshopMeta(title="x"))
    doc = json.loads(export_workshop(ws))
    doc["meta"]["date"] = "not a date"
    with pytest.raises(InputError) as info:
        import_workshop(store, json.dumps(doc))
    assert info.value.key == "errors.import.invalid_field"
    assert info.value.params["location"] == "meta.date"
    assert len(store.list()) == 1


def test_unknown_artefact_kind_is_refused():
    store = open_store()
    ws = store.create(WorkshopMeta(title="x"))
    v = store.put_artefact(ws.id, ws.version, "forecast", "a", {})
    doc = json.loads(export_workshop(store.get(ws.id)))
    doc["artefacts"][0]["kind"] = "pickle"
    with pytest.raises(InputError) as info:
        import_workshop(store, json.dumps(doc))
    assert info.value.params["location"].startswith("artefacts.0.kind")
    assert v == 2
