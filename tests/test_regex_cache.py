"""Compiled patterns kept for the next process (editor/regex_cache.py) and the checked file format
they are kept in (editor/content/whole_file.py).

The oracle is Python's own compiler: CPython's patterns compare equal when their pattern text,
flags and compiled code are the same, so a pattern made from kept parts must equal
``re._compiler.compile`` of the same text and flags."""
from __future__ import annotations

import json
import os
import re
import re._compiler
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from editor import regex_cache
from editor.checks.rules import load_ruleset
from editor.content import whole_file

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not regex_cache._USABLE, reason="this Python's re is not built as regex_cache needs")


def _remade(pattern, flags: int = 0):
    return regex_cache._made(type(pattern), pattern, flags, regex_cache._parts(pattern, flags))


def test_a_pattern_made_from_kept_parts_is_the_pattern_a_compile_makes():
    ruleset, _ = load_ruleset(None)
    fragments = [m.fragment for rule in ruleset.rules for m in rule.matchers][:300]
    samples = [(r"\b(?:" + f + r")\b", re.IGNORECASE) for f in fragments]
    samples += [(r"(?P<year>\d{4})-(?P<month>\d\d)|(?P=year)", 0), (r"(?x) a  b # comment", 0),
                (rb"[\x80-\xff]+", 0), (r"(?<=\w)['\u2019](?![\w'])", 0), (r"[^\x09\x0A\x0D\x20-\x7E\x85]", 0),
                (r"(?s:.)*?(?i:X)", re.MULTILINE | re.ASCII), (r"\d+", re.UNICODE)]
    for pattern, flags in samples:
        made = _remade(pattern, int(flags))
        assert made == re._compiler.compile(pattern, int(flags)), pattern
        assert (made.groupindex, made.groups, made.flags) == (re.compile(pattern, flags).groupindex,
                                                              re.compile(pattern, flags).groups,
                                                              re.compile(pattern, flags).flags)


_ATOMS = st.sampled_from(["a", "b", ".", r"\w", r"\d", r"\s", "[a-c]", "[^x]", r"\b", "^", "$", "é", "(?:ab)",
                          "(?P<n>a)", "(a|b)", "[" + "\u00e0-\u00ff" + "]"])
_REGEXES = st.recursive(_ATOMS, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["*", "+", "?", "{2}", "{1,3}", "*?", "+?"])).map("".join),
    st.lists(inner, min_size=2, max_size=4).map("".join),
    st.lists(inner, min_size=2, max_size=3).map(lambda parts: "(?:" + "|".join(parts) + ")"),
), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_REGEXES, st.sampled_from([0, re.IGNORECASE, re.MULTILINE | re.DOTALL, re.ASCII]),
       st.text(alphabet="abcxé 1\n_", max_size=30))
def test_generated_patterns_made_from_parts_compare_and_match_as_compiled(pattern, flags, text):
    try:
        compiled = re._compiler.compile(pattern, int(flags))
    except re.error:
        return  # not a pattern (a group name twice): nothing to keep
    made = _remade(pattern, int(flags))
    assert made == compiled
    assert [m.span() for m in made.finditer(text)] == [m.span() for m in compiled.finditer(text)]


