"""Ids of saved forecasts and sizings: distinct names keep distinct ids, ASCII names keep their old ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.store import open_store
from workbench.workshop.documents import artefact_name, forecast_id, id_for_name, sizing_id
from workbench.workshop.models import ID_PATTERN, WorkshopMeta


def test_chinese_names_no_longer_collapse_to_one_id() -> None:
    assert forecast_id("qps", "双十一") != forecast_id("qps", "大促")
    assert sizing_id("双十一峰值") != sizing_id("大促峰值")
    assert forecast_id("qps", "大促 +10%") != forecast_id("qps", "大促 10%")


def test_ascii_names_keep_the_ids_they_always_had() -> None:
    assert forecast_id("qps", "double11") == "qps-double11"
    assert forecast_id("qps", "Black Friday") == "qps-Black-Friday"
    assert sizing_id("peak") == "peak" and sizing_id("Peak") == "peak"


@given(st.text(max_size=80), st.text(max_size=80))
def test_ids_are_valid_and_stable_for_any_name(series: str, scenario: str) -> None:
    fid = forecast_id(series, scenario)
    assert ID_PATTERN.match(fid) and fid == forecast_id(series, scenario)
    assert ID_PATTERN.match(sizing_id(scenario))


def _sizing(scenario: str) -> dict:
    return {"inputs": {"peak": 500.0, "slo_ms": 150.0, "q": 0.99, "cap": 0.7, "azs": 2, "scenario": scenario}}


def test_saving_never_takes_the_id_of_a_document_with_another_name() -> None:
    store = open_store()
    ws = store.create(WorkshopMeta(title="names"))
    store.put_artefact(ws.id, ws.version, "sizing", "sizing", _sizing("双十一峰值"))  # stored under the old rule
    workshop = store.get(ws.id)
    assert id_for_name(workshop, "sizing", "sizing", "大促峰值") == "sizing-2"  # not the other name's id
    assert id_for_name(workshop, "sizing", sizing_id("双十一峰值"), "双十一峰值") == "sizing"  # the same name: replaced
    assert id_for_name(workshop, "sizing", "fresh", "new") == "fresh"
    assert artefact_name("sizing", workshop.artefacts_of("sizing")[0].data) == "双十一峰值"
