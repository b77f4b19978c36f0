"""Partner employers: registration, inclusion agreement, status; the employer scope of a login."""

from __future__ import annotations

import peewee as pw

from econ.db import PreparedIn, db, utcnow
from econ.employers import validation as v
from econ.employers.errors import EmployerCode
from econ.employers.models import EMPLOYER_SIZES, Employer, EmployerStatusChange, Referral
from econ.employers.stages import end_open_referrals
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.security import audit
from econ.security import services as security
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.security.services import LoginLink

# PROSPECT → ACTIVE ⇄ SUSPENDED. A prospect never had candidates to lose.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    "PROSPECT": frozenset({"ACTIVE"}),
    "ACTIVE": frozenset({"SUSPENDED"}),
    "SUSPENDED": frozenset({"ACTIVE"}),
}


def assert_employer_exists(employer_id: int) -> None:
    if not Employer.select().where(Employer.id == employer_id).exists():
        raise DomainError(EmployerCode.INVALID_EMPLOYER, "no employer with this id", "employerId")


def login_link(employer_id: int | str) -> LoginLink:
    """An EMPLOYER login links to an existing company (of any status); who may create
    such a login (ADMIN) is checked by `security.services.create_user`."""

    def resolve(actor: Actor) -> int:
        assert_employer_exists(int(employer_id))
        return int(employer_id)

    return resolve


def own_employer(actor: Actor) -> Employer | None:
    """The company of an EMPLOYER login (any status), None for everyone else."""
    if actor.role != Role.EMPLOYER or actor.employer_id is None:
        return None
    return employers_by_id([actor.employer_id]).get(actor.employer_id)


def active_own_employer(actor: Actor) -> Employer | None:
    """The company of an EMPLOYER login if it is ACTIVE: only then does it see candidates."""
    employer = own_employer(actor)
    return employer if employer is not None and employer.status == "ACTIVE" else None


def _agreement(data: dict) -> dict:
    return {
        "agreement_signed_on": v.iso_date(data.get("agreement_signed_on"), "agreementSignedOn"),
        "agreement_commitments": v.text(
            data.get("agreement_commitments"), "agreementCommitments", max_length=4000
        )
        or "",
        "agreement_review_on": v.iso_date(data.get("agreement_review_on"), "agreementReviewOn"),
    }


def _company(data: dict, *, partial: bool) -> dict:
    values: dict = {}
    if not partial or "name" in data:
        values["name"] = v.text(data.get("name"), "name", required=True, max_length=200)
    if not partial or "sector" in data:
        values["sector"] = v.text(data.get("sector"), "sector", max_length=100) or ""
    if not partial or "size" in data:
        values["size"] = v.one_of(data.get("size") or "SMALL", EMPLOYER_SIZES, "size")
    agreement = _agreement(data)
    values.update({k: val for k, val in agreement.items() if not partial or k in data})
    signed, review = values.get("agreement_signed_on"), values.get("agreement_review_on")
    if signed and review and review < signed:
        raise DomainError(
            CommonCode.INVALID_DATE,
            "the review date is before the signing date",
            "agreementReviewOn",
        )
    return values


def create_employer(actor: Actor | None, **data) -> Employer:
    """ADMIN registers a partner company; it starts as PROSPECT."""
    actor = require_role(actor, Role.ADMIN)
    values = _company(data, partial=False)
    with db.atomic():
        employer = Employer.create(**values)
        audit.record(actor, "create_employer", "Employer", employer.id)
    return employer


def update_employer(actor: Actor | None, employer_id: int, **data) -> Employer:
    """ADMIN edits the company and its inclusion agreement."""
    actor = require_role(actor, Role.ADMIN)
    employer = get_employer(actor, employer_id)
    values = _company(data, partial=True)
    with db.atomic():
        for key, value in values.items():
            setattr(employer, key, value)
        employer.updated_at = utcnow()
        employer.save()
        audit.record(actor, "update_employer", "Employer", employer.id, fields=sorted(values))
    return employer


