"""Generating statements: one on request (by a task, or inline), every line of a completed
run chunk by chunk, new versions for lines whose status changed, and the CLI's month.

Generation runs in Celery (`tasks.py`, sent by name through `econ.dispatch`); `generate`
is the plain function the tasks and the CLI call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from econ import dispatch
from econ.db import PreparedQuery, for_update, utcnow, write_transaction
from econ.errors import NotFound
from econ.participants import services as participants
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import SYSTEM, Actor, Role
from econ.statements import assembly, storage
from econ.statements.documents.participant_statement import render_statement
from econ.statements.documents_service import check_language, page_size
from econ.statements.models import Statement, StatementGeneration
from econ.statements.reading import check_period, reader_participant, shows_legal_name
from econ.stipends import services as stipends

COMPLETED = ("COMPLETED", "COMPLETED_WITH_FAILURES")
CHUNK = 50
GENERATE_TASK = "statements.generate_statement"  # tasks.py; sent by name, no Celery here


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
    actor, participant = reader_participant(actor, participant_id)
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
        (current,) = _LOCKED.rows(statement.id)
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
    return _BY_ID.rows(statement.id)[0]


# A statement is written for every participant every month: its own reads of the
# statement row are built once (the row's columns are the dear part of the SQL).
_BY_ID = PreparedQuery(lambda statement_id: Statement.select().where(Statement.id == statement_id))
_LOCKED = PreparedQuery(
    lambda statement_id: for_update(Statement.select().where(Statement.id == statement_id))
)
_OF_MONTH = PreparedQuery(
    lambda participant_id, period: Statement.select().where(
        (Statement.participant == participant_id) & (Statement.period == period)
    ),
    arity=2,
)


def _record(participant_id: int, period: str) -> Statement:
    """The statement row of (participant, month), created empty (version 0) if missing."""
    Statement.insert(
        participant=participant_id, period=period, language="en", path="", sha256="", size=0,
        version=0,
    ).on_conflict_ignore().execute()  # fmt: skip
    return _OF_MONTH.rows(participant_id, period)[0]


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
        actor, participant = reader_participant(actor, found.id)
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
