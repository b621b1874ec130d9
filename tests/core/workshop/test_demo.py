"""The demo workshop carries the whole chain, and the shipped file is what the engines produce today."""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.conftest import ROOT
from workbench.report.render import render_html
from workbench.store import open_store
from workbench.workshop.chain import compute_chain
from workbench.workshop.demo import DEMO_FILE, seed_demo
from workbench.workshop.milestones import Milestone, compare
from workbench.workshop.report_builder import build_report_data


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_seeded_demo_has_every_step_of_the_chain(lang):
    store = open_store()
    demo = seed_demo(store, lang)
    assert demo is not None and seed_demo(store, lang) is None  # seeded once only
    kinds = {a.kind.value for a in demo.artefacts}
    assert {"forecast", "sizing", "architecture", "chain", "milestone"} <= kinds
    chain = compute_chain(demo)
    assert chain.provenance.peak_source == "forecast" and chain.provenance.architecture_id == "v002"
    milestones = sorted((Milestone.model_validate(a.data) for a in demo.artefacts_of("milestone")),
                        key=lambda m: m.created_at)
    diff = compare(milestones[0], milestones[1])
    assert diff.resolved, "the applied fix must resolve at least one finding"
    html = render_html(build_report_data(demo))
    assert "<script" not in html.lower() and 'id="top-actions"' in html


@pytest.mark.slow
def test_shipped_demo_matches_a_fresh_run_of_the_engines():
    spec = importlib.util.spec_from_file_location("make_demo", ROOT / "sample_data" / "make_demo_workshop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = json.loads(module.build("en"))
    shipped = json.loads(DEMO_FILE.with_name("demo_workshop.en.json").read_text(encoding="utf-8"))

    def key_numbers(doc):
        out = {}
        for art in doc["artefacts"]:
            if art["kind"] == "forecast":
                out["peak"] = art["data"]["peak"]["peak"]
            if art["kind"] == "milestone":
                out[art["id"]] = (art["data"]["scores"], len(art["data"]["findings"]), art["data"]["capacity"])
        return out

    fresh_numbers, shipped_numbers = key_numbers(fresh), key_numbers(shipped)
    assert fresh_numbers.keys() == shipped_numbers.keys()
    for k in ("point", "p80", "p95"):
        assert fresh_numbers["peak"][k] == pytest.approx(shipped_numbers["peak"][k], rel=1e-6)
    regenerate = "regenerate: python sample_data/make_demo_workshop.py"
    for mid in ("review-1", "review-2"):
        (f_scores, f_findings, f_cap), (s_scores, s_findings, s_cap) = fresh_numbers[mid], shipped_numbers[mid]
        # scores are rounded to 0.1, so a last-digit difference in a sum may move one by one rounding step
        assert f_scores == pytest.approx(s_scores, abs=0.1 + 1e-9), regenerate
        assert f_findings == s_findings, regenerate
        # the peak is a float sum whose order (and so its last digits) depends on the machine's BLAS/numpy
        assert f_cap["peak_rps"] == pytest.approx(s_cap["peak_rps"], rel=1e-9), regenerate
        assert (f_cap["tiers"], f_cap["current"]) == (s_cap["tiers"], s_cap["current"]), regenerate
