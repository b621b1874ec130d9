"""Safe exports: formula-like cells neutralised, numbers kept numeric, file names sanitised (OWASP CSV injection)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from workbench.exports import neutralise_cell, safe_filename, to_safe_csv, to_safe_excel


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-cmd|' /C calc'!A0", "@SUM(1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe(cell):
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-5", "+3.5", "plain", "中文", "", 12, -3.0, None])
def test_other_cells_unchanged(cell):
    assert neutralise_cell(cell) == cell


def test_csv_keeps_numbers_numeric_and_neutralises_text():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "ok"], "value": [-1.5, 2.0]})
    text = to_safe_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert back["value"].tolist() == pytest.approx([-1.5, 2.0])
    assert back["name"][0].startswith("'=")


def test_excel_never_contains_formulas():
    frame = pd.DataFrame({"name": ["=1+1", "@x"], "value": [-1, 3]})
    book = openpyxl.load_workbook(io.BytesIO(to_safe_excel(frame, "a/b:c")))
    sheet = book.active
    assert sheet.title == "a_b_c"
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -1


@pytest.mark.parametrize(
    ("name", "expected"),
    [("双十一 评审", "双十一 评审.html"), ("../../etc/passwd", "etc_passwd.html"), ("CON", "_CON.html"),
     ("", "workbench.html"), ('a<b>:"c"|?*', "a_b_c.html"), ("x" * 300, "x" * 80 + ".html")],
)
def test_safe_filename(name, expected):
    assert safe_filename(name, "html") == expected
