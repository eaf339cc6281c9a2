"""Adversarial tests of issue 17 (changes since approval; comments on the text), as a hostile or
unlucky user would meet them, and with generated input against independent oracles: git itself,
markdown-it's rendering of the new and the old text, and Python's own string search.

Where the code holds, the tests pass. Each bug found is one ``xfail(strict=True)`` test whose reason
says what is wrong in one line (the report lists how to reproduce it and a suggested fix)."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import git, shared_library
from editor.cli import main
from editor.content import comments
from editor.content.comments import CommentError
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.render import diff as diffs
from editor.render.html import RenderOptions, render_body
from editor.vcs import comment_steps, review
from editor.vcs.review import ReviewError
from editor.vcs.since_approval import CHANGED, NEVER, UNCHANGED, UNPROVEN, since_approval, word_ops

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
WENDY = ("Wendy Writer", "wendy@example.org")
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
PASSAGE = "It can feel unfair and frustrating."


@pytest.fixture
def clones(tmp_path):
    return shared_library(tmp_path, [WENDY, ANA])


@pytest.fixture
def approved(tmp_path):
    """Ana's clone: the entry approved by her, then edited and committed."""
    (root,) = shared_library(tmp_path, [ANA])
    review.approve(Repository.open(root), ENTRY)
    edit(root, ENTRY, "Many new parents", "Lots of new parents")
    git(root, "commit", "-qam", "Edit after approval")
    return root


def edit(root, path, old, new) -> None:
    """Replace words in the file's bytes (its line endings and BOM as they are)."""
    file = root / path
    raw = file.read_bytes()
    assert old.encode("utf-8") in raw
    file.write_bytes(raw.replace(old.encode("utf-8"), new.encode("utf-8"), 1))


def since(root, path=ENTRY, text=None):
    return since_approval(Repository.open(root), path, text)


def changed(result) -> list[tuple[str, str]]:
    return [(op, text.strip()) for op, text in result.words if op != "="]


def hook(root, name="pre-commit", said="No commits today.") -> None:
    file = root / ".git" / "hooks" / name
    file.write_text(f"#!/bin/sh\necho '{said}'\nexit 1\n", encoding="utf-8")
    file.chmod(0o755)


# ================================================================== changes since approval: history


def test_detached_head_a_merge_in_history_and_a_crlf_conversion_hold(approved):
    git(approved, "checkout", "-q", "--detach", "HEAD")
    assert changed(since(approved)) == [("-", "Many"), ("+", "Lots of")]
    git(approved, "checkout", "-q", "main")

    # the approval reached main through a merge of a side branch, and main moved meanwhile
    git(approved, "checkout", "-q", "-b", "side")
    review.approve(Repository.open(approved), ENTRY)
    approval = git(approved, "rev-parse", "HEAD").strip()
    git(approved, "checkout", "-q", "main")
    (approved / "entries" / "other.md").write_text("### Q: Other?\n\nA: Yes.\n", encoding="utf-8")
    git(approved, "add", "-A")
    git(approved, "commit", "-qm", "Other work on main")
    git(approved, "merge", "-q", "--no-edit", "side")
    edit(approved, ENTRY, "It can feel unfair", "It can feel so unfair")
    result = since(approved)
    assert result.state == CHANGED and result.commit == approval
    assert changed(result) == [("+", "so")]

    # the file turned into CRLF line endings, nothing else: the hash (CRLF → LF) says unchanged
    git(approved, "checkout", "-q", "--", ENTRY)
    raw = (approved / ENTRY).read_bytes()
    (approved / ENTRY).write_bytes(raw.replace(b"\n", b"\r\n"))
    assert since(approved).state == UNCHANGED


def test_a_crlf_file_with_a_bom_edited_after_approval(tmp_path):
    (root,) = shared_library(tmp_path, [ANA])
    raw = (root / ENTRY).read_bytes()
    (root / ENTRY).write_bytes(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))
    git(root, "commit", "-qam", "CRLF and a BOM")
    review.approve(Repository.open(root), ENTRY)
    assert (root / ENTRY).read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    assert since(root).state == UNCHANGED
    edit(root, ENTRY, "Many new parents", "Many tired new parents")
    result = since(root)
    assert result.state == CHANGED and changed(result) == [("+", "tired")]
    assert "\r" not in result.html  # the reader's view


