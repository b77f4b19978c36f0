"""Statements: generate (and regenerate with history), list, authorize every download.

A statement is readable by the participant herself, her CURRENT counselor and FINANCE;
for anyone else it does not exist (NotFound, the same as an unknown id). Every download is
audited, refused ones too. Generation runs in Celery (`tasks.py`); `generate` here is the
plain function the tasks and the CLI call. The other documents are in `documents_service.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import peewee as pw

from econ import dispatch
from econ.db import db, for_update, utcnow, write_transaction
from econ.errors import CommonCode, DomainError, NotFound
from econ.participants import services as participants
from econ.participants.access import in_reach
from econ.participants.models import Participant
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import SYSTEM, Actor, Role
from econ.statements import assembly, storage
from econ.statements.documents.participant_statement import render_statement
from econ.statements.documents_service import (  # re-exported: one services module
    check_language,
    collection_sheet_pdf,
    loan_preview_pdf,
    loan_schedule_pdf,
    page_size,
    payment_run_report_pdf,
    require_collection_sheet,
    require_loan_schedule,
    require_run_report,
)
from econ.statements.errors import StatementCode
from econ.statements.models import Statement, StatementGeneration, StatementPreference
from econ.stipends import services as stipends

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$", re.ASCII)  # not fullwidth digits
COMPLETED = ("COMPLETED", "COMPLETED_WITH_FAILURES")
CHUNK = 50
GENERATE_TASK = "statements.generate_statement"  # tasks.py; sent by name, no Celery here
READERS = (Role.PARTICIPANT, Role.COUNSELOR, Role.FINANCE)


__all__ = [
    "collection_sheet_pdf",
    "generate",
    "generate_for_run",
    "generate_month",
    "list_statements",
    "loan_preview_pdf",
    "loan_schedule_pdf",
    "may_read_statements",
    "open_statement",
    "payment_run_report_pdf",
    "request_statement",
    "require_collection_sheet",
    "require_loan_schedule",
    "require_run_report",
    "run_progress",
    "set_legal_name_choice",
    "statements_by_participant",
]


def check_period(value: object, field: str = "period") -> str:
    if not isinstance(value, str) or not _MONTH.match(value.strip()):
        raise DomainError(CommonCode.INVALID_MONTH, "a month is written YYYY-MM", field)
    return value.strip()


# --- who may read ------------------------------------------------------------------------


def _reader_participant(actor: Actor | None, participant_id: int) -> tuple[Actor, Participant]:
    """She, her current counselor or FINANCE; anyone else: NotFound."""
    actor = require_actor(actor)
    if actor.role not in READERS:
        raise NotFound("participant", "participantId")
    return actor, participants.get_participant(actor, participant_id)


def may_read_statements(actor: Actor | None, participant: Participant) -> bool:
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


def set_legal_name_choice(actor: Actor | None, participant_id: int, show: bool) -> Participant:
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
    pref = StatementPreference.get_or_none(StatementPreference.participant == participant_id)
    return bool(pref and pref.show_legal_name)


def list_statements(actor: Actor | None, participant: Participant) -> pw.ModelSelect:
    _reader_participant(actor, participant.id)
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
        _reader_participant(actor, statement.participant_id)
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


def request_statement(
    actor: Actor | None,
    participant_id: int,
    period: str,
    language: str | None = None,
    *,
    run_tasks: bool = True,
) -> Statement | None:
    """Ask for her statement of a month. Returns the current record (None before the first
    one exists); the new version is written by a task. `run_tasks=False` generates inline."""
    actor, participant = _reader_participant(actor, participant_id)
    period = check_period(period)
    language = check_language(language)
    audit.record(
        actor, "request_statement", "Participant", participant.id, participant_id=participant.id
    )
    if not run_tasks:
        return generate(participant.id, period, language, requested_by=actor.user_id)
    dispatch.enqueue(GENERATE_TASK, participant.id, period, language, actor.user_id)
    return Statement.get_or_none(
        (Statement.participant == participant.id) & (Statement.period == period)
    )


def generate(
    participant_id: int,
    period: str,
    language: str | None = None,
    *,
    requested_by: int | None = None,
    as_of: date | None = None,
) -> Statement:
    """Render, store and record her statement; a second call makes a new version."""
    participant = participants.participants_by_id([participant_id]).get(participant_id)
    if participant is None:
        raise NotFound("participant", "participantId")
    language = assembly.statement_language(participant, language)
    data, line_id = assembly.statement_data(
        participant,
        period,
        language,
        show_legal_name=shows_legal_name(participant.id),
        as_of=as_of,
    )
    pdf = render_statement(data, page_size=page_size())
    statement = _record(participant.id, period)
    stored = storage.write_atomic(storage.statement_path(period, statement.id, pdf), pdf)
    with write_transaction():
        current = for_update(Statement.select().where(Statement.id == statement.id)).get()
        version = current.version + 1
        Statement.update(
            language=language,
            line_id=line_id,
            path=stored.path,
            sha256=stored.sha256,
            size=stored.size,
            version=version,
            created_at=utcnow(),
            created_by=requested_by,
        ).where(Statement.id == statement.id).execute()
        StatementGeneration.create(
            statement=statement.id,
            version=version,
            language=language,
            line_id=line_id,
            path=stored.path,
            sha256=stored.sha256,
            size=stored.size,
            created_by=requested_by,
        )
        audit.record(
            SYSTEM, "generate_statement", "Statement", statement.id, participant_id=participant.id
        )
    return Statement.get_by_id(statement.id)


def _record(participant_id: int, period: str) -> Statement:
    """The statement row of (participant, month), created empty (version 0) if missing."""
    Statement.insert(
        participant=participant_id, period=period, language="en", path="", sha256="", size=0,
        version=0,
    ).on_conflict_ignore().execute()  # fmt: skip
    return Statement.get((Statement.participant == participant_id) & (Statement.period == period))


def _run_line_ids(run_id: int) -> list[tuple[int, int]]:
    """(line id, participant id) of every line of the run, in order."""
    return stipends.line_participants(run_id)


def _done_lines(line_ids: list[int]) -> set[int]:
    if not line_ids:
        return set()
    rows = Statement.select(Statement.line_id).where(Statement.line_id.in_(line_ids))
    return {row.line_id for row in rows}


def run_progress(run_id: int, state: str | None = None) -> tuple[int, int]:
    """(statements written, lines) of a run; (0, 0) until the run is completed.
    `state`: the run's state when the caller has the run at hand (saves a query)."""
    state = state or stipends.get_run(SYSTEM, run_id).state
    if state not in COMPLETED:
        return 0, 0
    ids = [line_id for line_id, _ in _run_line_ids(run_id)]
    return len(_done_lines(ids)), len(ids)


