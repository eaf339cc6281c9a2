"""What the window shows of an entry besides its text, read on a worker: the metadata form's fields,
where the body starts, and the reviewer's note. The window never parses an entry itself (a
frontmatter of 100,000 keys takes seconds to read, and a YAML alias bomb expands without end when
its values are turned into text), so it shows these, read off the UI thread for the very text it
holds.

Qt-free. Only plain values reach the form: a field whose value is not plain text (a nested list, a
mapping, an alias expanding to either) is not shown in the form, which then asks for the text to
be fixed, and every value shown is cut to a length a form can hold."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from editor.lazy import lazy

entries = lazy("editor.content.entry")
frontmatter = lazy("editor.content.frontmatter")

VALUE_LIMIT = 2_000  # characters of one value the form shows
LIST_LIMIT = 200  # items of a list (tags, sources) the form shows
SYNC_EDIT_LIMIT = 20_000  # a field edit of a frontmatter up to this long is made at once (a few ms)
FIX_IN_TEXT = "Fix the frontmatter in the editor to use this form."


@dataclass(frozen=True)
class EntryFacts:
    path: str
    text: str  # the text these were read from (the very object the window holds)
    usable: bool  # the form can edit this entry's fields
    note: str  # why not, in plain words ("" when usable)
    fields: dict[str, str] = field(default_factory=dict)  # id, module, status, tags, sources as the form shows them
    body_offset: int = 0
    frontmatter_length: int = 0  # characters of YAML between the fences
    review_note: dict[str, str] | None = None  # a reviewer's "Request changes" note: by, date, note


def _plain(value) -> str | None:
    """A scalar as the form shows it; None for anything that is not one."""
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, (str, int, float, dt.date)):
        text = str(value)
        return text if len(text) <= VALUE_LIMIT else None
    return None


def _plain_list(value, joiner: str) -> str | None:
    if not isinstance(value, list) or len(value) > LIST_LIMIT:
        return None
    items = [_plain(item) for item in value]
    return None if any(item is None for item in items) else joiner.join(items)


def read_facts(path: str, text: str) -> EntryFacts:
    """On a worker: the form's fields of ``text`` and where its body starts."""
    entry = entries.Entry.from_text(path, text)
    fm = entry.frontmatter
    offset = entry.body_offset + (1 if text.startswith("\ufeff") else 0)
    length = len(fm.yaml_text) if fm is not None else 0
    if fm is not None and not (fm.closed and fm.error is None):
        return EntryFacts(path, text, False, FIX_IN_TEXT, {}, offset, length)
    meta = entry.meta
    fields: dict[str, str] = {}
    unshown: list[str] = []
    for key in ("id", "module", "status"):
        value = meta.get(key)
        shown = "" if value is None else _plain(value)
        fields[key] = shown if shown is not None else ""
        if shown is None:
            unshown.append(key)
    for key, joiner in (("tags", ", "), ("sources", "\n")):
        value = meta.get(key)
        shown = "" if value is None else _plain_list(value, joiner)
        fields[key] = shown if shown is not None else ""
        if shown is None:
            unshown.append(key)
    note = meta.get("review_note")
    review_note = None
    if isinstance(note, dict):
        review_note = {k: _plain(note.get(k)) or "" for k in ("by", "date", "note")}
    if unshown:
        listed = ", ".join(unshown)
        return EntryFacts(path, text, False, f"The form cannot show {listed}: the value is not plain text. "
                          + FIX_IN_TEXT, fields, offset, length, review_note)
    return EntryFacts(path, text, True, "", fields, offset, length, review_note)


def edit_field(path: str, text: str, key: str, value) -> tuple[str | None, str]:
    """One field of ``text`` set through the lossless writer: (the new text, "") or (None, why not).
    The text comes back unchanged ("" as the reason) when the field already holds ``value``."""
    entry = entries.Entry.from_text(path, text)
    if entry.meta.get(key) == value:
        return text, ""
    try:
        return entry.with_field(key, value).text, ""
    except frontmatter.FrontmatterEditError as exc:
        return None, f"Cannot change {key}: {exc}"


def body_offset(text: str) -> int:
    """Where the body of ``text`` starts, as ``Entry.body_offset`` says, from the fences alone
    (no YAML is read: a moment for any frontmatter)."""
    bom = 1 if text.startswith("\ufeff") else 0
    fm = frontmatter.split(text[bom:])
    return (fm.body_offset if fm is not None else 0) + bom
