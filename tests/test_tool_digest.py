"""The tool's digest (editor/checks/tool_digest.py) is kept under its files' stamps: a process that
finds every stamp as it was reads the digest, not the files; any change of a file's bytes, or of its
stamp, makes a new one. The oracle is the digest made by reading every file."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor.checks import tool_digest as td

_REAL_READ_MEMO = td._read_memo


@pytest.fixture
def package(tmp_path, monkeypatch):
    folder = tmp_path / "pkg"
    (folder / "rules").mkdir(parents=True)
    (folder / "a.py").write_text("print('a')\n")
    (folder / "rules" / "default.yaml").write_text("rules: []\n")
    (folder / "notes.md").write_text("not part of the digest\n")
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "entry.json").write_text("{}")
    monkeypatch.setattr(td, "_PACKAGE", folder)
    _fresh_process()
    yield folder, schemas
    _fresh_process()


def _fresh_process():
    td._package_files.cache_clear()
    td._digest_of.cache_clear()


class _Later:
    """The clock ten seconds on: every file written so far is settled (its stamp is known)."""

    @staticmethod
    def time() -> float:
        import time

        return time.time() + 10


def _settle(monkeypatch) -> None:
    """The files written so far were written long enough ago to be known by their stamps
    (``file_stamp``): their change time, which no tool can put back, is what settles a file, so
    the clock moves on rather than the files' times back."""
    monkeypatch.setattr(td, "time", _Later)


def _read_everything(folder: Path, schemas: Path, monkeypatch) -> str:
    """The oracle: the digest with nothing kept."""
    monkeypatch.setattr(td, "_read_memo", lambda: None)
    _fresh_process()
    try:
        return td.tool_digest(schemas)
    finally:
        monkeypatch.setattr(td, "_read_memo", _REAL_READ_MEMO)
        _fresh_process()


def _counting_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = Path.read_bytes
    def counted(self):  # the tool's files read for their bytes (the memo itself is not one)
        if self.name != td.MEMO_NAME:
            reads.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    return reads


def test_a_settled_tool_is_hashed_once_and_then_known_by_its_stamps(package, monkeypatch):
    folder, schemas = package
    _settle(monkeypatch)
    reads = _counting_reads(monkeypatch)
    first = td.tool_digest(schemas)
    assert sorted(reads) == ["a.py", "default.yaml", "entry.json"]
    _fresh_process()
    reads.clear()
    assert td.tool_digest(schemas) == first and reads == []  # a new process: from the memo
    assert first == _read_everything(folder, schemas, monkeypatch)


@pytest.mark.parametrize("change", ["same size", "longer", "new file", "removed", "schema"])
def test_any_change_of_the_tool_makes_a_new_digest(package, monkeypatch, change):
    folder, schemas = package
    files = [folder / "a.py", folder / "rules" / "default.yaml", schemas / "entry.json"]
    _settle(monkeypatch)
    first = td.tool_digest(schemas)
    _fresh_process()
    if change == "same size":
        stat = files[0].stat()
        files[0].write_text("print('b')\n")
        os.utime(files[0], ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with its time put back
    elif change == "longer":
        files[1].write_text("rules: [1]\n")
    elif change == "new file":
        (folder / "rules" / "more.txt").write_text("words\n")
    elif change == "removed":
        files[0].unlink()
    else:
        files[2].write_text("[]")
    second = td.tool_digest(schemas)
    assert second != first
    assert second == _read_everything(folder, schemas, monkeypatch)


def test_a_file_changed_just_now_is_read_every_time_and_nothing_is_kept(package, monkeypatch):
    folder, schemas = package
    # the real clock: every file of the tool was written just now
    reads = _counting_reads(monkeypatch)
    td.tool_digest(schemas)
    assert not (td._memo_file()).exists()
    _fresh_process()
    reads.clear()
    td.tool_digest(schemas)
    assert "a.py" in reads


@pytest.mark.parametrize("memo", [b"", b"not json", b"[1, 2]", b'{"k": 5}', b"\xff\xfe"])
def test_a_damaged_memo_is_ignored(package, monkeypatch, memo):
    folder, schemas = package
    _settle(monkeypatch)
    td._memo_file().parent.mkdir(parents=True, exist_ok=True)
    td._memo_file().write_bytes(memo)
    assert td.tool_digest(schemas) == _read_everything(folder, schemas, monkeypatch)


def test_the_memo_keeps_a_few_builds(package, monkeypatch):
    folder, schemas = package
    target = folder / "a.py"
    for number in range(td.MEMO_KEPT + 3):
        target.write_text(f"print({number})\n")
        _settle(monkeypatch)
        _fresh_process()
        td.tool_digest(schemas)
    assert len(td._read_memo()) == td.MEMO_KEPT
