"""Homework: the improvement plan of a workshop, tracked from raised to closed.

What and why
    A review regenerates its findings every time; homework is what persists between two workshops:
    who fixes what, by when, and what happened to it.  An item is made from a finding (one item covers
    a rule on every component it names: "add alerting" on five components is one piece of work) or typed
    by hand.  When a new architecture version is reviewed, :func:`reconcile` proposes as done the items
    whose findings are gone (the advisor confirms, :func:`confirm_done`) and reopens done items whose
    findings came back.  Every status change is dated in the item's history, so a milestone review
    ("service 360") can list what closed since the last milestone (:func:`service_review`).

Sources for the shape
    - AWS Well-Architected improvement plans: per risk, an improvement item with status [A1].
    - The ITIL 4 problem-management record: owner, target date, status, "known error" accepted with a
      reason, and its history.

Everything here is pure: functions take a :class:`HomeworkPlan` and return a new one; nothing is stored
or translated here (pages and the report translate the status and effort keys).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench.architecture.findings import Finding, FindingGroup, ParamValue, Pillar, Severity
from workbench.architecture.loader import load_architecture
from workbench.architecture.review import Review, review_architecture
from workbench.i18n import LANGUAGES, normalise_language, t
from workbench.workshop.chain import chain_if_ready
from workbench.workshop.documents import Document, register
from workbench.workshop.models import ArtefactKind, Workshop

HOMEWORK_SCHEMA = 1
PLAN_ID = "plan"
MAX_ITEM_TEXT = 100_000  # a pasted ticket description fits; the report wraps it
MAX_ITEMS = 2_000


class Status(StrEnum):
    """Where an item stands."""

    open = "open"
    in_progress = "in_progress"
    done = "done"
    risk_accepted = "risk_accepted"


class Effort(StrEnum):
    """T-shirt size of the work: S (hours), M (days), L (weeks)."""

    S = "S"
    M = "M"
    L = "L"


ACTIVE = (Status.open, Status.in_progress)


class FindingLink(BaseModel):
    """The finding an item covers: a rule and the components it fired on."""

    model_config = ConfigDict(frozen=True)

    rule_id: str = Field(min_length=1, max_length=64)
    components: list[str] = Field(default_factory=list, max_length=500)
    subject: str | None = Field(None, max_length=500, description="Finding.subject; None in links saved before it")

    def matches(self, finding: Finding) -> bool:
        """The same rule on at least one of the same components (or the rule anywhere when no components), and
        the same subject when the link names one (links saved before subjects existed match any firing)."""
        if finding.rule_id != self.rule_id or (self.subject is not None and self.subject != finding.subject):
            return False
        return not self.components or bool(set(self.components) & set(finding.component_ids))


class SourceFinding(BaseModel):
    """One finding's catalogue texts (keys and parameters) and what it fired on."""

    model_config = ConfigDict(frozen=True)

    title_key: str = Field(max_length=200)
    rationale_key: str = Field(max_length=200)
    recommendation_key: str = Field(max_length=200)
    params: dict[str, ParamValue] = Field(default_factory=dict)
    components: list[str] = Field(default_factory=list, max_length=500)
    severity: Severity = Severity.medium

    @classmethod
    def of(cls, finding: Finding, components: list[str] | None = None) -> SourceFinding:
        """The texts of ``finding`` (on ``components`` instead of its own when given)."""
        return cls(title_key=finding.title_key, rationale_key=finding.rationale_key,
                   recommendation_key=finding.recommendation_key, params=dict(finding.params),
                   components=list(finding.component_ids if components is None else components),
                   severity=finding.severity)


class ItemSource(BaseModel):
    """The findings an item was written from, so it can be said again in any language: a plan taken while the page
    was in English reads in Chinese in a Chinese report."""

    model_config = ConfigDict(frozen=True)

    components: list[str] = Field(default_factory=list, max_length=500)
    findings: list[SourceFinding] = Field(min_length=1, max_length=MAX_ITEMS)

    @classmethod
    def of(cls, components: list[str], findings: list[Finding]) -> ItemSource:
        """The source of an item covering ``findings`` (worst first) on ``components``."""
        return cls(components=list(components), findings=[SourceFinding.of(f) for f in findings])

    def text(self, lang: str, rule_id: str, pillar: str) -> dict[str, str]:
        """Title, rationale and recommendation in ``lang``, as :meth:`FindingGroup.text` says them."""
        found = [Finding(rule_id=rule_id, pillar=Pillar(pillar), severity=f.severity, component_ids=f.components,
                         title_key=f.title_key, rationale_key=f.rationale_key,
                         recommendation_key=f.recommendation_key, params=f.params, reference="")
                 for f in self.findings]
        worst = max((f.severity for f in found), key=lambda sev: sev.rank)
        return FindingGroup(rule_id=rule_id, pillar=Pillar(pillar), severity=worst, component_ids=self.components,
                            findings=found).text(lang)


