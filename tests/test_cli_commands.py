"""The command table: options anywhere among positionals, argparse's own help and errors, a reader
that closes the pipe early, and starting the editor where there is no display."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from conftest import entry_text
from editor.cli import COMMANDS, main
from editor.cli.open_editor import display_problem, x11_reachable
from test_cli import cli_command, cli_env

UNIX_LIKE = sys.platform.startswith("linux") or "bsd" in sys.platform


# ---- options anywhere ---------------------------------------------------------------------------

def test_options_between_repo_and_paths(capsys, sample_repo):
    code = main(["check", str(sample_repo), "--no-cache", "entries/sleep", "--format", "json", "entries/mood"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["summary"]["files"] == 4 + 5 + 2  # sleep, mood, content.yaml and modules.yaml
    assert {f["path"] for f in report["findings"]} == {"entries/sleep/worry-at-bedtime.md"}
    code = main(["check", "--format", "json", str(sample_repo), "--jobs", "1", "entries/mood", "--no-cache"])
    assert code == 0 and json.loads(capsys.readouterr().out)["summary"]["files"] == 5 + 2


@pytest.mark.parametrize("args", [
    ["links", "--format", "json", "{repo}", "--module", "sleep"],
    ["review", "queue", "--format", "json", "{repo}"],
    ["render", "--fragment", "{repo}/entries/sleep/worry-at-bedtime.md"],
    ["fix", "--dry-run", "{repo}", "--void-approvals", "{repo}/entries/feeding"],
])
def test_every_command_takes_options_before_and_after_its_positionals(capsys, sample_repo, args):
    code = main([a.format(repo=sample_repo) for a in args])
    out = capsys.readouterr().out
    assert code in (0, 1) and out
    if "json" in args:
        json.loads(out)


def test_each_command_of_the_table_has_a_parser_and_a_runner():
    names = [c.name for c in COMMANDS]
    assert names == ["check", "fix", "review", "links", "render", "demo", "lsp", "open"]
    for command in COMMANDS:
        for leaf in command.steps or (command,):
            assert callable(leaf.run) and callable(leaf.add_arguments)


@pytest.mark.parametrize("args, status, stream, text", [
    (["--version"], 0, "out", "malone-editor 0.1.0"),
    (["--help"], 0, "out", "{check,fix,review,links,render,demo,lsp,open}"),
    (["check", "--help"], 0, "out", "usage: malone-editor check"),
    (["review", "approve", "-h"], 0, "out", "usage: malone-editor review approve"),
    (["nope"], 2, "err", "invalid choice: 'nope'"),
    (["--nope"], 2, "err", "unrecognized arguments: --nope"),
    (["check", ".", "--nope"], 2, "err", "malone-editor check: error: unrecognized arguments: --nope"),
    (["check", "--format", "xml"], 2, "err", "invalid choice: 'xml'"),
    (["review"], 2, "err", "required: step"),
    (["review", "changes", "x.md"], 2, "err", "required: --note"),
    (["render"], 2, "err", "required: entry"),
])
def test_help_version_and_errors_are_argparse_s_own(capsys, args, status, stream, text):
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == status
    assert text in getattr(capsys.readouterr(), stream)


# ---- a reader that closes the pipe early --------------------------------------------------------

@pytest.fixture(scope="module")
def noisy_repo(tmp_path_factory):
    """A repository whose check and link report print far more than a pipe holds (64 KiB)."""
    from conftest import RepoBuilder

    repo = RepoBuilder(tmp_path_factory.mktemp("noisy") / "content")
    links = "".join(f"[Go {i}](?tab=modules&module=nowhere-{i % 7})\n\n" for i in range(4000))
    repo.entry("many.md", entry_text("### Q: Where?\n\nA: Here.\n\n" + links))
    return repo.root


@pytest.mark.parametrize("args", [["check", "--no-cache"], ["check", "--format", "json", "--no-cache"], ["links"]])
def test_closed_pipe_keeps_the_findings_status_and_says_nothing(noisy_repo, args):
    process = subprocess.Popen([*cli_command(), *args, str(noisy_repo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=cli_env())
    try:
        first = process.stdout.readline()
        process.stdout.close()  # like `| head -1`: the writer has far more left than the pipe holds
        err = process.stderr.read().decode(errors="replace")
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert first.strip()
    assert err == ""  # no 'Exception ignored ... BrokenPipeError' at exit, no traceback
    assert process.returncode == 1


def test_pipe_closed_before_the_status_is_known_is_141(monkeypatch, capsys, sample_repo):
    def gone(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("editor.cli.check.open_repository", gone)
    assert main(["check", str(sample_repo)]) == 141
    assert capsys.readouterr().err == ""


# ---- no display ---------------------------------------------------------------------------------

def headless_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in cli_env().items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["MALONE_EDITOR_HOME"] = str(tmp_path / "home")
    env.update(extra)
    return env


def unused_x_display() -> str:
    for number in range(517, 600):
        if not os.path.exists(f"/tmp/.X11-unix/X{number}") and x11_reachable(f":{number}") is False:
            return f":{number}"
    pytest.skip("no unused X display number")


@pytest.mark.skipif(not UNIX_LIKE, reason="Qt needs no display variable elsewhere")
@pytest.mark.parametrize("args", [[], ["open", "{repo}"], ["open", "{repo}/entries/sleep/worry-at-bedtime.md"]])
@pytest.mark.parametrize("display", [None, "unanswered"])
def test_no_display_is_one_clear_line_and_exit_2(tmp_path, sample_repo, args, display):
    extra = {} if display is None else {"DISPLAY": unused_x_display()}
    result = subprocess.run([*cli_command(), *(a.format(repo=sample_repo) for a in args)], capture_output=True,
                            text=True, env=headless_env(tmp_path, **extra), timeout=120)
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr  # Qt's abort would be 134
    assert len(lines) == 1 and lines[0].startswith("malone-editor: no display found: ")
    assert "DISPLAY" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "home").exists()  # decided before Qt: no settings, no demo library


@pytest.mark.parametrize("env, system, expected", [
    ({}, "linux", "neither DISPLAY nor WAYLAND_DISPLAY is set"),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "DISPLAY is not set"),
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", "WAYLAND_DISPLAY is not set"),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
    ({"QT_QPA_PLATFORM": "xcb;offscreen"}, "linux", None),
    ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", None),
    ({}, "freebsd14", "neither DISPLAY nor WAYLAND_DISPLAY is set"),
    ({}, "darwin", None),
    ({}, "win32", None),
    ({"DISPLAY": "odd"}, "linux", "DISPLAY is 'odd', which is not an X display name"),  # Qt would abort
])
def test_display_problem_without_a_display(env, system, expected):
    found = display_problem(env, system)
    assert found == expected if expected is None else found.startswith(expected)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets are Linux's")
def test_a_listening_x_socket_counts_as_a_display():
    display = unused_x_display()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0/tmp/.X11-unix/X{display[1:]}")
        server.listen(1)
        assert display_problem({"DISPLAY": display}, "linux") is None
        assert display_problem({"DISPLAY": f"unix{display}.0"}, "linux") is None
    assert "does not answer" in display_problem({"DISPLAY": display}, "linux")


def test_an_x_server_over_tcp_counts_as_a_display():
    with socket.socket() as server:
        for number in range(300, 400):
            try:
                server.bind(("127.0.0.1", 6000 + number))
                break
            except OSError:
                continue
        else:
            pytest.skip("no free port for a display")
        server.listen(1)
        assert display_problem({"DISPLAY": f"127.0.0.1:{number}.0"}, "linux") is None
    assert "does not answer" in display_problem({"DISPLAY": f"127.0.0.1:{number}"}, "linux")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_listening_wayland_socket_counts_as_a_display(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(runtime / "wayland-9"))
        server.listen(1)
        env = {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(runtime)}
        assert display_problem(env, "linux") is None
        assert display_problem({"WAYLAND_DISPLAY": str(runtime / "wayland-9")}, "linux") is None
    assert "does not answer" in display_problem(env, "linux")
    assert "does not answer" in display_problem({"WAYLAND_DISPLAY": "wayland-9"}, "linux")  # no XDG_RUNTIME_DIR
