"""Hostile input: entries made to cost as much as they can get one ``too-large`` finding (or their
usual findings, found in linear time), and the entries beside them keep theirs.

Sizes here are modest but past every budget (``editor.checks.budget``), or big enough that a
quadratic step would not finish; the full-size corpus and its time and memory are measured by
``python -m benchmarks.hostile``."""
from __future__ import annotations

import hashlib

import pytest
from conftest import GOOD_BODY, entry_text, findings_of

from editor.checks import budget

QA = "### Q: What is this?\n\nA: "
HOSTILE = "entries/sleep/hostile.md"
NORMAL = "entries/sleep/rest-tips.md"
# a normal entry with findings of its own (a misspelling, an insecure link), which must stay as they are
NORMAL_BODY = GOOD_BODY + "\nRest is importnt. See [the guide](http://example.org/rest).\n"


def _check(repo, body: str, **fields) -> tuple[list, list]:
    """(findings of the hostile entry, findings of the normal entry beside it)."""
    repo.entry("sleep/rest-tips.md", entry_text(NORMAL_BODY))
    repo.entry("sleep/hostile.md", entry_text(body, id="hostile", **fields))
    found = findings_of(repo.root)
    return [f for f in found if f.path == HOSTILE], [f for f in found if f.path == NORMAL]


@pytest.fixture
def normal_alone(repo):
    repo.entry("sleep/rest-tips.md", entry_text(NORMAL_BODY))
    found = findings_of(repo.root)
    assert {f.rule for f in found} >= {"misspelling", "insecure-http"}
    (repo.root / NORMAL).unlink()
    return found


def _too_large(found: list, *words: str) -> None:
    assert [f.rule for f in found] == [budget.RULE], found
    finding = found[0]
    assert finding.category == "format" and finding.severity == "error"
    assert finding.message.startswith("This entry is too large to check fully (") and "Split it" in finding.message
    assert len(finding.message) < 200 and all(word in finding.message for word in words), finding.message


@pytest.mark.parametrize("name, body, words", [
    ("one word of 1 MB", QA + "a" * 1_000_000 + "\n", ("1.0 MB", "256 KB")),
    ("one link of 1 MB", QA + "[a link](https://example.org/" + "a" * 1_000_000 + ")\n", ("1.0 MB",)),
    ("200,000 matches of a tone rule", QA + "You must " * 200_000 + "\n", ("1.8 MB",)),
    ("100,000 list lines", QA + "Steps.\n\n" + "- a step\n" * 100_000, ("900 KB",)),
    ("5,000 list lines (under the size budget)", QA + "Steps.\n\n" + "- a step\n" * 5_000, ("formatting",)),
    ("a run of 100,000 emphasis marks", QA + "*" * 100_000 + "x\n", ("formatting",)),
    ("an HTML block of 30,000 tags", QA + "Tags.\n\n" + "<div>\n" * 30_000, ("formatting",)),
    ("1,500 matches of a tone rule (under the size budget)", QA + "You must rest. " * 1_500 + "\n",
     ("1,000 matches of the wording rules",)),
    ("1,500 unknown words", QA + " ".join("qx" + "".join(chr(97 + int(d)) for d in f"{i:04d}") for i in range(1_500)),
     ("1,000 words the word lists do not know",)),
])
def test_a_hostile_body_gets_one_finding_and_its_neighbour_keeps_its_own(repo, normal_alone, name, body, words):
    hostile, normal = _check(repo, body)
    _too_large(hostile, *words)
    assert hostile[0].line == 6 and hostile[0].column == 1  # where the body starts
    assert normal == normal_alone


@pytest.mark.parametrize("name, body", [
    ("block quotes 100,000 deep", QA + "Deep.\n\n" + ">" * 100_000 + " quoted\n"),
    ("lists 100,000 deep", QA + "Deep.\n\n" + "- " * 100_000 + "item\n"),
    ("brackets 20,000 deep", QA + "[" * 20_000 + "x" + "]" * 20_000 + "\n"),
])
def test_deep_nesting_is_read_as_its_first_levels(repo, normal_alone, name, body):
    """markdown-it reads at most 20 levels and the rest as text: no stack to blow, no finding to
    make (the check's own steps are linear in what is left)."""
    hostile, normal = _check(repo, body)
    assert budget.RULE not in {f.rule for f in hostile} and all(len(f.message) < 300 for f in hostile)
    assert normal == normal_alone


def test_matches_under_the_budget_are_each_reported(repo):
    hostile, _ = _check(repo, QA + "You must rest. " * 300 + "\n")
    assert [f.rule for f in hostile].count("command-must") == 300


def test_a_long_word_is_quoted_by_its_start(repo):
    hostile, _ = _check(repo, QA + "Rest " + "b" * 200_000 + " now.\n")
    spelling = [f for f in hostile if f.rule == "misspelling"]
    assert len(spelling) == 1 and len(spelling[0].message) < 200 and "bbbb\u2026'" in spelling[0].message
    assert spelling[0].end_column - spelling[0].column == 200_000  # the whole word is still underlined