def set_employer_status(
    actor: Actor | None, employer_id: int, status: str, reason: str = ""
) -> Employer:
    """ADMIN only. Activation needs a signed agreement; suspension hides candidates at once."""
    actor = require_role(actor, Role.ADMIN)
    employer = get_employer(actor, employer_id)
    new = v.one_of(status, tuple(STATUS_TRANSITIONS), "status", CommonCode.INVALID_STATUS)
    why = v.text(reason, "reason", max_length=500) or ""
    if new not in STATUS_TRANSITIONS[employer.status]:
        raise DomainError(
            CommonCode.INVALID_TRANSITION, f"{employer.status} cannot become {new}", "status"
        )
    if new == "ACTIVE" and employer.agreement_signed_on is None:
        raise DomainError(
            EmployerCode.AGREEMENT_REQUIRED, "record the signed inclusion agreement first", "status"
        )
    with db.atomic():
        updated = (
            Employer.update(status=new, updated_at=utcnow())
            .where((Employer.id == employer.id) & (Employer.status == employer.status))
            .execute()
        )
        if updated != 1:
            raise DomainError(CommonCode.CONFLICT, "the status changed meanwhile; reload", "status")
        EmployerStatusChange.create(
            employer=employer,
            from_status=employer.status,
            to_status=new,
            reason=why,
            by_user=actor.user_id,
        )
        ended = _end_referrals_of_suspended(employer, actor) if new == "SUSPENDED" else 0
        audit.record(
            actor,
            "set_employer_status",
            "Employer",
            employer.id,
            fields=("status",),
            detail=f"status={new} referrals_withdrawn={ended}",
        )
    employer.status = new
    return employer


def _end_referrals_of_suspended(employer: Employer, actor: Actor) -> int:
    """Her open referrals to a suspended company end now (reason EMPLOYER_SUSPENDED, which
    her counselor sees), instead of resurfacing if the company is reactivated."""
    return end_open_referrals(Referral.employer == employer.id, "EMPLOYER_SUSPENDED", actor)


def visible_employers(actor: Actor | None, status: str | None = None) -> pw.ModelSelect:
    """Staff see every company; a participant the ACTIVE ones; an employer login its own."""
    actor = require_actor(actor)
    query = Employer.select().order_by(Employer.name, Employer.id)
    if actor.role == Role.EMPLOYER:
        query = query.where(Employer.id == (actor.employer_id or 0))
    elif actor.role == Role.PARTICIPANT:
        query = query.where(Employer.status == "ACTIVE")
    if status:
        query = query.where(Employer.status == status)
    return query


def get_employer(actor: Actor | None, employer_id: int | str) -> Employer:
    actor = require_actor(actor)
    try:
        eid = int(employer_id)
    except (TypeError, ValueError):
        raise NotFound("employer", "employerId") from None
    employer = visible_employers(actor).where(Employer.id == eid).first()
    if employer is None:
        raise NotFound("employer", "employerId")
    return employer


def employers_by_id(ids) -> dict[int, Employer]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {e.id: e for e in _EMPLOYERS.rows(ids)}


# Every employer's request reads its own company (twice for an opportunity's referrals)
# and a candidate list its companies: SQL built once per count of ids.
_EMPLOYERS = PreparedIn(lambda ids: Employer.select().where(Employer.id.in_(ids)))


def sees_agreement(actor: Actor | None) -> bool:
    """The inclusion agreement (commitments, review date) is for the programme's staff and
    the company itself; participants and FINANCE have no use for it."""
    return actor is not None and actor.role not in (Role.PARTICIPANT, Role.FINANCE)


def staff_logins(actor: Actor | None, employer: Employer) -> pw.ModelSelect:
    """The company's own logins: to its staff (who they are, which are active) and to ADMIN
    (who grants them); anyone else is refused. A new login is asked of the program's
    ADMINs, and a second ADMIN approves it (econ/security/grants.py)."""
    actor = require_actor(actor)
    own = actor.role == Role.EMPLOYER and actor.employer_id == employer.id
    if not own and actor.role != Role.ADMIN:
        raise PermissionDenied("only the company itself and ADMIN see its logins", "staff")
    return security.logins_of_employer(employer.id)
