"""Editing frontmatter without re-serialising it: only the text of the field that changes is
replaced, so key order, comments, quoting, line endings and the body stay byte for byte as they
were. An edit the writer cannot keep to its own field is refused, never written: a key given
twice, a field holding an anchor, and (read back after every edit) anything that would change
another field or leave YAML that does not read."""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import yaml

from editor.content.frontmatter import _OPEN, Frontmatter, FrontmatterEditError, read
from editor.content.source import line_starts

_DOCUMENT_END = re.compile(r"^\.\.\.[ \t]*\r?$", re.MULTILINE)


def set_field(text: str, key: str, value: Any) -> str:
    """Return ``text`` with top-level ``key`` set to ``value``, changing only that field's text.
    The result is read back: unless it holds ``value`` under ``key`` and every other field as it
    was, the edit is refused (FrontmatterEditError), never written."""
    fm = _editable(text)
    changed = _set_field(text, fm, key, value)
    _verify(fm, changed, key, value, removed=False)
    return changed


def remove_field(text: str, key: str) -> str:
    """Return ``text`` without top-level ``key``; unchanged when the key is absent (read back as
    ``set_field`` is)."""
    fm = _editable(text)
    changed = _remove_field(text, fm, key)
    if changed is not text:
        _verify(fm, changed, key, None, removed=True)
    return changed


def _verify(old: Frontmatter | None, after: str, key: str, value: Any, removed: bool) -> None:
    """Read ``after`` back: ``old`` (the frontmatter as read before the edit) less ``key``, plus
    ``value`` under it unless ``removed``, or the edit is refused."""
    new = read(after)
    old_data = old.data if old is not None and isinstance(old.data, dict) else {}
    good = new is not None and new.closed and new.error is None and isinstance(new.data, dict) \
        and len(new.duplicate_keys()) == len(old.duplicate_keys() if old is not None else [])
    if good:
        expected = {k: v for k, v in old_data.items() if k != key}
        if not removed:
            expected[key] = value
        good = _plain(new.data) == _plain(expected) and (removed or key in new.data)
    if not good and new is not None and new.error is not None and new.error.rule == "frontmatter-too-large":
        raise FrontmatterEditError(f"the frontmatter would be too large: {new.error.message}; shorten the '{key}' "
                                   "field")
    if not good:
        raise FrontmatterEditError(f"the field '{key}' cannot be changed here without changing how the rest of "
                                   "the frontmatter is written; edit it in the text")


