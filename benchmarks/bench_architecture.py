"""Benchmark of the architecture review at scale (issue 4, "Bad input and scale").

Targets (issue 11): the review of 1,000 components within 1 s and of 10,000 within 5 s — the review being the
analyses, every rule, the scores with per-finding costs, the findings grouped by rule and the JSON document the CLI
prints (``export.review_document``: summary, groups, SPOFs, availability, what-if, latency); the aggregated diagram
of 10,000 components built and laid out by Graphviz ``dot`` within 5 s (issue 4).
Architectures come from :func:`workbench.architecture.synthetic.generate_architecture` (seeded, so runs
are comparable).  Each figure is the best of ``REPEATS`` runs (wall clock, ``time.perf_counter``), which
is what a warm server sees; the first run of a process also pays imports, reported apart.

Run: ``.venv/bin/python benchmarks/bench_architecture.py`` (``--profile`` prints the cProfile top 25
for the 10,000-component review when a target is missed).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.architecture import diagram, export
from workbench.architecture.analysis import analyse
from workbench.architecture.findings import group_findings
from workbench.architecture.loader import dump_architecture, load_architecture
from workbench.architecture.review import review_architecture
from workbench.architecture.synthetic import generate_architecture

REPEATS = 3


def best_of(fn: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Fastest wall time of ``repeats`` calls, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def full_review(arch: Any) -> tuple[Any, dict[str, Any], int]:
    """What ``review --format json`` computes: the review, the grouped findings and the JSON document."""
    review = review_architecture(arch)
    groups = group_findings(review.findings)
    return review, export.review_document(review, arch, "en"), len(groups)


def bench_review(n: int) -> tuple[float, float, float, int, int]:
    """(analyses s, analyses+rules+scores s, full review incl. grouping and JSON s, findings, groups)."""
    arch = generate_architecture(n, seed=42)
    t_an, _ = best_of(lambda: analyse(arch))
    t_rev, review = best_of(lambda: review_architecture(arch))
    t_all, (_, _, groups) = best_of(lambda: full_review(arch))
    return t_an, t_rev, t_all, len(review.findings), groups


def bench_diagram(n: int) -> tuple[float, float, int]:
    """(build DOT seconds, dot -Tsvg seconds, DOT nodes+edges) for the aggregated view of ``n`` components."""
    arch = generate_architecture(n, seed=42)
    review = review_architecture(arch)
    t_build, src = best_of(lambda: diagram.to_dot(arch, findings=review.findings, spofs=review.analysis.spofs,
                                                   view="aggregated"))
    if not diagram.dot_available():
        return t_build, float("nan"), src.count("\n")
    t_dot, _ = best_of(lambda: diagram.render(src, "svg", timeout_s=60))
    return t_build, t_dot, src.count("\n")


def bench_loading() -> tuple[float, float]:
    """(seconds to load a 300-component YAML file, seconds to refuse a 'billion laughs' alias bomb)."""
    text = dump_architecture(generate_architecture(300, seed=2))
    t_load, _ = best_of(lambda: load_architecture(text))
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        name, prev = chr(ord("a") + i), chr(ord("a") + i - 1)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join(levels) + "\n"

    def refuse() -> None:
        try:
            load_architecture(bomb)
        except Exception:  # noqa: BLE001 - the refusal is what is timed
            return
        raise AssertionError("the alias bomb was accepted")

    t_bomb, _ = best_of(refuse)
    return t_load, t_bomb


def profile_review(n: int) -> str:
    arch = generate_architecture(n, seed=42)
    prof = cProfile.Profile()
    prof.enable()
    review_architecture(arch)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the 10k review")
    args = parser.parse_args()

    t0 = time.perf_counter()
    review_architecture(generate_architecture(50, seed=1))
    cold = time.perf_counter() - t0

    rows: list[tuple[str, str, str, str, str]] = []
    missed = False
    for n, target in ((1_000, 1.0), (10_000, 5.0)):
        t_an, t_rev, t_all, findings, groups = bench_review(n)
        ok = t_all <= target
        missed |= not ok
        rows.append((f"analyses ({n:,} components)", f"{t_an:.3f} s", "-", "-", "-"))
        rows.append((f"analyses+rules+scores ({n:,})", f"{t_rev:.3f} s", "-", "-",
                     f"{findings:,} findings → {groups} groups"))
        rows.append((f"review incl. grouping + JSON ({n:,})", f"{t_all:.3f} s", f"≤ {target:g} s",
                     "yes" if ok else "NO", f"{target / t_all:.1f}× headroom"))
    t_build, t_dot, lines = bench_diagram(10_000)
    total = t_build + t_dot
    ok = not math.isnan(t_dot) and total <= 5.0  # NaN: dot missing
    missed |= not ok
    rows.append(("aggregated diagram DOT build (10,000)", f"{t_build:.3f} s", "-", "-", f"{lines} DOT lines"))
    rows.append(("aggregated diagram dot -Tsvg (10,000)",
                 "dot missing" if math.isnan(t_dot) else f"{t_dot:.3f} s", "-", "-", "-"))
    rows.append(("aggregated diagram build+layout (10,000)", f"{total:.3f} s", "≤ 5 s", "yes" if ok else "NO",
                 f"{5.0 / total:.1f}× headroom" if ok else "-"))
    t_load, t_bomb = bench_loading()
    for label, t, target in (("load a 300-component YAML file", t_load, 2.0),
                             ("refuse a 'billion laughs' alias bomb", t_bomb, 1.0)):
        ok = t <= target
        missed |= not ok
        rows.append((label, f"{t:.3f} s", f"≤ {target:g} s", "yes" if ok else "NO", f"{target / t:.1f}× headroom"))
    rows.append(("first review in a fresh process (50)", f"{cold:.3f} s", "-", "-", "first call: caches"))

    headers = ("measure", "best of 3", "target", "met", "note")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    if args.profile or missed:
        print("\ncProfile of the 10,000-component review (cumulative):")
        print(profile_review(10_000))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