def test_line_endings_changed_with_an_edit_show_only_the_edit(tmp_path):
    (root,) = shared_library(tmp_path, [ANA])
    raw = (root / ENTRY).read_bytes()
    (root / ENTRY).write_bytes(raw.replace(b"\n", b"\r\n"))
    git(root, "commit", "-qam", "CRLF")
    review.approve(Repository.open(root), ENTRY)
    raw = (root / ENTRY).read_bytes().replace(b"\r\n", b"\n")  # an editor that saves LF
    (root / ENTRY).write_bytes(raw.replace(b"Many new parents", b"Many tired new parents"))
    assert since(root).words and [(op, t.strip()) for op, t in since(root).words if op != "="] == [("+", "tired")]


def test_an_entry_with_no_frontmatter_and_one_with_broken_frontmatter(tmp_path, capsys):
    (root,) = shared_library(tmp_path, [ANA])
    (root / "entries" / "seed.md").write_text("### Q: Why?\n\nA: Because.\n", encoding="utf-8")
    (root / "entries" / "broken.md").write_text("---\nid: [unclosed\n---\n### Q: Why?\n\nA: Because.\n",
                                                 encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "odd entries")
    for path in ("entries/seed.md", "entries/broken.md"):
        capsys.readouterr()
        assert main(["review", "diff", str(root / path), "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["state"] == NEVER and data["fields"] == []


def test_an_uppercase_hash_counts_and_a_non_hex_one_falls_back_to_the_newest_approval(approved):
    """Committed by the reviewer (the ``approved`` clone is Ana's), so the block is proven; edited by
    hand and not committed, it is not, and all of the text is shown as new."""
    text = (approved / ENTRY).read_text(encoding="utf-8")
    approved_hash = re.search(r"body_sha256: ([0-9a-f]{64})", text).group(1)
    (approved / ENTRY).write_text(text.replace(approved_hash, approved_hash.upper()), encoding="utf-8")
    assert since(approved).state == UNPROVEN
    git(approved, "commit", "-qam", "Upper case")
    assert changed(since(approved)) == [("-", "Many"), ("+", "Lots of")]
    (approved / ENTRY).write_text(text.replace(approved_hash, "not-a-hash; rm -rf /"), encoding="utf-8")
    git(approved, "commit", "-qam", "Not a hash")
    result = since(approved)
    assert result.state == CHANGED and changed(result) == [("-", "Many"), ("+", "Lots of")]


def test_a_binary_or_non_utf8_entry_is_refused_in_plain_words(approved, capsys):
    (approved / ENTRY).write_bytes(b"---\nid: x\n---\n\xff\xfe")
    capsys.readouterr()
    assert main(["review", "diff", str(approved / ENTRY)]) == 2
    err = capsys.readouterr().err
    assert "UTF-8" in err and "Traceback" not in err


def test_a_version_in_history_that_is_garbage_is_skipped(approved):
    """A commit in between holds bytes that are not text: the diff skips it, it does not fail."""
    good = (approved / ENTRY).read_bytes()
    (approved / ENTRY).write_bytes(b"\x00\x01binary")
    git(approved, "commit", "-qam", "oops")
    (approved / ENTRY).write_bytes(good)
    git(approved, "commit", "-qam", "fixed")
    assert changed(since(approved)) == [("-", "Many"), ("+", "Lots of")]


def test_an_entry_whose_file_name_is_not_ascii(tmp_path):
    (root,) = shared_library(tmp_path, [ANA])
    path = "entries/sleep/café-et-sommeil.md"
    git(root, "mv", ENTRY, path)
    edit(root, path, "Many new parents", "So many new parents")  # no version before holds the approved text
    git(root, "commit", "-qam", "French name")
    review.approve(Repository.open(root), path)
    edit(root, path, "It can feel unfair", "It can feel so unfair")
    result = since(root, path)
    assert result.state == CHANGED and changed(result) == [("+", "so")]


def test_a_forged_approval_is_not_shown_as_approved(clones):
    writer, _ = clones
    entry = Entry.load(writer, ENTRY)
    forged = entry.with_field("review", {"reviewer": "ana.ruiz@example.org", "reviewed_on": dt.date(2026, 1, 1),
                                         "body_sha256": entry.body_sha256}).with_field("status", "approved")
    (writer / ENTRY).write_bytes(forged.to_bytes())
    git(writer, "commit", "-qam", "Approve: looks fine to me")
    assert [f.rule for f in review.verify_history(Repository.open(writer), [ENTRY])] == ["approval-unverified"]
    assert since(writer).state != UNCHANGED  # git's history says Ana never approved this text


def test_a_body_rehashed_by_hand_after_a_real_approval_is_what_a_reviewer_sees_as_changed(approved):
    """The honest half of the forgery above: an edit whose hash was not fixed up is always shown."""
    assert since(approved).state == CHANGED


def test_a_shallow_clone_does_not_say_never_approved(approved, tmp_path):
    remote = tmp_path / "remote.git"
    git(approved, "push", "-q")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{remote}", str(shallow)], check=True)
    result = since(shallow)
    assert result.state != NEVER and "Never approved" not in result.summary


def test_a_rename_across_folders_with_a_rewrite_does_not_say_never_approved(approved):
    text = (approved / ENTRY).read_text(encoding="utf-8")
    head = text[: text.index("### Q:")]
    (approved / "entries" / "mood" / "sleepless.md").write_text(
        head + "### Q: People say to sleep when the baby sleeps, but I can't. Why?\n\nA: Short now.\n",
        encoding="utf-8")
    (approved / ENTRY).unlink()
    git(approved, "add", "-A")
    git(approved, "commit", "-qm", "Move and rewrite")
    result = since(approved, "entries/mood/sleepless.md")
    assert result.state != NEVER


def test_a_rename_across_folders_with_a_small_edit_follows_the_file(approved):
    git(approved, "mv", ENTRY, "entries/mood/sleepless.md")
    edit(approved, "entries/mood/sleepless.md", "It can feel unfair", "It can feel so unfair")
    git(approved, "commit", "-qam", "Move and edit")
    result = since(approved, "entries/mood/sleepless.md")
    assert result.state == CHANGED
    assert changed(result) == [("-", "Many"), ("+", "Lots of"), ("+", "so")]


def test_a_rebase_rewrites_commit_ids_and_the_diff_still_finds_the_approval(clones):
    writer, reviewer = clones
    review.approve(Repository.open(reviewer), ENTRY)
    git(reviewer, "push", "-q")
    (writer / "entries" / "other.md").write_text("### Q: Other?\n\nA: Yes.\n", encoding="utf-8")
    git(writer, "add", "-A")
    git(writer, "commit", "-qm", "Other")
    git(writer, "pull", "-q", "--rebase")
    edit(writer, ENTRY, "It can feel unfair", "It can feel so unfair")
    result = since(writer)
    assert result.commit == git(writer, "log", "-1", "--format=%H", "--grep=^Approve:").strip()
    assert changed(result) == [("+", "so")]


def test_a_path_outside_the_repository_or_through_a_link_out_is_refused(approved, tmp_path, capsys):
    outside = tmp_path / "outside.md"
    outside.write_text("### Q: Secret?\n\nA: Secret.\n", encoding="utf-8")
    (approved / "entries" / "link.md").symlink_to(outside)
    with pytest.raises(ValueError, match="outside the repository"):
        since(approved, "entries/link.md")
    capsys.readouterr()
    assert main(["review", "diff", str(approved / "entries" / "link.md")]) == 2
    assert "Secret" not in capsys.readouterr().out


# ================================================================== the diff against oracles

PIECES = ["calm", "tired", "baby", "**bold**", "*soft*", "[link](https://a.org)", "\n\n", "\n- ", "\n  - nested",
          "\n1. one", "`code`", "&amp;", "&", "<", ">", "<b>x</b>", "<!-- c -->", "\n\n```\nfence x\n```\n\n",
          "\n\n| a | b |\n|---|---|\n| c | d |\n\n", "\U0001f600", "\U0001d49c", "e\u0301", "\u05e9\u05dc\u05d5\u05dd",
          "\t", "\r\n", "\n\n> quote\n\n", "\n\n---\n\n", "\n### Sub\n", "&nbsp;", "&#128512;", "\\*", "![img](x.png)",
          "[app](?tab=journal)", "\u00a0", "\u2028"]
rich = st.lists(st.sampled_from(PIECES), max_size=25)
_DELETED = re.compile(re.escape(diffs.DELETED) + r"([^<]*)</span>")
_INSERTED = re.compile(re.escape(diffs.INSERTED) + r"([^<]*)</span>")


def _visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(rich, rich)
def test_marks_over_odd_markdown_keep_both_renderings(old, new):
    """Oracle: markdown-it. Unmarking gives exactly its rendering of the new text; dropping what is
    new and unstriking what was taken out gives the words of its rendering of the old one."""
    options = RenderOptions()
    before = render_body("### Q: Why?\n\nA: " + " ".join(old), options)
    after = render_body("### Q: Why?\n\nA: " + " ".join(new), options)
    marked = diffs.rendered_changes(before, after)
    assert _INSERTED.sub(lambda m: m.group(1), _DELETED.sub("", marked)) == after
    # a word kept may now stand in another block than before: compare the characters, not the spacing
    unspaced = lambda page: "".join(_visible(page).split())  # noqa: E731
    assert unspaced(_DELETED.sub(lambda m: m.group(1), _INSERTED.sub("", marked))) == unspaced(before)


@settings(max_examples=150, deadline=None)
@given(rich, rich)
def test_word_ops_rebuild_both_texts_with_crlf_tabs_and_astral_characters(old, new):
    a, b = " ".join(old), " ".join(new)
    ops = word_ops(a, b)
    assert "".join(t for op, t in ops if op != "-") == b
    assert "".join(t for op, t in ops if op != "+") == a


def test_word_ops_against_git_word_diff(tmp_path):
    """Oracle: git's own word diff of the same two texts. Ours finds the words git finds as changed,
    or fewer (the two may align a repeated word differently), and never marks a word git keeps."""
    old = "Many new parents lie awake. It can feel unfair and frustrating. Rest when you can.\n"
    new = "Lots of new parents lie awake. It can feel hard. Rest when you can, and ask for help.\n"
    (tmp_path / "a").write_text(old, encoding="utf-8")
    (tmp_path / "b").write_text(new, encoding="utf-8")
    out = subprocess.run(["git", "diff", "--no-index", "--word-diff=porcelain", "--word-diff-regex=[^[:space:]]+",
                          "a", "b"], cwd=tmp_path, capture_output=True, text=True).stdout
    theirs = {"+": [], "-": []}
    for line in out.splitlines():
        if line[:1] in "+-" and not line.startswith(("+++", "---")):
            theirs[line[0]] += line[1:].split()
    ours = {"+": [], "-": []}
    for op, text in word_ops(old, new):
        if op in ours:
            ours[op] += text.split()
    # git's words keep their punctuation ("unfair" vs "unfair,"): compare letters only
    letters = lambda ws: [w for w in (re.sub(r"\W", "", x) for x in ws) if w]  # noqa: E731
    assert len(letters(ours["+"])) + len(letters(ours["-"])) <= len(letters(theirs["+"])) + len(letters(theirs["-"]))
    assert set(letters(ours["+"])) <= set(letters(theirs["+"])) and set(letters(ours["-"])) <= set(letters(theirs["-"]))


def _long_body(size: int) -> str:
    from conftest import ROOT

    bodies = [Entry.load(ROOT / "sample_content", str(p.relative_to(ROOT / "sample_content"))).body
              for p in sorted((ROOT / "sample_content" / "entries").rglob("*.md"))]
    return ("\n\n".join(bodies) * 10)[:size]


def test_a_long_entry_is_compared_in_well_under_a_second():
    old = "### Q: Why?\n\nA: " + _long_body(12_000)
    new = old.replace("baby", "little one", 30)
    options = RenderOptions()
    before, after = render_body(old, options), render_body(new, options)
    started = time.perf_counter()
    word_ops(old, new)
    diffs.rendered_changes(before, after)
    assert time.perf_counter() - started < 1.0


def test_a_long_entry_that_did_not_change_is_quick():
    old = "### Q: Why?\n\nA: " + _long_body(100_000)
    started = time.perf_counter()
    ops = word_ops(old, old)
    assert ops == [("=", old)] and time.perf_counter() - started < 3.0


# ================================================================== comments: anchoring


@pytest.mark.parametrize("quote", ["(a|b)*", "[x]", "a.b", "$100 \\d+", "^start", "+1?", "{2,3}", "\\"])
def test_quotes_with_regex_metacharacters_anchor_and_re_wrap(quote):
    body = f"Before text. Here is {quote} in the middle. After text."
    start = body.index(quote)
    thread = comments.new_thread("entries/a.md", body, start, start + len(quote), "a@b", "A", "note")
    assert comments.anchor(thread, body) == (start, start + len(quote))
    spaced = "New line.\n" + body.replace(" ", "\n  ")
    span = comments.anchor(thread, spaced)
    assert span is not None and spaced[span[0]:span[1]].split() == quote.split()


def test_a_quote_that_appears_500_times_stays_on_its_own_place():
    body = "### Q: Why?\n\nA: " + " ".join(f"Rest now, step {i}." for i in range(500))
    places = [m.start() for m in re.finditer("Rest now", body)]
    start = places[400]
    thread = comments.new_thread("entries/a.md", body, start, start + 8, "a@b", "A", "note")
    assert comments.anchor(thread, body) == (start, start + 8)


def test_a_quote_that_appears_150_times_stays_on_its_own_place_through_an_edit_above():
    body = "A: " + " ".join(f"Rest now, step {i}." for i in range(150))
    places = [m.start() for m in re.finditer("Rest now", body)]
    thread = comments.new_thread("entries/a.md", body, places[120], places[120] + 8, "a@b", "A", "note")
    moved = "A new first line.\n\n" + body
    assert comments.anchor(thread, moved) == (places[120] + 19, places[120] + 27)


def test_a_long_selection_is_anchored_whole():
    body = "A: " + " ".join(f"word{i}" for i in range(1200)) + " end."
    thread = comments.new_thread("entries/a.md", body, 3, len(body), "a@b", "A", "note")
    assert comments.anchor(thread, body) == (3, len(body))


@pytest.mark.parametrize("passage", ["e\u0301t\u00e9", "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
                                     "\U0001f600 smile \U0001d49c", "\u200bzero\u200bwidth", "caf\u00e9\u00a0noir"])
def test_unicode_passages_round_trip_and_anchor(passage):
    body = f"A: Before. {passage} after.\n"
    start = body.index(passage)
    thread = comments.new_thread("entries/a.md", body, start, start + len(passage), "a@b", "A", f"on {passage}")
    again = comments.parse_thread("entries/a.md", thread.id, thread.to_bytes())
    assert again == thread
    assert comments.anchor(again, "New.\n\n" + body) == (start + 6, start + 6 + len(passage))


@pytest.mark.parametrize("selection", [(5, 5), (9, 4), (0, 3), (3, 3)])
def test_empty_reversed_and_whitespace_selections(selection):
    body = "A:   \n\t  words here"
    start, end = selection
    if body[min(start, end):max(start, end)].strip():
        thread = comments.new_thread("entries/a.md", body, start, end, "a@b", "A", "note")
        assert thread.quote == body[min(start, end):max(start, end)].strip()
    else:
        with pytest.raises(CommentError, match="Select the words"):
            comments.new_thread("entries/a.md", body, start, end, "a@b", "A", "note")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t.*\u00e9\U0001f600"), min_size=1, max_size=80),
       st.integers(0, 80), st.integers(0, 80))
def test_anchor_finds_the_selection_in_the_unchanged_text(body, i, j):
    """Oracle: the selection itself. Wherever a comment is made, in the text it was made on its
    passage is found again, as the words selected."""
    start, end = sorted((min(i, len(body)), min(j, len(body))))
    if not body[start:end].strip():
        return
    thread = comments.new_thread("entries/a.md", body, start, end, "a@b", "A", "note")
    span = comments.anchor(thread, body)
    assert span is not None and body[span[0]:span[1]] == thread.quote


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120), st.text(max_size=60), st.text(min_size=1, max_size=60))
def test_thread_files_round_trip_with_any_context(before, quote, note):
    body = before + quote
    if not quote.strip() or not note.strip():
        return
    thread = comments.new_thread("entries/a.md", body, len(before), len(body), "a@b", "Ana", note)
    assert comments.parse_thread("entries/a.md", thread.id, thread.to_bytes()) == thread


