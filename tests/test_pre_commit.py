"""The pre-commit hook (.pre-commit-hooks.yaml) as a content repository uses it: the pre-commit
framework itself installs this tree into an environment of its own (from local wheels: no index)
and runs the hook on real commits, a bad one it stops and a good one it lets through."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, RepoBuilder, entry_text, git
from test_cli import INSTALLED

pytestmark = [pytest.mark.heavy,
              pytest.mark.skipif(INSTALLED, reason="the source run covers it: pre-commit installs this tree itself")]

WHEELHOUSE = ROOT / ".wheelhouse"
BAD_BODY = """\
### Q: How do I talk about a friend who died?

A: It is hard when someone you love committed suicide. You can talk to us.

[Crisis support](?tab=modules&module=crisis-support) is here day and night, or call 988.
"""


def _pre_commit() -> str:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert found, "pre-commit is a test dependency: scripts/setup.sh test installs it"
    return found


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This tree (what git tracks or would track) as the hook repository, committed."""
    assert WHEELHOUSE.is_dir() and any(WHEELHOUSE.glob("*.whl")), \
        "no .wheelhouse: scripts/setup.sh test downloads the dependencies' wheels there"
    target = tmp_path_factory.mktemp("hook") / "malone-editor"
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "-c", "user.name=CI", "-c", "user.email=ci@example.org", "commit", "-q", "-m", "hooks")
    return target, git(target, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "VIRTUAL_ENV"))}
    env.update(PRE_COMMIT_HOME=str(home / "pre-commit"), XDG_CACHE_HOME=str(home / "cache"),
               PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE), PIP_DISABLE_PIP_VERSION_CHECK="1",
               GIT_AUTHOR_NAME="Ana Ruiz", GIT_AUTHOR_EMAIL="ana.ruiz@example.org",
               GIT_COMMITTER_NAME="Ana Ruiz", GIT_COMMITTER_EMAIL="ana.ruiz@example.org")
    return env


def _run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def hooked_library(tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]) -> RepoBuilder:
    """A content repository with one good entry, committed, whose pre-commit configuration uses the
    hook; ``pre-commit install`` done."""
    path, rev = hook_repo
    content = RepoBuilder(tmp_path / "content")
    content.entry("sleep/rest.md", entry_text())
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": [{"id": "malone-check"}]}]}
    content.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    git(content.root, "init", "-q", "-b", "main")
    git(content.root, "add", "-A")
    assert _run(content.root, env, "git", "commit", "-q", "-m", "start").returncode == 0
    installed = _run(content.root, env, _pre_commit(), "install")
    assert installed.returncode == 0, installed.stderr
    return content


def test_the_hook_stops_a_bad_commit_and_lets_a_good_one_through(tmp_path, hook_repo, pre_commit_env):
    env = pre_commit_env
    content = hooked_library(tmp_path, hook_repo, env)
    root = content.root

    # an entry that would hurt a reader: the commit is stopped, and says why, on which line
    content.entry("loss/friend.md", entry_text(BAD_BODY, id="friend-loss", module="crisis-support"))
    git(root, "add", "entries/loss/friend.md")
    before = git(root, "rev-parse", "HEAD")
    stopped = _run(root, env, "git", "commit", "-m", "A new entry")
    output = stopped.stdout + stopped.stderr
    assert stopped.returncode != 0, output
    assert "entries/loss/friend.md:8:37:" in output and "[suicide-commit]" in output, output
    assert git(root, "rev-parse", "HEAD") == before

    # the same entry, mended in the index; the work tree holds a bad edit that is not staged, and an
    # untracked bad entry: neither is checked, and both are still there after the commit
    mended = BAD_BODY.replace("committed suicide", "died by suicide")
    content.entry("loss/friend.md", entry_text(mended, id="friend-loss", module="crisis-support"))
    git(root, "add", "entries/loss/friend.md")
    content.entry("loss/friend.md", entry_text(BAD_BODY, id="friend-loss", module="crisis-support"))
    content.entry("loss/draft.md", entry_text(BAD_BODY, id="draft-loss", module="crisis-support"))
    passed = _run(root, env, "git", "commit", "-m", "A new entry, mended")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "malone" in (passed.stdout + passed.stderr).lower()
    assert git(root, "show", "HEAD:entries/loss/friend.md").count("died by suicide") == 1
    assert "committed suicide" in (root / "entries/loss/friend.md").read_text()
    assert (root / "entries/loss/draft.md").exists()
    # the check cache is kept where the user's cache lives, for the next commit
    assert any(Path(env["XDG_CACHE_HOME"], "malone-editor").rglob("*")), "no check cache was kept"


def test_a_settings_file_staged_checks_every_entry(tmp_path, hook_repo, pre_commit_env):
    env = pre_commit_env
    content = hooked_library(tmp_path, hook_repo, env)
    root = content.root
    # renaming the module an entry links to breaks that entry, though the entry is not staged
    content.write("modules.yaml", (root / "modules.yaml").read_text().replace("slug: sleep", "slug: sleep-and-rest"))
    git(root, "add", "modules.yaml")
    stopped = _run(root, env, "git", "commit", "-m", "Rename the sleep module")
    output = stopped.stdout + stopped.stderr
    assert stopped.returncode != 0 and "entries/sleep/rest.md" in output and "unknown-module" in output, output
