"""The Capacity page's added models: Erlang B & staffing, USL backwards, bounds & classes, open network."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workbench.i18n import t

PAGE = str(ROOT / "pages" / "capacity.py")


def _page(lang: str = "en", tab: str | None = None) -> AppTest:
    """The page with the tab ``capacity.<tab>`` open (only the open tab's content runs)."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["lang"] = lang
    if tab is not None:  # the open tab is bound to the URL (?capacity_tab=<label>), as a link or a refresh gives it
        at.query_params["capacity_tab"] = t(f"capacity.{tab}", lang)
    return at.run()


def _open(at: AppTest, tab: str, lang: str = "en") -> AppTest:
    label = t(f"capacity.{tab}", lang)
    at.session_state["capacity_tab"] = label
    at.query_params["capacity_tab"] = label
    return at.run()


def _metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_new_tabs_render_with_their_worked_examples() -> None:
    at = _page(tab="tab_erlang")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    # Erlang B table (Iversen 2015): 10 erlangs need 18 servers at 1 %; 20 servers carry 12.03 erlangs
    assert _metric(at, "Servers for 10.00 erlangs") == "18"
    assert _metric(at, "Load 20 servers carry") == "12.03"
    # 200 contacts/h × 180 s = 10 erlangs, 80/20 → 14 agents, 20 rostered at 30 % shrinkage (callcentrehelper.com)
    assert _metric(at, "Agents working") == "14" and _metric(at, "Agents on the roster") == "20"
    _open(at, "tab_usl_solve")
    assert any(m.value.startswith("96") for m in at.metric if m.label.startswith("Peak concurrency"))
    assert any("exact USL root" in i.value for i in at.info)
    _open(at, "tab_open")
    assert any("End to end" in i.value for i in at.info)  # open network
    _open(at, "tab_closed")
    tables = [d.value for d in at.dataframe]
    assert any("Balanced-job bounds (req/s)" in getattr(t, "columns", []) for t in tables)
    assert any("Class" in getattr(t, "columns", []) for t in tables)
    assert not at.exception and not at.error


def test_staffing_with_an_asa_target() -> None:
    at = _page(tab="tab_erlang")
    at.number_input(key="st_asa").set_value(3.0)
    next(b for b in at.button if b.form_id == "staff_form").click().run()
    assert not at.exception and int(_metric(at, "Agents working")) > 14


def test_chinese_tabs() -> None:
    at = _page("zh-CN", tab="tab_erlang")
    assert not at.exception and not at.error
    assert _metric(at, "在岗坐席") == "14"



def test_bounded_queue_on_the_queue_tab() -> None:
    at = _page()
    at.number_input(key="q_rate").set_value(500.0)
    at.number_input(key="q_service").set_value(100.0)
    at.number_input(key="q_servers").set_value(48)
    at.number_input(key="q_room").set_value(52)
    next(b for b in at.button if b.form_id == "queue_form").click().run()
    assert not at.exception and not at.error
    assert any("M/M/c/K" in c.value for c in at.caption)
    assert _metric(at, "Share of arrivals refused").endswith("%")
    at.number_input(key="q_cs").set_value(0.5)  # a bounded queue needs exponential service: said in words
    next(b for b in at.button if b.form_id == "queue_form").click().run()
    assert not at.exception and any("Poisson arrivals and exponential service" in e.value for e in at.error)


def test_staffing_load_out_of_reach_is_said_in_words() -> None:
    # was "{rate} req/s × {service_ms} ms = …" with the placeholders left in the message
    at = _page(tab="tab_erlang")
    at.number_input(key="st_rate").set_value(1e9)  # contacts per hour, the field's maximum
    at.number_input(key="st_aht").set_value(1e6)
    next(b for b in at.button if b.form_id == "staff_form").click().run()
    assert not at.exception, at.exception
    text = " ".join(e.value for e in at.error)
    assert "the load is the cause" in text and "{" not in text
