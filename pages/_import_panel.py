"""The Architecture page's import panel: Terraform, Kubernetes or draw.io in, report reviewed, then saved.

Nothing reaches the workshop until the advisor presses "Save as a new version": the import runs on upload,
its report (recognised / assumed with the rule / ignored with the reason / shapes to type, each with its
source location) is shown, unknown draw.io shapes can be typed and the import re-run, and only then is
the model handed to the page's ``save`` callback.  A refused source shows its translated message and the
reassurance that nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from pages import _ui
from workbench.architecture.catalogue import load_catalogue
from workbench.architecture.importers import (
    EntryKind,
    ImportResult,
    SourceFile,
    import_sources,
    max_import_bytes,
    read_paths,
)
from workbench.architecture.model import Architecture
from workbench.errors import WorkbenchError

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "sample_data" / "imports"
SAMPLES = ("terraform/tencentcloud_plan.json", "terraform/aws_state.json", "kubernetes/shop",
           "drawio/tencent_shop.drawio", "drawio/aws_three_tier.drawio")
UPLOAD, RESULT, ERROR, SIG, FILES = ("arch_import_upload", "arch_import_result", "arch_import_error",
                                     "arch_import_sig", "arch_import_files")
MAX_ROWS = 5_000
tr = _ui.tr


def _run(files: list[SourceFile], types: dict[str, str]) -> None:
    """Import ``files`` and keep the result (or the translated refusal) for the next reruns."""
    st.session_state[FILES] = files
    st.session_state.pop(RESULT, None)
    st.session_state.pop(ERROR, None)
    try:
        with st.spinner(tr("architecture_import.page.preview")):
            st.session_state[RESULT] = import_sources(files, types=types)
    except WorkbenchError as exc:
        st.session_state[ERROR] = exc.translate(_ui.page_context().lang)


def _clear() -> None:
    for key in (RESULT, ERROR, FILES):
        st.session_state.pop(key, None)


def _uploads() -> None:
    uploaded = st.file_uploader(tr("architecture_import.page.upload"), accept_multiple_files=True, key=UPLOAD,
                                type=["json", "yaml", "yml", "drawio", "xml", "zip"])
    sig = tuple(f.file_id for f in uploaded or [])
    if sig and st.session_state.get(SIG) != sig:
        st.session_state[SIG] = sig
        total = sum(f.size for f in uploaded or [])
        if total > max_import_bytes():
            _clear()
            st.session_state[ERROR] = tr("errors.architecture_import.too_large", file=", ".join(
                f.name for f in uploaded or [])[:200], size_mb=f"{total / 1048576:.3g}",
                limit_mb=f"{max_import_bytes() / 1048576:g}")
        else:
            _run([SourceFile(f.name, f.getvalue()) for f in uploaded or []], {})
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    sample = left.selectbox(tr("architecture_import.page.sample"), SAMPLES, key="arch_import_sample")
    if right.button(tr("architecture_import.page.import_sample"), key="arch_import_sample_go"):
        try:
            _run(read_paths([SAMPLES_DIR / sample]), {})
        except WorkbenchError as exc:
            st.session_state[ERROR] = exc.translate(_ui.page_context().lang)


def _report(result: ImportResult) -> None:
    arch = result.architecture
    counts = result.report.counts()
    st.markdown(f"**{tr('architecture_import.page.preview')}**")
    st.caption(tr("architecture_import.page.summary", components=len(arch.components), links=len(arch.links),
                  regions=len(arch.regions), azs=sum(len(r.azs) for r in arch.regions),
                  sources=", ".join(tr(f"architecture_import.source.{s}") for s in result.report.sources)))
    st.caption(tr("architecture_import.page.counts", **{k.value: counts[k] for k in EntryKind}))
    kinds = st.pills(tr("architecture_import.page.col_kind"), list(EntryKind), selection_mode="multi",
                     default=list(EntryKind), key="arch_import_kinds",
                     format_func=lambda k: tr(f"architecture_import.kind.{k.value}"))
    lang = _ui.page_context().lang
    rows = [{tr("architecture_import.page.col_kind"): tr(f"architecture_import.kind.{e.kind.value}"),
             tr("architecture_import.page.col_where"): e.where(),
             tr("architecture_import.page.col_message"): e.text(lang)}
            for e in result.report.entries if e.kind in (kinds or [])][:MAX_ROWS]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="arch_import_report")


def _unknown_shapes(result: ImportResult) -> None:
    unknown = result.report.of_kind(EntryKind.UNKNOWN)
    if not unknown:
        return
    st.markdown(f"**{tr('architecture_import.page.unknown_title')}**")
    st.caption(tr("architecture_import.page.unknown_help"))
    cat = load_catalogue()
    options = ["", *cat.types]
    chosen: dict[str, str] = {}
    for i, e in enumerate(unknown):
        label = str(e.params.get("label", e.address))
        pick = st.selectbox(f"{label} ({e.where()})", options, key=f"arch_import_type_{i}",
                            format_func=lambda k: cat.types[k].name.get(_ui.page_context().lang, k) if k
                            else tr("architecture_import.page.not_a_component"))
        if pick:
            chosen[label] = pick
    if st.button(tr("architecture_import.page.reimport"), key="arch_import_retype", disabled=not chosen):
        _run(st.session_state.get(FILES, []), chosen)
        st.rerun()


def render(save: Callable[[Architecture], None]) -> None:
    """The panel; ``save`` makes the imported architecture a new version (the page's own save path)."""
    with st.expander(tr("architecture_import.page.title"),
                     expanded=RESULT in st.session_state or ERROR in st.session_state):
        st.caption(tr("architecture_import.page.help"))
        _uploads()
        if ERROR in st.session_state:
            st.error(st.session_state[ERROR], icon="⚠️")
            st.caption(tr("architecture_import.page.nothing_saved"))
        result: ImportResult | None = st.session_state.get(RESULT)
        if result is None:
            return
        _report(result)
        _unknown_shapes(result)
        left, right = st.columns(2)
        if left.button(tr("architecture_import.page.save"), key="arch_import_save", type="primary"):
            _clear()
            save(result.architecture)
        if right.button(tr("architecture_import.page.discard"), key="arch_import_discard"):
            _clear()
            st.rerun()
