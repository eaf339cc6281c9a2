"""Link targets: the in-app link grammar and the offline rules for web links.

Both return problems with offsets inside the target, so a finding can underline exactly the
part that is wrong and offer a replacement for just that part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from editor.content.config import Registry
from editor.content.schemas import closest
from editor.findings import excerpt
from editor.web.address import idna_host

PARAMETERS = ("tab", "module", "section")
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")
OTHER_SCHEMES = ("mailto", "tel", "sms")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$|^localhost$"
                   r"|^\d{1,3}(?:\.\d{1,3}){3}$|^\[[0-9A-Fa-f:.]+\]$")
_FILE_NAME = re.compile(r"^[^/?#]*\.(?:md|markdown|html?|txt|pdf|png|jpe?g|gif|svg|ya?ml)(?:[?#]|$)", re.I)
_BARE_DOMAIN = re.compile(r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/?#]|$)")


@dataclass
class LinkProblem:
    rule: str
    severity: str
    message: str
    start: int  # offsets inside the target
    end: int
    suggestion: str | None = None


@dataclass
class InAppTarget:
    tab: str | None = None
    module: str | None = None
    section: str | None = None
    problems: list[LinkProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def is_in_app(target: str) -> bool:
    return target.startswith("?")


def parse_in_app(target: str, registry: Registry | None) -> InAppTarget:
    """Parse ``?tab=...&module=...&section=...`` and check it against ``registry`` (when known)."""
    result = InAppTarget()
    problems = result.problems
    whole = (0, len(target))
    if target.strip() == "?":
        problems.append(LinkProblem("empty-link", "error", "This in-app link has no tab", *whole))
        return result
    query = target
    if "#" in target:
        cut = target.index("#")
        problems.append(LinkProblem("in-app-fragment", "error", "In-app links cannot have a #fragment: the app "
                                    "ignores it; to open part of a module, give its section (&section=...)",
                                    cut, len(target)))
        query = target[:cut]
    values: dict[str, tuple[str, int, int]] = {}
    offset = 1
    for part in query[1:].split("&"):
        begin, end = offset, offset + len(part)
        offset = end + 1
        name, equals, value = part.partition("=")
        if "%" in part:  # the app reads the query as a browser does: percent-escapes decoded
            name, value = unquote(name), unquote(value)
        if not part:
            problems.append(LinkProblem("empty-parameter", "error", "Empty parameter in in-app link (a stray '&')",
                                        max(begin - 1, 0), begin))
            continue
        if not equals or not name or not value:
            problems.append(LinkProblem("empty-parameter", "error",
                                        f"Parameter '{excerpt(part)}' needs a name and a value, as in tab=modules", begin, end))
            continue
        if name not in PARAMETERS:
            guess = closest(name, PARAMETERS)
            problems.append(LinkProblem("unknown-parameter", "error",
                                        f"Unknown in-app link parameter '{excerpt(name)}'; allowed are tab, module and section",
                                        begin, begin + len(name), guess))
            continue
        if name in values:
            problems.append(LinkProblem("repeated-parameter", "error", f"Parameter '{excerpt(name)}' is given twice",
                                        max(begin - 1, 0), end))
            continue
        values[name] = (value, begin + len(name) + 1, end)
    tab = values.get("tab")
    module = values.get("module")
    section = values.get("section")
    result.tab, result.module, result.section = (v[0] if v else None for v in (tab, module, section))
    if tab is None:
        if not any(p.rule in ("unknown-parameter", "empty-parameter") and p.suggestion == "tab" for p in problems):
            problems.append(LinkProblem("missing-tab", "error", "An in-app link must name a tab (?tab=...)", *whole))
    elif registry is not None and tab[0] not in registry.tabs:
        problems.append(LinkProblem("unknown-tab", "error",
                                    f"No tab '{excerpt(tab[0])}' in modules.yaml; tabs are {', '.join(registry.tabs)}",
                                    tab[1], tab[2], closest(tab[0], registry.tabs)))
    if module is not None:
        if tab is not None and tab[0] != "modules":
            problems.append(LinkProblem("module-needs-modules-tab", "error",
                                        "A module can only be opened from tab=modules", tab[1], tab[2], "modules"))
        if registry is not None and module[0] not in registry.modules:
            problems.append(LinkProblem("unknown-module", "error", f"No module '{excerpt(module[0])}' in modules.yaml",
                                        module[1], module[2], closest(module[0], list(registry.modules))))
    if section is not None:
        if module is None:
            problems.append(LinkProblem("section-needs-module", "error",
                                        "A section can only be given with a module", section[1], section[2]))
        elif registry is not None and module[0] in registry.modules:
            sections = registry.modules[module[0]].sections
            if section[0] not in sections:
                known = f"its sections are {', '.join(sections)}" if sections else "it has no sections"
                problems.append(LinkProblem("unknown-section", "error",
                                            f"Module '{module[0]}' has no section '{excerpt(section[0])}'; {known}",
                                            section[1], section[2], closest(section[0], sections)))
    return result


def check_web_target(target: str) -> list[LinkProblem]:
    """Offline rules for a link that is not in-app: safe scheme, well-formed, https.

    ``target`` is decoded as markdown-it decodes a link destination (escapes and entities resolved,
    Unicode as Unicode). An international host is well formed when IDNA converts it (``bücher.example``);
    spaces and non-ASCII characters after the host are fine, since the address is percent-encoded
    when it is opened or fetched (``editor.web.address.request_url``)."""
    whole = (0, len(target))
    stripped = target.strip()
    if not stripped:
        return [LinkProblem("empty-link", "error", "This link has no target", *whole)]
    # a browser drops tabs and line breaks from an address, and control characters before it:
    # "jav&#x09;ascript:" opens as "javascript:"
    opened = re.sub(r"[\t\n\r]", "", stripped).lstrip("".join(map(chr, range(33))))
    scheme = _SCHEME.match(opened)
    if opened != stripped and scheme is not None and scheme.group(1).lower() in UNSAFE_SCHEMES:
        return [LinkProblem("unsafe-scheme", "error", f"Unsafe link: '{excerpt(scheme.group(1).lower())}:' links are never "
                            "allowed (white space inside the word does not make it safe)", *whole)]
    match = _SCHEME.match(stripped)
    if match is None:
        if _BARE_DOMAIN.match(stripped) and not _FILE_NAME.match(stripped):
            return [LinkProblem("missing-scheme", "error", "Web address without https://; the app would treat it "
                                "as a file", *whole, "https://" + stripped)]
        if stripped.startswith("#"):
            return [LinkProblem("unsupported-link", "warning", "Links to anchors inside an entry do not work in "
                                "the app; link to a module section instead (?tab=modules&module=...&section=...)",
                                *whole)]
        return [LinkProblem("unsupported-link", "warning", "Relative links do not work in the app; use an "
                            "in-app link (?tab=...) or a full https:// address", *whole)]
    scheme = match.group(1).lower()
    scheme_span = (0, len(match.group(1)))
    if scheme in UNSAFE_SCHEMES:
        return [LinkProblem("unsafe-scheme", "error", f"Unsafe link: '{excerpt(scheme)}:' links are never allowed", *whole)]
    if scheme in OTHER_SCHEMES:
        return _check_other(scheme, stripped)
    if scheme not in ("http", "https"):
        if closest(scheme, ["https", "http"]) is not None:
            return [LinkProblem("malformed-url", "error", f"'{excerpt(match.group(1))}:' is not a web address scheme; "
                                "did you mean https:?", *scheme_span, "https")]
        return [LinkProblem("unsupported-scheme", "error", f"The app cannot open '{excerpt(scheme)}:' links", *scheme_span)]
    rest = stripped[len(scheme) + 1:]
    if not rest.startswith("//") or rest.startswith("///"):
        fixed = f"{scheme}://" + rest.lstrip("/\\")
        return [LinkProblem("malformed-url", "error", f"Malformed web address: it should start with {scheme}://",
                            *whole, fixed)]
    try:
        parts = urlsplit(stripped)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return [LinkProblem("malformed-url", "error", "Malformed web address", *whole)]
    authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
    if host and not host.isascii() and not any(c.isspace() for c in authority):
        converted = idna_host(host)
        if converted is None or not _HOST.match(converted):
            return [LinkProblem("malformed-url", "error", f"Malformed web address: '{excerpt(host, 200)}' is not a host name; "
                                "it has characters or parts a host name cannot have", *whole)]
        host = converted
    if not host or not _HOST.match(host) or any(c.isspace() for c in authority):
        shown = authority if any(c.isspace() for c in authority) else host
        return [LinkProblem("malformed-url", "error", f"Malformed web address: '{excerpt(shown, 200) or '(no host)'}' is not a "
                            "host name", *whole)]
    if scheme == "http":
        return [LinkProblem("insecure-http", "warning", "Insecure http:// link; use https://", *scheme_span,
                            "https")]
    return []


def _check_other(scheme: str, target: str) -> list[LinkProblem]:
    rest = target[len(scheme) + 1:]
    if scheme == "mailto" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+(\?.*)?", rest):
        return [LinkProblem("malformed-url", "error", "Malformed email link", 0, len(target))]
    if scheme in ("tel", "sms") and not re.fullmatch(r"\+?[0-9][0-9\-. ()]*", rest):
        return [LinkProblem("malformed-url", "error", f"A {scheme}: link must be a phone number", 0, len(target))]
    return []


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
