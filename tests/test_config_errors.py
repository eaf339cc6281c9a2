"""A broken content.yaml, modules.yaml or tone.yaml (YAML syntax, wrong types, not UTF-8) is said
clearly with its file and line: by `malone-editor check`, and in the editor (a banner, and the
Problems panel, which keeps it in view while entries are edited)."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_ui import make_window, no_modal_dialogs, open_and_wait  # noqa: E402, F401

BROKEN = {  # (file, text) -> (line, rule)
    "content-syntax": ("content.yaml", "app_name: Malone\nreviewers:\n  - name: Ana\n   email: x\n", 4, "invalid-yaml"),
    "content-types": ("content.yaml", "app_name: Malone\nreview_interval_days: soon\n", 2, "invalid-setting"),
    "modules-syntax": ("modules.yaml", "tabs: [home\nmodules:\n", 2, "invalid-yaml"),
    "modules-types": ("modules.yaml", "tabs: home\nmodules: []\n", 1, "invalid-tabs"),
    "tone-syntax": ("tone.yaml", "allow: [a]\nrules:\n  - id: x\n    kind: [\n", 5, "invalid-yaml"),
    "tone-types": ("tone.yaml", "allow: [a]\nrules: 5\n", 2, "invalid-rules"),
    "tone-not-utf8": ("tone.yaml", b"allow: [a]\ndisable: [caf\xe9]\n", 2, "not-utf8"),
}


def break_file(root, case):
    name, text, line, rule = BROKEN[case]
    (root / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return name, line, rule


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_command_names_file_and_line(library, capsys, case):
    from editor.cli import main

    name, line, rule = break_file(library, case)
    assert main(["check", str(library)]) == 1
    out, err = capsys.readouterr()
    reported = [row for row in out.splitlines() if row.startswith(f"{name}:")]
    assert any(row.startswith(f"{name}:{line}:") and row.endswith(f"[{rule}]") and ": error: " in row
               for row in reported), out
    assert err == ""


def test_check_command_in_a_process_shows_no_traceback(library):
    from test_cli import run_cli

    break_file(library, "tone-syntax")
    result = run_cli("check", library)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert "tone.yaml:5:" in result.stdout and "tone.yaml is not valid YAML" in result.stdout


@pytest.mark.parametrize("case", ["content-syntax", "modules-types", "tone-syntax", "tone-types"])
def test_editor_shows_file_and_line(qtbot, library, case):
    name, line, rule = break_file(library, case)
    window = make_window(qtbot, library)
    try:
        qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
        assert f"{name} line {line}:" in window.banner.label.text()

        def listed() -> bool:
            return any(path == name and at == line and rule_ == rule for _, path, at, rule_, _ in window.problems.rows())

        assert listed()
        open_and_wait(qtbot, window, "entries/sleep/sharing-night-feeds.md")  # still in view while editing
        qtbot.waitUntil(lambda: window.problems.scope == "entry" and window.session.live_findings is not None and listed(),
                        timeout=10000)
        window.banner.buttons["Show Problems"].click()
        assert not window.banner.isVisible()
    finally:
        window.close()
        window.session.tasks.wait(10000)


def _values():
    from hypothesis import strategies as st

    scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, width=16),
                        st.sampled_from(["", "x", "sleep", "error", "[", "988", "a@b", "2026-02-30", "*"]))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.sampled_from(
                                                             ["id", "slug", "kind", "title", "rules", "tabs", "email",
                                                              "name", "swap", "tokens", "if", "then", "severity"]),
                                                             inner, max_size=3)), max_leaves=8)


def test_any_settings_values_load_without_raising(tmp_path):
    """Property: whatever values the three settings files hold, loading and checking never raises, and
    every problem found is a finding on that file."""
    import yaml
    from conftest import RepoBuilder, entry_text, findings_of
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    keys = {"content.yaml": ["app_name", "reviewers", "review_interval_days", "readability", "crisis_resources",
                             "trusted_domains"],
            "modules.yaml": ["tabs", "modules"], "tone.yaml": ["rules", "severity", "disable", "allow", "sources"]}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(sorted(keys)), st.data())
    def check(name, data):
        repo = RepoBuilder(tmp_path / "fuzz")
        (repo.root / "tone.yaml").unlink(missing_ok=True)
        repo.entry("sleep/x.md", entry_text())
        content = data.draw(st.dictionaries(st.sampled_from(keys[name]), _values(), max_size=4))
        repo.write(name, yaml.safe_dump(content))
        for finding in findings_of(repo.root):
            assert finding.path in (name, "entries/sleep/x.md", "modules.yaml", "content.yaml")

    check()
