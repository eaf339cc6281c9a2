"""YAML frontmatter: find it, read it with source positions, and edit it without re-serialising.

Reading keeps the YAML node tree so that every value has a line and column in the file.
Editing replaces only the text of the field that changes: key order, comments, quoting,
line endings and the body stay byte for byte as they were.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from editor.content import yaml_limits
from editor.content.source import line_starts

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = re.compile(r"---[ \t]*(\r?\n|$)")
_CLOSE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


class PositionLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as the text written, so the schema sees what the writer typed."""


PositionLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


@dataclass
class Span:
    """A 1-based, end-exclusive span in the file."""

    line: int
    column: int
    end_line: int
    end_column: int


MAX_FRONTMATTER = 64 * 1024  # characters of YAML in one entry; a real one has a few hundred
MAX_SETTINGS = 4 * 1024 * 1024  # characters of a settings file (content.yaml, modules.yaml, tone.yaml)


@dataclass
class YamlError:
    message: str
    line: int  # 1-based, in the file
    column: int
    rule: str = "invalid-yaml"  # or a limit: yaml-aliases, yaml-merge-key, yaml-too-deep, frontmatter-too-large


@dataclass
class Frontmatter:
    """The frontmatter block of an entry file."""

    yaml_text: str
    first_line: int  # file line of the first YAML line (the line after the opening ---)
    close_line: int  # file line of the closing ---, 0 when unclosed
    body_offset: int  # character offset of the body in the file text
    data: Any = None
    root: yaml.Node | None = None
    error: YamlError | None = None
    anchor_lines: tuple[int, ...] = ()  # lines (0-based, in the YAML text) holding a YAML anchor (&name)
    _keys: dict | None = None  # per mapping node: its keys, read in one pass (the last of a repeated key wins)

    @property
    def closed(self) -> bool:
        return self.close_line > 0

    def node_span(self, node: yaml.Node) -> Span:
        offset = self.first_line - 1
        return Span(node.start_mark.line + 1 + offset, node.start_mark.column + 1,
                    node.end_mark.line + 1 + offset, node.end_mark.column + 1)

    def key_node(self, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The top-level field ``key`` (its first occurrence: the writer refuses a repeated one)."""
        if isinstance(self.root, yaml.MappingNode):
            for key_node, value_node in self.root.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                    return key_node, value_node
        return None

    def _child(self, node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        if self._keys is None:
            self._keys = {}
        keys = self._keys.get(id(node))
        if keys is None:
            keys = self._keys[id(node)] = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        return keys.get(key)

    def span_for(self, path: tuple | list, on_key: bool = False) -> Span:
        """The span of the value at ``path`` (keys and list indexes), or of its nearest parent;
        with ``on_key``, the span of the last key itself."""
        node = self.root
        key_span = None
        for depth, part in enumerate(path):
            child = None
            if isinstance(node, yaml.MappingNode):
                found = self._child(node, str(part))
                if found is not None:
                    child, key_span = found[1], self.node_span(found[0])
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
            if child is None:
                break
            if on_key and depth == len(path) - 1 and key_span is not None:
                return key_span
            node = child
        if node is None:
            return Span(self.first_line - 1, 1, self.first_line - 1, 4)
        span = self.node_span(node)
        if span.end_line > span.line and key_span is not None and not isinstance(node, yaml.ScalarNode):
            return key_span  # a block value: point at its key rather than a many-line span
        if span.end_line > span.line:
            return Span(span.line, span.column, span.line, span.column + 1)
        return span

    def duplicate_keys(self) -> list[tuple[str, yaml.Node]]:
        """Every key given again in its mapping, at any depth, named by its path ('review.status')."""
        duplicates: list[tuple[str, yaml.Node]] = []
        todo: list[tuple[str, yaml.Node | None]] = [("", self.root)]
        while todo:
            prefix, node = todo.pop()
            if isinstance(node, yaml.SequenceNode):
                todo.extend((prefix, child) for child in node.value)
            if not isinstance(node, yaml.MappingNode):
                continue
            seen: set = set()
            for key_node, value_node in node.value:
                name = f"{prefix}{key_node.value}" if isinstance(key_node, yaml.ScalarNode) else None
                if name is not None and key_node.value in seen:
                    duplicates.append((name, key_node))
                seen.add(key_node.value if name is not None else id(key_node))
                todo.append((f"{name}." if name else prefix, value_node))
        return sorted(duplicates, key=lambda found: (found[1].start_mark.line, found[1].start_mark.column))


def split(text: str) -> Frontmatter | None:
    """Find the frontmatter block at the top of ``text`` (BOM already removed); None when absent."""
    opening = _OPEN.match(text)
    if not opening:
        return None
    start = opening.end()
    closing = _CLOSE.search(text, start) if opening.group(1) else None
    if closing is None:
        return Frontmatter(text[start:], 2, 0, len(text))
    yaml_text = text[start:closing.start()]
    close_line = 2 + yaml_text.count("\n")
    body_offset = closing.end()
    if text.startswith("\r\n", body_offset):
        body_offset += 2
    elif text.startswith("\n", body_offset):
        body_offset += 1
    return Frontmatter(yaml_text, 2, close_line, body_offset)


def parse(fm: Frontmatter, settings: bool = False) -> Frontmatter:
    """Parse the YAML of ``fm`` in place, recording a positioned error instead of raising. Within
    limits (editor/content/yaml_limits.py): frontmatter has no aliases or merge keys and at most
    MAX_FRONTMATTER characters; a settings file (``settings``) may use aliases up to a cap."""
    limit = MAX_SETTINGS if settings else MAX_FRONTMATTER
    if len(fm.yaml_text) > limit:
        fm.error = YamlError(f"it is {_size(len(fm.yaml_text))}, more than the {_size(limit)} allowed",
                             fm.first_line, 1, "file-too-large" if settings else "frontmatter-too-large")
        return fm
    loader = None
    try:
        if not yaml_limits.quick(fm.yaml_text):
            fm.anchor_lines = yaml_limits.scan(fm.yaml_text, PositionLoader, aliases=settings).anchor_lines
        loader = PositionLoader(fm.yaml_text)
        node = loader.get_single_node()
        fm.root = node
        fm.data = loader.construct_document(node) if node is not None else None
    except yaml_limits.LimitError as exc:
        fm.root, fm.data = None, None
        fm.error = YamlError(exc.message, exc.line + fm.first_line, exc.column + 1, exc.rule)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + fm.first_line
        column = (mark.column if mark else 0) + 1
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "maximum nesting depth" in reason:  # libyaml's own limit, met while reading ahead
            fm.error = YamlError(f"it nests lists and mappings more than {yaml_limits.MAX_DEPTH} deep", line, column,
                                 "yaml-too-deep")
        else:
            fm.error = YamlError(reason or "invalid YAML", line, column)
    except yaml.YAMLError as exc:  # reader errors (control characters) have no marks
        fm.error = YamlError(str(exc).splitlines()[0], fm.first_line, 1)
    except (ValueError, OverflowError, TypeError, RecursionError) as exc:  # a value YAML cannot build: 0x_, 0b_
        del exc
        fm.root, fm.data = None, None
        fm.error = YamlError("a value here looks like a number or a date YAML cannot make (such as 0x_ or 0b_); put it "
                             "in quotes to keep it as text", fm.first_line, 1)
    finally:
        if loader is not None:
            loader.dispose()
    return fm


def _size(characters: int) -> str:
    return f"{characters / 1024 / 1024:.1f} MB" if characters >= 1024 * 1024 else f"{characters // 1024} KB"


def parse_document(text: str) -> Frontmatter:
    """Parse a whole YAML file (content.yaml, modules.yaml) with the same positions as frontmatter."""
    return parse(Frontmatter(text, 1, len(text.splitlines()) + 1, len(text)), settings=True)


def read(text: str) -> Frontmatter | None:
    fm = split(text)
    return parse(fm) if fm is not None and fm.closed else fm


# ---------------------------------------------------------------- lossless editing


class FrontmatterEditError(ValueError):
    """The frontmatter cannot be edited safely (unclosed or broken YAML)."""


def set_field(text: str, key: str, value: Any) -> str:
    """Return ``text`` with top-level ``key`` set to ``value``, changing only that field's text."""
    fm = _editable(text)
    newline = _newline(text)
    if fm is None:
        block = _dump_field(key, value, newline)
        return f"---{newline}{block}---{newline}{text}"
    yaml_start = _yaml_start(text)
    found = fm.key_node(key)
    if found is None:
        insert_at = yaml_start + len(fm.yaml_text)
        prefix = "" if fm.yaml_text == "" or fm.yaml_text.endswith("\n") else newline
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


def remove_field(text: str, key: str) -> str:
    """Return ``text`` without top-level ``key``; unchanged when the key is absent."""
    fm = _editable(text)
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
