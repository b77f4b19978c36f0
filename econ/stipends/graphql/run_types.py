"""A payment run: state, job, totals, control totals, exceptions, files, history."""

from __future__ import annotations

import graphene

from econ.money import from_cents
from econ.schema.errors import forbidden
from econ.schema.inputs import enum_value
from econ.schema.pagination import (
    connection_field,
    connection_type,
    paginate_keyset,
    paginate_list,
    paginate_window,
)
from econ.schema.scalars import Money, money
from econ.statements import services as statements
from econ.stipends import services
from econ.stipends.graphql.base import (
    PARTICIPANT_CODE,
    LineKind,
    LineStatus,
    PaymentMethodKind,
    RunState,
    _load_user,
    _money_field,
    _payable,
)
from econ.stipends.graphql.exception_types import (
    PaymentExceptionConnection,
    exceptions_page,
)
from econ.stipends.graphql.line_types import PaymentLineConnection, _with_page_reads
from econ.stipends.models import (
    PaymentLine,
)


class PaymentJob(graphene.ObjectType):
    kind = graphene.String()
    status = graphene.String(description="QUEUED, RUNNING, FAILED or DONE")
    done = graphene.Int(required=True)
    total = graphene.Int(required=True)
    error = graphene.String()
    task_id = graphene.String()


class RunTotalsType(graphene.ObjectType):
    class Meta:
        name = "PaymentRunTotals"

    line_count = graphene.Int(required=True)
    base = graphene.Field(Money, required=True)
    taper = graphene.Field(Money, required=True)
    incentives = graphene.Field(Money, required=True)
    adjustments = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True)
    loan_payout_count = graphene.Int(
        required=True, description="Lines that pay out a loan (in base and net, no stipend)."
    )
    loan_payouts = graphene.Field(Money, required=True, description="What those lines pay.")


class MethodTotalType(graphene.ObjectType):
    class Meta:
        name = "PaymentMethodTotal"

    method = graphene.Field(PaymentMethodKind, required=True)
    count = graphene.Int(required=True)
    held = graphene.Int(required=True, description="Lines of the method held (not sent).")
    net = _money_field("net")


class RunEventType(graphene.ObjectType):
    class Meta:
        name = "PaymentRunEvent"

    from_state = graphene.String()
    to_state = graphene.String(
        required=True, description="A state, or REJECTED (an event: the run stays CALCULATED)"
    )
    reason = graphene.String(required=True, description="The reason or comment given.")
    at = graphene.DateTime(required=True)
    by = graphene.Field("econ.security.graphql.User")

    @staticmethod
    async def resolve_by(event, info):
        return await _load_user(event.by_user, info)


RunEventConnection = connection_type(RunEventType)


class RunLineChangeType(graphene.ObjectType):
    """A line that differs between the version she saw and this one."""

    class Meta:
        name = "PaymentRunLineChange"

    change = graphene.String(required=True, description="ADDED, REMOVED or CHANGED")
    kind = graphene.Field(LineKind, required=True)
    participant_code = graphene.String(description="Her participant code.")
    before = graphene.Field(Money, description="Its net in the version she saw (null: added).")
    after = graphene.Field(Money, description="Its net now (null: removed).")
    status_before = graphene.Field(LineStatus)
    status_after = graphene.Field(LineStatus)

    @staticmethod
    async def resolve_participant_code(change, info):
        return await PARTICIPANT_CODE.load(info, change.participant_id)

    @staticmethod
    def resolve_before(change, info):
        return None if change.before is None else money(change.before, info.context.currency)

    @staticmethod
    def resolve_after(change, info):
        return None if change.after is None else money(change.after, info.context.currency)


RunLineChangeConnection = connection_type(RunLineChangeType)


