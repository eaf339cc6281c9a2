"""What a sync or conflict step did: a kind for the caller to act on and a message for the writer."""
from __future__ import annotations

from dataclasses import dataclass

# kinds
DONE, UP_TO_DATE, DIVERGED, CONFLICTS, REJECTED, FAILED = "done", "up-to-date", "diverged", "conflicts", "rejected", \
    "failed"
REFUSED = "refused"  # the step cannot work in this state; nothing was done
SERVER_REFUSED = "server-refused"  # the shared library's own rules (a hook) refused a push


@dataclass
class SyncResult:
    ok: bool
    message: str
    backup: str | None = None  # the backup ref made before the step, if any
    kind: str = DONE  # what happened, for the caller to act on (never the message's text)


def conflicts_message(paths: list[str]) -> str:
    return ("These entries changed on both sides and need your choice: " + ", ".join(paths) +
            ". Choose a version of each, then Continue (or Abort to go back to how things were).")
