"""The ``sources`` reader without YAML (``editor.checks.link_sources``): whenever it accepts a
frontmatter, it gives exactly the addresses and spans the YAML parse gives (``span_for``), and the
YAML it accepted is valid; it refuses what it cannot be sure of; it accepts the frontmatters the
team writes; and the link index built without YAML is the one built with it."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from editor.checks import link_index, link_sources
from editor.checks.link_index import _uses_of, extract
from editor.checks.link_sources import read_sources
from editor.content import frontmatter as fmlib
from editor.content.entry import Entry

ROOT = Path(__file__).resolve().parent.parent
MANY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BODY = "### Q: What helps?\n\nA: Rest [when you can](?tab=journal), see [NIMH](https://www.nimh.nih.gov/x).\n"

KEYS = ["id", "module", "status", "title", "tags", "note", "x_y", "a-b", "on", "yes", "null", "Sources", "review"]
ODD_KEYS = ["<<", "'id'", '"id"', "? id", "id ", "日本", "-id", "1", "sources ", "source"]
VALUES = ["sleep", "entry-00001", "draft", "in-review", "2026-09-01", "1095", "3.5", "true", "~", "null",
          "Sleep, rest and you", "café ünï", "日本語 🙂", "a:b", "https://x.org/a", "0x1F", "0b101", "0o7", "1:30",
          ".inf", "1.e+5", "07", "08", "ana.ruiz@example.org", "x/y", "a-", "a -b", "a  b", "+1", "a=b", "é?"]
ODD_VALUES = ["'quoted'", '"quoted"', "a: b", "a #c", "x:", "&anchor v", "*alias", "!tag v", "!!str v", "|", ">",
              "|-", "{a: b}", "{}", "[a, [b]]", "[a,", "- x", "? x", "%x", "@x", "`x`", "=", "0b_", "0x_", "._",
              "1_000", "-1", "a\tb", '"a\\"b"', "it's", "a]", "a}", "x # y", "a:\tb", "\u00a0x", "x\u00a0",
              "a\u2028b", "a\x85b", "a\x07b", "\ufeffx", "a\rb", "[a] b", "#x", ",x", "a,", "x: y: z", "<<", "<<x"]
FLOW_ITEMS = ["a", "night-feeds", "x.y", "ünï", "12", "1.5", '"quoted"', '"a b"', '"x: y"', '"café"', '""']
ODD_FLOW_ITEMS = ["a b", "'s'", "a:b", "1_0", "0x_", "-a", "[a]", "{a}", "*a", "&a", "!a", "#a", '"a\\"', "?", ""]
URLS = ["https://pmc.ncbi.nlm.nih.gov/articles/PMC6016143/", "https://www.nhs.uk/mental-health/conditions/x/",
        "http://example.org", "HTTPS://X.ORG/B", "https://bücher.example/ü", "https://x.org/a#frag",
        "https://x.org/?a=1&b=2", "https://x.org/%20", "https://x.org/a_(b)", "https://x.org/a*b!c~d",
        "https://x.org/a,b;c", "https://x.org/a:b", "https://exa_mple..org", "https://x.org/@me$"]
ODD_ITEMS = ["https://x.org/a:", "https://x.org/a: b", "https://x.org/a #c", "'https://x.org'", '"https://x.org"',
             "https://x.org/it's", "ftp://x.org", "not a url", "mailto:a@b.co", "1", "true", "~", "", "- https://x",
             "https://x.org/a b", "https://x.org/[1]", "https://x.org/{a}", "&a https://x", "*a", "!t https://x",
             "https://x.org/\u00a0", "https://x.org/a\u2028b", "https://x.org/a\tb", "[https://x.org]",
             "https://x.org/<a>", "https://x.org/a\\b", "https://x.org/a|b", "https://x.org/a^b", "? x", ":x",
             "http//x.org", "https:", "key: https://x.org", "https://[::1]/"]
HEADERS = ["sources:"] * 6 + ["sources:  ", "sources:   # the evidence", "sources: []"]
ODD_HEADERS = ["sources: [https://a.org, https://b.org]", "sources: [ ]", "sources: https://x.org", "sources: ~",
               "sources: {}", "sources: &a", "sources: !!seq", "sources:#x", "sources :", "'sources':",
               "sources: |", "sources: >", "sources: [https://a.org", "sources: - https://x.org"]
WHOLE_ODD = ["---", "...", "--- x", "%YAML 1.1", "  more words", "\t- x", "    - deeper", "- x", "? x", ": y",
             "  # indented comment", "#comment", "", "   ", "key", "*alias", "&a", "!tag", "<<: *a", "[a, b]",
             "{a: b}", "sources:", "\ufeff", "- [a]", "a: b: c"]


def pick(draw, clean: bool, choices: list[str], odd: list[str]) -> str:
    """One of ``choices``; unless ``clean``, now and then one of ``odd`` instead."""
    if clean or draw(st.integers(0, 7)):
        return draw(st.sampled_from(choices))
    return draw(st.sampled_from(odd))


def flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def value(draw, clean: bool) -> str:
    if draw(st.integers(0, 2)):
        return pick(draw, clean, VALUES, ODD_VALUES)
    return flow([pick(draw, clean, FLOW_ITEMS, ODD_FLOW_ITEMS) for _ in range(draw(st.integers(0, 4)))])


def key(draw, clean: bool, used: set[str], choices: list[str], odd: list[str]) -> str:
    """A key not used yet (unless not ``clean``: then perhaps one used already, or an odd one)."""
    name = pick(draw, clean, choices, odd)
    if name in used and (clean or draw(st.integers(0, 3))):
        name = f"{name}{len(used)}"
    used.add(name)
    return name


def top_line(draw, clean: bool, used: set[str]) -> list[str]:
    separator = " " if clean else draw(st.sampled_from([" ", " ", " ", "  ", ""]))
    return [f"{key(draw, clean, used, KEYS, ODD_KEYS)}:{separator}{value(draw, clean)}"]


def sources_block(draw, clean: bool, used: set[str]) -> list[str]:
    if "sources" in used and (clean or draw(st.integers(0, 3))):
        return top_line(draw, clean, used)
    used.add("sources")
    header = pick(draw, clean, HEADERS, ODD_HEADERS)
    lines = [header]
    indent = " " * draw(st.sampled_from([0, 2, 2, 2, 4, 4, 1, 3]))
    for _ in range(draw(st.sampled_from(range(6))) if header == "sources:" or not clean else 0):
        dash = pick(draw, clean, ["- ", "- ", "- ", "-  "], ["-\t", "-"])
        lines.append(indent + dash + pick(draw, clean, URLS, ODD_ITEMS))
        if draw(st.integers(0, 8)) == 0:  # now and then: a blank or comment line, or a line out of place
            lines.append(pick(draw, clean, ["", "# between", indent + "  # deeper comment"],
                              [indent + "  more", " " + indent + "- https://x.org/o", indent[:-1] + "- https://x.org/u"]))
    return lines


def block(draw, clean: bool, used: set[str]) -> list[str]:
    """``key:`` and a block under it: a list or a mapping (the ``review:`` block), as written."""
    name = key(draw, clean, used, ["review", "tags", "extra"], ODD_KEYS)
    indent = " " * draw(st.sampled_from([2, 2, 2, 4, 4, 0, 1, 3]))
    if draw(st.booleans()):
        return [f"{name}:"] + [indent + "- " + value(draw, clean) for _ in range(draw(st.integers(0, 3)))]
    subkeys = ["reviewer", "reviewed_on", "next_review", "body_sha256", "sources"]
    inner: set[str] = set(used) if indent == "" else set()  # at indentation 0 they are top-level keys
    lines = [f"{name}:"] + [indent + key(draw, clean, inner, subkeys, ODD_KEYS) + ": " + value(draw, clean)
                            for _ in range(draw(st.integers(0, 4)))]
    if indent == "":
        used |= inner
    return lines


def piece(draw, clean: bool, used: set[str]) -> list[str]:
    kind = draw(st.sampled_from(range(13)))
    if kind < 5:
        return top_line(draw, clean, used)
    if kind < 9:
        return sources_block(draw, clean, used)
    if kind < 11:
        return block(draw, clean, used)
    if kind < 12 and not clean:
        return [draw(st.sampled_from(WHOLE_ODD))]
    return [draw(st.sampled_from(["", "# a comment", "   ", "  # indented"]))]


@st.composite
def frontmatter_text(draw) -> str:
    """A frontmatter from a grammar of the lines the team writes; in half the examples, now and then
    an odd line, value, key, indentation, line ending or character (or a key twice)."""
    clean = draw(st.booleans())
    used: set[str] = set()
    lines = [line for _ in range(draw(st.sampled_from(range(9)))) for line in piece(draw, clean, used)]
    crlf = draw(st.integers(0, 3)) == 0
    text = ""
    for line in lines:
        ending = "\r\n" if crlf else "\n"
        if not clean and draw(st.integers(0, 15)) == 0:
            ending = draw(st.sampled_from(["\r\n", "\n", "\r", "\x85", "\u2028", "\t\n"]))
        text += line + draw(st.sampled_from(["", "", "", " ", "  "])) + ending
    return text


REAL_FM = st.builds(
    lambda keys, sources, review, crlf: "".join(line + ("\r\n" if crlf else "\n") for line in
                                                (keys[:2] + sources + keys[2:] + review)),
    st.permutations(["id: entry-00001", "module: sleep", "status: approved", 'tags: ["night-feeds", "sleep"]',
                     "tags_plain: [rest, coping]"]),
    st.builds(lambda header, indent, items: [header] + [" " * indent + "- " + item for item in items],
              st.sampled_from(["sources:", "sources:  # evidence"]), st.sampled_from([0, 2, 4]),
              st.lists(st.sampled_from(URLS), max_size=5)),
    st.sampled_from([[], ["review:", "  reviewer: ana.ruiz@example.org", "  reviewed_on: 2026-09-01",
                          "  body_sha256: 63ee2439786287cd733fd970a31b5a1e"],
                     ["review:", "    reviewer: ana.ruiz@example.org", "    next_review: 2029-08-31"]]),
    st.booleans())


def yaml_oracle(yaml_text: str) -> tuple[fmlib.Frontmatter | None, list | None]:
    """The YAML parse of the text, and each item of ``sources`` with its span (None: no list)."""
    fm = fmlib.Frontmatter(yaml_text, 2, 2 + yaml_text.count("\n"), 0)
    try:
        fmlib.parse(fm)
    except (ValueError, TypeError):  # YAML fails to build a value ("0b_"): the entry cannot be read
        return None, None
    sources = fm.data.get("sources") if isinstance(fm.data, dict) else None
    if not isinstance(sources, list):
        return fm, None
    return fm, [(item, fm.span_for(("sources", index))) for index, item in enumerate(sources)]


def fast_is_yaml_or_refused(yaml_text: str) -> bool:
    """True when the fast reader accepted (and then agrees with YAML exactly), False when it refused."""
    fast = read_sources(yaml_text, 2)
    if fast is None:
        return False
    fm, sources = yaml_oracle(yaml_text)
    assert fm is not None, "accepted a text YAML cannot build"
    assert fm.error is None, f"accepted invalid YAML: {fm.error}"
    assert fm.data is None or isinstance(fm.data, dict)
    assert fast == (sources or []), (fast, sources)
    assert all(isinstance(url, str) and url.lower().startswith(("http://", "https://")) for url, _ in fast)
    return True


def whole_entry_same(path: str, raw: bytes) -> None:
    """The index built without YAML is the one built with it, and the one markdown-it would give."""
    entry = Entry.from_bytes(path, raw)
    slow = extract(entry, fast=False)
    assert extract(entry) == slow
    assert _uses_of(path, raw) == slow


@MANY
@given(frontmatter_text())
def test_fast_sources_are_yaml_or_refused(yaml_text):
    accepted = fast_is_yaml_or_refused(yaml_text)
    event("accepted" if accepted else "refused")
    event("has sources:" if "sources" in yaml_text else "no sources:")
    if accepted:
        event(f"{len(read_sources(yaml_text))} sources")
        event("CRLF" if "\r\n" in yaml_text else "LF")
        text = "---\n" + yaml_text + "---\n" + BODY
        whole_entry_same("entries/x.md", text.encode("utf-8"))


@MANY
@given(REAL_FM)
def test_frontmatters_as_the_team_writes_them_are_accepted_and_the_same(yaml_text):
    assert fast_is_yaml_or_refused(yaml_text), yaml_text
    whole_entry_same("entries/x.md", ("---\n" + yaml_text + "---\n" + BODY).encode("utf-8"))


@MANY
@given(REAL_FM, st.sampled_from(ODD_VALUES + ODD_ITEMS + WHOLE_ODD + ODD_HEADERS + ["\t", "'", '"', "#", ": ",
                                                                                  "\r", "&", "*", "!", "|", "{"]),
       st.integers(0, 10_000))
def test_one_odd_thing_anywhere_in_a_real_frontmatter(yaml_text, odd, at):
    at %= len(yaml_text) + 1
    yaml_text = yaml_text[:at] + odd + yaml_text[at:]
    event("accepted" if fast_is_yaml_or_refused(yaml_text) else "refused")


@pytest.mark.parametrize("yaml_text", [
    "sources:\n\t- https://x.org\n", "sources:\n  - 'https://x.org'\n", 'sources:\n  - "https://x.org"\n',
    "sources: &s\n  - https://x.org\n", "sources:\n  - *s\n", "sources:\n  - !!str https://x.org\n",
    "<<: {a: b}\nsources:\n  - https://x.org\n", "%YAML 1.1\n", "id: x\n---\nsources:\n  - https://x.org\n",
    "id: x\n...\n", "id: {a: b}\n", "sources: [https://x.org]\n", "sources: |\n  https://x.org\n",
    "note: >\n  folded\n", "title: a long\n  title\n", "sources:\n  - https://x.org\nsources:\n  - https://y.org\n",
    "sources:\n  - ftp://x.org\n", "sources:\n  - true\n", "sources:\n  - https://x.org # c\n",
    "title: a #b\n", "title: ends:\n", "sources:\n  - https://x.org/a: b\n", "sources:\n  - https://x.org/a:\n",
    "sources:\n  - https://a.org\n    - https://b.org\n", "sources:\n    - https://a.org\n  - https://b.org\n",
    "id: x\rsources:\r  - https://x.org\r", "\ufeffid: x\n", "id: 0b_\n", "id: =\n", "review:\n  reviewer:\n",
    "  id: x\n", "sources:\n- https://a.org\n  - https://b.org\n", "sources:\n  -\n", "sources:\n  - - https://x\n",
    "id: x\u2028sources: []\n", "id: x\x85\n", "review:\n  a: b\n  - c\n", "tags:\n  - a\n  b: c\n",
])
def test_what_the_reader_refuses(yaml_text):
    assert read_sources(yaml_text) is None
    fast_is_yaml_or_refused(yaml_text)


SPECIAL = ["...", "---", ".", "-", "!", "<<", "<", "?", "@", "a\u00a0", "0o_", "1__", "+_", ".nan", "0b", "0x", "1:60",
           "190:20:30.15", "1e_", "2001-13-45", "2001-12-14t21:59:43.10-05:00", "1:_", "+.", "+", "0.0.0", "1:30:",
           "9" * 400, "a" * 2000, "1e5", "+1:2", "1:2.e+3", "0b1_", "+0x_", "+.inf", "yes:no", "a :b", "~", "Null"]


@pytest.mark.parametrize("value", SPECIAL)
def test_values_yaml_reads_specially_are_refused_or_the_same(value):
    for text in [f"k: {value}\n", f"k:\n  - {value}\n", f"k:\n  s: {value}\n", f"k: [{value}]\n"]:
        fast_is_yaml_or_refused(text + "sources:\n  - https://x.org/a\n")


@pytest.mark.parametrize("yaml_text, expected", [
    ("", []), ("# only a comment\n", []), ("id: x\n", []), ("sources:\n", []), ("sources: []\n", []),
    ("sources: https://x.org\n", []),
    ("id: x\r\nsources:\r\n  - https://x.org/a  \r\n", [("https://x.org/a", (4, 5, 4, 20))]),
    ("sources:\n- https://x.org/a\nid: x\n", [("https://x.org/a", (3, 3, 3, 18))]),
    ("title: café 🙂\nsources:   # evidence\n\n    # the first\n    -   https://bücher.example/ü\n",
     [("https://bücher.example/ü", (6, 9, 6, 33))]),
    ('tags: ["a b", c]\nreview:\n  reviewer: ana@example.org\nsources:\n  - https://x.org\n  - http://y.org\n',
     [("https://x.org", (6, 5, 6, 18)), ("http://y.org", (7, 5, 7, 17))]),
])
def test_what_the_reader_accepts(yaml_text, expected):
    assert [(url, (s.line, s.column, s.end_line, s.end_column)) for url, s in read_sources(yaml_text)] == expected
    assert fast_is_yaml_or_refused(yaml_text)


def test_the_yaml_path_stays_behind_a_flag(monkeypatch):
    text = "---\nid: x\nsources:\n  - https://x.org/a\n---\n" + BODY
    entry = Entry.from_text("entries/x.md", text)
    fast = extract(entry)
    monkeypatch.setattr(link_sources, "ENABLED", False)
    assert link_sources.fast_sources(entry.frontmatter) is None
    assert extract(entry) == fast == _uses_of("entries/x.md", text.encode())
    assert any(use.where == link_index.SOURCES for use in fast)


def test_a_typical_entry_is_never_parsed_by_yaml(monkeypatch):
    def no_yaml(fm):
        raise AssertionError("parsed by YAML")

    monkeypatch.setattr(fmlib, "parse", no_yaml)
    raw = (ROOT / "sample_content/entries/self-care/self-care-in-small-moments.md").read_bytes()
    uses = _uses_of("entries/a.md", raw)
    assert [u.target for u in uses if u.where == link_index.SOURCES] == [
        "https://www.nimh.nih.gov/health/topics/caring-for-your-mental-health",
        "https://www.who.int/news-room/fact-sheets/detail/mental-health-strengthening-our-response"]
    monkeypatch.undo()
    assert uses == extract(Entry.from_bytes("entries/a.md", raw), fast=False)


def _share(files: list[Path]) -> tuple[int, int]:
    """Check every file (sources exactly, the whole entry's links the same); of the files with a
    closed frontmatter (the others have no YAML to avoid), how many the reader accepted."""
    accepted = total = 0
    for path in files:
        raw = path.read_bytes()
        whole_entry_same(path.as_posix(), raw)
        fm = Entry.from_bytes(path.as_posix(), raw).frontmatter
        if fm is not None and fm.closed:
            total += 1
            accepted += fast_is_yaml_or_refused(fm.yaml_text)
    return accepted, total


@pytest.mark.parametrize("folder, share", [("sample_content", 0.95), ("tests/corpus", 0.9),
                                           ("tests/corpus_heldout", 0.9)])
def test_every_real_entry_is_read_the_same(folder, share):
    files = sorted(p for p in (ROOT / folder).rglob("*.md") if p.name != "README.md")
    accepted, total = _share(files)
    print(f"{folder}: {accepted} of {total} frontmatters ({len(files)} files) read without YAML")
    assert total and accepted >= share * total, f"{accepted} of {total}"


def test_a_generated_library_is_read_without_yaml_and_the_same(tmp_path):
    """2,000 generated entries (all 10,000 of the benchmark's library were checked once: all accepted, all the same)."""
    from benchmarks.generate import generate

    root = generate(tmp_path / "library", 2_000)
    accepted, total = _share(sorted((root / "entries").rglob("*.md")))
    print(f"generated library: {accepted} of {total} frontmatters read without YAML")
    assert total == 2_000 and accepted >= 0.99 * total, f"{accepted} of {total}"
