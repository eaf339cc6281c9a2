"""Adversarial tests of the document model: "what the reader sees is what gets checked".

Each case writes one entry into a copy of sample_content and runs ``malone-editor check --format json``
in-process (as tests/test_reader_faithful.py does), then compares the file text at the reported span with
the words the reader sees, and, where it matters, what the preview (``editor.render.html``) shows.
The failing tests are the ones the model gets wrong today; none is marked xfail. The property tests at
the end (parse_body never raises, every span inside the body, preview and check agree on broken links)
are what held.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.checks import CheckContext, module_links
from editor.checks.view import EntryView
from editor.cli import main
from editor.content.entry import Entry
from editor.content.markdown import parse_body
from editor.content.repository import Repository
from editor.render.html import RenderOptions, render_body, render_entry

SAMPLE = Path(__file__).resolve().parents[1] / "sample_content"
ENTRY = "entries/sleep/reader-faithful.md"
HEAD = "---\nid: reader-faithful\nmodule: sleep\nstatus: draft\n---\n### Q: What helps on hard days?\n\n"


def entry(answer: str) -> str:
    """A valid draft entry whose answer's first paragraph starts with ``A: answer``."""
    return f"{HEAD}A: {answer}\n"


def check(capsys, repo, text: str) -> tuple[int, list[dict]]:
    """Exit status of ``check REPO ENTRY --format json`` and the findings for ENTRY."""
    (repo / ENTRY).write_bytes(text.encode("utf-8"))
    code = main(["check", str(repo), ENTRY, "--format", "json", "--no-cache", "--jobs", "1"])
    report = json.loads(capsys.readouterr().out)
    return code, [f for f in report["findings"] if f["path"] == ENTRY]


