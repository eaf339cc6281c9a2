"""check --online and the link report, against a local server on 127.0.0.1; nothing leaves
the machine."""
from __future__ import annotations

import json
import socket

import pytest

from conftest import entry_text
from editor.cli import main
from editor.web.cache import LinkCache
from editor.web.checker import LinkChecker
from editor.web.fetch import USER_AGENT, Options, check_url
from linkserver import LinkServer

FAST = Options(timeout=1.0, backoff=0.01, max_wait=0.05)


@pytest.fixture
def server():
    with LinkServer(slow_seconds=1.5) as running:
        yield running


def status(server, path, options=FAST):
    return check_url(server.base + path, options)


def test_healthy_page(server):
    result = status(server, "/ok")
    assert (result.state, result.code) == ("ok", 200)
    assert server.requests == [("HEAD", "/ok", USER_AGENT)]


def test_permanent_redirect_suggests_the_new_address(server):
    result = status(server, "/moved")
    assert result.state == "redirected" and result.final_url == server.base + "/ok-new"


def test_temporary_redirect_is_followed_quietly(server):
    assert status(server, "/found").state == "ok"


def test_redirect_loop_and_too_many_redirects(server):
    loop = status(server, "/loop-a")
    assert loop.state == "broken" and loop.message.startswith("Redirect loop")
    chain = status(server, "/chain0")
    assert chain.state == "broken" and chain.message == "More than 10 redirects"


@pytest.mark.parametrize("path, code", [("/missing", 404), ("/gone", 410)])
def test_missing_pages_are_broken(server, path, code):
    result = status(server, path)
    assert (result.state, result.code) == ("broken", code)
    assert [m for m, p, _ in server.requests] == ["HEAD", "GET"]  # HEAD mishandled? a GET confirms


def test_rate_limited_then_fine_is_not_reported(server):
    assert status(server, "/busy").state == "ok"
    assert status(server, "/unavailable").state == "ok"
    assert server.httpd.counts["/busy"] == 3


def test_server_error_after_retries(server):
    result = status(server, "/error")
    assert (result.state, result.code) == ("broken", 500)
    assert server.httpd.counts["/error"] >= 2


@pytest.mark.parametrize("path", ["/forbidden", "/challenge"])
def test_logins_and_bot_walls_are_unverified_not_broken(server, path):
    assert status(server, path).state == "unverified"


def test_head_not_allowed_falls_back_to_get(server):
    assert status(server, "/no-head").state == "ok"
    assert [m for m, p, _ in server.requests] == ["HEAD", "GET"]


def test_slow_response_times_out(server):
    result = status(server, "/slow", Options(timeout=0.3, backoff=0.01))
    assert result.state == "timeout"


def test_dropped_connection_and_refused_connection(server):
    assert status(server, "/drop").state == "broken"
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    refused = check_url(f"http://127.0.0.1:{port}/x", FAST)
    assert refused.state == "broken" and "refused" in refused.message


