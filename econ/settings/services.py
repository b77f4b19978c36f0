"""Read the program settings (typed), let ADMIN change them with history; the installation id."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from babel.core import get_global
from babel.numbers import get_territory_currencies

from econ.db import PreparedQuery, db, utcnow
from econ.errors import CommonCode, DomainError
from econ.iban import validate_iban
from econ.money import parse_amount
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.definitions import BY_KEY, DEFINITIONS, SettingDef
from econ.settings.errors import SettingCode
from econ.settings.models import Installation, ProgramSetting, SettingChange


@lru_cache(maxsize=1)
def currencies_in_use() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (CLDR data, through Babel):
    no "XXX" (no currency), "XTS" (testing), metals or withdrawn currencies."""
    today = date.today()
    return frozenset(
        code
        for territory in get_global("territory_currencies")
        for code in get_territory_currencies(territory, today, tender=True)
    )


def _currency(raw: str, field: str) -> str:
    code = str(raw).strip().upper()
    if code not in currencies_in_use():
        raise DomainError(
            CommonCode.INVALID_SETTING,
            f"{field} must be the ISO 4217 code of a currency in use, such as EUR",
            field,
        )
    return code


def _url(raw: str, field: str) -> str:
    """An absolute http(s) address: the quick exit opens it (never javascript: or data:)."""
    value = str(raw).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 200:
        raise DomainError(CommonCode.INVALID_SETTING, f"{field} must be an http(s) address", field)
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise DomainError(CommonCode.INVALID_SETTING, f"{field} must be an http(s) address", field)
    return value


def _convert(definition: SettingDef, raw: str) -> Any:
    field = definition.key
    if definition.kind == "currency":
        return _currency(raw, field)
    if definition.kind == "money":
        value: Any = parse_amount(raw, field)
    elif definition.kind == "percent":
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise DomainError(
                CommonCode.INVALID_SETTING, f"{field} must be a number", field
            ) from None
        if not value.is_finite():
            raise DomainError(CommonCode.INVALID_SETTING, f"{field} must be a number", field)
    elif definition.kind == "iban":
        return validate_iban(str(raw), field)
    elif definition.kind == "url":
        return _url(raw, field)
    elif definition.kind == "int":
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise DomainError(
                CommonCode.INVALID_SETTING, f"{field} must be a whole number", field
            ) from None
    else:
        value = str(raw).strip()
        if not value or len(value) > 200:
            raise DomainError(
                CommonCode.INVALID_SETTING, f"{field} must be 1 to 200 characters", field
            )
        return value
    if definition.minimum is not None and value < type(value)(definition.minimum):
        raise DomainError(
            CommonCode.INVALID_SETTING, f"{field} must be at least {definition.minimum}", field
        )
    if definition.maximum is not None and value > type(value)(definition.maximum):
        raise DomainError(
            CommonCode.INVALID_SETTING, f"{field} must be at most {definition.maximum}", field
        )
    return value


def program_settings() -> dict[str, Any]:
    """All settings, typed, with stored overrides applied (one query)."""
    stored = {row.key: row.value for row in ProgramSetting.select()}
    return {d.key: _convert(d, stored.get(d.key, d.default)) for d in DEFINITIONS}


def staff_settings(actor: Actor | None) -> dict[str, str]:
    """Every setting's stored or default value, for staff (the rules' numbers: what a
    participant or an employer never reads)."""
    require_role(actor, Role.ADMIN, Role.FINANCE, Role.COUNSELOR)
    return raw_settings()


def raw_settings() -> dict[str, str]:
    """The settings as strings, e.g. to snapshot on a payment run."""
    stored = {row.key: row.value for row in ProgramSetting.select()}
    return {d.key: stored.get(d.key, d.default) for d in DEFINITIONS}


