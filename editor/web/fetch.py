"""Check one web address the way a careful crawler would.

HEAD first, GET when HEAD is refused or unsupported; redirects followed by hand (up to ten, loops
caught); 429 and 503 retried with backoff, honouring Retry-After; other 5xx retried a little; bot
walls and logins reported as "could not verify", never as broken. http.client directly: no proxy
from the environment, no cookies, nothing but the request asked for.

An address is taken as the writer wrote it (decoded, Unicode allowed) and requested as
``address.request_url`` makes it (IDNA host, percent-encoded path and query, no fragment); the
status keeps the writer's address, and the addresses redirects lead to are shown as the server sent
them (UTF-8 where the bytes are UTF-8).
"""
from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import time
from dataclasses import asdict, dataclass
from urllib.parse import urljoin, urlsplit

from editor import __version__
from editor.web.address import address_problem, request_url

USER_AGENT = f"malone-editor/{__version__} (link checker for the Malone help library; +https://example.org/malone)"
MAX_REDIRECTS = 10
_CHALLENGE_WORDS = (b"just a moment", b"captcha", b"are you a robot", b"checking your browser", b"access denied",
                    b"attention required", b"verify you are human")


@dataclass
class Options:
    timeout: float = 5.0
    retries: int = 3  # for 429 and 503
    server_error_retries: int = 1  # for other 5xx
    backoff: float = 1.0  # first wait when no Retry-After; doubles each time
    max_wait: float = 30.0  # longest wait honoured for Retry-After
    user_agent: str = USER_AGENT


@dataclass
class LinkStatus:
    url: str
    state: str  # ok, redirected, broken, unverified, timeout, error
    code: int | None = None
    final_url: str | None = None  # where a permanent redirect leads
    message: str = ""
    checked_at: float = 0.0
    reason: str = ""  # for the code to act on: "redirect-loop", "too-many-redirects", "malformed-address",
    # "bad-redirect" (never the message's text)

    @property
    def healthy(self) -> bool:
        return self.state in ("ok", "redirected")

    def to_json(self) -> dict:
        return asdict(self)


class _Failure(Exception):
    def __init__(self, state: str, message: str):
        super().__init__(message)
        self.state, self.message = state, message