# ================================================================== comments: hostile thread files


@pytest.mark.parametrize("raw", [b"- a\n- list\n", b"just a string\n", b"", b"~\n", b"42\n",
                                 b"quote: 5\ncomment: {text: hi}\n", b"quote: q\ncomment: hi\n",
                                 b"quote: q\ncomment: {text: '   '}\n", b"!!python/object:os.system ls\n",
                                 b"quote: q\ncomment: {text: hi}\nstart: -5\nreplies: [1, null, {text: r}]\n",
                                 b"\xef\xbb\xbfquote: q\ncomment: {text: hi}\n", b"quote: q\x00\n"])
def test_hand_edited_thread_files_never_raise(raw):
    thread = comments.parse_thread("entries/a.md", "t", raw)
    assert thread.problem is not None or (thread.quote == "q" and thread.comment.text == "hi")
    assert thread.start >= 0
    comments.anchor(thread, "some q text")  # never raises


def test_a_thread_whose_note_is_not_text_is_unreadable_and_cheap():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for number in range(1, 5):
        before, now = chr(ord("a") + number - 1), chr(ord("a") + number)
        levels.append(f"{now}: &{now} [" + ", ".join(f"*{before}" for _ in range(10)) + "]")
    raw = ("\n".join(levels) + "\nquote: hello\ncomment: {by: a@b, text: *e}\n").encode()
    thread = comments.parse_thread("entries/a.md", "t", raw)
    assert thread.problem is not None and len(thread.comment.text) < 1000


