"""The program's skills vocabulary: ESCO-style keys with labels in the three page languages.

ADMIN keeps it (a term is never deleted, only made inactive, so an opportunity or a
credential that names it keeps its meaning). Everyone signed in reads the active terms;
an employer's opportunities choose their skills from them (econ/employers/opportunities.py),
so her required skills use the keys counselors record instead of keys she guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

import peewee as pw

from econ.db import db, utcnow
from econ.errors import DomainError
from econ.participants import validation as v
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.training.errors import TrainingCode
from econ.training.models import SkillTerm

LANGUAGES = ("en", "es", "fr")


def vocabulary(actor: Actor | None, include_inactive: bool = False) -> pw.ModelSelect:
    """Active terms by key; ADMIN may ask for the inactive ones too (to revive one)."""
    actor = require_actor(actor)
    query = SkillTerm.select().order_by(SkillTerm.key)
    if include_inactive and actor.role == Role.ADMIN:
        return query
    return query.where(SkillTerm.active == True)  # noqa: E712 (peewee expression)


def label_of(term: SkillTerm, language: str) -> str:
    return getattr(term, f"label_{language}", None) or term.label_en


def save_skill_term(
    actor: Actor | None,
    key: str,
    labels: dict[str, str | None],
    active: bool = True,
) -> SkillTerm:
    """Add a term or change its labels and whether it is offered (ADMIN only)."""
    actor = require_role(actor, Role.ADMIN)
    key = v.skills([{"key": key}])[0]["key"]
    clean = {
        f"label_{lang}": v.text(
            labels.get(lang), f"label{lang.title()}", required=True, max_length=120
        )
        for lang in LANGUAGES
    }
    with db.atomic():
        term = SkillTerm.get_or_none(SkillTerm.key == key)
        if term is None:
            term = SkillTerm.create(key=key, active=bool(active), updated_by=actor.user_id, **clean)
            action = "create_skill_term"
        else:
            for column, value in clean.items():
                setattr(term, column, value)
            term.active = bool(active)
            term.updated_at = utcnow()
            term.updated_by = actor.user_id
            term.save()
            action = "update_skill_term"
        audit.record(actor, action, "SkillTerm", term.id)
    return term


def chosen_skills(skills: Sequence[dict], field: str) -> list[dict]:
    """Skills (already checked as keys) that must be active terms; labels from the vocabulary."""
    if not skills:
        return []
    keys = [s["key"] for s in skills]
    terms = {
        t.key: t
        for t in SkillTerm.select().where(SkillTerm.key.in_(keys) & (SkillTerm.active == True))  # noqa: E712
    }
    missing = [k for k in keys if k not in terms]
    if missing:
        raise DomainError(
            TrainingCode.UNKNOWN_SKILL,
            f"choose skills from the program's vocabulary ({missing[0]!r} is not in it)",
            field,
        )
    return [{"key": k, "label": terms[k].label_en} for k in keys]
