"""Check All Entries in a process of its own (issue 20): the command line's findings, its failures
as plain typed values, and nothing of its work on the editor's interpreter lock."""
from __future__ import annotations

import datetime as dt

import pytest


def test_the_check_process_finds_what_the_command_line_finds_and_reports_progress(library):
    from editor.checks.runner import check_repository
    from editor.content.repository import Repository
    from editor.session.check_process import check_all_in_process

    seen = []
    found = check_all_in_process(library, lambda done, total: seen.append((done, total)))
    assert found == check_repository(Repository.open(library), today=dt.date.today(), jobs=1).findings
    assert found and seen and seen[-1][0] == seen[-1][1] == len(Repository.open(library).paths)


def test_a_check_process_that_cannot_open_the_library_says_why_in_plain_words(tmp_path):
    from editor.session import failures
    from editor.session.check_process import check_all_in_process
    from editor.session.failures import FailureError

    with pytest.raises(FailureError) as raised:
        check_all_in_process(tmp_path / "not-a-library")
    failure = raised.value.failure
    assert failure.kind == failures.NOT_A_REPOSITORY and "Traceback" not in failure.message and failure.message
