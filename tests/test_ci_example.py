"""docs/ci.md, as a team copies it: its GitHub Actions workflow and GitLab CI job hold what they
must (the whole history, the SARIF file written is the one uploaded or kept), and every
``malone-editor`` command in them runs, exactly as written, in a git repository of the sample
content, with the same findings as ``check --format json``."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, git
from test_ci_formats import SARIF_PARTS, _unescape

PAGE = ROOT / "docs" / "ci.md"
BIN = Path(sys.executable).parent


def blocks() -> list[dict]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)]


def github() -> dict:
    return next(b for b in blocks() if "jobs" in b)


def gitlab() -> dict:
    return next(b for b in blocks() if any(isinstance(job, dict) and "script" in job for job in b.values()))


@pytest.fixture
def checkout(tmp_path) -> Path:
    """What CI checks out: the sample content with its history (two commits)."""
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "sample_content", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Ana Ruiz", "-c", "user.email=ana.ruiz@example.org", "commit", "-q", "-m", "Library")
    (root / "entries" / "sleep" / "extra.md").write_text((root / "entries" / "sleep" / "worry-at-bedtime.md")
                                                         .read_text().replace("id: ", "id: x-", 1))
    git(root, "add", "-A")
    git(root, "-c", "user.name=Sam Lee", "-c", "user.email=sam@example.org", "commit", "-q", "-m", "More")
    return root


def run_line(line: str, cwd: Path, shell: list[str]) -> subprocess.CompletedProcess:
    assert line.startswith("malone-editor "), line
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([*shell, line], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def oracle(cwd: Path) -> list[dict]:
    result = run_line("malone-editor check --verify-history --format json --no-cache", cwd, ["bash", "-c"])
    return json.loads(result.stdout)["findings"]


def sarif_matches(path: Path, findings: list[dict]) -> None:
    log = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(log, SARIF_PARTS)
    got = sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"], r["message"]["text"])
                 for r in log["runs"][0]["results"])
    assert got == sorted((f["path"], f["line"], f["rule"], f["message"]) for f in findings)


def test_the_github_workflow_checks_the_whole_history_and_uploads_what_it_wrote(checkout):
    flow = github()
    assert {"pull_request", "push"} <= set(flow[True] if True in flow else flow["on"])  # YAML 1.1 reads `on` as true
    assert flow["permissions"]["security-events"] == "write"
    (job,) = flow["jobs"].values()
    steps = job["steps"]
    checkout_step = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout_step["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    runs = [s for s in steps if "malone-editor" in s.get("run", "") and "pip install" not in s["run"]]
    written = [re.search(r"> (\S+)$", s["run"]) for s in runs]
    (target,) = [w.group(1) for w in written if w]
    assert upload["with"]["sarif_file"] == target
    first = steps.index(runs[0])
    later = [s for s in steps[first + 1:]]
    assert later and all("!cancelled()" in s.get("if", "") for s in later), "the steps after the check must run when it fails"

    findings = oracle(checkout)
    assert any(f["severity"] == "error" for f in findings)  # the sample content has errors: the job fails on them
    annotations = None
    for step in runs:  # as the runner does: bash --noprofile --norc -eo pipefail
        result = run_line(step["run"], checkout, ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"])
        assert result.returncode == 1, result.stderr
        if "--format github" in step["run"]:
            annotations = result.stdout.splitlines()
    sarif_matches(checkout / target, findings)
    assert annotations is not None and len(annotations) == len(findings)
    for line, finding in zip(annotations, findings):
        kind, _, rest = line[2:].partition(" ")
        assert kind == {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert f"file={finding['path']},line={finding['line']}," in rest
        assert _unescape(rest.split("::", 1)[1]).startswith(finding["message"])


def test_the_gitlab_job_checks_the_whole_history_and_keeps_what_it_wrote(checkout):
    (job,) = [job for job in gitlab().values() if isinstance(job, dict) and "script" in job]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert any("install" in line and "git" in line for line in job["before_script"])  # --verify-history runs git
    lines = [line for line in job["script"] + job.get("after_script", []) if line.startswith("malone-editor ")]
    (target,) = [m.group(1) for m in (re.search(r"> (\S+)$", line) for line in lines) if m]
    assert job["artifacts"]["when"] == "always" and target in job["artifacts"]["paths"]

    findings = oracle(checkout)
    outputs = [run_line(line, checkout, ["sh", "-c"]) for line in lines]  # GitLab's runner: a POSIX shell
    assert [r.returncode for r in outputs] == [1] * len(lines)
    sarif_matches(checkout / target, findings)
    text = outputs[-1].stdout.splitlines()
    assert [f"{f['path']}:{f['line']}:{f['column']}: {f['severity']}: {f['message']}" for f in findings] == \
        [re.sub(r"( \(suggestion: .*\))? \[[^]]+\]$", "", line) for line in text[:-1]]


def test_the_pre_commit_example_names_a_hook_this_project_offers():
    offered = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    (config,) = [b for b in blocks() if "repos" in b]
    assert {hook["id"] for repo in config["repos"] for hook in repo["hooks"]} <= offered
