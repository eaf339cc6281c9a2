"""The checks of an entry, in one table, and the finding categories they report under.

Every check has one signature, ``check(view, ctx) -> list[Finding]``: ``view`` is the entry
(``editor.checks.view.EntryView``: the parsed body, the prose and its words, each made on first
use), ``ctx`` the repository around it (``editor.checks.CheckContext``). The runner runs them in
this order, skips those that need the language rules when ``ctx.ruleset`` is None, stops after a
check that ``stops`` found something, then applies exemption comments and tone.yaml's ``allow``
once, to all the findings together, as each check's ``exemptions`` and ``allow`` say, and last
lets a check ``complete`` the findings left.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from editor.checks import CheckContext, conditional_rules, external_links, format, metric_rules, module_links, \
    phrase_rules, review, schema, spelling
from editor.checks.view import EntryView
from editor.findings import Finding

# Which findings of a check an exemption comment (<!-- malone-disable... -->) covering their line drops:
NEVER = "never"
ALWAYS = "always"
BY_CATEGORY = "by-category"  # unless the finding's category is not exemptible (safety)
# Which findings of a check tone.yaml's ``allow`` drops:
ALLOW_SPAN = "span"  # those whose span lies within an allowed term in the prose
ALLOW_WORD = "word"  # those whose span is an allowed word (or a contraction of one: "Qwxzt's")


@dataclass(frozen=True)
class Category:
    name: str
    description: str  # in plain words, as docs/content-format.md ("Findings") has them
    exemptible: bool = True  # False: no comment in an entry can exempt its findings (only tone.yaml can)


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[EntryView, CheckContext], list[Finding]]
    categories: tuple[str, ...]  # what its findings can be reported under
    language: bool = False  # needs the language rules: skipped when ``ctx.ruleset`` is None
    stops: bool = False  # a finding of it stops the later checks of the entry
    exemptions: str = NEVER
    allow: str | None = None
    # work that only the findings left after exemptions need (spelling: looking for corrections)
    complete: Callable[[EntryView, CheckContext, list[Finding]], list[Finding]] | None = None
    # reads the body's text: skipped for an entry over the budget (``editor.checks.budget``); the
    # others then see an empty body and check what the frontmatter says
    body: bool = False


CATEGORIES: tuple[Category, ...] = (
    Category("format", "unreadable file, broken frontmatter, body not in Q/A shape, a symbolic link leading "
             "outside the repository: `symlink-outside`"),
    Category("schema", "frontmatter values against the schema, duplicate ids"),
    Category("module-link", "in-app links and the `module` key against modules.yaml"),
    Category("external-link", "web links: unsafe or malformed targets, insecure `http:`, unreachable pages"),
    Category("tone", "judgmental, stigmatising, minimising or shaming language"),
    Category("readability", "reading level, overlong sentences"),
    Category("safety", "content that needs safeguards, such as a crisis resource in every entry that mentions "
             "suicide or self-harm", exemptible=False),
    Category("spelling", "words the word lists do not know (US English, the built-in clinical words, "
             "the repository's dictionary.txt)"),
    Category("review", "approval missing, void or by someone not listed; review overdue; open comments on the text"),
)
RULE_CATEGORIES = ("tone", "readability", "safety", "spelling")  # what a language rule's ``category`` may be

CHECKS: tuple[Check, ...] = (
    Check("file", format.check_file, (format.CATEGORY,), stops=True),
    Check("frontmatter", format.check_frontmatter, (format.CATEGORY,)),
    Check("schema", schema.check, (schema.CATEGORY,)),
    Check("shape", format.check_shape, (format.CATEGORY,), body=True),
    Check("module-links", module_links.check, (module_links.CATEGORY,)),
    Check("external-links", external_links.check, (external_links.CATEGORY,)),
    Check("review", review.check, (review.CATEGORY,)),
    Check("phrase-rules", phrase_rules.check, RULE_CATEGORIES, language=True, exemptions=BY_CATEGORY,
          allow=ALLOW_SPAN, body=True),
    Check("conditional-rules", conditional_rules.check, RULE_CATEGORIES, language=True, body=True),
    Check("metric-rules", metric_rules.check, RULE_CATEGORIES, language=True, exemptions=ALWAYS, body=True),
    Check("spelling", spelling.check, (spelling.CATEGORY,), language=True, exemptions=ALWAYS, allow=ALLOW_WORD,
          complete=spelling.complete, body=True),
)

_BY_NAME = {category.name: category for category in CATEGORIES}


def category(name: str) -> Category:
    return _BY_NAME[name]


def category_names() -> tuple[str, ...]:
    """Every category, in the contract's order."""
    return tuple(_BY_NAME)


def language_categories() -> tuple[str, ...]:
    """The categories the checks that need the language rules report under, in the contract's order."""
    found = {name for check in CHECKS if check.language for name in check.categories}
    return tuple(name for name in _BY_NAME if name in found)



def listed(names: tuple[str, ...]) -> str:
    """Names in words: 'tone, readability, safety and spelling'."""
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
