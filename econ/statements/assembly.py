"""Domain data → the document dataclasses of `data.py`. Every figure comes from stored data.

A statement is gathered with HER view of the data (`reader_for`): a system actor with the
PARTICIPANT role and her id, so a statement can never print anything she could not read
herself, and every restricted read it makes is audited like hers. Each domain is used
through its services module only.

Free text typed by staff (adjustment reasons, milestone titles, programme names) is checked
against the forbidden words here and replaced by a neutral label when it fails, so one
careless word never stops a whole run's statements (the renderer would refuse it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from econ.employers import services as employers
from econ.microcredit import services as microcredit
from econ.participants import services as participants
from econ.security.roles import Actor, Role
from econ.settings.services import setting
from econ.statements.data import (
    Adjustment,
    CounselorContact,
    Installment,
    LoanBlock,
    NamedAmount,
    PlacementBlock,
    PlanMilestone,
    RetentionMilestone,
    StatementData,
    StipendBlock,
    TrainingProgress,
)
from econ.statements.i18n import N_, find_forbidden_words, normalise_language, translator
from econ.stipends import services as stipends
from econ.training import services as training

ZERO = Decimal("0.00")
INCENTIVE_NAMES = {
    "TRAINING_COMPLETED": N_("Training completed"),
    "RETAINED_90_DAYS": N_("90 days in the job"),
    "LOAN_REPAID": N_("Loan repaid"),
    "MANUAL": N_("Bonus"),
}
GENERIC_INCENTIVES = N_("Incentives")
GENERIC_ADJUSTMENT = N_("Correction")
NOT_DEDUCTED = N_("Not deducted this month")
GENERIC_TEXT = N_("Other")
CHECKPOINT_STATE = {
    "CONFIRMED_EMPLOYED": "MET",
    "CONFIRMED_NOT_EMPLOYED": "MISSED",
}
SHOWN_MILESTONES = 3
TRAINING_SHOWN = frozenset({"ENROLLED", "ACTIVE", "PAUSED", "COMPLETED"})
OPEN_MILESTONES = ("OPEN", "IN_PROGRESS")


def reader_for(participant_id: int) -> Actor:
    """Her own view, held by the system (user id 0) while it writes her statement."""
    return Actor(
        user_id=0, role=Role.PARTICIPANT, email="system:statements", participant_id=participant_id
    )


def neutral(text: str, fallback: str) -> str:
    """The text, or `fallback` when it is empty or uses a word that must never be printed."""
    text = (text or "").strip()
    return text if text and not find_forbidden_words(text) else fallback


def program_name() -> str:
    return neutral(str(setting("program_display_name")), "")


def statement_language(participant: participants.Participant, language: str | None) -> str:
    return normalise_language(language or participant.preferred_language)


# --- monthly statement -------------------------------------------------------------------


def statement_data(
    participant: participants.Participant,
    period: str,
    language: str,
    *,
    show_legal_name: bool = False,
    as_of: date | None = None,
) -> tuple[StatementData, int | None]:
    """Her statement for the month, and the id of the payment line it shows (if any)."""
    reader = reader_for(participant.id)
    _ = translator(language)
    as_of = as_of or date.today()
    line = _line_of(reader, participant, period)
    legal_name = ""
    if show_legal_name:
        found = participants.read_restricted(reader, [participant], ["legal_name"])
        legal_name = (found.get(participant.id) or {}).get("legal_name") or ""
    data = StatementData(
        program_name=program_name(),
        period=period,
        preferred_name=participant.preferred_name,
        legal_name=legal_name,
        show_legal_name=show_legal_name and bool(legal_name),
        reference=participant.code,
        currency=str(setting("currency")),
        language=language,
        counselor=counselor_contact(participant),
        stipend=stipend_block(line, participant.id, _) if line else None,
        loan=loan_block(reader, as_of),
        training=training_progress(participant.id, _),
        placement=placement_block(reader, participant),
        plan_milestones=plan_milestones(reader, participant, _),
    )
    return data, (line.id if line else None)


def _line_of(reader: Actor, participant: participants.Participant, period: str):
    """Her newest line of the month in a run that is not cancelled."""
    lines = [p for p in stipends.payments_of(reader, participant) if p.period == period]
    return lines[0] if lines else None


def counselor_contact(participant: participants.Participant) -> CounselorContact:
    user = participants.counselors_by_id([participant.counselor_id]).get(participant.counselor_id)
    if user is None:
        return CounselorContact(name="")
    return CounselorContact(
        name=user.display_name or user.email, phone=user.work_phone, email=user.email
    )


def stipend_block(line, participant_id: int, _) -> StipendBlock:
    awards = [a for a in stipends.awards_for(participant_id) if a.paid_line_id == line.id]
    incentives = [NamedAmount(_incentive_name(a, _), a.amount) for a in awards if a.amount]
    if _total(i.amount for i in incentives) != line.incentives:
        incentives = (
            [NamedAmount(_(GENERIC_INCENTIVES), line.incentives)] if line.incentives else []
        )
    adjustments = [
        Adjustment(neutral(a.reason, _(GENERIC_ADJUSTMENT)), a.amount)
        for a in stipends.line_adjustments([line.id])[line.id]
    ]
    if _total(a.amount for a in adjustments) != line.adjustments:
        adjustments = (
            [Adjustment(_(GENERIC_ADJUSTMENT), line.adjustments)] if line.adjustments else []
        )
    if line.remainder:
        # net was floored at zero: the part not deducted makes the lines add up to net.
        adjustments.append(Adjustment(_(NOT_DEDUCTED), line.remainder))
    status, paid_on = payment_status(line)
    return StipendBlock(
        base=line.base,
        taper=line.taper,
        taper_income=line.earned,
        net=line.net,
        payment_status=status,
        payment_method=line.method,
        payment_date=paid_on,
        incentives=tuple(incentives),
        adjustments=tuple(adjustments),
    )


def _incentive_name(award, _) -> str:
    if award.rule == "MANUAL":
        return neutral(award.note, _(INCENTIVE_NAMES["MANUAL"]))
    return _(INCENTIVE_NAMES.get(award.rule, GENERIC_INCENTIVES))


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def payment_status(line) -> tuple[str, date | None]:
    """The statement's words for a line: PAID with the date, SCHEDULED once sent, ..."""
    if line.status == "PAID":
        attempts = stipends.line_attempts([line.id])[line.id]
        paid = [a for a in attempts if a.status == "PAID" and a.resolved_at]
        return "PAID", (paid[-1].resolved_at.date() if paid else None)
    if line.status == "SENT":
        return "SCHEDULED", None
    if line.status == "PENDING" and line.run.state == "APPROVED":
        return "APPROVED", None
    return line.status, None


