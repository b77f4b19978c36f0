"""Her language is one econ writes in (en, es, fr), and a form's every bad field is
reported at once (a bad date must not hide a bad IBAN)."""

from __future__ import annotations

import pytest

from econ.errors import DomainError, DomainErrors
from econ.participants import services
from econ.participants import validation as v
from econ.participants.models import Participant
from econ.statements.i18n import LANGUAGES
from econ.web.i18n import LANGUAGE_NAMES
from tests.support.people import PASSWORD


def test_the_document_languages_are_the_catalogs():
    assert v.DOCUMENT_LANGUAGES == LANGUAGES
    assert set(v.DOCUMENT_LANGUAGES) == set(LANGUAGE_NAMES)


def test_a_language_without_a_catalog_is_refused(people):
    _, counselor = people.counselor()
    with pytest.raises(DomainError) as refused:
        services.create_participant(counselor, preferred_name="Lena", preferred_language="de")
    assert (refused.value.code, refused.value.field) == ("INVALID_LANGUAGE", "preferredLanguage")
    assert not Participant.select().exists()
    person = people.participant(counselor, preferred_name="Amal")
    with pytest.raises(DomainError) as refused:
        services.update_participant(counselor, person.id, preferred_language="de")
    assert refused.value.code == "INVALID_LANGUAGE"
    assert Participant.get_by_id(person.id).preferred_language == "en"


def test_she_may_speak_any_language_and_reads_econ_in_one_it_writes(people):
    _, counselor = people.counselor()
    person = services.create_participant(counselor, preferred_name="Amal", languages=["ar", "fr"])
    assert person.preferred_language == "fr" and person.languages == ["ar", "fr"]
    other = services.create_participant(counselor, preferred_name="Olga", languages=["uk"])
    assert other.preferred_language == "en" and other.languages == ["en", "uk"]


def test_every_bad_field_at_once(people):
    _, counselor = people.counselor()
    with pytest.raises(DomainErrors) as refused:
        services.create_participant(
            counselor,
            preferred_name=" ",
            preferred_language="de",
            date_of_birth="1990-02-30",
            bank_account="ES00 0000",
            phone="call me",
        )
    assert sorted((e.field, e.code) for e in refused.value.errors) == [
        ("bankAccount", "INVALID_IBAN"),
        ("dateOfBirth", "INVALID_DATE"),
        ("phone", "INVALID_PHONE"),
        ("preferredLanguage", "INVALID_LANGUAGE"),
        ("preferredName", "REQUIRED"),
    ]
    person = people.participant(counselor, preferred_name="Amal")
    with pytest.raises(DomainErrors) as refused:
        services.update_participant(
            counselor, person.id, date_of_birth="31/12/1990", bank_account="XX12"
        )
    assert sorted(e.field for e in refused.value.errors) == ["bankAccount", "dateOfBirth"]


def test_over_the_api_the_payload_lists_each_error(api, people):
    user, _ = people.counselor()
    token = api.login(user.email, PASSWORD)
    payload = api.mutate(
        "createParticipant",
        {
            "preferredName": "Lena",
            "preferredLanguage": "de",
            "dateOfBirth": "1990-13-01",
            "bankAccount": "DE00 1234",
        },
        "participant { id }",
        token,
    )
    assert payload["participant"] is None
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("bankAccount", "INVALID_IBAN"),
        ("dateOfBirth", "INVALID_DATE"),
        ("preferredLanguage", "INVALID_LANGUAGE"),
    ]
