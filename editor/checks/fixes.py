"""Safe automatic fixes: which findings' suggestions may go in by themselves, and putting them in.

Safety is data, as the rules are (``editor/checks/rules/default.yaml``, a repository's tone.yaml):

- a phrase rule's ``safe_fixes`` maps a text as matched, case included, to the suggestion that may
  replace it. A phrase matches every inflection while its suggestion is one fixed text, so only the
  forms the suggestion fits are listed ("committed suicide" -> "died by suicide"; "wants to commit
  suicide" is left to the writer), and a form with a capital ("Prior to" -> "Before") only where
  a capital fits at a sentence start (a sentence that starts "Committed suicide ..." talks about
  the words, and is left alone);
- ``safe_suggestions`` marks rules that have no phrases: ``all`` (every suggestion),
  ``case-only`` (a suggestion that differs from the text only in case) or ``never``.

Whatever the data says, a fix goes in only where it cannot touch more than the words: the text in
the file is exactly the words the check read (no markup, no hard line break inside), it is not part
of a longer word ("prior to-do"), a capital is kept only at a sentence start (a capital elsewhere
is a name: "World Health Organization" stays), "a" or "an" before it still fits what replaces it,
and a case-only link fix names the one target so spelled. Positions are characters of the file's
text as stored (frontmatter lines count, CRLF kept). After fixing, the file is checked again
(``unresolved``): a fix that leaves its finding, or brings one that was not there, is not made.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from editor.checks.registry import RULE_CATEGORIES
from editor.findings import Finding, excerpt

if TYPE_CHECKING:
    from editor.checks.rules import RuleSet
    from editor.checks.view import EntryView
    from editor.content.config import Registry
    from editor.content.source import SourceText

ALL, CASE_ONLY, NEVER = "all", "case-only", "never"
FORMS = "forms"  # a phrase rule's own safe_fixes
_WORDS = re.compile(r"\S+(?:(?:[ \t]+|[ \t]?\r?\n[ \t]*)\S+)*")  # words parted by spaces or a soft line break
_STUCK = "-'\u2019"  # a character that makes the text part of a longer word
_OPENERS = "\"'\u201c\u2018([*_ "
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class Fix:
    """One suggestion to put in: ``old`` at ``start``..``end`` of the file's text becomes ``new``."""

    finding: Finding
    start: int
    end: int
    old: str
    new: str
    in_body: bool  # False: in the frontmatter, which an approval does not cover


def fix_kind(rule_id: str, ruleset: RuleSet) -> str | None:
    """How the rules mark ``rule_id``'s suggestions: ALL, CASE_ONLY, FORMS, or None (never applied)."""
    listed = ruleset.safe_suggestions.get(rule_id)
    if listed is not None:
        return None if listed == NEVER else listed
    return FORMS if safe_forms(rule_id, ruleset) else None


def safe_forms(rule_id: str, ruleset: RuleSet) -> dict[str, str]:
    """A phrase rule's ``safe_fixes``: text as matched, case and all (one space between words) -> suggestion."""
    for rule in ruleset.rules:
        if rule.id == rule_id and rule.id not in ruleset.disabled:
            listed = rule.raw.get("safe_fixes") or {}
            return {_squash(str(form)).translate(_APOSTROPHES): str(better) for form, better in listed.items()}
    return {}


def fix_for(finding: Finding, view: EntryView, ruleset: RuleSet, registry: Registry | None = None) -> Fix | None:
    """The fix a finding of ``view``'s entry offers, when its rule marks it safe and it fits where it is."""
    kind = fix_kind(finding.rule, ruleset)
    new = finding.suggestion
    entry = view.entry
    if kind is None or not new or finding.path != entry.path or not entry.readable:
        return None
    span = _offsets(entry.source, finding)
    if span is None:
        return None
    start, end = span
    text = entry.text
    old = text[start:end]
    if not old.strip() or "\n" in new or "\r" in new:
        return None
    in_body = start >= entry.body_offset
    if kind == CASE_ONLY and not in_body and len(old) > 2 and old[0] == old[-1] and old[0] in "'\"":
        start, end, old = start + 1, end - 1, old[1:-1]  # a quoted value (module: "Sleep"): the words inside
    if kind == CASE_ONLY:
        fits = old != new and old.lower() == new.lower() and "\n" not in old and _one_target(new, finding, registry)
    elif finding.category in RULE_CATEGORIES:
        fits = in_body and _fits_prose(view, start, end, old, new, kind, finding.rule, ruleset)
    else:
        fits = kind == ALL and "\n" not in old
    if fits and "\n" in old:
        new = keep_breaks(old, new)
    return Fix(finding, start, end, old, new, in_body) if fits else None


