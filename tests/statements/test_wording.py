"""Nothing printed may reveal why she is in the program, nor where she lives."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from econ.errors import DomainError
from econ.statements import data as data_module
from econ.statements import render_payment_run_report, render_statement
from econ.statements.data import Adjustment, RunException
from econ.statements.i18n import FORBIDDEN_WORDS, find_forbidden_words

from . import samples
from .conftest import LANGUAGES
from .pdftext import text


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_document_prints_a_forbidden_word_or_her_address(rendered, language):
    for kind, pdf in rendered[language].items():
        content = text(pdf)
        assert find_forbidden_words(content) == [], kind
        assert samples.POSTAL_ADDRESS not in content, kind
        assert "Acacias" not in content and "69003" not in content, kind
        assert samples.RECORD["legal_name"] not in content, kind


def test_every_forbidden_word_is_found_in_every_spelling():
    for words in FORBIDDEN_WORDS.values():
        for word in words:
            assert find_forbidden_words(f"Text with {word.upper()} inside.") != [], word
    # Accents, case and line breaks do not hide a word.
    assert find_forbidden_words("PROSTITUCION") == ["prostitucion"]
    assert find_forbidden_words("travail du\nsexe") == ["travail du sexe"]


def test_innocent_words_that_contain_a_forbidden_one_pass():
    # "éxito" (success) starts with "exit", "sortilège" with "sorti", "escorter" ends otherwise.
    assert find_forbidden_words("Un éxito. Sortilège. Texit. Exitoso.") == []


def test_forbidden_word_in_the_data_stops_the_document():
    with pytest.raises(DomainError) as err:
        render_statement(samples.statement(program_name="Exit Pathways"))
    assert err.value.code == "FORBIDDEN_WORDING"

    stipend = dataclasses.replace(
        samples.STIPEND,
        adjustments=(Adjustment("Travail du sexe", samples.STIPEND.adjustments[0].amount),),
    )
    with pytest.raises(DomainError):
        render_statement(samples.statement(stipend=stipend))

    report = dataclasses.replace(
        samples.payment_run_report(),
        exceptions=(RunException("P-1", "NOTE", "left the escort agency"),),
    )
    with pytest.raises(DomainError):
        render_payment_run_report(report)


def test_no_document_data_has_a_place_for_an_address():
    names = {
        f.name
        for _, cls in inspect.getmembers(data_module, dataclasses.is_dataclass)
        for f in dataclasses.fields(cls)
    }
    assert "preferred_name" in names  # the scan does see the fields
    for name in names:
        assert not any(part in name for part in ("address", "street", "postcode", "zip")), name
