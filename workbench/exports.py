"""Safe exports: spreadsheet formula injection neutralised, file names sanitised.

CSV/Excel cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are run as
formulas by spreadsheet programs (OWASP, "CSV Injection").  Text cells like that get a leading
apostrophe; numbers stay numbers, so a column of negative values is still numeric.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pandas as pd

from workbench.texts import strip_bidi

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^\w\-. ]+", re.UNICODE)


def neutralise_cell(value: Any) -> Any:
    """A text cell that would run as a formula gets a leading apostrophe; numbers (even as text) stay."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with text cells (and column names) neutralised; numeric columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_safe_csv(frame: pd.DataFrame, index: bool = False) -> bytes:
    """CSV bytes (UTF-8 with BOM so Excel shows Chinese correctly) with formula cells neutralised."""
    # CRLF line ends (RFC 4180) so the writer quotes any cell holding a bare CR or LF.
    return neutralise_frame(frame).to_csv(index=index, lineterminator="\r\n").encode("utf-8-sig")


EXCEL_CELL_LIMIT = 32_767  # characters in one cell (Excel specifications and limits)


def _fit_cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        return value[:EXCEL_CELL_LIMIT - 1] + "…"
    return value


def to_safe_excel(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx file with formula cells neutralised (written as text, never as formulas).

    Text longer than a cell can hold is cut at Excel's limit with an ellipsis, so the file opens cleanly.
    """
    buffer = io.BytesIO()
    safe = neutralise_frame(frame)
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_fit_cell)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=safe_sheet_name(sheet_name))
    return buffer.getvalue()


def safe_sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "data"


def safe_filename(name: str, extension: str, fallback: str = "workbench") -> str:
    """A file name safe on every OS: no path parts, no control or reserved characters, Chinese kept."""
    text = unicodedata.normalize("NFC", strip_bidi(name or ""))  # no right-to-left override: "gnp.exe" stays so
    text = _UNSAFE_NAME.sub("_", text).strip(" ._")
    text = re.sub(r"_+", "_", text)[:80].strip(" ._") or fallback
    if text.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                       *(f"LPT{i}" for i in range(1, 10))}:
        text = f"_{text}"
    return f"{text}.{extension.lstrip('.')}"
