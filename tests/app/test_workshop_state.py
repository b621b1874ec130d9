"""Every page shows what the workshop holds: leaving and coming back, or a new session (a refresh, the link
reopened next week), shows the same inputs; "use this peak for sizing" lands on Sizing with that peak."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workbench.store import open_store
from workbench.workshop.chain import chain_if_ready
from workbench.workshop.documents import (
    FORECAST_DRAFT_ID,
    DraftDoc,
    ForecastDoc,
    InputSource,
    SizingDoc,
    dump,
    read,
)
from workbench.workshop.exchange import import_workshop
from workbench.workshop.models import WorkshopMeta

DEMO = ROOT / "sample_data" / "demo_workshop.en.json"


def _demo() -> str:
    return import_workshop(open_store(), DEMO.read_bytes()).id


def _open(app: Callable[..., AppTest], page: str, workshop: str, at: AppTest | None = None) -> AppTest:
    """Go to ``page`` through the app shell (a new session when ``at`` is None, as after a refresh)."""
    if at is None:
        at = app(lang="en", workshop=workshop)
        at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _comparison(at: AppTest):  # noqa: ANN202 - a DataFrame
    return next(d.value for d in at.dataframe if "Growth %/month" in getattr(d.value, "columns", []))


def test_forecast_opens_on_the_workshops_scenario_not_an_example(app) -> None:
    ws = _demo()
    at = _open(app, "forecast", ws)
    assert at.text_input(key="fc_scen_name").value == "double11"  # the demo's scenario, from its saved forecast
    assert at.slider(key="fc_growth").value == pytest.approx(3.0)
    table = _comparison(at)
    assert list(table["Scenario"]) == ["base", "double11"] and table["Events"].iloc[1] == 1


def test_a_forecast_edit_survives_leaving_the_page_and_a_refresh(app) -> None:
    ws = _demo()
    at = _open(app, "forecast", ws)
    at.slider(key="fc_growth").set_value(5.0)
    next(b for b in at.button if b.label == "Forecast").click().run()  # the form's submit button
    assert not at.exception, at.exception
    draft = read(open_store().get(ws), DraftDoc, FORECAST_DRAFT_ID)
    assert draft is not None and draft.forecast is not None
    assert draft.forecast.scenario.growth_pct_per_month == pytest.approx(5.0)
    assert [e.value for e in draft.forecast.scenario.events] == [pytest.approx(3.0)]  # Double 11 kept as it was
    _open(app, "report", ws, at)
    _open(app, "forecast", ws, at)  # back again: the widgets were cleared while away
    assert at.slider(key="fc_growth").value == pytest.approx(5.0)
    again = _open(app, "forecast", ws)  # a new session: a refresh or the link reopened
    assert again.slider(key="fc_growth").value == pytest.approx(5.0)
    assert again.text_input(key="fc_scen_name").value == "double11"


def test_events_come_from_the_workshop(app) -> None:
    """An event edited to ×5 (saved as the draft) is what the next visit forecasts with, not the ×3 example."""
    ws = _demo()
    p95_x3 = _comparison(_open(app, "forecast", ws))["P95"].iloc[1]
    store = open_store()
    workshop = store.get(ws)
    inputs = read(workshop, ForecastDoc, "qps-double11").restored_inputs()  # type: ignore[union-attr]
    event = inputs.scenario.events[0].model_copy(update={"value": 5.0})
    edited = inputs.model_copy(update={"scenario": inputs.scenario.model_copy(update={"events": (event,)})})
    store.put_artefact(ws, workshop.version, "draft", FORECAST_DRAFT_ID,
                       dump(DraftDoc(forecast=edited, saved="2026-11-02T10:00:00Z")))
    p95_x5 = _comparison(_open(app, "forecast", ws))["P95"].iloc[1]
    assert p95_x5 > p95_x3 * 1.3


def test_use_this_peak_lands_on_sizing_with_that_peak(app) -> None:
    ws = _demo()
    at = _open(app, "forecast", ws)
    at.button(key="save_forecast").click().run()
    assert not at.exception, at.exception
    saved = read(open_store().get(ws), ForecastDoc, "qps-double11")
    assert saved is not None and saved.inputs is not None and saved.inputs.chosen == "double11"
    assert at.session_state["capacity_tab"] == "Sizing"
    assert at.selectbox(key="size_peak_src").value == "qps-double11"
    assert at.number_input(key="size_peak_qps-double11").value == pytest.approx(saved.peak.peak.p95)
    assert any("is in the workshop" in s.value for s in at.success)
    settings = open_store().get(ws)
    assert read(settings, ForecastDoc, "qps-double11") is not None


def test_sizing_opens_on_the_tiers_and_peak_last_used(app) -> None:
    ws = _demo()
    at = app(lang="en", workshop=ws)
    at.run()
    at.session_state["capacity_tab"] = "Sizing"
    _open(app, "capacity", ws, at)
    sizing = next(d.value for d in at.dataframe if "Instances" in getattr(d.value, "columns", []))
    assert list(sizing["Tier"]) == ["web", "redis", "mysql"]
    assert list(sizing["Instances"]) == [64, 14, 6]  # the demo's P95 peak of 32,358 req/s
    assert at.number_input(key="size_slo").value == pytest.approx(200.0)
    assert at.number_input(key="size_azs").value == 2
    assert not any("EXAMPLES" in w.value for w in at.warning)


def test_example_tiers_never_reach_the_customer(app) -> None:
    ws = open_store().create(WorkshopMeta(title="new customer")).id
    at = app(lang="en", workshop=ws)
    at.run()
    at.session_state["capacity_tab"] = "Sizing"
    _open(app, "capacity", ws, at)
    assert any("EXAMPLES" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Size the tiers").click().run()
    assert not at.exception, at.exception
    stored = open_store().get(ws)
    sizing = read(stored, SizingDoc, "peak")
    assert sizing is not None and sizing.provenance.tiers is InputSource.EXAMPLE
    assert chain_if_ready(stored) is None  # the chain refuses examples
    report = _open(app, "report", ws, at)
    assert any("No tiers sized yet" in e.value for e in report.error)
    back = _open(app, "capacity", ws, report)
    back.session_state["capacity_tab"] = "Sizing"
    back.run()
    back.checkbox(key="size_confirm").check()
    next(b for b in back.button if b.label == "Size the tiers").click().run()
    assert not back.exception, back.exception
    confirmed = open_store().get(ws)
    assert read(confirmed, SizingDoc, "peak").provenance.tiers is InputSource.CONFIRMED  # type: ignore[union-attr]
    assert chain_if_ready(confirmed) is not None


def test_architecture_shows_the_version_in_use_and_its_template(app) -> None:
    ws = _demo()
    at = _open(app, "architecture", ws)
    captions = " ".join(c.value for c in at.caption)
    assert "Version v002, the one the chain uses" in captions
    assert "started from the template" in captions
    again = _open(app, "architecture", ws)  # a new session shows the same
    assert "Version v002, the one the chain uses" in " ".join(c.value for c in again.caption)