def test_an_unknown_module_link_is_quoted_by_its_start(repo):
    hostile, _ = _check(repo, QA + "See [this](?tab=modules&module=" + "m" * 5_000 + ").\n")
    assert [f.rule for f in hostile] == ["unknown-module"] and len(hostile[0].message) < 200


def test_an_entry_too_large_to_check_still_has_its_frontmatter_checked(repo):
    """The module, the schema and the approval (whose body hash reads the whole body) are still
    checked: only the body's own checks are left out."""
    review = "\n  ".join(["", "reviewer: ana.ruiz@example.org", "reviewed_on: 2026-01-10", "next_review: 2028-01-10",
                          "body_sha256: " + "ab" * 32])
    hostile, _ = _check(repo, QA + "a" * 300_000 + "\n", module="nowhere", status="approved", review=review)
    assert sorted(f.rule for f in hostile) == ["approval-void", budget.RULE, "unknown-module"]


def test_an_approved_large_body_keeps_its_approval(repo):
    body = QA + "Rest when you can.\r\n" * 100_000
    digest = hashlib.sha256(body.replace("\r\n", "\n").strip().encode()).hexdigest()
    review = "\n  ".join(["", "reviewer: ana.ruiz@example.org", "reviewed_on: 2026-01-10", "next_review: 2028-01-10",
                          "body_sha256: " + digest])
    hostile, _ = _check(repo, body, status="approved", review=review)
    assert [f.rule for f in hostile] == [budget.RULE]


@pytest.mark.parametrize("text", ["  \r\n a\r\nb\r\n\r\n", "x" * 9 + "\r\n" + "y" * 7 + "\r\n\t ", "\r\n" * 20,
                                  "é\r\nü" * 5, " \n"])
def test_a_body_hashed_in_pieces_hashes_as_a_whole(monkeypatch, text):
    from editor.content import entry

    expected = hashlib.sha256(text.replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()
    for piece in (1, 2, 3, 10):
        monkeypatch.setattr(entry, "_PIECE", piece)  # every CRLF, in turn, falls on a piece's edge
        assert entry.body_hash("head" + text, 4) == expected


def test_thousands_of_exempted_rules_over_thousands_of_lines(repo):
    rules = " ".join(f"rule-{n}" for n in range(15_000))
    body = (QA + "Rest.\n\n<!-- malone-disable " + rules + " command-must -->\n\n" + "Rest well.\n" * 5_000 +
            "\nYou must rest.\n\n<!-- malone-enable command-must -->\n\nYou must rest.\n")
    hostile, _ = _check(repo, body)
    last = 6 + body.count("\n", 0, body.rindex("You must"))  # the body starts on line 6
    assert [f.line for f in hostile if f.rule == "command-must"] == [last]


def test_link_reports_leave_out_a_body_over_their_budget(repo):
    """Link Health, the link report and --online read links up to 4 MB of body (the check: 256 KB)."""
    from editor.checks.link_index import extract
    from editor.checks.online import web_uses
    from editor.content.entry import Entry

    repo.entry("sleep/hostile.md", entry_text(QA + "[x](https://example.org/a) " * 160_000, id="hostile",
                                              sources="[https://nih.gov/a]"))
    entry = Entry.load(repo.root, HOSTILE)
    assert [use.url for use in web_uses(entry)] == ["https://nih.gov/a"]
    assert [use.target for use in extract(entry)] == ["https://nih.gov/a"]


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf---\r\nid: x\r\n---\r\n" + "Caf\u00e9 \u2014 r\u00e9sum\u00e9.\r\n".encode() * 40 + b"  \r\n\t",
    b"---\nid: x\n---\n" + "\u4e2d\u6587".encode() * 300 + b"\n\n",
    b"No frontmatter at all.\n" + b"x" * 500 + b"\r",
    b"---\nid: x\n---\n   \n" + b"word " * 200,
])
def test_a_large_body_measured_in_pieces_is_the_body_read_whole(monkeypatch, raw):
    from editor.content import entry as entry_module
    from editor.content.entry import Entry

    whole = Entry.from_bytes("entries/x.md", raw)
    for piece in (1, 2, 3, 7, 64):  # every multi-byte character and CRLF, in turn, on a piece's edge
        monkeypatch.setattr(entry_module, "_PIECE", piece)
        monkeypatch.setattr(entry_module, "_LARGE", 100)
        monkeypatch.setattr(entry_module, "_HEAD", 60)
        measured = Entry.from_bytes("entries/x.md", raw, limit=100)
        assert measured._measured is not None
        assert (measured.body_length, measured.body_sha256) == (whole.body_length, whole.body_sha256)
        assert (measured.frontmatter and measured.frontmatter.data) == (whole.frontmatter and whole.frontmatter.data)
        assert measured.body_first_line == whole.body_first_line


