"""The Fleet radar page on the sample fleet: run, ranked table, filters, open one service as a workshop."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workbench.fleet.sample import write_fleet
from workbench.fleet.server_paths import ROOT_ENV


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "fleet.py"), default_timeout=180)
    at.query_params["lang"] = "en"
    return at


def test_sample_fleet_ranked_and_opened_as_workshop() -> None:
    from workbench.store import open_store

    at = _page().run()
    assert not at.exception, at.exception
    assert any("Pick the sample fleet" in i.value for i in at.info)
    at.checkbox(key="fleet_fast").check()
    at.button(key="fleet_run").click().run()
    assert not at.exception, at.exception
    assert any("services analysed" in s.value and "1 failed" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert len(table) == 9  # 8 services + the broken file, reported not fatal
    assert table["service"].iloc[0] in {"svc-0003-promo", "svc-0007-growth"}  # seeded over capacity
    assert table["service"].iloc[-1] == "svc-broken"
    problem = table["error"].iloc[-1]
    assert problem and "errors." not in problem  # the problem in words, not its message key
    assert at.dataframe[0].proto.placeholder == "—"  # empty cells (no capacity, not exceeded) never say "None"

    top = table.iloc[0]
    svg = base64.b64decode(top["sparkline"].split(",", 1)[1]).decode()
    assert 'class="history"' in svg and 'class="forecast"' in svg and 'class="capacity"' in svg
    assert table.loc[table["service"] == "svc-0005-noisy-gappy", "flags"].iloc[0] != ""  # translated flags
    assert "," not in "".join(table["flags"].str.replace(", ", ""))  # labels, not the raw codes

    at.multiselect(key="fleet_status").set_value(["failed"]).run()
    assert list(at.dataframe[0].value["service"]) == ["svc-broken"]

    at.selectbox(key="fleet_open_pick").set_value("svc-0001-growth")
    at.button(key="fleet_open").click().run()
    assert not at.exception, at.exception
    ws_id = at.query_params["workshop"][0] if isinstance(at.query_params["workshop"], list) \
        else at.query_params["workshop"]
    ws = open_store().get(ws_id)
    datasets = ws.artefacts_of("dataset")
    assert len(datasets) == 1 and datasets[0].data["name"] == "svc-0001-growth"
    assert datasets[0].data["points"] == 21 * 24
    forecasts = ws.artefacts_of("forecast")
    assert len(forecasts) == 1 and forecasts[0].data["peak"]["series_name"] == "svc-0001-growth"
    assert forecasts[0].data["peak"]["horizon_days"] == 30


def test_page_is_translated() -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "fleet.py"), default_timeout=60)
    at.query_params["lang"] = "zh-CN"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "服务集群容量雷达"


def test_registered_in_the_app_navigation(app) -> None:
    at = app(lang="zh-CN")
    at.run()
    at.switch_page(str(ROOT / "pages" / "fleet.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "服务集群容量雷达"


def test_server_path_only_when_allowed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ROOT_ENV, raising=False)
    at = _page().run()
    assert not at.exception, at.exception
    assert at.radio(key="fleet_source").options == ["Sample fleet (8 services, 3 weeks hourly, one broken file)",
                                                    "Upload files"]
    write_fleet(tmp_path / "fleets" / "east", services=4, days=15, seed=4)
    monkeypatch.setenv(ROOT_ENV, str(tmp_path / "fleets"))
    at = _page().run()
    assert len(at.radio(key="fleet_source").options) == 3
    at.radio(key="fleet_source").set_value("server").run()
    at.text_input(key="fleet_server_path").input("../../etc").run()
    assert not at.exception, at.exception
    assert any("not inside the allowed server folder" in e.value for e in at.error)
    at.text_input(key="fleet_server_path").input("east").run()
    at.checkbox(key="fleet_fast").check()
    at.button(key="fleet_run").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == 5 and table["service"].iloc[-1] == "svc-broken"
    at.selectbox(key="fleet_open_pick").set_value("svc-0002-launch")
    at.button(key="fleet_open").click().run()
    assert not at.exception, at.exception
    from workbench.store import open_store

    ws_id = at.query_params["workshop"]
    ws = open_store().get(ws_id[0] if isinstance(ws_id, list) else ws_id)
    datasets = ws.artefacts_of("dataset")
    assert len(datasets) == 1 and datasets[0].data["points"] == 15 * 24  # the server file's history
    assert ws.artefacts_of("forecast")[0].data["peak"]["series_name"] == "svc-0002-launch"
