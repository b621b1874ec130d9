"""Bad input from issue 6: each case gives a clear, translated error or a correct result."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.core.io._data import csv_bytes, regular_frame
from workbench.errors import InputError
from workbench.i18n import LANGUAGES, catalogue, t
from workbench.io import (
    Aggregation,
    FileFormat,
    GapPolicy,
    IngestOptions,
    TimeUnit,
    read_load_file,
    read_load_frame,
)

IO_DIR = Path(__file__).resolve().parents[3] / "workbench" / "io"


def _error(data: bytes, options: IngestOptions | None = None) -> InputError:
    with pytest.raises(InputError) as err:
        read_load_file(data, "load.csv", options)
    return err.value


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "errors.io.empty_file"),
        (b"   \n\n", "errors.io.empty_file"),
        (b"timestamp,qps\n", "errors.io.no_rows"),
        (b"timestamp,qps\n2026-05-01T00:00:00+08:00,12\n", "errors.io.too_short"),
        (b"timestamp,qps\n2026-05-01T00:00:00+08:00,12\n2026-05-01T00:00:00+08:00,13\n", "errors.io.too_short"),
        (b"timestamp,qps\n2026-05-01T00:00:00+08:00,nan\n2026-05-01T00:01:00+08:00,inf\n", "errors.io.no_valid_values"),
        (b"timestamp,qps\nyesterday,12\ntoday,13\n", "errors.io.no_time_column"),
        (b"# only a comment\n", "errors.io.no_rows"),
    ],
)
def test_bad_files_raise_translated_errors(data: bytes, key: str) -> None:
    err = _error(data)
    assert err.key == key
    for lang in LANGUAGES:
        text = err.translate(lang)
        assert text != key and "{" not in text


def test_comments_and_footer_are_skipped_and_counted() -> None:
    body = csv_bytes(regular_frame(periods=10)).decode()
    text = "# exported by Grafana\n# panel: QPS\n" + body + "Total,1234,extra\nGenerated at 2026-05-02\n"
    res = read_load_file(text.encode(), "grafana.csv")
    assert len(res.series) == 10
    assert res.report.dropped_reasons == {"malformed_line": 1, "time_unparseable": 1}
    assert "io.note.comments_skipped" in [n.key for n in res.report.notes]


def test_row_limit_is_enforced_before_parsing() -> None:
    err = _error(csv_bytes(regular_frame(periods=500)), IngestOptions(max_rows=100))
    assert err.key == "errors.io.too_many_rows" and err.params["limit"] == 100


def test_row_limit_on_frames() -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(regular_frame(periods=500), IngestOptions(max_rows=100))
    assert err.value.key == "errors.io.too_many_rows"


def test_user_override_of_a_missing_time_column() -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(regular_frame(periods=5), IngestOptions(time_column="when"))
    assert err.value.key == "errors.io.unknown_column"
    assert "timestamp" in err.value.params["available"]


def test_options_reject_unknown_fields_and_are_frozen() -> None:
    with pytest.raises(ValueError):
        IngestOptions(tz="UTC")  # type: ignore[call-arg]
    opts = IngestOptions()
    with pytest.raises(ValueError):
        opts.freq = "1h"  # type: ignore[misc]


def test_every_io_key_used_in_code_exists_in_both_languages() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in IO_DIR.glob("*.py"))
    keys = set(re.findall(r'"(errors\.io\.[a-z_]+|io\.[a-z_]+\.[a-z_]+)"', source))
    assert len(keys) > 40
    for lang in LANGUAGES:
        missing = keys - set(catalogue(lang))
        assert not missing, (lang, missing)


def test_every_enum_value_and_drop_reason_has_a_label() -> None:
    source = (IO_DIR / "ingest.py").read_text(encoding="utf-8") + (IO_DIR / "csv_reader.py").read_text(encoding="utf-8")
    reasons = set(re.findall(r'\("([a-z_]+)", ', source)) | set(re.findall(r'dropped\["([a-z_]+)"\]', source))
    assert {"negative", "non_numeric", "duplicate", "malformed_line"} <= reasons
    wanted = {f"io.reason.{r}" for r in reasons}
    for prefix, enum in (
        ("format", FileFormat),
        ("time_unit", TimeUnit),
        ("aggregation", Aggregation),
        ("gap_policy", GapPolicy),
    ):
        wanted |= {f"io.{prefix}.{m.value}" for m in enum}
    for lang in LANGUAGES:
        assert not wanted - set(catalogue(lang)), lang


def test_every_note_param_is_used_by_its_text() -> None:
    res = read_load_file(csv_bytes(regular_frame().drop(index=[3, 4])), "x.csv")
    for note in res.report.notes:
        for lang in LANGUAGES:
            assert "{" not in t(note.key, lang, **note.params)


def test_frame_with_no_columns() -> None:
    with pytest.raises(InputError) as err:
        read_load_frame(pd.DataFrame())
    assert err.value.key == "errors.io.empty_file"
