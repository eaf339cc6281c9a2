"""Acceptance tests for the reader-faithful checker: what is checked is what the reader sees.

Each case writes one entry into a copy of sample_content and runs ``malone-editor check --format json``
on it, in-process. Many cases fail on the checker that masks and matches the raw source; they are the
acceptance tests of the rewrite that builds a document model from markdown-it's tokens, so none is
marked xfail. A stray backtick must not hide the rest of a body (A); a phrase is found however the
writer breaks or decorates it (B); only a crisis resource the reader sees satisfies the safety rule
(C); every link the preview shows is checked, and only those (D); a target is judged as the app opens
it, decoded as markdown-it decodes it (E); alt text, link titles, raw HTML anchors and bare URLs are
checked too (F); ``check`` exits 1 exactly when an error is found (G).

Rule ids are those the current checker gives for the one-line form of each phrase; the one-line forms
are in the tables as controls. Positions: 1-based lines of the file as stored, columns in characters,
end exclusive.
"""
from __future__ import annotations

import json

import pytest

from editor.cli import main

ENTRY = "entries/sleep/reader-faithful.md"
HEAD = "---\nid: reader-faithful\nmodule: sleep\nstatus: draft\n---\n### Q: What helps on hard days?\n\n"
NOPE = "?tab=modules&module=nope"


def entry(answer: str) -> str:
    """A valid draft entry whose answer's first paragraph starts with ``A: answer``."""
    return f"{HEAD}A: {answer}\n"


def check(capsys, repo, text: str) -> tuple[int, list[dict]]:
    """Exit status of ``check REPO ENTRY --format json`` and the findings for ENTRY."""
    (repo / ENTRY).write_text(text, encoding="utf-8")
    code = main(["check", str(repo), ENTRY, "--format", "json", "--no-cache", "--jobs", "1"])
    report = json.loads(capsys.readouterr().out)
    return code, [f for f in report["findings"] if f["path"] == ENTRY]


def position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def span(text: str, first: str, last: str | None = None, after: str = "A: ") -> tuple[int, int, int, int]:
    """(line, column, end_line, end_column) from the first ``first`` in the answer (after ``after``)
    to the end of the next ``last`` (``first`` itself when not given)."""
    start = text.index(first, text.index(after) + len(after))
    end = text.index(last, start) + len(last) if last else start + len(first)
    return (*position(text, start), *position(text, end))


def where(finding: dict) -> tuple[int, int, int, int]:
    return finding["line"], finding["column"], finding["end_line"], finding["end_column"]


def inside(finding: dict, region: tuple[int, int, int, int]) -> bool:
    """Whether the finding lies within the region (both ends)."""
    line, column, end_line, end_column = where(finding)
    return region[:2] <= (line, column) and (end_line, end_column) <= region[2:]


def of_rule(findings: list[dict], rule: str) -> list[dict]:
    return [f for f in findings if f["rule"] == rule]


def errors(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == "error"]


def describe(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["severity"], *where(f), f["message"]) for f in findings]


# ---- A: a stray backtick does not hide the rest of the body ------------------------------------

STRAY_BACKTICKS = ("I don`t want to rush you.\n\n"
                   "Some parents think about suicide or want to kill themselves. You are a psycho if you never feel low.\n\n"
                   f"See [x]({NOPE}).\n\n"
                   "It`s okay.")


@pytest.mark.parametrize("answer", [
    STRAY_BACKTICKS,
    STRAY_BACKTICKS.replace("`", "'"),  # control: the same body without the backticks
], ids=["stray-backticks", "control-apostrophes"])
def test_a_stray_backticks_do_not_mask_the_text_between_them(capsys, sample_repo, answer):
    text = entry(answer)
    code, findings = check(capsys, sample_repo, text)
    slur = of_rule(findings, "psych-slurs")
    assert [(f["severity"], where(f)) for f in slur] == [("warning", span(text, "psycho"))], describe(findings)
    crisis = of_rule(findings, "crisis-resource-required")
    assert [(f["category"], f["severity"]) for f in crisis] == [("safety", "error")], describe(findings)
    assert crisis[0]["line"] == span(text, "suicide")[0]
    module = of_rule(findings, "unknown-module")
    assert [f["severity"] for f in module] == ["error"] and inside(module[0], span(text, NOPE)), describe(findings)
    assert code == 1


