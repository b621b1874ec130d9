"""Fuzzing the CLI's options: every command answers with output or one translated line, never a traceback.

Each invocation goes through the real Typer app (``CliRunner``), so the top-level guard is part of what is
tested: an internal error would show as an incident line, which this suite counts as a failure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.fuzz._support import (
    ARCHITECTURES,
    DEMO_WORKSHOP,
    FUZZ,
    SAMPLES,
    Hang,
    assert_key_in_both_catalogues,
    no_hang,
)
from workbench.cli.main import app

runner = CliRunner()
NUMBERS = ["1", "0", "-1", "0.5", "3", "100", "1e308", "1e999", "-1e999", "nan", "inf", "9" * 5000, "", "abc",
           "1e-300", "100000", "2147483648"]
LANGS = ["en", "zh", "zh-CN", "xx", ""]
FILES = ["architecture", "architecture_json", "demo", "loadtest", "stations", "tiers", "tiny_csv", "binary", "deep",
         "huge_int", "empty", "missing", "directory", "tab_yaml"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Inputs of every kind, written once per module."""
    root = tmp_path_factory.mktemp("cli-fuzz")

    def write(name: str, data: bytes) -> str:
        path = root / name
        path.write_bytes(data)
        return str(path)

    hours = [f"2026-01-{1 + h // 24:02d}T{h % 24:02d}:00:00,{100 + (h % 24) * 5}" for h in range(24 * 9)]
    import yaml

    first = ARCHITECTURES[0].read_bytes()
    return {
        "architecture": str(ARCHITECTURES[0]),
        "architecture_json": write("a.json", json.dumps(yaml.safe_load(first), default=str).encode()),
        "demo": str(DEMO_WORKSHOP),
        "loadtest": str(SAMPLES / "loadtest_sample.csv"),
        "stations": write("stations.csv",
                          b"name,demand_ms,servers,kind\nweb,5,2,queue\ndb,8,1,queue\nthink,100,1,delay\n"),
        "tiers": write("tiers.csv", b"name,service_ms,service_cv,arrival_cv,workers,price_per_hour,visit_ratio\n"
                                    b"web,20,1,1,4,0.5,1\ndb,5,0.5,1,8,1.2,2\n"),
        "tiny_csv": write("tiny.csv", ("timestamp,qps\n" + "\n".join(hours) + "\n").encode()),
        "binary": write("x.parquet", b"PAR1" + bytes(range(256)) * 4 + b"PAR1"),
        "deep": write("deep.json", b"[" * 20_000 + b"]" * 20_000),
        "huge_int": write("huge.json",
                          b'{"components": [{"id": "a", "type": "cvm", "replicas": ' + b"9" * 5000 + b"}]}"),
        "empty": write("empty.yaml", b""),
        "missing": str(root / "does-not-exist.yaml"),
        "directory": str(root),
        "tab_yaml": write("tab.yaml", b"components:\n  - id: a\n\ttype: cvm\n"),
    }


def _opt(draw: st.DrawFn, flag: str, values: list[str]) -> list[str]:
    return [flag, draw(st.sampled_from(values))] if draw(st.booleans()) else []


@st.composite
def light_command(draw: st.DrawFn) -> list[str]:
    """Arguments for the quick commands, with placeholders ``@name`` for files and ``@out`` for an output path."""
    number = st.sampled_from(NUMBERS)
    command = draw(st.sampled_from(["review", "schema", "workshop", "queue", "usl", "mva", "size"]))
    f = "@" + draw(st.sampled_from(FILES))
    lang = _opt(draw, "--lang", LANGS)
    if command == "review":
        return ["review", f, *lang, *_opt(draw, "--format", ["text", "json", "md", "sarif", "pdf"]),
                *_opt(draw, "--fail-on", ["critical", "low", "none"]), *_opt(draw, "--svg", ["@out", "@directory"])]
    if command == "schema":
        return ["schema"]
    if command == "workshop":
        sub = draw(st.sampled_from(["list", "export", "import"]))
        if sub == "list":
            return ["workshop", "list", *_opt(draw, "--search", ["", "%", "'; DROP TABLE", "x" * 300]), *lang]
        if sub == "export":
            return ["workshop", "export", draw(st.sampled_from(["nope", "../etc", "", "a" * 100])), "-o", "@out", *lang]
        return ["workshop", "import", f, *lang]
    if command == "queue":
        return ["queue", "--rate", draw(number), "--service-ms", draw(number), *_opt(draw, "--servers", NUMBERS),
                *_opt(draw, "--service-cv", NUMBERS), *_opt(draw, "--percentiles", ["50,99", "", "101", "abc", "99.9"]),
                *_opt(draw, "--slo-ms", NUMBERS), *lang]
    if command == "usl":
        return ["usl", f, *_opt(draw, "--target", NUMBERS), *_opt(draw, "--predict", NUMBERS), *lang]
    if command == "mva":
        return ["mva", f, "--users", draw(st.sampled_from(["1", "10", "0", "-5", "1000", "abc", "9" * 30])),
                *_opt(draw, "--think-ms", NUMBERS), *lang]
    return ["size", *([f] if draw(st.booleans()) else []), "--rate", draw(number), "--slo-ms", draw(number),
            *_opt(draw, "--service-ms", NUMBERS), *_opt(draw, "--util-cap", NUMBERS), *_opt(draw, "--azs", NUMBERS),
            *_opt(draw, "--workers", NUMBERS), *lang]


