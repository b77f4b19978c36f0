"""Catalogs: complete for every string the documents use; missing strings fall back to English."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from econ.statements import i18n, render_statement
from econ.statements.i18n import compile_catalogs, extract_messages, translator

from . import samples
from .pdftext import text

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
PO = "{lang}/LC_MESSAGES/econ.po"


def read_catalog(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def catalog_problems(po_path: Path, used: set, *, need_translation: bool) -> list[str]:
    """What a catalog lacks for the msgids the code uses; empty when complete."""
    catalog = read_catalog(po_path)
    problems = []
    for msgid in sorted(used, key=str):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalog.get(key)
        if message is None:
            problems.append(f"missing: {key}")
            continue
        if not need_translation:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {key}")
        wanted = set(PLACEHOLDER.findall(key if not isinstance(msgid, tuple) else msgid[1]))
        if any(set(PLACEHOLDER.findall(s)) - wanted for s in strings):
            problems.append(f"unknown placeholder: {key}")
    return problems


@pytest.fixture(scope="module")
def used() -> set:
    messages = set(extract_messages())
    assert "Net amount" in messages  # the extractor really reads the document code
    return messages


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_translated_catalogs_cover_every_string_the_documents_use(used, lang):
    po_path = i18n.LOCALE_DIR / PO.format(lang=lang)
    assert catalog_problems(po_path, used, need_translation=True) == []


def test_english_catalog_and_template_list_every_string(used):
    assert (
        catalog_problems(i18n.LOCALE_DIR / PO.format(lang="en"), used, need_translation=False) == []
    )
    assert catalog_problems(i18n.LOCALE_DIR / "econ.pot", used, need_translation=False) == []


@pytest.fixture
def locale_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of the catalogs that the documents use for this test only."""
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    return copy


def remove_msgid(po_path: Path, msgid: str) -> None:
    catalog = read_catalog(po_path)
    del catalog[msgid]
    with po_path.open("wb") as fh:
        write_po(fh, catalog)


def test_completeness_check_fails_when_a_catalog_lacks_a_string(locale_copy, used):
    po_path = locale_copy / PO.format(lang="fr")
    remove_msgid(po_path, "Net amount")
    assert catalog_problems(po_path, used, need_translation=True) == ["missing: Net amount"]


def test_missing_translation_falls_back_to_english_for_that_string_only(locale_copy):
    remove_msgid(locale_copy / PO.format(lang="fr"), "Net amount")
    content = text(render_statement(samples.statement("fr")))
    # English for the removed string, French (and French amounts) for the rest.
    assert "Net amount 1 179,56 €" in content
    assert "Allocation de base 1 234,56 €" in content
    assert "Montant net" not in content


def test_unknown_language_falls_back_to_english():
    content = text(render_statement(samples.statement("de")))
    assert "Statement for December 2026" in content
    assert "Net amount €1,179.56" in content


def test_regional_language_uses_its_base_catalog():
    assert translator("fr_CA")("Net amount") == "Montant net"
    assert "Relevé de décembre 2026" in text(render_statement(samples.statement("fr-CA")))


def test_compile_catalogs_writes_mo_files_any_user_can_read(locale_copy):
    written = compile_catalogs()
    assert sorted(p.relative_to(locale_copy).as_posix() for p in written) == [
        "en/LC_MESSAGES/econ.mo",
        "es/LC_MESSAGES/econ.mo",
        "fr/LC_MESSAGES/econ.mo",
    ]
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {"0o644"}
    assert translator("es")("Net amount") == "Importe neto"


def test_reading_a_catalog_writes_nothing_and_follows_an_edited_po(locale_copy):
    po_path = locale_copy / PO.format(lang="es")
    assert translator("es")("Net amount") == "Importe neto"  # compiled in memory
    assert list(locale_copy.rglob("*.mo")) == []  # nothing written at run time

    compile_catalogs()
    catalog = read_catalog(po_path)
    catalog["Net amount"].string = "Importe neto final"
    with po_path.open("wb") as fh:
        write_po(fh, catalog)
    later = po_path.with_suffix(".mo").stat().st_mtime_ns + 5_000_000_000
    os.utime(po_path, ns=(later, later))  # an edit made after the last compile
    assert translator("es")("Net amount") == "Importe neto final"


def test_plural_forms_follow_each_language():
    n_es = i18n.plural_translator("es")
    singular, plural = "%(days)d day in the job", "%(days)d days in the job"
    assert n_es(singular, plural, 1) % {"days": 1} == "1 día en el empleo"
    assert n_es(singular, plural, 90) % {"days": 90} == "90 días en el empleo"
    # French uses the singular for 0 as well.
    assert i18n.plural_translator("fr")(singular, plural, 0) % {"days": 0} == "0 jour dans l’emploi"
