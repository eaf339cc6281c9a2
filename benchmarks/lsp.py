"""The language server while a writer types: from sending ``didChange`` (one character typed, as an
incremental change) to receiving that version's ``publishDiagnostics``, median and worst of many
changes, beside the baseline measured in the same run: ``check_text`` of the same texts in this
process (the editor's live check, which the server runs). Goal: within 20 ms of the baseline.

    python -m benchmarks.lsp [--changes 200] [--entries 0]

``--entries N`` checks in a generated library of N entries (benchmarks/generate.py) instead of the
sample content: the typing cost must not grow with the library.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from editor.resources import sample_content_dir

TYPICAL = "entries/sleep/cant-sleep-when-baby-sleeps.md"
WORDS = "and then we rest a little more when the baby sleeps ".split()


class _Wire:
    """Just enough of the protocol's framing to time the server."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-m", "editor", "lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        self._id = 0

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("the server ended")
            if line == b"\r\n":
                return json.loads(self.process.stdout.read(length))
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)

    def request(self, method: str, params) -> dict:
        self._id += 1
        self.send({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self._id and "method" not in message:
                return message

    def diagnostics(self, version: int) -> list:
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
                return message["params"]["diagnostics"]


def _typing(text: str, count: int) -> list[tuple[int, int, str, str]]:
    """``count`` keystrokes at the end of the answer's first paragraph: (line, character, typed, text after)."""
    lines = text.split("\n")
    line = next(number for number, value in enumerate(lines) if value.startswith("A:"))
    steps, typed = [], "".join(f" {WORDS[n % len(WORDS)]}" for n in range(count))[:count]
    for number, char in enumerate(typed):
        character = len(lines[line]) + number
        lines_after = list(lines)
        lines_after[line] = lines[line] + typed[:number + 1]
        steps.append((line, character, char, "\n".join(lines_after)))
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--entries", type=int, default=0, help="a generated library of this many entries")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="malone-lsp-"))
    root = work / "library"
    if args.entries:
        from benchmarks.generate import generate

        generate(root, args.entries)
        path = sorted(p.relative_to(root).as_posix() for p in (root / "entries").rglob("*.md"))[0]
    else:
        shutil.copytree(sample_content_dir(), root)
        path = TYPICAL
    text = (root / path).read_text(encoding="utf-8")
    steps = _typing(text, args.changes)

    from editor.checks.runner import context_for
    from editor.content.index import build_index
    from editor.content.repository import Repository
    from editor.session.library import LibraryIndex, check_text

    repo = Repository.open(root)
    ctx = context_for(repo)[0]
    ids = LibraryIndex(build_index(repo.root, repo.paths)).ids
    check_text(ctx, path, text, ids)  # (the first call loads the checks)
    baseline = []
    for _, _, _, after in steps:
        start = time.perf_counter()
        check_text(ctx, path, after, ids)
        baseline.append(time.perf_counter() - start)

    wire = _Wire()
    wire.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    wire.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = (root / path).as_uri()
    start = time.perf_counter()
    wire.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
               "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    wire.diagnostics(1)
    first = time.perf_counter() - start
    served = []
    for version, (line, character, char, _) in enumerate(steps, 2):
        where = {"line": line, "character": character}
        start = time.perf_counter()
        wire.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                   "params": {"textDocument": {"uri": uri, "version": version},
                              "contentChanges": [{"range": {"start": where, "end": where}, "text": char}]}})
        wire.diagnostics(version)
        served.append(time.perf_counter() - start)
    wire.request("shutdown", None)
    wire.send({"jsonrpc": "2.0", "method": "exit"})
    wire.process.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)

    library = f"a generated library of {args.entries} entries" if args.entries else "the sample content"
    size = len(text.encode("utf-8"))
    print(f"Language server, {len(steps)} keystrokes in a {size / 1024:.1f} KB entry of {library}:")
    print(f"  first diagnostics after didOpen (repository loaded, ids read): {first * 1000:8.1f} ms")
    for label, times in (("didChange -> publishDiagnostics", served), ("check_text in process (baseline)", baseline)):
        print(f"  {label:<34} median {statistics.median(times) * 1000:6.1f} ms   95th percentile "
              f"{_p95(times) * 1000:6.1f} ms   worst {max(times) * 1000:6.1f} ms")
    over = statistics.median(served) - statistics.median(baseline)
    print(f"  the server over the baseline: median {over * 1000:+.1f} ms, 95th percentile "
          f"{(_p95(served) - _p95(baseline)) * 1000:+.1f} ms (goal: within 20 ms; the worst of each is a one-off, "
          "such as the spell checker's first look at a new word)")


def _p95(times: list[float]) -> float:
    return sorted(times)[int(len(times) * 0.95) - 1]


if __name__ == "__main__":
    main()