class StatusChange(BaseModel):
    """One dated entry of an item's history."""

    model_config = ConfigDict(frozen=True)

    at: dt.datetime
    status: Status
    by: str = Field("", max_length=200)
    note: str = Field("", max_length=MAX_ITEM_TEXT, description="why: a reason, 'finding gone in v3', …")


class HomeworkItem(BaseModel):
    """One piece of homework."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=r"^hw-[0-9]{1,6}$")
    title: str = Field(min_length=1, max_length=MAX_ITEM_TEXT)
    why: str = Field("", max_length=MAX_ITEM_TEXT, description="the risk if it is not done")
    fix: str = Field("", max_length=MAX_ITEM_TEXT, description="what to do")
    owner: str = Field("", max_length=200)
    due: dt.date | None = None
    effort: Effort = Effort.M
    status: Status = Status.open
    severity: Severity = Severity.medium
    pillar: str = Field("operations", pattern=r"^(reliability|performance|security|cost|operations)$")
    accepted_reason: str = Field("", max_length=MAX_ITEM_TEXT)
    accepted_by: str = Field("", max_length=200)
    findings: list[FindingLink] = Field(default_factory=list)
    source: ItemSource | None = Field(None, description="the finding texts the item was made from; None when "
                                                         "typed by hand or saved before sources were kept")
    components: list[str] = Field(default_factory=list, max_length=500)
    notes: str = Field("", max_length=MAX_ITEM_TEXT)
    proposed_done: bool = Field(False, description="its findings are gone in the latest review; awaiting confirmation")
    history: list[StatusChange] = Field(default_factory=list)
    created_at: dt.datetime

    @model_validator(mode="after")
    def _accepted_has_reason(self) -> HomeworkItem:
        if self.status == Status.risk_accepted and not (self.accepted_reason and self.accepted_by):
            raise ValueError("an accepted risk needs a reason and who accepted it")
        return self

    def is_overdue(self, today: dt.date) -> bool:
        """Still to do and past its due date."""
        return self.status in ACTIVE and self.due is not None and self.due < today

    def closed_at(self) -> dt.datetime | None:
        """When it was last closed (done or risk accepted), None while active."""
        if self.status in ACTIVE:
            return None
        return next((h.at for h in reversed(self.history) if h.status == self.status), self.created_at)


@register
class HomeworkPlan(Document):
    """All items of one workshop (one artefact, so a review updates them in one write)."""

    KIND: ClassVar[ArtefactKind] = ArtefactKind.HOMEWORK
    SCHEMA: ClassVar[int] = HOMEWORK_SCHEMA

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: list[HomeworkItem] = Field(default_factory=list, max_length=MAX_ITEMS)
    reviewed_version: str | None = Field(None, description="architecture version the last reconcile saw")

    def get(self, item_id: str) -> HomeworkItem | None:
        """One item by id."""
        return next((i for i in self.items if i.id == item_id), None)

    def covered_rules(self) -> set[str]:
        """Rules already covered by an item that is not closed as done."""
        return {link.rule_id for i in self.items if i.status != Status.done for link in i.findings}

    def _next_id(self) -> str:
        numbers = [int(i.id[3:]) for i in self.items]
        return f"hw-{max(numbers, default=0) + 1}"

    def _replace(self, item: HomeworkItem) -> HomeworkPlan:
        return self.model_copy(update={"items": [item if i.id == item.id else i for i in self.items]})


# ---- creating --------------------------------------------------------------------------------
def add_item(plan: HomeworkPlan, now: dt.datetime, *, title: str, by: str = "", **fields: object) -> HomeworkPlan:
    """A hand-typed item (validated like any other), appended with its first history entry."""
    item = HomeworkItem.model_validate(
        {
            "id": plan._next_id(),
            "title": title,
            "created_at": now,
            **fields,
            "history": [StatusChange(at=now, status=Status(str(fields.get("status", Status.open))), by=by)],
        }
    )
    return plan.model_copy(update={"items": [*plan.items, item]})


def group_by_rule(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per rule naming every component it fired on, worst first (input order kept within)."""
    merged: dict[str, Finding] = {}
    for f in findings:
        if f.waived:
            continue
        if f.rule_id in merged:
            first = merged[f.rule_id]
            ids = list(dict.fromkeys([*first.component_ids, *f.component_ids]))
            worst = first.severity if first.severity.at_least(f.severity) else f.severity
            merged[f.rule_id] = first.model_copy(update={"component_ids": ids, "severity": worst})
        else:
            merged[f.rule_id] = f
    return sorted(merged.values(), key=lambda f: -f.severity.rank)


