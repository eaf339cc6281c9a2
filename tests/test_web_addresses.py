"""Web addresses as writers write them (decoded, Unicode allowed) and as they are requested: the
address function, the offline host rule, and fetches of odd addresses against a local server on
127.0.0.1. Nothing leaves the machine: DNS is replaced wherever a host name is looked up."""
from __future__ import annotations

import json
import re
import socket
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import entry_text
from editor.cli import main
from editor.content.links import check_web_target
from editor.web.address import address_problem, idna_host, request_url
from editor.web.cache import LinkCache
from editor.web.checker import LinkChecker
from editor.web.fetch import USER_AGENT, Options, check_url
from linkserver import Handler, LinkServer

FAST = Options(timeout=1.0, backoff=0.01, max_wait=0.05)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IDN_HOST = "bücher.example"
IDN_ASCII = "xn--bcher-kva.example"


def utf8_header(text: str) -> str:
    """``text`` as http.server writes a header (Latin-1), so the raw bytes on the wire are UTF-8."""
    return text.encode("utf-8").decode("latin-1")


class OddPages(Handler):
    """The link server's pages, and pages at non-ASCII paths and redirects with odd Locations."""

    def _answer(self, path: str, count: int) -> None:
        self.server.hosts.append(self.headers.get("Host", ""))
        if path in ("/caf%C3%A9", "/a%20b", "/some_page.html", "/%C3%BC"):
            return self._send(200, {"Content-Type": "text/html"}, b"<p>ok</p>")
        if path == "/to-utf8":  # raw UTF-8 bytes in the Location: against the rules, and seen in the wild
            return self._send(302, {"Location": utf8_header("/café")})
        if path == "/moved-utf8":
            return self._send(301, {"Location": utf8_header("/café")})
        if path == "/to-latin1":  # a byte that is not UTF-8 at all
            return self._send(302, {"Location": "/caf\xe9"})
        if path == "/to-ftp":
            return self._send(302, {"Location": "ftp://files.example.org/x"})
        if path == "/to-bad-host":
            return self._send(302, {"Location": "http://[oops/x"})
        if path == "/to-bad-idn":
            return self._send(302, {"Location": utf8_header("http://bü..example/x")})
        return super()._answer(path, count)


@pytest.fixture
def server():
    with LinkServer() as running:
        running.httpd.RequestHandlerClass = OddPages
        running.httpd.hosts = []
        yield running


@pytest.fixture
def local_dns(monkeypatch, server):
    """``bücher.example`` (asked for by its IDNA name) is the local server; every other name fails."""
    real = socket.getaddrinfo

    def lookup(host, port, *args, **kwargs):
        if host == IDN_ASCII:
            return real("127.0.0.1", port, *args, **kwargs)
        if host == "127.0.0.1":
            return real(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, f"no such host here: {host!r}")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return f"http://{IDN_HOST}:{server.httpd.server_address[1]}"


def paths(server) -> list[str]:
    return [path for _method, path, _agent in server.requests]


# --- the address function -------------------------------------------------------------------------

