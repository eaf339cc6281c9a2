"""Shared fixtures: small repositories written on the fly, and a copy of the sample content."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

CONTENT_YAML = """\
app_name: Malone
locale: en-US
review_interval_days: 1095
readability:
  max_grade: 8
trusted_domains:
  - nih.gov
reviewers:
  - name: Ana Ruiz
    email: ana.ruiz@example.org
    credentials: Perinatal psychologist
crisis_resources:
  - "?tab=modules&module=crisis-support"
  - "988"
"""

@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory, monkeypatch):
    """Every test gets empty check and link caches of its own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


MODULES_YAML = """\
tabs: [home, modules, chat, journal, profile]
modules:
  - slug: social-support
    title: Finding social support
    sections: [reaching-out, local-groups]
  - slug: sleep
    title: Sleep and rest
  - slug: feeding
    title: Feeding your baby
  - slug: crisis-support
    title: Crisis support
"""

GOOD_BODY = """\
### Q: How can I rest when my baby wakes often?

A: Broken sleep is hard, and it is common to feel worn out.

[Tap here](?tab=modules&module=sleep) to learn more about rest.
"""


def entry_text(body: str = GOOD_BODY, **fields) -> str:
    meta = {"id": "rest-tips", "module": "sleep", "status": "draft"}
    meta.update(fields)
    lines = ["---"]
    for key, value in meta.items():
        if value is not None:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


class RepoBuilder:
    """Writes a content repository into a temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        (root / "entries").mkdir(parents=True, exist_ok=True)
        self.write("content.yaml", CONTENT_YAML)
        self.write("modules.yaml", MODULES_YAML)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(textwrap.dedent(text).encode("utf-8") if text.startswith("\n") else text.encode("utf-8"))
        return path

    def entry(self, relative: str, text: str | bytes) -> Path:
        return self.write(f"entries/{relative}", text)


@pytest.fixture
def repo(tmp_path) -> RepoBuilder:
    return RepoBuilder(tmp_path / "content")


@pytest.fixture
def sample_repo(tmp_path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(ROOT / "sample_content", target)
    return target


def findings_of(root: Path, paths=None, today=None):
    import datetime as dt

    from editor.checks.runner import check_repository
    from editor.content.repository import Repository

    report = check_repository(Repository.open(root), paths, today=today or dt.date(2026, 11, 25), jobs=1)
    return report.findings


def rules_of(root: Path, **kwargs) -> list[tuple[str, str]]:
    return [(f.path, f.rule) for f in findings_of(root, **kwargs)]


def git(cwd: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True).stdout


def shared_library(tmp_path: Path, people: list[tuple[str, str]]) -> list[Path]:
    """The sample library in a bare remote, and one clone per (name, email), each with that identity."""
    import subprocess

    origin = tmp_path / "origin"
    shutil.copytree(ROOT / "sample_content", origin)
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "-c", "user.name=Setup", "-c", "user.email=setup@example.org", "commit", "-q", "-m", "Library\n")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin), str(remote)], check=True)
    clones = []
    for number, (name, email) in enumerate(people):
        target = tmp_path / f"clone-{number}"
        subprocess.run(["git", "clone", "-q", str(remote), str(target)], check=True)
        git(target, "config", "user.name", name)
        git(target, "config", "user.email", email)
        clones.append(target)
    return clones


@pytest.fixture
def library(tmp_path, monkeypatch):
    """A copy of the sample content for the editor, with the editor's own data folder in tmp."""
    monkeypatch.setenv("MALONE_EDITOR_HOME", str(tmp_path / "home"))
    root = tmp_path / "library"
    shutil.copytree(ROOT / "sample_content", root)
    return root


@pytest.fixture
def window(qtbot, library):
    """The editor's main window on ``library``, loaded; closed without questions afterwards."""
    from test_ui import make_window

    win = make_window(qtbot, library)
    yield win
    win.session.discard_changes()
    win.close()
    win.session.tasks.wait(10000)


UI_MODULES = {"test_ui", "test_ui_git", "test_crash_recovery"}  # the editor's own process, or its widgets


# logic the source run covers whole, which does not depend on how the package is installed: the
# installed-wheel run (``-m "not ui and not source"``) keeps only the tests named here of each module
# (the language server as the installed command starts it), so that .ci/run stays under 15 minutes
SOURCE_RUN = {"test_lsp": {"test_diagnostics_are_the_findings_of_check",
                           "test_a_quick_fix_takes_the_suggestion_and_the_finding_goes",
                           "test_pygls_is_loaded_only_by_the_lsp_command"},
              "test_history_once": set(), "test_spelling_suggestions": set(),
              # the tree's shape, and fast paths compared with slow ones over generated input
              "test_architecture": set(), "test_link_index_fast": set(), "test_link_sources_fast": set(),
              "test_link_choices": set()}


def pytest_collection_modifyitems(items):
    """Tests that drive the desktop editor (through qtbot, or as a process) are marked ``ui``, so
    that a run can leave them out: ``-m "not ui"`` (the installed-wheel run of .ci/run does); the
    tests of ``SOURCE_RUN`` not kept for the installed run are marked ``source``."""
    for item in items:
        module = getattr(item, "module", None)
        name = getattr(module, "__name__", "")
        if "qtbot" in getattr(item, "fixturenames", ()) or name in UI_MODULES:
            item.add_marker(pytest.mark.ui)
        if name in SOURCE_RUN and getattr(item, "originalname", item.name) not in SOURCE_RUN[name]:
            item.add_marker(pytest.mark.source)