def loan_block(reader: Actor, as_of: date) -> LoanBlock | None:
    # At most one open loan per borrower (microcredit rule); the newest disbursed one.
    disbursed = [loan for loan in microcredit.visible_loans(reader) if loan.state == "DISBURSED"]
    loan = disbursed[-1] if disbursed else None
    if loan is None:
        return None
    upcoming, overdue = [], 0
    for inst in microcredit.installments_of(loan):
        unpaid = inst.principal + inst.interest - inst.paid_principal - inst.paid_interest
        if unpaid <= 0:
            continue
        if inst.due_date < as_of:
            overdue += 1
        else:
            upcoming.append(Installment(inst.due_date, unpaid))
    return LoanBlock(
        outstanding_principal=microcredit.outstanding_principal(loan),
        next_installments=tuple(upcoming[:3]),
        days_past_due=microcredit.days_past_due(loan, as_of),
        overdue_installments=overdue,
    )


def training_progress(participant_id: int, _) -> tuple[TrainingProgress, ...]:
    enrollments = [
        e
        for e in training.enrollments_by_participant([participant_id])[participant_id]
        if e.status in TRAINING_SHOWN
    ]
    if not enrollments:
        return ()
    ids = [e.id for e in enrollments]
    summaries = training.summaries(ids)
    credentials = training.credentials_by_enrollment(ids)
    cohorts = training.cohorts_by_id([e.cohort_id for e in enrollments])
    programs = training.programs_by_id([c.program_id for c in cohorts.values()])
    result = []
    for e in sorted(enrollments, key=lambda e: e.id):
        program = programs[cohorts[e.cohort_id].program_id]
        rate = summaries[e.id].rate
        credential = credentials.get(e.id)
        result.append(
            TrainingProgress(
                program_name=neutral(program.title, _(GENERIC_TEXT)),
                attendance_rate=rate if rate is not None else Decimal(0),
                credentials=(neutral(credential.name, _(GENERIC_TEXT)),) if credential else (),
            )
        )
    return tuple(result)


def placement_block(reader: Actor, participant: participants.Participant) -> PlacementBlock | None:
    placements = employers.placements_of(reader, participant)
    if not placements:
        return None
    current = [p for p in placements if p.ended_on is None]
    placement = (current or placements)[-1]
    employer = employers.employers_by_id([placement.employer_id]).get(placement.employer_id)
    checkpoints = employers.checkpoints_for([placement.id])[placement.id]
    return PlacementBlock(
        employer_display_name=neutral(employer.name if employer else "", "–"),
        start_date=placement.start_date,
        milestones=tuple(
            RetentionMilestone(c.days, c.due_on, CHECKPOINT_STATE.get(c.status, "PENDING"))
            for c in checkpoints
        ),
    )


def plan_milestones(
    reader: Actor, participant: participants.Participant, _
) -> tuple[PlanMilestone, ...]:
    plan = participants.get_plan(reader, participant)
    if plan is None:
        return ()
    due = sorted(
        (m for m in plan.milestones if m.status in OPEN_MILESTONES and m.due_date),
        key=lambda m: (m.due_date, m.position, m.id),
    )
    return tuple(
        PlanMilestone(neutral(m.title, _(GENERIC_TEXT)), m.due_date) for m in due[:SHOWN_MILESTONES]
    )


# --- payment run report ------------------------------------------------------------------