def take_findings(
    plan: HomeworkPlan,
    findings: Iterable[Finding],
    lang: str,
    now: dt.datetime,
    rules: Iterable[str] | None = None,
    by: str = "",
) -> HomeworkPlan:
    """Items for the findings' rules not yet in the plan (one item per rule); ``rules`` limits which."""
    wanted = set(rules) if rules is not None else None
    covered = plan.covered_rules()
    findings = [f for f in findings if not f.waived]
    for f in group_by_rule(findings):
        if f.rule_id in covered or (wanted is not None and f.rule_id not in wanted):
            continue
        fired = sorted((g for g in findings if g.rule_id == f.rule_id), key=lambda g: (-g.severity.rank, -g.weight))
        # the group's texts: each component with its own figures, never the first one's for all
        text = FindingGroup(rule_id=f.rule_id, pillar=f.pillar, severity=f.severity, component_ids=f.component_ids,
                            findings=fired).text(lang)
        plan = add_item(
            plan,
            now,
            title=text["title"],
            why=text["rationale"],
            fix=text["recommendation"],
            by=by,
            severity=f.severity,
            pillar=f.pillar.value,
            effort=Effort.S if f.fix else Effort.M,
            findings=[FindingLink(rule_id=g.rule_id, components=list(g.component_ids), subject=g.subject or None)
                      for g in findings if g.rule_id == f.rule_id],
            source=ItemSource.of(f.component_ids, fired),
            components=list(f.component_ids),
        )
    return plan


def _legacy_sources(item: HomeworkItem, findings: Iterable[Finding]) -> list[ItemSource]:
    """What an item saved before sources were kept was most likely written from, on the item's own components: the
    current review's findings its links match, as one finding (older plans) or as a group (newer ones); with none
    left, the rule's texts.  Guesses only ever used to re-say a text one of them reproduces exactly."""
    if not item.findings:
        return []
    fired = [f for f in findings if not f.waived and any(link.matches(f) for link in item.findings)]
    matched = sorted(fired, key=lambda f: (-f.severity.rank, -f.weight))
    if matched:  # older plans said the first finding (in review order, or worst first) on every component
        firsts = [fired[0]] + ([matched[0]] if matched[0] is not fired[0] else [])
        return [*(ItemSource(components=item.components, findings=[SourceFinding.of(f, item.components)])
                  for f in firsts), ItemSource.of(item.components, matched)]
    from workbench.architecture.rules import all_rules  # the rule catalogue: only for these old items

    rule = next((r for r in all_rules() if r.id == item.findings[0].rule_id), None)
    if rule is None:
        return []
    return [ItemSource(components=item.components, findings=[SourceFinding(
        title_key=f"{rule.key_prefix}.title", rationale_key=f"{rule.key_prefix}.rationale",
        recommendation_key=f"{rule.key_prefix}.recommendation", components=item.components)])]


TEXT_FIELDS = {"title": "title", "why": "rationale", "fix": "recommendation"}
"""Item field → the finding text it was written from."""


def item_texts(item: HomeworkItem, lang: str, findings: Iterable[Finding] = ()) -> dict[str, str]:
    """The item's title, why and fix in ``lang``.

    An item made from a finding is said again from the finding's catalogue texts (:attr:`HomeworkItem.source`;
    for items saved before sources were kept, from the ``findings`` of the current review its links match), so a
    plan taken while the page was in English reads in Chinese in a Chinese report.  A field the advisor edited by
    hand (it is no longer the finding's text in any language) is kept as written; typed items are kept as written.
    """
    own = {name: str(getattr(item, name)) for name in TEXT_FIELDS}
    sources = [item.source] if item.source is not None else _legacy_sources(item, findings)
    rule_id = item.findings[0].rule_id if item.findings else ""
    said: list[dict[str, dict[str, str]]] = []
    for source in sources:
        try:
            said.append({code: {k: v.strip() for k, v in source.text(code, rule_id, item.pillar).items()}
                         for code in LANGUAGES})
        except ValueError:  # a stored source that no longer makes a finding: the item's own words stay
            continue
    out = dict(own)
    for name, part in TEXT_FIELDS.items():
        for texts in said:
            if any(own[name] == text[part] for text in texts.values()):
                out[name] = texts[normalise_language(lang)][part]
                break
    return out