def link_report(capsys, repo, text: str) -> list[dict]:
    """The rows of ``links --format json`` that ENTRY uses."""
    (repo / ENTRY).write_bytes(text.encode("utf-8"))
    main(["links", str(repo), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    return [row for row in report["targets"] if any(u["path"] == ENTRY for u in row["used_by"])]


def sliced(text: str, finding: dict) -> str:
    """The file text (lines end at LF) between a finding's start and end."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    start = starts[finding["line"] - 1] + finding["column"] - 1
    end = starts[finding["end_line"] - 1] + finding["end_column"] - 1
    return text[start:end]


def of_rule(findings: list[dict], rule: str) -> list[dict]:
    return [f for f in findings if f["rule"] == rule]


def describe(text: str, findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["severity"], f["line"], f["column"], sliced(text, f)) for f in findings
            if f["rule"] != "misspelling"]


def preview(repo, text: str) -> str:
    repository = Repository.open(repo)
    return render_entry(Entry.from_text(ENTRY, text), repository.registry)


def underlined(capsys, repo, text: str, rule: str) -> list[str]:
    """The file text each finding of ``rule`` underlines."""
    _, findings = check(capsys, repo, text)
    return [sliced(text, f) for f in of_rule(findings, rule)] or [f"no {rule}: {describe(text, findings)}"]


# ---- a finding underlines exactly the words, wherever they stand ------------------------------

SPANS = [  # (id, answer, rule, the words the finding must underline)
    # a table cell holding an escaped pipe: the finding covers the whole cell ("x \| committed suicide")
    ("table-cell-with-escaped-pipe", "Hi.\n\n| a |\n|---|\n| x \\| committed suicide |", "suicide-commit", "committed suicide"),
    # an HTML block in a blockquote: the finding covers "\n> Her brother committed suicide.\n"
    ("html-block-in-blockquote", "Hi.\n\n> <div>\n> Her brother committed suicide.\n> </div>", "suicide-commit",
     "committed suicide"),
    # an HTML block in a list item, over three lines: the finding covers the whole line and both breaks
    ("html-block-in-list-item", "Hi.\n\n- <div>\n  Her brother committed suicide.\n  </div>", "suicide-commit",
     "committed suicide"),
    # an entity anywhere in an HTML block's text: the finding covers all the text between the tags
    ("html-block-with-entity", "Hi.\n\n<div>Her brother committed suicide &amp; more.</div>", "suicide-commit",
     "committed suicide"),
    # a tab-indented HTML block in a list item: the finding is shifted one character right ("ommitted suicide.")
    ("tab-indented-html-block-in-list", "Hi.\n\n- A list item.\n\n\t<div>Her brother committed suicide.</div>",
     "suicide-commit", "committed suicide"),
    # a link title holding an entity: the finding covers the whole title
    ("link-title-with-entity", 'See [help](https://example.org "her brother committed suicide &amp; more") today.',
     "suicide-commit", "committed suicide"),
    # a reference definition's title: the finding covers the whole definition line
    ("definition-title", 'See [help][x] today.\n\n[x]: https://example.org "her brother committed suicide"',
     "suicide-commit", "committed suicide"),
    # a backslash before a letter escapes nothing and is shown, yet the finding starts at it ("\kill myself")
    ("backslash-before-a-letter", "I want to \\kill myself.", "crisis-resource-required", "kill myself"),
]


@pytest.mark.parametrize("answer, rule, words", [s[1:] for s in SPANS], ids=[s[0] for s in SPANS])
def test_finding_underlines_exactly_the_words(capsys, sample_repo, answer, rule, words):
    text = entry(answer)
    assert underlined(capsys, sample_repo, text, rule) == [words]


def test_finding_in_an_html_block_of_a_crlf_file_underlines_exactly_the_words(capsys, sample_repo):
    # CRLF file, an HTML block over several lines: the finding covers "\r\nHer brother ... hard.\r"
    text = entry("Hi.\n\n<div>\nHer brother committed suicide.\nIt was hard.\n</div>").replace("\n", "\r\n")
    assert underlined(capsys, sample_repo, text, "suicide-commit") == ["committed suicide"]


@pytest.mark.parametrize("answer", [
    "See [x](< ?tab=modules&module=nope>) now.",
    "See [x].\n\n[x]: < ?tab=modules&module=nope>",
    "See [x](<\t?tab=modules&module=nope>) now.",
], ids=["inline-space", "definition-space", "inline-tab"])
def test_in_app_target_in_angle_brackets_after_white_space_underlines_the_module(capsys, sample_repo, answer):
    # "<" then a space before the target: the unknown-module finding underlines "=nop", one character early
    text = entry(answer)
    assert underlined(capsys, sample_repo, text, "unknown-module") == ["nope"]


# ---- a phrase is caught however it is written --------------------------------------------------

@pytest.mark.parametrize("answer, rule, words", [
    ("I want to kill<br>myself.", "crisis-resource-required", "kill<br>myself"),  # read as "killmyself"
    ("Her brother committed<br/>suicide.", "suicide-commit", "committed<br/>suicide"),  # read as "committedsuicide"
], ids=["br", "br-self-closing"])
def test_a_line_break_tag_parts_the_words_of_a_phrase(capsys, sample_repo, answer, rule, words):
    text = entry(answer)
    assert underlined(capsys, sample_repo, text, rule) == [words]


@pytest.mark.parametrize("answer, rule, words", [
    ("Her brother com\u200emitted suicide.", "suicide-commit", "com\u200emitted suicide"),  # LEFT-TO-RIGHT MARK in a word
    ("I want to kill\u200e myself.", "crisis-resource-required", "kill\u200e myself"),  # LRM before the space
    ("Her brother com\u2066mitted\u2069 suicide.", "suicide-commit", "com\u2066mitted\u2069 suicide"),  # bidi isolate
], ids=["lrm-in-word", "lrm-before-space", "bidi-isolate"])
def test_an_invisible_direction_mark_does_not_hide_a_phrase(capsys, sample_repo, answer, rule, words):
    text = entry(answer)
    assert underlined(capsys, sample_repo, text, rule) == [words]


def test_a_phrase_right_after_an_autolink_is_read(capsys, sample_repo):
    # the link ends at "story" in the preview, but the prose's address placeholder runs on over "—committed"
    text = entry("Read <https://example.org/story>\u2014committed suicide is a phrase we avoid.")
    assert "</a><span class=\"domain\"> (example.org)</span>\u2014committed suicide" in preview(sample_repo, text)
    assert underlined(capsys, sample_repo, text, "suicide-commit") == ["committed suicide"]


def test_a_phrase_in_a_raw_html_attribute_the_app_shows_is_checked(capsys, sample_repo):
    # the app shows raw HTML as text, so the reader reads the title attribute; the model skips tag text
    text = entry('See <span title="he committed suicide">this</span>.')
    assert "title=&quot;he committed suicide&quot;" in preview(sample_repo, text)
    assert underlined(capsys, sample_repo, text, "suicide-commit") == ["committed suicide"]


def test_a_phrase_inside_code_tags_of_an_html_block_is_checked(capsys, sample_repo):
    # <code> in an HTML block hides its text from the model (inline, the same tags do not), yet the app shows it
    text = entry("Hi.\n\n<p><code>Her brother committed suicide.</code></p>")
    assert "Her brother committed suicide." in preview(sample_repo, text)
    assert underlined(capsys, sample_repo, text, "suicide-commit") == ["committed suicide"]


@pytest.mark.parametrize("answer", [
    "Hi.\n\n- Never\n- She is a bad mother.",  # the "Never" of the list item above negates the next item
    "Hi.\n\n| Not |\n|---|\n| She is a bad mother |",  # a header cell negates the body cell
    "Hi.\n\n- No\n\nShe is a bad mother.",  # a list item negates the paragraph after it
], ids=["list-items", "table-cells", "list-then-paragraph"])
def test_a_negation_does_not_reach_into_the_next_block(capsys, sample_repo, answer):
    text = entry(answer)
    assert underlined(capsys, sample_repo, text, "bad-parent-label") == ["bad mother"]


# ---- a crisis resource counts only if the reader sees it ---------------------------------------

def test_a_crisis_number_between_comments_in_an_html_block_is_shown_and_counts(capsys, sample_repo):
    # the preview once dropped an HTML block that starts and ends with a comment, text between them
    # included, while the check counted the number: both now show and count the text between them
    text = entry("Some parents think about suicide.\n\n<!-- note -->Call 988 today.<!-- end -->")
    shown = preview(sample_repo, text)
    assert "Call 988 today." in shown and "note" not in shown and "end --" not in shown
    code, findings = check(capsys, sample_repo, text)
    assert not of_rule(findings, "crisis-resource-required"), describe(text, findings)


# ---- a link is judged as the app opens it ------------------------------------------------------

@pytest.mark.parametrize("target", [
    "jav&#x09;ascript:alert(1)",  # tab entity: the preview strips it and refuses the link, the check only warns
    "java&#x0A;script:alert(1)",  # newline entity
    "java&NewLine;script:alert(1)",  # named newline entity
    "<java\tscript:alert(1)>",  # a literal tab in an angle-bracket target
], ids=["tab-entity", "newline-entity", "named-newline", "literal-tab"])
def test_a_javascript_target_split_by_white_space_is_an_unsafe_link(capsys, sample_repo, target):
    text = entry(f"See [x]({target}) now.")
    assert 'class="blocked-link"' in preview(sample_repo, text)
    code, findings = check(capsys, sample_repo, text)
    assert [(f["rule"], f["severity"]) for f in findings if f["category"] == "external-link"] == [
        ("unsafe-scheme", "error")], describe(text, findings)
    assert code == 1


def test_a_bare_url_keeps_its_balanced_closing_parenthesis(capsys, sample_repo):
    # the trailing ")" is cut off even when it closes a "(" in the address (Wikipedia-style)
    url = "https://en.wikipedia.org/wiki/Postpartum_(disambiguation)"
    rows = link_report(capsys, sample_repo, entry(f"See {url} for more."))
    assert [row["target"] for row in rows] == [url]


# ---- what held: parse_body never raises, every span lies in the body, preview and check agree ---

def _assert_sound(text: str) -> None:
    body = parse_body(text)
    prose = body.prose
    links = body.links
    body.targets()
    render_body(text, RenderOptions())
    for offset in range(len(prose.text)):
        start, end = prose.source_span(offset, offset + 1)
        assert 0 <= start <= end <= len(text), (offset, start, end)
    for link in links:
        assert 0 <= link.start <= link.end <= len(text) and 0 <= link.span[0] <= link.span[1] <= len(text), link
    for tag in body.tags:
        assert 0 <= tag.start <= tag.end <= len(text), tag


MARKDOWNISH = st.lists(st.sampled_from(list("ab \n\t*_`[]()<>!\\&#;:|-=~\"'") + [
    "\r\n", "\r", "\n\n", "&amp;", "&#32;", "&#x0;", "\u00a0", "\u200b", "\u200e", "\ufeff", "\x00", "\ud800", "\U0001f600",
    "e\u0301", "<!-- x -->", "<!--", "-->", "<!-->", "<b>", "</b>", "<div>", "http://x.org/(a)", "www.x.org", "a@b.org",
    "[x]: /u 't'\n", "[x]", "    ", "- ", "1. ", "> ", "```\n", "| a |\n|---|\n", "\\|", "![i](j)", "[k](?l)", "\n===\n", "# ",
    "  \n", "\\\n"]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text())
def test_parse_body_never_raises_on_any_text(text):
    _assert_sound(text)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(MARKDOWNISH)
def test_parse_body_never_raises_on_markdownish_text(text):
    _assert_sound(text)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.broken: list[str] = []
        self.app: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        href = values.get("href") or ""
        if tag == "a" and href.startswith("app:"):
            self.app.append(href[4:])
            if "broken" in (values.get("class") or "").split():
                self.broken.append(href[4:])


LINKY = st.lists(st.sampled_from(
    ["See ", " ", "\n", "\n\n", "> ", "- ", "| a |\n|---|\n| ", "*", "`", "\\", "[x]", "[y]", "[x]: ?tab=modules&module=nope\n",
     "[y]: ?tab=modules&module=sleep\n", "[a](?tab=modules&module=sleep)", "[b](?tab=modules&module=nope)",
     "[c](?tab=modules&amp;module=sleep)", "[d](?tab=modules&module=sleep#x)", "[e](&#63;tab=journal)", "[f](?tab=nope)",
     "![g](?tab=modules&module=nope)", "[![h](i.png)](?tab=modules&module=sleep&section=nope)", "<!-- [i](?tab=nope) -->",
     "<a href='?tab=nope'>j</a>", "[k](<?tab=modules&module=mood>)", "(", ")", "]"]), max_size=25).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(LINKY)
def test_preview_strikes_through_exactly_the_in_app_links_the_check_calls_broken(answer):
    # the preview's broken in-app anchors, by target, against the in-app links the module-link check reports errors on
    repository = Repository.open(SAMPLE)
    text = entry("Hi.\n\n" + answer)
    page = _Anchors()
    page.feed(render_entry(Entry.from_text(ENTRY, text), repository.registry))
    view = EntryView(Entry.from_text(ENTRY, text))
    found = module_links.check(view, CheckContext(repository.settings, repository.registry))
    offsets = [view.offsets(f) for f in found if f.severity == "error" and f.rule != "raw-html-link"]
    rendered = [link for link in view.body.links if link.kind in ("inline", "reference", "autolink")
                and link.target.strip().startswith("?")]
    broken = {link.target.strip() for link in rendered
              if any(link.start <= start and end <= max(link.end, link.start + 1) for start, end in offsets)}
    assert set(page.broken) == broken, (answer, page.broken, broken)
    assert sorted(page.app) == sorted(link.target.strip() for link in rendered), answer


def test_a_declaration_python_cannot_read_in_raw_html_is_text_not_a_crash(sample_repo):
    """Python 3.11's HTML parser raises on ``<![`` followed by anything but a name (found by
    hypothesis in an html block); the entry parses, and the words after it are still read."""
    from editor.checks.runner import check_entry, context_for
    from editor.content import html_events
    from editor.content.entry import Entry
    from editor.content.repository import Repository

    events = html_events.read("<p>ok</p><![*the guide* ")
    assert [(e.kind, e.text) for e in events][-1] == ("text", "<![*the guide* ")
    text = "---\nid: b\nmodule: sleep\nstatus: draft\n---\n# Is it me?\n\n<div>\n<![ he committed suicide\n</div>\n"
    ctx, _ = context_for(Repository.open(sample_repo))
    rules = {f.rule for f in check_entry(Entry.from_text("entries/sleep/b.md", text), ctx)}
    assert "check-failed" not in rules and "suicide-commit" in rules
