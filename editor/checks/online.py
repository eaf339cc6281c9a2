"""External links, online part: is every web address in the bodies and ``sources`` still there?

Only with ``check --online``: the default never touches the network."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from editor.checks import CheckContext
from editor.checks.budget import links_of
from editor.content.entry import Entry
from editor.content.links import check_web_target, host_of, is_in_app
from editor.findings import Finding, excerpt
from editor.web.checker import LinkChecker
from editor.web.fetch import LinkStatus

CATEGORY = "external-link"


@dataclass
class Use:
    """One place a web address is used: the entry and the span of the address."""

    url: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int


def web_uses(entry: Entry) -> list[Use]:
    """Every well-formed http(s) address in the body and in ``sources``, where it stands."""
    uses: list[Use] = []
    if not entry.readable:
        return uses
    for link in links_of(entry).targets():  # as the app opens them; raw HTML is text in the app
        target = link.target.strip()
        if link.kind == "html" or is_in_app(target) or not target.lower().startswith(("http://", "https://")) or \
                any(p.severity == "error" for p in check_web_target(target)):
            continue  # in-app, mailto: and the like, or malformed: nothing to fetch
        line, column = entry.body_position(link.start)
        end_line, end_column = entry.body_position(link.end)
        uses.append(Use(target, entry.path, line, column, end_line, end_column))
    sources = entry.meta.get("sources")
    if isinstance(sources, list) and entry.frontmatter is not None:
        for index, url in enumerate(sources):
            if isinstance(url, str) and url.lower().startswith(("http://", "https://")) and \
                    not any(p.severity == "error" for p in check_web_target(url)):
                span = entry.frontmatter.span_for(("sources", index))
                uses.append(Use(url, entry.path, span.line, span.column, span.end_line, span.end_column))
    return uses


def trusted(url: str, domains: list[str]) -> bool:
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def rule_for(status: LinkStatus) -> tuple[str, str] | None:
    """(rule, severity) of a link status, or None when it is healthy and where it says."""
    if status.state == "ok":
        return None
    if status.state == "redirected":
        return "moved-permanently", "info"
    if status.state == "timeout":
        return "timeout", "warning"
    if status.state == "unverified":
        return "unverified", "warning"
    if status.reason in ("redirect-loop", "too-many-redirects"):
        return status.reason, "error"
    if status.code in (404, 410):
        return "page-gone", "error"
    if status.code is not None and status.code >= 500:
        return "server-error", "error"
    return "unreachable", "error"


def check_online(entries: list[Entry], ctx: CheckContext, checker: LinkChecker,
                 progress: Callable[[int, int], None] | None = None) -> tuple[list[Finding], dict[str, LinkStatus]]:
    uses = [use for entry in entries for use in web_uses(entry)]
    statuses = checker.check((u.url for u in uses), progress)
    domains = ctx.settings.trusted_domains if ctx.settings else []
    findings: list[Finding] = []
    for use in uses:
        status = statuses[use.url]
        rule = rule_for(status)
        where = (use.path, use.line, use.column, use.end_line, use.end_column)
        if rule is not None:
            name, severity = rule
            message = f"{status.message}: {excerpt(use.url, 200)}" if name != "moved-permanently" else \
                f"This address moved permanently; link to the new one: {excerpt(status.final_url or '', 200)}"
            findings.append(Finding(*where, CATEGORY, name, severity, message,
                                    status.final_url if name == "moved-permanently" else None))
        if domains and not trusted(use.url, domains):
            findings.append(Finding(*where, CATEGORY, "untrusted-domain", "info",
                                    f"{excerpt(host_of(use.url), 200)} is not one of the trusted evidence domains in "
                                    "content.yaml; a reviewer should look at this source"))
    return findings, statuses
