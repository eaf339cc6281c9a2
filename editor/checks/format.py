"""Format: files that cannot be read, broken frontmatter, bodies not in the Q/A shape."""
from __future__ import annotations

from editor.checks import CheckContext
from editor.checks.view import EntryView
from editor.findings import Finding, at

CATEGORY = "format"


def check_file(view: EntryView, ctx: CheckContext) -> list[Finding]:
    """Problems that stop every other check of this file."""
    entry = view.entry
    if entry.problem is not None:
        p = entry.problem
        return [at(entry.path, CATEGORY, p.rule, "error", p.message, p.line, p.column)]
    if not entry.text.strip():
        return [at(entry.path, CATEGORY, "empty-file", "error", "This entry is empty: it needs a question and an answer")]
    fm = entry.frontmatter
    if fm is not None and not fm.closed:
        return [at(entry.path, CATEGORY, "unclosed-frontmatter", "error",
                   "The frontmatter starts with '---' on line 1 but has no closing '---' line", 1, 1, 1, 4)]
    return []


def check_frontmatter(view: EntryView, ctx: CheckContext) -> list[Finding]:
    entry = view.entry
    fm = entry.frontmatter
    if fm is None:
        return []
    if fm.error is not None:
        error = fm.error
        message = f"The frontmatter is not valid YAML: {error.message}" if error.rule == "invalid-yaml" else \
            f"The frontmatter was not read because {error.message}"
        return [at(entry.path, CATEGORY, error.rule, "error", message, error.line, error.column)]
    if fm.data is not None and not isinstance(fm.data, dict):
        return [at(entry.path, CATEGORY, "frontmatter-not-mapping", "error",
                   "The frontmatter must be 'key: value' lines (id, module, status ...)", fm.first_line, 1)]
    return []


def check_shape(view: EntryView, ctx: CheckContext) -> list[Finding]:
    """Exactly one ``Q:`` heading, first; the first paragraph after it starts with ``A:``."""
    entry = view.entry
    blocks = view.body.blocks
    first_line = entry.body_first_line
    if not blocks:
        return [at(entry.path, CATEGORY, "empty-body", "error", "The entry has no question and answer", first_line, 1)]
    questions = [i for i, b in enumerate(blocks) if b.type == "heading" and b.content.lstrip().startswith("Q:")]
    findings: list[Finding] = []
    if not questions:
        block = blocks[0]
        findings.append(at(entry.path, CATEGORY, "missing-question", "error",
                           "The entry must start with a question heading, such as '### Q: How can I rest?'",
                           first_line + block.line, 1))
        return findings
    if questions[0] != 0:
        block = blocks[questions[0]]
        findings.append(at(entry.path, CATEGORY, "question-not-first", "error",
                           "The question heading must come first, before any other text",
                           first_line + block.line, 1))
    for extra in questions[1:]:
        findings.append(at(entry.path, CATEGORY, "multiple-questions", "error",
                           "Only one question per entry: make this another entry or a sub-heading without 'Q:'",
                           first_line + blocks[extra].line, 1))
    after = questions[0] + 1
    if after >= len(blocks):
        findings.append(at(entry.path, CATEGORY, "missing-answer", "error", "The question has no answer below it",
                           first_line + blocks[questions[0]].line, 1))
    elif blocks[after].type != "paragraph" or not blocks[after].content.lstrip().startswith("A:"):
        findings.append(at(entry.path, CATEGORY, "answer-prefix", "error",
                           "The answer's first paragraph must start with 'A:'", first_line + blocks[after].line, 1))
    return findings
