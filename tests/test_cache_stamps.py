"""The check cache knows an unchanged entry by its stamp (size, modification time, inode, change
time: ``editor.content.file_stamp``) and does not read it again; any change of the bytes is still
seen, whatever happens to the times, and a file changed within two seconds of a check is never
known by its stamp. The oracle is the same check without a cache."""
from __future__ import annotations

import datetime as dt
import os
import time

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import GOOD_BODY, RepoBuilder, entry_text
from editor.checks import entry_reader, runner
from editor.checks.cache import CheckCache
from editor.content.repository import Repository

TODAY = dt.date(2026, 11, 25)
LATER = 10.0  # seconds: the checks below run, as far as the stamps can tell, this long after the edits


class _Later:
    """``time`` as the reader sees it: LATER seconds on, so that files written by the test are not
    too new to be stamped."""

    @staticmethod
    def time() -> float:
        return time.time() + LATER


def _reads(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = entry_reader.EntryReader.__call__

    def counting(self, path):
        seen.append(path)
        return real(self, path)

    monkeypatch.setattr(entry_reader.EntryReader, "__call__", counting)
    return seen


def run(root, folder, paths=None):
    cache = CheckCache(root, TODAY, True, folder)
    return runner.check_repository(Repository.open(root), paths, today=TODAY, jobs=1, cache=cache).findings


def oracle(root):
    return runner.check_repository(Repository.open(root), today=TODAY, jobs=1).findings


def _write_keeping_times(path, data: bytes) -> None:
    """Write ``data`` and put the file's times back, as some tools do; wait (on the clock, not for a
    fixed time) until the change time the write will get differs from the one before."""
    before = os.stat(path)
    probe = path.with_name(".probe")
    while True:
        probe.write_bytes(b"x")
        if os.stat(probe).st_ctime_ns != before.st_ctime_ns:
            break
    probe.unlink()
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_an_unchanged_library_is_not_read_again(repo, tmp_path, monkeypatch):
    monkeypatch.setattr(entry_reader, "time", _Later)
    repo.entry("sleep/rest.md", entry_text(GOOD_BODY + "\nYou must cheer up.\n"))
    repo.entry("sleep/naps.md", entry_text(id="naps"))
    first = run(repo.root, tmp_path / "c")  # fills the cache
    assert run(repo.root, tmp_path / "c") == first  # reads each file, keeps its stamp
    reads = _reads(monkeypatch)
    again = run(repo.root, tmp_path / "c")
    assert reads == []
    assert again == first == oracle(repo.root)


def test_a_file_changed_just_now_is_read(repo, tmp_path, monkeypatch):
    repo.entry("sleep/rest.md", entry_text())
    run(repo.root, tmp_path / "c")
    run(repo.root, tmp_path / "c")
    reads = _reads(monkeypatch)
    run(repo.root, tmp_path / "c")  # the clock as it is: the file is younger than two seconds
    assert reads == ["entries/sleep/rest.md"]


def test_an_edit_that_keeps_size_and_times_is_seen(repo, tmp_path, monkeypatch):
    monkeypatch.setattr(entry_reader, "time", _Later)
    path = repo.entry("sleep/rest.md", entry_text(GOOD_BODY + "\nYou can do this.\n"))
    run(repo.root, tmp_path / "c")
    assert run(repo.root, tmp_path / "c") == []
    old = path.read_bytes()
    new = old.replace(b"You can do this.", b"Just cheer up!!!")
    assert len(new) == len(old)
    _write_keeping_times(path, new)
    assert {f.rule for f in run(repo.root, tmp_path / "c")} == {f.rule for f in oracle(repo.root)} != set()


def test_a_file_replaced_by_a_link_is_not_served_by_its_stamp(repo, tmp_path, monkeypatch):
    monkeypatch.setattr(entry_reader, "time", _Later)
    text = entry_text()
    path = repo.entry("sleep/rest.md", text)
    run(repo.root, tmp_path / "c")
    run(repo.root, tmp_path / "c")
    outside = tmp_path / "outside.md"
    outside.write_text(text)
    path.unlink()
    path.symlink_to(outside)
    assert [f.rule for f in run(repo.root, tmp_path / "c")] == ["symlink-outside"]


def test_stamps_survive_the_journal_and_a_whole_write(repo, tmp_path, monkeypatch):
    from editor.checks import cache as cache_module

    monkeypatch.setattr(entry_reader, "time", _Later)
    monkeypatch.setattr(cache_module, "JOURNAL_SMALL", 2)
    for number in range(12):
        repo.entry(f"sleep/e{number}.md", entry_text(id=f"e{number}"))
    run(repo.root, tmp_path / "c")
    run(repo.root, tmp_path / "c")  # twelve stamps: more than the journal may hold, so a whole write
    reads = _reads(monkeypatch)
    run(repo.root, tmp_path / "c")
    assert reads == []
    repo.entry("sleep/e3.md", entry_text(id="e3").replace("Broken sleep", "Broken rest"))
    run(repo.root, tmp_path / "c")  # one entry and its stamp: the journal
    assert list((tmp_path / "c" / "checks").glob("*.journal"))
    reads.clear()
    again = run(repo.root, tmp_path / "c")
    assert reads == []
    assert again == oracle(repo.root)


EDITS = st.lists(st.tuples(st.sampled_from(["same size, times kept", "longer", "touch", "rename", "delete", "add",
                                            "duplicate id"]),
                           st.integers(0, 5)), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_random_edits_between_cached_checks_find_what_a_check_without_cache_finds(tmp_path_factory, edits):
    from _pytest.monkeypatch import MonkeyPatch

    root = tmp_path_factory.mktemp("lib")
    folder = root / "cache"
    repo = RepoBuilder(root / "content")
    bodies = [GOOD_BODY, GOOD_BODY + "\nYou must cheer up.\n", GOOD_BODY + "\nCommitted suicide.\n"]
    for number in range(4):
        repo.entry(f"sleep/e{number}.md", entry_text(bodies[number % 3], id=f"e{number}"))
    with MonkeyPatch.context() as patch:
        patch.setattr(entry_reader, "time", _Later)
        run(repo.root, folder)
        run(repo.root, folder)
        for step, (kind, which) in enumerate(edits):
            paths = sorted((repo.root / "entries").rglob("*.md"))
            path = paths[which % len(paths)] if paths else None
            if kind == "same size, times kept" and path is not None:
                data = path.read_bytes()
                flipped = data.replace(b"cheer up", b"chin up!") if b"cheer up" in data else \
                    data.replace(b"Broken sleep", b"Broken night")[:len(data)]
                if len(flipped) == len(data):
                    _write_keeping_times(path, flipped)
            elif kind == "longer" and path is not None:
                path.write_bytes(path.read_bytes() + b"\nCommitted suicide.\n")
                os.utime(path, ns=(0, 10**9 * (1_000_000 + step)))  # a time of its own, far in the past
            elif kind == "touch" and path is not None:
                os.utime(path)
            elif kind == "rename" and path is not None:
                path.rename(path.with_name(f"moved-{step}.md"))
            elif kind == "delete" and path is not None:
                path.unlink()
            elif kind == "add":
                repo.entry(f"sleep/new-{step}.md", entry_text(bodies[step % 3], id=f"new-{step}"))
            elif kind == "duplicate id" and path is not None:
                repo.entry(f"sleep/copy-{step}.md", path.read_bytes())
            assert run(repo.root, folder) == oracle(repo.root), (step, kind)