def test_a_huge_thread_file_is_read_without_falling_over(clones):
    writer, _ = clones
    folder = writer / comments.folder_for(ENTRY)
    folder.mkdir()
    (folder / "huge.yaml").write_text("quote: unfair\ncomment:\n  text: |\n" + "    blah blah\n" * 200_000,
                                      encoding="utf-8")
    started = time.perf_counter()
    (thread,) = comments.load_threads(writer, ENTRY)
    assert thread.is_open and time.perf_counter() - started < 10


def test_a_comment_folder_linking_outside_is_not_read(clones, tmp_path):
    writer, _ = clones
    outside = tmp_path / "outside"
    outside.mkdir()
    thread = comments.new_thread(ENTRY, "secret words", 0, 6, "a@b", "A", "the secret note")
    (outside / f"{thread.id}.yaml").write_bytes(thread.to_bytes())
    (writer / comments.folder_for(ENTRY)).symlink_to(outside)
    assert all("secret" not in t.comment.text for t in comments.load_threads(writer, ENTRY))


def test_a_thread_file_linking_outside_is_never_written_through(clones, tmp_path):
    writer, _ = clones
    made = comment_steps.add_on_words(writer, ENTRY, PASSAGE, "Gentler?")
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((writer / made.path).read_bytes())
    (writer / made.path).unlink()
    (writer / made.path).symlink_to(outside)
    before = outside.read_bytes()
    with pytest.raises(CommentError, match="outside the repository"):
        comment_steps.reply(writer, ENTRY, made.id, "through the link?")
    assert outside.read_bytes() == before


