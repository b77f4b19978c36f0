"""The pages' catalogs: every string translated in es and fr, and nothing that gives her away."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import econ.web
from econ.statements.i18n import find_forbidden_words
from econ.web.i18n import LANGUAGES, LOCALE_DIR

WEB = Path(econ.web.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def used_messages() -> set[str]:
    """What `pybabel extract -F econ/web/babel.cfg -k N_ -k her_` finds (templates and modules)."""
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}
    found = extract_from_dir(
        str(WEB),
        method_map,
        options,
        keywords={"_": None, "N_": None, "her_": None, "gettext": None},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str) and message}


def catalog(language: str) -> dict[str, str]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "econ.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def test_the_template_catalog_is_current():
    with (LOCALE_DIR / "econ.pot").open("rb") as fh:
        pot = {m.id for m in read_po(fh) if m.id}
    assert used_messages() == pot, "run pybabel extract (docs/web.md)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_with_its_placeholders(language):
    entries = catalog(language)
    missing = sorted(m for m in used_messages() if not entries.get(m))
    assert missing == []
    for msgid, text in entries.items():
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_says_what_the_programme_is_for(language):
    words = {text: find_forbidden_words(text) for text in catalog(language).values()}
    assert {text: found for text, found in words.items() if found} == {}


def test_templates_documents_and_assets_never_say_it_either():
    for path in sorted(WEB.glob("templates/**/*")) + sorted(WEB.glob("static/*")):
        if path.is_file():
            assert find_forbidden_words(path.read_text(encoding="utf-8")) == [], path