# ---- B: phrases split by writing are found as their one-line form is ---------------------------

PHRASES = [  # (answer, rule of the one-line form, severity, first word, last word)
    ("I want to kill myself.", "crisis-resource-required", "error", "kill", "myself"),
    ("I want to kill\nmyself.", "crisis-resource-required", "error", "kill", "myself"),
    ("I want to kill  myself.", "crisis-resource-required", "error", "kill", "myself"),
    ("I want to kill\u00a0myself.", "crisis-resource-required", "error", "kill", "myself"),
    ("Some parents think about killing themselves.", "crisis-resource-required", "error", "killing", "themselves"),
    ("Some parents think about *killing* themselves.", "crisis-resource-required", "error", "killing", "themselves"),
    ("Her brother committed suicide.", "suicide-commit", "error", "committed", "suicide"),
    ("Her brother committed\nsuicide.", "suicide-commit", "error", "committed", "suicide"),
    ("Her brother *committed* suicide.", "suicide-commit", "error", "committed", "suicide"),
    ("Just cheer up.", "dismissive-phrases", "warning", "cheer", "up"),
    ("Just cheer\nup.", "dismissive-phrases", "warning", "cheer", "up"),
    ("She is an unfit mother.", "bad-parent-label", "warning", "unfit", "mother"),  # the rule's match starts at 'unfit'
    ("She is an unfit\nmother.", "bad-parent-label", "warning", "unfit", "mother"),
    ("I know you must rest.", "command-must", "warning", "you", "must"),
    ("I know you\nmust rest.", "command-must", "warning", "you", "must"),
    ("You are a psycho.", "psych-slurs", "warning", "psycho", "psycho"),
    ("You are a _psycho_.", "psych-slurs", "warning", "psycho", "psycho"),
    ("Some parents self-harm.", "crisis-resource-required", "error", "self", "harm"),
    ("Some parents self\u2013harm.", "crisis-resource-required", "error", "self", "harm"),  # en dash
    ("Some parents self\u2011harm.", "crisis-resource-required", "error", "self", "harm"),  # non-breaking hyphen
]


@pytest.mark.parametrize("answer, rule, severity, first, last", PHRASES, ids=[p[0] for p in PHRASES])
def test_b_a_phrase_split_by_writing_is_found_from_its_first_to_its_last_word(capsys, sample_repo, answer, rule,
                                                                              severity, first, last):
    text = entry(answer)
    code, findings = check(capsys, sample_repo, text)
    found = of_rule(findings, rule)
    assert [(f["severity"], where(f)) for f in found] == [(severity, span(text, first, last))], describe(findings)
    assert code == (1 if errors(findings) else 0)
    assert code == (1 if severity == "error" else 0), describe(findings)


@pytest.mark.parametrize("answer", [
    "Some parents self-harm. Call or text 988.",
    "Some parents self\u2013harm. Call or text 988.",
    "Some parents self\u2011harm. Call or text 988.",
], ids=["hyphen", "en-dash", "non-breaking-hyphen"])
def test_b_self_harm_with_a_crisis_line_needs_nothing_more(capsys, sample_repo, answer):
    code, findings = check(capsys, sample_repo, entry(answer))
    assert not of_rule(findings, "crisis-resource-required") and not errors(findings), describe(findings)
    assert code == 0


# ---- C: only a crisis resource the reader sees satisfies the safety rule ----------------------

SUICIDE = "Some parents think about suicide."


