"""Status of a 10,000-file repository through the tool, beside `git status` itself.

    python -m benchmarks.git_status
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.generate import generate
from editor.vcs.status import git_env, status

WORK = Path(__file__).resolve().parent / ".work" / "git-10000"


def main() -> None:
    if not (WORK / ".git").is_dir():
        if WORK.exists():
            shutil.rmtree(WORK)
        generate(WORK, 10_000)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                     ["-c", "user.name=Bench", "-c", "user.email=bench@example.org", "commit", "-q", "-m", "x"]):
            subprocess.run(["git", "-C", str(WORK), *args], check=True)
    paths = sorted((WORK / "entries").rglob("*.md"))
    for path in paths[:50]:
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    for number in range(10):
        (WORK / "entries" / f"untracked-{number}.md").write_text("draft\n", encoding="utf-8")
    git_times, tool_times = [], []
    for _ in range(7):  # interleaved
        start = time.perf_counter()
        subprocess.run(["git", "-C", str(WORK), "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"],
                       capture_output=True, env=git_env(), check=True)
        git_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        state = status(WORK)
        tool_times.append(time.perf_counter() - start)
    assert len(state.changes) == 60
    git_median, tool_median = statistics.median(git_times), statistics.median(tool_times)
    print(f"{'figure':<44}{'value':>10}{'baseline':>11}{'ratio':>8}{'goal':>9}")
    print(f"{'status of 10,000 files through the tool':<44}{tool_median * 1000:>8.1f}ms{git_median * 1000:>9.1f}ms"
          f"{tool_median / git_median:>8.2f}{'<= 1.5':>9}")


if __name__ == "__main__":
    main()