def _in_a_fresh_process(code: str, cache: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    return json.loads(done.stdout)


PROCESS = """
import json, re, re._compiler, time
from editor import regex_cache
made = regex_cache.preload()
compiles = []
real = re._compiler.compile
re._compiler.compile = lambda p, f=0: compiles.append(p) or real(p, f)
patterns = [r"\\b(?:walking|walked|walks|walk)[ \\-]{1,3}(?:away|off)\\b", r"(?P<a>x)+(?P=a)", r"[\\u00e0-\\u00ff]+y"]
patterns += [r"p%d+q" % n for n in range(10)]
out = [re.compile(p, re.I) == real(p, re.I) for p in patterns]
regex_cache.save()
print(json.dumps({"made": made, "compiled": len(compiles), "equal": all(out)}))
"""


def test_a_second_process_makes_the_first_ones_patterns_without_compiling_them(tmp_path):
    first = _in_a_fresh_process(PROCESS, tmp_path)
    assert first["compiled"] == 13 and first["equal"]
    second = _in_a_fresh_process(PROCESS, tmp_path)
    assert second["made"] >= 13 and second["compiled"] == 0 and second["equal"]
    kept = regex_cache._kept(whole_file.read(tmp_path / "malone-editor" / regex_cache.FILE_NAME))
    assert 13 <= len(kept) <= regex_cache.KEPT


@pytest.mark.parametrize("damage", ["flip", "cut", "other python", "other patch release", "not ours", "wrong shape"])
def test_a_damaged_or_foreign_file_makes_nothing_and_compiling_goes_on(tmp_path, damage):
    _in_a_fresh_process(PROCESS, tmp_path)
    file = tmp_path / "malone-editor" / regex_cache.FILE_NAME
    raw = bytearray(file.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0x40
    elif damage == "cut":
        raw = raw[: len(raw) - 7]
    elif damage == "other python":
        raw[len(whole_file.MARK) + 2] ^= 1  # the minor version
    elif damage == "not ours":
        raw = bytearray(b"{}" + bytes(raw[2:]))
    elif damage == "other patch release":  # the same minor version, another compiler: kept parts not used
        items = regex_cache._kept(whole_file.loads(bytes(raw)))
        raw = bytearray(whole_file.dumps(((sys.version + " (another build)", regex_cache._COMPILER[1]), items)))
    else:
        bad = [("str", "a+", 0, ("not", "parts")), ("bytes", 5, 0, None), 7, ("str", "b+", 0, (0, [99999], 0, {}, (None,)))]
        raw = bytearray(whole_file.dumps((regex_cache._COMPILER, bad)))
    file.write_bytes(bytes(raw))
    again = _in_a_fresh_process(PROCESS, tmp_path)
    assert again["made"] == 0 and again["compiled"] == 13 and again["equal"]


def test_a_few_short_new_patterns_are_not_worth_a_write(tmp_path, monkeypatch):
    """A library may make one pattern anew in every process (from a set's members, in an order of
    that process); writing the file for it would cost more than its compile."""
    monkeypatch.setattr(regex_cache, "_loaded", set())
    re.purge()
    re.compile("only-one-short[0-9]")
    regex_cache.save(tmp_path)
    assert not (tmp_path / regex_cache.FILE_NAME).exists()
    for n in range(regex_cache.SMALL[0]):
        re.compile(f"one of several {n}+")
    regex_cache.save(tmp_path)
    kept = regex_cache._kept(whole_file.read(tmp_path / regex_cache.FILE_NAME))
    assert {item[1] for item in kept} >= {f"one of several {n}+" for n in range(regex_cache.SMALL[0])}


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
                    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20))
def test_whole_file_reads_back_what_it_wrote_and_nothing_from_a_damaged_copy(data):
    raw = whole_file.dumps(data)
    assert whole_file.loads(raw) == data
    assert whole_file.loads(raw[:-1]) is None
    assert whole_file.loads(raw + b"x") is None
    assert whole_file.loads(b"") is None and whole_file.loads(raw[: len(whole_file.MARK)]) is None


def test_a_command_run_again_on_what_it_saw_compiles_little_and_writes_nothing(tmp_path, sample_repo):
    """The command line's check: its second run makes what the first compiled; a third, on the same
    library, finds nothing new worth keeping and leaves the file as it was."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    file = tmp_path / "cache" / "malone-editor" / regex_cache.FILE_NAME
    command = [sys.executable, "-m", "editor", "check", str(sample_repo), "--format", "json", "--no-cache"]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    assert len(regex_cache._kept(whole_file.read(file))) > 50  # the settings', Markdown's, YAML's and the rules' patterns
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    before = file.stat()
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    after = file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
