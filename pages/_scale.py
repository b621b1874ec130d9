"""Large estates on the Architecture page: the typed model kept between runs, and drill-down into the diagram.

Why
    The page's source of truth is a text (the editor shows it, versions store it).  Dumping a 1,000-component
    model to YAML and parsing it back for every fix or waiver took seconds (PyYAML's pure-Python representer
    and composer); at 10,000 components, minutes.  So:

    - a fix or waiver produces the typed :class:`Architecture`; :func:`remember` keeps it next to its text,
      and the page's ``parse`` returns the kept model instead of parsing the text again;
    - the text of a large model (above :data:`JSON_ABOVE` components) is JSON, which the loader reads with
      ``json.loads`` (tens of times faster than YAML) and which is still valid YAML for the editor;
    - above :data:`diagram.AGGREGATE_ABOVE` components the diagram is aggregated; :func:`drilldown` lets
      the advisor open one aggregated node (a location and a type) in the full view.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

import streamlit as st

from pages import _ui
from workbench.architecture import diagram
from workbench.architecture.drilldown import cluster, clusters
from workbench.architecture.loader import dump_architecture
from workbench.architecture.model import Architecture
from workbench.architecture.review import Review

JSON_ABOVE = 300
"""Components above which the page writes a model's text as JSON rather than YAML."""
_MODELS, _LAST_TEXT, _MEMO, _KEEP = "arch_models", "arch_last_text", "arch_memo", 4
T = TypeVar("T")


def text_of(arch: Architecture) -> str:
    """The text of ``arch`` for the editor and the version store (JSON for large models; computed once)."""
    last = st.session_state.get(_LAST_TEXT)
    if last is not None and last[0] is arch:
        return str(last[1])
    text = dump_architecture(arch, "json" if len(arch.components) > JSON_ABOVE else "yaml")
    st.session_state[_LAST_TEXT] = (arch, text)
    return text


def remember(text: str, arch: Architecture) -> str:
    """Keep ``arch`` as the parsed form of ``text`` (the last few), so the next run does not parse it again."""
    models: OrderedDict[str, Architecture] = st.session_state.setdefault(_MODELS, OrderedDict())
    models[text] = arch
    models.move_to_end(text)
    while len(models) > _KEEP:
        models.popitem(last=False)
    return text


def remembered(text: str) -> Architecture | None:
    models: OrderedDict[str, Architecture] | None = st.session_state.get(_MODELS)
    return models.get(text) if models else None


def memo(key: tuple[str, ...], compute: Callable[[], T]) -> T:
    """``compute()`` kept in the session for ``key`` (the last few): ``st.cache_data`` hands out a copy on every
    hit, which for a 1,000-component review costs more than the page's own work."""
    store: OrderedDict[tuple[str, ...], Any] = st.session_state.setdefault(_MEMO, OrderedDict())
    if key in store:
        store.move_to_end(key)
        return cast(T, store[key])
    value = compute()
    store[key] = value
    while len(store) > _KEEP:
        store.popitem(last=False)
    return value


def kept_text(arch: Architecture) -> str:
    """:func:`text_of` then :func:`remember`: the text of a model produced on the page (fix, waiver, import)."""
    return remember(text_of(arch), arch)


@st.cache_data(show_spinner=False, max_entries=16)
def _cluster_dot(_arch: Architecture, text: str, key: str, language: str, _review: Review) -> str:
    ref = next(r for r in clusters(_arch) if r.key == key)
    sub = cluster(_arch, ref)
    return diagram.to_dot(sub, findings=_review.findings, spofs=_review.analysis.spofs, view="full", lang=language)


def drilldown(arch: Architecture, text: str, review: Review, lang: str) -> None:
    """A picker of the aggregated view's nodes; the chosen one drawn in full with its neighbours."""
    refs = clusters(arch)
    options = ["", *(r.key for r in refs)]
    labels = {r.key: _ui.tr("architecture_import.drill.option", type=diagram.type_name(r.type, lang),
                            location=r.location or _ui.tr("architecture_import.drill.global"), count=r.components)
              for r in refs}
    pick = st.selectbox(_ui.tr("architecture_import.drill.label"), options, key="arch_drill",
                        format_func=lambda k: labels.get(k, _ui.tr("architecture_import.drill.none")),
                        help=_ui.tr("architecture_import.drill.help", limit=diagram.AGGREGATE_ABOVE))
    if pick:
        st.graphviz_chart(_cluster_dot(arch, text, pick, lang, review))
