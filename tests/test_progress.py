"""check_repository's progress and Cancel, in one process and in worker processes: progress moves
and reaches the total, a cancel stops the run (and its workers) at once, and what a cancelled run
leaves in the cache never hides a finding."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import threading

import pytest

from conftest import GOOD_BODY, RepoBuilder, entry_text
from editor.checks import runner
from editor.checks.cache import CheckCache
from editor.checks.runner import PARALLEL_THRESHOLD, CheckCancelled, check_repository
from editor.content.repository import Repository

TODAY = dt.date(2026, 11, 25)
MODES = {"serial": 1, "parallel": 2}  # PARALLEL_THRESHOLD entries or more run in worker processes with jobs > 1


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """PARALLEL_THRESHOLD + 30 entries in four folders: every fifth draws a finding, two share an id."""
    builder = RepoBuilder(tmp_path_factory.mktemp("library") / "content")
    for number in range(PARALLEL_THRESHOLD + 30):
        body = GOOD_BODY.replace("hard,", "hard, so cheer up,") if number % 5 == 0 else GOOD_BODY
        builder.entry(f"m{number % 4}/e{number:03}.md", entry_text(body, id=f"e{6 if number == 7 else number}"))
    return builder.root


def check(root, jobs, cache_dir=None, **kwargs):
    cache = CheckCache(root, TODAY, True, cache_dir) if cache_dir else None
    return check_repository(Repository.open(root), today=TODAY, jobs=jobs, cache=cache, **kwargs)


@pytest.fixture(scope="module")
def expected(library):
    report = check(library, 1)
    assert {f.rule for f in report.findings} == {"dismissive-phrases", "duplicate-id"}
    return report.findings


@pytest.mark.parametrize("mode", MODES)
def test_progress_moves_and_reaches_the_total(library, expected, mode, tmp_path):
    total = len(Repository.open(library).paths)
    for cache_dir in (None, tmp_path / "cache", tmp_path / "cache"):  # cold, then every entry from the cache
        calls, threads = [], set()

        def progress(done, all_):
            calls.append((done, all_))
            threads.add(threading.get_ident())

        report = check(library, MODES[mode], cache_dir, progress=progress)
        assert report.findings == expected and threads == {threading.get_ident()}
        assert calls[-1] == (total, total) and {all_ for _, all_ in calls} == {total}
        dones = [done for done, _ in calls]
        assert dones == sorted(set(dones)) and len(calls) >= total // runner.CHUNK
        assert max(b - a for a, b in zip([0, *dones], dones)) <= runner.CHUNK


@pytest.mark.parametrize("mode", MODES)
def test_cancel_from_progress_stops_at_once(library, mode, monkeypatch):
    checked = []
    real = runner.check_entry
    monkeypatch.setattr(runner, "check_entry", lambda entry, ctx: checked.append(entry.path) or real(entry, ctx))
    calls, stop = [], []

    def progress(done, total):
        calls.append(done)
        if done >= 50:
            stop.append(done)

    with pytest.raises(CheckCancelled):
        check(library, MODES[mode], progress=progress, cancelled=lambda: bool(stop))
    total = len(Repository.open(library).paths)
    assert calls[-1] == stop[0] < total and len(stop) == 1  # no progress after the cancel
    assert multiprocessing.active_children() == []  # the workers were stopped, not left to finish
    if mode == "serial":
        assert len(checked) == stop[0]  # not one entry checked after the cancel


@pytest.mark.parametrize("mode", MODES)
def test_a_cancelled_run_leaves_a_cache_that_hides_nothing(library, expected, mode, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    total = len(Repository.open(library).paths)
    stop = []
    with pytest.raises(CheckCancelled):
        check(library, MODES[mode], folder, progress=lambda done, _: done >= total // 2 and stop.append(done),
              cancelled=lambda: bool(stop))
    checked = []
    real = runner.check_entry
    monkeypatch.setattr(runner, "check_entry", lambda entry, ctx: checked.append(entry.path) or real(entry, ctx))
    assert check(library, 1, folder).findings == expected
    assert 0 < len(checked) <= total - stop[0]  # what was checked before the cancel was kept, and only that
