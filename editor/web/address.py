"""The address a web link is requested at, made from the link as the writer wrote it.

Link targets reach the link checker decoded the way markdown-it decodes a link destination:
backslash escapes and HTML entities resolved, percent-escapes left as typed, other characters as
Unicode (``https://bücher.example/café``, or ``https://example.org/a b`` from a ``<...>``
destination). A request needs pure ASCII: the host converted with IDNA, the rest percent-encoded.
What is shown to the writer (findings, the link report) stays as they wrote it; only the request,
and the cache that remembers its answer, use the converted address.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# What may stand unescaped in a path, query or fragment (RFC 3986: unreserved, sub-delims, ":", "@",
# and "/" and "?"), which is also what markdown-it leaves unescaped when it writes a link's href.
# Everything else is percent-encoded as UTF-8 bytes: non-ASCII, spaces, controls, "<>\"\\^`{|}[]" and
# a "#" inside the fragment. A "%" followed by two hex digits is an escape the writer typed and is kept
# exactly (never encoded twice); any other "%" becomes "%25".
_NOT_ALLOWED = re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]")
_NOT_ALLOWED_IN_USERINFO = re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:%]")
# An ASCII host: a registered name (RFC 3986 reg-name) or, inside brackets, an IPv6 address.
_REG_NAME = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=%]+")
_IPV6 = re.compile(r"[0-9A-Fa-f:.]+")


def request_url(target: str, *, keep_fragment: bool = False) -> str | None:
    """The pure-ASCII address a request for the web link ``target`` goes to, or None when no
    request can be made of it (``address_problem`` says why in plain words). Never raises.

    - scheme: ``http`` or ``https`` only (lower-cased); anything else gives None;
    - host: lower-cased; a non-ASCII one converted with IDNA (``bücher.example`` →
      ``xn--bcher-kva.example``, see ``idna_host``); an IPv6 address stays in its brackets; a host
      that cannot be converted, or none at all, gives None, and so does a port that is not a number
      from 0 to 65535;
    - user info, path and query: every character a URL does not allow percent-encoded as UTF-8
      (``café`` → ``caf%C3%A9``, a space → ``%20``), a ``%XX`` escape the writer typed kept exactly
      as typed, a stray ``%`` written ``%25``; a lone surrogate counts as U+FFFD;
    - fragment: dropped, since it is never sent to the server (with ``keep_fragment``, encoded like
      the query and kept, as a browser's address bar would hold it).

    Splitting is Python's ``urlsplit``, so tabs and newlines inside the address are removed first,
    as browsers do.
    """
    return _convert(target, keep_fragment)[0]


def address_problem(target: str) -> str | None:
    """Why ``request_url(target)`` is None, in words for a finding; None when a request can be made."""
    return _convert(target, False)[1]


def idna_host(host: str) -> str | None:
    """``host`` as the ASCII name DNS is asked for, or None when it is no host name at all.

    An ASCII host is kept as it is (when made only of characters a host may hold); a non-ASCII one is
    converted with Python's built-in ``idna`` codec: IDNA 2003 (RFC 3490, nameprep), which maps case
    and compatibility forms (full-width letters, the ideographic full stop) and checks the
    bidirectional rules. What it does not cover, compared with IDNA 2008 and UTS #46 that current
    browsers use: the four deviation characters are mapped, not kept (``faß.de`` becomes ``fass.de``
    where a browser asks for ``xn--fa-hia.de``; likewise final sigma and the zero-width joiners),
    characters unassigned in Unicode 3.2 (newer scripts and symbols) are refused, and symbols that
    IDNA 2008 refuses (emoji) are accepted. For such rare hosts the request may go to another name
    than a browser's, or the host be called malformed; the third-party ``idna`` package would close
    the gap, at the price of a dependency for hosts the help library does not link to today.
    """
    if host.isascii():
        return host if _REG_NAME.fullmatch(host) else None
    try:
        converted = host.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return None
    return converted if _REG_NAME.fullmatch(converted) else None


def _escape(match: re.Match) -> str:
    try:
        data = match.group().encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: what a browser makes of it
        data = "\ufffd".encode("utf-8")
    return "".join(f"%{byte:02X}" for byte in data)


def percent_encode(text: str) -> str:
    """``text`` (a path, query or fragment) with what a URL does not allow percent-encoded, ``%XX`` kept."""
    return _NOT_ALLOWED.sub(_escape, text)


def _convert(target: str, keep_fragment: bool) -> tuple[str | None, str | None]:
    """(the request address, None), or (None, why no request can be made)."""
    try:
        parts = urlsplit(target)
    except ValueError:  # an unclosed "[", a bracketed host that is no IP address, a netloc NFKC breaks
        return None, "Malformed web address: its host name is not well formed"
    if parts.scheme not in ("http", "https"):
        return None, "Not a web address: only http:// and https:// addresses can be fetched"
    try:
        port = parts.port
    except ValueError:
        return None, "Malformed web address: the port must be a number from 0 to 65535"
    userinfo, at, hostport = parts.netloc.rpartition("@")
    host = parts.hostname or ""  # lower-cased, without the brackets of an IPv6 address
    if not host:
        return None, "Malformed web address: it has no host name"
    if hostport.startswith("["):
        ascii_host = f"[{host}]" if _IPV6.fullmatch(host) else None
    else:
        ascii_host = idna_host(host) if "[" not in hostport else None
    if ascii_host is None:
        return None, f"Malformed web address: '{hostport if '[' in hostport else host}' is not a host name"
    address = f"{parts.scheme}://"
    if at:
        address += _NOT_ALLOWED_IN_USERINFO.sub(_escape, userinfo) + "@"
    address += ascii_host + (f":{port}" if port is not None else "") + percent_encode(parts.path)
    if parts.query:
        address += "?" + percent_encode(parts.query)
    if keep_fragment and parts.fragment:
        address += "#" + percent_encode(parts.fragment)
    return address, None
