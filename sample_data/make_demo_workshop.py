"""Build the demo workshop from the sample data by running the real chain, and write it as an export.

    .venv/bin/python sample_data/make_demo_workshop.py   # writes sample_data/demo_workshop.{zh-CN,en}.json

The demo carries the whole chain: the 5-minute QPS history → a forecast with a Double 11 scenario
(×3 from 20:00 to 02:00, growth 3 %/month; the 618 and 99 promotions learned as past events) →
sizing of the web, cache and database tiers at the P95 of the peak → the single-AZ architecture and
its review → a fix applied (database switched to multi-AZ HA) → two milestones → the homework plan
(items in every status).  The app seeds new
stores from the file this script writes (fast: no model runs at start-up); a test checks the file
still matches what the engines produce.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.architecture.fixes import apply_fix, fixable
from workbench.architecture.loader import dump_architecture, load_architecture
from workbench.forecast import ForecastOptions, Scenario, forecast_load
from workbench.forecast.export import summary
from workbench.forecast.schema import Event
from workbench.io import load_sample
from workbench.store import open_store
from workbench.workshop.chain import CHAIN_ID, ChainResult, ChainSettings, compute_chain
from workbench.workshop.demo import demo_meta
from workbench.workshop.exchange import export_workshop
from workbench.workshop.homework import (
    PLAN_ID,
    HomeworkPlan,
    Status,
    add_item,
    confirm_done,
    edit_item,
    reconcile,
    set_status,
    take_findings,
)
from workbench.workshop.milestones import take_milestone

OUT = ROOT / "sample_data" / "demo_workshop.{lang}.json"
TZ = ZoneInfo("Asia/Shanghai")
TIERS = [  # per request at the front door; service times from the customer's load tests
    {"name": "web", "service_ms": 22.0, "service_cv": 1.0, "arrival_cv": 1.2, "workers": 16, "price_per_hour": 0.62,
     "visit_ratio": 1.0},
    {"name": "redis", "service_ms": 0.4, "service_cv": 0.6, "arrival_cv": 1.2, "workers": 4, "price_per_hour": 0.45,
     "visit_ratio": 3.0},
    {"name": "mysql", "service_ms": 3.0, "service_cv": 1.5, "arrival_cv": 1.2, "workers": 16, "price_per_hour": 2.8,
     "visit_ratio": 0.6},
]


def _t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def build(lang: str = "zh-CN") -> str:
    """Run the chain on the sample data into a fresh in-memory store; return the workshop export."""
    store = open_store("sqlite:///:memory:")
    ws = store.create(demo_meta(lang))
    series = load_sample().series
    past = (Event(name="618", start=_t("2026-06-18T20:00"), end=_t("2026-06-19T02:00"), value=2.5),
            Event(name="99", start=_t("2026-09-09T20:00"), end=_t("2026-09-10T00:00"), value=1.6),
            Event(name="1020", start=_t("2026-10-20T20:00"), end=_t("2026-10-21T00:00"), value=2.0))
    double11 = Scenario(name="double11", growth_pct_per_month=3.0,
                        events=(Event(name="Double 11", start=_t("2026-11-11T20:00"), end=_t("2026-11-12T02:00"),
                                      value=3.0),))
    options = ForecastOptions(horizon=dt.timedelta(days=30), china_holidays=True, history_events=past)
    result = forecast_load(series, options, [double11], series_name="qps")
    peak = result.scenarios["double11"].peak
    v = store.put_artefact(ws.id, ws.version, "forecast", "qps-double11",
                           {"peak": peak.model_dump(mode="json"), "summary": summary(result, series)})
    v = store.put_artefact(ws.id, v, "sizing", "double11", {
        "inputs": {"peak": round(peak.peak.p95), "slo_ms": 200.0, "q": 0.99, "cap": 0.7, "azs": 2,
                   "scenario": "double11"},
        "tiers": TIERS})
    yaml_text = (ROOT / "sample_data" / "architectures" / "single_az.yaml").read_text(encoding="utf-8")
    arch = load_architecture(yaml_text)
    v = store.put_artefact(ws.id, v, "architecture", "v001",
                           {"yaml": yaml_text, "name": arch.name, "created": "2026-11-02T02:00:00+00:00",
                            "parent": None, "template": "single_az"})
    # No pins: the chain follows the newest forecast, sizing and architecture version as the advisor works.
    v = store.put_artefact(ws.id, v, "chain", CHAIN_ID, ChainSettings(quantile="p95").model_dump(mode="json"))
    before = compute_chain(store.get(ws.id))
    first = take_milestone(
        "Review 1 (as is)" if lang == "en" else "第一次评审（现状）", before, lang, dt.date(2026, 11, 2)
    )
    v = store.put_artefact(ws.id, v, "milestone", "review-1", first.model_dump(mode="json"))
    finding = next(f for f in before.review.findings if fixable(f) and "mysql" in f.component_ids)
    fixed = apply_fix(before.architecture, finding).architecture
    v = store.put_artefact(ws.id, v, "architecture", "v002",
                           {"yaml": dump_architecture(fixed), "name": fixed.name,
                            "created": "2026-11-02T03:00:00+00:00", "parent": "v001",
                            "template": "single_az"})
    after = compute_chain(store.get(ws.id))
    second = take_milestone("Review 2 (database HA)" if lang == "en" else "第二次评审（数据库高可用）", after, lang,
                            dt.date(2026, 11, 2))
    v = store.put_artefact(ws.id, v, "milestone", "review-2", second.model_dump(mode="json"))
    plan = demo_plan(before, after, finding.rule_id, lang)
    store.put_artefact(ws.id, v, "homework", PLAN_ID, plan.model_dump(mode="json"))
    return export_workshop(store.get(ws.id))


def demo_plan(before: ChainResult, after: ChainResult, fixed_rule: str, lang: str) -> HomeworkPlan:
    """The plan as the advisor left it: findings of review 1 taken in, owners and dates set, the database
    fix confirmed done after review 2, one item in progress, one risk accepted, the rest open (some overdue)."""
    assert before.review is not None and after.review is not None
    taken = dt.datetime(2026, 11, 2, 2, 30, tzinfo=dt.UTC)
    plan = take_findings(HomeworkPlan(), before.review.findings, lang, taken, by="advisor")
    owners = (["Li Lei (SRE)", "Wang Fang (DBA)", "Zhang Wei (Dev)"] if lang == "en"
              else ["李雷（SRE）", "王芳（DBA）", "张伟（研发）"])
    for n, item in enumerate(plan.items):
        plan = edit_item(plan, item.id, owner=owners[n % len(owners)],
                         due=dt.date(2026, 11, 20) + dt.timedelta(days=14 * (n % 5)))
    plan = reconcile(plan, after.review.findings, taken + dt.timedelta(minutes=40), "v002")
    plan = add_item(plan, taken + dt.timedelta(minutes=50), by="advisor",
                    title="Rehearse the AZ failover" if lang == "en" else "演练可用区故障切换",
                    fix=("Run a game day: lose AZ ap-guangzhou-3 at 20:00 traffic." if lang == "en"
                         else "组织一次演练：在 20:00 流量下模拟 ap-guangzhou-3 可用区故障。"),
                    owner=owners[0], due=dt.date(2026, 11, 9), effort="M", severity="high", pillar="reliability")
    rehearsal = plan.items[-1].id
    proposed = [i for i in plan.items if i.proposed_done]  # findings gone in v002 (none when a rule still fires)
    for item in proposed:
        plan = confirm_done(plan, item.id, taken + dt.timedelta(minutes=45), by="advisor")
    plan = set_status(plan, rehearsal, Status.done, taken + dt.timedelta(hours=3), by=owners[0],
                      note="game day held" if lang == "en" else "已完成演练")
    active = [i for i in plan.items if i.status == Status.open and not i.proposed_done and i.findings]
    plan = set_status(plan, active[0].id, Status.in_progress, taken + dt.timedelta(hours=1), by=owners[0])
    low = next((i for i in reversed(active) if i.severity.value in ("low", "info", "medium")), active[-1])
    reason = ("Low impact for Double 11; planned with the Q1 2027 budget." if lang == "en"
              else "对双十一影响小；纳入 2027 年一季度预算处理。")
    plan = set_status(plan, low.id, Status.risk_accepted, taken + dt.timedelta(hours=1), by="CTO",
                      accepted_reason=reason)
    return plan


if __name__ == "__main__":
    for language in ("zh-CN", "en"):
        path = Path(str(OUT).format(lang=language))
        path.write_text(build(language), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1024:.0f} KiB)")