# ---- editing ---------------------------------------------------------------------------------
def set_status(
    plan: HomeworkPlan,
    item_id: str,
    status: Status,
    now: dt.datetime,
    by: str = "",
    note: str = "",
    accepted_reason: str = "",
) -> HomeworkPlan:
    """Move an item to ``status`` with a dated history entry; accepting a risk needs a reason and who."""
    item = plan.get(item_id)
    if item is None:
        raise KeyError(item_id)
    if status == item.status and not item.proposed_done:
        return plan
    update: dict[str, object] = {
        "status": status,
        "proposed_done": False,
        "history": [*item.history, StatusChange(at=now, status=status, by=by, note=note)],
    }
    if status == Status.risk_accepted:
        update |= {"accepted_reason": accepted_reason or item.accepted_reason, "accepted_by": by or item.accepted_by}
    return plan._replace(HomeworkItem.model_validate({**item.model_dump(), **update}))


def edit_item(plan: HomeworkPlan, item_id: str, **fields: object) -> HomeworkPlan:
    """Change the editable fields of an item (title, owner, due, effort, notes, …); status via set_status."""
    item = plan.get(item_id)
    if item is None:
        raise KeyError(item_id)
    blocked = {"id", "status", "history", "created_at"} & set(fields)
    if blocked:
        raise ValueError(f"not editable here: {', '.join(sorted(blocked))}")
    return plan._replace(HomeworkItem.model_validate({**item.model_dump(), **fields}))


def confirm_done(plan: HomeworkPlan, item_id: str, now: dt.datetime, by: str = "") -> HomeworkPlan:
    """The advisor confirms a proposed-done item: it becomes done."""
    return set_status(plan, item_id, Status.done, now, by=by, note="confirmed")


# ---- reviewing -------------------------------------------------------------------------------
def reconcile(
    plan: HomeworkPlan, findings: Iterable[Finding], now: dt.datetime, version: str | None = None
) -> HomeworkPlan:
    """Align the plan with a new review: gone findings propose done; returning findings reopen.

    Items typed by hand (no finding links) and accepted risks are left alone: only a person decides them.
    """
    current = [f for f in findings if not f.waived]
    items = []
    for item in plan.items:
        if not item.findings or item.status == Status.risk_accepted:
            items.append(item)
            continue
        present = any(link.matches(f) for link in item.findings for f in current)
        if item.status in ACTIVE:
            items.append(item.model_copy(update={"proposed_done": not present}))
        elif present:  # done, but the finding is back
            note = f"finding back in {version}" if version else "finding back"
            items.append(
                item.model_copy(
                    update={
                        "status": Status.open,
                        "proposed_done": False,
                        "history": [*item.history, StatusChange(at=now, status=Status.open, note=note)],
                    }
                )
            )
        else:
            items.append(item)
    return plan.model_copy(update={"items": items, "reviewed_version": version})


def overdue(plan: HomeworkPlan, today: dt.date) -> list[HomeworkItem]:
    """Items still to do whose due date has passed, most overdue first."""
    late = [i for i in plan.items if i.is_overdue(today)]
    return sorted(late, key=lambda i: i.due or today)


class ServiceReview(BaseModel):
    """What a milestone meeting goes through: closed since the last milestone, overdue, new."""

    model_config = ConfigDict(frozen=True)

    since: dt.datetime | None
    closed: list[HomeworkItem]
    overdue: list[HomeworkItem]
    new: list[HomeworkItem]
    open_count: int


def service_review(
    plan: HomeworkPlan, since: dt.datetime | None, today: dt.date, until: dt.datetime | None = None
) -> ServiceReview:
    """Items closed (done or accepted) and created after ``since`` and up to ``until``, and overdue ``today``.

    For a milestone meeting, ``since`` is the previous milestone and ``until`` this one; between milestones
    ``since`` is the newest milestone and ``until`` None (up to now).
    """

    def after(moment: dt.datetime | None) -> bool:
        return moment is not None and (since is None or moment > since) and (until is None or moment <= until)

    return ServiceReview(
        since=since,
        closed=[i for i in plan.items if after(i.closed_at())],
        overdue=overdue(plan, today),
        new=[i for i in plan.items if after(i.created_at)],
        open_count=sum(1 for i in plan.items if i.status in ACTIVE),
    )


