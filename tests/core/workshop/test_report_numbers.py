"""The report's executive summary says exactly the chain's numbers: each component its own, every number with a unit."""

from __future__ import annotations

import re

import pytest

from workbench.i18n import format_number, t
from workbench.workshop.chain import compute_chain
from workbench.workshop.demo import demo_workshop
from workbench.workshop.report_builder import build_report_data


@pytest.fixture(scope="module", params=["en", "zh-CN"])
def demo(request):
    ws = demo_workshop(request.param)
    return request.param, ws, compute_chain(ws), build_report_data(ws, request.param)


def test_headlines_are_the_chains_numbers(demo):
    lang, _, chain, data = demo
    peak, instances, score = data.headlines
    assert peak.value == f"{format_number(chain.peak_rps, lang, 0)} {t('report.unit_rps', lang)}"
    assert chain.unit == ""  # the demo's series names no unit: the report says requests per second
    total = sum(r.required_instances or 0 for r in chain.sizing)
    assert instances.value == t("report.instances_value", lang, count=format_number(total, lang))
    for r in chain.sizing:  # each tier with its own count (web 64, redis 14, mysql 6)
        assert f"{r.tier} {r.required_instances}" in instances.detail
    assert {r.tier: r.required_instances for r in chain.sizing} == {"web": 64, "redis": 14, "mysql": 6}
    current = sum(load.current_instances for load in chain.loads)
    assert re.search(rf"\b{current}\b", instances.detail.split(";")[-1].split("；")[-1])
    assert chain.review is not None
    assert score.value == f"{chain.review.scores.overall:.0f}/100"


def test_top_actions_give_each_component_its_own_numbers(demo):
    lang, _, chain, data = demo
    under = next(a for a in data.top_actions if a.rule_id == "CAP-001")
    short = [load for load in chain.loads
             if load.required_instances and load.current_instances < load.required_instances]
    assert sorted(under.components) == sorted(load.component_id for load in short)
    for load in short:
        own = t("rules.cap_001.recommendation", lang, required=load.required_instances)
        # each sentence names its component the language's way ("web: …", "web：…")
        line = t("architecture.group.item", lang, components=load.component_id, text=own.rstrip("。."))
        assert line in under.recommendation
        why = t("rules.cap_001.rationale", lang, components=load.component_id,
                current=load.current_instances, required=load.required_instances)
        assert why.rstrip("。.") in under.rationale


def test_no_empty_field_and_a_unit_on_every_number_in_the_sentences(demo):
    lang, _, chain, data = demo
    f = data.forecast
    assert f is not None and f.unit and f.history_end
    assert f.peak_used == pytest.approx(chain.peak_rps)
    sentences = [data.sizing_note, *(h.value + " " + h.detail for h in data.headlines)]
    sentences += [a.title + a.rationale + a.recommendation for a in data.top_actions]
    for text in sentences:
        assert "{" not in text and "  " not in text and " ." not in text and "()" not in text, text
    assert t("report.unit_rps", lang) in data.sizing_note
    assert format_number(chain.peak_rps, lang, 0) in data.sizing_note