@pytest.mark.parametrize("resource", [
    "\n\n<!-- 988 -->",
    "\n\n[help]: ?tab=modules&module=crisis-support",
    "\n\n<!-- [help](?tab=modules&module=crisis-support) -->",
    " It costs $988.",
    " Call 9880.",
    " See [this](https://example.org/988).",
], ids=["comment", "unused-definition", "commented-out-link", "price", "longer-number", "inside-a-url"])
def test_c_a_crisis_resource_the_reader_never_sees_does_not_count(capsys, sample_repo, resource):
    text = entry(SUICIDE + resource)
    code, findings = check(capsys, sample_repo, text)
    crisis = of_rule(findings, "crisis-resource-required")
    assert [(f["category"], f["severity"], f["line"], f["column"]) for f in crisis] == [
        ("safety", "error", *span(text, "suicide")[:2])], describe(findings)
    assert code == 1


@pytest.mark.parametrize("resource", [
    " [Help](?module=crisis-support&tab=modules)",
    " [Help](?tab=modules&amp;module=crisis-support)",
    " Call or text 988.",
    " Call the crisis line (988).",
    " [Help][crisis]\n\n[crisis]: ?tab=modules&module=crisis-support",
], ids=["parameters-reordered", "amp-entity", "call-or-text", "in-parentheses", "reference-link"])
def test_c_a_crisis_resource_the_reader_sees_counts(capsys, sample_repo, resource):
    code, findings = check(capsys, sample_repo, entry(SUICIDE + resource))
    assert not of_rule(findings, "crisis-resource-required") and not errors(findings), describe(findings)
    assert code == 0


# ---- D: the links the preview shows, and only those ---------------------------------------------

SHOWN_LINKS = [  # (id, answer); each shows a link to NOPE, whose target is written once
    ("definition-target-on-next-line", f"See [x].\n\n[x]:\n{NOPE}"),
    ("definition-in-blockquote", f"See [x].\n\n> [x]: {NOPE}"),
    ("definition-in-list-item", f"See [x].\n\n- [x]: {NOPE}"),
    ("target-continued-in-blockquote", f"Read this.\n\n> Quote [x](\n> {NOPE}) here."),
    ("escaped-backslash-then-link", f"See \\\\[a]({NOPE}) now."),
    ("title-with-escaped-quotes", f'See [a]({NOPE} "say \\"hi\\"") now.'),
    ("brackets-nested-two-deep", f"See [a [b [c]]]({NOPE}) now."),
    ("image-inside-link", f"See [![alt](https://example.org/i.png)]({NOPE}) now."),
    ("control-plain-inline-link", f"See [x]({NOPE}) now."),
]


@pytest.mark.parametrize("answer", [a for _, a in SHOWN_LINKS], ids=[i for i, _ in SHOWN_LINKS])
def test_d_every_link_the_preview_shows_is_checked_at_its_target(capsys, sample_repo, answer):
    text = entry(answer)
    code, findings = check(capsys, sample_repo, text)
    module = of_rule(findings, "unknown-module")
    assert [(f["category"], f["severity"]) for f in module] == [("module-link", "error")], describe(findings)
    assert inside(module[0], span(text, NOPE)) and "'nope'" in module[0]["message"], describe(findings)
    assert code == 1


@pytest.mark.parametrize("answer", [
    f"See this.\n\n<!-- [x]({NOPE}) -->",
    f"See `[x]({NOPE})` now.",
], ids=["in-html-comment", "in-code-span"])
def test_d_a_link_that_does_not_render_is_not_reported(capsys, sample_repo, answer):
    code, findings = check(capsys, sample_repo, entry(answer))
    assert not of_rule(findings, "unknown-module") and not errors(findings), describe(findings)
    assert code == 0


