"""The malone-editor command: check output and exit codes, render, demo, and bad input."""
from __future__ import annotations

import builtins
import io
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, entry_text
from editor.cli import main

EXPECTED_SAMPLE = [
    ("entries/feeding/bottle-feeding-and-bonding.md", 3, "unknown-module", "error", "feeding"),
    ("entries/feeding/bottle-feeding-and-bonding.md", 24, "insecure-http", "warning", "https"),
    ("entries/relationships/arguing-with-partner.md", 11, "answer-prefix", "error", None),
    ("entries/relationships/arguing-with-partner.md", 23, "malformed-url", "error", "https"),
    ("entries/sleep/worry-at-bedtime.md", 26, "unknown-module", "error", "sleep"),
    ("entries/sleep/worry-at-bedtime.md", 28, "unknown-section", "error", None),
]


INSTALLED = os.environ.get("MALONE_EDITOR_INSTALLED_TEST") == "1"  # testing an installed wheel, not this tree


def cli_command() -> list[str]:
    """The command as a user runs it: the installed ``malone-editor`` when testing an install,
    else ``python -m editor`` on this source tree."""
    if INSTALLED:
        return [os.path.join(os.path.dirname(sys.executable), "malone-editor")]
    return [sys.executable, "-m", "editor"]


def cli_env() -> dict[str, str]:
    return dict(os.environ) if INSTALLED else dict(os.environ, PYTHONPATH=str(ROOT))


def run_cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*cli_command(), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=cli_env(),
                          timeout=120)


