"""Safe loading of architecture files (YAML or JSON) with every problem reported where it is.

What and why
    Architecture files come from customers and the internet, so loading must never execute code, hang or
    exhaust memory, and every problem must point at its place (``components[3].placement``, line, column)
    in the user's language.  Defences (OWASP "Deserialization Cheat Sheet"; PyYAML's own advice to use
    SafeLoader; the "billion laughs" entity-expansion attack, CWE-776):
    - size limit before parsing (``MAX_BYTES``), UTF-8 only;
    - YAML through a ``SafeLoader`` subclass that accepts only the core tags (no ``!!python/...``, no custom
      tags), limits nesting depth, counts alias events and the *expanded* node count while composing (so an
      alias bomb is rejected before anything is constructed), rejects multi-document streams and duplicate
      mapping keys;
    - JSON through ``json.loads`` with a duplicate-key hook and the same depth limit;
    - numbers longer than ``MAX_NUMBER_CHARS`` characters are refused before conversion (CPython refuses
      integer strings above 4,300 digits with a bare ``ValueError``, CVE-2020-10735) and NaN/infinity are
      refused; the parse has a CPU-time budget (``MAX_SECONDS`` of the parsing thread);
    - a binary file (Parquet, zip, pickle, PDF, image...) is recognised from its magic bytes (``sniff.py``),
      a tab in the indentation and duplicate keys/ids are named as such, with both locations;
    - pydantic validation, then semantic checks (duplicate ids, unknown types, AZs in no region...) and
      hygiene (``hygiene.py``: blank ids and NUL refused; look-alike ids and zero replicas warned).
    Keys starting with ``x-`` (extension blocks, possibly holding YAML anchors) and ``description`` fields
    are accepted (``model.py``).
    Dangling links, self-loops, unknown entry points and journey components are *warnings*: the model
    loads and the analyses report them as graph issues (issue 4: "dangling links are reported as findings").
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any, cast

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from workbench.architecture.catalogue import load_catalogue
from workbench.architecture.hygiene import hygiene_issues, nul_paths
from workbench.architecture.model import Architecture
from workbench.architecture.sniff import binary_kind
from workbench.errors import InputError

MAX_MB_DEFAULT = 32  # a 10,000-component estate is ~5 MB of YAML, ~8 MB of indented JSON
MAX_BYTES = MAX_MB_DEFAULT * 1024 * 1024  # the default; the limit in force is max_bytes()
MAX_DEPTH = 64
MAX_ALIASES = 1_000
MAX_NODES = 5_000_000  # nodes after alias expansion (a 10,000-component estate has ~600,000)
MAX_NUMBER_CHARS = 100  # longer numbers are junk (or an attack on int() conversion)
MAX_SECONDS = 20.0  # parse budget in CPU seconds of the parsing thread; a 2 MB file needs about 3 s
_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"

_CORE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("null", "bool", "int", "float", "str", "seq", "map", "timestamp", "merge")
}


class LoadIssue(BaseModel):
    """One problem found while loading, with its location and a translatable message."""

    model_config = ConfigDict(frozen=True)

    location: str = ""
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key: str
    params: dict[str, Any] = {}
    severity: str = "error"  # "error" or "warning"

    def text(self, lang: str) -> str:
        from workbench.i18n import t

        message = t(self.key, lang, **self.params)
        where = self.location or t("arch_model.load.document", lang)
        if self.line is not None:
            return t(
                "arch_model.load.at_line", lang, where=where, line=self.line, column=self.column or 1, message=message
            )
        return t("arch_model.load.at", lang, where=where, message=message)


class ArchitectureLoadError(InputError):
    """The file cannot be used; ``issues`` lists every problem found (errors first)."""

    def __init__(self, issues: list[LoadIssue]) -> None:
        self.issues = issues
        first = issues[0] if issues else LoadIssue(key="errors.architecture.invalid")
        super().__init__("errors.architecture.invalid", count=len(issues), first=first.location or "-")

    def describe(self, lang: str) -> list[str]:
        """Every issue as one translated line."""
        return [i.text(lang) for i in self.issues]


class LoadResult(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    architecture: Architecture
    warnings: list[LoadIssue]


class _Reject(Exception):
    def __init__(self, issue: LoadIssue) -> None:
        super().__init__(issue.key)
        self.issue = issue


def _mark_issue(key: str, node_or_mark: Any, location: str = "", **params: Any) -> LoadIssue:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return LoadIssue(location=location, line=line, column=col, key=key, params=params)


try:  # libyaml's C parser for speed (a 2 MB file in well under a second); our composer stays in Python
    from yaml._yaml import CParser

    class _Base(Composer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """CParser events + Python Composer (so ``compose_node`` can be guarded) + safe constructor."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader  # type: ignore[misc,assignment]