class SinceLastLook(graphene.ObjectType):
    """Her latest look at an earlier version of the run, what moved since and which
    lines differ (it stays until a newer version replaces it)."""

    version = graphene.Int(required=True, description="The version she saw.")
    count = graphene.Int(required=True, description="Its lines to pay.")
    total = _money_field("total", "Its control total.")
    at = graphene.DateTime(required=True, description="When she last looked at it.")
    events = connection_field(RunEventConnection, "The moves since, oldest first.")
    compared = graphene.Boolean(
        required=True, description="Whether its lines were kept (false for older looks)."
    )
    added = graphene.Int(description="Lines there now, not then.")
    removed = graphene.Int(description="Lines there then, not now.")
    changed = graphene.Int(description="Lines whose net or status differ.")
    changes = connection_field(
        RunLineChangeConnection, "The lines that differ, in the order they were made."
    )

    @staticmethod
    def resolve_events(since, info, first=None, after=None):
        return paginate_list(RunEventConnection, since.events, first, after)

    @staticmethod
    def resolve_added(since, info):
        found = since.changes()
        return found.added if found else None

    @staticmethod
    def resolve_removed(since, info):
        found = since.changes()
        return found.removed if found else None

    @staticmethod
    def resolve_changed(since, info):
        found = since.changes()
        return found.changed if found else None

    @staticmethod
    def resolve_changes(since, info, first=None, after=None):
        found = since.changes()
        total = found.added + found.removed + found.changed if found else 0
        return paginate_window(RunLineChangeConnection, since.change_page, total, first, after)


class ControlTotals(graphene.ObjectType):
    """Frozen on approval: the payable lines (held lines are not sent)."""

    count = graphene.Int(required=True)
    total = graphene.Field(Money, required=True)
    hash = graphene.String(required=True)


class PaymentFileType(graphene.ObjectType):
    class Meta:
        name = "PaymentFile"

    id = graphene.ID(required=True)
    method = graphene.Field(PaymentMethodKind, required=True)
    batch = graphene.Int(required=True)
    format = graphene.String(required=True, description="SEPA, CSV or CASH_LIST")
    filename = graphene.String(required=True)
    sha256 = graphene.String(required=True)
    count = graphene.Int(required=True)
    total = _money_field("total")
    created_at = graphene.DateTime(required=True)
    content = graphene.String(description="The file itself (FINANCE, audited).")

    @staticmethod
    def resolve_content(file, info):
        return services.file_content(info.context.actor, file.id)


PaymentFileConnection = connection_type(PaymentFileType)


class PayableTotals(graphene.ObjectType):
    """What approving the run now would freeze (give `total` as approval's controlTotal)."""

    count = graphene.Int(required=True)
    total = graphene.Field(Money, required=True)


class StatementsProgress(graphene.ObjectType):
    done = graphene.Int(required=True, description="Statements written for the run's lines.")
    total = graphene.Int(required=True, description="Lines of the run (0 until completed).")


class RunApprovals(graphene.ObjectType):
    class Meta:
        name = "PaymentRunApprovals"

    required = graphene.Int(required=True, description="Approvals the run needs.")
    given = graphene.Int(required=True, description="Approvals of its current calculation.")