def load_plan(data: dict[str, object] | None) -> HomeworkPlan:
    """The plan stored in a workshop artefact (an empty plan when there is none)."""
    return HomeworkPlan.model_validate(data) if data else HomeworkPlan()


def plan_of(workshop: Workshop) -> HomeworkPlan:
    """The homework plan of a workshop."""
    art = workshop.artefact(ArtefactKind.HOMEWORK, PLAN_ID)
    return load_plan(art.data if art else None)


# ---- the plan as a table (page editor, CSV/Excel export) ------------------------------------------
EDITABLE = ("title", "owner", "due", "effort", "status", "notes", "accepted_reason", "accepted_by")


def _as_date(value: object) -> dt.date | None:
    """A date from an editor cell (date, datetime, ISO text, NaT/None/'')."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp (NaT has no valid year)
        try:
            return value.to_pydatetime().date()  # type: ignore[no-any-return]
        except ValueError:
            return None
    return dt.date.fromisoformat(str(value)[:10])


def apply_edits(plan: HomeworkPlan, rows: Iterable[dict[str, object]], now: dt.datetime, by: str = "") -> HomeworkPlan:
    """Apply edited table rows (id + :data:`EDITABLE` fields) to the plan; status changes go into the history.

    Raises ``ValueError`` (pydantic's ValidationError included) when a row cannot be saved as it is,
    e.g. a risk accepted without a reason.
    """
    for row in rows:
        item = plan.get(str(row.get("id", "")))
        if item is None:
            continue
        fields: dict[str, object] = {}
        for name in ("title", "owner", "notes", "accepted_reason", "accepted_by"):
            if name in row:
                value = "" if row[name] is None else str(row[name])
                if value != getattr(item, name):
                    fields[name] = value
        if "due" in row and _as_date(row["due"]) != item.due:
            fields["due"] = _as_date(row["due"])
        if "effort" in row and row["effort"] and Effort(str(row["effort"])) != item.effort:
            fields["effort"] = Effort(str(row["effort"]))
        status = Status(str(row["status"])) if row.get("status") else item.status
        if status == Status.risk_accepted and status != item.status:
            reason = str(fields.pop("accepted_reason", item.accepted_reason))
            who = str(fields.pop("accepted_by", item.accepted_by)) or by
            if fields:
                plan = edit_item(plan, item.id, **fields)
            plan = set_status(plan, item.id, status, now, by=who, accepted_reason=reason)
            continue
        if fields:
            plan = edit_item(plan, item.id, **fields)
        if status != item.status:
            plan = set_status(plan, item.id, status, now, by=by)
    return plan


def current_review(workshop: Workshop) -> tuple[Review | None, str | None]:
    """The review of the architecture version the workshop works on, and that version's id."""
    chain = chain_if_ready(workshop)
    if chain is not None and chain.review is not None:
        return chain.review, chain.provenance.architecture_id
    items = workshop.artefacts_of(ArtefactKind.ARCHITECTURE)
    if not items:
        return None, None
    return review_architecture(load_architecture(str(items[0].data.get("yaml", "")))), items[0].id


def export_rows(
    plan: HomeworkPlan, lang: str, today: dt.date, findings: Iterable[Finding] = ()
) -> list[dict[str, object]]:
    """The plan as rows with translated headers, for CSV/Excel (neutralise with :mod:`workbench.exports`).

    Items made from findings are in ``lang`` (:func:`item_texts`; ``findings``: the current review's, for items
    saved before their source texts were kept); each rule is named once.
    """

    def col(name: str) -> str:
        return t(f"homework.col.{name}", lang)

    findings = list(findings)
    texts = {i.id: item_texts(i, lang, findings) for i in plan.items}
    return [
        {
            col("id"): i.id,
            col("title"): texts[i.id]["title"],
            col("severity"): t(f"report.severity.{i.severity.value}", lang),
            col("pillar"): t(f"report.pillar.{i.pillar}", lang),
            col("status"): t(f"homework.status.{i.status.value}", lang),
            col("owner"): i.owner,
            col("due"): i.due.isoformat() if i.due else "",
            col("effort"): i.effort.value,
            col("overdue"): t("common.answer_yes", lang) if i.is_overdue(today) else "",
            col("components"): ", ".join(i.components),
            col("why"): texts[i.id]["why"],
            col("fix"): texts[i.id]["fix"],
            col("notes"): i.notes,
            col("accepted_reason"): i.accepted_reason,
            col("accepted_by"): i.accepted_by,
            col("rules"): ", ".join(dict.fromkeys(link.rule_id for link in i.findings)),
        }
        for i in plan.items
    ]
