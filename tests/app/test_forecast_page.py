"""The Forecast page on the bundled sample: forecast, backtest table, peaks, scenario, save."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "forecast.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    return at


def test_sample_forecast_shows_model_backtest_and_peaks() -> None:
    at = _page().run()
    assert not at.exception, at.exception
    assert any("Model used" in s.value for s in at.success)
    assert len(at.dataframe) >= 3  # backtest, comparison, daily peaks
    backtest = next(d for d in at.dataframe if "MASE" in getattr(d.value, "columns", []))
    assert backtest.proto.placeholder == "—"  # a model not run shows dashes, never "None"
    texts = " ".join(t.value for t in at.text)
    assert "Peak of" in texts
    # the sample's later backtest windows miss more often than its early ones: the widening is said
    assert any("so the band was widened for this series" in i.value for i in at.info)


def test_growth_scenario_is_compared_side_by_side() -> None:
    at = _page().run()
    at.slider[0].set_value(10.0)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Growth %/month" in getattr(d.value, "columns", []))
    assert list(table["Scenario"]) == ["base", "scenario"]
    assert table["P95"].iloc[1] > table["P95"].iloc[0]


def test_save_hands_the_peak_to_the_open_workshop(app) -> None:
    from workbench.store import open_store
    from workbench.workshop.models import WorkshopMeta

    store = open_store()
    ws = store.create(WorkshopMeta(title="forecast hand-over"))
    at = app(lang="en", workshop=ws.id)
    at.run()
    at.switch_page(str(ROOT / "pages" / "forecast.py")).run()
    at.session_state["_ctx_from_app"] = False
    assert not at.exception, at.exception
    at.button(key="save_forecast").click().run()
    assert not at.exception, at.exception
    saved = store.get(ws.id).artefacts_of("forecast")
    assert len(saved) == 1
    peak = saved[0].data["peak"]
    assert peak["peak"]["p95"] >= peak["peak"]["p80"] >= peak["peak"]["point"] > 0
    assert saved[0].data["summary"]["history_daily_max"], "the report charts the recent daily maxima"


def test_page_renders_in_chinese(app) -> None:
    at = app(lang="zh-CN")
    at.run()
    at.switch_page(str(ROOT / "pages" / "forecast.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "负载预测"


def test_reading_options_override_the_detected_column_and_interval() -> None:
    at = _page().run()
    assert not at.exception, at.exception
    qps_peak = next(t.value for t in at.text if t.value.startswith("Peak of"))
    at.multiselect(key="ing_values").set_value(["cpu_pct"])
    at.selectbox(key="ing_freq").set_value("1h")
    at.selectbox(key="ing_agg").set_value("max").run()
    assert not at.exception, at.exception
    cpu_peak = next(t.value for t in at.text if t.value.startswith("Peak of"))
    assert cpu_peak != qps_peak
    value = float(cpu_peak.split(":")[1].split()[0].replace(",", ""))
    assert 0 < value < 1000, cpu_peak  # CPU % (×3 in the Double 11 window), not thousands of requests per second


def test_a_dataset_kept_in_the_workshop_can_be_forecast_again(app) -> None:
    from workbench.io import load_sample
    from workbench.store import open_store
    from workbench.workshop.datasets import series_to_document
    from workbench.workshop.models import WorkshopMeta

    store = open_store()
    ws = store.create(WorkshopMeta(title="kept data"))
    hourly = load_sample().series.resample("1h").max()
    store.put_artefact(ws.id, ws.version, "dataset", "export-csv", series_to_document(hourly, "export.csv"))
    at = app(lang="en", workshop=ws.id)
    at.run()
    at.switch_page(str(ROOT / "pages" / "forecast.py")).run()
    at.session_state["_ctx_from_app"] = False
    at.radio(key="fc_source").set_value("workshop").run()
    assert not at.exception, at.exception
    assert any("export" in c.value and f"{len(hourly)} points" in c.value for c in at.caption)
    assert any(t.value.startswith("Peak of") for t in at.text)
