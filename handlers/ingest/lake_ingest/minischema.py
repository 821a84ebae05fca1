"""A small JSON Schema (draft-07 subset) validator, used only when the jsonschema package is not
importable (e.g. a Glue job in a VPC without access to PyPI for --additional-python-modules).

Covers what run-manifest.schema.json uses: type, const, enum, pattern, minLength, minimum,
required, properties, additionalProperties (false), items, $ref (local), oneOf, allOf, if/then.
tests/ingest/test_units.py checks it agrees with jsonschema on valid and invalid manifests.
"""

from __future__ import annotations

import re
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


class SchemaViolation(Exception):
    def __init__(self, path: list[str | int], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"unsupported $ref {ref}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def validate(
    instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: list[str | int] | None = None
) -> None:
    root = root if root is not None else schema
    path = path or []
    if "$ref" in schema:
        validate(instance, _resolve(root, schema["$ref"]), root, path)
        return
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(instance, n) for n in names):
            raise SchemaViolation(path, f"{instance!r} is not of type {', '.join(map(repr, names))}")
    if "const" in schema and instance != schema["const"]:
        raise SchemaViolation(path, f"{schema['const']!r} was expected")
    if "enum" in schema and instance not in schema["enum"]:
        raise SchemaViolation(path, f"{instance!r} is not one of {schema['enum']!r}")
    if isinstance(instance, str):
        if "minLength" in schema and len(instance) < schema["minLength"]:
            raise SchemaViolation(path, f"{instance!r} is too short")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            raise SchemaViolation(path, f"{instance!r} does not match {schema['pattern']!r}")
    if _is_type(instance, "number") and "minimum" in schema and instance < schema["minimum"]:
        raise SchemaViolation(path, f"{instance!r} is less than the minimum of {schema['minimum']!r}")
    if isinstance(instance, dict):
        for name in schema.get("required", []):
            if name not in instance:
                raise SchemaViolation(path, f"{name!r} is a required property")
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = [k for k in instance if k not in props]
            if extra:
                raise SchemaViolation(path, f"Additional properties are not allowed ({', '.join(map(repr, extra))})")
        for name, sub in props.items():
            if name in instance:
                validate(instance[name], sub, root, [*path, name])
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            validate(item, schema["items"], root, [*path, i])
    if "oneOf" in schema:
        matches = 0
        for sub in schema["oneOf"]:
            try:
                validate(instance, sub, root, path)
                matches += 1
            except SchemaViolation:
                pass
        if matches != 1:
            raise SchemaViolation(path, f"{instance!r} is not valid under exactly one of the given schemas")
    for sub in schema.get("allOf", []):
        validate(instance, sub, root, path)
    if "if" in schema:
        try:
            validate(instance, schema["if"], root, path)
            holds = True
        except SchemaViolation:
            holds = False
        if holds and "then" in schema:
            validate(instance, schema["then"], root, path)
        if not holds and "else" in schema:
            validate(instance, schema["else"], root, path)
