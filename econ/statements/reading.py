"""Who may read a statement, and reading it: her statements, their versions, a download.

A statement is readable by the participant herself, her CURRENT counselor and FINANCE;
for anyone else it does not exist (NotFound, the same as an unknown id). Every download is
audited, refused ones too. Her choice of the name shown on it is kept here too.
"""

from __future__ import annotations

import re

import peewee as pw

from econ.db import PreparedQuery, db, utcnow
from econ.errors import CommonCode, DomainError, NotFound
from econ.participants import services as participants
from econ.participants.access import in_reach
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.statements import storage
from econ.statements.errors import StatementCode
from econ.statements.models import Statement, StatementGeneration, StatementPreference

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$", re.ASCII)  # not fullwidth digits
READERS = (Role.PARTICIPANT, Role.COUNSELOR, Role.FINANCE)


def check_period(value: object, field: str = "period") -> str:
    if not isinstance(value, str) or not _MONTH.match(value.strip()):
        raise DomainError(CommonCode.INVALID_MONTH, "a month is written YYYY-MM", field)
    return value.strip()


def reader_participant(
    actor: Actor | None, participant_id: int
) -> tuple[Actor, participants.Participant]:
    """She, her current counselor or FINANCE; anyone else: NotFound."""
    actor = require_actor(actor)
    if actor.role not in READERS:
        raise NotFound("participant", "participantId")
    return actor, participants.get_participant(actor, participant_id)


def may_read_statements(actor: Actor | None, participant: participants.Participant) -> bool:
    """She, her current counselor, FINANCE (the participant record already in reach)."""
    if actor is None or actor.role not in READERS:
        return False
    return in_reach(actor, participant.id, participant.counselor_id)


def statements_by_participant(
    actor: Actor | None, participant_ids: list[int]
) -> dict[int, list[Statement]]:
    """Batch for `Participant.statements`: each participant's statements the caller may
    read (an empty list for the others), newest month first; one query."""
    readable = [
        p.id
        for p in participants.participants_by_id(participant_ids).values()
        if may_read_statements(actor, p)
    ]
    found: dict[int, list[Statement]] = {pid: [] for pid in participant_ids}
    if readable:
        rows = (
            Statement.select()
            .where(Statement.participant.in_(readable) & (Statement.version > 0))
            .order_by(Statement.period.desc(), Statement.id.desc())
        )
        for row in rows:
            found[row.participant_id].append(row)
    return found


def set_legal_name_choice(
    actor: Actor | None, participant_id: int, show: bool
) -> participants.Participant:
    """Her choice (or her counselor recording it): legal name instead of preferred name."""
    actor = require_role(actor, Role.PARTICIPANT, Role.COUNSELOR)
    participant = participants.get_participant(actor, participant_id)
    with db.atomic():
        StatementPreference.insert(
            participant=participant.id,
            show_legal_name=bool(show),
            updated_by=actor.user_id,
            updated_at=utcnow(),
        ).on_conflict(
            conflict_target=[StatementPreference.participant],
            update={
                StatementPreference.show_legal_name: bool(show),
                StatementPreference.updated_by: actor.user_id,
                StatementPreference.updated_at: utcnow(),
            },
        ).execute()
        audit.record(
            actor,
            "set_statement_name",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=("show_legal_name",),
        )
    return participant


def shows_legal_name(participant_id: int) -> bool:
    found = _NAME_SHOWN.execute(participant_id).fetchone()
    return bool(found and found[0])


_NAME_SHOWN = PreparedQuery(
    lambda participant_id: StatementPreference.select(StatementPreference.show_legal_name).where(
        StatementPreference.participant == participant_id
    )
)


def list_statements(actor: Actor | None, participant: participants.Participant) -> pw.ModelSelect:
    reader_participant(actor, participant.id)
    return (
        Statement.select()
        .where((Statement.participant == participant.id) & (Statement.version > 0))
        .order_by(Statement.period.desc(), Statement.id.desc())
    )


def get_statement(actor: Actor | None, statement_id: int) -> Statement:
    statement = Statement.get_or_none(Statement.id == statement_id)
    if statement is None:
        raise NotFound("statement", "id")
    try:
        reader_participant(actor, statement.participant_id)
    except NotFound:
        raise NotFound("statement", "id") from None
    return statement


VERSIONS_LISTED = 20  # newest first; a month is remade a handful of times at most


def statement_versions(statement_ids: list[int]) -> dict[int, list[StatementGeneration]]:
    """The newest VERSIONS_LISTED versions of each of these statements, newest first (the
    caller has read each one through `get_statement` or `list_statements`: this adds no
    reach of its own)."""
    found: dict[int, list[StatementGeneration]] = {sid: [] for sid in statement_ids}
    rows = (
        StatementGeneration.select()
        .where(StatementGeneration.statement.in_(statement_ids))
        .order_by(StatementGeneration.statement, StatementGeneration.version.desc())
    )
    for row in rows:
        if len(found[row.statement_id]) < VERSIONS_LISTED:
            found[row.statement_id].append(row)
    return found


def open_statement(
    actor: Actor | None, statement_id: int, version: int | None = None
) -> tuple[Statement, bytes]:
    """The stored PDF for a reader (the current version, or an earlier one whose file was
    kept), checksum verified; every attempt is audited."""
    try:
        statement = get_statement(actor, statement_id)
        path, expected = _version_file(statement, version)
    except NotFound:
        # No participant id: a refused attempt must not tie the caller to anyone.
        audit.record(actor, "download_statement", "Statement", statement_id, outcome="not_found")
        raise
    content = storage.read(path)
    if storage.sha256(content) != expected:
        audit.record(actor, "download_statement", "Statement", statement.id, outcome="corrupt")
        raise DomainError(
            StatementCode.STATEMENT_CORRUPT, "the stored file does not match its checksum"
        )
    audit.record(
        actor,
        "download_statement",
        "Statement",
        statement.id,
        participant_id=statement.participant_id,
        detail=f"version {version or statement.version}",
    )
    return statement, content


def _version_file(statement: Statement, version: int | None) -> tuple[str, str]:
    """(path, checksum) of a version; NotFound for a version never made or not kept."""
    if version is None or version == statement.version:
        return statement.path, statement.sha256
    row = StatementGeneration.get_or_none(
        (StatementGeneration.statement == statement.id) & (StatementGeneration.version == version)
    )
    if row is None or not row.path:
        raise NotFound("statement version", "version")
    return row.path, row.sha256


# --- generation --------------------------------------------------------------------------
