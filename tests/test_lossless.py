"""Opening and saving is byte-identical; editing one field changes only that field's lines."""
from __future__ import annotations

import codecs
import difflib
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from editor.content import frontmatter as fm
from editor.content import frontmatter_edit as edit
from editor.content.entry import Entry, body_hash

SAMPLE_ENTRIES = sorted((ROOT / "sample_content" / "entries").rglob("*.md"))

RICH = """---
id: rest-tips   # keep in step with the file name
module: 'sleep'
status: "draft"
tags: [rest, nights]
# Evidence, newest first
sources:
  - https://www.nih.gov/a
  - https://www.nih.gov/b

review:
  reviewer: ana.ruiz@example.org
  reviewed_on: 2026-01-05
---
### Q: How can I rest?

A: Little and often.
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(True), after.splitlines(True))
            if line[:1] in "+-"]


@pytest.mark.parametrize("path", SAMPLE_ENTRIES + [FIXTURES / "legacy-entry.md"], ids=lambda p: p.name)
def test_unchanged_entry_round_trips_byte_for_byte(path: Path):
    raw = path.read_bytes()
    assert Entry.from_bytes(path.name, raw).to_bytes() == raw


@pytest.mark.parametrize("variant", ["crlf", "bom", "bom+crlf"])
def test_line_endings_and_bom_survive_round_trip_and_edit(variant):
    text = RICH.replace("\n", "\r\n") if "crlf" in variant else RICH
    raw = (codecs.BOM_UTF8 if "bom" in variant else b"") + text.encode()
    entry = Entry.from_bytes("x.md", raw)
    assert entry.to_bytes() == raw
    edited = entry.with_field("status", "in-review").to_bytes()
    assert edited.startswith(codecs.BOM_UTF8) == ("bom" in variant)
    expected = raw.replace(b'status: "draft"', b'status: "in-review"')
    assert edited == expected


@pytest.mark.parametrize("path", SAMPLE_ENTRIES, ids=lambda p: p.name)
def test_changing_status_of_every_sample_entry_changes_one_line(path: Path):
    text = path.read_text(encoding="utf-8")
    entry = Entry.from_text(path.name, text)
    new_status = "draft" if entry.status != "draft" else "in-review"
    after = entry.with_field("status", new_status).text
    diff = changed_lines(text, after)
    assert len(diff) == 2 and diff[0].startswith("- status:") and diff[1].startswith("+ status:")
    assert Entry.from_text(path.name, after).body == entry.body


def test_scalar_edit_keeps_comment_and_quoting():
    after = edit.set_field(RICH, "id", "rest-and-nights")
    assert changed_lines(RICH, after) == ["- id: rest-tips   # keep in step with the file name\n",
                                          "+ id: rest-and-nights   # keep in step with the file name\n"]
    after = edit.set_field(RICH, "module", "feeding")
    assert "module: 'feeding'\n" in after and len(changed_lines(RICH, after)) == 2


def test_flow_list_stays_a_flow_list():
    after = edit.set_field(RICH, "tags", ["rest", "nights", "naps"])
    assert changed_lines(RICH, after) == ["- tags: [rest, nights]\n", "+ tags: [rest, nights, naps]\n"]


def test_block_value_replaced_without_touching_neighbours_or_comments():
    after = edit.set_field(RICH, "sources", ["https://www.nih.gov/c"])
    diff = changed_lines(RICH, after)
    assert sorted(diff) == ["+   - https://www.nih.gov/c\n", "-   - https://www.nih.gov/a\n", "-   - https://www.nih.gov/b\n"]
    assert "# Evidence, newest first\n" in after and "\n\nreview:" in after
    data = fm.read(after).data
    assert data["sources"] == ["https://www.nih.gov/c"] and data["review"]["reviewer"] == "ana.ruiz@example.org"


def test_add_and_remove_fields():
    added = edit.set_field(RICH, "next", "x")
    assert changed_lines(RICH, added) == ["+ next: x\n"]
    assert added.index("next: x") < added.index("---\n### Q")
    removed = edit.remove_field(RICH, "review")
    assert changed_lines(RICH, removed) == ["- review:\n", "-   reviewer: ana.ruiz@example.org\n",
                                            "-   reviewed_on: 2026-01-05\n"]
    assert edit.remove_field(RICH, "absent") == RICH


def test_review_block_written_with_plain_dates():
    import datetime as dt

    after = edit.set_field(RICH, "review", {"reviewer": "ana.ruiz@example.org", "reviewed_on": dt.date(2026, 3, 1),
                                          "next_review": dt.date(2029, 2, 28), "body_sha256": "ab" * 32})
    assert "  reviewed_on: 2026-03-01\n" in after and "  next_review: 2029-02-28\n" in after
    assert after.endswith("---\n### Q: How can I rest?\n\nA: Little and often.\n")


def test_adding_frontmatter_to_legacy_file_keeps_body_and_hash():
    legacy = (FIXTURES / "legacy-entry.md").read_text(encoding="utf-8")
    entry = Entry.from_text("legacy.md", legacy)
    updated = entry.with_field("id", "far-from-friends")
    assert updated.text == "---\nid: far-from-friends\n---\n" + legacy
    assert updated.body == legacy and updated.body_sha256 == entry.body_sha256


def test_editing_broken_frontmatter_refuses_instead_of_guessing():
    with pytest.raises(fm.FrontmatterEditError):
        edit.set_field("---\nid: [unclosed\n---\nbody\n", "status", "draft")
    with pytest.raises(fm.FrontmatterEditError):
        edit.set_field("---\nid: x\nbody\n", "status", "draft")


def test_body_hash_follows_the_contract():
    body = "\n\n### Q: Hi?\r\n\r\nA: Yes.  \n\n"
    assert body_hash(body) == __import__("hashlib").sha256("### Q: Hi?\n\nA: Yes.".encode()).hexdigest()
    entry = Entry.from_text("x.md", RICH)
    assert entry.with_field("status", "approved").body_sha256 == entry.body_sha256
    assert entry.with_body(entry.body.replace("often", "often.")).body_sha256 != entry.body_sha256
    crlf = Entry.from_text("x.md", RICH.replace("\n", "\r\n"))
    assert crlf.body_sha256 == entry.body_sha256


def test_positions_count_frontmatter_lines_and_characters():
    text = "---\nid: café-x\nmodule: sleep\nstatus: draft\n---\n### Q: Où?\n\nA: [é](htp://x.org)\n"
    entry = Entry.from_text("x.md", text)
    link = entry.parsed_body().links[0]
    assert entry.body_position(link.start) == (8, 8)
    span = entry.frontmatter.span_for(("id",))
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 5, 2, 11)
