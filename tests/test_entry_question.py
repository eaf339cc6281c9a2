"""An entry's question read from its first line without a parse is the question the parse gives
(markdown-it's heading), for any first line (hypothesis)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.content.entry import Entry

LINE = st.text(st.sampled_from(list("#Q: \t\\*`<>_[]()!xa1=-~|")), max_size=24)
BREAK = st.sampled_from(["\n", "\r\n"])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "\t"]), max_size=2), st.sampled_from(["", " ", "  ", "   ", "    "]),
       st.sampled_from(["#", "###", "######", "#######"]), st.sampled_from([" ", "\t", ""]), LINE, BREAK, LINE)
def test_the_first_line_gives_the_question_the_parse_gives(blanks, indent, hashes, gap, rest, newline, after):
    body = "".join(b + newline for b in blanks) + f"{indent}{hashes}{gap}Q:{rest}{newline}{after}{newline}"
    text = "---\nid: a\n---\n" + body
    quick = Entry.from_text("x.md", text)
    parsed = Entry.from_text("x.md", text)
    parsed.parsed_body()  # with the parse kept, the question is read from it
    assert quick.question == parsed.question


def test_a_plain_question_heading_is_read_without_a_parse():
    entry = Entry.from_text("x.md", "---\nid: a\n---\n### Q: How do I rest?\n\nA: Often.\n")
    assert entry.question == "How do I rest?"
    assert entry._body is None  # no document model made, nor kept