def keep_breaks(old: str, new: str) -> str:
    """``new`` with the line breaks of ``old`` (words hard-wrapped over two lines) kept between its
    words, counted from the end ("committed\\nsuicide" -> "died by\\nsuicide"), so a wrapped
    paragraph keeps its lines; where ``new`` has fewer gaps, in its first; one word joins the lines."""
    old_gaps = re.split(r"(\s+)", old)[1::2]
    parts = re.split(r"(\s+)", new)
    gaps = parts[1::2]
    if not gaps:
        return new
    for back, gap in enumerate(reversed(old_gaps)):
        if "\n" in gap:
            gaps[max(0, len(gaps) - 1 - back)] = gap
    parts[1::2] = gaps
    return "".join(parts)


def is_safe(finding: Finding, view: EntryView, ruleset: RuleSet, registry: Registry | None = None) -> bool:
    """Whether the finding's suggestion is a safe fix (a quick fix an editor may prefer)."""
    return fix_for(finding, view, ruleset, registry) is not None


def safe_fixes(findings: list[Finding], view: EntryView, ruleset: RuleSet,
               registry: Registry | None = None) -> list[Fix]:
    """The safe fixes of ``findings``, in file order: the same change asked by two findings is made
    once, and fixes whose spans overlap otherwise are all left out."""
    made = (fix_for(finding, view, ruleset, registry) for finding in findings)
    unique = {(fix.start, fix.end, fix.new): fix for fix in reversed([fix for fix in made if fix is not None])}
    found = sorted(unique.values(), key=lambda fix: (fix.start, fix.end))
    clash: set[int] = set()
    reach, holder = -1, -1  # the furthest end so far, and the fix it belongs to
    for index, fix in enumerate(found):
        if fix.start < reach:
            clash.update((index, holder))
        if fix.end > reach:
            reach, holder = fix.end, index
    return [fix for index, fix in enumerate(found) if index not in clash]


def apply(text: str, fixes: list[Fix]) -> str:
    """``text`` with ``fixes`` put in (they must not overlap), from the end so that offsets hold."""
    ordered = sorted(fixes, key=lambda fix: fix.start, reverse=True)
    for later, earlier in zip(ordered, ordered[1:]):
        if earlier.end > later.start:
            raise ValueError("overlapping fixes")
    for fix in ordered:
        if text[fix.start:fix.end] != fix.old:
            raise ValueError("a fix does not match the text")
        text = text[:fix.start] + fix.new + text[fix.end:]
    return text


def unresolved(before: list[Finding], after: list[Finding], fixes: list[Fix], old: SourceText, new: SourceText,
               allowed: frozenset[str] = frozenset()) -> list[str]:
    """Why the fixed text is not what fixing promised, in plain words: a fixed finding still there,
    or a finding that was not there before (``allowed``: rules whose new findings are expected).
    Findings are compared by rule, severity and span, the spans of those before moved past the fixes;
    one that covers a fix (a sentence's, say) by rule, severity and the fixes it covers."""
    fixed = set(id(fix.finding) for fix in fixes)
    moved = _Mover(fixes)
    old_spans = [(fix.start, fix.end) for fix in fixes]
    new_spans = [moved.place(span) for span in old_spans]
    waiting = Counter(_key(f, _offsets(old, f), old_spans, moved) for f in before if id(f) not in fixed)
    problems: list[str] = []
    for finding in after:
        span = _offsets(new, finding)
        if any(fix.finding.rule == finding.rule for fix, hit in zip(fixes, _covered(span, new_spans)) if hit):
            problems.append(f"after the fix the check still finds: {excerpt(finding.message, 120)}")
            continue
        key = _key(finding, span, new_spans, None)
        if waiting[key] > 0:
            waiting[key] -= 1
        elif finding.rule not in allowed:
            problems.append(f"the fix would bring a new finding: {excerpt(finding.message, 120)}")
    return problems


def _covered(span: tuple[int, int] | None, spans: list[tuple[int, int]]) -> list[bool]:
    if span is None:
        return [False] * len(spans)
    start, end = span
    return [(start < s_end and s_start < end) if end > start else s_start <= start <= s_end for s_start, s_end in spans]


