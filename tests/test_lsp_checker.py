"""The language server's checker in this process: a check that raises costs that document one
``check-failed`` finding (as ``check`` gives) and a plain line in the log, and the next document is
checked as usual; results name the version they are of."""
from __future__ import annotations

import queue

from editor.lsp.checker import Checker
from editor.lsp.documents import Documents
from editor.lsp.library import Library

ENTRY = "entries/sleep/cant-sleep-when-baby-sleeps.md"
OTHER = "entries/sleep/sharing-night-feeds.md"


def test_a_check_that_raises_costs_its_document_one_finding_and_a_line_in_the_log(monkeypatch, sample_repo):
    import editor.session.library as live

    real = live.check_text

    def flaky(ctx, path, text, ids, threads=()):
        if "BREAK" in text:
            raise RuntimeError("the checker tripped")
        return real(ctx, path, text, ids, threads)

    monkeypatch.setattr(live, "check_text", flaky)
    delivered, logged = queue.Queue(), queue.Queue()
    documents = Documents()
    checker = Checker(documents, Library(), lambda result, settings: delivered.put(result), logged.put, lambda: "utf-16")
    try:
        broken = documents.open((sample_repo / ENTRY).as_uri(), 4, "BREAK\n" + (sample_repo / ENTRY).read_text())
        fine = documents.open((sample_repo / OTHER).as_uri(), 1, (sample_repo / OTHER).read_text())
        checker.request(broken.uri)
        checker.request(fine.uri)
        results = {}
        while len(results) < 2:
            result = delivered.get(timeout=60)
            if result.version is not None:  # (the settings files' results have none)
                results[result.uri] = result
        assert [(f.rule, f.severity) for f in results[broken.uri].findings] == [("check-failed", "error")]
        assert results[broken.uri].version == 4
        assert results[fine.uri].findings == ()
        line = logged.get(timeout=60)
        assert ENTRY in line and "the checker tripped" in line and "Traceback" not in line and "RuntimeError" not in line
    finally:
        checker.stop()

