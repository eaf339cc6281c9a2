"""Values found valid are kept for the next process (editor/content/valid_memo.py): a kept value is
valid without jsonschema, a value with problems is always validated, and no two different values
share a digest."""
from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from editor.content import schemas, valid_memo

VALUES = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, width=16) |
                      st.text("ab1", max_size=2) | st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 3)),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("ab1", max_size=2), inner,
                                                                                  max_size=3), max_leaves=6)


@given(VALUES, VALUES)
def test_different_values_have_different_digests(one, other):
    same = valid_memo.digest("x", b"{}", one) == valid_memo.digest("x", b"{}", other)
    assert same == (repr(one) == repr(other) and type(one) is type(other))


def test_a_value_found_valid_is_valid_in_the_next_process_without_jsonschema(monkeypatch):
    monkeypatch.setattr(valid_memo, "_known", {})  # this process has found nothing valid yet
    monkeypatch.setattr(valid_memo, "_added", {})
    good = {"id": "rest-tips", "module": "sleep", "status": "draft"}
    bad = {"id": "rest-tips", "module": "sleep", "status": "drafty"}
    assert schemas.validate("entry", good) == []
    assert schemas.validate("entry", bad)
    valid_memo.save()
    monkeypatch.setattr(valid_memo, "_known", None)  # as a new process finds it
    monkeypatch.setattr(valid_memo, "_added", {})

    def refuse(name):
        raise AssertionError("jsonschema was asked")

    monkeypatch.setattr(schemas, "validator", refuse)
    assert schemas.validate("entry", dict(good)) == []
    monkeypatch.undo()
    assert [p.rule for p in schemas.validate("entry", bad)] == [p.rule for p in schemas.validate("entry", bad)]
    assert schemas.validate("entry", bad)  # problems are never kept


def test_a_damaged_kept_file_is_empty(monkeypatch):
    valid_memo._file().parent.mkdir(parents=True, exist_ok=True)
    valid_memo._file().write_text("{broken", encoding="utf-8")
    monkeypatch.setattr(valid_memo, "_known", None)
    assert not valid_memo.known_valid(valid_memo.digest("entry", b"x", {"a": 1}))
