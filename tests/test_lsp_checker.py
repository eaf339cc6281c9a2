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

    def flaky(ctx, path, text, ids, threads=(), entry=None):
        if "BREAK" in text:
            raise RuntimeError("the checker tripped")
        return real(ctx, path, text, ids, threads, entry)

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



def test_a_result_for_a_version_that_moved_on_is_never_published(sample_repo):
    from editor.lsp.diagnostics import Result
    from editor.lsp.positions import Places
    from editor.lsp.server import make

    server = make()
    sent = []
    server.text_document_publish_diagnostics = sent.append
    try:
        uri = (sample_repo / ENTRY).as_uri()
        server.documents.open(uri, 1, "old")
        server.documents.change(uri, 2, [(None, None, "new")], "utf-16")
        server._publish(Result.of(uri, 1, [], Places("old"), {}), False)  # checked before the change came
        assert sent == [] and server.current(uri) is None
        server._publish(Result.of(uri, 2, [], Places("new"), {}), False)
        assert [(p.uri, p.version) for p in sent] == [(uri, 2)] and server.current(uri).version == 2
        server.documents.close(uri)
        server._publish(Result.of(uri, 2, [], Places("new"), {}), False)  # closed meanwhile
        assert len(sent) == 1
    finally:
        server.checker.stop()
