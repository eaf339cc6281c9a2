"""Every subcommand as a user runs it: the ``malone-editor`` executable beside this Python, on a
fresh demo repository and on the sample content. .ci/run also runs these (with the other non-UI
tests) against the wheel installed in a fresh venv, with MALONE_EDITOR_INSTALLED_TEST=1; then the
source tree must not be what is tested."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import editor
from conftest import ROOT, RepoBuilder, entry_text
from linkserver import LinkServer
from test_cli import INSTALLED

EXECUTABLE = Path(sys.executable).with_name("malone-editor")
if not EXECUTABLE.exists() and not INSTALLED:
    pytest.skip("no malone-editor executable beside this Python (not installed)", allow_module_level=True)


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(EXECUTABLE), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env,
                            timeout=120)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    target = tmp_path_factory.mktemp("installed") / "demo"
    result = run("demo", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Created a demo content repository in {target}")
    return target


@pytest.fixture(scope="module")
def server():
    with LinkServer() as running:
        yield running


def test_check_text_and_json(demo, tmp_path):
    text = run("check", demo, "--cache-dir", tmp_path)
    assert text.returncode == 1
    assert text.stdout.splitlines()[-1] == "31 files checked: 5 errors, 1 warning, 0 infos"
    as_json = run("check", "--format", "json", demo, "--no-cache", "entries/sleep")
    report = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and report["summary"] == {"files": 6, "errors": 2, "warnings": 0, "infos": 0}


def test_check_and_links_online_against_a_local_server(server, tmp_path):
    repo = RepoBuilder(tmp_path / "content")
    repo.entry("x.md", entry_text(f"### Q: Where?\n\nA: See [a]({server.base}/ok) and [b]({server.base}/missing).\n"))
    checked = run("check", repo.root, "--online", "--timeout", "2", "--format", "json", "--cache-dir", tmp_path / "c")
    rules = {(f["rule"], f["severity"]) for f in json.loads(checked.stdout)["findings"]}
    assert checked.returncode == 1 and ("page-gone", "error") in rules
    links = run("links", repo.root, "--online", "--no-cache", "--format", "json")
    targets = {t["target"]: t["status"] for t in json.loads(links.stdout)["targets"]}
    assert links.returncode == 1
    assert targets[f"{server.base}/missing"] == "broken" and targets[f"{server.base}/ok"] != "broken"
    assert {path for _, path, _ in server.requests} == {"/ok", "/missing"}


def test_links_offline(demo):
    result = run("links", demo, "--module", "sleep")
    assert result.returncode == 1 and result.stdout.startswith("Links to module 'sleep': 3 from 3 entries")


def test_review_queue(demo):
    text = run("review", "queue", demo)
    as_json = run("review", "queue", "--format", "json", demo)
    assert text.returncode == 0 == as_json.returncode
    queue = json.loads(as_json.stdout)["queue"]
    assert queue and text.stdout.splitlines()[-1] == f"{len(queue)} entries need a reviewer's attention"


def test_render(demo):
    result = run("render", demo / "entries/sleep/worry-at-bedtime.md")
    assert result.returncode == 0 and result.stdout.startswith("<!DOCTYPE html>")
    assert 'class="app-link broken"' in result.stdout and "<script" not in result.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display variable is Linux's and the BSDs'")
def test_open_without_a_display_says_so(demo, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([str(EXECUTABLE), "open", str(demo)], capture_output=True, text=True, timeout=120,
                            env=dict(env, MALONE_EDITOR_HOME=str(tmp_path / "home")))
    assert result.returncode == 2 and result.stderr.startswith("malone-editor: no display found: ")


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"malone-editor {editor.__version__}"


# ---- only when testing an installed wheel -------------------------------------------------------

installed_only = pytest.mark.skipif(not INSTALLED, reason="only when testing an installed wheel")


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


@installed_only
def test_the_installed_package_is_the_one_tested(tmp_path):
    package = Path(editor.__file__).parent
    assert _inside(package, Path(sys.prefix)) and not _inside(package, ROOT), package
    probe = subprocess.run([sys.executable, "-c", "import editor; print(editor.__file__)"], capture_output=True,
                           text=True, cwd=tmp_path, check=True)
    assert Path(probe.stdout.strip()).parent == package
    assert _inside(EXECUTABLE, Path(sys.prefix))


@installed_only
def test_every_module_and_data_file_of_the_tree_is_installed():
    """The wheel holds every package of the tree (a new one too), the rules, schemas and sample content."""
    package = Path(editor.__file__).parent
    expected = {p.relative_to(ROOT / "editor") for p in (ROOT / "editor").rglob("*")
                if p.suffix in (".py", ".yaml", ".txt", ".json") and "__pycache__" not in p.parts}
    expected |= {Path("schemas") / p.relative_to(ROOT / "schemas") for p in (ROOT / "schemas").rglob("*.json")}
    expected |= {Path("sample_content") / p.relative_to(ROOT / "sample_content")
                 for p in (ROOT / "sample_content").rglob("*") if p.is_file()}
    missing = sorted(str(p) for p in expected if not (package / p).is_file())
    assert not missing, missing
