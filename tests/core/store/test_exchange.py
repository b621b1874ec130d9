"""Export/import of a whole workshop: lossless round trip, clear refusals, nothing stored on failure."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from workbench.errors import InputError
from workbench.io import load_sample
from workbench.store import open_store
from workbench.workshop.datasets import series_to_document
from workbench.workshop.documents import (
    DraftDoc,
    FindingsDoc,
    ForecastDoc,
    InputSource,
    SizingDoc,
    WorkshopSettings,
    dump,
    model_for,
    read,
)
from workbench.workshop.exchange import export_workshop, import_workshop, parse_workshop_file
from workbench.workshop.models import ArtefactKind, WorkshopMeta

DEMO = ROOT / "sample_data" / "demo_workshop.{lang}.json"


def _comparable(ws):
    return (ws.meta, sorted((a.kind, a.id, a.schema_version, json.dumps(a.data, sort_keys=True), a.created_at,
                             a.updated_at) for a in ws.artefacts))


def _demo_store():
    store = open_store("sqlite:///:memory:")
    return store, import_workshop(store, DEMO.with_name("demo_workshop.en.json").read_bytes())


def test_round_trip_over_every_artefact_kind():
    store, ws = _demo_store()
    v = ws.version
    v = store.put_artefact(ws.id, v, "dataset", "qps", series_to_document(load_sample().series.iloc[:500], "qps.csv"))
    v = store.put_artefact(ws.id, v, "draft", "architecture", dump(DraftDoc(yaml="name: x\n", saved=dt.datetime(
        2026, 11, 2, tzinfo=dt.UTC))))
    v = store.put_artefact(ws.id, v, "findings", "v001", dump(FindingsDoc(architecture_version="v001",
                                                                          scores={"overall": 40.0})))
    v = store.put_artefact(ws.id, v, "settings", "workshop", dump(WorkshopSettings(timezone="Asia/Shanghai")))
    original = store.get(ws.id)
    kinds = {a.kind for a in original.artefacts}
    assert kinds >= {k for k in ArtefactKind if k is not ArtefactKind.HOMEWORK or model_for(k) is not None}
    imported = import_workshop(store, export_workshop(original))
    assert imported.id != original.id
    assert _comparable(imported) == _comparable(original)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(min_size=1, max_size=50).filter(lambda s: s.strip()),
    notes=st.text(max_size=200),
    keep=st.lists(st.booleans(), min_size=7, max_size=7),
)
def test_round_trip_property(title, notes, keep):
    demo = parse_workshop_file(DEMO.with_name("demo_workshop.en.json").read_bytes())
    store = open_store("sqlite:///:memory:")
    ws = store.create(WorkshopMeta(title=title, notes=notes, date=dt.date(2026, 11, 11)))
    v = ws.version
    for art, wanted in zip(demo.artefacts, keep, strict=False):
        if wanted:
            v = store.put_artefact(ws.id, v, art.kind, art.id, art.data)
    original = store.get(ws.id)
    again = parse_workshop_file(export_workshop(original))
    assert _comparable(again) == _comparable(original)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_todays_workshop_files_still_import(lang):
    """Files written with today's schema (the demo exports) import, every artefact typed."""
    store = open_store("sqlite:///:memory:")
    ws = import_workshop(store, DEMO.with_name(f"demo_workshop.{lang}.json").read_bytes())
    forecast = read(ws, ForecastDoc, "qps-double11")
    assert forecast is not None and forecast.peak.peak.p95 > forecast.peak.peak.point > 0
    sizing = read(ws, SizingDoc, "double11")
    assert sizing is not None and [t.name for t in sizing.tiers] == ["web", "redis", "mysql"]
    assert sizing.provenance.tiers is InputSource.IMPORTED  # saved before sources were recorded: not an example


@pytest.mark.parametrize(
    ("kind", "art_id", "change", "field"),
    [
        ("forecast", "qps-double11", lambda d: d["peak"]["peak"].pop("p95"), "peak.peak.p95"),
        ("forecast", "qps-double11", lambda d: d["peak"].update(peak_time="tomorrow"), "peak.peak_time"),
        ("sizing", "double11", lambda d: d["inputs"].update(azs="two"), "inputs.azs"),
        ("sizing", "double11", lambda d: d["tiers"][0].update(service_ms=-1), "tiers.0.service_ms"),
        ("milestone", "review-1", lambda d: d.pop("name"), "name"),
        ("architecture", "v001", lambda d: d.update(yaml="components: [1, 2"), "yaml"),
    ],
)
def test_a_bad_artefact_is_refused_naming_it_and_its_field(kind, art_id, change, field):
    doc = json.loads(DEMO.with_name("demo_workshop.en.json").read_text(encoding="utf-8"))
    art = next(a for a in doc["artefacts"] if a["kind"] == kind and a["id"] == art_id)
    change(art["data"])
    store = open_store("sqlite:///:memory:")
    with pytest.raises(InputError) as info:
        import_workshop(store, json.dumps(doc))
    assert info.value.key == "errors.import.invalid_artefact"
    assert info.value.params["kind"] == kind and info.value.params["id"] == art_id
    assert info.value.params["field"] == field
    assert store.list() == []
    for lang in ("en", "zh-CN"):
        text = info.value.translate(lang)
        assert art_id in text and field in text


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
    v = store.put_artefact(ws.id, ws.version, "chain", "settings", {})
    doc = json.loads(export_workshop(store.get(ws.id)))
    doc["artefacts"][0]["kind"] = "pickle"
    with pytest.raises(InputError) as info:
        import_workshop(store, json.dumps(doc))
    assert info.value.params["location"].startswith("artefacts.0.kind")
    assert v == 2
