"""The application layer: the editing session (library, open entry, checks, git and review) as one
object without widgets, between the Qt-free core and the panels."""
