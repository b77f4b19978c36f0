"""Fonts come from the system (no matplotlib); without them a clear message says what to do."""

from __future__ import annotations

import dataclasses

import pytest

from econ.config import use_settings
from econ.statements.render.fonts import FontsMissing, font_dir
from tests.conftest import SETTINGS


def test_the_system_dejavu_fonts_are_found():
    assert (font_dir() / "DejaVuSans.ttf").is_file()


def test_a_folder_without_the_fonts_names_the_package_to_install(tmp_path):
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")  # the bold face is missing
    use_settings(dataclasses.replace(SETTINGS, font_dir=str(tmp_path)))
    try:
        with pytest.raises(FontsMissing) as caught:
            font_dir()
    finally:
        use_settings(SETTINGS)
    assert "install fonts-dejavu-core" in str(caught.value)
    assert f"ECON_FONT_DIR={tmp_path}" in str(caught.value)
