"""Property-based tests: whatever the bytes, reading, checking, rendering and editing never raise,
every finding lies inside the file, and the writer round-trips and edits one field only."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.checks import CheckContext
from editor.checks.rules import load_ruleset
from editor.checks.runner import check_entry
from editor.content.config import Module, Registry, Settings
from editor.content.entry import Entry
from editor.content.frontmatter import FrontmatterEditError
from editor.content.links import check_web_target, parse_in_app
from editor.render.html import RenderOptions, render_body

REGISTRY = Registry(["home", "modules"], {"sleep": Module("sleep", "Sleep", ["naps"])})
CTX = CheckContext(Settings(crisis_resources=["988"]), REGISTRY, dt.date(2026, 11, 25), load_ruleset()[0])
PIECES = st.sampled_from(["---\n", "id: x\n", "module: sleep\n", "status: draft\n", "### Q: Why?\n", "A: Because.\n",
                          "\n", "[a](?tab=modules&module=sleep)", "[b](htps://x)", "`code`", "```\n", "\r\n",
                          "\ufeff", "<!-- malone-disable -->", "tags: [a, b]\n", "review:\n  reviewer: x\n", "\t",
                          "suicide ", "committed suicide ", "é", "\U0001f600", "\x00"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lines_of(raw: bytes) -> list[str]:
    entry = Entry.from_bytes("x.md", raw)
    return entry.text.split("\n") if entry.readable else raw.decode("utf-8", "replace").split("\n")


@FAST
@given(st.one_of(TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200)))
def test_any_bytes_check_without_raising_and_positions_inside_the_file(raw):
    entry = Entry.from_bytes("x.md", raw)
    findings = check_entry(entry, CTX)
    lines = lines_of(raw)
    for finding in findings:
        assert 1 <= finding.line <= len(lines) + 1
        assert (finding.end_line, finding.end_column) >= (finding.line, finding.column)
        if finding.line <= len(lines):
            assert 1 <= finding.column <= len(lines[finding.line - 1]) + 2


@FAST
@given(TEXT)
def test_round_trip_is_byte_identical(text):
    raw = text.encode("utf-8", "surrogatepass")
    entry = Entry.from_bytes("x.md", raw)
    if entry.readable:  # binary and non-UTF-8 files are reported and never rewritten
        assert entry.to_bytes() == raw


@FAST
@given(TEXT, st.sampled_from(["status", "id", "tags", "module"]),
       st.one_of(st.sampled_from(["draft", "approved", "a-b"]), st.lists(st.sampled_from(["x", "y z"]), max_size=3)))
def test_one_field_edit_changes_only_that_field(text, key, value):
    entry = Entry.from_text("x.md", text)
    try:
        edited = entry.with_field(key, value)
    except FrontmatterEditError:
        return  # broken frontmatter is refused, never guessed at
    assert edited.meta.get(key) == value
    assert edited.body == entry.body or entry.frontmatter is None
    others = {k: v for k, v in entry.meta.items() if k != key}
    assert {k: v for k, v in edited.meta.items() if k != key} == others


@FAST
@given(st.text(max_size=60))
def test_link_parsers_never_raise(target):
    for problem in parse_in_app("?" + target, REGISTRY).problems + check_web_target(target):
        assert 0 <= problem.start <= problem.end <= len(target) + 1


@FAST
@given(TEXT)
def test_render_never_raises_and_stays_inert(text):
    html = render_body(text, RenderOptions(REGISTRY))
    assert "<script" not in html.lower() and "javascript:" not in html.lower().replace("&quot;", "")


def test_lone_carriage_return_keeps_lines_in_step():
    entry = Entry.from_bytes("x.md", b"\r0")
    assert sorted(f.rule for f in check_entry(entry, CTX)) == ["missing-metadata", "missing-question"]
    entry = Entry.from_bytes("x.md", b"---\rid: x\n---\n### Q: Hi?\r\rA: yes [x](?tab=nope)\n")
    assert all(f.line <= 4 for f in check_entry(entry, CTX))


RULE_WORDS = st.sampled_from(["you", "must", "just", "cheer", "up", "commit", "committed", "suicide", "a", "real",
                              "mother", "would", "don't", "i'm", "so", "bipolar", "crazy", "parents'", "'", "’",
                              "addict", "an", "simply", "snap", "out", "of", "it", "victim", "schizophrenic"])
SEPARATORS = st.sampled_from([" ", "  ", ", ", ". ", "'", " '", "’ ", "\n", "-", " — "])
WORDY = st.lists(st.tuples(RULE_WORDS, SEPARATORS), max_size=25).map(lambda pairs: "".join(w + s for w, s in pairs))


@FAST
@given(WORDY)
def test_the_word_index_misses_no_match_a_full_scan_finds(text):
    """The index only narrows where each rule's pattern is tried: what it offers must include every
    place a scan of the whole text with every pattern matches."""
    index = CTX.ruleset.pattern_index()
    offered = {(id(rule), id(matcher), position) for position, (rule, matcher) in index.candidates(text)}
    for rule in CTX.ruleset.of_kind("existence", "substitution"):
        for matcher in rule.matchers:
            for match in matcher.pattern.finditer(text):
                assert {(id(rule), id(matcher), match.start()), (id(rule), id(matcher), None)} & offered, \
                    (rule.id, match.group(0), text)
