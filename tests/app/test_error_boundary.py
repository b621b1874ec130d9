"""The error boundary: core errors read as translated messages, anything else as an incident number."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script_core_error() -> None:
    import streamlit as st

    from pages import _ui
    from workbench.errors import InputError

    st.query_params["lang"] = "zh-CN"
    with _ui.boundary():
        raise InputError("errors.import.wrong_format")


def _script_unexpected() -> None:
    from pages import _ui

    with _ui.boundary():
        raise RuntimeError("/secret/server/path.py exploded")


def _run(fn) -> AppTest:
    from tests.conftest import ROOT

    at = AppTest.from_function(fn, default_timeout=30)
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return at.run()


def test_core_error_is_translated():
    at = _run(_script_core_error)
    assert not at.exception
    assert [e.value for e in at.error] == ["该 JSON 文件不是容量工作台导出的工作坊。"]


def test_unexpected_error_shows_an_incident_not_a_traceback_or_path():
    at = _run(_script_unexpected)
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "incident" in message and "/secret" not in message and "Traceback" not in message


def _script_field_error() -> None:
    import streamlit as st

    from pages import _ui
    from workbench.capacity.validate import number

    st.query_params["lang"] = st.session_state.get("want_lang", "en")
    with _ui.boundary():
        number(0.0, "capacity.sizing.peak_rps", unit="req/s")


def test_field_error_names_the_translated_label_and_keeps_the_space_before_the_unit():
    import pytest

    from workbench.capacity.validate import FieldError, number
    from workbench.i18n import t

    with pytest.raises(FieldError) as info:
        number(0.0, "capacity.sizing.peak_rps", unit="req/s")
    for lang in ("en", "zh-CN"):
        at = AppTest.from_function(_script_field_error, default_timeout=30)
        at.session_state["want_lang"] = lang
        at.run()
        assert not at.exception
        shown = [w.value for w in at.warning] + [e.value for e in at.error]
        label = t("capacity.sizing.peak_rps", lang)
        assert any(label in m and "0 req/s" in m for m in shown), shown
        assert not any("capacity.sizing.peak_rps" in m or "0req/s" in m for m in shown), shown
        assert info.value.translate(lang) in shown  # the page says what the core's own translation says
