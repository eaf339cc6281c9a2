"""The repository's state in plain words, with the actions that fit it, and the refusals of
operations that cannot work in it (never "Already up to date." when nothing can be compared)."""
from __future__ import annotations

import time
from dataclasses import dataclass

from editor.vcs.state import MERGE, REBASE, RepoState

# actions a state can offer; the window shows each as a button with this label
CONTINUE, ABORT, PUBLISH, REMOVE_LOCK, FETCH, PULL, PUSH, REBASE_ON_TOP, MERGE_IN = (
    "continue", "abort", "publish", "remove-lock", "fetch", "pull", "push", "rebase", "merge")
LABELS = {CONTINUE: "Continue", ABORT: "Abort", PUBLISH: "Publish This Branch", REMOVE_LOCK: "Remove the Lock",
          FETCH: "Check Again", PULL: "Pull", PUSH: "Push", REBASE_ON_TOP: "Rebase Mine on Top", MERGE_IN: "Merge"}

# how urgent a state is: the window brings the Changes panel forward for ATTENTION
CALM, INFO, ATTENTION = "calm", "info", "attention"

OPERATION_WORDS = {REBASE: "putting your commits on top of the shared library (a rebase)",
                   MERGE: "merging the shared library into yours", "cherry-pick": "copying a commit (a cherry-pick)",
                   "revert": "undoing a commit (a revert)"}


@dataclass(frozen=True)
class Advice:
    text: str
    actions: tuple[str, ...] = ()
    level: str = CALM


def describe(state: RepoState, now: float | None = None) -> Advice:
    if not state.repository or state.problem:
        return Advice(state.problem or "This library is not in git, so there is no history, sharing or review here.")
    if state.lock is not None:
        return _lock(state)
    if state.operation is not None:
        return _operation(state)
    if state.head is None:
        return Advice("Nothing is committed in this library yet: commit your first entries to start its history.",
                      (), INFO)
    if state.branch is None:
        return Advice("This copy is not on a branch (a single commit was checked out, perhaps in a terminal), so "
                      "commits made now would belong to no branch. Go back to a branch first, for example with "
                      "'git switch main' in a terminal; the editor refuses to commit, pull or push until then.",
                      (), ATTENTION)
    if not state.remotes:
        return Advice(f"On branch {state.branch}. This library is not connected to a shared library (git has no "
                      "remote), so there is nothing to pull from or push to. Ask whoever set up the team's library "
                      "for its address.", (), INFO)
    if state.upstream is None:
        remote = state.publish_remote()
        where = f" to {remote}" if remote else ""
        return Advice(f"Your branch {state.branch} is not shared yet: colleagues cannot see its commits. "
                      f"Publish it{where} to share it.", (PUBLISH,) if remote else (), INFO)
    unreachable = ""
    if state.reachable is False:
        reason = f" ({state.reach_problem})" if state.reach_problem else ""
        unreachable = (f" The shared library could not be reached at the last try{reason}; your work is safe here, "
                       "and the editor tries again every few minutes.")
    checked = f" (checked at {time.strftime('%H:%M', time.localtime(state.fetched_at))})" \
        if state.fetched_at and state.reachable else ""
    if state.ahead and state.behind:
        return Advice(f"Your branch and the shared one have both changed ({state.ahead} of yours, {state.behind} "
                      f"from colleagues){checked}. Put yours on top of theirs, or merge the two." + unreachable,
                      (REBASE_ON_TOP, MERGE_IN), INFO)
    if state.behind:
        return Advice(f"{_count(state.behind, 'change')} from colleagues to pull{checked}." + unreachable,
                      (PULL,), INFO)
    if state.ahead:
        return Advice(f"{_count(state.ahead, 'commit')} of yours not shared yet{checked}." + unreachable,
                      (PUSH,), INFO)
    if state.reachable is False:
        return Advice(unreachable.strip(), (FETCH,), INFO)
    if state.reachable is None:
        return Advice(f"On {state.branch}, shared as {state.upstream}; not compared with the shared library yet.",
                      (FETCH,))
    return Advice(f"Up to date with the shared library{checked}.")


