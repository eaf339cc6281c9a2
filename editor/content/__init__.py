"""The content model: source text, frontmatter, entries, configuration and the repository.

The names below are what the editor needs before any content is read; they live here, apart from
the modules that parse YAML and Markdown, so that the window can show before those load."""

CONTENT_FILE = "content.yaml"
MODULES_FILE = "modules.yaml"
ENTRIES_DIR = "entries"
STATUSES = ("draft", "in-review", "approved")
