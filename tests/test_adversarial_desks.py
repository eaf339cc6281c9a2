"""An adversary's tests of the desks (issue 17, parts 3-5): the review board and review rights, the
link index behind Link Health, and Export for Review (PDF). Each is held to an independent oracle
where there is one: git itself for what the history holds, markdown-it (the document model) for the
links of a body, poppler (pdftotext, pdfimages, pdfinfo) for what the PDF holds. A test marked
xfail(strict) is a bug found, described in its reason."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, git
from editor.checks import link_health
from editor.checks import link_index as li
from editor.checks.link_scan import scan
from editor.content.config import _settings
from editor.content.entry import Entry
from editor.content.index import build_index
from editor.content.repository import Repository
from editor.vcs import board as boards
from editor.vcs import review_rights

APPROVED = "entries/sleep/coping-with-sleep-deprivation.md"  # approved, reviewed by grace.miller
POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfimages") is not None


def library(tmp_path: Path, who=("Maya Chen", "maya.chen@example.org")) -> Path:
    root = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", who[0])
    git(root, "config", "user.email", who[1])
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Library")
    return root


def board_of(root: Path, **kwargs):
    repo = Repository.open(root)
    return boards.build_board(repo.root, build_index(repo.root, repo.paths), repo.settings, **kwargs)


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---------------------------------------------------------------------------------------- the board


def test_odd_frontmatter_still_makes_a_card_each(tmp_path):
    """No frontmatter, broken YAML, a status outside the contract, a review block that is a list,
    next_review not a date, a request naming someone not listed with a huge note: every file is a
    card, none breaks the build."""
    root = library(tmp_path)
    odd = {
        "entries/odd/none.md": "### Q: No frontmatter?\n\nA: None.\n",
        "entries/odd/broken.md": "---\nid: [unclosed\nstatus: draft\n---\n### Q: Broken?\n\nA: Yes.\n",
        "entries/odd/status.md": "---\nid: status\nmodule: sleep\nstatus: published\n---\n### Q: Published?\n\nA: x\n",
        "entries/odd/list.md": "---\nid: list\nmodule: sleep\nstatus: approved\nreview: [a, b]\n---\n### Q: L?\n\nA: x\n",
        "entries/odd/when.md": "---\nid: when\nmodule: sleep\nstatus: approved\nreview:\n  reviewer: x@y.org\n"
                               "  reviewed_on: soon\n  next_review: later\n  body_sha256: 00\n---\n### Q: W?\n\nA: x\n",
        "entries/odd/asked.md": "---\nid: asked\nmodule: sleep\nstatus: in-review\nreview_request:\n"
                                "  reviewer: nobody@nowhere.example\n  by: maya.chen@example.org\n  date: 1900-01-01\n"
                                "  note: '" + "very long note " * 4000 + "'\n---\n### Q: Asked?\n\nA: x\n",  # 60 KB
        "entries/odd/future.md": "---\nid: future\nmodule: sleep\nstatus: in-review\nreview_request:\n"
                                 "  date: 3999-01-01\n---\n### Q: Future?\n\nA: x\n",
    }
    for path, text in odd.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Odd ones")
    board = board_of(root)
    columns = {path: board.card(path).column for path in odd}
    assert columns["entries/odd/none.md"] == boards.DRAFT
    assert columns["entries/odd/status.md"] == boards.DRAFT
    listed = board.card("entries/odd/list.md")  # marked approved, no review block that can be read: void
    assert (listed.column, listed.flag) == (boards.DUE, boards.VOID) and "no review on record" in listed.detail
    assert columns["entries/odd/when.md"] == boards.DUE and board.card("entries/odd/when.md").flag == boards.VOID
    asked = board.card("entries/odd/asked.md")
    assert asked.column == boards.IN_REVIEW and asked.asked == "nobody@nowhere.example"
    assert board.card("entries/odd/future.md").waiting == "just now"  # a date ahead counts as now, not negative
    assert board.count == len(Repository.open(root).paths)


def test_a_review_date_near_the_end_of_time_does_not_break_the_board(tmp_path):
    root = library(tmp_path)
    edit(root, APPROVED, "reviewed_on: 2026-06-02", "reviewed_on: 9999-06-02")
    edit(root, APPROVED, "  next_review: 2029-06-01\n", "")
    card = board_of(root).card(APPROVED)
    assert card is not None and card.column in (boards.APPROVED, boards.DUE)


def test_a_renamed_reviewer_shows_with_the_new_name():
    """(Found as a bug: names were cached by id(settings) alone, and a new Settings at a freed one's
    address showed the old name. The cache now holds the settings it read, so no address is reused.)"""
    def settings_naming(name):
        return _settings({"reviewers": [{"name": name, "email": "ana@example.org", "credentials": "Psychologist"}]})

    first = settings_naming("Ana Old")
    assert boards._name(first, "ana@example.org") == "Ana Old"
    address = id(first)
    del first
    second = None
    for _ in range(2000):  # CPython reuses a freed object's memory at once; try a few in case it does not
        second = settings_naming("Ana New")
        if id(second) == address:
            break
        second = None
    second = second or settings_naming("Ana New")
    assert boards._name(second, "ana@example.org") == "Ana New"


def test_writer_and_history_agree_with_git_log_over_renames_merges_and_strangers(tmp_path, monkeypatch):
    """The newest commit the board records for each entry is the one ``git log -1 --no-merges -- path``
    names; a renamed entry's writer is whoever renamed it (git's view without --follow)."""
    root = library(tmp_path)
    people = [("Maya Chen", "maya.chen@example.org"), ("Wendy Writer", "wendy@example.org"),
              ("Näme Ünicode", "nu@example.org")]
    paths = Repository.open(root).paths[:6]
    for number, path in enumerate(paths):
        name, email = people[number % 3]
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"@{1_790_000_000 + number * 3600} +0000")
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"@{1_790_000_000 + number * 3600} +0000")
        with (root / path).open("a", encoding="utf-8") as file:
            file.write(f"\nMore words {number}.\n")
        git(root, "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-qam", f"Edit {number}")
    git(root, "checkout", "-qb", "side")
    with (root / paths[0]).open("a", encoding="utf-8") as file:
        file.write("\nOn a side branch.\n")
    git(root, "-c", "user.name=Side Person", "-c", "user.email=side@example.org", "commit", "-qam", "Side")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge side", "side")
    renamed = paths[1].replace(".md", "-renamed.md")
    git(root, "-c", "user.name=Renamer", "-c", "user.email=renamer@example.org", "mv", paths[1], renamed)
    git(root, "-c", "user.name=Renamer", "-c", "user.email=renamer@example.org", "commit", "-qm", "Rename")
    git(root, "checkout", "-q", "--detach")
    board = board_of(root)
    for path in Repository.open(root).paths:
        card = board.card(path)
        name, when = git(root, "log", "-1", "--no-merges", "--format=%an%x00%ct", "--", path).strip().split("\x00")
        assert board.history.entries[path].newest.name == name, path
        assert board.history.entries[path].newest.time == float(when), path
        assert card.writer == name, path
    assert board.card(renamed).writer == "Renamer"
    assert board.card(paths[0]).writer == "Side Person"


def test_a_shallow_clone_a_plain_folder_and_no_email(tmp_path):
    root = library(tmp_path)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True)
    git(shallow, "config", "user.name", "Only A Name")
    git(shallow, "config", "user.email", "")
    board = board_of(shallow)
    assert board.repository and board.identity is None
    assert board.count == len(Repository.open(shallow).paths)
    steps = review_rights.rights(boards.DRAFT, repository=True, identity=board.identity)
    assert not steps["request"].enabled and "Git does not know who you are" in steps["request"].reason

    plain = tmp_path / "plain"
    shutil.copytree(ROOT / "sample_content", plain)
    board = board_of(plain)
    assert not board.repository and board.identity is None
    assert all(c.writer == "You" for cards in board.columns.values() for c in cards)
    assert "not a git repository" in review_rights.rights(boards.DRAFT, repository=False)["approve"].reason


def test_approve_is_not_offered_when_the_git_name_is_not_the_listed_one(tmp_path):
    repo = Repository.open(library(tmp_path))
    steps = review_rights.rights(boards.IN_REVIEW, identity=("A. Ruiz", "ana.ruiz@example.org"),
                                 settings=repo.settings)
    assert not steps["approve"].enabled and "Ana Ruiz" in steps["approve"].reason


# ---------------------------------------------------------------------------------------- link index

TOKENS = ["[a](b)", "[x](?tab=home)", "![i](https://x.org/p)", "[t](u \"v\")", "[t](u 'v')", "[", "]", "(", ")",
          "!", "*", "**", "_", "#", "-", "+", "1.", "1)", "2026.", " ", "  ", "    ", "\n", "\n", "\n", "\r\n", "\t",
          "=", "---", "***", ">", '"', "'", "a", "text", "\x0c", "\x0b", "\x85", "\u2028", "\u2029", "\x1c",
          "www.x.org", "ana@example.org", ":", "?", "]:", "{", "~", "~~", "$", "%", ";", "&", "\u00a0", "h", "ttp",
          "\x7f", "\ufeff", "\u200b", "[**b**](?tab=journal)", "*[c](d)*", "<", "`"]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join), st.booleans())
def test_fast_scan_is_markdown_it_on_token_soup(body, frontmatter):
    """Bodies made of markdown's sharp pieces in any order (not the team's shapes): whenever the plain
    scan accepts one, the links are exactly the document model's."""
    text = ("---\nid: x\nmodule: sleep\nstatus: draft\n---\n" if frontmatter else "") + body
    entry = Entry.from_text("entries/x.md", text)
    if scan(entry.body) is not None:
        assert li.extract(entry) == li.extract(entry, fast=False)


