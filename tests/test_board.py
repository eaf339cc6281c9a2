"""The review board's model (issue 17): columns, writer, waiting time and open comments, from real
repositories with real commits; and the writer's request for review (who was asked, a note) kept in
the frontmatter and the commit, and cleared when the entry leaves review."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from conftest import ROOT, git, shared_library
from editor.cli import main
from editor.content.entry import Entry
from editor.content.index import build_index
from editor.content.repository import Repository
from editor.vcs import board as boards
from editor.vcs import review

DRAFT = "entries/sleep/worry-at-bedtime.md"  # a draft in the sample library
IN_REVIEW = "entries/sleep/cant-sleep-when-baby-sleeps.md"  # in review
OTHER_REVIEW = "entries/feeding/when-feeding-hurts.md"  # in review
APPROVED = "entries/sleep/coping-with-sleep-deprivation.md"  # approved, next review 2029-06-01
SOON = "entries/sleep/sharing-night-feeds.md"  # approved, next review 2029-06-15
ANA = ("Ana Ruiz", "ana.ruiz@example.org")
MAYA = ("Maya Chen", "maya.chen@example.org")
DAY = 86400
T0 = 1_790_000_000  # 2026-09-21: when the library was made (see ``at``)


@pytest.fixture
def clone(tmp_path):
    return shared_library(tmp_path, [MAYA])[0]


def be(root, person) -> None:
    git(root, "config", "user.name", person[0])
    git(root, "config", "user.email", person[1])


@pytest.fixture
def at(monkeypatch):
    """Commits made from here on are dated ``T0 + days``."""
    def moment(days: float) -> None:
        stamp = f"@{int(T0 + days * DAY)} +0000"
        monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)
        monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)
    return moment


def replace_in(root, path, old, new) -> None:
    target = root / path
    target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def board_of(root, days: float, **kwargs):
    repo = Repository.open(root)
    rows = build_index(repo.root, repo.paths)
    now = T0 + days * DAY
    return boards.build_board(repo.root, rows, repo.settings, today=dt.date.fromtimestamp(now), now=now, **kwargs)


def where(board, path):
    card = board.card(path)
    return card.column, card


def test_every_column_from_real_review_steps(clone, at):
    at(1)
    replace_in(clone, DRAFT, "A: ", "A: Worry at night is common. ")
    git(clone, "commit", "-qam", "Soften the answer")  # Maya writes
    at(2)
    review.request_review(Repository.open(clone), DRAFT, reviewer="ana.ruiz@example.org", note="The second paragraph",
                          today=dt.date(2026, 9, 23))
    be(clone, ANA)
    at(3)
    review.request_changes(Repository.open(clone), IN_REVIEW, "Say what a night feed is", today=dt.date(2026, 9, 24))
    at(4)
    review.approve(Repository.open(clone), OTHER_REVIEW, today=dt.date(2026, 9, 25))
    be(clone, MAYA)
    replace_in(clone, SOON, "next_review: 2029-06-15", "next_review: 2026-10-20")  # due in 15 days (below)
    replace_in(clone, APPROVED, "next_review: 2029-06-01", "next_review: 2026-09-30")  # overdue
    at(5)
    git(clone, "commit", "-qam", "Move two reviews forward")
    voided = "entries/mood/baby-blues-or-depression.md"
    replace_in(clone, voided, "A: ", "A: Edited after approval. ")
    at(6)
    git(clone, "commit", "-qam", "Edit an approved answer")

    board = board_of(clone, 14)  # 2026-10-05
    column, card = where(board, DRAFT)
    assert column == boards.IN_REVIEW and card.asked == "Ana Ruiz" and card.writer == "Maya Chen"
    assert card.waiting == "12 days" and "The second paragraph" in card.detail  # since the request, day 2
    column, card = where(board, IN_REVIEW)
    assert column == boards.CHANGES and card.waiting == "11 days" and "Say what a night feed is" in card.detail
    assert card.writer == "Setup"  # Ana's step is a reviewer's, not a writer's
    column, card = where(board, OTHER_REVIEW)
    assert column == boards.APPROVED and card.writer == "Setup" and card.waiting == "10 days"
    assert card.detail.startswith("Approved by Ana Ruiz")
    column, card = where(board, SOON)
    assert (column, card.flag, card.detail) == (boards.DUE, boards.SOON, "Review due 2026-10-20")
    assert card.headline == "Due in 2 weeks"  # 15 days (from 2026-10-05 14:13)
    column, card = where(board, APPROVED)
    assert (column, card.flag) == (boards.DUE, boards.OVERDUE) and card.waiting == "5 days"
    assert card.headline == "Overdue by 5 days"
    column, card = where(board, voided)
    assert (column, card.flag, card.writer) == (boards.DUE, boards.VOID, "Maya Chen")
    assert card.detail == "Approval void: edited after it was approved" and card.waiting == "8 days"
    assert [c.flag for c in board.columns[boards.DUE]] == [boards.VOID, boards.OVERDUE, boards.SOON]
    column, card = where(board, "entries/pregnancy/pregnancy-worries.md")
    assert column == boards.APPROVED and card.writer == "Setup"
    assert board.identity == MAYA and board.repository
    drafts = {c.path for c in board.columns[boards.DRAFT]}
    assert DRAFT not in drafts and drafts and all(Entry.load(clone, p).status in ("draft", None) for p in drafts)
    assert board.count == len(Repository.open(clone).paths)


def test_an_uncommitted_change_is_yours_from_the_files_time(clone, at):
    at(0)
    replace_in(clone, DRAFT, "A: ", "A: Not committed yet. ")
    os.utime(clone / DRAFT, (T0 + 2 * DAY, T0 + 2 * DAY))
    new = clone / "entries/sleep/brand-new.md"
    shutil.copy(clone / DRAFT, new)
    replace_in(clone, "entries/sleep/brand-new.md", "id: worry-at-bedtime", "id: brand-new")
    os.utime(new, (T0 + 3 * DAY, T0 + 3 * DAY))
    be(clone, ("Lee Park", "lee@example.org"))
    board = board_of(clone, 5)
    card = board.card(DRAFT)
    assert (card.writer, card.waiting, card.uncommitted) == ("Lee Park", "3 days", True)
    card = board.card("entries/sleep/brand-new.md")
    assert (card.column, card.writer, card.waiting, card.uncommitted) == (boards.DRAFT, "Lee Park", "2 days", True)
    assert board.card(IN_REVIEW).uncommitted is False


def test_a_plain_folder_has_a_board_without_git(tmp_path):
    folder = tmp_path / "plain"
    shutil.copytree(ROOT / "sample_content", folder)
    board = board_of(folder, 0)
    assert not board.repository and board.identity is None and board.history is None
    assert {c.writer for cards in board.columns.values() for c in cards} == {"You"}
    assert len(board.columns[boards.IN_REVIEW]) == 5


def test_one_git_log_for_the_whole_library_and_none_while_head_stays(clone, monkeypatch):
    calls = []
    real = boards.run

    def counting(root, *args, **kwargs):
        calls.append(args[0])
        return real(root, *args, **kwargs)

    monkeypatch.setattr(boards, "run", counting)
    first = board_of(clone, 0)
    assert calls.count("log") == 1 and len(calls) <= 4  # rev-parse, config, log, status: not one per entry
    calls.clear()
    second = board_of(clone, 0, history=first.history)
    assert "log" not in calls and second.card(DRAFT) == first.card(DRAFT)
    replace_in(clone, DRAFT, "A: ", "A: New. ")
    git(clone, "commit", "-qam", "Moved on")
    calls.clear()
    board_of(clone, 0, history=first.history)
    assert calls.count("log") == 1  # HEAD moved: read again


def test_open_comments_are_counted_per_card_and_do_not_make_the_writer(clone, at):
    from editor.vcs import comment_steps

    at(1)
    first = comment_steps.add_on_words(clone, IN_REVIEW, "A:", "Say what a night feed is")
    be(clone, ANA)
    comment_steps.add_on_words(clone, IN_REVIEW, "A:", "And cite the source")
    comment_steps.add_on_words(clone, DRAFT, "A:", "Soften this")
    comment_steps.resolve(clone, IN_REVIEW, first.id, "Done")
    board = board_of(clone, 2)
    assert board.card(IN_REVIEW).comments == 1 and board.card(DRAFT).comments == 1
    assert board.card(APPROVED).comments == 0
    assert board.card(IN_REVIEW).writer == "Setup" and not board.card(IN_REVIEW).uncommitted
    assert board.count == len(Repository.open(clone).paths)  # a comment's file is no card


@pytest.mark.parametrize(("seconds", "words"), [
    (5, "just now"), (60, "1 minute"), (3 * 3600, "3 hours"), (DAY, "1 day"), (3 * DAY, "3 days"),
    (20 * DAY, "2 weeks"), (70 * DAY, "2 months"), (400 * DAY, "1 year"), (800 * DAY, "2 years")])
def test_waiting_in_words(seconds, words):
    assert boards.waiting_words(seconds) == words


# --------------------------------------------------------------------------- the request for review


def test_the_request_names_the_reviewer_and_the_note_in_the_frontmatter_and_the_commit(clone):
    body = Entry.load(clone, DRAFT).body_sha256
    sha = review.request_review(Repository.open(clone), DRAFT, reviewer="Grace.Miller@example.org",
                                note="Please check the feeding advice", today=dt.date(2026, 11, 25))
    entry = Entry.load(clone, DRAFT)
    assert entry.status == "in-review" and entry.body_sha256 == body  # outside the hashed body
    assert entry.meta["review_request"] == {"reviewer": "grace.miller@example.org", "by": "maya.chen@example.org",
                                            "date": "2026-11-25", "note": "Please check the feeding advice"}
    message = git(clone, "log", "-1", "--format=%B", sha)
    assert message.startswith("Request review: ") and "Please check the feeding advice" in message
    assert "Review-requested-from: Grace Miller <grace.miller@example.org>" in message
    from conftest import findings_of

    assert [f.rule for f in findings_of(clone, paths=[DRAFT]) if f.category in ("schema", "format")] == []


def test_an_unlisted_reviewer_is_refused_in_plain_words(clone):
    before = (clone / DRAFT).read_bytes(), git(clone, "rev-parse", "HEAD")
    with pytest.raises(review.ReviewError) as refused:
        review.request_review(Repository.open(clone), DRAFT, reviewer="someone@example.org")
    text = str(refused.value)
    assert text.startswith("someone@example.org is not a clinical reviewer in content.yaml")
    assert "Ana Ruiz (ana.ruiz@example.org)" in text and "Nothing was changed" in text
    assert ((clone / DRAFT).read_bytes(), git(clone, "rev-parse", "HEAD")) == before


def test_asking_again_for_the_same_review_changes_nothing_but_another_reviewer_is_a_new_request(clone):
    repo = Repository.open(clone)
    review.request_review(repo, DRAFT, reviewer="ana.ruiz@example.org")
    with pytest.raises(review.ReviewError, match="already waiting for a review by Ana Ruiz"):
        review.request_review(repo, DRAFT, reviewer="ana.ruiz@example.org")
    review.request_review(repo, DRAFT, reviewer="grace.miller@example.org")
    assert Entry.load(clone, DRAFT).meta["review_request"]["reviewer"] == "grace.miller@example.org"


@pytest.mark.parametrize("step", ["approve", "changes"])
def test_the_request_is_cleared_when_the_entry_leaves_review(clone, step):
    review.request_review(Repository.open(clone), IN_REVIEW, reviewer="ana.ruiz@example.org", note="Thanks")
    be(clone, ANA)
    if step == "approve":
        review.approve(Repository.open(clone), IN_REVIEW)
    else:
        review.request_changes(Repository.open(clone), IN_REVIEW, "One more source, please")
    entry = Entry.load(clone, IN_REVIEW)
    assert "review_request" not in entry.meta and "review_request" not in entry.text
    assert git(clone, "status", "--porcelain") == ""


def test_the_command_line_asks_a_reviewer_with_a_note(clone, capsys):
    assert main(["review", "request", str(clone / DRAFT), "--reviewer", "ana.ruiz@example.org",
                 "--note", "Short one"]) == 0
    assert "Review requested for entries/sleep/worry-at-bedtime.md" in capsys.readouterr().out
    assert Entry.load(clone, DRAFT).meta["review_request"]["note"] == "Short one"
    code = main(["review", "request", str(clone / IN_REVIEW), "--reviewer", "nobody@example.org"])
    err = capsys.readouterr().err
    assert code == 2 and "nobody@example.org is not a clinical reviewer in content.yaml" in err
    assert "Traceback" not in err
    assert main(["review", "queue", str(clone)]) == 0  # the queue still answers, and says who was asked
    line = next(line for line in capsys.readouterr().out.splitlines() if DRAFT in line)
    assert line.startswith("in-review ") and "waiting for a clinical review by Ana Ruiz" in line
