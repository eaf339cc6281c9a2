"""The session's entry list, kept current one row at a time (issue 20): after any sequence of edits
(a question, a status, a module, a new entry, a removed one), filters, groupings, folds and problem
marks, the rows a model built only from its signals holds are exactly the list an independent
oracle makes from the session's rows; a one-entry change never rearranges the whole list; a filter
set while one is being arranged on a worker, or entries changed meanwhile, are never lost."""
from __future__ import annotations

import dataclasses
import os
import random

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STATUS = {"draft": "Draft", "in-review": "In review", "approved": "Approved", None: "No status"}


def oracle(session, spec, problems=frozenset(), folded=frozenset()) -> list[str]:
    """The list as it should read, made directly from the rows (not from the code under test)."""
    titles = {slug: m.title for slug, m in session.registry.modules.items()}
    query = spec.text.strip().lower()
    texts = session.files.search.texts
    groups: dict[str, list] = {}
    for row in session.rows:
        if spec.module is not None and row.module != spec.module or spec.status is not None and row.status != spec.status:
            continue
        if spec.problems_only and row.path not in problems:
            continue
        if query and not (query in f"{row.question}\0{row.id or ''}\0{row.path}".lower()
                          or all(word in texts.get(row.path, "") for word in query.split())):
            continue
        name = STATUS.get(row.status, row.status) if spec.by_status else titles.get(row.module or "", row.module)
        groups.setdefault(name, []).append(row)
    lines = []
    for name in sorted(groups, key=lambda n: (n.lower(), n)):
        rows = sorted(groups[name], key=lambda r: (r.question.lower(), r.path))
        lines.append(f"{'▸' if name in folded else '▾'} {name} ({len(rows)})")
        if name not in folded:
            lines += [r.question + (" \u26a0" if r.path in problems else "") for r in rows]
    return lines


@pytest.fixture(params=[0, 10_000], ids=["on-a-worker", "at-once"])
def session(request, qtbot, library):
    from editor.content.recovery import RecoveryStore
    from editor.session.session import Session

    session = Session(library, RecoveryStore(library.parent / "recovery"))
    session.entry_list.sync_rows = request.param  # 0: every arrangement is made on a worker
    with qtbot.waitSignal(session.entry_list.arranged, timeout=20000):
        session.load()
    qtbot.waitUntil(lambda: session.files.search.ready, timeout=20000)
    yield session
    session.close(10000)


PATH_ROLE = 256  # Qt.ItemDataRole.UserRole: an entry row's path


def model_of(session):
    from editor.ui.entry_model import EntryModel

    return EntryModel(session.entry_list, lambda: session.library)


def settle(qtbot, session):
    qtbot.waitUntil(lambda: not session.entry_list.pending, timeout=20000)


def test_random_edits_keep_the_list_as_the_oracle_has_it_without_rearranging(qtbot, session):
    from editor.content.index import IndexRow
    from editor.session.entry_arrange import ListFilter

    entries, model = session.entry_list, model_of(session)
    rng = random.Random(20)
    modules = sorted(session.registry.modules) + ["no-such-module"]
    spec, problems = ListFilter(), frozenset()
    for step in range(120):
        before = (entries.arrangements, model.resets)
        paths = [row.path for row in session.rows]
        choice = rng.random()
        if choice < 0.55:  # an edit of one entry's fields, as a check after typing reports it
            row = session.library.row(rng.choice(paths))
            change = rng.choice(["question", "status", "module"])
            value = {"question": rng.choice(["Aardvark?", "zebra night", row.question + " again", "How do I rest"]),
                     "status": rng.choice(["draft", "in-review", "approved", None]),
                     "module": rng.choice(modules)}[change]
            session._update_row(dataclasses.replace(row, **{change: value}))
        elif choice < 0.65:  # a new entry
            session._update_row(IndexRow(f"entries/sleep/new-{step}.md", f"new-{step}", rng.choice(modules), "draft",
                                         rng.choice(["A new question", "another"])))
        elif choice < 0.72:  # an entry renamed away or deleted
            path = rng.choice(paths)
            session.library.remove(path)
            session.files.entryRemoved.emit(path)
        elif choice < 0.8:  # a heading clicked
            if entries.view.names:
                entries.toggle(rng.choice(entries.view.names))
        else:  # a new filter, grouping or problem marks: arranged again (the only thing that may rearrange)
            spec = ListFilter(rng.choice(["", "", "night", "sleep", "entries/mood"]), rng.choice([None, None, "sleep"]),
                              rng.choice([None, "draft"]), rng.random() < 0.2, rng.random() < 0.5)
            problems = frozenset(rng.sample(paths, k=min(len(paths), rng.randint(0, 6))))
            entries.set_problems(problems)
            entries.set_filter(spec)
            settle(qtbot, session)
        if choice < 0.8:
            assert (entries.arrangements, model.resets) == before, f"step {step}: a one-entry change rearranged"
        assert model.stringList() == oracle(session, spec, problems, frozenset(entries.collapsed)), f"step {step}"
        assert model.rowCount() == entries.count()
        for number in range(model.rowCount()):  # every entry row knows its path, every heading its group
            kind, value = entries.at(number)
            index = model.index(number)
            assert index.data(PATH_ROLE) == (value if kind == "entry" else None)


