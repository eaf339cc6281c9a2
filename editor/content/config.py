"""The repository's settings (content.yaml) and its app map (modules.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.content import CONTENT_FILE, MODULES_FILE  # noqa: E402  (re-exported)
from editor.content.frontmatter import Frontmatter, parse_document
from editor.content.schemas import validate
from editor.content.source import DecodeFailure, SourceText
from editor.findings import Finding, at


@dataclass
class Reviewer:
    name: str
    email: str
    credentials: str = ""
    signing_key: str = ""  # an SSH public key line: when set, this reviewer's approvals count only signed with it


@dataclass
class Settings:
    app_name: str = "Malone"
    locale: str = "en-US"
    review_interval_days: int = 1095
    max_grade: float = 8
    trusted_domains: list[str] = field(default_factory=list)
    reviewers: list[Reviewer] = field(default_factory=list)
    crisis_resources: list[str] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    def reviewer(self, email: str) -> Reviewer | None:
        wanted = (email or "").strip().lower()
        return next((r for r in self.reviewers if r.email.lower() == wanted), None)


@dataclass
class Module:
    slug: str
    title: str
    sections: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """Everything an in-app link may point to."""

    tabs: list[str] = field(default_factory=list)
    modules: dict[str, Module] = field(default_factory=dict)


@dataclass
class Config:
    settings: Settings | None
    registry: Registry | None
    findings: list[Finding]
    files: dict[str, bytes] = field(default_factory=dict)  # the bytes each settings file gave (see ``read_bytes``)


MISSING = b"\0(none)"  # what ``read_bytes`` records for a file that is not there


def read_bytes(path: Path, name: str, files: dict[str, bytes] | None) -> bytes:
    """``path``'s bytes, recorded in ``files`` under ``name`` (MISSING when it is not there, a
    marker with the error when it cannot be read, which is raised as reading raised it): a check
    records every settings file it reads, once, and the check cache's fingerprint hashes exactly
    those bytes, never the file read again later."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if files is not None:
            files[name] = MISSING
        raise
    except OSError as exc:
        if files is not None:
            files[name] = f"\0(error {exc.errno})".encode()
        raise
    if files is not None:
        files[name] = data
    return data


def load_config(root: Path) -> Config:
    findings: list[Finding] = []
    files: dict[str, bytes] = {}
    content = _load_yaml(root, CONTENT_FILE, "content", findings, files)
    modules = _load_yaml(root, MODULES_FILE, "modules", findings, files)
    settings = _settings(content.data) if content is not None else None
    registry = _registry(modules, findings) if modules is not None else None
    return Config(settings, registry, findings, files)


def _load_yaml(root: Path, name: str, schema: str, findings: list[Finding], files: dict[str, bytes]) -> Frontmatter | None:
    """Read, parse and validate one configuration file; None when it cannot be used at all."""
    path = root / name
    if not path.is_file():
        files[name] = MISSING
        findings.append(at(name, "format", "missing-config", "error",
                           f"{name} is missing: every content repository needs one (see the content format)"))
        return None
    doc = read_yaml_mapping(path, name, findings, "a mapping of settings (key: value lines)", files=files)
    if doc is None:
        return None
    for problem in validate(schema, doc.data):
        span = doc.span_for(problem.path, problem.on_key)
        findings.append(Finding(name, span.line, span.column, span.end_line, span.end_column, "schema",
                                problem.rule, problem.severity, problem.message, problem.suggestion))
    return doc


def read_yaml_mapping(path: Path, name: str, findings: list[Finding], expected: str,
                      allow_empty: bool = False, files: dict[str, bytes] | None = None) -> Frontmatter | None:
    """Read a YAML file that must hold a mapping; problems become findings on ``name``; its bytes
    are recorded in ``files`` (``read_bytes``)."""
    try:
        source = SourceText.from_bytes(read_bytes(path, name, files))
    except OSError as exc:
        findings.append(at(name, "format", "unreadable-file", "error", f"Cannot read {name}: {exc.strerror}"))
        return None
    except DecodeFailure as exc:
        findings.append(at(name, "format", "not-utf8", "error", f"Cannot read {name}: {exc.reason}",
                           exc.line, exc.column))
        return None
    doc = parse_document(source.text)
    if doc.error is not None:
        error = doc.error
        message = f"{name} is not valid YAML: {error.message}" if error.rule == "invalid-yaml" else \
            f"{name} was not read because {error.message}"
        findings.append(at(name, "format", error.rule, "error", message, error.line, error.column))
        return None
    if doc.data is None and allow_empty:
        doc.data = {}
    if not isinstance(doc.data, dict):
        findings.append(at(name, "format", "invalid-yaml", "error", f"{name} must be {expected}"))
        return None
    return doc


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _settings(data: dict) -> Settings:
    settings = Settings(raw=data)
    if isinstance(data.get("app_name"), str):
        settings.app_name = data["app_name"]
    if isinstance(data.get("locale"), str):
        settings.locale = data["locale"]
    interval = data.get("review_interval_days")
    if isinstance(interval, int) and not isinstance(interval, bool) and interval > 0:
        settings.review_interval_days = interval
    readability = data.get("readability")
    if isinstance(readability, dict) and isinstance(readability.get("max_grade"), (int, float)):
        settings.max_grade = readability["max_grade"]
    settings.trusted_domains = [d.lower() for d in _list(data.get("trusted_domains")) if isinstance(d, str)]
    settings.reviewers = reviewers_of(data)
    settings.crisis_resources = [str(c) for c in _list(data.get("crisis_resources"))
                                 if isinstance(c, (str, int)) and str(c)]
    return settings


def reviewers_of(data: Any) -> list[Reviewer]:
    """The reviewers a content.yaml mapping lists (entries without a name and an email are skipped)."""
    if not isinstance(data, dict):
        return []
    return [Reviewer(r["name"], r["email"], str(r.get("credentials") or ""),
                     r["signing_key"] if isinstance(r.get("signing_key"), str) else "")
            for r in _list(data.get("reviewers"))
            if isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("email"), str)]


def _registry(doc: Frontmatter, findings: list[Finding]) -> Registry:
    data = doc.data
    registry = Registry(tabs=[t for t in _list(data.get("tabs")) if isinstance(t, str)])
    for index, item in enumerate(_list(data.get("modules"))):
        if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
            continue
        slug = item["slug"]
        if slug in registry.modules:
            span = doc.span_for(("modules", index, "slug"))
            findings.append(Finding(MODULES_FILE, span.line, span.column, span.end_line, span.end_column,
                                    "schema", "duplicate-module", "error",
                                    f"Module '{slug}' is listed twice in {MODULES_FILE}"))
            continue
        title = item.get("title") if isinstance(item.get("title"), str) else slug
        sections = [s for s in _list(item.get("sections")) if isinstance(s, str)]
        registry.modules[slug] = Module(slug, title, sections)
    return registry
