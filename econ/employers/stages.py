"""A referral's stage log, and the withdrawals the system makes on its own.

Below referrals, consents and opportunities: revoking a PROFILE consent and closing an
opportunity end open referrals here, without importing the referral rules.
"""

from __future__ import annotations

import peewee as pw

from econ.db import utcnow
from econ.employers.models import Referral, ReferralStage
from econ.security.roles import Actor

OPEN_STATUSES = ("PROPOSED", "SHARED", "INTERVIEW", "OFFERED")


def record_stage(
    referral: Referral, old: str | None, new: str, actor: Actor | None, **extra
) -> None:
    ReferralStage.create(
        referral=referral,
        from_status=old,
        to_status=new,
        actor_id=actor.user_id if actor else None,
        actor_role=actor.role.value if actor else "SYSTEM",
        **extra,
    )


def end_open_referrals(condition: pw.Expression, reason: str, actor: Actor | None) -> int:
    """End every open referral matching `condition` (inside the caller's transaction)."""
    ended = 0
    for referral in Referral.select().where(condition & Referral.status.in_(OPEN_STATUSES)):
        updated = (
            Referral.update(status="WITHDRAWN", reason_code=reason, updated_at=utcnow())
            .where((Referral.id == referral.id) & (Referral.status == referral.status))
            .execute()
        )
        if updated:
            record_stage(referral, referral.status, "WITHDRAWN", actor, reason_code=reason)
            ended += 1
    return ended
