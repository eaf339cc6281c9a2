"""The link index's fast path (``editor.checks.link_scan``): whenever the plain scan accepts a
body, ``extract`` gives exactly the links the markdown-it reading gives (target, kind, line,
column, where); it refuses what it cannot be sure of; and it accepts the bodies the team writes."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from editor.checks.link_index import extract
from editor.checks.link_scan import scan
from editor.content.entry import Entry

ROOT = Path(__file__).resolve().parent.parent
MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = ["Hello", "baby", "sleep,", "feel.", "ünïcödé", "日本語", "🙂", "café", "A:", "Q:", "1", "(see", "this)",
         "it's", '"perfect"', "a&b", "*so*", "**much**", "_very_", "~~old~~", "-", "+", "=", "?", "!", ":",
         "\u00a0", "\u3000"]
ODD = ["&", ";", "*", "**", "_", "~~", "#", ")", "(", "]", "[", "![", "!", "]:", "\u2028", "\t", " ", "`",
       "<", "\\", "|", "&amp;", "http", "www.x.org"]
TARGETS = ["?tab=journal", "?tab=modules&module=sleep", "?tab=modules&module=sleep&section=naps", "?tab=",
           "?", "?tab=journal#top", "https://example.org/a", "https://www.nimh.nih.gov/health/topics/x",
           "http://example.org", "https://bücher.example/x", "https://exa_mple..org", "HTTPS://EXAMPLE.ORG/A",
           "https:/example.org", "https//example.org", "htps://example.org", "mailto:ana@example.org",
           "mailto:nobody", "tel:988", "javascript:alert(1)", "www.example.org", "example.org/page",
           "notes.md", "#anchor", "ftp://example.org", "https://example.org/a_b*c~d", "https://x.org/é?q=1",
           "https://example.org/\u00a0", "\u00a0?tab=home", "https://x.org/a_(b)", "https://x.org/a b",
           "<https://x.org/a b>", "https://x.org/&amp;", "https://x.org/\\_a", "", " ?tab=home", "a(b",
           "https://example.org/%20x", "https://[::1]/", "https://example.org:99999/"]
TITLES = ["", ' "A title"', ' "title with http://x.org"', " 'single'", " (paren)", '  "t"  ', ' "t"x', " ",
          '\t"t"', ' "a\\"b"', ' "&amp;"']
TEXTS = ["Tap here", "journal", "", "*emphasis*", "**strong** words", "ünï 🙂", "a [b] c", "a\nb", "`code`",
         "https://shown.example", "x\\]", "<b>x</b>", "~~old~~", "a_b_", "!"]
PREFIXES = ["", "- ", "* ", "+ ", "1. ", "10) ", "### ", "## Q: ", "  ", "   ", "    ", "  - ", "    - "]
ODD_PREFIXES = ["#", "      ", "\t", "-     ", "-\t", "> ", "- - ", "-", "1.", "| ", "```", "~~~", "=== ", "---",
                "    ### ", "- # ", "-    "]
WHOLE_LINES = ["", "", "---", "===", "***", "- - -", "```", "```python", "~~~", "| a | b |", "|---|---|",
               "[ref]: https://example.org/ref", "[ref]: ?tab=journal", "<div>", "</div>", "<!-- note -->",
               "    indented [code](https://example.org/code)", "\tcode [x](?tab=home)",
               "Visit https://bare.example/page today.", "See www.example.org.", "HTTP://SHOUT.EXAMPLE/",
               "A line with a [ref] and [full][ref] and [ref][].", "&copy; 2024 &#169;", "a\\*b", "-"]
ENDINGS = ["\n"] * 8 + ["\r\n"] * 3 + ["\n\n"] * 4 + ["\r\n\r\n", "  \n", "\n   \n", "\r", "\\\n"]


def link(text: str, target: str, title: str, image: bool) -> str:
    return f"{'!' if image else ''}[{text}]({target}{title})"


LINKS = st.builds(link, st.sampled_from(TEXTS), st.sampled_from(TARGETS), st.sampled_from(TITLES),
                  st.booleans())
REAL_LINKS = st.builds(link, st.sampled_from(["Tap here", "journal", "*the guide*", "ünï 🙂", "**NIMH**", ""]),
                       st.sampled_from(TARGETS[:15]), st.sampled_from(["", ' "A title"']), st.booleans())
WORD = st.sampled_from(WORDS)
SEPARATORS = st.lists(st.sampled_from([" ", " ", " ", "", "\t", "  "]), min_size=8, max_size=8)


def line_of(prefix: str, pieces: list[str], separators: list[str]) -> str:
    return prefix + "".join(p + s for p, s in zip(pieces, separators))


# mostly lines as the team writes them; now and then one with an odd piece, prefix or shape
SAFE_LINE = st.builds(line_of, st.sampled_from(PREFIXES), st.lists(st.one_of(WORD, WORD, REAL_LINKS), max_size=8),
                      SEPARATORS)
ODD_PIECE = st.one_of(LINKS, st.sampled_from(ODD), st.text(max_size=3))
ODD_LINE = st.one_of(
    st.builds(line_of, st.sampled_from(PREFIXES + ODD_PREFIXES),
              st.lists(st.one_of(WORD, REAL_LINKS, ODD_PIECE), max_size=8), SEPARATORS),
    st.builds(lambda line, odd, at: line[:at] + odd + line[at:], SAFE_LINE, ODD_PIECE, st.integers(0, 80)),
    st.sampled_from(WHOLE_LINES))
LINE = st.one_of(*[SAFE_LINE] * 12, ODD_LINE)
REAL_LINE = st.builds(lambda prefix, pieces: prefix + " ".join(pieces),
                      st.sampled_from(["", "", "- ", "* ", "1. ", "### ", "  "]),
                      st.lists(st.one_of(st.sampled_from(["Hello", "baby", "sleep,", "feel.", "ünïcödé", "🙂",
                                                          "*so*", "**much**", "(see", "this)", "1", "it's"]),
                                         REAL_LINKS), max_size=8))
SOURCES = st.lists(st.sampled_from(["https://pmc.ncbi.nlm.nih.gov/articles/PMC1/", "http://example.org",
                                    "https://exa mple.org", "ftp://x", "not a url", "https://x.org/a"]), max_size=3)


def body_of(lines: list[str], endings: list[str]) -> str:
    return "".join(line + ending for line, ending in zip(lines, endings))


def entry_of(body: str, sources: list[str] | None, frontmatter: bool = True) -> Entry:
    if not frontmatter:
        return Entry.from_text("entries/x.md", body)
    head = "---\nid: x\nmodule: sleep\nstatus: draft\n"
    if sources is not None:
        head += "sources:\n" + "".join(f"  - {url}\n" for url in sources) if sources else "sources: []\n"
    return Entry.from_text("entries/x.md", head + "---\n" + body)


def same_or_refused(entry: Entry) -> bool:
    """The fast path's answer equals markdown-it's, when it gives one."""
    slow = extract(entry, fast=False)
    if scan(entry.body) is None:
        return False
    assert extract(entry) == slow
    return True


@MANY
@given(st.lists(LINE, min_size=1, max_size=10), st.lists(st.sampled_from(ENDINGS), min_size=10, max_size=10),
       st.one_of(st.none(), SOURCES), st.booleans())
def test_fast_path_is_markdown_it_or_refuses(lines, endings, sources, frontmatter):
    entry = entry_of(body_of(lines, endings), sources, frontmatter)
    event("read fast" if same_or_refused(entry) else "refused")
    event("has links" if scan(entry.body) else "no link read fast")


REAL_BODY = st.builds(lambda lines, endings: body_of(["### Q: What helps?", "", "A: Rest [when you can](?tab=journal).",
                                                     "", *lines], ["\n"] * 4 + endings),
                      st.lists(st.one_of(REAL_LINE, SAFE_LINE), min_size=1, max_size=12),
                      st.lists(st.sampled_from(["\n", "\n", "\n\n", "\r\n", "\r\n\r\n"]), min_size=12, max_size=12))
ODD_THING = st.one_of(ODD_PIECE, st.sampled_from(ODD_PREFIXES), st.sampled_from(WHOLE_LINES).map(lambda x: x + "\n"),
                      st.sampled_from(ENDINGS))


@MANY
@given(REAL_BODY, st.lists(st.tuples(ODD_THING, st.integers(0, 10_000)), min_size=1, max_size=2),
       st.one_of(st.none(), SOURCES))
def test_one_odd_thing_anywhere_in_a_real_body(body, odd, sources):
    for thing, at in odd:
        at %= len(body) + 1
        body = body[:at] + thing + body[at:]
    entry = entry_of(body, sources)
    event("read fast" if same_or_refused(entry) else "refused")
    event("has links" if scan(entry.body) else "no link read fast")


@MANY
@given(st.lists(REAL_LINE, min_size=1, max_size=12), st.lists(st.sampled_from(["\n", "\n\n", "\r\n"]),
                                                              min_size=12, max_size=12), SOURCES)
def test_bodies_as_the_team_writes_them_are_read_fast_and_the_same(lines, endings, sources):
    body = body_of(["### Q: What helps?", "", "A: Rest [when you can](?tab=journal).", "", *lines], ["\n"] * 4 +
                   endings)
    assert same_or_refused(entry_of(body, sources)), body


@pytest.mark.parametrize("body", [
    "A: [a](`x`)\n", "`[a](https://x.org)`\n", "```\n[a](?tab=home)\n```\n", "~~~\n[a](?tab=home)\n~~~\n",
    "    [a](?tab=home)\n", "### Q\n    [a](?tab=home)\n", "Text\n\n    [a](?tab=home)\n", "\t[a](?tab=home)\n",
    "-     [a](?tab=home)\n", "-\t[a](?tab=home)\n", "> [a](?tab=home)\n", "- > [a](?tab=home)\n",
    "<a href=\"https://x.org\">x</a>\n", "<https://x.org>\n", "[a](<?tab=home>)\n", "\\[a](?tab=home)\n",
    "[a][r]\n\n[r]: ?tab=home\n", "[r]\n", "[a [b](?tab=home)](?tab=journal)\n", "[a](?tab=(home))\n",
    "[a](?tab=home x)\n", "[a]( ?tab=home)\n", "[a](?tab=home 'title')\n", "[a\nb](?tab=home)\n",
    "[a](https://x.org/&amp;)\n", "Read https://x.org now\n", "[https://x.org](?tab=home)\n",
    "[a](?tab=home \"see http://x.org\")\n", "| [a](?tab=home) | b |\n|---|---|\n", "a]\n", "a\rb [a](?tab=home)\n",
    "[a]()\n",
])
def test_what_the_scan_refuses(body):
    assert scan(body) is None
    same_or_refused(entry_of(body, None))


@pytest.mark.parametrize("body, targets", [
    ("A: Rest [here](?tab=journal) and ![a picture](https://x.org/p.png \"title\").\r\n",
     ["?tab=journal", "https://x.org/p.png"]),
    ("- **[Journal](?tab=journal)**\n- item\n    continued [on](?tab=home)\n", ["?tab=journal", "?tab=home"]),
    ("### Q: [x](mailto:a@b.co)\n", ["mailto:a@b.co"]),
    ("1. [a]( ?tab=home) ?\n", None),
])
def test_what_the_scan_accepts(body, targets):
    if targets is None:
        assert scan(body) is None
        return
    assert scan(body) == [(t, body.index("](" + t) + 2) for t in targets]
    assert same_or_refused(entry_of(body, ["https://x.org/a"]))


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if p.name != "README.md")


@pytest.mark.parametrize("folder, share", [("sample_content", 0.9), ("tests/corpus", 0.8),
                                           ("tests/corpus_heldout", 0.8)])
def test_every_real_entry_is_read_the_same(folder, share):
    files = _entries(ROOT / folder)
    assert files
    accepted = sum(same_or_refused(Entry.from_bytes(p.as_posix(), p.read_bytes())) for p in files)
    assert accepted >= share * len(files), f"{accepted} of {len(files)}"


def test_a_generated_library_is_read_fast_and_the_same(tmp_path):
    from benchmarks.generate import generate

    root = generate(tmp_path / "library", 300)
    files = _entries(root / "entries")
    accepted = sum(same_or_refused(Entry.from_bytes(p.as_posix(), p.read_bytes())) for p in files)
    assert accepted >= 0.95 * len(files), f"{accepted} of {len(files)}"