def test_changes_made_while_a_filter_is_arranged_are_replayed_on_it(qtbot, session):
    from editor.session.entry_arrange import ListFilter

    entries, model = session.entry_list, model_of(session)
    entries.set_filter(ListFilter(by_status=True))
    entries.set_filter(ListFilter(by_status=True, text="sleep"))  # typed on: the first arrangement is dropped
    row = next(r for r in session.rows if "sleep" not in f"{r.question} {r.path}".lower()
               and "sleep" not in session.files.search.texts.get(r.path, ""))
    # meanwhile (on a worker, the result cannot come before the event loop runs): the entry changes so
    # that the filter finds it, another is removed
    session._update_row(dataclasses.replace(row, status="approved", question="Zz sleep last of all"))
    gone = next(r.path for r in session.rows if r.path.startswith("entries/sleep/"))
    session.library.remove(gone)
    session.files.entryRemoved.emit(gone)
    settle(qtbot, session)
    assert model.stringList() == oracle(session, ListFilter(by_status=True, text="sleep"))
    assert entries.position(row.path) is not None and entries.position(gone) is None
    done = []
    entries.set_filter(ListFilter())
    entries.when_arranged(lambda: done.append(model.stringList()))  # Enter in the filter waits for its list
    settle(qtbot, session)
    assert done == [oracle(session, ListFilter())]


def test_one_entry_changes_are_moves_inserts_and_removals_of_its_own_row(qtbot, session):
    from PySide6.QtCore import QPersistentModelIndex

    entries, model = session.entry_list, model_of(session)
    heard = []
    for name in ("inserted", "removed", "moved", "rowsChanged", "wasReset"):
        getattr(entries, name).connect(lambda *args, name=name: heard.append((name, *args)))
    row = session.library.row("entries/sleep/worry-at-bedtime.md")
    persistent = QPersistentModelIndex(model.index_of(row.path))
    session._update_row(dataclasses.replace(row, question="Aaa first of the sleep entries"))
    assert [name for name, *_ in heard] == ["moved", "rowsChanged"]
    assert persistent.isValid() and persistent.row() == entries.position(row.path)  # a selection follows it
    assert persistent.data() == "Aaa first of the sleep entries"
    heard.clear()
    session._update_row(dataclasses.replace(session.library.row(row.path), status="approved"))
    assert [name for name, *_ in heard] == ["rowsChanged"]  # grouped by module: its row changes in place


def test_the_id_map_kept_change_by_change_is_the_one_made_from_scratch():
    from editor.content.index import IndexRow
    from editor.session.library import LibraryIndex, ids_of

    rng = random.Random(7)
    library = LibraryIndex([IndexRow(f"entries/e{n}.md", f"id{n % 5}", "sleep", "draft", "Q?") for n in range(30)])
    for step in range(400):
        path = f"entries/e{rng.randrange(40)}.md"
        if rng.random() < 0.2:
            library.remove(path)
        else:
            library.update(IndexRow(path, rng.choice([None, "", "id1", "id2", f"id{step % 7}"]), "sleep", "draft", "Q?"))
        assert library.ids == ids_of(library.rows), f"step {step}"
        assert all(library.row(row.path) is row for row in library.rows)
