"""Benchmark of importers and large estates (issue 15).

Targets: import + review of a 10,000-component Terraform state ≤ 10 s; review of the 10,000-component
estate ≤ 5 s; a fix applied to a 1,000-component model (what the Architecture page does) ≤ 1 s.
Peers (what ran before this work): the what-if rebuilding the set of all component ids for every
instance scenario (journey-less estate), and the page's fix path that dumped the model to YAML and parsed
it back.  Each figure is the best of ``REPEATS`` runs in CPU seconds of this process (``time.process_time``;
``--wall`` for wall-clock): on a shared machine wall time measures the other processes too.  The load
average is printed; compare ratios more than seconds.

Run: ``.venv/bin/python benchmarks/bench_import.py`` (``--quick`` for 1 repeat).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.architecture import whatif
from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.importers import SourceFile, import_sources
from workbench.architecture.loader import dump_architecture, load_architecture
from workbench.architecture.review import review_architecture
from workbench.architecture.synthetic import generate_architecture

REPEATS = 3


CLOCK = time.process_time
"""CPU seconds of this process: on a shared machine (load average printed) wall time mostly measures the others."""


def best_of(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = CLOCK()
        result = fn()
        best = min(best, CLOCK() - t0)
    return best, result


def _state_of_size(n: int) -> bytes:
    spec = importlib.util.spec_from_file_location("make_terraform", ROOT / "sample_data/imports/make_terraform.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return json.dumps(module.state_of_size(n), separators=(",", ":")).encode()


def _rebuilt_scope_set(self: whatif.FailureContext) -> frozenset[str]:
    """The what-if as it was: the set of scope ids rebuilt on every access (once per scenario)."""
    return frozenset(self.scope_ids)


def bench_terraform(repeats: int) -> tuple[float, float, int, float]:
    data = _state_of_size(10_000)
    files = [SourceFile("terraform.tfstate.json", data)]
    t_import, result = best_of(lambda: import_sources(files), repeats)
    t_review, _ = best_of(lambda: review_architecture(result.architecture), repeats)
    return t_import, t_review, len(result.architecture.components), len(data) / 1e6


def bench_estate(repeats: int) -> tuple[float, float, float]:
    with_journeys = generate_architecture(10_000, seed=42)
    journeyless = generate_architecture(10_000, seed=42, max_journeys=0)
    t_review, _ = best_of(lambda: review_architecture(with_journeys), repeats)
    t_new, _ = best_of(lambda: review_architecture(journeyless), repeats)
    original = whatif.FailureContext.__dict__["scope_set"]
    whatif.FailureContext.scope_set = property(_rebuilt_scope_set)  # type: ignore[assignment,method-assign]
    try:
        t_old, _ = best_of(lambda: review_architecture(journeyless), 1)
    finally:
        whatif.FailureContext.scope_set = original  # type: ignore[method-assign]
    return t_review, t_new, t_old


def bench_fix(repeats: int) -> tuple[float, float]:
    """(page fix path now, page fix path before) on 1,000 components, seconds."""
    arch = generate_architecture(1_000, seed=7)
    before = review_architecture(arch)
    finding = next(f for f in before.findings if fixable(f))

    def now() -> str:  # apply, review the typed model, write the version text (JSON above 300 components)
        outcome = apply_fix(arch, finding, before=before, review_with=review_architecture)
        return dump_architecture(outcome.architecture, "json")

    def old() -> str:  # apply, dump YAML, parse it back, review the parsed model (twice: review_with, rerun)
        outcome = apply_fix(arch, finding, before=before,
                            review_with=lambda new: review_architecture(load_architecture(dump_architecture(new))))
        text = dump_architecture(outcome.architecture)
        load_architecture(text)
        return text

    t_now, _ = best_of(now, repeats)
    t_old, _ = best_of(old, 1)
    return t_now, t_old


def bench_page_fix() -> tuple[float, int]:
    """CPU seconds of the page run that applies a fix to a 1,000-component model (Streamlit AppTest, no workshop)."""
    from streamlit.testing.v1 import AppTest

    text = dump_architecture(generate_architecture(1_000, seed=7), "json")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/architecture.py")
    at.session_state["_ctx_from_app"] = False
    at.run()
    at.session_state["arch_pending"] = (text, None)
    at.run()
    at.segmented_control(key="arch_section").set_value("findings").run()
    button = next(b for b in at.button if str(b.key).startswith("arch_fix_"))
    t0 = CLOCK()
    button.click().run()
    elapsed = CLOCK() - t0
    return elapsed, len(at.exception)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat instead of three")
    parser.add_argument("--wall", action="store_true", help="wall-clock seconds instead of CPU seconds")
    parser.add_argument("--page", action="store_true", help="also time the fix on the page (Streamlit AppTest)")
    args = parser.parse_args()
    repeats = 1 if args.quick else REPEATS
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows: list[tuple[str, str, str, str, str]] = []
    missed = False

    def row(label: str, t: float, target: float | None, note: str) -> None:
        nonlocal missed
        ok = target is None or t <= target
        missed |= not ok
        rows.append((label, f"{t:.2f} s", f"≤ {target:g} s" if target else "-",
                     "-" if target is None else ("yes" if ok else "NO"), note))

    t_imp, t_rev, n, mb = bench_terraform(repeats)
    row(f"import 10,000-component Terraform state ({mb:.1f} MB)", t_imp, None, f"{n:,} components")
    row("review of the imported estate", t_rev, None, "-")
    row("import + review (Terraform, 10,000)", t_imp + t_rev, 10.0, "-")
    t_review, t_new, t_old = bench_estate(repeats)
    row("review of the 10,000-component estate", t_review, 5.0, "synthetic, 50 journeys")
    row("review, journey-less 10,000 estate", t_new, None, f"{t_old / t_new:.1f}× faster than before")
    row("  before: scope set per instance scenario", t_old, None, "peer (old what-if)")
    t_fix, t_fix_old = bench_fix(repeats)
    row("fix applied to 1,000 components (page path)", t_fix, 1.0, f"{t_fix_old / t_fix:.1f}× faster than before")
    row("  before: YAML dump + parse round trips", t_fix_old, None, "peer (old page path)")
    if args.page:
        t_page, errors = bench_page_fix()
        row("fix clicked on the page (AppTest run, 1,000)", t_page, None,
            "whole page run incl. the new review" + (f"; {errors} exceptions" if errors else ""))

    headers = ("measure", f"best of {repeats} ({'wall' if args.wall else 'CPU'})", "target", "met", "note")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    print(f"load average (1 min): {load:.1f}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