@st.composite
def heavy_command(draw: st.DrawFn) -> list[str]:
    """``forecast`` and ``report``: slower, so fewer examples."""
    f = "@" + draw(st.sampled_from(["tiny_csv", "binary", "deep", "huge_int", "empty", "missing", "demo"]))
    if draw(st.booleans()):
        return ["forecast", f, *_opt(draw, "--horizon", ["1d", "0d", "90m", "99999w", "abc", ""]),
                *_opt(draw, "--freq", ["1h", "5min", "banana", "0s"]), *_opt(draw, "--model", ["holt_winters", "x"]),
                *_opt(draw, "--event", ["sale:2026-01-09/2026-01-10:x3", "bad", ":::"]),
                *_opt(draw, "--growth", NUMBERS), *_opt(draw, "--lang", LANGS)]
    return ["report", f, *_opt(draw, "--format", ["html", "md", "json", "docx"]), *_opt(draw, "--lang", LANGS),
            *_opt(draw, "-o", ["@out", "@directory"])]


KNOWN_ENGINE_BUGS = {
    ("queue", "ValueError"),  # ggc with --rate/--service-ms near 1e308: "cannot convert float NaN to integer"
    ("mva", "AttributeError"),  # capacity/tables.py: a row with more fields than the header (DictReader restkey)
    ("size", "AttributeError"),  # same CSV reader
}
"""Internal errors found by this suite in engines other helpers own (workbench/capacity), reported to them.

The guard already turns them into one line with an incident id (asserted below); remove an entry once fixed."""


def run(args: list[str], files: dict[str, str], out: Path) -> None:
    argv = [str(out) if a == "@out" else files[a[1:]] if a.startswith("@") else a for a in args]
    try:
        with no_hang():
            result = runner.invoke(app, argv)
    except Hang:
        pytest.fail(f"hang: {argv[:6]}")
    output = result.output
    assert not isinstance(result.exception, Hang), f"hang: {argv[:6]}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv[:6], repr(result.exception))
    assert "Traceback" not in output, (argv[:6], output[-2000:])
    assert result.exit_code in (0, 1, 2), (argv[:6], result.exit_code, output[-500:])
    internal = re.search(r"(?:incident|事件编号) [0-9a-f]{8}\S*[:：] ?(\w+)", output)
    if internal is not None:  # one line, exit 1, and only for a known engine bug
        assert result.exit_code == 1 and len(output.strip().splitlines()) == 1, output[-500:]
        assert (argv[0], internal.group(1)) in KNOWN_ENGINE_BUGS, (argv[:6], output[-500:])
    for key in re.findall(r"\[(errors\.[a-z0-9_.]+)\]", output):
        assert_key_in_both_catalogues(key)
    if result.exit_code == 2:
        assert output.strip(), "a refusal says why"


@FUZZ
@given(args=light_command())
def test_quick_commands(args: list[str], files: dict[str, str], tmp_path: Path) -> None:
    run(args, files, tmp_path / "out.bin")


@settings(FUZZ, max_examples=10)
@given(args=heavy_command())
def test_forecast_and_report(args: list[str], files: dict[str, str], tmp_path: Path) -> None:
    run(args, files, tmp_path / "out.bin")