def generate_for_run(
    run_id: int,
    *,
    chunk: int = CHUNK,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    requested_by: int | None = None,
) -> int:
    """A statement for every line of a completed run, chunk by chunk; lines that already
    have theirs are skipped (unless `force`), so running it twice writes nothing twice.
    Returns how many statements were written."""
    run = stipends.get_run(SYSTEM, run_id)
    if run.state not in COMPLETED and not force:
        return 0
    lines = _run_line_ids(run_id)
    written = 0
    for start in range(0, len(lines), chunk):
        part = lines[start : start + chunk]
        done = set() if force else _done_lines([line_id for line_id, _ in part])
        for line_id, participant_id in part:
            if line_id not in done:
                generate(participant_id, run.period, requested_by=requested_by)
                written += 1
        if progress:
            progress(min(start + chunk, len(lines)), len(lines))
    return written


def regenerate_for_lines(line_ids: list[int]) -> int:
    """A new version of each statement written for one of these lines (their status
    changed since: a late return, a retry paid); the earlier versions stay listed in
    `StatementGeneration`. Lines without a statement yet are left to the run's task."""
    rows = list(
        Statement.select(Statement.participant, Statement.period)
        .where(Statement.line_id.in_(sorted(set(line_ids))) & (Statement.version > 0))
        .tuples()
    )
    for participant_id, period in rows:
        generate(participant_id, period)
    return len(rows)


def generate_month(
    actor: Actor | None,
    period: str,
    *,
    participant_code: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """The CLI's generation, inline: one participant (she, her counselor, FINANCE), or
    every line of the month's run (FINANCE), replacing existing files (history kept)."""
    period = check_period(period)
    if participant_code:
        found = participants.get_by_code(require_actor(actor), participant_code)
        actor, participant = _reader_participant(actor, found.id)
        generate(participant.id, period, requested_by=actor.user_id)
        if progress:
            progress(1, 1)
        return 1
    actor = require_role(actor, Role.FINANCE)
    runs = [r for r in stipends.list_runs(actor) if r.period == period and r.state != "CANCELLED"]
    if not runs:
        raise NotFound("payment run", "period")
    audit.record(actor, "generate_statements", "PaymentRun", runs[0].id)
    return generate_for_run(runs[0].id, force=True, progress=progress, requested_by=actor.user_id)