# ================================================================== comments: steps that go wrong


def test_a_hook_refusing_a_reply_puts_the_thread_file_back_byte_for_byte(clones):
    _, reviewer = clones
    made = comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Gentler?")
    before = (reviewer / made.path).read_bytes()
    hook(reviewer)
    for step in (lambda: comment_steps.reply(reviewer, ENTRY, made.id, "Yes"),
                 lambda: comment_steps.resolve(reviewer, ENTRY, made.id)):
        with pytest.raises(CommentError, match="No commits today"):
            step()
        assert (reviewer / made.path).read_bytes() == before
    assert git(reviewer, "status", "--porcelain") == ""


def test_a_full_disk_leaves_nothing_behind(clones, monkeypatch):
    from editor.content.paths import WriteError

    _, reviewer = clones

    def full(root, relative, data):
        raise WriteError(f"Cannot save {relative}: No space left on device. The file on disk is unchanged.")

    monkeypatch.setattr(comment_steps, "atomic_write", full)
    with pytest.raises(CommentError, match="No space left"):
        comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Gentler?")
    assert git(reviewer, "status", "--porcelain", "--untracked-files=all") == ""
    assert comments.load_threads(reviewer, ENTRY) == []


def test_a_thread_written_but_never_committed_is_committed_by_the_next_step_on_it(clones):
    """As after a kill between the write and the commit."""
    _, reviewer = clones
    entry = Entry.load(reviewer, ENTRY)
    start = entry.body.index(PASSAGE)
    thread = comments.new_thread(ENTRY, entry.body, start, start + len(PASSAGE), ANA[1], ANA[0], "Killed")
    (reviewer / comments.folder_for(ENTRY)).mkdir()
    (reviewer / thread.path).write_bytes(thread.to_bytes())
    with pytest.raises(ReviewError, match="open comment"):
        review.approve(Repository.open(reviewer), ENTRY)
    comment_steps.resolve(reviewer, ENTRY, thread.id)
    assert git(reviewer, "status", "--porcelain", "--untracked-files=all") == ""
    review.approve(Repository.open(reviewer), ENTRY)