class _SafeLoader(_Base):
    """SafeLoader with depth/alias/expansion limits, core tags only and duplicate-key detection."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}
        # CPU time of this thread, not wall time: a busy machine or other sessions must not refuse a good file
        self._deadline = time.thread_time() + MAX_SECONDS
        self.issues: list[LoadIssue] = []

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Reject(_mark_issue("errors.architecture.too_many_aliases", self.peek_event(), limit=MAX_ALIASES))
            event: Any = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None and id(target) not in self._sizes:  # alias inside its own anchor
                raise _Reject(_mark_issue("errors.architecture.recursive_alias", event))
            alias: Any = Composer.compose_node(self, parent, index)
            return cast(Node, alias)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Reject(_mark_issue("errors.architecture.too_deep", self.peek_event(), limit=MAX_DEPTH))
        composed = Composer.compose_node(self, parent, index)
        self._depth -= 1
        if composed is None:  # pragma: no cover - the composer returns a node for every non-end event
            raise _Reject(LoadIssue(key="errors.architecture.empty"))
        node: Node = composed
        if node.tag not in _CORE_TAGS:
            raise _Reject(_mark_issue("errors.architecture.tag_not_allowed", node, tag=str(node.tag)[:100]))
        if node.tag in (_INT_TAG, _FLOAT_TAG) and len(node.value) > MAX_NUMBER_CHARS:
            raise _Reject(_mark_issue("errors.architecture.number_too_long", node, length=len(node.value),
                                      limit=MAX_NUMBER_CHARS))
        if len(self._sizes) % 4096 == 0 and time.thread_time() > self._deadline:
            raise _Reject(_mark_issue("errors.architecture.too_slow", node, seconds=int(MAX_SECONDS)))
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        if size > MAX_NODES:
            raise _Reject(_mark_issue("errors.architecture.too_many_nodes", node, limit=MAX_NODES))
        self._sizes[id(node)] = size
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    mark = seen[key_node.value].start_mark
                    self.issues.append(
                        _mark_issue("errors.architecture.duplicate_key", key_node, name=str(key_node.value)[:200],
                                    first_line=mark.line + 1, first_column=mark.column + 1)
                    )
                seen.setdefault(key_node.value, key_node)
        return super().construct_mapping(node, deep=deep)


_SafeLoader.add_constructor("tag:yaml.org,2002:map", _SafeLoader.construct_yaml_map)  # type: ignore[type-var]


def _walk_marks(root: Node) -> dict[str, tuple[int, int]]:
    """Path ('components[3].placement') → (line, column), both 1-based, for every node reached (iterative)."""
    out: dict[str, tuple[int, int]] = {}
    stack: list[tuple[str, Node]] = [("", root)]
    while stack:
        path, node = stack.pop()
        if path in out:
            continue
        if len(out) > MAX_NODES:
            break
        out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if isinstance(k, ScalarNode):
                    child = f"{path}.{k.value}" if path else str(k.value)
                    out.setdefault(child + "#key", (k.start_mark.line + 1, k.start_mark.column + 1))
                    stack.append((child, v))
        elif isinstance(node, SequenceNode):
            for i, v in enumerate(node.value):
                stack.append((f"{path}[{i}]", v))
    return out


class _Marks:
    """Path → (line, column), computed on first use: the happy path never walks the tree twice."""

    def __init__(self, root: Node | None) -> None:
        self._root = root
        self._marks: dict[str, tuple[int, int]] | None = None

    def get(self) -> dict[str, tuple[int, int]]:
        if self._marks is None:
            self._marks = _walk_marks(self._root) if self._root is not None else {}
        return self._marks


def _parse_yaml(text: str) -> tuple[Any, _Marks, list[LoadIssue]]:
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node_checked()  # type: ignore[attr-defined]
        if root is None:
            raise _Reject(LoadIssue(key="errors.architecture.empty"))
        data = loader.construct_document(root)
        return data, _Marks(root), loader.issues
    except _Reject as exc:
        raise ArchitectureLoadError([exc.issue]) from None
    except ConstructorError as exc:
        raise ArchitectureLoadError(
            [_mark_issue("errors.architecture.tag_not_allowed", exc.problem_mark, tag=str(exc.problem)[:200])]
        ) from None
    except yaml.MarkedYAMLError as exc:
        tab_problem = any(w in (exc.problem or "") for w in ("tab", "cannot start any token"))
        tab = _tab_near(text, exc.problem_mark) if tab_problem else None
        if tab is not None:
            raise ArchitectureLoadError(
                [LoadIssue(line=tab[0], column=tab[1], key="errors.architecture.tab_indent")]
            ) from None
        problem = f"{exc.problem or ''} {exc.context or ''}".strip()[:300]
        raise ArchitectureLoadError(
            [_mark_issue("errors.architecture.syntax", exc.problem_mark, problem=problem)]
        ) from None
    except yaml.YAMLError as exc:
        raise ArchitectureLoadError(
            [LoadIssue(key="errors.architecture.syntax", params={"problem": str(exc)[:300]})]
        ) from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()


def _tab_near(text: str, mark: Any) -> tuple[int, int] | None:
    """(line, column) of a tab in the indentation of the failing line or the one before it (YAML forbids
    tabs there, YAML 1.2 §6.1), so the message can say "tab" instead of "cannot start any token"."""
    if mark is None:
        return None
    lines = text.split("\n", mark.line + 1)
    for number in range(mark.line, max(mark.line - 2, -1), -1):
        if number >= len(lines):
            continue
        line = lines[number]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return number + 1, indent.index("\t") + 1
    return None


def _get_single_node_checked(self: _SafeLoader) -> Node | None:
    """Like Composer.get_single_node, but a second document is a clear, located error."""
    self.get_event()  # StreamStart
    document = None
    if not self.check_event(StreamEndEvent):
        document = self.compose_document()
    if not self.check_event(StreamEndEvent):
        raise _Reject(_mark_issue("errors.architecture.multiple_documents", self.peek_event()))
    self.get_event()
    return document


_SafeLoader.get_single_node_checked = _get_single_node_checked  # type: ignore[attr-defined]


def _json_depth_ok(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return True


class _BadNumber(Exception):
    def __init__(self, key: str, literal: str) -> None:
        super().__init__(key)
        self.key, self.literal = key, literal


def _json_int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _BadNumber("errors.architecture.number_too_long", literal)
    return int(literal)


def _json_float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise _BadNumber("errors.architecture.number_too_long", literal)
    return float(literal)


def _json_constant(literal: str) -> Any:
    raise _BadNumber("errors.architecture.not_finite", literal)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _number_issue(text: str, exc: _BadNumber) -> LoadIssue:
    """The refused number, located at its first occurrence outside a string (where the JSON scanner stopped)."""
    long_number = r"-?\d[\d.eE+-]{" + str(MAX_NUMBER_CHARS - 1) + ",}"
    pattern = re.escape(exc.literal) if exc.key == "errors.architecture.not_finite" else long_number
    match = re.search(r"(?<![\w\"])" + pattern, text)
    line, col = _line_col(text, match.start()) if match else (None, None)
    return LoadIssue(line=line, column=col, key=exc.key,
                     params={"length": len(exc.literal), "limit": MAX_NUMBER_CHARS, "value": exc.literal[:20]})


def _yaml_view_of_json(text: str) -> tuple[Node | None, list[LoadIssue]]:
    """JSON is (almost) YAML: compose it with the guarded YAML loader to get line/column marks and located
    duplicate keys.  Only used on the error path; None when the YAML parser disagrees with the JSON one."""
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node_checked()  # type: ignore[attr-defined]
        if root is not None:
            loader.construct_document(root)
        return root, loader.issues
    except Exception:  # noqa: BLE001 - a best-effort locator; the JSON parser already accepted the text
        return None, []
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()


class _JsonMarks(_Marks):
    """Marks of a JSON document, computed through the YAML view on first use."""

    def __init__(self, text: str) -> None:
        super().__init__(None)
        self._text = text

    def get(self) -> dict[str, tuple[int, int]]:
        if self._marks is None:
            root, _ = _yaml_view_of_json(self._text)
            self._marks = _walk_marks(root) if root is not None else {}
        return self._marks


def _parse_json(text: str) -> tuple[Any, _Marks, list[LoadIssue]]:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                duplicates.append(k)
            out[k] = v
        return out

    try:
        data = json.loads(
            text, object_pairs_hook=pairs, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant
        )
    except json.JSONDecodeError as exc:
        raise ArchitectureLoadError(
            [
                LoadIssue(
                    line=exc.lineno, column=exc.colno, key="errors.architecture.syntax", params={"problem": exc.msg}
                )
            ]
        ) from None
    except _BadNumber as exc:
        raise ArchitectureLoadError([_number_issue(text, exc)]) from None
    except RecursionError:
        raise ArchitectureLoadError(
            [LoadIssue(key="errors.architecture.too_deep", params={"limit": MAX_DEPTH})]
        ) from None
    if not _json_depth_ok(data):
        raise ArchitectureLoadError([LoadIssue(key="errors.architecture.too_deep", params={"limit": MAX_DEPTH})])
    issues: list[LoadIssue] = []
    if duplicates:
        _, issues = _yaml_view_of_json(text)
        if not issues:  # the YAML view failed: the keys at least, without lines
            issues = [
                LoadIssue(key="errors.architecture.duplicate_key",
                          params={"name": k[:200], "first_line": "?", "first_column": "?"})
                for k in duplicates
            ]
    return data, _JsonMarks(text), issues


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


def _at(location: str, marks: dict[str, tuple[int, int]]) -> tuple[int | None, int | None]:
    probe = location
    while True:
        if probe in marks:
            return marks[probe]
        if probe + "#key" in marks:
            return marks[probe + "#key"]
        if not probe:
            return None, None
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""


# pydantic error type → (catalogue key under errors.architecture., name of the ctx value shown as {limit})
_PYDANTIC_KEYS: dict[str, tuple[str, str | None]] = {
    "greater_than": ("must_be_gt", "gt"),
    "greater_than_equal": ("must_be_ge", "ge"),
    "less_than": ("must_be_lt", "lt"),
    "less_than_equal": ("must_be_le", "le"),
    "string_too_long": ("text_too_long", "max_length"),
    "string_too_short": ("text_too_short", "min_length"),
    "too_short": ("list_too_short", "min_length"),
    "too_long": ("list_too_long", "max_length"),
    "int_parsing": ("not_integer", None),
    "int_type": ("not_integer", None),
    "int_from_float": ("not_integer", None),
    "float_parsing": ("not_number", None),
    "float_type": ("not_number", None),
    "finite_number": ("not_finite", None),
    "bool_parsing": ("not_boolean", None),
    "bool_type": ("not_boolean", None),
    "string_type": ("not_text", None),
    "list_type": ("not_list", None),
    "dict_type": ("not_mapping_value", None),
    "model_type": ("not_mapping_value", None),
    "model_attributes_type": ("not_mapping_value", None),
    "date_parsing": ("not_date", None),
    "date_from_datetime_parsing": ("not_date", None),
    "date_from_datetime_inexact": ("not_date", None),
    "date_type": ("not_date", None),
}


def _validation_key(etype: str, ctx: dict[str, Any], msg: str) -> tuple[str, dict[str, Any]]:
    """The catalogue key and parameters of one pydantic error: every common type has its own translation."""
    if etype == "missing":
        return "errors.architecture.field_missing", {}
    if etype == "extra_forbidden":
        return "errors.architecture.unknown_field", {}
    if etype == "enum":
        return "errors.architecture.not_allowed", {"allowed": str(ctx.get("expected", ""))[:500]}
    if etype.startswith("arch_"):  # our own model validators (model.py ``_error``)
        return f"errors.architecture.{etype.removeprefix('arch_')}", {k: str(v)[:100] for k, v in ctx.items()}
    if etype in _PYDANTIC_KEYS:
        key, limit = _PYDANTIC_KEYS[etype]
        return f"errors.architecture.{key}", ({"limit": str(ctx.get(limit, ""))} if limit else {})
    return "errors.architecture.invalid_value", {"detail": msg[:300]}


def _shown_value(value: Any) -> str:
    """The offending value for a message, short (a 5,000-character name is not repeated in full)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _validation_issues(exc: ValidationError, lazy: _Marks) -> list[LoadIssue]:
    marks = lazy.get()
    issues = []
    for err in exc.errors(include_url=False):
        loc_parts = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        location = _loc(loc_parts)
        line, col = _at(location, marks)
        key, params = _validation_key(err["type"], err.get("ctx") or {}, str(err["msg"]))
        params["value"] = _shown_value(err.get("input")) if err["type"] != "missing" else ""
        issues.append(LoadIssue(location=location, line=line, column=col, key=key, params=params))
    return issues


