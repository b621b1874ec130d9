"""Input hygiene for architecture files: NUL characters, blank ids, look-alike ids, zero replicas.

Why
    Ids are how links, journeys and waivers refer to components, so two ids a reader cannot tell apart
    (``db`` and ``db\\u200b``, ``DB`` and ``db ``, "é" composed and decomposed) make a link silently point at
    the wrong thing.  Unicode's own advice for identifiers (UTS #39 "Unicode Security Mechanisms" §4,
    confusable detection; UAX #15 normalisation forms) is to compare a *skeleton*: here NFKC, without format
    characters (category Cf: zero-width space/joiners, BOM, bidi controls), whitespace collapsed, case folded.
    Distinct ids with the same skeleton get a warning (the file may be deliberate); a blank id or a NUL
    character is refused (a NUL truncates text in C libraries, Graphviz and some databases).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from workbench.architecture.model import Architecture

AddIssue = Callable[..., None]
"""``add(location, key, severity="error", **params)`` as defined by the loader (it adds line and column)."""


def skeleton(text: str) -> str:
    """The form two ids share when a reader cannot tell them apart (UTS #39-style, simplified)."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split()).casefold()


def is_blank(text: str) -> bool:
    """Empty once whitespace and invisible format characters are removed."""
    return skeleton(text) == ""


def shown(text: str) -> str:
    """The id with invisible characters made visible (``'db\\u200b'``), for messages."""
    out = []
    decomposed = unicodedata.normalize("NFC", text) != text  # then combining marks are shown too (NFD input)
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cf", "Cc", "Zl", "Zp") or (ch.isspace() and ch != " ") or (decomposed and category == "Mn"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def nul_paths(data: Any, limit: int = 20) -> Iterator[str]:
    """Locations (``components[2].name``) of keys or texts holding a NUL character (iterative, bounded)."""
    found = 0
    stack: list[tuple[str, Any]] = [("", data)]
    while stack and found < limit:
        path, node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                found += 1
                yield path
        elif isinstance(node, dict):
            for k, v in node.items():
                child = f"{path}.{k}" if path else str(k)
                if isinstance(k, str) and "\x00" in k:
                    found += 1
                    yield child.replace("\x00", "\\u0000")
                stack.append((child, v))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))


def _ids(arch: Architecture) -> Iterator[tuple[str, str, str]]:
    """(namespace, location, id) of every declared id: regions and AZs, components, journeys."""
    for i, r in enumerate(arch.regions):
        yield "domain", f"regions[{i}].id", r.id
        for j, az in enumerate(r.azs):
            yield "domain", f"regions[{i}].azs[{j}].id", az.id
    for i, c in enumerate(arch.components):
        yield "component", f"components[{i}].id", c.id
    for i, jr in enumerate(arch.journeys):
        yield "journey", f"journeys[{i}].id", jr.id


def hygiene_issues(arch: Architecture, add: AddIssue, at: Callable[[str], tuple[int | None, int | None]]) -> None:
    """Report blank ids (errors), look-alike ids and zero replicas (warnings) through ``add``."""
    first: dict[tuple[str, str], tuple[str, str]] = {}  # (namespace, skeleton) → (location, id) of its first holder
    for namespace, location, value in _ids(arch):
        if is_blank(value):
            add(location, "errors.architecture.blank_id", id=shown(value))
            continue
        key = (namespace, skeleton(value))
        if key in first and first[key][1] != value:
            other_loc, other = first[key]
            line, col = at(other_loc)
            add(location, "errors.architecture.lookalike_id", "warning", id=shown(value), other=shown(other),
                first=other_loc, first_line=line if line is not None else "?",
                first_column=col if col is not None else "?")
        first.setdefault(key, (location, value))
    for i, lk in enumerate(arch.links):
        for end, value in (("from", lk.source), ("to", lk.target)):
            if is_blank(value):
                add(f"links[{i}].{end}", "errors.architecture.blank_id", id=shown(value))
    for i, c in enumerate(arch.components):
        if c.replicas == 0:
            add(f"components[{i}].replicas", "errors.architecture.zero_replicas", "warning", id=c.id)