@pytest.mark.parametrize("raw, rule, line", [(b"---\nid: x\n---\n" + b"a" * 500 + b"\x00", "binary-file", 4),
                                             (b"---\nid: x\n---\n" + b"a" * 500 + b"\n\xff\n", "not-utf8", 5)])
def test_a_large_file_that_is_not_text_is_read_whole_to_say_where(monkeypatch, raw, rule, line):
    from editor.content import entry as entry_module
    from editor.content.entry import Entry

    monkeypatch.setattr(entry_module, "_LARGE", 100)
    monkeypatch.setattr(entry_module, "_PIECE", 64)
    entry = Entry.from_bytes("entries/x.md", raw, limit=100)
    assert entry.problem is not None and entry.problem.rule == rule and entry.problem.line == line


EXPECTED = {"alias-tags": {"yaml-aliases"}, "alias-review": {"yaml-aliases"}, "many-keys": {"frontmatter-too-large"},
            "one-word": {budget.RULE}, "one-link": {budget.RULE}, "you-must": {budget.RULE},
            "list-lines": {budget.RULE}}


@pytest.mark.heavy
def test_the_hostile_corpus_beside_normal_entries(tmp_path, monkeypatch):
    """The benchmark's corpus (benchmarks/hostile.py) at a tenth of its size: a finding for each
    hostile file, and the normal entries' findings as they are alone."""
    from conftest import ROOT

    monkeypatch.syspath_prepend(str(ROOT))  # the corpus lives with the benchmarks (not in the wheel)
    from benchmarks.hostile import MODULE, build

    normal, mixed, bombed = build(tmp_path, 20, scale=0.1)
    alone = findings_of(normal)
    found = findings_of(mixed)
    prefix = f"entries/{MODULE}/hostile-"
    assert [f for f in found if not f.path.startswith(prefix)] == alone
    for name, rules in EXPECTED.items():
        assert {f.rule for f in found if f.path == f"{prefix}{name}.md"} == rules, name
    for name in ("deep-quotes", "deep-lists", "deep-brackets", "deep-emphasis", "deep-html"):  # read to 20 levels
        assert {f.rule for f in found if f.path == f"{prefix}{name}.md"} <= {budget.RULE}, name
    settings = [f for f in findings_of(bombed) if f.path == "content.yaml"]
    assert settings and {f.rule for f in settings} == {"yaml-aliases"}, settings


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_fault_of_the_checker_on_one_entry_costs_that_entry_not_the_run(repo, monkeypatch, normal_alone, jobs):
    """Whatever goes wrong inside a check of one entry (here: memory running out), that entry gets a
    check-failed error and every other entry its findings, in one process or in workers."""
    from editor.checks import runner
    from editor.content.repository import Repository

    real = runner.check_entry

    def failing(entry, ctx):
        if entry.path == HOSTILE:
            raise MemoryError
        return real(entry, ctx)

    monkeypatch.setattr(runner, "check_entry", failing)
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 1)
    repo.entry("sleep/rest-tips.md", entry_text(NORMAL_BODY))
    repo.entry("sleep/hostile.md", entry_text(id="hostile"))
    found = runner.check_repository(Repository.open(repo.root), jobs=jobs, start_method="fork").findings
    assert [(f.rule, f.severity) for f in found if f.path == HOSTILE] == [("check-failed", "error")]
    assert [f for f in found if f.path == NORMAL] == normal_alone
    assert "MemoryError" not in found[0].message and "Traceback" not in found[0].message


def test_the_url_tables_markdown_it_makes_at_first_use_are_whole_before_any_thread_parses():
    """mdurl publishes its lookup tables before filling them: the editor's first check and first
    preview, parsing at once, read a half-made one ('list index out of range', 1 start in 10)."""
    import subprocess
    import sys

    script = ("import mdurl._encode as e, mdurl._decode as d\n"
              "from editor.content.positions import parser\n"
              "parser()\n"
              "tables = list(e.encode_cache.values()) + list(d.decode_cache.values())\n"
              "assert e.encode_cache and d.decode_cache and all(len(t) == 128 for t in tables), tables\n")
    subprocess.run([sys.executable, "-c", script], check=True)


def test_the_editors_live_check_of_an_entry_past_the_budget_does_not_parse_it_for_its_word_count():
    import datetime as dt

    from editor.checks import CheckContext
    from editor.content.config import Registry, Settings
    from editor.session.library import check_text

    text = entry_text(QA + "Rest when you can. " * 20_000, id="long")  # 380 KB of ordinary words
    result = check_text(CheckContext(Settings(), Registry(), dt.date(2026, 12, 1)), HOSTILE, text, {})
    assert "too-large" in {f.rule for f in result.findings}
    assert (result.words, result.grade) == (0, 0.0)  # no figures for a body that is not read
