"""Best-practice references are real links; exported numbers carry no float noise; JSON keys are the same in
every language (translated labels only in HTML and Markdown)."""

from __future__ import annotations

import json
import re

import pytest

from workbench.report.model import Action, BacktestRow, SizingRow
from workbench.report.render import backtest_headers, reference_html, render_html, render_json, render_markdown

from .test_render import sample

LONG = ("https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/"
        "rel_withstand_component_failures_avoid_single_points_of_failure.html?a=1&b=2#x")


def _with_reference(lang: str, reference: str):
    return sample(lang).model_copy(update={"findings": [Action(
        severity="high", pillar="reliability", rule_id="REL-001", title="t", recommendation="r", reference=reference)]})


def test_a_reference_url_is_a_link_copied_intact() -> None:
    html = render_html(_with_reference("en", LONG))
    escaped = LONG.replace("&", "&amp;")
    assert f'<a class="ref" href="{escaped}" rel="noopener noreferrer">{escaped}</a>' in html
    links = re.findall(r'<a class="ref".*?</a>', html)
    assert links and not any("\u200b" in link for link in links)  # nothing inserted into the URL
    assert re.search(r"a\.ref \{[^}]*overflow-wrap: anywhere", html)  # the stylesheet breaks it


@pytest.mark.parametrize("reference", [
    "javascript:alert(1)", 'https://x.example/" onmouseover="alert(1)', "https://x.example/a b",
    "ftp://x.example/file", "data:text/html,<script>alert(1)</script>", "see the SRE book, chapter 3",
])
def test_anything_but_a_plain_http_url_is_text(reference: str) -> None:
    html = render_html(_with_reference("en", reference))
    assert '<a class="ref"' not in html
    assert str(reference_html(reference)).startswith(("javascript", "https", "ftp", "data", "see"))
    assert "<script>alert" not in html and 'onmouseover="' not in html


def test_plain_http_is_a_link_too() -> None:
    assert str(reference_html("http://example.org/x")).startswith('<a class="ref" href="http://example.org/x"')


def test_json_numbers_are_rounded_money_to_the_cent() -> None:
    data = sample("en").model_copy(update={"sizing": [SizingRow(tier="web", cost=8686.999999999998,
                                                                utilisation=0.68123456789, p99_ms=80.00000000001)]})
    data = data.model_copy(update={"forecast": data.forecast.model_copy(update={"peak_used": 15816.6595904946})})
    text = render_json(data)
    doc = json.loads(text)
    assert doc["sizing"][0]["cost"] == 8687.0 and doc["forecast"]["peak_used"] == 15816.66
    assert doc["sizing"][0]["utilisation"] == 0.6812 and doc["sizing"][0]["p99_ms"] == 80.0
    assert "999999" not in text and "6595904946" not in text
    assert data.sizing[0].cost == 8686.999999999998  # the data keeps its value: only the file is rounded


def test_backtest_json_keys_are_the_same_in_every_language() -> None:
    rows = [BacktestRow(model="MSTL", note="not run: too many points"),
            BacktestRow(model="seasonal", mase=0.8549970688217975, smape=5.587389497796392, coverage95=0.94102)]
    keys = []
    for lang in ("en", "zh-CN"):
        data = sample(lang)
        data = data.model_copy(update={"forecast": data.forecast.model_copy(update={"backtest": rows})})
        doc = json.loads(render_json(data))
        keys.append([sorted(r) for r in doc["forecast"]["backtest"]])
        assert doc["forecast"]["backtest"][1] == {"model": "seasonal", "mase": 0.855, "smape": 5.59,
                                                  "coverage95": 0.94102, "note": ""}  # 4 digits of 1 − share
        assert doc["forecast"]["backtest"][0]["mase"] is None
        html, md = render_html(data), render_markdown(data)
        for header in backtest_headers(lang):
            assert header in html and header in md.replace("\\", "")
        assert "None" not in html.split('id="forecast"', 1)[1].split("</section>", 1)[0]
    assert keys[0] == keys[1] == [["coverage95", "mase", "model", "note", "smape"]] * 2
    assert "模型" in backtest_headers("zh-CN") and "Model" in backtest_headers("en")