def check_json(capsys, *args) -> tuple[int, dict]:
    code = main(["check", *map(str, args), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_sample_content_reports_exactly_the_documented_problems(capsys, sample_repo):
    code, report = check_json(capsys, sample_repo)
    found = [(f["path"], f["line"], f["rule"], f["severity"], f.get("suggestion")) for f in report["findings"]]
    assert found == EXPECTED_SAMPLE
    assert code == 1
    assert report["summary"] == {"files": 31, "errors": 5, "warnings": 1, "infos": 0}
    readme = (ROOT / "sample_content" / "README.md").read_text(encoding="utf-8")
    for path, line, *_ in EXPECTED_SAMPLE:
        assert f"`{path}`" in readme and f"| {line} |" in readme


def test_json_findings_follow_the_contract(capsys, sample_repo):
    _, report = check_json(capsys, sample_repo)
    assert report["version"] == 1 and set(report) == {"version", "findings", "summary"}
    for finding in report["findings"]:
        assert {"path", "line", "column", "end_line", "end_column", "category", "rule", "severity",
                "message"} <= set(finding)
        assert finding["severity"] in ("error", "warning", "info")
        assert (finding["end_line"], finding["end_column"]) > (finding["line"], finding["column"])
        lines = (sample_repo / finding["path"]).read_text(encoding="utf-8").splitlines()
        assert finding["column"] <= len(lines[finding["line"] - 1]) + 1


def test_text_output_is_compiler_like(capsys, sample_repo):
    assert main(["check", str(sample_repo)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("entries/feeding/bottle-feeding-and-bonding.md:3:9: error: No module 'Feeding' in "
                        "modules.yaml (suggestion: feeding) [unknown-module]")
    assert lines[-1] == "31 files checked: 5 errors, 1 warning, 0 infos"


def test_exit_zero_when_only_warnings(capsys, repo):
    repo.entry("x.md", entry_text(tag="[a]"))
    assert main(["check", str(repo.root)]) == 0
    assert "1 warning" in capsys.readouterr().out


def test_paths_select_entries_and_repo_is_found_from_cwd(capsys, sample_repo, monkeypatch):
    code, report = check_json(capsys, sample_repo, "entries/sleep")
    assert code == 1 and {f["path"] for f in report["findings"]} == {"entries/sleep/worry-at-bedtime.md"}
    monkeypatch.chdir(sample_repo / "entries" / "mood")
    code, report = check_json(capsys, "baby-blues-or-depression.md")
    assert code == 0 and report["summary"]["files"] == 3 and report["findings"] == []


def test_unknown_path_and_non_repository_exit_2(capsys, sample_repo, tmp_path):
    assert main(["check", str(sample_repo), "entries/nothing.md"]) == 2
    assert "no entry there" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    assert "not inside a content repository" in capsys.readouterr().err


def test_seed_shaped_legacy_entry_draws_only_missing_metadata(capsys, repo):
    repo.entry("legacy.md", (FIXTURES / "legacy-entry.md").read_bytes())
    code, report = check_json(capsys, repo.root)
    assert code == 0
    assert [f["rule"] for f in report["findings"]] == ["missing-metadata"]


@pytest.mark.parametrize("name, content, rule", [
    ("yaml.md", b"---\nid: x\nstatus: [\n---\n### Q: a\n\nA: b\n", "invalid-yaml"),
    ("latin1.md", b"### Q: caf\xe9?\n\nA: yes\n", "not-utf8"),
    ("empty.md", b"", "empty-file"),
    ("binary.md", bytes(range(256)) * 4, "binary-file"),
])
def test_bad_input_gives_a_finding_and_no_traceback(repo, name, content, rule):
    repo.entry("ok.md", entry_text())
    repo.entry(name, content)
    result = run_cli("check", repo.root, "--format", "json")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    rules = {(f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"]}
    assert rules == {(f"entries/{name}", rule)}


def test_unreadable_file_does_not_stop_the_run(repo, capsys, monkeypatch):
    repo.entry("a.md", entry_text(id="a"))
    repo.entry("folder.md/inner.txt", "not an entry")  # a folder named like an entry cannot be read
    repo.entry("z.md", entry_text(id="z", module="slep"))
    locked = repo.entry("locked.md", entry_text(id="locked"))
    real_open = io.open

    def denying_open(file, *args, **kwargs):  # as a file without read permission (tests may run as root)
        if isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", denying_open)
    monkeypatch.setattr(builtins, "open", denying_open)
    code, report = check_json(capsys, repo.root)
    found = {(f["path"], f["rule"]) for f in report["findings"]}
    assert found == {("entries/folder.md", "unreadable-file"), ("entries/locked.md", "unreadable-file"),
                     ("entries/z.md", "unknown-module")}
    assert code == 1
    locked_finding = next(f for f in report["findings"] if f["path"] == "entries/locked.md")
    assert "Permission denied" in locked_finding["message"]


def test_large_entry_is_checked(repo, capsys):
    """A large entry within the check's budget (editor.checks.budget) is checked to its end; one
    over it gets one finding that says so (the test of hostile input has the rest)."""
    paragraph = "A: " + ("Rest when you can, and ask for help with night feeds. " * 20) + "\n\n"
    body = "### Q: How do I cope?\n\n" + paragraph * 200 + "[Bad](?tab=nowhere)\n"
    repo.entry("big.md", entry_text(body))
    assert (repo.root / "entries/big.md").stat().st_size > 200_000
    code, report = check_json(capsys, repo.root)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("unknown-tab", 5 + 2 + 2 * 200 + 1)]
    repo.entry("big.md", entry_text(body.replace(paragraph * 200, paragraph * 4800)))
    assert (repo.root / "entries/big.md").stat().st_size > 5_000_000
    code, report = check_json(capsys, repo.root)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("too-large", 6)]


def test_missing_modules_yaml_via_cli(repo):
    (repo.root / "modules.yaml").unlink()
    repo.entry("x.md", entry_text())
    result = run_cli("check", repo.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "modules.yaml:1:1: error: modules.yaml is missing" in result.stdout


def test_render_prints_safe_app_like_html(sample_repo):
    result = run_cli("render", sample_repo / "entries/sleep/worry-at-bedtime.md")
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
    assert '<h3 class="question"' in page and "Q:" not in page.split('class="question"')[1][:20]
    assert 'class="app-link broken"' in page and "broken link: No module &#x27;slep&#x27; in modules.yaml" in page
    assert "<script" not in page


def test_python_dash_m_is_the_same_command(sample_repo):
    result = run_cli("check", sample_repo)
    assert result.returncode == 1 and result.stdout.strip().endswith("31 files checked: 5 errors, 1 warning, 0 infos")


def test_demo_creates_a_repository_with_believable_history(tmp_path):
    target = tmp_path / "demo"
    result = run_cli("demo", target)
    assert result.returncode == 0, result.stderr
    log = subprocess.run(["git", "-C", str(target), "log", "--format=%an <%ae>|%s|%(trailers:key=Reviewed-by)"],
                         capture_output=True, text=True, check=True).stdout
    authors = {line.split("|")[0] for line in log.splitlines() if line}
    assert {"Maya Chen <maya.chen@example.org>", "Ana Ruiz <ana.ruiz@example.org>"} <= authors
    assert len([line for line in log.splitlines() if "|" in line]) >= 5
    assert "Reviewed-by: Ana Ruiz <ana.ruiz@example.org>" in log
    status = subprocess.run(["git", "-C", str(target), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""
    for path in (ROOT / "sample_content").rglob("*"):
        if path.is_file():
            assert (target / path.relative_to(ROOT / "sample_content")).read_bytes() == path.read_bytes()
    # every approval's review block was last changed by a commit of that reviewer
    for entry in (target / "entries").rglob("*.md"):
        text = entry.read_text(encoding="utf-8")
        match = re.search(r"reviewer: (\S+)", text)
        if match:
            author = subprocess.run(["git", "-C", str(target), "log", "-1", "--format=%ae", "--", str(entry)],
                                    capture_output=True, text=True).stdout.strip()
            assert author == match.group(1)
    again = run_cli("demo", target)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_a_command_puts_the_cycle_collector_back_as_it_found_it(sample_repo, capsys):
    """``check`` quiets the collector while it runs (editor.cli.table); a caller's process, here the
    tests', has its own thresholds back afterwards, and nothing left frozen."""
    import gc

    from editor.cli import main

    before = gc.get_threshold()
    main(["check", str(sample_repo), "--no-cache"])
    capsys.readouterr()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def _help_of(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


def test_each_command_parser_made_when_asked_for_has_every_argument_the_command_adds(capsys, monkeypatch):
    """``parse_args`` makes only the parser of the command it runs. The oracle is argparse itself: a
    plain parser given the command's ``add_arguments`` has the same arguments, and the help of each
    command, made alone, is the one the whole table's parser gives."""
    import argparse

    from editor.cli import COMMANDS, build_parser
    from editor.cli.table import _build

    monkeypatch.setenv("COLUMNS", "100")

    def arguments(parser: argparse.ArgumentParser) -> list[tuple]:
        return [(tuple(a.option_strings), a.dest, a.nargs, a.default, a.choices and tuple(a.choices), a.help)
                for a in parser._actions if not isinstance(a, argparse._SubParsersAction)]

    def children(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return dict(action.choices)

    whole = build_parser()
    assert _help_of([], capsys) == whole.format_help()
    for command in COMMANDS:
        for step in command.steps or (command,):
            words = [command.name] + ([step.name] if command.steps else [])
            level = _build()
            for word in words:
                level = level.child(word)
            plain = argparse.ArgumentParser()
            if step.add_arguments is not None:
                step.add_arguments(plain)
            assert arguments(level.parser) == arguments(plain), words
            shown = children(whole)[command.name]
            shown = children(shown)[step.name] if command.steps else shown
            assert _help_of(words, capsys) == shown.format_help(), words


@pytest.mark.parametrize("columns", [50, 100, 130])
def test_help_is_as_wide_as_argparse_makes_it_for_the_terminal(capsys, monkeypatch, columns):
    """The help's width is found without shutil; argparse's own formatter, which asks shutil, is the
    oracle."""
    import argparse

    from editor.cli import build_parser

    monkeypatch.setenv("COLUMNS", str(columns))
    shown = _help_of(["check"], capsys)
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parser = action.choices["check"]
    parser.formatter_class = argparse.HelpFormatter
    assert shown == parser.format_help()
