"""Where each component is written in the architecture file: component id → (line, column), both 1-based.

SARIF results point at the component they name (OASIS SARIF 2.1.0 §3.30 region: ``startLine``, ``startColumn``).
The loader validates the model from a plain document; this module re-reads the same text with PyYAML's composer
(which also reads JSON, a YAML subset for our files) and notes where each ``components[i]`` mapping starts.  Any
text it cannot read gives an empty map: locations are a convenience, never a reason to fail a review.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode


def component_locations(text: str | bytes) -> dict[str, tuple[int, int]]:
    """Component id → (line, column) of its ``id`` value (1-based); empty when the text cannot be read."""
    try:
        root = yaml.compose(text.decode("utf-8-sig") if isinstance(text, bytes) else text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(root, MappingNode):
        return {}
    out: dict[str, tuple[int, int]] = {}
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "components" and isinstance(value, SequenceNode):
            for item in value.value:
                if not isinstance(item, MappingNode):
                    continue
                for k, v in item.value:
                    if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode):
                        out.setdefault(str(v.value), (v.start_mark.line + 1, v.start_mark.column + 1))
    return out
