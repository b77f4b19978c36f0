"""ECON_MAX_PAGE_SIZE is read: it lowers the largest `first` a connection accepts."""

from __future__ import annotations

import dataclasses

import pytest
from graphql import GraphQLError

from econ.config import get_settings, use_settings
from econ.schema.pagination import DEFAULT_PAGE, page_size


def test_the_setting_caps_first_and_the_default_page():
    original = get_settings()
    try:
        use_settings(dataclasses.replace(original, max_page_size=10))
        assert page_size(10) == 10
        assert page_size(None) == 10  # the default page (20) never exceeds the cap
        with pytest.raises(GraphQLError, match="between 1 and 10"):
            page_size(11)
    finally:
        use_settings(original)
    assert page_size(None) == DEFAULT_PAGE
    assert page_size(100) == 100