@pytest.mark.parametrize("target, expected", [
    ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
    ("https://BÜCHER.example/x", "https://xn--bcher-kva.example/x"),
    ("https://bücher\u3002example/x", "https://xn--bcher-kva.example/x"),  # an ideographic full stop
    ("https://example.org/café", "https://example.org/caf%C3%A9"),
    ("https://example.org/a b", "https://example.org/a%20b"),
    ("https://example.org/ü?q=ö#frag", "https://example.org/%C3%BC?q=%C3%B6"),
    ("https://example.org/caf%C3%A9", "https://example.org/caf%C3%A9"),  # typed escapes kept exactly
    ("https://example.org/caf%c3%a9 au lait", "https://example.org/caf%c3%a9%20au%20lait"),
    ("https://example.org/100%", "https://example.org/100%25"),  # a stray % is escaped itself
    ("https://example.org/%zz%4", "https://example.org/%25zz%254"),
    ("https://example.org/<a>\"{|}\\^`[]", "https://example.org/%3Ca%3E%22%7B%7C%7D%5C%5E%60%5B%5D"),
    ("https://example.org/ok;:@!$&'()*+,=-._~/?a=/?b", "https://example.org/ok;:@!$&'()*+,=-._~/?a=/?b"),
    ("https://example.org/tab\there", "https://example.org/tabhere"),  # as browsers do
    ("HTTPS://Example.ORG:8443/P", "https://example.org:8443/P"),
    ("https://example.org", "https://example.org"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("http://127.0.0.1:8000/some_page.html", "http://127.0.0.1:8000/some_page.html"),
    ("https://us er:pässword@example.org/", "https://us%20er:p%C3%A4ssword@example.org/"),
    ("https://example.org/\ud800", "https://example.org/%EF%BF%BD"),  # a lone surrogate
])
def test_request_url_examples(target, expected):
    assert request_url(target) == expected
    assert address_problem(target) is None


def test_the_fragment_is_dropped_for_the_request_or_kept_encoded():
    assert request_url("https://example.org/p#Fräg") == "https://example.org/p"
    assert request_url("https://example.org/p#Fräg", keep_fragment=True) == "https://example.org/p#Fr%C3%A4g"
    assert request_url("https://example.org/p#a#b c", keep_fragment=True) == "https://example.org/p#a%23b%20c"


@pytest.mark.parametrize("target, words", [
    ("https://bü..example/x", "'bü..example' is not a host name"),
    ("https://" + "a" * 64 + "é.example/", "is not a host name"),
    ("https://\u0627\u0031.example/", "is not a host name"),  # breaks IDNA's right-to-left rule
    ("https://exa mple.org/", "'exa mple.org' is not a host name"),
    ("http://[::1/x", "host name is not well formed"),
    ("http://[v1.x]/", "is not a host name"),
    ("https://ex\uff0fample.org/", "host name is not well formed"),
    ("http://example.org:99999/", "port"),
    ("http://example.org:web/", "port"),
    ("https:///x", "no host name"),
    ("mailto:someone@example.org", "only http:// and https://"),
    ("ftp://files.example.org/a", "only http:// and https://"),
    ("", "only http:// and https://"),
])
def test_addresses_that_cannot_be_requested_give_none_and_plain_words(target, words):
    assert request_url(target) is None
    problem = address_problem(target)
    assert words in problem
    assert not any(jargon in problem.lower() for jargon in ("unicode", "codec", "idna", "error"))


def test_idna_host():
    assert idna_host("bücher.example") == IDN_ASCII
    assert idna_host("ＥＸＡＭＰＬＥ.org") == "example.org"  # full-width letters map to ASCII
    assert idna_host("example.org") == "example.org"
    assert idna_host("bü..example") is None
    assert idna_host("a b.example") is None
    assert idna_host("") is None


@PROPERTY
@given(st.text())
def test_request_url_never_raises_and_is_ascii(text):
    for target in (text, "https://" + text, "https://example.org/" + text, "http://" + text + ".example/x"):
        address = request_url(target)
        assert (address is None) == (address_problem(target) is not None)
        if address is not None:
            assert address.isascii() and not any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in address)
            assert request_url(address) == address  # nothing is ever encoded twice


@PROPERTY
@given(st.text().filter(lambda text: "%" not in text), st.sampled_from(["https://example.org/", f"http://{IDN_HOST}:8080/"]))
def test_percent_decoding_the_request_gives_back_the_path(text, base):
    target = base + text
    address = request_url(target)
    assert address is not None and address.isascii()
    written, requested = urlsplit(target), urlsplit(address)
    assert unquote(requested.path) == written.path
    assert unquote(requested.query) == written.query
    assert requested.fragment == ""


@PROPERTY
@given(st.text())
def test_typed_escapes_are_kept_exactly(text):
    target = "https://example.org/" + text
    written, requested = urlsplit(target), urlsplit(request_url(target))
    escapes = iter(re.findall(r"%[0-9A-Fa-f]{2}", requested.path))
    assert all(escape in escapes for escape in re.findall(r"%[0-9A-Fa-f]{2}", written.path))  # in order, as typed
    assert unquote(requested.path) == unquote(written.path)


# --- the offline rule -----------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "https://bücher.example/x", "https://BÜCHER.example/", "https://xn--bcher-kva.example/x",
    "https://bücher\u3002example/", "https://ＥＸＡＭＰＬＥ.org/", "https://日本語.jp/", "https://пример.рф/",
    "https://example.org/café", "https://example.org/a b", "https://example.org/ü?q=ö#frag",
])
def test_international_hosts_and_unicode_paths_are_well_formed(target):
    assert check_web_target(target) == []


def test_an_international_http_address_is_only_insecure():
    assert [p.rule for p in check_web_target("http://bücher.example/x")] == ["insecure-http"]


@pytest.mark.parametrize("target, host", [
    ("https://bü..example/x", "bü..example"),
    ("https://" + "a" * 64 + "é.example/", "a" * 64 + "é.example"),
    ("https://\u0627\u0031.example/", "\u0627\u0031.example"),
    ("https://bü cher.example/x", "bü cher.example"),
    ("https://exa mple.org/x", "exa mple.org"),
    ("https://-bad-.org", "-bad-.org"),
])
def test_hosts_that_do_not_convert_stay_malformed_in_plain_words(target, host):
    problems = check_web_target(target)
    assert [(p.rule, p.severity, p.start, p.end) for p in problems] == [("malformed-url", "error", 0, len(target))]
    message = problems[0].message
    assert message.startswith(f"Malformed web address: '{host}' is not a host name")
    assert not any(jargon in message.lower() for jargon in ("unicode", "codec", "idna", "label"))


# --- fetching, against the local server -----------------------------------------------------------

@pytest.mark.parametrize("path, requested", [("/café", "/caf%C3%A9"), ("/a b", "/a%20b"), ("/ü?q=ö#frag", "/%C3%BC")])
def test_a_page_at_a_non_ascii_path_is_found(server, path, requested):
    status = check_url(server.base + path, FAST)
    assert (status.state, status.code, status.url) == ("ok", 200, server.base + path)  # shown as written
    assert server.requests == [("HEAD", requested, USER_AGENT)]


