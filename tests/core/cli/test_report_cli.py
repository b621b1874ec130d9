"""`python -m workbench report … --format pdf`: a PDF of the demo workshop, and a clear message without -o."""

from __future__ import annotations

import io

import pytest
from typer.testing import CliRunner

from workbench.cli.main import app
from workbench.report.pdf import pdf_available
from workbench.workshop.demo import DEMO_FILE

runner = CliRunner()


def test_pdf_needs_an_output_file():
    result = runner.invoke(app, ["report", str(DEMO_FILE).format(lang="en"), "--format", "pdf"])
    assert result.exit_code != 0
    assert "-o report.pdf" in result.output


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint/Pango not installed")
def test_pdf_of_the_demo_has_the_plan_in_english(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "demo.pdf"
    result = runner.invoke(
        app, ["report", str(DEMO_FILE).format(lang="en"), "--format", "pdf", "-o", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    text = " ".join((p.extract_text() or "").replace("\x00", "") for p in pages)
    assert "Improvement plan" in text and "Risk summary" in text and "Contents" in text
    assert len(pages) >= 3