def test_d_an_unused_definition_is_only_an_info(capsys, sample_repo):
    text = entry(f"See this.\n\n[unused]: {NOPE}")
    code, findings = check(capsys, sample_repo, text)
    unused = of_rule(findings, "unused-reference")
    assert [(f["severity"], f["line"]) for f in unused] == [("info", span(text, "[unused]")[0])], describe(findings)
    assert not of_rule(findings, "unknown-module") and not errors(findings), describe(findings)
    assert code == 0


# ---- E: a target is judged as the app opens it -------------------------------------------------

@pytest.mark.parametrize("answer", [
    "See [x](?tab=modules&amp;module=sleep) now.",
    "See [x](?tab=modules&#38;module=sleep) now.",
    "See [x](?tab=modules&module=sl&#101;ep) now.",
    "Write to [x](mailto:x&#64;example.org) now.",
    "See [x](?tab=modules&module=sleep) now.",  # control
], ids=["amp-entity", "numeric-amp", "numeric-letter", "mailto-at-entity", "control"])
def test_e_an_entity_in_a_target_is_decoded_before_it_is_judged(capsys, sample_repo, answer):
    code, findings = check(capsys, sample_repo, entry(answer))
    assert findings == [], describe(findings)
    assert code == 0


@pytest.mark.parametrize("answer, target, rule, says", [
    ("See [x](&#63;tab=modules&module=nope) now.", "&#63;tab=modules&module=nope", "unknown-module", "'nope'"),
    ("See [x](?tab=modules\\&module=nope) now.", "?tab=modules\\&module=nope", "unknown-module", "'nope'"),
    ("See [x](?tab=modules&module=sleep#x) now.", "?tab=modules&module=sleep#x", "in-app-fragment", "fragment"),
], ids=["question-mark-entity", "escaped-ampersand", "fragment"])
def test_e_a_decoded_target_draws_only_its_own_error(capsys, sample_repo, answer, target, rule, says):
    text = entry(answer)
    code, findings = check(capsys, sample_repo, text)
    assert [(f["rule"], f["category"]) for f in errors(findings)] == [(rule, "module-link")], describe(findings)
    found = errors(findings)[0]
    assert inside(found, span(text, target)) and says in found["message"].lower(), describe(findings)
    assert not any("modules\\" in f["message"] for f in findings), describe(findings)
    assert code == 1


# ---- F: alt text, link titles, raw HTML anchors and bare URLs ----------------------------------

@pytest.mark.parametrize("answer, crisis", [
    ("Her brother died last year. ![Her brother committed suicide](https://example.org/i.png)", True),
    ('See [a](https://example.org "he committed suicide") now.', False),
    ("Her brother committed suicide last year.", True),  # control: the text form
], ids=["image-alt-text", "link-title", "control-text"])
def test_f_alt_text_and_link_titles_are_checked_for_tone(capsys, sample_repo, answer, crisis):
    text = entry(answer)
    code, findings = check(capsys, sample_repo, text)
    tone = of_rule(findings, "suicide-commit")
    assert [(f["category"], f["severity"], where(f)) for f in tone] == [
        ("tone", "error", span(text, "committed", "suicide"))], describe(findings)
    if crisis:
        assert [f["severity"] for f in of_rule(findings, "crisis-resource-required")] == ["error"], describe(findings)
    assert code == 1


@pytest.mark.parametrize("anchor", [
    f'<a href="{NOPE}">x</a>',
    '<a href="javascript:alert(1)">x</a>',
], ids=["in-app-target", "javascript"])
def test_f_a_raw_html_anchor_is_an_error_because_the_app_shows_it_as_text(capsys, sample_repo, anchor):
    text = entry(f"See {anchor} now.")
    code, findings = check(capsys, sample_repo, text)
    raw = of_rule(findings, "raw-html-link")
    assert [f["severity"] for f in raw] == ["error"] and inside(raw[0], span(text, anchor)), describe(findings)
    assert code == 1


