"""A YAML diff of two architectures that dumps only what changed (fixes show it; whole-document dumps are slow).

Why
    A fix changes one component or link; dumping two 1,000-component documents to YAML to diff them took
    seconds (PyYAML's representer is pure Python).  Here the documents are compared as plain dicts
    (``loader.to_document``: fast, pydantic's serialiser) and only the differing top-level values, or list
    items, are dumped and diffed, each under its path (``components[3]:``).  Cost: O(size) comparison plus
    O(changed) YAML.
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from workbench.architecture.loader import to_document
from workbench.architecture.model import Architecture

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _block(path: str, value: Any) -> list[str]:
    if value is None:
        return []
    body = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    return [f"{path}:", *("  " + line for line in body.splitlines())]


def yaml_diff(before: Architecture, after: Architecture) -> list[str]:
    """Unified diff (``--- before.yaml`` / ``+++ after.yaml``) of the parts of the document that differ."""
    a, b = to_document(before), to_document(after)
    left: list[str] = []
    right: list[str] = []
    for key in dict.fromkeys([*a, *b]):
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        if isinstance(va, list) and isinstance(vb, list):
            for i in range(max(len(va), len(vb))):
                x = va[i] if i < len(va) else None
                y = vb[i] if i < len(vb) else None
                if x != y:
                    left += _block(f"{key}[{i}]", x)
                    right += _block(f"{key}[{i}]", y)
        else:
            left += _block(key, va)
            right += _block(key, vb)
    return list(difflib.unified_diff(left, right, fromfile="before.yaml", tofile="after.yaml", lineterm=""))
