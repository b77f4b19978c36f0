"""Read the program settings (typed), and let ADMIN change them with history."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from econ.db import db, utcnow
from econ.errors import DomainError
from econ.money import parse_amount
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.definitions import BY_KEY, DEFINITIONS, SettingDef
from econ.settings.models import ProgramSetting, SettingChange


def _convert(definition: SettingDef, raw: str) -> Any:
    field = definition.key
    if definition.kind == "money":
        value: Any = parse_amount(raw, field)
    elif definition.kind == "percent":
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise DomainError("INVALID_SETTING", f"{field} must be a number", field) from None
        if not value.is_finite():
            raise DomainError("INVALID_SETTING", f"{field} must be a number", field)
    elif definition.kind == "int":
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise DomainError("INVALID_SETTING", f"{field} must be a whole number", field) from None
    else:
        value = str(raw).strip()
        if not value or len(value) > 200:
            raise DomainError("INVALID_SETTING", f"{field} must be 1 to 200 characters", field)
        return value
    if definition.minimum is not None and value < type(value)(definition.minimum):
        raise DomainError(
            "INVALID_SETTING", f"{field} must be at least {definition.minimum}", field
        )
    if definition.maximum is not None and value > type(value)(definition.maximum):
        raise DomainError("INVALID_SETTING", f"{field} must be at most {definition.maximum}", field)
    return value


def program_settings() -> dict[str, Any]:
    """All settings, typed, with stored overrides applied (one query)."""
    stored = {row.key: row.value for row in ProgramSetting.select()}
    return {d.key: _convert(d, stored.get(d.key, d.default)) for d in DEFINITIONS}


def raw_settings() -> dict[str, str]:
    """The settings as strings, e.g. to snapshot on a payment run."""
    stored = {row.key: row.value for row in ProgramSetting.select()}
    return {d.key: stored.get(d.key, d.default) for d in DEFINITIONS}


def setting(key: str) -> Any:
    definition = BY_KEY[key]
    row = ProgramSetting.get_or_none(ProgramSetting.key == key)
    return _convert(definition, row.value if row else definition.default)


def update_settings(actor: Actor | None, changes: dict[str, str]) -> dict[str, Any]:
    """ADMIN only; all or nothing; each change kept with old and new value and audited."""
    actor = require_role(actor, Role.ADMIN)
    if not changes:
        raise DomainError("REQUIRED", "nothing to change", "settings")
    for key, raw in changes.items():
        if key not in BY_KEY:
            raise DomainError("UNKNOWN_SETTING", f"unknown setting {key!r}", key)
        _convert(BY_KEY[key], raw)
    current = raw_settings()
    merged = {**current, **{k: str(v).strip() for k, v in changes.items()}}
    if int(merged["stipend_min_months"]) > int(merged["stipend_max_months"]):
        raise DomainError("INVALID_SETTING", "minimum months exceed maximum", "stipend_min_months")
    if int(merged["loan_group_min_size"]) > int(merged["loan_group_max_size"]):
        raise DomainError(
            "INVALID_SETTING", "minimum group size exceeds maximum", "loan_group_min_size"
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


def setting_history(actor: Actor | None, key: str | None = None):
    require_role(actor, Role.ADMIN, Role.FINANCE)
    query = SettingChange.select().order_by(SettingChange.id.desc())
    if key:
        query = query.where(SettingChange.key == key)
    return query
