"""The content model: source text, frontmatter, entries, configuration and the repository."""