def test_unknown_host_is_broken_without_the_network(monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    result = check_url("https://no-such-host.invalid/page", FAST)
    assert result.state == "broken" and "does not exist" in result.message


def test_each_url_fetched_once_and_concurrency_is_bounded(tmp_path):
    with LinkServer(latency=0.2) as slow:
        urls = [f"{slow.base}/ok{i}" for i in range(30)] * 3
        checker = LinkChecker(FAST, None, overall=8, per_host=3)
        results = checker.check(urls)
        assert len(results) == 30 and all(r.state == "ok" for r in results.values())
        assert sorted(checker.requested) == sorted(set(urls))
        assert len(slow.requests) == 30
        assert 1 < slow.httpd.most_in_flight <= 3  # concurrent, but never more than three at one host


def test_cache_skips_healthy_links_within_ttl(server, tmp_path):
    urls = [server.base + "/ok", server.base + "/missing"]
    LinkChecker(FAST, LinkCache(tmp_path, ttl=3600)).check(urls)
    before = len(server.requests)
    again = LinkChecker(FAST, LinkCache(tmp_path, ttl=3600))
    results = again.check(urls)
    assert again.requested == [server.base + "/missing"]  # broken links are always asked again
    assert results[server.base + "/ok"].state == "ok"
    assert len(server.requests) - before == 2  # HEAD and GET for the missing page only
    expired = LinkChecker(FAST, LinkCache(tmp_path, ttl=0))
    expired.check(urls)
    assert sorted(expired.requested) == sorted(urls)


def test_check_online_reports_findings_at_each_use(repo, server, tmp_path, capsys):
    base = server.base
    body = ("### Q: Where is the evidence?\n\nA: See [a](" + base + "/ok), [b](" + base + "/missing), "
            "[c](" + base + "/moved) and [d](" + base + "/forbidden).\n")
    repo.entry("x.md", entry_text(body, sources=f"\n  - {base}/gone"))
    repo.entry("y.md", entry_text("### Q: Again?\n\nA: [same](" + base + "/missing)\n", id="again"))
    code = main(["check", str(repo.root), "--online", "--format", "json", "--timeout", "1",
                 "--cache-dir", str(tmp_path / "cache")])
    report = json.loads(capsys.readouterr().out)
    found = sorted((f["path"], f["line"], f["rule"], f["severity"]) for f in report["findings"]
                   if f["category"] == "external-link" and f["rule"] not in ("insecure-http", "untrusted-domain"))
    assert found == [("entries/x.md", 6, "page-gone", "error"),
                     ("entries/x.md", 10, "moved-permanently", "info"),
                     ("entries/x.md", 10, "page-gone", "error"),
                     ("entries/x.md", 10, "unverified", "warning"),
                     ("entries/y.md", 8, "page-gone", "error")]
    moved = next(f for f in report["findings"] if f["rule"] == "moved-permanently")
    assert moved["suggestion"] == base + "/ok-new"
    assert code == 1
    assert len([r for r in server.requests if r[1] == "/missing"]) == 2  # one URL, fetched once (HEAD+GET)
    untrusted = [f for f in report["findings"] if f["rule"] == "untrusted-domain"]
    assert untrusted and all(f["severity"] == "info" for f in untrusted)


def test_default_check_never_touches_the_network(repo, server, capsys):
    repo.entry("x.md", entry_text("### Q: Hi?\n\nA: [a](" + server.base + "/ok)\n"))
    main(["check", str(repo.root)])
    assert server.requests == []


def test_no_progress_bar_when_not_a_terminal(repo, server, tmp_path, capsys):
    repo.entry("x.md", entry_text("### Q: Hi?\n\nA: [a](" + server.base + "/ok)\n"))
    main(["check", str(repo.root), "--online", "--no-cache"])
    assert capsys.readouterr().err == ""


def test_progress_bar_on_a_terminal(repo, server, capsys, monkeypatch):
    repo.entry("x.md", entry_text("### Q: Hi?\n\nA: [a](" + server.base + "/ok) [b](" + server.base + "/ok2)\n"))
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    main(["check", str(repo.root), "--online", "--no-cache"])
    err = capsys.readouterr().err
    assert "Checking links [" in err and err.rstrip().endswith("2/2")


def test_links_report_lists_backlinks_broken_first(repo, capsys):
    repo.entry("a.md", entry_text("### Q: A?\n\nA: [x](?tab=modules&module=sleep) [y](?tab=modules&module=nope)\n",
                                  id="a"))
    repo.entry("b.md", entry_text("### Q: B?\n\nA: [x](?tab=modules&module=sleep) [w](https://www.nih.gov/x)\n",
                                  id="b"))
    code = main(["links", str(repo.root), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    targets = [(t["target"], t["status"]) for t in report["targets"]]
    assert targets[0] == ("?tab=modules&module=nope", "broken") and code == 1
    sleep = next(t for t in report["targets"] if t["target"] == "?tab=modules&module=sleep")
    assert [u["path"] for u in sleep["used_by"]] == ["entries/a.md", "entries/b.md"]
    main(["links", str(repo.root), "--module", "sleep"])
    text = capsys.readouterr().out
    assert text.startswith("Links to module 'sleep': 2 from 2 entries") and "nope" not in text
