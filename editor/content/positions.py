"""markdown-it, told to remember where things came from.

markdown-it's tokens say which lines a block spans, not where an inline token starts. The document
model (``editor.content.markdown``) needs exact places: a finding must underline the words the
reader sees, and a link's target must be found where it was typed. So the parser here is the
project's one CommonMark parser with three additions, none of which changes what it renders:

- each block token that holds inline text (paragraph, heading, table cell, reference definition)
  gets ``meta["origin"]``: for each of its lines, where that line's text starts in the source;
- each inline token gets ``meta["p"]`` (where its text starts in the block's text, for text whose
  characters are copied from the source one for one) or ``meta["at"]`` and ``meta["end"]`` (where
  the parser stood when it made the token, and the end of what the rule that made it consumed);
- text tokens are not joined (``text_join``, ``fragments_join`` off), so each keeps its place.

It also lets every link target through (``validateLink``): markdown-it would leave
``[x](javascript:...)`` as plain text, and a check must see it to refuse it. The renderer refuses
such links itself (``editor.render.html``).

A parse may be given a budget (``env[BUDGET]``: how many tokens it may make, block and inline
together); past it, it stops with ``TooComplex`` instead of holding hundreds of megabytes of tokens
(a list line costs about 3 KB of them). The checks parse with a budget; the preview does not.

This reads markdown-it-py's inline state (``append_pending``, ``push``, the tokenize loop), which
is why pyproject pins its major version; the differential test over the CommonMark spec examples
(tests/test_document_model.py) says at once if an upgrade moves anything.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

BUDGET = "parts_budget"  # env key: how many tokens the parse may make
_MADE = "parts_made"  # env key: how many it has made so far (block tokens, then each inline block's)


class TooComplex(Exception):
    """The text makes more tokens than the parse's budget allows."""


_MADE_ONCE = threading.Lock()


def parser() -> MarkdownIt:
    """The CommonMark parser every part of the tool uses (checks, link report, preview). Made
    once, by one thread: markdown-it's modules import one another in a circle, and two threads
    importing them at once (the editor's check and preview) can deadlock or find one half made."""
    with _MADE_ONCE:
        return _parser()


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from markdown_it.parser_inline import ParserInline
    from markdown_it.rules_inline.state_inline import StateInline

    class State(StateInline):
        def __init__(self, src, md, env, tokens) -> None:
            self._pstart = 0
            limit = env.get(BUDGET)
            self._room = None if limit is None else limit - env.get(_MADE, 0)  # tokens this block may still make
            super().__init__(src, md, env, tokens)

        def append_pending(self, text: str) -> None:
            if not self._pending and not self._pending_buffer:
                self._pstart = self.pos  # every rule appends before it moves on
            self._pending_buffer.append(text)

        def pushPending(self):
            token = super().pushPending()
            token.meta = {"p": self._pstart}
            return token

        def push(self, ttype, tag, nesting):
            token = super().push(ttype, tag, nesting)
            token.meta = {"at": self.pos}
            if self._room is not None and len(self.tokens) > self._room:
                raise TooComplex()  # (a run of 100,000 "*" is one rule's call, and as many tokens)
            return token

    class Inline(ParserInline):
        def tokenize(self, state) -> None:
            rules = self.ruler.getRules("")
            end = state.posMax
            max_nesting = state.md.options["maxNesting"]
            tokens = state.tokens
            while state.pos < end:
                pos = state.pos
                before = len(tokens)
                ok = False
                if state.level < max_nesting:
                    for rule in rules:
                        ok = rule(state, False)
                        if ok:
                            if state.pos <= pos:
                                raise RuntimeError("inline rule didn't increment state.pos")
                            break
                if ok:
                    _mark(state, tokens, before, pos)
                    if state.pos >= end:
                        break
                    continue
                state.append_pending(state.src[state.pos])
                state.pos += 1
            if state.pending:
                state.pushPending()

        def parse(self, src, md, env, tokens):
            state = State(src, md, env, tokens)
            self.tokenize(state)
            for rule in self.ruler2.getRules(""):
                rule(state)
            if BUDGET in env:
                env[_MADE] = env.get(_MADE, 0) + len(state.tokens)
            return state.tokens

    md = MarkdownIt("commonmark", {"store_labels": True, "inline_definitions": True})
    md.enable(["table", "strikethrough"])
    md.disable(["text_join", "fragments_join"])
    ruler2 = md.inline.ruler2
    inline = Inline()
    inline.ruler, inline.ruler2 = md.inline.ruler, ruler2
    md.inline = inline
    md.validateLink = lambda url: True
    for name, place in (("paragraph", _place_lines), ("lheading", _place_lines), ("heading", _place_heading),
                        ("table", _place_cells), ("reference", _place_definition)):
        ruler = md.block.ruler
        rule = ruler.__rules__[ruler.__find__(name)]
        ruler.at(name, _placing(place)(rule.fn), {"alt": list(rule.alt)})  # keeps the blocks it may interrupt
    for rule in list(md.block.ruler.__rules__):
        md.block.ruler.at(rule.name, _budgeted(rule.fn), {"alt": list(rule.alt)})
    md.add_render_rule("text_special", lambda self, tokens, idx, options, env: self.rules["text"](tokens, idx, options, env))
    md.add_render_rule("definition", lambda *args: "")
    _warm(md)
    return md