@pytest.mark.parametrize("answer, url", [
    ("See http://example.org/page now.", "http://example.org/page"),
    ("See [a](http://example.org/page) now.", "http://example.org/page"),  # control: a link
], ids=["bare-url", "control-link"])
def test_f_an_insecure_url_in_the_text_is_a_warning_at_the_url(capsys, sample_repo, answer, url):
    text = entry(answer)
    code, findings = check(capsys, sample_repo, text)
    insecure = of_rule(findings, "insecure-http")
    assert [(f["category"], f["severity"], f["line"], f["column"]) for f in insecure] == [
        ("external-link", "warning", *span(text, url)[:2])], describe(findings)
    assert inside(insecure[0], span(text, url)) and code == 0, describe(findings)


# ---- the link report lists what the preview shows, decoded -------------------------------------

LINKS_BODY = """Here are places to look: [one], [two] and [three].

[one]:
?tab=modules&module=nope-next-line

> [two]: ?tab=modules&module=nope-in-quote

- [three]: ?tab=modules&module=nope-in-list

> Quote [four](
> ?tab=modules&module=nope-continued) here.

See \\\\[five](?tab=modules&module=nope-after-backslash) now.

See [six](?tab=modules&module=nope-title "say \\"hi\\"") now.

See [a [b [c]]](?tab=modules&module=nope-nested) now.

See [![alt](https://example.org/i.png)](?tab=modules&module=nope-image) now.

See [x](&#63;tab=modules&module=nope-entity) and [y](?tab=modules&amp;module=sleep) now.

<!-- [x](?tab=modules&module=nope-in-comment) -->

See `[x](?tab=modules&module=nope-in-code)` now.

[unused]: ?tab=modules&module=nope-unused"""

REPORTED = ["nope-next-line", "nope-in-quote", "nope-in-list", "nope-continued", "nope-after-backslash", "nope-title",
            "nope-nested", "nope-image"]


def test_links_report_lists_the_shown_links_with_their_decoded_targets(capsys, sample_repo):
    text = entry(LINKS_BODY)
    (sample_repo / ENTRY).write_text(text, encoding="utf-8")
    code = main(["links", str(sample_repo), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)
    ours = {row["target"]: (row["status"], [u["line"] for u in row["used_by"] if u["path"] == ENTRY])
            for row in report["targets"] if row["kind"] == "in-app" and any(u["path"] == ENTRY for u in row["used_by"])}
    expected = {f"?tab=modules&module={slug}": ("broken", [span(text, f"module={slug}")[0]]) for slug in REPORTED}
    expected["?tab=modules&module=nope-entity"] = ("broken", [span(text, "module=nope-entity")[0]])
    assert {t: v for t, v in ours.items() if t != "?tab=modules&module=sleep"} == expected
    status, lines = ours["?tab=modules&module=sleep"]
    assert status != "broken" and lines == [span(text, "&amp;module=sleep")[0]]
    assert code == 1


@pytest.mark.parametrize("answer", [a for _, a in SHOWN_LINKS], ids=[i for i, _ in SHOWN_LINKS])
def test_d_the_preview_strikes_through_the_link_the_check_calls_broken(sample_repo, answer):
    from editor.content.entry import Entry
    from editor.content.repository import Repository
    from editor.render.html import render_entry

    text = entry(answer)
    shown = render_entry(Entry.from_text(ENTRY, text), Repository.open(sample_repo).registry)
    assert shown.count('class="app-link broken"') == 1, shown


@pytest.mark.parametrize("answer", [
    f"<!-- [x]({NOPE}) -->", f"`[x]({NOPE})`", f"Nothing here.\n\n[unused]: {NOPE}",
])
def test_d_the_preview_shows_no_link_the_check_does_not_see(sample_repo, answer):
    from editor.content.entry import Entry
    from editor.content.repository import Repository
    from editor.render.html import render_entry

    shown = render_entry(Entry.from_text(ENTRY, entry(answer)), Repository.open(sample_repo).registry)
    assert "app-link" not in shown and "module=nope" not in shown.replace("`", "").split("<code>")[0]
