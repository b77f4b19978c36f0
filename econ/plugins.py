"""Optional modules: domains contribute GraphQL fields and tasks if (and only if) they exist."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType


def module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package is absent
        return False


def optional_import(name: str) -> ModuleType | None:
    return importlib.import_module(name) if module_exists(name) else None
