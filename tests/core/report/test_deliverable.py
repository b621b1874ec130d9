"""The report as a deliverable: cover, scope, assumptions, contents, plan, units, PDF (pypdf), PNG previews."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from tests.conftest import ROOT
from workbench.i18n import t
from workbench.report.model import PlanRow, ScopeRow
from workbench.report.pdf import pdf_available, render_pdf
from workbench.report.render import css_string, render_html, render_markdown, sections
from workbench.workshop.chain import chain_if_ready
from workbench.workshop.demo import demo_workshop
from workbench.workshop.report_builder import REPORT_TEXT_LIMIT, build_report_data, clip_text

from .test_render import sample

HOSTILE_ITEM = ["<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil")', "\u202eexe.gnp", "W" * 100_000]
NOW = dt.datetime(2026, 11, 9, 2, 30, tzinfo=dt.UTC)


def _plan_rows() -> list[PlanRow]:
    rows = [
        PlanRow(
            id=f"hw-{n}",
            title=text,
            severity="high",
            pillar="reliability",
            owner=text[:200],
            due="2026-11-01",
            effort="M",
            status="open",
            status_label="Open",
            overdue=True,
            components=["db"],
            fix=text,
        )
        for n, text in enumerate(HOSTILE_ITEM, 1)
    ]
    return [
        *rows,
        PlanRow(
            id="hw-9",
            title="Enable backups 启用备份",
            severity="medium",
            pillar="reliability",
            status="done",
            status_label="Done",
        ),
    ]


def deliverable(lang: str):
    return sample(
        lang,
        plan=_plan_rows(),
        plan_counts={"active": 4, "done": 1, "risk_accepted": 0},
        scope=[ScopeRow(input="forecast", name="qps", date="2026-10-31")],
        assumptions=["P99 ≤ 200 ms"],
        timezone="UTC+08:00",
        risk_summary={"reliability": {"critical": 1, "high": 2, "medium": 0, "low": 0, "info": 0}},
    )


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_demo_report_has_every_deliverable_section(lang):
    data = build_report_data(demo_workshop(lang), lang, now=NOW)
    assert data.timezone == "UTC+08:00" and data.generated_at.utcoffset() == dt.timedelta(hours=8)
    assert {s.input for s in data.scope} >= {"forecast", "sizing", "architecture"}
    assert data.assumptions and data.currency == "CNY"
    assert sum(sum(row.values()) for row in data.risk_summary.values()) == len(data.findings)
    assert data.plan, "the demo workshop carries a plan"
    html = render_html(data)
    for anchor, title in sections(data):
        assert f'id="{anchor}"' in html and title in html
    assert "2026-11-09 10:30 (UTC+08:00)" in html  # 02:30 UTC shown in the workshop's zone
    assert "CNY" in html
    skipped = [r for r in data.forecast.backtest if r.note.startswith(("not run", "未运行"))]
    assert skipped, "a skipped model says why"
    arch = demo_workshop(lang)
    assert arch  # journeys appear by name, never by id, where the architecture names them
    names = {w for row in data.whatif for w in row.journeys_broken}
    assert names and not any(re.fullmatch(r"[a-z_]+", n) for n in names)
    md = render_markdown(data)
    for _, title in sections(data):
        assert title in md


def test_utilisation_over_100_percent_is_an_overload_factor():
    from workbench.report.model import SizingRow

    data = sample("en").model_copy(
        update={"sizing": [SizingRow(tier="web", utilisation=22.25), SizingRow(tier="db", utilisation=0.5)]}
    )
    html, md = render_html(data), render_markdown(data)
    for text in (html, md):
        assert "22.2× capacity" in text or "22.3× capacity" in text
        assert "2225%" not in text and "50%" in text
    assert "倍" in render_html(sample("zh-CN").model_copy(update={"sizing": [SizingRow(tier="web", utilisation=3.0)]}))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_hostile_plan_text_is_escaped_and_wraps(lang):
    data = deliverable(lang)
    html = render_html(data)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "overflow-wrap: anywhere" in html
    assert html.replace("\u200b", "").count("W" * 100_000) >= 1  # shown whole, with break opportunities
    assert max(len(run) for run in re.findall(r"W+", html)) <= 60
    md = render_markdown(data)
    assert "<img" not in md.replace("\\<img", "")
    for text in (html, md):  # a right-to-left override is dropped (workbench.texts), the text kept
        assert "\u202e" not in text and "gnp" in text


def test_running_header_text_is_short_and_css_escaped():
    out = css_string('a"b</style><script>' + "x" * 500)
    assert '"' not in out and "<" not in out and len(out) < 700
    assert css_string("中文 A") == "中文\\000020A"


def _pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    # margin-box text comes out of pypdf with NUL padding (two-byte font encoding): drop it
    return [(page.extract_text() or "").replace("\x00", "") for page in PdfReader(io.BytesIO(pdf)).pages]


def _save_png_previews(pdf: bytes, name: str, pages: int = 3) -> list[str]:
    """The first pages as PNG under artifacts/pdf/, for a person to look at."""
    import pypdfium2

    out = ROOT / "artifacts" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    doc = pypdfium2.PdfDocument(pdf)
    paths = []
    for i in range(min(pages, len(doc))):
        image = doc[i].render(scale=1.2).to_pil()
        path = out / f"{name}-p{i + 1}.png"
        image.save(path)
        paths.append(str(path))
        # a blank page renders as one colour: a real page has ink on it
        assert image.convert("L").getextrema()[0] < 128, f"page {i + 1} of {name} looks blank"
    return paths


pdf_needed = pytest.mark.skipif(not pdf_available(), reason="WeasyPrint/Pango not installed")


@pdf_needed
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_pdf_has_every_heading_extractable_text_and_no_blank_page(lang):
    # No emoji here: a character no installed font has is drawn as .notdef, and pypdf then misreads that
    # font's whole ToUnicode map (pdfium reads it right: see the next test).  100k characters: further below.
    data = deliverable(lang).model_copy(update={"plan": _plan_rows()[:3] + _plan_rows()[4:]})
    data = type(data).model_validate_json(data.model_dump_json().replace("🚀", ""))
    pdf = render_pdf(render_html(data))
    assert pdf.startswith(b"%PDF")
    pages = _pdf_pages(pdf)
    assert 2 <= len(pages) <= 12
    text = "\n".join(pages)
    flat = re.sub(r"\s+", "", text)
    for _, title in sections(data):
        assert re.sub(r"\s+", "", title) in flat, title
    if lang == "zh-CN":
        assert "启用备份" in flat and "执行摘要" in flat
    assert all(len(p.strip()) > 40 for p in pages), "no near-empty page"
    assert "1 / " in text or "1/" in flat  # page numbers in the footer margin box
    _save_png_previews(pdf, f"sample-{lang}")


@pdf_needed
def test_pdf_text_with_an_emoji_is_still_extractable_by_pdfium():
    import pypdfium2

    data = deliverable("zh-CN").model_copy(update={"plan": _plan_rows()[4:]})  # title holds 🚀 (no font has it)
    doc = pypdfium2.PdfDocument(render_pdf(render_html(data)))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "启用备份" in text and "执行摘要" in text


@pdf_needed
def test_pdf_wraps_a_100k_character_word():
    title = clip_text("W" * 100_000, "en")  # as the report builder gives it: the plan itself keeps all
    assert title.startswith("W" * REPORT_TEXT_LIMIT) and "96,000 more characters" in title
    data = sample(
        "en", plan=[PlanRow(id="hw-1", title=title, severity="low", pillar="cost", status="open", status_label="Open")]
    )
    pdf = render_pdf(render_html(data))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    widths = {round(float(p.mediabox.width)) for p in reader.pages}
    assert widths == {595}  # A4 portrait: the long word wrapped instead of widening anything
    assert sum(p.count("W") for p in _pdf_pages(pdf)) >= REPORT_TEXT_LIMIT


@pdf_needed
def test_demo_pdf_in_chinese_with_png_previews():
    data = build_report_data(demo_workshop("zh-CN"), "zh-CN", now=NOW)
    pdf = render_pdf(render_html(data))
    pages = _pdf_pages(pdf)
    flat = re.sub(r"\s+", "", "".join(pages))
    for _, title in sections(data):
        assert re.sub(r"\s+", "", title) in flat
    assert all(len(p.strip()) > 40 for p in pages)
    assert len(_save_png_previews(pdf, "demo-zh-CN")) == 3


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_risk_table_counts_the_findings_listed(lang):
    """One pillar × severity table, counted from the findings list; the review's firings are said, not mixed in."""
    workshop = demo_workshop(lang)
    data = build_report_data(workshop, lang, now=NOW)
    review = chain_if_ready(workshop).review
    assert data.findings and review is not None
    for pillar, row in data.risk_summary.items():
        for sev, n in row.items():
            assert n == sum(1 for a in data.findings if a.pillar == pillar and a.severity == sev), (pillar, sev)
    listed = sum(sum(row.values()) for row in data.risk_summary.values())
    assert listed == len(data.findings) == len({(a.rule_id, a.pillar) for a in data.findings})
    assert data.firings == len(review.findings) >= listed
    # the score section rests on the same open findings: every rule that costs points is a listed finding
    assert {d.rule_id for d in review.scores.deductions} <= {a.rule_id for a in data.findings}
    severe = sum(row["critical"] + row["high"] for row in data.risk_summary.values())
    score_headline = next(h for h in data.headlines if h.value.endswith("/100"))
    assert score_headline.detail.startswith(str(severe))
    html, md = render_html(data), render_markdown(data)
    assert html.count('<table class="risk">') == 1 and 'class="summary"' not in html
    note = t("report.risk_summary_note", lang, count=len(data.findings), firings=data.firings)
    assert note in html and note in md
    total_cells = re.findall(r'<table class="risk">.*?</table>', html, re.S)[0]
    totals = [int(x) for x in re.findall(r'<td class="num">(\d+)</td></tr>', total_cells)]
    assert sum(totals) == len(data.findings)
