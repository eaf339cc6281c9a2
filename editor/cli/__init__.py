"""The ``malone-editor`` command: one module per subcommand (check, review, links, render, demo,
open_editor), each with ``add_arguments(parser)`` and ``run(args) -> int``, listed in the table of
``editor.cli.table``; ``editor.cli.common`` holds what they share."""
from __future__ import annotations

from editor.cli.common import EXIT_CANNOT_RUN, EXIT_FINDINGS, EXIT_OK, UsageError
from editor.cli.table import COMMANDS, build_parser, main, parse_args

__all__ = ["COMMANDS", "EXIT_CANNOT_RUN", "EXIT_FINDINGS", "EXIT_OK", "UsageError", "build_parser", "main", "parse_args"]
