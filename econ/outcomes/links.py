"""Link a plan milestone to the record whose goal completes it.

Record types and goal states: `enrollment` COMPLETED (training), `referral` HIRED and
`placement` retained 90 days (employers), `loan` REPAID (microcredit). Each domain calls
`participants.complete_linked_milestones` when its record reaches the goal; linking to a
record that is already there completes the milestone at once. A record that later leaves
its goal state (a reversed repayment re-opens a repaid loan) does not reopen the milestone:
the counselor reopens it by hand if she judges so, and the history shows both moves.
"""

from __future__ import annotations

from econ.db import db
from econ.employers import services as employers
from econ.errors import DomainError, NotFound
from econ.microcredit import services as microcredit
from econ.outcomes.errors import OutcomeCode
from econ.participants import services as participants
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.training import services as training

RECORD_TYPES = ("enrollment", "referral", "placement", "loan")


def _record(actor: Actor, record_type: str, record_id: int):
    """The record if in her reach (NotFound otherwise), and whether it reached its goal."""
    if record_type == "enrollment":
        record = training.get_enrollment(actor, record_id)
        return record, record.participant_id, record.status == "COMPLETED"
    if record_type == "referral":
        record = employers.get_referral(actor, record_id)
        return record, record.participant_id, record.status == "HIRED"
    if record_type == "placement":
        record = employers.get_placement(actor, record_id)
        checkpoints = employers.checkpoints_for([record.id])[record.id]
        retained = any(c.days == 90 and c.status == "CONFIRMED_EMPLOYED" for c in checkpoints)
        return record, record.participant_id, retained

    record = microcredit.get_loan(actor, record_id, "recordId")
    return record, record.borrower_id, record.state == "REPAID"


def link_plan_milestone(actor: Actor | None, milestone_id: int, record_type: str, record_id: int):
    """Her counselor links one of her milestones to one of her records."""
    actor = require_role(actor, Role.COUNSELOR)
    if record_type not in RECORD_TYPES:
        raise DomainError(
            OutcomeCode.INVALID_RECORD_TYPE,
            "choose enrollment, referral, placement or loan",
            "recordType",
        )
    owner = participants.milestone_participant_id(milestone_id)
    try:
        participants.get_participant(actor, owner)  # a milestone out of reach is not found
    except NotFound:
        raise NotFound("milestone", "milestoneId") from None
    try:
        _, record_owner, reached = _record(actor, record_type, int(record_id))
    except NotFound:
        raise NotFound(record_type, "recordId") from None
    if record_owner != owner:
        raise DomainError(
            OutcomeCode.OTHER_PARTICIPANT, "the record belongs to someone else", "recordId"
        )
    with db.atomic():
        milestone = participants.link_milestone(actor, milestone_id, record_type, int(record_id))
        if reached:
            participants.complete_linked_milestones(record_type, int(record_id), actor)
    return milestone