def test_ten_thousand_links_and_a_megabyte_body():
    links = "".join(f"- [link {n}](?tab=modules&module=sleep) and [web](https://example.org/{n})\n"
                    for n in range(5000))
    entry = Entry.from_text("entries/x.md", "### Q: Many?\n\nA: Yes.\n\n" + links + "words " * 150_000)
    assert len(entry.body) > 1_000_000
    fast = li.extract(entry)
    assert len(fast) == 10_000 and fast == li.extract(entry, fast=False)


def refreshed(root: Path, paths: list[str], old=None, cache=None):
    return li.refresh(old, root, paths, cache, jobs=1)


def age(path: Path, seconds: float = 100) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))


def test_a_same_size_edit_with_its_time_put_back_is_read_again(tmp_path):
    root = library(tmp_path)
    path = "entries/sleep/worry-at-bedtime.md"
    file = root / path
    text = file.read_text(encoding="utf-8")
    file.write_text(text + "\n[Tap](?tab=journal)\n", encoding="utf-8")
    age(file)
    first = refreshed(root, [path])
    assert ("?tab=journal", li.IN_APP) in [(u.target, u.kind) for u in first.uses(path)]
    before = file.stat()
    with file.open("r+b") as handle:  # the same bytes count: journal -> profile would change the size
        handle.seek(0, os.SEEK_END)
        handle.seek(handle.tell() - len("journal)\n"))
        handle.write(b"chat)   \n")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_size == before.st_size and file.stat().st_mtime_ns == before.st_mtime_ns
    git(root, "add", "-A")  # git, the oracle, sees the change
    assert git(root, "diff", "--cached", "--name-only").strip() == path
    second = refreshed(root, [path], old=first)
    assert ("?tab=chat", li.IN_APP) in [(u.target, u.kind) for u in second.uses(path)]