def _key(finding: Finding, span: tuple[int, int] | None, spans: list[tuple[int, int]], moved: _Mover | None) -> tuple:
    covered = tuple(index for index, hit in enumerate(_covered(span, spans)) if hit)
    if covered:
        return (finding.rule, finding.severity, "covers", covered)
    return (finding.rule, finding.severity, moved.place(span) if moved is not None else span)


class _Mover:
    """Where offsets of the text before the fixes are in the text after them."""

    def __init__(self, fixes: list[Fix]):
        self.fixes = sorted(fixes, key=lambda fix: fix.start)

    def at(self, offset: int, is_end: bool) -> int:
        shift = 0
        for fix in self.fixes:
            if offset <= fix.start:
                break
            if offset >= fix.end:
                shift += len(fix.new) - (fix.end - fix.start)
                continue
            return fix.start + shift + (len(fix.new) if is_end else 0)  # inside a fix: its new start or end
        return offset + shift

    def place(self, span: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if span is None else (self.at(span[0], False), self.at(span[1], True))


def _offsets(source: SourceText | None, finding: Finding) -> tuple[int, int] | None:
    """Offsets of a finding's span in ``source``'s text, or None when it is not a place in it."""
    if source is None:
        return None
    starts = source.line_starts
    try:
        if not (1 <= finding.line <= len(starts) and 1 <= finding.end_line <= len(starts)):
            return None
        start, end = source.offset(finding.line, finding.column), source.offset(finding.end_line, finding.end_column)
    except (IndexError, TypeError):
        return None
    return (start, end) if 0 <= start <= end <= len(source.text) else None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _one_target(new: str, finding: Finding, registry: Registry | None) -> bool:
    """A case-only fix of a link names the one tab, module or section spelled so, whatever the case."""
    if finding.category != "module-link" or registry is None:
        return True
    names = set(registry.tabs) | set(registry.modules) | {s for m in registry.modules.values() for s in m.sections}
    return sum(1 for name in names if name.lower() == new.lower()) == 1


def _fits_prose(view: EntryView, start: int, end: int, old: str, new: str, kind: str, rule_id: str,
                ruleset: RuleSet) -> bool:
    entry = view.entry
    text = entry.text
    if not _WORDS.fullmatch(old):
        return False  # a hard line break, or white space at an end
    compound = kind == ALL and " " not in old  # one word spelled the library's way: "colour-coded" too
    if _stuck(text[max(0, start - 2):start][::-1], compound) or _stuck(text[end:end + 2], compound):
        return False
    flat = _squash(old).translate(_APOSTROPHES)
    prose = view.prose
    body_start, body_end = start - entry.body_offset, end - entry.body_offset
    if _squash(prose.text_at(body_start, body_end)) != flat:
        return False  # markup inside the words: the fix would take it out
    capital = flat[:1].isupper()
    if flat != flat.lower() and not (capital and flat[1:] == flat[1:].lower()):
        return False  # capitals inside: a name, or shouting
    leading = prose.text[:prose.offset_of(body_start)]
    leading = leading[leading.rfind("\n") + 1:]
    if capital and not _sentence_start(leading):
        return False
    if not _article_fits(leading, new):
        return False
    if kind == FORMS:
        return safe_forms(rule_id, ruleset).get(flat) == new
    return kind == ALL and (not capital or new[:1].isupper()) and (capital or new[:1] == new[:1].lower())


def _stuck(beside: str, compound: bool = False) -> bool:
    """Whether the characters next to a fix (nearest first) make it part of a longer word; an
    underscore is one unless it is emphasis (``_colour_``), with no letter beyond it; a hyphen is
    one unless ``compound`` (a word of a hyphenated compound may be fixed by itself)."""
    near, far = beside[:1], beside[1:2]
    if near == "_" or (near == "-" and compound):
        return far.isalnum() if near == "_" else False
    return near.isalnum() or near in _STUCK


def _sentence_start(leading: str) -> bool:
    """Whether the prose of a block up to a word ends a sentence (or is none)."""
    stripped = leading.rstrip(_OPENERS + "\t")
    return not stripped or stripped[-1] in ".!?:"


def _article_fits(leading: str, new: str) -> bool:
    """'a' or 'an' just before still fits what the fix puts in (a letter's sound, told conservatively)."""
    article = re.search(r"(?:^|[^\w'])(an?)\s+$", leading, re.IGNORECASE)
    if article is None:
        return True
    first = new[:1].lower()
    return first in "aeio" if article.group(1).lower() == "an" else (first.isalpha() and first not in "aeiouh")
