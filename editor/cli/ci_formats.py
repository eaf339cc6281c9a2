"""``check``'s findings where CI shows them: GitHub's workflow commands (``--format github``: each
finding an annotation on the pull request's line) and SARIF 2.1.0 (``--format sarif``: what GitHub
code scanning and other tools read). The same findings as ``--format json``, in their words."""
from __future__ import annotations

from editor.findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped, as the runner reads them back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: also ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(findings: list[Finding]) -> list[str]:
    """One ``::error file=...,line=...,col=...,endLine=...,endColumn=...,title=RULE::message`` line
    per finding (``::warning`` and ``::notice`` for the others), the suggestion in the message."""
    lines = []
    for f in findings:
        message = f.message + (f" (suggestion: {f.suggestion})" if f.suggestion else "")
        where = ",".join(f"{name}={_property(str(value))}" for name, value in (
            ("file", f.path), ("line", f.line), ("col", f.column), ("endLine", f.end_line),
            ("endColumn", f.end_column), ("title", f.rule)))
        lines.append(f"::{_COMMANDS.get(f.severity, 'notice')} {where}::{_data(message)}")
    return lines


def _rule_texts(ruleset) -> dict[str, tuple[str, str | None]]:
    """Each language rule's help text and the published guidance behind it (its ``helpUri``)."""
    texts: dict[str, tuple[str, str | None]] = {}
    for rule in ruleset.rules if ruleset is not None else []:
        help_text = rule.message.replace("{match}", "\u2026")
        title = rule.source.get("title") if isinstance(rule.source, dict) else None
        if title:
            help_text += f" (source: {title})"
        url = rule.source.get("url") if isinstance(rule.source, dict) else None
        texts[rule.id] = (help_text, url if isinstance(url, str) and url.startswith("https://") else None)
    return texts


def sarif(findings: list[Finding], ruleset=None, version: str = "") -> dict:
    """The findings as one SARIF 2.1.0 run: the rules they name (help text; the guidance source as
    ``helpUri`` where a language rule has one), each result with its rule, level, message, region
    (1-based, end exclusive, columns in Unicode code points; the path relative to the repository,
    which is where CI checks it out) and its suggestion as a fix."""
    from editor.checks.registry import category_names, category

    texts = _rule_texts(ruleset)
    rules: list[dict] = []
    index: dict[str, int] = {}
    for f in findings:
        if f.rule in index:
            continue
        index[f.rule] = len(rules)
        described = category(f.category).description if f.category in category_names() else f.category
        help_text, url = texts.get(f.rule, (f"{f.category}: {described}", None))
        rule = {"id": f.rule, "shortDescription": {"text": help_text}, "help": {"text": help_text},
                "defaultConfiguration": {"level": _LEVELS.get(f.severity, "note")},
                "properties": {"category": f.category}}
        if url:
            rule["helpUri"] = url
        rules.append(rule)
    results = []
    for f in findings:
        region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}
        location = {"physicalLocation": {"artifactLocation": {"uri": f.path}, "region": region}}
        result = {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": _LEVELS.get(f.severity, "note"),
                  "message": {"text": f.message}, "locations": [location]}
        if f.suggestion is not None:
            result["fixes"] = [{"description": {"text": f"Replace with '{f.suggestion}'"},
                                "artifactChanges": [{"artifactLocation": {"uri": f.path},
                                                     "replacements": [{"deletedRegion": dict(region),
                                                                       "insertedContent": {"text": f.suggestion}}]}]}]
        results.append(result)
    driver = {"name": "malone-editor", "rules": rules}
    if version:
        driver["version"] = version
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}]}
