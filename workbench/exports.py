"""Safe exports: spreadsheet formula injection neutralised, file names sanitised.

CSV/Excel cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are run as
formulas by spreadsheet programs (OWASP, "CSV Injection").  Text cells like that get a leading
apostrophe; numbers stay numbers, so a column of negative values is still numeric.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Mapping
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


MONEY_PLACES = 2  # money is written to the cent


def export_number(value: Any, places: int | None = None) -> Any:
    """A float as an export file writes it: float noise (``8686.999999999998``) gone, the maths untouched.

    ``places`` decimals when given (money: :data:`MONEY_PLACES`); otherwise two decimals from 1 up and four
    significant digits below 1 (a fraction such as 0.01234 keeps its digits; a share near 1 such as 0.99995 keeps
    four significant digits of 1 − value, so five nines never become 1.0).  Anything that is not a finite float
    (ints, text, None, NaN) passes through unchanged.  Only the written value is rounded: compute first, export last.
    """
    if isinstance(value, bool) or not isinstance(value, float) or not math.isfinite(value):
        return value
    if places is None:
        size = abs(value)
        places = 2 if size == 0 or size >= 1 else 3 - math.floor(math.log10(size))
        if 0.5 < size < 1:  # a share near 1 (an availability of 0.99995) keeps four digits of what it lacks
            places = min(15, max(places, 3 - math.floor(math.log10(1 - size))))
    return float(round(value, places))


def export_numbers(doc: Any, places: Mapping[str, int] | None = None) -> Any:
    """Every float of a JSON-like document through :func:`export_number`; a float under a key named in ``places``
    gets that many decimals (``{"cost": 2}``)."""
    places = places or {}

    def walk(node: Any, key: str | None) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, str(k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        return export_number(node, places.get(key) if key is not None else None)

    return walk(doc, None)


def export_frame(frame: pd.DataFrame, places: Mapping[str, int] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with every float column through :func:`export_number` (``places``: column → decimals)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]) or out[column].dtype == object:
            digits = (places or {}).get(str(column))
            out[column] = out[column].map(lambda v, d=digits: export_number(v, d))
    return out
