"""The prose of an entry's body, for language checks.

``Prose.text`` is the body with everything that is not prose blanked out (same length, newlines
kept): code, link targets and titles, URLs, e-mail addresses, reference definitions and HTML
comments. Link text stays, because the reader reads it. Offsets into ``Prose.text`` are offsets
into the body, so a match gives a finding's position directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from editor.content.markdown import Body, _mask_code

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_DIRECTIVE = re.compile(r"^\s*malone-(disable-next-line|disable-line|disable|enable)\b\s*([\w\-,\s]*)$")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")


@dataclass
class Exemptions:
    """Rules turned off for some lines by HTML comments (see README: exemption comments)."""

    lines: dict[int, set[str]] = field(default_factory=dict)  # 0-based body line -> rule ids ("*" = all)

    def covers(self, line: int, rule: str) -> bool:
        rules = self.lines.get(line)
        return bool(rules) and ("*" in rules or rule in rules)


class Sentence:
    """A sentence's words; where it starts and ends (without the spaces around it, or the answer's
    'A:' marker) is worked out only when asked, for the rare finding that needs it."""

    __slots__ = ("_text", "_begin", "_end", "_marked", "words")

    def __init__(self, text: str, begin: int, end: int, words: list[str], marked: bool = False):
        self._text, self._begin, self._end, self._marked, self.words = text, begin, end, marked, words

    @property
    def start(self) -> int:
        segment = self._text[self._begin:self._end]
        stripped = segment.lstrip()
        if self._marked:
            stripped = stripped[2:].lstrip()
        return self._begin + len(segment) - len(stripped)

    @property
    def end(self) -> int:
        return self._begin + len(self._text[self._begin:self._end].rstrip())


@dataclass
class Prose:
    text: str
    question: tuple[int, int] | None  # body offsets of the question heading's line(s)
    answer_start: int | None  # body offset of the answer's first paragraph
    paragraphs: list[tuple[int, int]]  # body offsets of paragraph text (no headings, tables or code)
    exemptions: Exemptions
    quotes: list[tuple[int, int]]
    _words: object = field(default=None, repr=False)
    _sentences: list | None = field(default=None, repr=False)

    @property
    def words(self):
        """The prose's words, shared by every pattern index that looks at them."""
        if self._words is None:
            from editor.checks.pattern_index import Words

            self._words = Words(self.text)
        return self._words

    def in_question(self, offset: int) -> bool:
        return self.question is not None and self.question[0] <= offset < self.question[1]

    def in_quotes(self, start: int, end: int) -> bool:
        return any(q_start < start and end <= q_end for q_start, q_end in self.quotes)

    def sentences(self) -> list[Sentence]:
        """Sentences of the paragraphs, each with its words (the answer's 'A:' marker is not one)."""
        if self._sentences is not None:
            return self._sentences
        found: list[Sentence] = []
        text = self.text
        spaced = self.words._spaced  # the same words every language check looks at
        for p_start, p_end in self.paragraphs:
            bounds = [p_start, *(m.end() for m in _SENTENCE_END.finditer(text, p_start, p_end)), p_end]
            for begin, end in zip(bounds, bounds[1:]):
                tokens = spaced[begin:end].split()
                if not tokens:
                    continue
                marked = tokens[0] == "a" and text[begin:end].lstrip().startswith("A:")
                if marked:
                    del tokens[0]  # the answer's marker is not a word
                    if not tokens:
                        continue
                found.append(Sentence(text, begin, end, tokens, marked))
        self._sentences = found
        return found


def extract(body: Body) -> Prose:
    text = body.text
    masked = _mask_code(text, body.tokens)
    exemptions = Exemptions()
    starts = _line_starts(text)
    open_rules: dict[str, int] = {}
    comment_spans = []
    for match in _COMMENT.finditer(masked) if "<!--" in masked else ():
        comment_spans.append(match.span())
        directive = _DIRECTIVE.match(match.group(1))
        if not directive:
            continue
        kind, names = directive.group(1), directive.group(2)
        rules = {n.strip() for n in re.split(r"[,\s]+", names) if n.strip()} or {"*"}
        line = _line_of(starts, match.start())
        end_line = _line_of(starts, match.end())
        if kind == "disable-line":
            for number in range(line, end_line + 1):
                exemptions.lines.setdefault(number, set()).update(rules)
        elif kind == "disable-next-line":
            exemptions.lines.setdefault(end_line + 1, set()).update(rules)
        elif kind == "disable":
            for rule in rules:
                open_rules.setdefault(rule, line)
        else:
            for rule in rules:
                if rule == "*":
                    closing = list(open_rules.items())
                    open_rules.clear()
                else:
                    closing = [(rule, open_rules.pop(rule))] if rule in open_rules else []
                for name, first in closing:
                    for number in range(first, end_line + 1):
                        exemptions.lines.setdefault(number, set()).add(name)
    for name, first in open_rules.items():
        for number in range(first, len(starts)):
            exemptions.lines.setdefault(number, set()).add(name)

    spans: list[tuple[int, int]] = list(comment_spans)
    for link in body.links:  # found once by the parser; link text stays, the rest is blanked
        if link.kind == "inline":
            spans.append((link.span[0], link.text_span[0]))
            spans.append((link.text_span[1], link.span[1]))
        else:
            spans.append(link.span)
    for pattern, marker in ((_URL, "http"), (_URL, "www."), (_EMAIL, "@")):
        if marker in masked:
            spans.extend(m.span() for m in pattern.finditer(masked))
    prose_text = blank_spans(masked, spans)
    question, answer_start, paragraphs = None, None, []
    tokens = body.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.map is None or index == 0:
            continue
        opener = tokens[index - 1]
        begin = starts[token.map[0]]
        end = starts[token.map[1]] if token.map[1] < len(starts) else len(text)
        if opener.type == "heading_open":
            if question is None and token.content.lstrip().startswith("Q:"):
                question = (begin, end)
        elif opener.type == "paragraph_open":
            paragraphs.append((begin, end))
            if question is not None and answer_start is None:
                answer_start = begin
    quotes = [m.span() for m in re.finditer(r"“[^”\n]*”|\"[^\"\n]*\"", prose_text)]
    return Prose(prose_text, question, answer_start, paragraphs, exemptions, quotes)


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces (newlines kept), so offsets do not move."""
    if not spans:
        return text
    parts, position = [], 0
    for start, end in sorted(spans):
        start = max(start, position)
        if end <= start:
            continue
        parts.append(text[position:start])
        segment = text[start:end]
        parts.append(" " * len(segment) if "\n" not in segment else re.sub(r"[^\n]", " ", segment))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n", text)]


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset) - 1


def words(text: str) -> list[str]:
    return _WORD.findall(text)
