"""JSON parsing with bounds on nesting depth and number length, for files that come from users.

Why
    ``json.loads`` has two failure modes that are not ``JSONDecodeError``: a document nested a few
    thousand levels deep raises ``RecursionError`` (the C scanner recurses per level), and an integer with
    more than 4,300 digits raises a bare ``ValueError`` (CPython's guard against quadratic ``int()``
    conversion, CVE-2020-10735).  Both used to escape as tracebacks.  Here both are refused *before* any
    deep recursion or long conversion happens, with the position, as :class:`JsonLimitError`; NaN and
    Infinity (accepted by Python, not by RFC 8259 §6) are refused too, because the store cannot keep them.
    Depth is checked on the parsed value (the C scanner itself stops at the recursion limit); the position
    of the first excess level is found by a scan of the brackets (strings skipped) only when refusing.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 200
"""Deepest nesting accepted; workshop documents are about ten levels deep."""

MAX_NUMBER_CHARS = 100
"""Longest number literal accepted (a float's exact decimal expansion is under 800, a real value under 30)."""

_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class JsonLimitError(ValueError):
    """The text is JSON-like but beyond a bound: ``kind`` is ``too_deep``, ``number_too_long`` or ``not_finite``."""

    def __init__(self, kind: str, line: int, column: int, limit: int, literal: str = "") -> None:
        super().__init__(f"{kind} at {line}:{column}")
        self.kind, self.line, self.column, self.limit, self.literal = kind, line, column, limit, literal


def line_column(text: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of character offset ``pos``."""
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def too_deep_at(text: str, max_depth: int = MAX_DEPTH) -> int | None:
    """Offset of the first bracket that opens level ``max_depth + 1``, or None when the text stays within."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


class _BadLiteral(Exception):
    def __init__(self, kind: str, literal: str) -> None:
        super().__init__(kind)
        self.kind, self.literal = kind, literal


def _number(convert: type) -> Any:
    def parse(literal: str) -> Any:
        if len(literal) > MAX_NUMBER_CHARS:
            raise _BadLiteral("number_too_long", literal)
        return convert(literal)

    return parse


def _constant(literal: str) -> Any:
    raise _BadLiteral("not_finite", literal)


def _locate(text: str, literal: str) -> tuple[int, int]:
    """Where ``literal`` first appears as a bare value (not inside a string): the scanner stopped there."""
    match = re.search(r"(?<![\w\".])" + re.escape(literal[:200]), text)
    return line_column(text, match.start()) if match else (1, 1)


_CONTAINERS = (dict, list)


def _depth_exceeds(data: Any, max_depth: int) -> bool:
    """True when containers nest deeper than ``max_depth``: level by level, scalars never queued (what
    ``json.loads`` returns is plain dicts and lists, so ``type`` checks suffice and keep it fast)."""
    level = [data] if type(data) in _CONTAINERS else []
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        deeper: list[Any] = []
        for node in level:
            deeper += [v for v in (node.values() if type(node) is dict else node) if type(v) in _CONTAINERS]
        level = deeper
    return False


def loads_bounded(text: str, max_depth: int = MAX_DEPTH, **kwargs: Any) -> Any:
    """``json.loads(text, **kwargs)`` refusing deep nesting, long numbers and NaN/Infinity with a position.

    Raises ``json.JSONDecodeError`` for syntax errors (as ``json.loads``) and :class:`JsonLimitError`
    for the bounds; never ``RecursionError`` or the bare ``ValueError`` of a long integer.  The C scanner
    refuses nesting beyond the interpreter's recursion limit itself (``RecursionError``, caught here);
    shallower excess is found by a walk of the result; only then is the text scanned for the position.
    """
    try:
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float), parse_constant=_constant,
                          **kwargs)
    except _BadLiteral as exc:
        raise JsonLimitError(exc.kind, *_locate(text, exc.literal), limit=MAX_NUMBER_CHARS,
                             literal=exc.literal[:20]) from None
    except RecursionError:
        data = None
    else:
        if not _depth_exceeds(data, max_depth):
            return data
    deep = too_deep_at(text, max_depth)
    line, column = line_column(text, deep) if deep is not None else (1, 1)
    raise JsonLimitError("too_deep", line, column, limit=max_depth)
