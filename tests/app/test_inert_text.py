"""Query parameters and names are shown as text on the pages (issue 9, "Injection and leaks")."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from workbench.store import open_store
from workbench.texts import NAME_LIMIT
from workbench.workshop.models import WorkshopMeta

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
_GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)


def _inline_types(markdown: str) -> set[str]:
    return {child.type for tok in _MD.parse(markdown) for child in tok.children or []}


def _decoded(markdown: str) -> str:
    return "".join(child.content for tok in _MD.parse(markdown) for child in tok.children or [] if child.type == "text")


def _not_found_warning(app, workshop: str) -> str:
    at = app(lang="en", workshop=workshop).run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    return warning


def test_a_link_in_the_workshop_parameter_is_not_a_link(app) -> None:
    warning = _not_found_warning(app, "[Click here to sign in again](http://evil.example/login)")
    assert "link_open" not in _inline_types(warning)
    assert _GFM_URL.search(_decoded(warning)) is None  # nor a bare URL that Streamlit's GFM would link
    assert "Click here to sign in again" in _decoded(warning)


def test_an_image_in_the_workshop_parameter_is_not_loaded(app) -> None:
    warning = _not_found_warning(app, "![x](http://evil.example/pixel.png)")
    assert "image" not in _inline_types(warning)
    assert _GFM_URL.search(_decoded(warning)) is None


def test_html_in_the_workshop_parameter_stays_text(app) -> None:
    warning = _not_found_warning(app, "<img src=x onerror=alert(1)>")
    assert not {"html_inline", "image"} & _inline_types(warning)
    assert "<img src" in _decoded(warning).replace("\u2060", "")


def test_long_and_reversed_names_are_shortened_and_neutralised_in_the_sidebar_and_list(app) -> None:
    ws = open_store().create(WorkshopMeta(title="T" * 200, customer="\u202egnp.exe"))
    at = app(lang="en", workshop=ws.id).run()
    assert not at.exception
    sidebar = [t.value for t in at.sidebar.text]
    assert ("T" * (NAME_LIMIT - 1) + "…") in sidebar
    listed = [t.value for t in at.main.text]
    assert "gnp.exe" in listed and not any("\u202e" in v for v in listed)
    assert all(len(v) <= NAME_LIMIT for v in listed)
