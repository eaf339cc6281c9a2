"""Modules loaded on first use. The editor's window should show before the code for git, the
checks or the web is loaded: those load with the first task that needs them, usually on a worker
thread, and then cost nothing more."""
from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule(ModuleType):
    """Stands for the module ``name`` and imports it when an attribute is first read."""

    def __init__(self, name: str):
        super().__init__(name)
        self.__dict__["_target"] = name

    def __getattr__(self, attribute: str):
        module = importlib.import_module(self.__dict__["_target"])
        self.__dict__.update(module.__dict__)  # later reads are plain attribute reads
        return getattr(module, attribute)


def lazy(name: str) -> LazyModule:
    return LazyModule(name)