def test_a_file_changed_just_now_is_never_trusted_by_its_stamp(tmp_path):
    """The racy-file rule: a file written within the last two seconds is read again next time, even
    with the same size and time."""
    root = library(tmp_path)
    path = "entries/sleep/worry-at-bedtime.md"
    file = root / path
    file.write_text(file.read_text(encoding="utf-8") + "\n[Tap](?tab=journal)\n", encoding="utf-8")
    first = refreshed(root, [path])
    assert first.files[path].stamp is None
    before = file.stat()
    data = file.read_bytes().replace(b"?tab=journal", b"?tab=profile"[:12])
    assert len(data) == before.st_size
    file.write_bytes(data)
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "?tab=profile" in [u.target for u in refreshed(root, [path], old=first).uses(path)]


def test_a_symlink_out_of_the_library_and_a_folder_named_like_an_entry(tmp_path):
    root = library(tmp_path)
    outside = tmp_path / "secret.md"
    outside.write_text("### Q: Secret?\n\nA: [x](?tab=chat) [y](https://secret.example/)\n", encoding="utf-8")
    path = "entries/sleep/worry-at-bedtime.md"
    age(root / path)
    first = refreshed(root, [path, "entries/folder.md"])
    (root / path).unlink()
    (root / path).symlink_to(outside)
    (root / "entries" / "folder.md").mkdir()
    second = refreshed(root, [path, "entries/folder.md"], old=first)
    assert second.uses(path) == () and second.uses("entries/folder.md") == ()


