"""Input checks for participant data; each raises DomainError naming the field."""

from __future__ import annotations

import datetime as dt
import re

from econ.errors import DomainError
from econ.iban import mod97
from econ.participants.models import INCOME_SOURCES, MILESTONE_CATEGORIES, PATHWAYS, STATUSES

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$", re.ASCII)  # not fullwidth digits
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,25}$")
SKILL_KEY = re.compile(r"^[A-Za-z0-9_.:/#-]{1,200}$")


def text(
    value: str | None, field: str, *, required: bool = False, max_length: int = 200
) -> str | None:
    if value is None or not str(value).strip():
        if required:
            raise DomainError("REQUIRED", f"{field} is required", field)
        return None
    value = str(value).strip()
    if len(value) > max_length:
        raise DomainError("TOO_LONG", f"{field} may have at most {max_length} characters", field)
    return value


def language(value: str, field: str) -> str:
    value = (value or "").strip()
    if not LANGUAGE.match(value):
        raise DomainError(
            "INVALID_LANGUAGE", f"'{value[:10]}' is not a language code like 'es'", field
        )
    return value


def languages(values: list[str] | None, field: str = "languages") -> list[str]:
    result: list[str] = []
    for value in values or []:
        code = language(value, field)
        if code not in result:
            result.append(code)
    if len(result) > 20:
        raise DomainError("TOO_MANY", "at most 20 languages", field)
    return result


def month(value: str, field: str = "month") -> str:
    value = (value or "").strip()
    if not MONTH.match(value):
        raise DomainError("INVALID_MONTH", f"'{value[:10]}' is not a month like 2026-12", field)
    return value


def iso_date(value: str | dt.date | None, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(
            "INVALID_DATE", f"'{str(value)[:12]}' is not a date like 2026-12-31", field
        ) from None


def date_of_birth(value: str | None) -> str | None:
    parsed = iso_date(value, "dateOfBirth")
    if parsed is None:
        return None
    today = dt.date.today()
    if parsed > today or parsed.year < today.year - 120:
        raise DomainError("INVALID_DATE", "date of birth is not plausible", "dateOfBirth")
    return parsed.isoformat()


def phone(value: str | None) -> str | None:
    value = text(value, "phone", max_length=25)
    if value is not None and not PHONE.match(value):
        raise DomainError("INVALID_PHONE", "enter a phone number with digits only", "phone")
    return value


def one_of(value: str, allowed: tuple[str, ...], field: str, code: str = "INVALID_CHOICE") -> str:
    if value not in allowed:
        raise DomainError(code, f"{field} must be one of {', '.join(allowed)}", field)
    return value


def status(value: str) -> str:
    return one_of(value, STATUSES, "status", "INVALID_STATUS")


def pathways(values: list[str]) -> list[str]:
    result = []
    for value in values or []:
        one_of(value, PATHWAYS, "pathways")
        if value not in result:
            result.append(value)
    if not result:
        raise DomainError("REQUIRED", "choose at least one pathway", "pathways")
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
                "INVALID_SKILL", "a skill key is letters, digits and : / . _ - #", "skills"
            )
        label = text(item.get("label") or key, "skills", max_length=120)
        if key not in seen:
            seen.add(key)
            result.append({"key": key, "label": label})
    return result


_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")


def bank_account(value: str | None) -> str | None:
    """An IBAN (checked by ISO 13616 mod 97) or, for non-IBAN countries, a plain account id."""
    value = text(value, "bankAccount", max_length=64)
    if value is None:
        return None
    compact = re.sub(r"[\s-]", "", value).upper()
    if re.match(r"^[A-Z]{2}[0-9]{2}", compact):
        if not _IBAN_SHAPE.match(compact) or mod97(compact) != 1:
            raise DomainError(
                "INVALID_IBAN", "this IBAN is not valid: check the digits", "bankAccount"
            )
        return compact
    if not re.match(r"^[A-Z0-9]{4,34}$", compact):
        raise DomainError(
            "INVALID_BANK_ACCOUNT", "enter an IBAN or an account number", "bankAccount"
        )
    return compact
