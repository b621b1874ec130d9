"""Benchmark of the workshop chain on the demo workshop (issue 5, "Speed").

1. From a changed forecast input (the Double 11 scenario's growth) to an updated report preview:
   forecast re-run → saved → chain (sizing, capacity facts, review) → report HTML.  Target ≤ 2 s.
2. Page interactions once warm, measured with Streamlit's AppTest (script run time, no browser
   paint): each page of the demo workshop is opened, then one interaction is timed.  Target ≤ 300 ms.

Run: .venv/bin/python benchmarks/bench_chain.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["WORKBENCH_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

from workbench.forecast import ForecastOptions, Scenario, forecast_load
from workbench.forecast.export import summary
from workbench.forecast.schema import Event
from workbench.io import load_sample
from workbench.report.render import render_html
from workbench.store import open_store
from workbench.workshop.chain import compute_chain
from workbench.workshop.demo import seed_demo
from workbench.workshop.report_builder import build_report_data

TZ = ZoneInfo("Asia/Shanghai")


def _t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def forecast_to_report() -> list[tuple[str, float]]:
    store = open_store()
    demo = seed_demo(store, "en")
    assert demo is not None
    series = load_sample().series
    options = ForecastOptions(horizon=dt.timedelta(days=30), china_holidays=True)
    timings = []
    for growth in (3.0, 5.0, 8.0):  # three successive edits of the growth input
        t0 = time.perf_counter()
        scenario = Scenario(name="double11", growth_pct_per_month=growth,
                            events=(Event(name="Double 11", start=_t("2026-11-11T20:00"), end=_t("2026-11-12T02:00"),
                                          value=3.0),))
        result = forecast_load(series, options, [scenario], series_name="qps")
        t1 = time.perf_counter()
        peak = result.scenarios["double11"].peak
        store.put_artefact(demo.id, store.version(demo.id), "forecast", "qps-double11",
                           {"peak": peak.model_dump(mode="json"), "summary": summary(result, series)})
        workshop = store.get(demo.id)
        chain = compute_chain(workshop)
        html = render_html(build_report_data(workshop, "en"))
        t2 = time.perf_counter()
        assert chain.peak_rps == peak.peak.p95 and len(html) > 1000
        timings.append((f"growth {growth:g}%/month", t1 - t0, t2 - t1, t2 - t0))
    return timings


def page_interactions() -> list[tuple[str, float, float]]:
    from streamlit.testing.v1 import AppTest

    demo_id = open_store().list()[0].id
    rows = []

    def timed(label: str, at: AppTest, action) -> None:
        samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            action(at).run()
            samples.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
        rows.append((label, statistics.median(samples), max(samples)))

    def fresh(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["lang"] = "en"
        at.query_params["workshop"] = demo_id
        at.run()
        if page != "home":
            at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
            at.session_state["_ctx_from_app"] = False
        at.run()  # warm
        return at

    at = fresh("home")
    timed("Workshops: search", at, lambda a: a.text_input(key="search").set_value("demo"))
    at = fresh("forecast")
    timed("Forecast: rerun (cached fit)", at, lambda a: a)
    at = fresh("capacity")
    timed("Capacity: rerun", at, lambda a: a)
    at = fresh("architecture")
    for section in ("findings", "capacity", "diagram"):
        timed(f"Architecture: section {section}", at,
              lambda a, s=section: a.segmented_control(key="arch_section").set_value(s))
    at = fresh("report")
    timed(
        "Report: switch quantile P80/P95",
        at,
        lambda a: a.radio(key="chain_quantile").set_value(
            "p80" if a.radio(key="chain_quantile").value == "p95" else "p95"
        ),
    )
    return rows


def page_switches() -> list[tuple[str, float, float]]:
    """Warm page switches in one session (every page visited once first): script time of the switch run."""
    from streamlit.testing.v1 import AppTest

    demo_id = open_store().list()[0].id
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.query_params["workshop"] = demo_id
    at.run()
    pages = ("forecast", "capacity", "architecture", "homework", "report", "fleet", "home")
    for page in pages:  # warm-up: caches filled, modules imported
        at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
    samples: dict[str, list[float]] = {p: [] for p in pages}
    for _ in range(3):
        for page in pages:
            t0 = time.perf_counter()
            at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
            samples[page].append(time.perf_counter() - t0)
            assert not at.exception, at.exception
    return [(f"switch to {p}", statistics.median(v), max(v)) for p, v in samples.items()]


def cli_times(runs: int = 5) -> list[tuple[str, float, float]]:
    """Wall time of CLI commands (new process each run), against a bare interpreter start as the floor."""
    import subprocess

    commands = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "python -m workbench --help": [sys.executable, "-m", "workbench", "--help"],
        "python -m workbench queue (M/G/1)": [sys.executable, "-m", "workbench", "queue", "--rate", "5",
                                              "--service-ms", "100", "--servers", "1", "--service-cv", "0.5"],
    }
    rows = []
    for label, cmd in commands.items():
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            samples.append(time.perf_counter() - t0)
        rows.append((label, statistics.median(samples), max(samples)))
    return rows


def main() -> None:
    print("1) changed forecast input → updated report preview (demo workshop, target ≤ 2 s)")
    print(f"{'edit':<22}{'forecast s':>12}{'chain+report s':>16}{'total s':>10}  met")
    for label, f, r, total in forecast_to_report():
        print(f"{label:<22}{f:>12.3f}{r:>16.3f}{total:>10.3f}  {'yes' if total <= 2.0 else 'NO'}")
    print()
    print("2) page interaction once warm (AppTest script run, demo workshop, target ≤ 300 ms)")
    print(f"{'interaction':<40}{'median ms':>10}{'max ms':>9}  met")
    for label, median, worst in page_interactions():
        print(f"{label:<40}{median * 1e3:>10.0f}{worst * 1e3:>9.0f}  {'yes' if median <= 0.3 else 'NO'}")
    print()
    print("3) warm page switch (AppTest script run of the whole app, demo workshop, target ≤ 300 ms)")
    print(f"{'switch':<40}{'median ms':>10}{'max ms':>9}  met")
    for label, median, worst in page_switches():
        print(f"{label:<40}{median * 1e3:>10.0f}{worst * 1e3:>9.0f}  {'yes' if median <= 0.3 else 'NO'}")
    print()
    print("4) CLI wall time per process (targets: --help ≤ 1 s, queue ≤ 1.5 s); the floor is the interpreter alone")
    print(f"{'command':<40}{'median s':>10}{'max s':>9}  met")
    targets = {"python -m workbench --help": 1.0, "python -m workbench queue (M/G/1)": 1.5}
    floor = None
    for label, median, worst in cli_times():
        floor = floor or median
        met = "—" if label not in targets else ("yes" if median <= targets[label] else "NO")
        print(f"{label:<40}{median:>10.2f}{worst:>9.2f}  {met}  (×{median / floor:.1f} the floor)")


if __name__ == "__main__":
    main()
