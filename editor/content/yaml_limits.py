"""YAML with limits: one file can never cost the run its memory, its time or its stack.

A YAML alias (``*name``) repeats what its anchor (``&name``) holds, so ten lines of aliases can stand
for billions of values (an "alias bomb"), and a few kilobytes of ``[[[[`` nest deeper than a stack.
Before anything is built, the text is read as a stream of events (libyaml's parser, which keeps no
stack of its own calls) and refused, with the line, when it nests too deeply, when its aliases would
expand to too many values, or (where the caller forbids them) when it uses aliases or merge keys at
all. Frontmatter forbids them: nothing in an entry needs them and the lossless writer cannot keep
them. Settings files may use a few, up to a cap.

Most frontmatter has no ``*``, ``&``, ``<<``, few brackets and shallow indents: it cannot nest
deeply, skips the event stream and is built at once, so the common case pays nothing measurable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

MAX_DEPTH = 64  # collections inside collections; a real entry's frontmatter has two or three
MAX_VALUES = 100_000  # values a settings file may stand for once its aliases are expanded
_QUICK_SIZE = 4096


class LimitError(yaml.YAMLError):
    """The YAML was refused before it was built: ``rule`` names why (a finding's rule), ``line`` and
    ``column`` (0-based, in the YAML text) where."""

    def __init__(self, rule: str, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.rule, self.message, self.line, self.column = rule, message, line, column


@dataclass
class Scan:
    """What the event stream showed: the lines (0-based) holding an anchor."""

    anchor_lines: tuple[int, ...] = ()


_DEEP_INDENT = re.compile(r"^[ \t]{24}", re.MULTILINE)


def quick(text: str) -> bool:
    """Whether ``text`` can be built at once, without reading its events first: small, no alias,
    anchor or merge key, and too few brackets, dashes and indented lines to nest MAX_DEPTH deep
    (a level of block nesting needs a deeper indent; a flow or a compact list level, a bracket or
    a dash)."""
    return (len(text) <= _QUICK_SIZE and "*" not in text and "&" not in text and "<<" not in text
            and text.count("[") + text.count("{") + text.count("- ") <= 32 and _DEEP_INDENT.search(text) is None)


def scan(text: str, loader_class, aliases: bool) -> Scan:
    """Read ``text``'s events and refuse it (LimitError) when it nests deeper than MAX_DEPTH, when
    its aliases stand for more than MAX_VALUES values, or, without ``aliases``, when it has an alias
    or a merge key. YAML syntax errors are raised as the loader raises them."""
    loader = loader_class(text)
    try:
        return _scan(loader, aliases)
    finally:
        loader.dispose()


def _scan(loader, aliases: bool) -> Scan:
    sizes: dict[str, int] = {}  # what each anchor stands for, in values
    open_anchors: set[str] = set()
    stack: list[list] = [[0, None]]  # per open collection: [values so far, its anchor]
    anchor_lines: list[int] = []
    while loader.check_event():
        event = loader.get_event()
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            if not aliases:
                raise LimitError("yaml-aliases", f"it uses a YAML alias (*{_short(anchor)}); aliases are not "
                                 "accepted here, so write the value out in full", mark.line, mark.column)
            if anchor in open_anchors:
                raise LimitError("yaml-aliases", f"the alias *{_short(anchor)} is inside its own anchor, so it "
                                 "never ends", mark.line, mark.column)
            stack[-1][0] += sizes.get(anchor, 1)
            if stack[0][0] + sum(level[0] for level in stack[1:]) > MAX_VALUES:
                raise LimitError("yaml-aliases", f"its aliases stand for more than {MAX_VALUES:,} values; write "
                                 "the values out, or use fewer aliases",
                                 mark.line, mark.column)
            continue
        if anchor is not None:
            anchor_lines.append(event.start_mark.line)
        if isinstance(event, yaml.ScalarEvent):
            if not aliases and event.value == "<<" and not event.style:
                mark = event.start_mark
                raise LimitError("yaml-merge-key", "it uses a YAML merge key (<<); write the fields out in full",
                                 mark.line, mark.column)
            stack[-1][0] += 1
            if anchor is not None:
                sizes[anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > MAX_DEPTH:
                mark = event.start_mark
                raise LimitError("yaml-too-deep", f"it nests lists and mappings more than {MAX_DEPTH} deep",
                                 mark.line, mark.column)
            stack.append([1, anchor])
            if anchor is not None:
                open_anchors.add(anchor)
        elif isinstance(event, yaml.CollectionEndEvent):
            size, own = stack.pop()
            stack[-1][0] += size
            if own is not None:
                sizes[own] = size
                open_anchors.discard(own)
    return Scan(tuple(anchor_lines))


def _short(name: str | None) -> str:
    name = name or ""
    return name if len(name) <= 20 else name[:20] + "\u2026"


def load(text: str, loader_class, aliases: bool = True):
    """``text`` as YAML data, within the limits (LimitError beyond them)."""
    if not quick(text):
        scan(text, loader_class, aliases)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
