"""Saved caseload filters: a counselor names the choice of her caseload page (status,
pathway, signals, search, sorting) to apply it again later.

Each one is hers alone: only she lists, applies or deletes it; another user's id reads as
"not found". A name is 1 to 60 characters of storable text, spaces collapsed, once per
counselor (saving under a name she used replaces that filter); at most 20 each.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import peewee as pw

from econ.bounds import text_problem
from econ.db import db, is_postgres, write_transaction
from econ.errors import CommonCode, DomainError, DomainErrors, NotFound
from econ.outcomes.caseload import SORT_KEYS, CaseloadFilter
from econ.outcomes.models import SavedCaseloadFilter
from econ.participants import validation
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role

NAME_MAX = 60
SEARCH_MAX = 60
SAVED_MAX = 20
MONTHS_MAX = 120
FILTER_LOCK = 0x66696C74  # "filt": the advisory lock space of a counselor's saved filters


@dataclass(frozen=True)
class CaseloadChoice:
    filter: CaseloadFilter
    sort: str = "NAME"
    descending: bool = False


def saved_filters(actor: Actor | None) -> pw.ModelSelect:
    """Her saved filters by name (never another user's)."""
    actor = require_role(actor, Role.COUNSELOR)
    return (
        SavedCaseloadFilter.select()
        .where(SavedCaseloadFilter.user_id == actor.user_id)
        .order_by(SavedCaseloadFilter.name, SavedCaseloadFilter.id)
    )


def save_filter(actor: Actor | None, name: str, choice: CaseloadChoice) -> SavedCaseloadFilter:
    """Keep `choice` under `name` (replacing her filter of that name); every bad part of
    the input is reported at once."""
    actor = require_role(actor, Role.COUNSELOR)
    problems: list[DomainError] = []
    clean = _checked(lambda: filter_name(name), problems)
    values = _checked(lambda: _values(choice), problems)
    if problems:
        raise DomainErrors(problems)
    with write_transaction():
        _lock_hers(actor.user_id)
        mine = SavedCaseloadFilter.user_id == actor.user_id
        existing = SavedCaseloadFilter.get_or_none(mine & (SavedCaseloadFilter.name == clean))
        if existing is None and SavedCaseloadFilter.select().where(mine).count() >= SAVED_MAX:
            raise DomainError(
                CommonCode.TOO_MANY, f"at most {SAVED_MAX} saved filters: delete one", "name"
            )
        if existing is not None:
            SavedCaseloadFilter.update(**values).where(
                SavedCaseloadFilter.id == existing.id
            ).execute()
            return SavedCaseloadFilter.get_by_id(existing.id)
        return SavedCaseloadFilter.create(user_id=actor.user_id, name=clean, **values)


def _lock_hers(user_id: int) -> None:
    """Her saves one after another (a double click sends the same name twice at once; the
    cap is counted, then written): on PostgreSQL a transaction-scoped advisory lock on her
    id, on SQLite the write lock `write_transaction` already holds."""
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (FILTER_LOCK, user_id))


def delete_filter(actor: Actor | None, filter_id: int) -> None:
    """Delete one of her saved filters; another user's (or none) is "not found"."""
    actor = require_role(actor, Role.COUNSELOR)
    deleted = (
        SavedCaseloadFilter.delete()
        .where(
            (SavedCaseloadFilter.id == filter_id) & (SavedCaseloadFilter.user_id == actor.user_id)
        )
        .execute()
    )
    if not deleted:
        raise NotFound("saved filter", "id")


def filter_name(value: str | None) -> str:
    """The name as stored: spaces collapsed; refused when empty, too long, or holding text
    a database cannot store or a page should not show (control and format characters)."""
    clean = " ".join((value or "").split())
    if not clean:
        raise DomainError(CommonCode.REQUIRED, "a saved filter needs a name", "name")
    if len(clean) > NAME_MAX:
        raise DomainError(CommonCode.TOO_LONG, f"at most {NAME_MAX} characters", "name")
    if text_problem(clean) or any(unicodedata.category(c) in ("Cc", "Cf", "Co") for c in clean):
        raise DomainError(
            CommonCode.INVALID_FORMAT, "the name holds characters that cannot be kept", "name"
        )
    return clean


def _values(choice: CaseloadChoice) -> dict:
    given = choice.filter
    search = " ".join((given.search or "").split())
    if len(search) > SEARCH_MAX or text_problem(search):
        raise DomainError(CommonCode.TOO_LONG, f"search: at most {SEARCH_MAX} characters", "search")
    months = given.stipend_months_left_at_most
    if months is not None and not 0 <= months <= MONTHS_MAX:
        raise DomainError(
            CommonCode.INVALID_NUMBER, f"0 to {MONTHS_MAX} months", "stipendMonthsLeftAtMost"
        )
    return {
        "search": search,
        "status": validation.status(given.status) if given.status else None,
        "pathway": validation.one_of(given.pathway, validation.PATHWAYS, "pathway")
        if given.pathway
        else None,
        "has_overdue_milestones": given.has_overdue_milestones,
        "in_arrears": given.in_arrears,
        "stipend_months_left_at_most": months,
        "sort": validation.one_of(choice.sort, SORT_KEYS, "sort"),
        "descending": bool(choice.descending),
    }


def _checked(read, problems: list[DomainError]):
    try:
        return read()
    except DomainError as error:
        problems.append(error)
        return None