class PaymentRun(graphene.ObjectType):
    id = graphene.ID(required=True)
    period = graphene.String(required=True)
    kind = graphene.String(required=True, description="MAIN, or FOLLOW_UP of `parentId`")
    parent_id = graphene.ID()
    state = graphene.Field(RunState, required=True)
    version = graphene.Int(required=True)
    job = graphene.Field(PaymentJob, required=True)
    totals = graphene.Field(RunTotalsType, required=True)
    control = graphene.Field(ControlTotals, description="Null before approval.")
    payable = graphene.Field(
        PayableTotals, required=True, description="The lines approval would freeze (FINANCE)."
    )
    control_hash = graphene.String()
    lines = connection_field(
        PaymentLineConnection,
        "Lines of the run.",
        status=LineStatus(),
        exception=graphene.String(description="An exception kind (PAYMENT_FAILED: failed)."),
        participant_code=graphene.String(description="Her participant code, exactly."),
    )
    lines_key = graphene.String(
        description="Names the run's lines while they cannot change (CALCULATED or APPROVED, "
        "its job done): a page of lines read under the same key is the same, so it may be "
        "kept. Null while they may change (FINANCE)."
    )
    by_method = graphene.List(
        graphene.NonNull(MethodTotalType), required=True, description="Totals per method."
    )
    events = connection_field(RunEventConnection, "Every move, oldest first.")
    since_last_look = graphene.Field(
        SinceLastLook,
        description="Your latest look at an earlier version (and records this one); null "
        "if you saw none or the run cannot be approved now (FINANCE).",
    )
    approval_obstacle = graphene.String(
        description="Why you cannot approve it now: CREATOR, AMOUNT_AUTHOR, REJECTED or "
        "NOT_READY; null when you can (FINANCE)."
    )
    approvals = graphene.Field(
        "econ.stipends.graphql.run_types.RunApprovals",
        required=True,
        description="How many approvals it needs and has.",
    )
    exceptions = connection_field(PaymentExceptionConnection, "Its exceptions, lines first.")
    exception_count = graphene.Int(required=True, description="All of them (FINANCE).")
    created_by = graphene.Field("econ.security.graphql.User")
    approved_by = graphene.Field("econ.security.graphql.User")
    approved_at = graphene.DateTime()
    created_at = graphene.DateTime(required=True)
    files = connection_field(PaymentFileConnection, "Its payment files.")
    settings = graphene.JSONString(description="The settings the calculation used.")
    statements_progress = graphene.Field(
        StatementsProgress,
        description="Participant statements of a completed run; null without statements.",
    )

    @staticmethod
    def resolve_statements_progress(run, info):
        done, total = statements.run_progress(run.id, run.state)
        return StatementsProgress(done=done, total=total)

    @staticmethod
    def resolve_job(run, info):
        return PaymentJob(
            kind=run.job_kind,
            status=run.job_status,
            done=run.job_done,
            total=run.job_total,
            error=run.job_error,
            task_id=run.job_task_id,
        )

    @staticmethod
    def resolve_totals(run, info):
        totals = services.run_totals(run)
        cur = info.context.currency
        loans = services.loan_payouts(run)
        return RunTotalsType(
            line_count=totals.line_count,
            loan_payout_count=loans.count,
            loan_payouts=money(from_cents(loans.cents), cur),
            **{
                k: money(getattr(totals, k), cur)
                for k in ("base", "taper", "incentives", "adjustments", "net")
            },
        )

    @staticmethod
    def resolve_payable(run, info):
        if info.context.actor is None or info.context.actor.role.value != "FINANCE":
            raise forbidden("payable")
        payable = _payable(run, info)
        return PayableTotals(count=payable.count, total=money(payable.total, info.context.currency))

    @staticmethod
    def resolve_control(run, info):
        if run.control_hash is None:
            return None
        return ControlTotals(
            count=run.control_count,
            total=money(run.control_total, info.context.currency),
            hash=run.control_hash,
        )

    @staticmethod
    def resolve_lines(
        run, info, first=None, after=None, status=None, exception=None, participant_code=None
    ):
        status = enum_value(status)
        exception = (exception or "")[:24] or None
        code = (participant_code or "")[:12] or None
        query = services.run_lines(
            info.context.actor, run, status, exception=exception, participant_code=code
        )
        # Keyset pages; the count of a status or exception filter from the run's summary
        # (one grouped query, kept while the run is frozen), of her code by a COUNT.
        total = None if code else services.summary_of(run).count(status, exception)
        page = paginate_keyset(PaymentLineConnection, query, PaymentLine.id, first, after, total)
        _with_page_reads(info, [edge.node for edge in page.edges])
        return page

    @staticmethod
    def resolve_lines_key(run, info):
        return services.lines_key(info.context.actor, run, info.context.currency)

    @staticmethod
    def resolve_by_method(run, info):
        return services.totals_by_method(info.context.actor, run)

    @staticmethod
    def resolve_events(run, info, first=None, after=None):
        events = services.run_events(info.context.actor, run)
        return paginate_list(RunEventConnection, events, first, after)

    @staticmethod
    def resolve_since_last_look(run, info):
        return services.since_last_look(info.context.actor, run, _payable(run, info))

    @staticmethod
    def resolve_approvals(run, info):
        found = services.approval_count(run)
        return RunApprovals(required=found.required, given=found.given)

    @staticmethod
    def resolve_approval_obstacle(run, info):
        return services.approval_obstacle(info.context.actor, run)

    @staticmethod
    def resolve_exceptions(run, info, first=None, after=None):
        return exceptions_page(info, run, first, after)

    @staticmethod
    def resolve_exception_count(run, info):
        return services.exception_count(info.context.actor, run)

    @staticmethod
    async def resolve_created_by(run, info):
        return await _load_user(run.created_by, info)

    @staticmethod
    async def resolve_approved_by(run, info):
        return await _load_user(run.approved_by, info)

    @staticmethod
    def resolve_files(run, info, first=None, after=None):
        files = services.run_files(info.context.actor, run)
        return paginate_list(PaymentFileConnection, files, first, after)


PaymentRunConnection = connection_type(PaymentRun)
