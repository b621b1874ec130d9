"""The Capacity page: queue metrics and charts, unstable explained, USL lab, MVA, sizing saved in the workshop."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta

PAGE = str(ROOT / "pages" / "capacity.py")


TABS = {"en": ("Queue calculator", "Load-test lab", "Multi-tier (MVA)", "Sizing")}


def _page(tab: str | None = None, **query: str) -> AppTest:
    """The page with one tab open (only the open tab's content runs)."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in query.items():
        at.query_params[key] = value
    if tab is not None:
        at.session_state["capacity_tab"] = tab
    return at.run()


def _open(at: AppTest, tab: str) -> AppTest:
    """Switch tab as the browser does: the tabs widget's value changes (and with it the URL), the page reruns."""
    at.session_state["capacity_tab"] = tab
    at.query_params["capacity_tab"] = tab
    return at.run()


def _metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_every_tab_renders_with_defaults() -> None:
    at = _page()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert _metric(at, "Utilisation").endswith("%")
    charts = len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
    assert not any(m.label.startswith("σ contention") for m in at.metric)  # closed tabs do not run
    _open(at, "Load-test lab")
    assert _metric(at, "σ contention")  # load-test lab on the bundled sample
    charts += len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
    _open(at, "Multi-tier (MVA)")
    assert any("Bottleneck: db" in i.value for i in at.info)  # MVA tab
    charts += len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
    _open(at, "Sizing")
    assert not at.exception, at.exception
    sizing = next(d.value for d in at.dataframe if "Instances" in getattr(d.value, "columns", []))
    assert list(sizing["Tier"]) == ["web", "api", "db"]
    assert any("EXAMPLES" in w.value for w in at.warning)  # example tiers are marked as such
    assert charts >= 5


def test_unstable_queue_is_explained_not_a_traceback() -> None:
    at = _page()
    at.number_input(key="q_rate").set_value(2000.0)
    at.button[0].click().run()  # the queue form's submit button
    assert not at.exception, at.exception
    assert any("Unstable" in e.value and "at least 101 servers" in e.value for e in at.error)


def test_out_of_range_inputs_are_refused_in_the_users_words() -> None:
    # was "Unstable: utilisation is 104,166,666,…" printed over 300 digits
    at = _page()
    at.number_input(key="q_rate").set_value(1e300)
    at.button[0].click().run()
    assert not at.exception, at.exception
    text = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Arrival rate of 1e+300 req/s" in text and "capacity.field" not in text and len(text) < 200
    at.number_input(key="q_rate").set_value(1e9)
    at.number_input(key="q_service").set_value(1e10)
    at.button[0].click().run()
    assert any("the load is the cause" in e.value for e in at.error)
    at.query_params["lang"] = "zh-CN"
    at.number_input(key="q_rate").set_value(800.0)
    at.number_input(key="q_service").set_value(1e300)
    at.button[0].click().run()
    text = " ".join(e.value for e in at.error).replace("\\", "")
    assert "1e+300 ms" in text and "capacity.field" not in text and "Mean service time" not in text


def test_a_bounded_queue_refusing_half_the_arrivals_is_not_a_plain_slo_met() -> None:
    at = _page()
    at.number_input(key="q_rate").set_value(2000.0)
    at.number_input(key="q_service").set_value(50.0)
    at.number_input(key="q_servers").set_value(48)
    at.number_input(key="q_room").set_value(60)  # room for 60 (48 served, 12 waiting): about 52 % refused
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.success
    assert any("admitted requests only" in w.value and "refused" in w.value for w in at.warning)
    assert _metric(at, "Utilisation") != "100.0 %"  # 99.998 % is not shown as full


def test_queue_gg_c_shows_approximation_note() -> None:
    at = _page()
    at.number_input(key="q_cs").set_value(1.8)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("Approximation" in c.value for c in at.caption)


def test_jmeter_sample_and_warnings() -> None:
    at = _page("Load-test lab")
    at.radio(key="usl_src").set_value("jmeter").run()
    assert not at.exception, at.exception
    assert any("summary row" in w.value for w in at.warning)
    assert float(_metric(at, "Peak concurrency").replace(",", "")) > 20


def test_sizing_is_saved_in_the_open_workshop() -> None:
    ws = open_store().create(WorkshopMeta(title="Sizing homework")).id
    at = _page("Sizing", workshop=ws)
    submit = next(b for b in at.button if b.label == "Size the tiers")
    submit.click().run()
    assert not at.exception, at.exception
    assert any("Sizing saved" in s.value for s in at.success)
    saved = open_store().get(ws).artefacts_of("sizing")
    assert saved and saved[0].id == "peak"
    assert saved[0].data["results"][0]["tier"] == "web"


def test_chinese_page_renders() -> None:
    at = _page(lang="zh-CN")
    assert not at.exception, at.exception
    assert any(m.label.startswith("利用率") for m in at.metric)


def test_page_is_reachable_through_the_app(app) -> None:
    at = app(lang="en").run()
    at.switch_page("pages/capacity.py")
    at.session_state["_ctx_from_app"] = False
    at.run()
    assert not at.exception, at.exception
    assert any(m.label == "Utilisation" for m in at.metric)


def test_usl_fit_becomes_a_sizing_tier() -> None:
    at = _page("Load-test lab")
    at.button(key="usl_to_tier").click().run()
    assert not at.exception, at.exception
    _open(at, "Sizing")
    sizing = next(d.value for d in at.dataframe if "Instances" in getattr(d.value, "columns", []))
    assert list(sizing["Tier"]) == ["web", "api", "db", "usl-fit"]
    assert any("Little's law" in c.value for c in at.caption)  # USL latency is the mean, and says so