def _semantic_issues(arch: Architecture, lazy: _Marks) -> list[LoadIssue]:
    """Cross-reference checks: errors (ids, types, domains) and warnings (graph references)."""
    cat = load_catalogue()
    known = cat.known_types()
    issues: list[LoadIssue] = []

    def add(location: str, key: str, severity: str = "error", **params: Any) -> None:
        line, col = _at(location, lazy.get())
        issues.append(LoadIssue(location=location, line=line, column=col, key=key, params=params, severity=severity))

    def at(location: str) -> tuple[int | None, int | None]:
        return _at(location, lazy.get())

    def first_at(location: str) -> dict[str, Any]:
        line, col = at(location)
        return {"first": location, "first_line": line if line is not None else "?",
                "first_column": col if col is not None else "?"}

    az_owner: dict[str, str] = {}
    az_first: dict[str, str] = {}
    region_first: dict[str, str] = {}
    for i, r in enumerate(arch.regions):
        if r.id in region_first:
            add(f"regions[{i}].id", "errors.architecture.duplicate_region", id=r.id, **first_at(region_first[r.id]))
        region_first.setdefault(r.id, f"regions[{i}].id")
        for j, az in enumerate(r.azs):
            if az.id in az_owner:
                add(f"regions[{i}].azs[{j}].id", "errors.architecture.duplicate_az", id=az.id, region=az_owner[az.id],
                    **first_at(az_first[az.id]))
            az_owner.setdefault(az.id, r.id)
            az_first.setdefault(az.id, f"regions[{i}].azs[{j}].id")
    region_ids = set(region_first)
    seen: dict[str, int] = {}
    for i, c in enumerate(arch.components):
        if c.id in seen:
            add(f"components[{i}].id", "errors.architecture.duplicate_id", id=c.id,
                **first_at(f"components[{seen[c.id]}].id"))
        seen.setdefault(c.id, i)
        if c.type not in known:
            add(f"components[{i}].type", "errors.architecture.unknown_type", type=c.type, known=", ".join(known))
        if c.product is not None and c.product not in cat.products:
            add(
                f"components[{i}].product",
                "errors.architecture.unknown_product",
                product=c.product,
                known=", ".join(cat.products),
            )
        for j, p in enumerate(c.placement):
            if p.az is not None and p.az not in az_owner:
                add(f"components[{i}].placement[{j}].az", "errors.architecture.az_without_region", az=p.az)
            if p.region is not None and p.region not in region_ids:
                add(f"components[{i}].placement[{j}].region", "errors.architecture.unknown_region", region=p.region)
    ids = set(seen)
    for i, lk in enumerate(arch.links):
        for end, value in (("from", lk.source), ("to", lk.target)):
            if value not in ids:
                add(
                    f"links[{i}].{end}",
                    "errors.architecture.dangling_link",
                    "warning",
                    source=lk.source,
                    target=lk.target,
                    missing=value,
                )
        if lk.source == lk.target:
            add(f"links[{i}]", "errors.architecture.self_loop", "warning", id=lk.source)
    for i, e in enumerate(arch.entry_points):
        if e not in ids:
            add(f"entry_points[{i}]", "errors.architecture.unknown_entry_point", "warning", id=e)
    journey_first: dict[str, str] = {}
    for i, jr in enumerate(arch.journeys):
        if jr.id in journey_first:
            add(f"journeys[{i}].id", "errors.architecture.duplicate_journey", id=jr.id,
                **first_at(journey_first[jr.id]))
        journey_first.setdefault(jr.id, f"journeys[{i}].id")
        for j, cid in enumerate(jr.path):
            if cid not in ids:
                add(
                    f"journeys[{i}].path[{j}]",
                    "errors.architecture.unknown_journey_component",
                    "warning",
                    journey=jr.id,
                    id=cid,
                )
    for i, w in enumerate(arch.waivers):
        if w.component is not None and w.component not in ids:
            add(f"waivers[{i}].component", "errors.architecture.unknown_waiver_component", "warning", id=w.component)
    hygiene_issues(arch, add, at)
    return issues


