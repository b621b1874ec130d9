"""Benchmark of the hardened loaders (issue 9) against what a user would call instead.

- Architecture files: ``load_architecture_with_warnings`` (guarded composer, number/time bounds, hygiene and
  semantic checks) against the bare peer ``yaml.load(CSafeLoader)`` / ``json.loads`` + pydantic validation,
  on seeded synthetic architectures of 500 and 2,000 components (the 2 MB limit holds about 3,000).
- Workshop files: ``loads_bounded`` (depth scan, number hooks) against ``json.loads`` on the demo workshop
  and on a synthetic 13 MB export; the import (parse + validation) against json.loads + the file model.
- Refusals: how long a hostile input takes to be refused (5,000-digit integer, 100,000-deep nesting, Parquet).

Figures are the best of ``REPEATS`` runs (wall clock); the ratio to the peer is what matters on a shared
machine.  Run: ``.venv/bin/python benchmarks/bench_loaders.py``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml

from workbench.architecture.loader import ArchitectureLoadError, dump_architecture, load_architecture_with_warnings
from workbench.architecture.model import Architecture
from workbench.architecture.synthetic import generate_architecture
from workbench.errors import WorkbenchError
from workbench.workshop.bounded_json import loads_bounded
from workbench.workshop.exchange import WorkshopFile, parse_workshop_file

REPEATS = 3
ROOT = Path(__file__).resolve().parents[1]


def best_of(fn: Callable[[], Any], repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _peer_yaml(text: str) -> Architecture:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Architecture.model_validate(yaml.load(text, Loader=loader))  # noqa: S506 - a safe loader


def _refused(fn: Callable[[], Any]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except (ArchitectureLoadError, WorkbenchError):
            return
        raise AssertionError("not refused")

    return run


def architecture_rows() -> list[tuple[str, float, float]]:
    rows = []
    for n in (500, 2_000):
        arch = generate_architecture(n, seed=42)
        text_yaml, text_json = dump_architecture(arch), dump_architecture(arch, "json")
        ours = best_of(lambda t=text_yaml: load_architecture_with_warnings(t))
        peer = best_of(lambda t=text_yaml: _peer_yaml(t))
        rows.append((f"architecture YAML, {n} components ({len(text_yaml) // 1024} KB)", ours, peer))
        ours = best_of(lambda t=text_json: load_architecture_with_warnings(t, "a.json"))
        peer = best_of(lambda t=text_json: Architecture.model_validate(json.loads(t)))
        rows.append((f"architecture JSON, {n} components ({len(text_json) // 1024} KB)", ours, peer))
    return rows


def workshop_rows() -> list[tuple[str, float, float]]:
    demo = (ROOT / "sample_data" / "demo_workshop.en.json").read_text(encoding="utf-8")
    doc = json.loads(demo)
    series = {"points": [{"t": f"2026-01-01T00:{i % 60:02d}:00", "v": i * 1.5, "tag": "x"} for i in range(250_000)]}
    big = json.dumps({**doc, "artefacts": [*doc["artefacts"], {**doc["artefacts"][0], "id": "big", "data": series}]})
    rows = []
    for label, text in (("demo workshop", demo), (f"synthetic workshop ({len(big) // 2**20} MB)", big)):
        rows.append((f"workshop JSON parse, {label}", best_of(lambda t=text: loads_bounded(t)),
                     best_of(lambda t=text: json.loads(t))))
    rows.append(("workshop import parse+validate, demo", best_of(lambda: parse_workshop_file(demo)),
                 best_of(lambda: WorkshopFile.model_validate(json.loads(demo)))))
    return rows


def refusal_rows() -> list[tuple[str, float]]:
    huge = "9" * 5000
    return [
        ("YAML integer of 5,000 digits", best_of(_refused(lambda: load_architecture_with_warnings(f"a: {huge}")))),
        ("JSON integer of 5,000 digits", best_of(_refused(
            lambda: load_architecture_with_warnings('{"a": ' + huge + "}", "a.json")))),
        ("architecture JSON nested 100,000 deep", best_of(_refused(
            lambda: load_architecture_with_warnings("[" * 100_000 + "]" * 100_000, "a.json")))),
        ("workshop JSON nested 100,000 deep", best_of(_refused(lambda: parse_workshop_file("[" * 100_000)))),
        ("Parquet file given as an architecture", best_of(_refused(
            lambda: load_architecture_with_warnings(b"PAR1" + bytes(1_000_000))))),
    ]


def main() -> None:
    print(f"{'case':62} {'ours s':>8} {'peer s':>8} {'ratio':>6}")
    for label, ours, peer in [*architecture_rows(), *workshop_rows()]:
        print(f"{label:62} {ours:8.3f} {peer:8.3f} {ours / peer:6.2f}")
    print(f"\n{'refusal':62} {'s':>8}")
    for label, seconds in refusal_rows():
        print(f"{label:62} {seconds:8.4f}")


if __name__ == "__main__":
    main()