def _warm(md: MarkdownIt) -> None:
    """Fill, here, under the lock, the tables markdown-it's URL helpers (mdurl) make at their first
    use: mdurl publishes a table before it fills it, so two threads using it for the first time (the
    editor's first check and first preview) could read a half-made one (seen as 'list index out of
    range' in the live check)."""
    import mdurl

    md.render("[a](http://b.example/%20c\u00e9 d) <http://e.example/f> ![g](h \"i\") [j]\n\n[j]: /k", {})
    for exclude in (mdurl.DECODE_DEFAULT_CHARS, mdurl.DECODE_DEFAULT_CHARS + "%", mdurl.DECODE_COMPONENT_CHARS):
        mdurl.decode("%20", exclude)
    for exclude in (mdurl.ENCODE_DEFAULT_CHARS, mdurl.ENCODE_COMPONENT_CHARS):
        mdurl.encode(" ", exclude)


def _mark(state, tokens, before: int, pos: int) -> None:
    """The tokens one rule just made: the end of what it consumed, and the place of each piece of
    text it made from the source as it stands (emphasis and strike markers, left unmatched)."""
    cursor = pos
    src = state.src
    for index in range(before, len(tokens)):
        meta = tokens[index].meta
        if "p" in meta or "end" in meta:
            continue  # text gathered before this rule, or made by a rule inside it (a link's text)
        meta["end"] = state.pos
        token = tokens[index]
        if token.type == "text" and token.content and src.startswith(token.content, cursor):
            meta["p"] = cursor
            cursor += len(token.content)


def _line_starts(state, begin: int, end: int, indent: int) -> list[tuple[int, int, int]]:
    """(offset in the joined text, offset in the source, spaces added for a tab) for each line, as
    ``StateBlock.getLines(begin, end, indent, False)`` joins them."""
    from markdown_it.common.utils import isStrSpace

    starts = []
    joined = 0
    src, b_marks, e_marks, t_shift, bs_count = state.src, state.bMarks, state.eMarks, state.tShift, state.bsCount
    for line in range(begin, end):
        line_indent = 0
        line_start = first = b_marks[line]
        last = e_marks[line] + 1 if line + 1 < end else e_marks[line]
        while first < last and line_indent < indent:
            ch = src[first]
            if isStrSpace(ch):
                line_indent += 4 - (line_indent + bs_count[line]) % 4 if ch == "\t" else 1
            elif first - line_start < t_shift[line]:
                line_indent += 1
            else:
                break
            first += 1
        added = line_indent - indent if line_indent > indent else 0
        starts.append((joined, first, added))
        joined += added + last - first
    return starts


def _origin_of(starts: list[tuple[int, int, int]], lead: int) -> list[tuple[int, int]]:
    """(offset in the block's text, offset in the source) pairs, from the joined lines less the
    ``lead`` characters mdTrim took off the front."""
    origin = []
    for joined, first, added in starts:
        origin.append((joined + added - lead, first))
    return origin


def _budgeted(rule):
    """A block rule that first sees whether the parse's budget has room for more tokens."""
    def wrapped(state, start_line, end_line, silent):
        limit = state.env.get(BUDGET)
        if limit is not None:
            made = state.env[_MADE] = len(state.tokens)
            if made > limit:
                raise TooComplex()
        return rule(state, start_line, end_line, silent)
    return wrapped


def _placing(place):
    """A block rule that, once it has made its tokens, has ``place`` record where their text came from."""
    def wrap(rule):
        def wrapped(state, start_line, end_line, silent):
            before = len(state.tokens)
            ok = rule(state, start_line, end_line, silent)
            if ok and not silent:
                place(state, start_line, state.tokens[before:])
            return ok
        return wrapped
    return wrap


def _place_lines(state, start_line, tokens) -> None:
    """Paragraphs and setext headings: their text is their lines, joined as getLines joins them."""
    from markdown_it.common.utils import MD_TRIM_CHARS

    for token in tokens:
        if token.type == "inline" and token.map:
            first, last = token.map
            raw = state.getLines(first, last, state.blkIndent, False)
            lead = len(raw) - len(raw.lstrip(MD_TRIM_CHARS))
            token.meta["origin"] = _origin_of(_line_starts(state, first, last, state.blkIndent), lead)


def _place_heading(state, start_line, tokens) -> None:
    """An ATX heading: its text follows the "#" marks on its one line."""
    for token in tokens:
        if token.type == "inline":
            begin = state.bMarks[start_line] + state.tShift[start_line]
            while begin < state.eMarks[start_line] and state.src[begin] == "#":
                begin += 1
            found = state.src.find(token.content, begin, state.eMarks[start_line]) if token.content else begin
            token.meta["origin"] = [(0, found if found >= 0 else begin)]


def _place_cells(state, start_line, tokens) -> None:
    """Table cells: each character of a cell's text, found in its row in turn."""
    cursor_line, cursor = -1, 0
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        line = token.map[0]
        if line != cursor_line:
            cursor_line, cursor = line, state.bMarks[line] + state.tShift[line]
        token.meta["chars"], cursor = _align(state.src, cursor, state.eMarks[line], token.content)


def _align(src: str, cursor: int, limit: int, content: str) -> tuple[list[int], int]:
    """Where each character of a table cell's text stands in the source (a cell's text is its
    source less the separators, white space around it and the backslash of each ``\\|``)."""
    places = []
    if not content:
        return places, cursor
    while cursor < limit and src[cursor] in " \t|":
        cursor += 1
    for char in content:
        found = src.find(char, cursor, limit)
        if found < 0:
            found = cursor
        places.append(found)
        cursor = found + 1
    return places, cursor


def _place_definition(state, start_line, tokens) -> None:
    """A reference definition: its lines, each from its first character after the block markers."""
    for token in tokens:
        if token.type != "definition":
            continue
        origin, text = [], []
        joined = 0
        for line in range(start_line, state.line):
            begin = state.bMarks[line] + state.tShift[line]
            piece = state.src[begin:state.eMarks[line] + 1]
            origin.append((joined, begin))
            text.append(piece)
            joined += len(piece)
        token.meta["origin"], token.meta["text"] = origin, "".join(text)
