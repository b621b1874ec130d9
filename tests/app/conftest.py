"""AppTest helpers: run the real app (app.py) so navigation, language and the boundary are exercised."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> None:
    """Each test has its own store (see tests/conftest.py), so cached resources must not leak across tests."""
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app() -> Callable[..., AppTest]:
    """Build an AppTest of app.py; query parameters (e.g. lang='en') are passed as keywords."""

    def _make(**query: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return _make
