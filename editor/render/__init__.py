"""Rendering entries to the HTML the preview and ``malone-editor render`` show."""
