"""JSON Schema of the architecture file, for editors (VS Code YAML extension, JetBrains) and validators.

Generated from the pydantic models (JSON Schema draft 2020-12, pydantic v2 ``model_json_schema`` in
validation mode, links with their ``from``/``to`` aliases) so the schema can never drift from the code;
``python -m workbench.architecture.schema`` rewrites ``docs/architecture.schema.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from workbench.architecture.catalogue import load_catalogue
from workbench.architecture.model import EXTENSION_PREFIX, SCHEMA_VERSION, Architecture

SCHEMA_ID = "https://github.com/capacity-workbench/capacity-workbench/docs/architecture.schema.json"
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "architecture.schema.json"


def architecture_json_schema() -> dict[str, Any]:
    """The schema, with the catalogue's known types as an enum hint on ``Component.type``."""
    schema = Architecture.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"Capacity Workbench architecture (schema_version {SCHEMA_VERSION})"
    component = schema.get("$defs", {}).get("Component", {})
    type_prop = component.get("properties", {}).get("type")
    if type_prop is not None:
        type_prop["enum"] = load_catalogue().known_types()
    product_prop = component.get("properties", {}).get("product")
    if product_prop is not None:
        product_prop["anyOf"] = [{"enum": list(load_catalogue().products)}, {"type": "null"}]
    for obj in [schema, *schema.get("$defs", {}).values()]:  # x-… extension keys are allowed everywhere
        if obj.get("additionalProperties") is False:
            obj["patternProperties"] = {f"^{EXTENSION_PREFIX}": {}}
    return schema


def write_schema(path: Path = DEFAULT_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(architecture_json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    print(write_schema(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH))
