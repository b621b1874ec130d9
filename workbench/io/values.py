"""Turn a value column into float64: plain numbers, decimal commas, and Grafana-style unit suffixes.

Grafana's "short" unit writes 1200 as "1.2 K", 1.5e6 as "1.5 Mil", 2e9 as "2 Bil"; exports of other
tools use SI prefixes ("2 M", "3 G") and percentages ("35 %"). We apply the multiplier, and report
every suffix seen (``unit_hints``) so the user can check that "M" meant mega, not minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Multipliers for the suffixes we accept (case-sensitive where it matters: 'm' is not 'M').
MULTIPLIERS: dict[str, float] = {
    "": 1.0,
    "%": 1.0,
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "Mil": 1e6,
    "mil": 1e6,
    "G": 1e9,
    "B": 1e9,
    "Bil": 1e9,
    "T": 1e12,
    "Tri": 1e12,
}
_PATTERN = r"^\s*([-+]?(?:\d[\d ,._']*)?\d(?:[eE][-+]?\d+)?|[-+]?(?:inf|Inf|INF|nan|NaN|NAN))\s*([A-Za-z%]*)\s*$"


@dataclass
class ParsedValues:
    """A float column and what parsing it involved."""

    values: pd.Series
    non_numeric: pd.Series  # bool: the cell had text we could not read as a number
    unit_hints: set[str] = field(default_factory=set)


def _to_number(num: pd.Series, decimal: str) -> pd.Series:
    """Strip thousands separators and normalise the decimal mark, then convert."""
    num = num.str.replace(r"[ _']", "", regex=True)
    if decimal == ",":
        num = num.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        num = num.str.replace(",", "", regex=False)
    return pd.to_numeric(num, errors="coerce")


def parse_values(col: pd.Series, decimal: str = ".") -> ParsedValues:
    """Parse one column to float64. Numeric dtypes pass through; text is parsed with unit suffixes.

    Missing cells stay NaN (and are not counted as non-numeric); unreadable text becomes NaN and is
    flagged in ``non_numeric``.
    """
    if pd.api.types.is_bool_dtype(col):
        return ParsedValues(pd.Series(np.nan, index=col.index), pd.Series(True, index=col.index))
    if pd.api.types.is_numeric_dtype(col):
        return ParsedValues(col.astype("float64"), pd.Series(False, index=col.index))
    text = col.astype("string")
    missing = text.isna() | text.str.strip().isin(["", "-", "null", "NULL", "None", "N/A", "n/a", "NA"])
    parts = text.str.extract(_PATTERN)
    number, suffix = parts[0], parts[1].fillna("")
    known = suffix.isin(list(MULTIPLIERS))
    values = _to_number(number.where(known), decimal).astype("float64")
    values = values * suffix.map(MULTIPLIERS).fillna(1.0).astype("float64")
    bad = values.isna() & ~missing & ~number.str.lower().str.contains("nan", na=False)
    hints = {s for s in suffix[known & values.notna()].unique() if s}
    return ParsedValues(values.where(~missing), bad.fillna(False).astype(bool), hints)


def numeric_share(col: pd.Series, decimal: str = ".", sample: int = 500) -> float:
    """Share of non-missing cells in (a sample of) ``col`` that parse as numbers (0..1)."""
    head = col.dropna()
    if len(head) > sample:
        head = head.iloc[np.linspace(0, len(head) - 1, sample).astype(int)]
    if head.empty:
        return 0.0
    parsed = parse_values(head, decimal)
    return float(parsed.values.notna().mean())
