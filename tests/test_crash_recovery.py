"""Crash recovery for real: the editor runs as a process of its own, types into an entry, is killed
with SIGKILL once its autosave draft is on disk, and the next start gets the words back."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

ENTRY = "entries/sleep/sharing-night-feeds.md"
WORDS = "Words typed just before the crash."


def wait_for(predicate, timeout: float, what: str, process=None):
    """Poll ``predicate`` until it returns something true, up to a deadline (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the editor exited ({process.returncode}) while waiting for {what}: "
                                 f"{process.stderr.read().decode(errors='replace')[-2000:]}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start_editor(tmp_path: Path, target: Path, spec: dict, name: str) -> subprocess.Popen:
    spec_file = tmp_path / f"{name}.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MALONE_EDITOR_HOME=str(tmp_path / "home"),
               MALONE_EDITOR_TEST_HOOK=str(spec_file), PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "editor", "open", str(target)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def read_report(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def drafts(tmp_path: Path) -> list[dict]:
    found = []
    for file in (tmp_path / "home" / "recovery").glob("*.json"):
        data = read_report(file)
        if data:
            found.append(data)
    return found


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_editor_gets_its_unsaved_words_back(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", library)
    original = (library / ENTRY).read_bytes()
    first = start_editor(tmp_path, library / ENTRY, {"type": WORDS, "report": str(tmp_path / "first-report.json")},
                         "first")
    try:
        report = wait_for(lambda: (r := read_report(tmp_path / "first-report.json")) and r["text"].endswith(WORDS)
                          and r, 60, "the words to be typed", first)
        assert report["path"] == ENTRY and report["modified"]
        wait_for(lambda: any(d["path"] == ENTRY and d["text"].endswith(WORDS) for d in drafts(tmp_path)), 30,
                 "the autosave draft", first)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    assert first.returncode == -signal.SIGKILL
    assert (library / ENTRY).read_bytes() == original  # only the draft holds the words

    second = start_editor(tmp_path, library, {"restore": True, "report": str(tmp_path / "second-report.json")},
                          "second")
    try:
        report = wait_for(lambda: (r := read_report(tmp_path / "second-report.json")) and r["text"].endswith(WORDS)
                          and r, 60, "the restored words", second)
        assert report["path"] == ENTRY and report["modified"]  # back in the buffer, unsaved, for the writer to save
        assert report["text"] == original.decode("utf-8").replace("\r\n", "\n") + WORDS  # exactly the edit
        assert (library / ENTRY).read_bytes() == original
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait(30)
