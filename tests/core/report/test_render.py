"""Report rendering: self-contained, escaped, no script, both languages, all three formats."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from workbench.report.model import Action, ForecastSection, Headline, ReportData, ScenarioPeak, SizingRow, WhatIfRow
from workbench.report.render import render_html, render_json, render_markdown, svg_data_uri

HOSTILE = '<script>alert("x")</script> {{7*7}} & \\ "quoted" 中文 🚀'


def sample(lang: str = "en", **kw) -> ReportData:
    return ReportData(
        lang=lang,
        title=HOSTILE,
        customer="ACME <b>",
        advisor="Li",
        date=dt.date(2026, 11, 2),
        generated_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC),
        notes="line1\nline2",
        headlines=[Headline(label="Peak", value="12,345 QPS", detail="P95")],
        top_actions=[
            Action(
                severity="critical",
                pillar="reliability",
                rule_id="REL-001",
                title=HOSTILE,
                recommendation="Add a replica in another AZ",
                components=["db <x>"],
            )
        ],
        forecast=ForecastSection(
            series="qps",
            unit="req/s",
            model="seasonal",
            horizon_days=30,
            chosen="Double 11",
            quantile="P95",
            peak_used=12345.0,
            scenarios=[ScenarioPeak(name="Double 11", point=10000, p80=11000, p95=12345)],
        ),
        sizing=[
            SizingRow(
                tier="web",
                component="web",
                current=4,
                required=14,
                after_az_loss=21,
                utilisation=0.68,
                p99_ms=80.0,
                binding="P99 binds",
            )
        ],
        diagram_svg=(
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text onload="x()">d</text></svg>'
        ),
        scores={"reliability": 40.0, "security": 80.0},
        overall_score=60.0,
        findings=[
            Action(
                severity="high",
                pillar="security",
                rule_id="SEC-001",
                title="t",
                recommendation="r",
                reference="https://example.org/x",
            )
        ],
        whatif=[
            WhatIfRow(
                disruption="AZ",
                target="ap-guangzhou-3",
                journeys_broken=["checkout"],
                rto_minutes=240,
                rto_target=15,
                meets_rto=False,
            )
        ],
        **kw,
    )


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_html_is_self_contained_escaped_and_scriptless(lang):
    html = render_html(sample(lang))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html  # user text escaped
    assert "{{7*7}}" in html and "49" not in html.split("<body>")[1].split("Peak")[0]  # no template injection
    assert "http://" not in html.replace("http://www.w3.org", "") or "https://example.org/x" in html
    assert "<link" not in html and "src=\"http" not in html  # nothing fetched from the network
    assert "data:image/svg+xml;base64," in html
    assert "@media print" in html and "@page" in html
    assert ("Executive summary" if lang == "en" else "执行摘要") in html


def test_svg_is_sanitised_before_embedding():
    import base64

    uri = svg_data_uri('<svg><script>alert(1)</script><g onclick="evil()"></g></svg>')
    decoded = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert "script" not in decoded and "onclick" not in decoded


def test_markdown_escapes_user_text_and_has_sections():
    md = render_markdown(sample("en"))
    assert "\\<script\\>" in md
    for heading in ("## Executive summary", "## Forecast and peak", "## Sizing per tier at the peak",
                    "## Findings and homework", "## What-if failures and recovery"):
        assert heading in md


def test_json_round_trips_without_figures():
    doc = json.loads(render_json(sample("zh-CN")))
    assert doc["format"] == "capacity-workbench/report"
    assert "diagram_svg" not in doc and doc["sizing"][0]["required"] == 14
    assert ReportData.model_validate({k: v for k, v in doc.items() if k not in ("format", "schema_version")})


def test_plan_row_lists_only_the_components_its_title_does_not_name():
    from workbench.report.model import PlanRow

    named = PlanRow(id="h1", title="No owner: dns, cdn", severity="low", pillar="operations", status="open",
                    status_label="Open", components=["dns", "cdn"])
    partly = PlanRow(id="h2", title="No circuit breaker: web → db (+1 more)", severity="medium",
                     pillar="reliability", status="open", status_label="Open", components=["web", "db", "api"])
    data = sample(plan=[named, partly])
    md = render_markdown(data)
    assert "No owner\\: dns, cdn |" in md and "(dns, cdn)" not in md
    assert "more\\) (api) |" in md
    html = render_html(data)
    assert "· dns, cdn" not in html and "· api" in html
