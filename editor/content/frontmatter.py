"""YAML frontmatter: find it and read it with source positions (editing: frontmatter_edit.py).

Reading keeps the YAML node tree so that every value has a line and column in the file.
Editing replaces only the text of the field that changes: key order, comments, quoting,
line endings and the body stay byte for byte as they were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from editor.content import yaml_limits

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


class FrontmatterEditError(ValueError):
    """The frontmatter cannot be edited safely (frontmatter_edit.py says why, in plain words)."""