# Crockford-style base 32 without I, L, O, U: bank staff read ids aloud and type them.
INSTALLATION_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def installation_id() -> str:
    """This installation's id (8 characters, 40 random bits), drawn and stored on first use.

    Two processes drawing at once both insert with ON CONFLICT DO NOTHING, then read the
    row that won, so every caller gets the same id.
    """
    row = Installation.get_or_none(Installation.id == 1)
    if row is None:
        code = "".join(secrets.choice(INSTALLATION_ALPHABET) for _ in range(8))
        Installation.insert(id=1, code=code).on_conflict_ignore().execute()
        row = Installation.get_by_id(1)
    return row.code


def settings_of(*keys: str) -> dict[str, Any]:
    """Several settings, typed, in one query (a page reads three on every request)."""
    stored = {
        row.key: row.value for row in ProgramSetting.select().where(ProgramSetting.key.in_(keys))
    }
    return {key: _convert(BY_KEY[key], stored.get(key, BY_KEY[key].default)) for key in keys}


def setting(key: str) -> Any:
    definition = BY_KEY[key]
    row = _SETTING_LOOKUP.execute(key).fetchone()  # many requests read one or two
    return _convert(definition, row[0] if row else definition.default)


_SETTING_LOOKUP = PreparedQuery(
    lambda key: ProgramSetting.select(ProgramSetting.value).where(ProgramSetting.key == key)
)


def update_settings(actor: Actor | None, changes: dict[str, str]) -> dict[str, Any]:
    """ADMIN only; all or nothing; each change kept with old and new value and audited."""
    actor = require_role(actor, Role.ADMIN)
    if not changes:
        raise DomainError(CommonCode.REQUIRED, "nothing to change", "settings")
    for key, raw in changes.items():
        if key not in BY_KEY:
            raise DomainError(SettingCode.UNKNOWN_SETTING, f"unknown setting {key!r}", key)
        _convert(BY_KEY[key], raw)
    current = raw_settings()
    # Stored as written, except codes, which are stored in their one canonical form.
    changes = {
        k: _currency(v, k) if BY_KEY[k].kind == "currency" else str(v).strip()
        for k, v in changes.items()
    }
    merged = {**current, **changes}
    if int(merged["stipend_min_months"]) > int(merged["stipend_max_months"]):
        raise DomainError(
            CommonCode.INVALID_SETTING, "minimum months exceed maximum", "stipend_min_months"
        )
    if int(merged["loan_group_min_size"]) > int(merged["loan_group_max_size"]):
        raise DomainError(
            CommonCode.INVALID_SETTING, "minimum group size exceeds maximum", "loan_group_min_size"
        )
    with db.atomic():
        for key, raw in changes.items():
            new = str(raw).strip()
            if current[key] == new:
                continue
            ProgramSetting.insert(
                key=key, value=new, updated_at=utcnow(), updated_by=actor.user_id
            ).on_conflict(
                conflict_target=[ProgramSetting.key],
                update={
                    ProgramSetting.value: new,
                    ProgramSetting.updated_at: utcnow(),
                    ProgramSetting.updated_by: actor.user_id,
                },
            ).execute()
            SettingChange.create(
                key=key, old_value=current[key], new_value=new, by_user=actor.user_id
            )
            audit.record(actor, "update_setting", "ProgramSetting", key, fields=(key,))
    return program_settings()


HISTORY_SHOWN = 10  # a setting's newest changes, as the settings page lists them


def recent_changes(
    actor: Actor | None, key: str, limit: int = HISTORY_SHOWN
) -> list[SettingChange]:
    """A setting's `limit` newest changes for ADMIN and FINANCE; nothing for the other
    staff who read the settings (who changed what is not theirs to read)."""
    if not _reads_history(actor):
        return []
    return list(setting_history(actor, key).limit(limit))


def change_count(actor: Actor | None, key: str) -> int:
    """How many changes `recent_changes` could list (0 for those it lists none)."""
    return setting_history(actor, key).count() if _reads_history(actor) else 0


def _reads_history(actor: Actor | None) -> bool:
    return actor is not None and actor.role in (Role.ADMIN, Role.FINANCE)


def setting_history(actor: Actor | None, key: str | None = None):
    require_role(actor, Role.ADMIN, Role.FINANCE)
    query = SettingChange.select().order_by(SettingChange.id.desc())
    if key:
        query = query.where(SettingChange.key == key)
    return query