def max_mb() -> float:
    """The size limit in force, MB: ``WORKBENCH_MAX_ARCHITECTURE_MB`` when a positive number, else 32."""
    try:
        mb = float(os.environ.get("WORKBENCH_MAX_ARCHITECTURE_MB", "") or MAX_MB_DEFAULT)
    except ValueError:
        return MAX_MB_DEFAULT
    return mb if 0 < mb < 1e6 else MAX_MB_DEFAULT  # NaN fails both comparisons


def max_bytes() -> int:
    """:func:`max_mb` in bytes."""
    return int(max_mb() * 1024 * 1024)


def _too_large() -> ArchitectureLoadError:
    return ArchitectureLoadError(
        [LoadIssue(key="errors.architecture.too_large", params={"limit_mb": f"{max_mb():g}"})]
    )


def _decode(data: bytes | str) -> str:
    """UTF-8 text within the size limit; a binary file is named (``sniff.py``); NUL characters are refused."""
    if isinstance(data, str):
        if len(data) > max_bytes() or len(data.encode("utf-8", errors="surrogatepass")) > max_bytes():
            raise _too_large()
        text = data.lstrip("\ufeff")
        kind = binary_kind(text[:4096].encode("utf-8", errors="surrogatepass"))
        if kind is None and text[:1024].count("\ufffd") > 4:  # bytes decoded with errors="replace"
            kind = "binary"
        if kind is not None and kind != "utf16":
            raise ArchitectureLoadError([LoadIssue(key=f"errors.architecture.file_type.{kind}")])
    else:
        if len(data) > max_bytes():
            raise _too_large()
        kind = binary_kind(data)
        if kind is not None:
            raise ArchitectureLoadError([LoadIssue(key=f"errors.architecture.file_type.{kind}")])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArchitectureLoadError(
                [LoadIssue(key="errors.architecture.encoding", params={"offset": exc.start})]
            ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col(text, nul)
        raise ArchitectureLoadError([LoadIssue(line=line, column=col, key="errors.architecture.nul_character")])
    return text


def _check_nul(raw: Any, lazy: _Marks) -> None:
    """NUL characters written as escapes (``"\\0"`` in YAML, ``"\\u0000"`` in JSON) are refused too."""
    paths = list(nul_paths(raw))
    if paths:
        marks = lazy.get()
        raise ArchitectureLoadError(
            [LoadIssue(location=p, line=_at(p, marks)[0], column=_at(p, marks)[1],
                       key="errors.architecture.nul_character") for p in paths]
        )


def _load(data: bytes | str, filename: str) -> LoadResult:
    text = _decode(data)
    if filename.lower().endswith(".json"):
        raw, marks, issues = _parse_json(text)
    elif text.lstrip().startswith("{"):
        # JSON is YAML too, but the JSON parser reads a large estate tens of times faster; a YAML flow
        # mapping that is not valid JSON goes on to the YAML parser (and its located messages).
        try:
            raw, marks, issues = _parse_json(text)
        except ArchitectureLoadError:
            raw, marks, issues = _parse_yaml(text)
    else:
        raw, marks, issues = _parse_yaml(text)
    if raw is None:
        raise ArchitectureLoadError([LoadIssue(key="errors.architecture.empty")])
    if not isinstance(raw, dict):
        raise ArchitectureLoadError([LoadIssue(line=1, column=1, key="errors.architecture.not_mapping")])
    if issues:  # duplicate keys: the later value silently won; refuse rather than guess
        raise ArchitectureLoadError(issues)
    _check_nul(raw, marks)
    try:
        arch = Architecture.model_validate(raw)
    except ValidationError as exc:
        raise ArchitectureLoadError(_validation_issues(exc, marks)) from None
    semantic = _semantic_issues(arch, marks)
    errors = [i for i in semantic if i.severity == "error"]
    if errors:
        raise ArchitectureLoadError(errors + [i for i in semantic if i.severity != "error"])
    return LoadResult(architecture=arch, warnings=semantic)


def load_architecture_with_warnings(data: bytes | str, filename: str = "architecture.yaml") -> LoadResult:
    """Parse, validate and cross-check; raise :class:`ArchitectureLoadError` listing every error found.

    Nothing else escapes: odd input that trips a library in an unforeseen way (``ValueError``,
    ``RecursionError``, ``OverflowError``...) is reported as one unreadable-file issue, never a traceback.
    """
    try:
        return _load(data, filename)
    except ArchitectureLoadError:
        raise
    except (ValueError, TypeError, RecursionError, OverflowError, MemoryError, yaml.YAMLError) as exc:
        raise ArchitectureLoadError(
            [LoadIssue(key="errors.architecture.unreadable", params={"detail": type(exc).__name__})]
        ) from None


def load_architecture(data: bytes | str, filename: str = "architecture.yaml") -> Architecture:
    """The validated :class:`Architecture` (warnings such as dangling links are left to the analyses)."""
    return load_architecture_with_warnings(data, filename).architecture


def to_document(arch: Architecture) -> dict[str, Any]:
    """A plain dict for YAML/JSON: defaults left out, ``schema_version`` first, links with ``from``/``to``."""
    body = arch.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    body.pop("schema_version", None)
    return {"schema_version": arch.schema_version, **body}


def dump_architecture(arch: Architecture, fmt: str = "yaml") -> str:
    """YAML (default) or JSON text that :func:`load_architecture` reads back to an equal model."""
    doc = to_document(arch)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt != "yaml":
        raise InputError("errors.architecture.unknown_format", format=fmt)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
