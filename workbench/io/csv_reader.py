"""Read delimited text: detect the delimiter and the decimal mark, skip comments and footers.

Parsing is done by the pandas C engine (fast enough for millions of rows); we only sniff a sample
of the decoded text to choose its options, and we count lines on the raw bytes to refuse inputs
above ``max_rows`` before parsing them.
"""

from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from workbench.errors import InputError
from workbench.io.timestamps import _STAMP_LIKE

_CANDIDATES = (",", ";", "\t", "|")
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")
_SNIFF_LINES = 50


@dataclass(frozen=True)
class CsvDialect:
    """What we detected about a delimited text file."""

    delimiter: str
    decimal: str
    comment: str | None
    header: bool = True


def _sample_lines(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return lines[:_SNIFF_LINES]


def _delimiter(lines: list[str]) -> str:
    """The candidate that splits every sampled line into the same number (>1) of fields.

    Scored by the share of lines agreeing with the header's field count; ties prefer ';' and tab
    over ',' when commas also appear as decimal marks ('1,5').
    """
    best, best_score = ",", -1.0
    for cand in _CANDIDATES:
        counts = [ln.count(cand) for ln in lines]
        if not counts or counts[0] == 0:
            continue
        agree = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = agree + (0.01 if cand != "," else 0.0)
        if score > best_score:
            best, best_score = cand, score
    return best


def _decimal(lines: list[str], delimiter: str) -> str:
    """',' if fields look like '1,5' (only possible when the delimiter is not a comma)."""
    if delimiter == ",":
        return "."
    fields = [f for ln in lines[1:] for f in ln.split(delimiter)]
    comma = sum(1 for f in fields if _DECIMAL_COMMA.match(f))
    dot = sum(1 for f in fields if re.match(r"^\s*-?\d+\.\d+\s*$", f))
    return "," if comma > dot else "."


def sniff(text_sample: str) -> CsvDialect:
    """Detect delimiter, decimal mark and whether '#' comment lines occur in a text sample."""
    lines = _sample_lines(text_sample)
    if not lines:
        raise InputError("errors.io.no_rows")
    delimiter = _delimiter(lines)
    has_comments = any(ln.lstrip().startswith("#") for ln in text_sample.splitlines())
    return CsvDialect(
        delimiter=delimiter,
        decimal=_decimal(lines, delimiter),
        comment="#" if has_comments else None,
        header=_has_header(lines[0], delimiter),
    )


def _has_header(first: str, delimiter: str) -> bool:
    """False when the first line is already data: a date-time cell and only numbers besides."""
    cells = [c.strip().strip('"') for c in first.split(delimiter)]
    stamps = [c for c in cells if _STAMP_LIKE.search(c)]
    others = [c for c in cells if c not in stamps]
    numeric = all(re.fullmatch(r"[-+]?[\d.,]+(?:[eE][-+]?\d+)?\s*[A-Za-z%]{0,3}", c) for c in others)
    return not (len(stamps) == 1 and numeric)


def column_names(count: int) -> list[str]:
    """Names for a file without a header: 'column_1', 'column_2', ..."""
    return [f"column_{i + 1}" for i in range(count)]


def count_lines(data: bytes, encoding: str) -> int:
    """Approximate number of lines (cheap, on bytes): used only for the max_rows pre-check."""
    if encoding.startswith("utf-16"):
        return data.count(b"\n\x00") + data.count(b"\x00\n")
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def read_csv(data: bytes, encoding: str, dialect: CsvDialect, max_rows: int) -> tuple[pd.DataFrame, int]:
    """Parse delimited bytes into a frame (types inferred by pandas); returns (frame, malformed lines).

    Malformed lines (a footer with a different number of fields, say) are skipped and counted.
    """
    if count_lines(data, encoding) - 1 > max_rows * 1.05 + 10:
        raise InputError("errors.io.too_many_rows", limit=max_rows)
    fast = _read_arrow(data, encoding, dialect, max_rows)
    if fast is not None:
        return fast, 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            df = pd.read_csv(
                io.BytesIO(data),
                sep=dialect.delimiter,
                decimal=dialect.decimal,
                encoding=encoding,
                comment=dialect.comment,
                header=0 if dialect.header else None,
                skipinitialspace=True,
                skip_blank_lines=True,
                on_bad_lines="warn",
                nrows=max_rows + 1,
                low_memory=False,
                engine="c",
            )
        except pd.errors.EmptyDataError as exc:
            raise InputError("errors.io.empty_file") from exc
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            raise InputError("errors.io.unparseable", detail=str(exc)[:200]) from exc
    malformed = sum(
        str(w.message).count("Skipping line") for w in caught if issubclass(w.category, pd.errors.ParserWarning)
    )
    if len(df) > max_rows:
        raise InputError("errors.io.too_many_rows", limit=max_rows)
    df.columns = [str(c).strip() for c in df.columns] if dialect.header else column_names(df.shape[1])
    return df, malformed


def _stamp_columns(data: bytes, encoding: str, dialect: CsvDialect) -> list[str]:
    """Names of columns whose first data cell looks like a date-time (kept as text for our parser)."""
    lines = _sample_lines(data[:8192].decode(encoding, errors="ignore"))
    first_data = 1 if dialect.header else 0
    if len(lines) <= first_data:
        return []
    names = [n.strip().strip('"') for n in lines[0].split(dialect.delimiter)]
    if not dialect.header:
        names = [f"f{i}" for i in range(len(names))]  # Arrow's autogenerated names
    cells = lines[first_data].split(dialect.delimiter)
    return [n for n, cell in zip(names, cells, strict=False) if _STAMP_LIKE.search(cell)]


def _read_arrow(data: bytes, encoding: str, dialect: CsvDialect, max_rows: int) -> pd.DataFrame | None:
    """Fast path for clean files (the Arrow CSV reader, multi-threaded); None to use the C engine.

    Only for UTF-8 without comments and with '.' decimals; any irregularity (a footer, a ragged
    line, odd quoting) makes Arrow raise, and the careful C-engine path takes over and reports it.
    Date-time columns are read as text so that the time parser sees (and reports) their UTC offsets.
    """
    if dialect.comment or dialect.decimal != "." or encoding not in ("utf-8", "utf-8-sig"):
        return None
    try:
        stamps = _stamp_columns(data, encoding, dialect)
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(encoding="utf-8", autogenerate_column_names=not dialect.header),
            parse_options=pa_csv.ParseOptions(delimiter=dialect.delimiter),
            convert_options=pa_csv.ConvertOptions(column_types={name: pa.string() for name in stamps}),
        )
        if table.num_rows > max_rows:
            raise InputError("errors.io.too_many_rows", limit=max_rows)
        df = table.to_pandas(types_mapper={pa.string(): pd.ArrowDtype(pa.string())}.get)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - Arrow raises many types; the C engine will explain the problem
        return None
    df.columns = [str(c).strip() for c in df.columns] if dialect.header else column_names(df.shape[1])
    return df


def malformed_reason_counts(malformed: int) -> Counter[str]:
    """Drop reasons contributed by the CSV parser."""
    return Counter({"malformed_line": malformed}) if malformed else Counter()