def _request(method: str, url: str, options: Options) -> tuple[int, dict[str, str], bytes]:
    """One request to ``url``, an address as ``request_url`` makes it (pure ASCII, http or https)."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = None
    try:
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=options.timeout,
                                                     context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(host, port, timeout=options.timeout)
        connection.request(method, path, headers={"User-Agent": options.user_agent, "Accept": "*/*",
                                                  "Accept-Language": "en", "Connection": "close"})
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        body = response.read(65536) if method == "GET" else b""
        return response.status, headers, body
    except http.client.InvalidURL:  # not expected of a request_url address; a finding all the same, never a crash
        raise _Failure("broken", f"Malformed web address: {url}") from None
    except socket.gaierror:
        raise _Failure("broken", f"The address {host} does not exist (DNS lookup failed)") from None
    except ConnectionRefusedError:
        raise _Failure("broken", f"{host} refused the connection") from None
    except (TimeoutError, socket.timeout):
        raise _Failure("timeout", f"No answer from {host} within {options.timeout:g} seconds") from None
    except ssl.SSLError as exc:
        raise _Failure("broken", f"Secure connection to {host} failed: {exc.reason or exc}") from None
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        raise _Failure("broken", f"{host} dropped the connection ({exc.__class__.__name__})") from None
    finally:
        if connection is not None:
            connection.close()


def _retry_after(headers: dict[str, str], default: float, options: Options) -> float:
    value = headers.get("retry-after")
    if value:
        try:
            return min(float(value), options.max_wait)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            if when is not None:
                return max(0.0, min(when.timestamp() - time.time(), options.max_wait))
    return min(default, options.max_wait)


def _is_challenge(code: int, headers: dict[str, str], body: bytes) -> bool:
    if headers.get("cf-mitigated") == "challenge" or "captcha" in headers.get("location", "").lower():
        return True
    lowered = body[:65536].lower()
    return code in (403, 429, 503) and any(word in lowered for word in _CHALLENGE_WORDS)


def _fetch_once(url: str, options: Options, sleep=time.sleep) -> tuple[int, dict[str, str], bytes, str]:
    """One address, HEAD then GET where needed, with retries; returns (code, headers, body, method)."""
    method = "HEAD"
    rate_limited = server_errors = 0
    delay = options.backoff
    while True:
        try:
            code, headers, body = _request(method, url, options)
        except _Failure as failure:
            if method == "HEAD" and failure.state == "broken" and "dropped" in failure.message:
                method = "GET"  # some servers hang up on HEAD
                continue
            raise
        if method == "HEAD" and code in (400, 403, 404, 405, 406, 410, 500, 501):
            method = "GET"  # HEAD refused, unsupported or mishandled: ask as a browser would
            continue
        if code in (429, 503) and rate_limited < options.retries and not _is_challenge(code, headers, body):
            rate_limited += 1
            sleep(_retry_after(headers, delay, options))
            delay *= 2
            continue
        if 500 <= code < 600 and code != 503 and server_errors < options.server_error_retries:
            server_errors += 1
            sleep(delay)
            delay *= 2
            continue
        return code, headers, body, method


def _header_text(value: str) -> str:
    """A header as the server meant it: http.client reads header bytes as Latin-1, and a server that
    puts raw non-ASCII bytes in a Location (against the rules, but it happens) means UTF-8. Bytes that
    are not UTF-8 become percent-escapes of themselves, so the request carries the very bytes sent."""
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:  # not from http.client's parser: already text
        return value
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(chr(byte) if byte < 0x80 else f"%{byte:02X}" for byte in raw)


def _redirect_target(current: str, location: str) -> str | None:
    """Where a redirect from ``current`` leads, as text to show; None when the Location is no address.
    A Location without a fragment keeps the one of ``current`` (RFC 9110, 10.2.2), as browsers do."""
    text = _header_text(location).strip()
    try:
        target = urljoin(current, text)
        fragment = urlsplit(current).fragment
    except ValueError:
        return None
    return target + "#" + fragment if fragment and "#" not in text else target


def check_url(url: str, options: Options | None = None, sleep=time.sleep) -> LinkStatus:
    """The status of the web link ``url``, written as the writer wrote it; never raises for any ``url``
    or any answer. The status's ``url`` is ``url`` itself; its ``final_url`` as shown to the writer."""
    options = options or Options()
    now = time.time()
    problem = address_problem(url)
    if problem is not None:
        return LinkStatus(url, "broken", None, None, problem, now, "malformed-address")
    seen = [url]  # as shown: the writer's address, then where each redirect led
    requested = [request_url(url)]  # the same as requested, to catch loops: /café and /caf%C3%A9 are one
    current = url
    permanent_target = None
    all_permanent = True
    try:
        for _ in range(MAX_REDIRECTS + 1):
            code, headers, body, _method = _fetch_once(requested[-1], options, sleep)
            if code in (301, 302, 303, 307, 308) and headers.get("location"):
                target = _redirect_target(current, headers["location"])
                address = request_url(target) if target is not None else None
                if address is None:  # to ftp:, to a host that is no host name, to "http://[": report, never crash
                    shown = target if target is not None else _header_text(headers["location"])
                    return LinkStatus(url, "broken", code, None, f"The redirect leads to {shown}, which cannot be fetched",
                                      now, "bad-redirect")
                if code not in (301, 308):
                    all_permanent = False
                if address in requested:
                    return LinkStatus(url, "broken", code, None, "Redirect loop: " + " \u2192 ".join(seen + [target]),
                                      now, "redirect-loop")
                seen.append(target)
                requested.append(address)
                current = target
                if all_permanent:
                    permanent_target = target
                continue
            break
        else:
            return LinkStatus(url, "broken", None, None, f"More than {MAX_REDIRECTS} redirects", now,
                              "too-many-redirects")
    except _Failure as failure:
        return LinkStatus(url, failure.state, None, None, failure.message, now)
    if 200 <= code < 300:
        if permanent_target is not None:
            return LinkStatus(url, "redirected", code, permanent_target, f"Moved permanently to {permanent_target}", now)
        return LinkStatus(url, "ok", code, None, "", now)
    if _is_challenge(code, headers, body) or code in (401, 403, 407, 451):
        return LinkStatus(url, "unverified", code, None,
                          f"The site answered {code} to an automated check (a login or a bot wall); "
                          "open it in a browser to verify", now)
    if code in (404, 410):
        return LinkStatus(url, "broken", code, None, "The page is gone" + (" for good (410)" if code == 410
                                                                            else " (404 Not Found)"), now)
    if code == 429:
        return LinkStatus(url, "unverified", code, None, "The site kept asking us to slow down (429)", now)
    if code >= 500:
        return LinkStatus(url, "broken", code, None, f"The server failed ({code}) on every try", now)
    return LinkStatus(url, "broken", code, None, f"Unexpected answer {code}", now)
