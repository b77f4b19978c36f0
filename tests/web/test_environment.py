"""The pages' Jinja2 environment reads a dict's keys directly (econ/web/environment.py)
and answers exactly as Jinja's own getattr: dict methods stay methods, a missing key
stays undefined."""

from __future__ import annotations

import pytest
from jinja2 import StrictUndefined, UndefinedError

from econ.web.environment import PageEnvironment


def _render(source: str, **context) -> str:
    return PageEnvironment(undefined=StrictUndefined).from_string(source).render(**context)


def test_dict_keys_read_as_attributes_as_before():
    line = {"net": {"amount": "12.50"}, "items": "a key named like a method"}
    assert _render("{{ line.net.amount }}", line=line) == "12.50"
    assert _render("{{ line.items() | list | length }}", line=line) == "2"  # dict's method
    assert _render("{{ line['items'] }}", line=line) == "a key named like a method"
    with pytest.raises(UndefinedError):
        _render("{{ line.missing }}", line=line)
    assert _render("{{ obj.real }}", obj=3) == "3"  # not a dict: Jinja's own lookup
