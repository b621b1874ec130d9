"""The workshop's own time zone: a typed setting kept with the workshop, exported, imported, used by the report."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import ROOT
from workbench.errors import InputError
from workbench.store import open_store
from workbench.workshop.documents import SETTINGS_ID, WorkshopSettings, dump, workshop_settings, zone_of
from workbench.workshop.exchange import export_workshop, import_workshop
from workbench.workshop.models import WorkshopMeta
from workbench.workshop.report_builder import build_report_data, workshop_timezone

DEMO = ROOT / "sample_data" / "demo_workshop.en.json"


def _workshop_with(zone: str | None):
    store = open_store("sqlite:///:memory:")
    ws = store.create(WorkshopMeta(title="tz", date=dt.date(2026, 11, 11)))
    store.put_artefact(ws.id, ws.version, "settings", SETTINGS_ID, dump(WorkshopSettings(timezone=zone)))
    return store, store.get(ws.id)


def test_the_setting_is_typed_and_refuses_an_unknown_zone():
    assert WorkshopSettings(timezone="Asia/Shanghai").zone() == ZoneInfo("Asia/Shanghai")
    assert WorkshopSettings(timezone="").timezone is None  # empty: left to each viewer
    with pytest.raises(ValueError, match="unknown time zone"):
        WorkshopSettings(timezone="Mars/Olympus_Mons")


def test_a_workshop_without_the_setting_leaves_times_to_the_viewer():
    store = open_store("sqlite:///:memory:")
    ws = store.create(WorkshopMeta(title="tz"))
    assert workshop_settings(ws).timezone is None
    assert zone_of(None) is None and zone_of({"timezone": "Nowhere/Else"}) is None


def test_the_zone_travels_with_the_exported_workshop():
    store, ws = _workshop_with("America/New_York")
    again = import_workshop(store, export_workshop(ws))
    assert workshop_settings(again).timezone == "America/New_York"


def test_an_imported_file_with_an_unknown_zone_is_refused_naming_the_field():
    doc = json.loads(DEMO.read_text(encoding="utf-8"))
    doc["artefacts"].append({**doc["artefacts"][0], "kind": "settings", "id": SETTINGS_ID,
                             "data": {"timezone": "Mars/Olympus_Mons"}, "schema_version": 1})
    store = open_store("sqlite:///:memory:")
    with pytest.raises(InputError) as info:
        import_workshop(store, json.dumps(doc))
    assert info.value.params["kind"] == "settings" and info.value.params["field"] == "timezone"
    assert store.list() == []


def test_the_home_list_reads_every_workshops_zone_in_one_query():
    store, ws = _workshop_with("Asia/Tokyo")
    other = store.create(WorkshopMeta(title="no zone"))
    zones = {wid: zone_of(data) for wid, data in store.artefact_everywhere("settings", SETTINGS_ID).items()}
    assert zones == {ws.id: "Asia/Tokyo"}
    assert other.id not in zones


@pytest.mark.parametrize(("zone", "hour"), [("Asia/Shanghai", 20), ("Europe/London", 12), ("America/New_York", 7)])
def test_the_report_is_dated_in_the_workshops_zone(zone, hour):
    _, ws = _workshop_with(zone)
    tz, name = workshop_timezone(ws)
    assert name == zone
    noon_utc = dt.datetime(2026, 11, 11, 12, 0, tzinfo=dt.UTC)
    data = build_report_data(ws, "en", now=noon_utc)
    assert data.timezone == zone
    assert data.generated_at.hour == hour  # 12:00 UTC is 20:00 in Beijing, 12:00 in London, 07:00 in New York
    assert data.generated_at == noon_utc and data.generated_at.tzinfo is not None
    assert tz.utcoffset(noon_utc) == data.generated_at.utcoffset()


def test_without_a_setting_the_report_keeps_the_load_historys_zone():
    store = open_store("sqlite:///:memory:")
    ws = import_workshop(store, DEMO.read_bytes())
    assert workshop_settings(ws).timezone is None
    _, name = workshop_timezone(ws)
    assert name == "UTC+08:00"  # the demo's history is in Beijing time
