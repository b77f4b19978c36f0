"""Who may download a statement (service layer), the audit of downloads, and the run task."""

from __future__ import annotations

import pytest

from econ.errors import NotFound
from econ.participants import services as participants
from econ.security.models import AuditEntry
from econ.security.roles import SYSTEM
from econ.statements import services, tasks
from econ.statements.models import Statement, StatementGeneration
from econ.stipends.models import PaymentLine
from tests.stipends.conftest import World

from . import world


@pytest.fixture
def story(people) -> world.Story:
    return world.build(people)


@pytest.fixture
def statement(story) -> Statement:
    return services.generate(story.participant.id, world.PERIOD, as_of=world.AS_OF)


def _downloads(outcome: str) -> list[AuditEntry]:
    return list(
        AuditEntry.select().where(
            (AuditEntry.action == "download_statement") & (AuditEntry.outcome == outcome)
        )
    )


def test_she_her_counselor_and_finance_download_it_audited(story, statement, people):
    _, her = people.participant_login(story.counselor, story.participant)
    for actor in (her, story.counselor, story.finance):
        found, content = services.open_statement(actor, statement.id)
        assert found.id == statement.id and content.startswith(b"%PDF")
    entries = _downloads("ok")
    assert [(e.actor_id, e.participant_id) for e in entries] == [
        (her.user_id, story.participant.id),
        (story.counselor.user_id, story.participant.id),
        (story.finance.user_id, story.participant.id),
    ]


def test_anyone_else_gets_not_found_and_the_attempt_is_audited(story, statement, people):
    _, other_counselor = people.counselor()
    _, admin = people.admin()
    _, employer = people.employer()
    stranger = people.participant(other_counselor, preferred_name="Joy")
    _, stranger_login = people.participant_login(other_counselor, stranger)
    for actor in (other_counselor, admin, employer, stranger_login):
        with pytest.raises(NotFound):
            services.open_statement(actor, statement.id)
    with pytest.raises(NotFound):
        services.open_statement(story.finance, statement.id + 1000)  # unknown: the same answer
    refused = _downloads("not_found")
    assert len(refused) == 5
    assert {e.participant_id for e in refused} == {None}  # a refusal names no one


def test_a_counselor_no_longer_assigned_loses_access_at_once(story, statement, people):
    new_user, new_counselor = people.counselor()
    _, admin = people.admin()
    services.open_statement(story.counselor, statement.id)
    participants.assign_counselor(admin, story.participant.id, new_user.id)
    with pytest.raises(NotFound):
        services.open_statement(story.counselor, statement.id)
    assert services.open_statement(new_counselor, statement.id)[0].id == statement.id


def test_a_tampered_file_is_refused(story, statement):
    from econ.statements import storage

    path = storage.data_dir() / statement.path
    path.write_bytes(path.read_bytes() + b"%tampered\n")
    with pytest.raises(Exception) as failure:
        services.open_statement(story.finance, statement.id)
    assert getattr(failure.value, "code", "") == "STATEMENT_CORRUPT"


def test_the_run_task_is_idempotent_one_statement_per_line(people, sent_tasks):
    w = World(people)
    ladies = [w.participant(preferred_name=name) for name in ("Ana", "Bea", "Cleo", "Dina", "Eva")]
    for lady in ladies:
        w.schedule(lady)
    run = w.paid_run("2026-03")
    assert run.state == "COMPLETED"
    # The import service itself sends nothing (its callers do: see test_http), so service
    # tests never race a background worker.
    assert sent_tasks == []
    assert services.run_progress(run.id) == (0, 5)
    # Called as the worker calls it, twice (a redelivered task), with chunks of 2.
    assert services.generate_for_run(run.id, chunk=2) == 5
    assert tasks.generate_run_statements.run(run.id) == 0
    lines = {line.id: line.participant_id for line in PaymentLine.select()}
    rows = list(Statement.select())
    assert sorted((s.line_id, s.participant_id) for s in rows) == sorted(lines.items())
    assert StatementGeneration.select().count() == 5  # nothing generated twice
    assert services.run_progress(run.id) == (5, 5)


def test_no_statements_before_the_run_is_completed(people):
    w = World(people)
    lady = w.participant(preferred_name="Ana")
    w.schedule(lady)
    run = w.approve(w.calculate("2026-03"))
    assert services.generate_for_run(run.id) == 0
    assert services.run_progress(run.id) == (0, 0)
    assert Statement.select().count() == 0


def test_cli_generation_regenerates_the_month_for_finance_only(people):
    w = World(people)
    lady = w.participant(preferred_name="Ana")
    w.schedule(lady)
    w.paid_run("2026-03")
    seen = []
    assert (
        services.generate_month(w.finance, "2026-03", progress=lambda d, t: seen.append((d, t)))
        == 1
    )
    assert services.generate_month(w.finance, "2026-03") == 1  # replaced, history kept
    assert seen == [(1, 1)]
    assert Statement.get().version == 2
    with pytest.raises(Exception) as refused:
        services.generate_month(w.counselor, "2026-03")
    assert refused.value.code == "FORBIDDEN"
    assert services.generate_month(w.counselor, "2026-03", participant_code=lady.code) == 1
    with pytest.raises(NotFound):
        services.generate_month(SYSTEM, "2026-03", participant_code=lady.code)


def test_a_late_return_writes_a_new_version_of_her_statement(people, sent_tasks, monkeypatch):
    """Issue 15 item 12: she kept reading the status her statement had when it was made."""
    from econ.stipends import lifecycle
    from econ.stipends import services as stipends
    from tests.stipends.conftest import attempts_of

    from .pdftext import text

    w = World(people)
    lady = w.participant(preferred_name="Ana")
    w.schedule(lady)
    run = w.paid_run("2026-03")
    assert services.generate_for_run(run.id) == 1
    first = Statement.get(Statement.participant == lady.id)
    (attempt,) = attempts_of(run)
    summary = stipends.import_results(
        w.finance,
        run.id,
        f"reference,status,amount,reason\n{attempt.reference},RETURNED,900.00,MD06\n",
    )
    assert summary.changed_lines == (attempt.line_id,)
    lifecycle.lines_changed(summary.changed_lines)
    assert sent_tasks == [("statements.regenerate_line_statements", ([attempt.line_id],))]
    assert tasks.regenerate_line_statements.run([attempt.line_id]) == 1
    again = Statement.get_by_id(first.id)
    assert again.version == first.version + 1 and again.sha256 != first.sha256
    versions = [g.version for g in StatementGeneration.select().order_by(StatementGeneration.id)]
    assert versions == [1, 2]  # the earlier version stays listed
    _, pdf = services.open_statement(w.finance, again.id)
    assert "Not delivered" in text(pdf)
