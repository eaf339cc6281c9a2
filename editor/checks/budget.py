"""How much of one entry the checks read: a budget, so that a file made (or pasted) to cost as much
as it can, such as megabytes of one word, a million list lines or a million matches of one rule,
costs about what a large real entry costs, and gets one finding that says so, while the rest of
the library is checked as usual.

The largest real entries are a few KB (the test corpus's largest: 10 KB, under 900 tokens of
markdown-it); a 100 KB entry of real text makes about 6,500 tokens and 7 MB of parse. Beyond the
budget:

- a body over ``MAX_BODY`` characters is not parsed at all;
- a parse that would make more than ``MAX_PARTS`` tokens stops there (a list line costs about 3 KB
  of tokens, so a million of them would take gigabytes);
- a check that would look closely at more than ``MAX_MATCHES`` matches (a tone rule's, each
  judged in its sentence) or report more than that many findings stops there.

The body of such an entry is then not checked at all, not a prefix of it: findings at the cut
would be false (a link or a word cut in half, a list never closed), the rest would stay silently
unchecked, and every edit would move the cut; the writer has to split the entry anyway, and one
error says so. What is read from the frontmatter alone (format, schema, module, sources, review)
is still checked, the review's body hash included: it reads the whole body once, in pieces.
"""
from __future__ import annotations

from editor.content.entry import Entry
from editor.content.markdown import Body, TooComplex, parse_body
from editor.findings import Finding, at

RULE = "too-large"
CATEGORY = "format"
MAX_BODY = 256_000  # characters of body
MAX_PARTS = 20_000  # tokens of its parse, block and inline
MAX_MATCHES = 1_000  # matches one check judges, or findings it reports, in one entry
# what reads only a body's links (Link Health, the link report, --online) allows more: its work per
# link is small, and it has read megabyte bodies with ten thousand links (tests/test_adversarial_desks.py)
MAX_LINK_BODY = 4_000_000
MAX_LINK_PARTS = 100_000

_WHAT = {"phrase-rules": "matches of the wording rules", "spelling": "words the word lists do not know"}


class TooLarge(Exception):
    """The entry is over the budget; ``reason`` says how, in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def oversize(entry: Entry) -> str | None:
    """Why the entry's body is too large to parse, or None."""
    length = entry.body_length
    if length <= MAX_BODY:
        return None
    return f"{_size(length)}; entries are checked up to {_size(MAX_BODY)}"


def too_complex() -> TooLarge:
    return TooLarge(f"more than {MAX_PARTS:,} parts of formatting, such as list items, links and emphasis; "
                    f"entries are checked up to {MAX_PARTS:,}")


def within(count: int, check: str) -> None:
    """Raise TooLarge when one check has more than ``MAX_MATCHES`` matches or findings."""
    if count > MAX_MATCHES:
        what = _WHAT.get(check, "findings of one check")
        raise TooLarge(f"more than {MAX_MATCHES:,} {what}; entries are checked up to {MAX_MATCHES:,}")


def links_of(entry: Entry) -> Body:
    """The body's document model, for what reads only its links (the link report, Link Health,
    ``--online``), within their looser budget; an empty one past it (a 10 MB link or a million
    list lines would take gigabytes)."""
    if entry.body_length <= MAX_LINK_BODY:
        try:
            return entry.parsed_body(MAX_LINK_PARTS)
        except TooComplex:
            pass
    return parse_body("")


def finding(entry: Entry, reason: str) -> Finding:
    line = entry.body_first_line
    return at(entry.path, CATEGORY, RULE, "error",
              f"This entry is too large to check fully ({reason}). Split it into smaller entries", line, 1)


def _size(characters: int) -> str:
    if characters >= 1_000_000:
        return f"{characters / 1_000_000:.1f} MB"
    return f"{characters / 1000:.0f} KB"
