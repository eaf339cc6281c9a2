"""Git: the demo repository now; status, commits, sync and review later."""
