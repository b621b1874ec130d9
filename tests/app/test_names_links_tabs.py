"""Links and names a user sees: the share link opens a registered page, Chinese names stay apart and are shown as
typed, and the Capacity page keeps its open tab across a language switch and for links in either language."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from workbench.i18n import t
from workbench.store import open_store
from workbench.workshop.models import WorkshopMeta


def test_the_share_link_opens_the_workshops_page_by_a_registered_path(app) -> None:
    ws = open_store().create(WorkshopMeta(title="Share me"))
    at = app(lang="en", workshop=ws.id).run()
    at.button(key="share_create").click().run()
    assert not at.exception, at.exception
    link = urlsplit(at.code[0].value)
    paths = {info["url_pathname"]: info["page_script_hash"] for info in at._registered_pages.values()}
    assert link.path.strip("/") in paths  # "/workshops" is no page: Streamlit said "Page not found"
    home = next(i for i in at._registered_pages.values() if i["url_pathname"] == link.path.strip("/"))
    assert home.get("is_default") or link.path.strip("/") == ""  # the Workshops page: the app's default, at "/"
    query = parse_qs(link.query)
    visitor = app(**{k: v[0] for k, v in query.items()}).run()  # the customer opens it
    assert not visitor.exception and "Share me" in [x.value for x in visitor.text]


def _forecast_named(at, name: str) -> None:
    at.switch_page("pages/forecast.py").run()
    at.text_input(key="fc_scen_name").input(name)
    at.slider(key="fc_growth").set_value(10.0)  # a scenario that differs from the base
    at.button(key=f"FormSubmitter:forecast_form-{t('forecast.run', 'en')}").click().run()
    assert not at.exception, at.exception
    assert any(name in o for o in at.selectbox(key="fc_chosen").options), at.selectbox(key="fc_chosen").options
    at.button(key="save_forecast").click().run()  # "use this peak for sizing": saved, then Capacity → Sizing
    assert not at.exception, at.exception


def test_two_chinese_scenarios_are_two_forecasts_shown_by_their_names(app) -> None:
    ws = open_store().create(WorkshopMeta(title="大促评审"))
    at = app(lang="en", workshop=ws.id).run()  # the names are Chinese (AppTest cannot submit this form in zh-CN)
    _forecast_named(at, "双十一")
    _forecast_named(at, "大促 +10%")
    saved = open_store().get(ws.id).artefacts_of("forecast")
    assert sorted(a.data["peak"]["scenario"] for a in saved) == ["双十一", "大促 +10%"]  # none overwritten
    assert at.session_state["capacity_tab"] == "Sizing"
    options = at.selectbox(key="size_peak_src").options
    assert any("双十一" in o for o in options) and any("大促 +10%" in o for o in options)
    assert not any(a.id in o for a in saved for o in options)  # the id derived from the name is not shown


def test_the_open_tab_survives_a_language_switch(app) -> None:
    at = app(lang="en").run()
    at.switch_page("pages/capacity.py").run()
    at.session_state["capacity_tab"] = "Sizing"
    at.query_params["capacity_tab"] = "Sizing"
    at.run()
    assert at.number_input(key="size_slo")  # the Sizing tab's content ran
    at.segmented_control(key="language_switch").set_value("zh-CN").run()
    assert not at.exception, at.exception
    assert at.session_state["capacity_tab"] == t("capacity.tab_sizing", "zh-CN")
    assert at.number_input(key="size_slo")
    at.run()  # the next run puts today's label in the URL: a refresh opens the same tab
    assert at.query_params.get("capacity_tab") == t("capacity.tab_sizing", "zh-CN")


def test_a_link_with_either_languages_label_or_the_key_opens_its_tab(app) -> None:
    for lang, value in (("zh-CN", "Sizing"), ("en", t("capacity.tab_sizing", "zh-CN")), ("en", "sizing")):
        at = app(lang=lang, capacity_tab=value).run()
        at.switch_page("pages/capacity.py").run()
        assert not at.exception, at.exception
        assert at.session_state["capacity_tab"] == t("capacity.tab_sizing", lang), (lang, value)
        assert at.number_input(key="size_slo"), (lang, value)
