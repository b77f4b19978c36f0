"""The catalogue: training programs (ADMIN and COUNSELOR manage, everyone signed in browses)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import peewee as pw

from econ.db import Ids, db, utcnow
from econ.errors import CommonCode, DomainError, NotFound
from econ.money import parse_amount
from econ.participants import validation as v
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor
from econ.training import validation as tv
from econ.training.access import CATALOGUE_MANAGERS
from econ.training.models import FORMATS, ProgramLanguage, ProgramSkill, TrainingProgram

MAX_TOTAL_HOURS = Decimal("5000")
MAX_WEEKLY_HOURS = Decimal("60")
_TEXT_FIELDS = {"title": 200, "provider": 200, "description": 4000, "credential_name": 200}


def _clean(values: dict, *, partial: bool) -> dict:
    """Validate the given program fields; all of them when creating."""
    cleaned: dict = {}
    for key, limit in _TEXT_FIELDS.items():
        if key in values:
            required = key in ("title", "provider")
            text = v.text(values[key], _camel(key), required=required, max_length=limit)
            cleaned[key] = text if text is not None or key == "credential_name" else ""
    if "format" in values:
        cleaned["format"] = v.one_of(values["format"], FORMATS, "format", CommonCode.INVALID_FORMAT)
    if "languages" in values:
        cleaned["languages"] = v.languages(values["languages"])
        if not cleaned["languages"]:
            raise DomainError(CommonCode.REQUIRED, "name at least one language", "languages")
    if "total_hours" in values:
        cleaned["total_hours"] = tv.hours(values["total_hours"], "totalHours", MAX_TOTAL_HOURS)
    if "hours_per_week" in values:
        cleaned["hours_per_week"] = tv.hours(
            values["hours_per_week"], "hoursPerWeek", MAX_WEEKLY_HOURS
        )
    if "cost" in values:
        cost = parse_amount(values["cost"] if values["cost"] not in (None, "") else "0", "cost")
        if cost < 0:
            raise DomainError(CommonCode.INVALID_AMOUNT, "the cost cannot be negative", "cost")
        cleaned["cost"] = cost
    if "capacity" in values:
        cleaned["capacity"] = tv.capacity(values["capacity"])
    if "skills" in values:
        cleaned["skills"] = v.skills(values["skills"])
    if "active" in values:
        cleaned["active"] = bool(values["active"])
    if not partial:
        for key in ("format", "languages", "total_hours", "hours_per_week", "capacity"):
            if key not in cleaned:
                raise DomainError(CommonCode.REQUIRED, f"{_camel(key)} is required", _camel(key))
    return cleaned


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _write_tags(program: TrainingProgram, cleaned: dict) -> None:
    if "skills" in cleaned:
        ProgramSkill.delete().where(ProgramSkill.program == program.id).execute()
        rows = [
            {"program": program.id, "key": s["key"], "label": s["label"], "position": i}
            for i, s in enumerate(cleaned["skills"])
        ]
        if rows:
            ProgramSkill.insert_many(rows).execute()
    if "languages" in cleaned:
        ProgramLanguage.delete().where(ProgramLanguage.program == program.id).execute()
        ProgramLanguage.insert_many(
            [{"program": program.id, "code": code} for code in cleaned["languages"]]
        ).execute()


def create_program(actor: Actor | None, **values) -> TrainingProgram:
    """Add a program to the catalogue. Fields as in `TrainingProgram`, plus `skills`."""
    actor = require_role(actor, *CATALOGUE_MANAGERS)
    cleaned = _clean(values, partial=False)
    columns = {k: val for k, val in cleaned.items() if k != "skills"}
    with db.atomic():
        program = TrainingProgram.create(created_by=actor.user_id, **columns)
        _write_tags(program, {"skills": [], **cleaned})
        audit.record(actor, "create_training_program", "TrainingProgram", program.id)
    return program


def update_program(actor: Actor | None, program_id: int, **changes) -> TrainingProgram:
    """Change the given fields; cohorts already planned keep their own capacity."""
    actor = require_role(actor, *CATALOGUE_MANAGERS)
    program = get_program(actor, program_id)
    cleaned = _clean(changes, partial=True)
    with db.atomic():
        for key, value in cleaned.items():
            if key != "skills":
                setattr(program, key, value)
        program.updated_at = utcnow()
        program.save()
        _write_tags(program, cleaned)
        audit.record(
            actor,
            "update_training_program",
            "TrainingProgram",
            program.id,
            fields=sorted(cleaned),
        )
    return program


def get_program(actor: Actor | None, program_id: int | str) -> TrainingProgram:
    """Active programs for everyone signed in; inactive ones for catalogue managers only."""
    actor = require_actor(actor)
    try:
        pid = int(program_id)
    except (TypeError, ValueError):
        raise NotFound("training program", "programId") from None
    program = TrainingProgram.get_or_none(TrainingProgram.id == pid)
    if program is None or not (program.active or actor.role in CATALOGUE_MANAGERS):
        raise NotFound("training program", "programId")
    return program


def list_programs(
    actor: Actor | None,
    *,
    skill: str | None = None,
    language: str | None = None,
    active_only: bool = True,
) -> pw.ModelSelect:
    """Programs by title; only managers may include inactive ones."""
    actor = require_actor(actor)
    query = TrainingProgram.select().order_by(TrainingProgram.title, TrainingProgram.id)
    if active_only or actor.role not in CATALOGUE_MANAGERS:
        query = query.where(TrainingProgram.active == True)  # noqa: E712 (SQL, not Python)
    if skill:
        with_skill = ProgramSkill.select(ProgramSkill.program).where(
            ProgramSkill.key == skill.strip()
        )
        query = query.where(TrainingProgram.id.in_(with_skill))
    if language:
        with_language = ProgramLanguage.select(ProgramLanguage.program).where(
            ProgramLanguage.code == language.strip()
        )
        query = query.where(TrainingProgram.id.in_(with_language))
    return query


def skills_by_program(program_ids: Iterable[int]) -> dict[int, list[dict]]:
    """program id -> [{"key", "label"}] in the order given, one query."""
    ids = list(set(program_ids))
    result: dict[int, list[dict]] = {pid: [] for pid in ids}
    if not ids:
        return result
    rows = (
        ProgramSkill.select()
        .where(ProgramSkill.program.in_(Ids(ids)))
        .order_by(ProgramSkill.program, ProgramSkill.position)
    )
    for row in rows:
        result[row.program_id].append({"key": row.key, "label": row.label})
    return result


def programs_by_id(ids: Iterable[int]) -> dict[int, TrainingProgram]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {p.id: p for p in TrainingProgram.select().where(TrainingProgram.id.in_(Ids(ids)))}