@pytest.mark.parametrize("content", [
    b"\xff\xfe not utf-8", b"[]", b'{"fingerprint": 5}', b"null",
    lambda fp: json.dumps({"fingerprint": fp, "files": {"x": [[1, 2, 3, 4, 5]], "y": "zz"},
                           "stamps": {"entries/a.md": [1, 2, 3, 4]}}).encode(),
    lambda fp: json.dumps({"fingerprint": "0:another-version", "files": {}, "stamps": {}}).encode(),
])
def test_a_damaged_or_foreign_cache_is_ignored(tmp_path, content):
    root = library(tmp_path)
    paths = Repository.open(root).paths
    for path in paths:
        age(root / path)
    clean = refreshed(root, paths)
    cache = li.ExtractCache(root, tmp_path / "cache")
    cache.file.parent.mkdir(parents=True, exist_ok=True)
    cache.file.write_bytes(content(cache.fingerprint) if callable(content) else content)
    again = refreshed(root, paths, cache=li.ExtractCache(root, tmp_path / "cache"))
    assert {p: r.uses for p, r in again.files.items()} == {p: r.uses for p, r in clean.files.items()}


def test_a_cache_that_lies_about_a_file_is_not_believed_after_an_edit(tmp_path):
    """A new window's cache says what a file held at a size, time and inode; an edit changes them."""
    root = library(tmp_path)
    path = "entries/sleep/worry-at-bedtime.md"
    age(root / path)
    folder = tmp_path / "cache"
    refreshed(root, [path], cache=li.ExtractCache(root, folder))
    edit(root, path, "### Q:", "[New](?tab=chat)\n\n### Q:")
    age(root / path, 50)
    uses = refreshed(root, [path], cache=li.ExtractCache(root, folder)).uses(path)
    assert "?tab=chat" in [u.target for u in uses]


def test_a_deeply_nested_cache_file_is_ignored(tmp_path):
    root = library(tmp_path)
    cache = li.ExtractCache(root, tmp_path / "cache")
    cache.file.parent.mkdir(parents=True, exist_ok=True)
    cache.file.write_text("[" * 200_000, encoding="utf-8")
    li.ExtractCache(root, tmp_path / "cache")


def test_the_filter_is_plain_text_not_a_pattern():
    uses = (li.LinkUse("https://x.org/a(b)", li.WEB, 1, 1), li.LinkUse("?tab=home", li.IN_APP, 2, 1),
            li.LinkUse("https://x.org/a.*b", li.WEB, 3, 1), li.LinkUse("https://x.org/[c]?", li.WEB, 4, 1))
    index = li.LinkIndex({"entries/a.md": li.FileLinks("d", None, uses)})
    model = link_health.build(index, None, {"entries/a.md": ("Why (really)?", None)})
    for needle, expected in (("(b)", ["https://x.org/a(b)"]), (".*", ["https://x.org/a.*b"]),
                             ("[c]?", ["https://x.org/[c]?"]), ("\\", []), ("  ", sorted(u.target for u in uses))):
        assert sorted(r.target for r in model.filtered(text=needle)) == expected, needle
    assert len(model.filtered(text="(REALLY)")) == 4


# ---------------------------------------------------------------------------------------- export


def export(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "editor", "review", "export", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


HOSTILE = """\
### Q: Is <img src="{png}"> shown as text?

A: Raw <img src="{png}"> and ![an image](file://{png}) and <img src="file://{png}"> and
<a href="file:///etc/passwd">passwd</a>.

A long word: {long}

RTL: \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 and non-BMP \U0001d518\U0001d52b\U0001f600 end.
"""


@pytest.fixture
def hostile(tmp_path):
    from PySide6.QtGui import QColor, QImage

    root = library(tmp_path)
    png = tmp_path / "secret_dir" / "secret.png"
    png.parent.mkdir()
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(png))
    body = HOSTILE.format(png=png, long="w" * 2500)
    head = ("---\nid: hostile\nmodule: sleep\nstatus: in-review\nreview_request:\n  by: maya.chen@example.org\n"
            f"  date: 2026-01-01\n  note: 'see <img src=\"{png}\">'\n---\n")
    (root / "entries" / "hostile.md").write_text(head + body, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Hostile")
    return root


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_pack_loads_no_file_and_keeps_long_words_on_the_page(hostile, tmp_path):
    out = tmp_path / "ünï cödé folder" / "the pack.pdf"
    out.parent.mkdir()
    done = export(str(hostile), "entries/hostile.md", "-o", str(out))
    assert done.returncode == 0, done.stderr
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2, images  # the header only: no image embedded
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    squashed = " ".join(text.replace("\ufb01", "fi").split())
    assert '<img src="' in squashed and "passwd</a>" in squashed and "[image: an image" in squashed
    assert "\u05e9\u05dc\u05d5\u05dd" in text
    import re

    assert sum(len(run) for run in re.findall(r"w{20,}", text)) >= 2500  # all of the long word, wrapped over pages
    bbox = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox))
    assert right <= width - 18 / 25.4 * 72 + 1  # inside the right margin


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
@pytest.mark.xfail(strict=True, reason="export: characters outside the BMP (emoji, math letters) are drawn but "
                                       "lost from the PDF's text (Qt's PDF writer): a search or copy of the pack "
                                       "misses them")
