"""Input checks for participant data; each raises DomainError naming the field."""

from __future__ import annotations

import datetime as dt
import re

from econ.bounds import check_date
from econ.errors import CommonCode, DomainError
from econ.iban import validate_account, validate_bic, validate_iban
from econ.participants.errors import ParticipantCode
from econ.participants.models import INCOME_SOURCES, MILESTONE_CATEGORIES, PATHWAYS, STATUSES

MAX_SKILLS = 50
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$", re.ASCII)  # not fullwidth digits
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,25}$")
SKILL_KEY = re.compile(r"^[A-Za-z0-9_.:/#-]{1,200}$")


def text(
    value: str | None, field: str, *, required: bool = False, max_length: int = 200
) -> str | None:
    if value is None or not str(value).strip():
        if required:
            raise DomainError(CommonCode.REQUIRED, f"{field} is required", field)
        return None
    value = str(value).strip()
    if len(value) > max_length:
        raise DomainError(
            CommonCode.TOO_LONG, f"{field} may have at most {max_length} characters", field
        )
    return value


def language(value: str, field: str) -> str:
    value = (value or "").strip()
    if not LANGUAGE.match(value):
        raise DomainError(
            CommonCode.INVALID_LANGUAGE, f"'{value[:10]}' is not a language code like 'es'", field
        )
    return value


# The languages econ writes her pages and documents in: one catalog each (econ/web/locale,
# econ/statements). tests/participants/test_languages.py keeps this equal to them; a
# language she speaks may be any code, the one she reads econ in must be one of these.
DOCUMENT_LANGUAGES = ("en", "es", "fr")


def document_language(value: str, field: str = "preferredLanguage") -> str:
    """The language of her pages and statements: one econ has a catalog for."""
    code = language(value, field)
    if code not in DOCUMENT_LANGUAGES:
        raise DomainError(
            CommonCode.INVALID_LANGUAGE,
            f"econ writes in {', '.join(DOCUMENT_LANGUAGES)} only; '{code}' has no catalog",
            field,
        )
    return code


def default_document_language(spoken: list[str]) -> str:
    """The first language she speaks that econ writes in, else English."""
    return next((code for code in spoken if code in DOCUMENT_LANGUAGES), "en")


def languages(values: list[str] | None, field: str = "languages") -> list[str]:
    result: list[str] = []
    for value in values or []:
        code = language(value, field)
        if code not in result:
            result.append(code)
    if len(result) > 20:
        raise DomainError(CommonCode.TOO_MANY, "at most 20 languages", field)
    return result


def month(value: str, field: str = "month") -> str:
    value = (value or "").strip()
    if not MONTH.match(value):
        raise DomainError(
            CommonCode.INVALID_MONTH, f"'{value[:10]}' is not a month like 2026-12", field
        )
    return value


def iso_date(value: str | dt.date | None, field: str) -> dt.date | None:
    """A date (within econ/bounds.py's years), from a date or YYYY-MM-DD text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return check_date(value, field)
    try:
        parsed = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(
            CommonCode.INVALID_DATE, f"'{str(value)[:12]}' is not a date like 2026-12-31", field
        ) from None
    return check_date(parsed, field)


def date_of_birth(value: str | None) -> str | None:
    parsed = iso_date(value, "dateOfBirth")
    if parsed is None:
        return None
    today = dt.date.today()
    if parsed > today or parsed.year < today.year - 120:
        raise DomainError(CommonCode.INVALID_DATE, "date of birth is not plausible", "dateOfBirth")
    return parsed.isoformat()


def phone(value: str | None) -> str | None:
    value = text(value, "phone", max_length=25)
    if value is not None and not PHONE.match(value):
        raise DomainError(
            ParticipantCode.INVALID_PHONE, "enter a phone number with digits only", "phone"
        )
    return value


def one_of(
    value: str, allowed: tuple[str, ...], field: str, code: str = CommonCode.INVALID_CHOICE
) -> str:
    if value not in allowed:
        raise DomainError(code, f"{field} must be one of {', '.join(allowed)}", field)
    return value


def status(value: str) -> str:
    return one_of(value, STATUSES, "status", CommonCode.INVALID_STATUS)


def pathways(values: list[str]) -> list[str]:
    result = []
    for value in values or []:
        one_of(value, PATHWAYS, "pathways")
        if value not in result:
            result.append(value)
    if not result:
        raise DomainError(CommonCode.REQUIRED, "choose at least one pathway", "pathways")
    return result


def category(value: str, field: str = "category") -> str:
    return one_of(value, MILESTONE_CATEGORIES, field)


def income_source(value: str) -> str:
    return one_of(value, INCOME_SOURCES, "source")


def skills(values: list[dict] | None) -> list[dict]:
    result: list[dict] = []
    seen = set()
    for item in values or []:
        key = str(item.get("key", "")).strip()
        if not SKILL_KEY.match(key):
            raise DomainError(
                ParticipantCode.INVALID_SKILL,
                "a skill key is letters, digits and : / . _ - #",
                "skills",
            )
        label = text(item.get("label") or key, "skills", max_length=120)
        if key not in seen:
            seen.add(key)
            result.append({"key": key, "label": label})
    if len(result) > MAX_SKILLS:  # the stated bound of every Skill list (econ/schema/cost.py)
        raise DomainError(CommonCode.TOO_MANY, f"at most {MAX_SKILLS} skills", "skills")
    return result


def bank_account(value: str | None) -> str | None:
    """Her IBAN, checked as the payment file will check it (econ.iban), in compact form."""
    value = text(value, "bankAccount", max_length=64)
    return None if value is None else validate_iban(value, "bankAccount")


def bank_bic(value: str | None) -> str | None:
    """Her bank's BIC (8 or 11 characters), as the SEPA schema accepts it."""
    value = text(value, "bankBic", max_length=20)
    return None if value is None else validate_bic(value, "bankBic")


def bank_details(account: str | None, bic: str | None) -> None:
    """The IBAN and BIC together: a bank outside the EEA (CH, GB, ...) needs its BIC."""
    if account is not None:
        validate_account(account, bic, iban_field="bankAccount", bic_field="bankBic")
