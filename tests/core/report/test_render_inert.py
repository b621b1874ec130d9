"""The Markdown report shows every interpolated value literally (issue 9, "Injection and leaks")."""

from __future__ import annotations

import datetime as dt

import pytest
from markdown_it import MarkdownIt

from workbench.report.model import Action, ForecastSection, MilestoneRow, ReportData, ScenarioPeak, SizingRow
from workbench.report.render import render_html, render_markdown

LINK = "[Click here to sign in again](http://evil.example/login)"
IMAGE = "![x](http://evil.example/pixel.png)"
_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
_ACTIVE = {"image", "html_inline", "html_block", "code_inline", "code_block", "fence"}


def _report(**changes: object) -> ReportData:
    base = ReportData(
        lang="en", title="Review", date=dt.date(2026, 11, 2), generated_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        forecast=ForecastSection(series="qps", unit="req/s", model="seasonal", horizon_days=30, chosen="base",
                                 quantile="P95", peak_used=100.0, history_start="2026-01-01", history_end="2026-10-31",
                                 scenarios=[ScenarioPeak(name="base", point=80, p80=90, p95=100,
                                                         at="2026-11-11 20:00")]),
        sizing=[SizingRow(tier="web", component="web", required=4, binding="P99")],
        findings=[Action(severity="high", pillar="security", rule_id="SEC-001", title="t", recommendation="r",
                         reference="https://example.org/x")],
        milestones=[MilestoneRow(name="m1", date="2026-11-01", overall=60.0, pillars={}, findings=3)],
    )
    return base.model_copy(update=changes)


def _forecast(**changes: object) -> ForecastSection:
    f = _report().forecast
    assert f is not None
    return f.model_copy(update=changes)


def _active_tokens(markdown: str) -> list[str]:
    """Token types in the rendered report that a reader did not write as text (images, HTML, code)."""
    found: list[str] = []
    for tok in _MD.parse(markdown):
        found += [tok.type] if tok.type in _ACTIVE else []
        found += [child.type for child in tok.children or [] if child.type in _ACTIVE]
    return found


def _links(markdown: str) -> list[str]:
    return [str(c.attrs.get("href")) for tok in _MD.parse(markdown) for c in tok.children or []
            if c.type == "link_open"]


CASES = {
    "title": lambda v: _report(title=v),
    "customer": lambda v: _report(customer=v),
    "unit": lambda v: _report(forecast=_forecast(unit=v)),
    "model name": lambda v: _report(forecast=_forecast(model=v)),
    "peak time": lambda v: _report(forecast=_forecast(scenarios=[ScenarioPeak(name="b", point=1, p80=1, p95=1, at=v)])),
    "quantile": lambda v: _report(forecast=_forecast(quantile=v)),
    "history start": lambda v: _report(forecast=_forecast(history_start=v)),
    "series": lambda v: _report(forecast=_forecast(series=v)),
    "tier": lambda v: _report(sizing=[SizingRow(tier=v, binding="x")]),
    "rule id": lambda v: _report(findings=[Action(severity="high", pillar="security", rule_id=v, title="t",
                                                  recommendation="r")]),
    "reference": lambda v: _report(findings=[Action(severity="high", pillar="security", rule_id="R", title="t",
                                                    recommendation="r", reference=v)]),
    "milestone date": lambda v: _report(milestones=[MilestoneRow(name="m", date=v, overall=1.0, pillars={},
                                                                 findings=0)]),
}


@pytest.mark.parametrize("field", list(CASES))
@pytest.mark.parametrize("payload", [LINK, IMAGE, "<img src=http://evil.example/x.png>", "`code`"])
def test_every_interpolated_value_is_inert(field: str, payload: str) -> None:
    md = render_markdown(CASES[field](payload))
    assert _active_tokens(md) == [], field
    # the only link is the rule's reference from our catalogue (a hostile one is text)
    assert _links(md) == ([] if field in ("reference", "rule id") else ["https://example.org/x"])


def test_a_carriage_return_in_a_title_cannot_start_a_new_block() -> None:
    md = render_markdown(_report(title="Review\r# Injected\r\n- item\n---"))
    tokens = _MD.parse(md)
    headings = [tokens[i + 1].content for i, tok in enumerate(tokens) if tok.type == "heading_open" and tok.tag == "h1"]
    assert len(headings) == 1 and "Injected" in headings[0]
    assert "\r" not in md


def test_a_reference_that_is_not_a_plain_url_is_text() -> None:
    md = render_markdown(_report(findings=[Action(severity="high", pillar="security", rule_id="R", title="t",
                                                  recommendation="r", reference="https://x.example/a> <b")]))
    assert _links(md) == [] and _active_tokens(md) == []


def test_bidi_controls_are_removed_from_both_reports() -> None:
    data = _report(title="invoice\u202egnp.exe", customer="\u2066ACME\u2069")
    for text in (render_markdown(data), render_html(data)):
        assert "\u202e" not in text and "\u2066" not in text and "\u2069" not in text
        assert "invoicegnp" in text


def test_long_names_wrap_in_the_html_report() -> None:
    html = render_html(_report(title="T" * 200, customer="C" * 200))
    body_rule = html.split("body {", 1)[1].split("}", 1)[0]
    assert "overflow-wrap: anywhere" in body_rule