def test_cli_edge_cases_in_plain_words(clones, capsys):
    writer, _ = clones
    for args, said in ((["--on", "", "--note", "x"], "Select the words"),
                       (["--on", "   ", "--note", "x"], "Select the words"),
                       (["--on", "id: cant-sleep", "--note", "x"], "is not in the text"),  # the frontmatter
                       (["--on", PASSAGE, "--occurrence", "2", "--note", "x"], "2 times")):
        capsys.readouterr()
        assert main(["review", "comment", str(writer / ENTRY), *args]) == 2
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err
    # the Q line can be commented on: it is the body's first line
    assert main(["review", "comment", str(writer / ENTRY), "--on", "Q: People say", "--note", "Shorter?"]) == 0
    (listed,) = json.loads(_out(capsys, ["review", "comments", str(writer / ENTRY), "--format", "json"]))["comments"]
    q_line = (writer / ENTRY).read_text(encoding="utf-8").splitlines().index(next(
        line for line in (writer / ENTRY).read_text(encoding="utf-8").splitlines() if line.startswith("### Q:"))) + 1
    assert listed["line"] == q_line and listed["open"]
    capsys.readouterr()
    assert main(["review", "reply", str(writer / ENTRY), "../../../etc/passwd", "--note", "x"]) == 2
    assert "No comment" in capsys.readouterr().err