def _plain(value: Any) -> Any:
    """``value`` as YAML gives it back: dates as their text, tuples as lists."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, _dt.date) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _set_field(text: str, fm: Frontmatter | None, key: str, value: Any) -> str:
    newline = _newline(text)
    if fm is None:
        block = _dump_field(key, value, newline)
        return f"---{newline}{block}---{newline}{text}"
    yaml_start = _yaml_start(text)
    found = fm.key_node(key)
    if found is None:
        end = _DOCUMENT_END.search(fm.yaml_text)  # a new field goes before a '...' line, where YAML still reads it
        insert_at = yaml_start + (end.start() if end else len(fm.yaml_text))
        before = fm.yaml_text[:end.start()] if end else fm.yaml_text
        prefix = "" if before == "" or before.endswith("\n") else newline
        return text[:insert_at] + prefix + _dump_field(key, value, newline) + text[insert_at:]
    key_node, value_node = found
    starts = line_starts(fm.yaml_text)
    _refuse_unkept(fm, key, key_node, starts)
    if isinstance(value_node, yaml.ScalarNode) and _is_scalar(value) and value_node.style not in ("|", ">") \
            and value_node.start_mark.line == value_node.end_mark.line and value_node.value != "":
        begin = starts[value_node.start_mark.line] + value_node.start_mark.column
        end = starts[value_node.end_mark.line] + value_node.end_mark.column
        replacement = _scalar_text(value, value_node.style)
        return text[:yaml_start + begin] + replacement + text[yaml_start + end:]
    if isinstance(value_node, yaml.SequenceNode) and value_node.flow_style and isinstance(value, (list, tuple)) \
            and all(_is_scalar(item) for item in value) and value_node.start_mark.line == value_node.end_mark.line:
        begin = starts[value_node.start_mark.line] + value_node.start_mark.column
        end = starts[value_node.end_mark.line] + value_node.end_mark.column
        replacement = "[" + ", ".join(_scalar_text(item, None) for item in value) + "]"
        return text[:yaml_start + begin] + replacement + text[yaml_start + end:]
    begin, end = _field_region(fm, key_node, starts)
    if isinstance(value_node, yaml.SequenceNode) and value_node.value and isinstance(value, (list, tuple)) \
            and value and all(_is_scalar(item) for item in value):
        indent = " " * value_node.value[0].start_mark.column
        dash = indent[:-2] if len(indent) >= 2 else ""  # the items' own indentation, as the file has it
        block = f"{key}:{newline}" + "".join(f"{dash}- {_scalar_text(item, None)}{newline}" for item in value)
        return text[:yaml_start + begin] + block + text[yaml_start + end:]
    return text[:yaml_start + begin] + _dump_field(key, value, newline) + text[yaml_start + end:]


def _remove_field(text: str, fm: Frontmatter | None, key: str) -> str:
    if fm is None or fm.key_node(key) is None:
        return text
    key_node, _ = fm.key_node(key)
    starts = line_starts(fm.yaml_text)
    _refuse_unkept(fm, key, key_node, starts)
    begin, end = _field_region(fm, key_node, starts)
    yaml_start = _yaml_start(text)
    return text[:yaml_start + begin] + text[yaml_start + end:]


def _editable(text: str) -> Frontmatter | None:
    fm = read(text)
    if fm is None:
        return None
    if not fm.closed:
        raise FrontmatterEditError("the frontmatter has no closing '---' line")
    if fm.error is not None:
        what = "is not valid YAML" if fm.error.rule == "invalid-yaml" else "cannot be edited here"
        raise FrontmatterEditError(f"the frontmatter {what} (line {fm.error.line}): {fm.error.message}")
    if fm.root is not None and not isinstance(fm.root, yaml.MappingNode):
        raise FrontmatterEditError("the frontmatter is not a mapping of keys to values")
    return fm


def _refuse_unkept(fm: Frontmatter, key: str, key_node: yaml.Node, starts: list[int]) -> None:
    """Refuse an edit the writer could not keep to its field: a key given twice (YAML reads the last,
    an edit would change the first) or a field holding a YAML anchor (an edit would drop it, and
    with it whatever refers to it). Aliases and merge keys never get this far: frontmatter that
    has them is not read (yaml_limits)."""
    lines = [k.start_mark.line for k, _ in fm.root.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    if len(lines) > 1:
        where = ", ".join(str(line + fm.first_line) for line in lines[:-1]) + f" and {lines[-1] + fm.first_line}"
        raise FrontmatterEditError(f"the field '{key}' is given more than once (lines {where}); "
                                   "remove the extra ones first")
    if fm.anchor_lines:
        begin, end = _field_region(fm, key_node, starts)
        first, last = key_node.start_mark.line, fm.yaml_text.count("\n", 0, end)
        anchored = [line for line in fm.anchor_lines if first <= line <= last and starts[line] < end]
        if anchored:
            raise FrontmatterEditError(f"the field '{key}' (line {anchored[0] + fm.first_line}) holds a YAML anchor "
                                       "(&name); write its value out in full first")


def _yaml_start(text: str) -> int:
    return _OPEN.match(text).end()


def _field_region(fm: Frontmatter, key_node: yaml.Node, starts: list[int]) -> tuple[int, int]:
    """Offsets (in the YAML text) of the whole lines of one top-level field, without the
    blank and comment lines that follow it (those belong to whatever comes next)."""
    keys = [k for k, _ in fm.root.value]
    index = next(i for i, k in enumerate(keys) if k is key_node)
    first = key_node.start_mark.line
    last_exclusive = keys[index + 1].start_mark.line if index + 1 < len(keys) else len(starts)
    lines = fm.yaml_text.splitlines(keepends=True)
    last_exclusive = min(last_exclusive, len(lines))
    while last_exclusive - 1 > first:
        line = lines[last_exclusive - 1]
        stripped = line.strip()
        if stripped and not (stripped.startswith("#") and not line[:1].isspace()):
            break
        last_exclusive -= 1
    begin = starts[first]
    end = starts[last_exclusive] if last_exclusive < len(starts) else len(fm.yaml_text)
    return begin, end


def _newline(text: str) -> str:
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, _dt.date))


def _scalar_text(value: Any, style: str | None) -> str:
    style = style if style in ("'", '"') else None
    dumped = yaml.safe_dump(value, default_style=style, width=1_000_000, allow_unicode=True,
                            explicit_end=False)
    dumped = dumped.rstrip("\n")
    if dumped.endswith("\n..."):
        dumped = dumped[:-4]
    return dumped.rstrip("\n")


def _dump_field(key: str, value: Any, newline: str) -> str:
    dumped = yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True,
                            default_flow_style=False, width=1_000_000)
    return dumped.replace("\n", newline)
