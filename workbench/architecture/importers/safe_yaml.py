"""Multi-document YAML (Kubernetes manifests) parsed safely, with each document's line.

Same defences as the architecture loader (PyYAML's safe constructor: no ``!!python`` tags; OWASP
deserialisation advice; CWE-776 alias expansion), applied while composing so nothing large is built:
nesting depth, alias count and expanded node count are bounded.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.resolver import Resolver

from workbench.architecture.importers.base import MAX_DEPTH, ImportRefused

MAX_ALIASES = 1_000
MAX_NODES = 2_000_000

try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, _Parser):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _Parser.__init__(self)  # type: ignore[call-arg]

    _Parser = _PyParser  # type: ignore[misc,assignment]


class _Loader(_Parser, Composer, SafeConstructor, Resolver):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str, file: str) -> None:
        _Parser.__init__(self, stream)  # type: ignore[call-arg]
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.file = file
        self.depth = 0
        self.aliases = 0
        self.nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise ImportRefused("errors.architecture_import.too_many_aliases", file=self.file, limit=MAX_ALIASES)
            return Composer.compose_node(self, parent, index)  # type: ignore[return-value]
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ImportRefused("errors.architecture_import.too_deep", file=self.file, limit=MAX_DEPTH)
        node: Node = Composer.compose_node(self, parent, index)  # type: ignore[assignment]
        self.depth -= 1
        self.nodes += 1 + (len(node.value) if isinstance(node, (SequenceNode, MappingNode)) else 0)
        if self.nodes > MAX_NODES:
            raise ImportRefused("errors.architecture_import.too_many_nodes", file=self.file, limit=MAX_NODES)
        return node


_Loader.add_constructor("tag:yaml.org,2002:map", SafeConstructor.construct_yaml_map)  # type: ignore[type-var]


def load_documents(text: str, file: str) -> list[tuple[Any, int]]:
    """Every non-empty document of ``text`` with its 1-based start line; refuse bad YAML with its line."""
    loader = _Loader(text, file)
    out: list[tuple[Any, int]] = []
    try:
        loader.get_event()  # StreamStart
        while not loader.check_event(StreamEndEvent):
            node = loader.compose_document()
            if node is None:
                continue
            data = loader.construct_document(node)
            if data is not None:
                out.append((data, node.start_mark.line + 1))
    except ImportRefused:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ImportRefused("errors.architecture_import.yaml_syntax", file=file,
                            line=(mark.line + 1) if mark else 0,
                            problem=f"{exc.problem or ''} {exc.context or ''}".strip()[:200]) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ImportRefused("errors.architecture_import.yaml_syntax", file=file, line=0,
                            problem=str(exc)[:200]) from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()
    return out
