"""Link Health in the session, without any widget: nothing is read until it is asked for, then
the model follows saves and reloads; a partial refresh never drops a full one in flight."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CLEAN = "entries/sleep/sharing-night-feeds.md"


@pytest.fixture
def session(qtbot, library):
    from editor.content.recovery import RecoveryStore
    from editor.session.session import Session

    session = Session(library, RecoveryStore(library.parent / "recovery"))
    with qtbot.waitSignal(session.libraryChanged, timeout=20000):
        session.load()
    yield session
    session.close(10000)


def targets(session):
    return {row.target for row in session.links.model.rows}


def test_nothing_is_built_until_asked(qtbot, session):
    session.open(CLEAN)
    qtbot.waitUntil(lambda: session.live is not None, timeout=10000)
    assert session.links.model is None and not session.links.timer.isActive()
    with qtbot.waitSignal(session.links.changed, timeout=20000):
        session.links.activate()
    assert "?tab=modules&module=slep" in targets(session)


def test_a_save_and_a_reload_are_followed(qtbot, session, library):
    with qtbot.waitSignal(session.links.changed, timeout=20000):
        session.links.activate()
    session.open(CLEAN)
    session.edit(session.document.text + "\n[x](?tab=modules&module=brand-new)\n")
    assert session.save() is None
    qtbot.waitUntil(lambda: "?tab=modules&module=brand-new" in targets(session), timeout=10000)
    other = library / "entries/sleep/worry-at-bedtime.md"
    other.write_text(other.read_text(encoding="utf-8").replace("module=slep", "module=sleep"), encoding="utf-8")
    session.reload_library()
    # and, at once, a partial refresh of another file: it must not drop the reload's full one
    session.links.refresh([CLEAN])
    qtbot.waitUntil(lambda: "?tab=modules&module=slep" not in targets(session) and session.links.settled,
                    timeout=10000)
    assert "?tab=modules&module=brand-new" in targets(session)


def test_the_open_entrys_text_as_typed_counts(qtbot, session):
    with qtbot.waitSignal(session.links.changed, timeout=20000):
        session.links.activate()
    session.open(CLEAN)
    session.edit(session.document.text + "\n[x](?tab=modules&module=typed-only)\n")
    session.check_now()
    qtbot.waitUntil(lambda: "?tab=modules&module=typed-only" in targets(session), timeout=10000)
    session.discard_changes()
    session.check_now()
    qtbot.waitUntil(lambda: "?tab=modules&module=typed-only" not in targets(session), timeout=10000)


def test_a_partial_refresh_after_a_full_one_is_full_too(qtbot, session, library, monkeypatch):
    from editor.checks import link_index
    from editor.session import link_health

    with qtbot.waitSignal(session.links.changed, timeout=20000):
        session.links.activate()
    seen = []
    real = link_index.refresh

    def spy(old, root, paths, cache=None, only=None, *args, **kwargs):
        seen.append(only)
        return real(old, root, paths, cache, only, *args, **kwargs)

    monkeypatch.setattr(link_health.link_index, "refresh", spy)  # what the session's task calls
    other = library / "entries/sleep/worry-at-bedtime.md"
    other.write_text(other.read_text(encoding="utf-8").replace("module=slep", "module=sleep"), encoding="utf-8")
    session.links.refresh()
    session.links.timer.stop()
    session.links._submit()  # a full refresh in flight ...
    session.links.refresh([CLEAN])
    session.links.timer.stop()
    session.links._submit()  # ... and a save's, which replaces it: it looks at every file too
    qtbot.waitUntil(lambda: session.links.settled, timeout=10000)
    assert seen[-1] is None
    assert "?tab=modules&module=slep" not in targets(session)