def test_an_escaped_underscore_is_fetched_at_the_plain_path(server):
    from markdown_it.common.utils import unescapeAll  # how markdown-it decodes a destination

    written = server.base + r"/some\_page.html"
    target = unescapeAll(written)
    assert target == server.base + "/some_page.html"
    assert check_url(target, FAST).state == "ok"
    assert paths(server) == ["/some_page.html"]


def test_an_international_host_is_asked_for_by_its_idna_name(server, local_dns):
    status = check_url(local_dns + "/café", FAST)
    assert (status.state, status.url) == ("ok", local_dns + "/café")
    assert server.httpd.hosts == [f"{IDN_ASCII}:{server.httpd.server_address[1]}"]
    assert paths(server) == ["/caf%C3%A9"]


def test_a_redirect_to_raw_utf8_bytes_is_followed(server):
    assert check_url(server.base + "/to-utf8", FAST).state == "ok"
    assert paths(server) == ["/to-utf8", "/caf%C3%A9"]
    moved = check_url(server.base + "/moved-utf8", FAST)
    assert (moved.state, moved.final_url) == ("redirected", server.base + "/café")  # shown as text, not escapes
    assert check_url(server.base + "/moved-utf8#menu", FAST).final_url == server.base + "/café#menu"


def test_a_redirect_to_bytes_that_are_not_utf8_is_requested_as_sent(server):
    status = check_url(server.base + "/to-latin1", FAST)
    assert (status.state, status.code) == ("broken", 404)
    assert "/caf%E9" in paths(server)


@pytest.mark.parametrize("path", ["/to-ftp", "/to-bad-host", "/to-bad-idn"])
def test_a_redirect_to_an_address_that_cannot_be_fetched_is_broken(server, path):
    status = check_url(server.base + path, FAST)
    assert (status.state, status.code, status.reason) == ("broken", 302, "bad-redirect")
    assert "cannot be fetched" in status.message
    assert paths(server) == [path]


def test_an_address_that_cannot_be_requested_is_reported_without_a_request(server, local_dns):
    for url in ("https://bü..example/x", "http://[oops/x", "http://example.org:99999/", "ftp://x.example/"):
        status = check_url(url, FAST)
        assert (status.state, status.reason, status.url) == ("broken", "malformed-address", url)
    results = LinkChecker(FAST).check(["http://[oops/x", "https://bü..example/x", server.base + "/café"])
    assert [r.state for r in results.values()] == ["broken", "broken", "ok"]
    assert paths(server) == ["/caf%C3%A9"]


def test_every_spelling_of_one_address_is_one_request(server, tmp_path):
    spellings = [server.base + "/café", server.base + "/caf%C3%A9", server.base + "/café#menu"]
    checker = LinkChecker(FAST, LinkCache(tmp_path, ttl=3600))
    results = checker.check(spellings)
    assert list(results) == spellings and all(results[url].url == url and results[url].state == "ok" for url in spellings)
    assert paths(server) == ["/caf%C3%A9"] and len(checker.requested) == 1
    again = LinkChecker(FAST, LinkCache(tmp_path, ttl=3600))
    cached = again.check([server.base + "/caf%C3%A9#other", server.base + "/café"])
    assert again.requested == [] and paths(server) == ["/caf%C3%A9"]  # answered from the cache
    assert [status.url for status in cached.values()] == list(cached)


# --- the commands ---------------------------------------------------------------------------------

def test_check_and_links_online_with_unicode_addresses(repo, server, local_dns, tmp_path, capsys):
    base = server.base
    body = ("### Q: Where is the evidence?\n\nA: See [a](" + base + "/café), [b](<" + base + "/a b>), "
            "[c](" + base + "/ü?q=ö#frag), [d](" + local_dns + "/café) and [e](" + base + "/gone-é).\n")
    repo.entry("x.md", entry_text(body))
    code = main(["check", str(repo.root), "--online", "--format", "json", "--timeout", "1",
                 "--cache-dir", str(tmp_path / "cache")])
    report = json.loads(capsys.readouterr().out)
    found = [(f["rule"], f["message"]) for f in report["findings"] if f["category"] == "external-link"
             and f["rule"] not in ("insecure-http", "untrusted-domain")]
    assert found == [("page-gone", "The page is gone (404 Not Found): " + base + "/gone-é")] and code == 1
    assert sorted(set(paths(server))) == ["/%C3%BC", "/a%20b", "/caf%C3%A9", "/gone-%C3%A9"]
    code = main(["links", str(repo.root), "--online", "--no-cache", "--format", "json"])
    rows = {row["target"]: row["status"] for row in json.loads(capsys.readouterr().out)["targets"]}
    assert rows[base + "/gone-é"] == "broken" and code == 1
    assert {rows[target] for target in (base + "/café", base + "/a b", base + "/ü?q=ö#frag", local_dns + "/café")} \
        == {"warning"}  # fetched and fine; only http:// is warned about
