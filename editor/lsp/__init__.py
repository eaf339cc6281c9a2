"""``malone-editor lsp``: the checks in any editor that speaks the Language Server Protocol.

``positions`` converts between the checks' places (1-based lines ended by LF, columns in code
points) and the protocol's (0-based lines ended by LF, CRLF or CR, characters in UTF-16 or UTF-32
units); ``documents`` holds the open texts; ``library`` the state of each content repository (its
check context, kept current, and the map of entry ids); ``checker`` checks off the protocol's
thread and never publishes a result for a version that moved on; ``diagnostics``, ``actions`` and
``completion`` turn findings and modules.yaml into the protocol's answers; ``server`` wires it into
pygls, which is imported only here and only when the command runs.
"""