def test_characters_outside_the_bmp_can_be_found_in_the_pdf(hostile, tmp_path):
    out = tmp_path / "pack.pdf"
    assert export(str(hostile), "entries/hostile.md", "-o", str(out)).returncode == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "\U0001d518\U0001d52b" in text


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
@pytest.mark.xfail(strict=True, reason="export: a line that overflows a page is clipped from the next page's top "
                                       "margin but stays in the PDF's text: pdftotext (search, copy) finds it twice")
def test_text_at_a_page_break_is_in_the_pdf_once(hostile, tmp_path):
    import re

    out = tmp_path / "pack.pdf"
    assert export(str(hostile), "entries/hostile.md", "-o", str(out)).returncode == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert sum(len(run) for run in re.findall(r"w{20,}", text)) == 2500


def test_export_refuses_plainly(tmp_path):
    root = library(tmp_path)
    entry = "entries/sleep/worry-at-bedtime.md"
    done = export(str(root), entry, "-o", str(tmp_path / "no such folder" / "x.pdf"))
    assert done.returncode == 2 and "does not exist" in done.stderr and "Traceback" not in done.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.pdf").write_bytes(b"old")
    locked.chmod(0o555)
    try:
        done = export(str(root), entry, "-o", str(locked / "x.pdf"))
        if os.geteuid() != 0:
            assert done.returncode == 2 and "cannot be written to" in done.stderr
            assert (locked / "x.pdf").read_bytes() == b"old"
    finally:
        locked.chmod(0o755)
    done = export(str(root), entry, "-o", str(root / "entries" / "sleep"))
    assert done.returncode == 2 and "is a folder" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_a_kill_during_export_leaves_the_old_pack_or_a_whole_one(tmp_path):
    root = library(tmp_path)
    paths = Repository.open(root).paths
    out = tmp_path / "pack.pdf"
    out.write_bytes(b"the old pack")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "editor", "review", "export", str(root), *paths, "-o", str(out)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:  # kill it the moment anything appears in the folder: the write has begun
        while process.poll() is None and len(os.listdir(tmp_path)) == 2:
            pass
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(30)
    data = out.read_bytes()
    if data != b"the old pack":
        assert subprocess.run(["pdfinfo", str(out)], capture_output=True).returncode == 0
    done = export(str(root), *paths[:2], "-o", str(out))
    assert done.returncode == 0 and out.read_bytes().startswith(b"%PDF")


def test_a_request_in_the_cli_for_someone_not_listed_changes_nothing(tmp_path):
    root = library(tmp_path)
    entry = "entries/sleep/worry-at-bedtime.md"
    before = (root / entry).read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "editor", "review", "request", str(root / entry), "--reviewer",
                           "stranger@example.org", "--note", "x"], capture_output=True, text=True, env=env)
    assert done.returncode != 0 and "not a clinical reviewer" in done.stderr and "Traceback" not in done.stderr
    assert (root / entry).read_bytes() == before and git(root, "status", "--porcelain") == ""
    head = git(root, "rev-parse", "HEAD")
    note = "A note with: colons, 'quotes', \"double\", # hash, --- and\nlines\n  indented"
    done = subprocess.run([sys.executable, "-m", "editor", "review", "request", str(root / entry), "--reviewer",
                           "ana.ruiz@example.org", "--note", note], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert git(root, "rev-parse", "HEAD") != head
    row = build_index(root, [entry])[0]
    assert row.status == "in-review" and row.review_request.reviewer == "ana.ruiz@example.org"
    assert row.review_request.note == note.strip()
    assert dt.date.fromisoformat(row.review_request.date) <= dt.date.today()
