"""JSON Schema for case files and authority files, generated from the pydantic models."""

from __future__ import annotations

import json

from ehe_letters.models import Authority, CaseFile

__all__ = ["schema_files"]


def _text(model: type, title: str) -> str:
    schema = model.model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def schema_files() -> dict[str, str]:
    """Return the schema files' names and their exact text."""
    return {
        "case-file.schema.json": _text(CaseFile, "ehe-letters case file"),
        "authority.schema.json": _text(Authority, "ehe-letters authority file"),
    }
