"""The versions read from the dist-info folders are importlib.metadata's (``editor.dist_versions``)."""
from __future__ import annotations

from importlib import metadata

import pytest

from editor import dist_versions
from editor.checks.cache import LIBRARIES


@pytest.mark.parametrize("name", [*LIBRARIES, "jsonschema", "rapidfuzz", "PySide6-Essentials", "markdown_it_py",
                                  "pyyaml"])
def test_as_importlib_metadata_has_it(name):
    assert dist_versions.version(name) == metadata.version(name)


def test_a_distribution_not_installed_has_no_version():
    assert dist_versions.version("no-such-distribution-here") is None