def _count(number: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{number} {word if number == 1 else plural}"


def _lock(state: RepoState) -> Advice:
    lock = state.lock
    if lock.stale:
        minutes = max(1, int((time.time() - lock.since) // 60))
        return Advice(f"A git program stopped before it finished and left its lock behind ({minutes} min ago); "
                      "no git program is working in this library now, so the lock can be removed safely. Until "
                      "then git can change nothing here.", (REMOVE_LOCK,), ATTENTION)
    return Advice("Another git program is working in this library right now (a terminal or another tool), so "
                  "the editor waits: commit, pull and push are refused until it has finished.", (FETCH,), ATTENTION)


def _operation(state: RepoState) -> Advice:
    operation = state.operation
    doing = OPERATION_WORDS.get(operation.kind, operation.kind)
    if operation.kind not in (REBASE, MERGE):
        return Advice(f"Something started in a terminal is not finished: {doing}. Finish it there, or Abort to go "
                      "back to how things were.", (ABORT,), ATTENTION)
    what = ""
    if operation.kind == REBASE and operation.replaying is not None:
        doing = doing.removesuffix(")")  # "... (a rebase; now your commit “Soften the intro”, 1 of 2)"
        what = f"; now your commit \u201c{operation.replaying.subject}\u201d"
        what += f", {operation.step[0]} of {operation.step[1]})" if operation.step else ")"
    unresolved = operation.unresolved
    if unresolved:
        listed = ", ".join(unresolved[:5]) + (f" and {len(unresolved) - 5} more" if len(unresolved) > 5 else "")
        return Advice(f"You are {doing}{what}, and {_count(len(unresolved), 'entry')} changed on both sides: "
                      f"{listed}. Choose a version of each in the list below, then Continue; or Abort to go back "
                      "to exactly how things were before.", (CONTINUE, ABORT), ATTENTION)
    chosen = len(operation.conflicts)
    done = f"you have chosen a version of {_count(chosen, 'entry')}" if chosen else "nothing waits for a choice"
    return Advice(f"You are {doing}{what}; {done}. Continue to finish, or Abort to go back to exactly how things "
                  "were before.", (CONTINUE, ABORT), ATTENTION)


def refusal(state: RepoState, what: str) -> str | None:
    """Why ``what`` ("pull", "push", "commit", "fetch", "publish") cannot work now; None when it can."""
    if not state.repository or state.problem:
        return state.problem or "This library is not in git, so there is nothing to " + what + "."
    if what == "fetch":  # only the shared library's branches move: harmless in any state
        return None if state.remotes else ("This library is not connected to a shared library (git has no remote), "
                                           "so there is nothing to fetch. Ask whoever set up the team's library "
                                           "for its address.")
    if state.lock is not None:
        return ("Another git program is working in this library (or left its lock behind), so the editor will not "
                f"{what} now; see the Changes panel.")
    operation = state.operation
    if operation is not None:
        doing = OPERATION_WORDS.get(operation.kind, operation.kind)
        return (f"You are in the middle of {doing}. Finish it with Continue (after choosing a version of each entry "
                f"that changed on both sides) or go back with Abort; then {what}.")
    if what == "commit":
        return None if state.branch is not None or state.head is None else (
            "This copy is not on a branch, so a commit would belong to no branch. Go back to a branch first "
            "(for example 'git switch main' in a terminal).")
    if state.branch is None:
        return (f"This copy is not on a branch, so there is nothing to {what}. Go back to a branch first (for example "
                "'git switch main' in a terminal).")
    if not state.remotes:
        return (f"This library is not connected to a shared library (git has no remote), so there is nothing to "
                f"{what}. Ask whoever set up the team's library for its address.")
    if what == "publish":
        if state.upstream is not None:
            return f"Your branch is already shared as {state.upstream}."
        return None if state.publish_remote() else "There are several remotes and none is called origin; " \
            "publish this branch in a terminal (git push -u REMOTE BRANCH)."
    if state.upstream is None and what in ("pull", "push"):
        return (f"Your branch {state.branch} is not shared yet, so there is nothing to {what}. Publish it first "
                "(Publish This Branch).")
    return None