def _out(capsys, args) -> str:
    capsys.readouterr()
    assert main(args) == 0
    return capsys.readouterr().out


def test_cli_finds_words_across_a_hard_wrapped_line(clones):
    writer, _ = clones
    edit(writer, ENTRY, "It can feel unfair and frustrating.", "It can feel unfair\nand frustrating.")
    git(writer, "commit", "-qam", "Wrap")
    comment_steps.add_on_words(writer, ENTRY, "unfair and frustrating", "Gentler?")


def test_open_comments_show_in_a_cached_check_and_go_when_resolved(clones, capsys):
    """The check cache never keeps them: after a resolve, a cached run no longer reports it."""
    writer, _ = clones

    def rules() -> list[str]:
        capsys.readouterr()
        main(["check", str(writer), "--format", "json"])
        return [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"] if f["path"] == ENTRY]

    rules()  # fills the cache
    made = comment_steps.add_on_words(writer, ENTRY, PASSAGE, "Gentler?")
    assert "open-comment" in rules()
    comment_steps.resolve(writer, ENTRY, made.id)
    assert "open-comment" not in rules()


# ================================================================== comments: two clones, renames


def test_a_reply_and_a_resolve_at_once_merge_without_a_conflict(clones):
    writer, reviewer = clones
    made = comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Gentler?")
    git(reviewer, "push", "-q")
    git(writer, "pull", "-q", "--ff-only")
    comment_steps.reply(writer, ENTRY, made.id, "Working on it")
    git(writer, "push", "-q")
    comment_steps.resolve(reviewer, ENTRY, made.id)
    git(reviewer, "fetch", "-q")
    result = subprocess.run(["git", "-C", str(reviewer), "merge", "--no-edit", "origin/main"], capture_output=True)
    assert result.returncode == 0


def test_two_replies_at_once_merge_and_a_thread_file_with_conflict_markers_still_blocks_approval(clones):
    """Two replies to one thread in two clones are two new files: git merges them. A thread file with
    conflict markers in it (from a hand edit merged badly) cannot be read, and still blocks approval."""
    writer, reviewer = clones
    made = comment_steps.add_on_words(reviewer, ENTRY, PASSAGE, "Gentler?")
    git(reviewer, "push", "-q")
    git(writer, "pull", "-q", "--ff-only")
    comment_steps.reply(writer, ENTRY, made.id, "Working on it")
    git(writer, "push", "-q")
    comment_steps.reply(reviewer, ENTRY, made.id, "Please hurry")
    git(reviewer, "fetch", "-q")
    result = subprocess.run(["git", "-C", str(reviewer), "merge", "--no-edit", "origin/main"], capture_output=True)
    assert result.returncode == 0
    (thread,) = comments.load_threads(reviewer, ENTRY)
    assert sorted(r.text for r in thread.replies) == ["Please hurry", "Working on it"]
    text = (reviewer / made.path).read_text(encoding="utf-8")
    (reviewer / made.path).write_text("<<<<<<< HEAD\n" + text + "=======\n" + text + ">>>>>>> theirs\n",
                                      encoding="utf-8")
    git(reviewer, "commit", "-qam", "Merge by hand")  # committed as it stands, markers and all
    with pytest.raises(ReviewError, match="cannot be read"):
        review.approve(Repository.open(reviewer), ENTRY)


def test_open_comments_left_behind_by_a_git_mv_are_not_silent(clones):
    writer, _ = clones
    comment_steps.add_on_words(writer, ENTRY, PASSAGE, "Gentler?")
    git(writer, "mv", ENTRY, "entries/sleep/renamed.md")
    git(writer, "commit", "-qm", "Rename on the command line")
    from conftest import findings_of

    found = [f for f in findings_of(writer) if f.category == "review" and "comment" in f.rule]
    assert found, "the open comment is nowhere"


def test_a_rename_in_the_editor_onto_a_name_with_a_stale_comment_folder(clones):
    from editor.session.entry_ops import rename_entry

    writer, _ = clones
    made = comment_steps.add_on_words(writer, ENTRY, PASSAGE, "Gentler?")
    stale = writer / "entries" / "sleep" / "renamed.comments"
    stale.mkdir()
    (stale / "old.yaml").write_text("quote: x\ncomment: {text: old}\n", encoding="utf-8")
    renamed = rename_entry(writer, ENTRY, "renamed")
    moved = [t.id for t in comments.load_threads(writer, renamed.new)]
    left = [t.id for t in comments.load_threads(writer, ENTRY)]
    assert made.id in moved + left  # never lost from disk
    assert made.id in moved


def test_a_markdown_file_in_a_comment_folder_is_not_an_entry(clones):
    writer, _ = clones
    folder = writer / comments.folder_for(ENTRY)
    folder.mkdir()
    (folder / "notes.md").write_text("my notes\n", encoding="utf-8")
    assert not any(p.startswith(comments.folder_for(ENTRY)) for p in Repository.open(writer).paths)


def test_a_comment_folder_of_an_entry_that_no_longer_exists_does_not_break_anything(clones, capsys):
    writer, _ = clones
    comment_steps.add_on_words(writer, ENTRY, PASSAGE, "Gentler?")
    (writer / ENTRY).unlink()
    capsys.readouterr()
    assert main(["check", str(writer), "--format", "json", "--no-cache"]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
    assert comments.open_counts(writer) == {ENTRY: 1}
