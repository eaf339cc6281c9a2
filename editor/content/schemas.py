"""Validation against the shipped JSON Schemas, with readable messages and suggestions.

Each schema property names the finding it gives with ``x-rule`` and ``x-message``, so the
wording lives beside the rule it explains.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from editor.resources import schemas_dir

if TYPE_CHECKING:  # jsonschema is loaded when something is first validated, not at start-up
    import jsonschema


@dataclass
class SchemaProblem:
    path: tuple  # where in the document: keys and list indexes
    rule: str
    message: str
    severity: str = "error"
    suggestion: str | None = None
    on_key: bool = False  # the problem is the key itself (unknown field), not its value


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = json.loads(_schema_bytes(name).decode("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    # the shipped schemas are checked against their meta-schema by the tests, not at every start
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(name: str, data: Any) -> list[SchemaProblem]:
    """The problems of ``data`` against the schema ``name``; a value found valid before (in this
    process or an earlier one, ``valid_memo``) is valid without loading jsonschema."""
    from editor.content import valid_memo

    key = valid_memo.digest(name, _schema_bytes(name), data)
    if valid_memo.known_valid(key):
        return []
    problems: list[SchemaProblem] = []
    seen: set[tuple] = set()
    for error in sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        for problem in _explain(error):
            key_ = (problem.path, problem.rule, problem.on_key,
                    problem.message if problem.rule == "missing-field" else "")
            if key_ not in seen:  # one value that breaks two keywords (format and pattern) is one problem
                seen.add(key_)
                problems.append(problem)
    if not problems:
        valid_memo.remember(key)
    return problems


def _schema_bytes(name: str) -> bytes:
    """The schema file's bytes, read again when its size or time changes."""
    import os

    path = schemas_dir() / f"{name}.schema.json"
    stat = os.stat(path)
    return _read_schema(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read_schema(path: str, mtime_ns: int, size: int) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return slug


def closest(value: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The choice a typo most likely meant: same letters in another case first, then a near spelling."""
    if not isinstance(value, str) or not choices:
        return None
    for choice in choices:
        if choice.lower() == value.lower():
            return choice
    for choice in choices:
        if slugify(choice) == slugify(value):
            return choice
    matches = difflib.get_close_matches(value.lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    if matches:
        return next(c for c in choices if c.lower() == matches[0])
    return None


def _explain(error: jsonschema.ValidationError) -> list[SchemaProblem]:
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    rule = schema.get("x-rule", "invalid-value")
    described = schema.get("x-message")
    value = error.instance
    keyword = error.validator
    if keyword == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        where = f" in '{path[-1]}'" if path and isinstance(path[-1], str) else ""
        return [SchemaProblem(path, "missing-field", f"Missing required field '{name}'{where}")]
    if keyword == "additionalProperties":
        known = list(schema.get("properties", {}))
        return [SchemaProblem(path + (key,), "unknown-field",
                              f"Unknown field '{key}'; known fields are {', '.join(known)}",
                              "warning", closest(key, known), on_key=True)
                for key in value if key not in known]
    if keyword == "enum":
        choices = [str(c) for c in error.validator_value]
        return [SchemaProblem(path, rule, f"{described or 'Not an allowed value'}; found {_show(value)}",
                              suggestion=closest(str(value), choices))]
    if keyword == "type":
        expected = error.validator_value
        return [SchemaProblem(path, rule, f"{described or 'Wrong kind of value'}; expected {_type_name(expected)}, "
                                          f"found {_type_name(_json_type(value))} {_show(value)}")]
    if keyword == "uniqueItems":
        return [SchemaProblem(path, rule, f"{described or 'Items must be distinct'}; a value is listed twice")]
    if keyword == "pattern" and rule == "invalid-id":
        return [SchemaProblem(path, rule, f"{described}; found {_show(value)}", suggestion=slugify(value) or None)]
    if keyword in ("pattern", "format", "minLength", "minimum", "exclusiveMinimum", "minItems"):
        return [SchemaProblem(path, rule, f"{described or error.message}; found {_show(value)}")]
    return [SchemaProblem(path, rule, described or error.message)]


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_name(kind: Any) -> str:
    names = {"string": "text", "array": "a list", "object": "a mapping", "integer": "a whole number",
             "number": "a number", "boolean": "true or false", "null": "nothing"}
    if isinstance(kind, list):
        return " or ".join(names.get(k, k) for k in kind)
    return names.get(kind, str(kind))
