"""Demo: one participant signs in the way every participant does, with an enrolment code.

Her counselor asks for her sign-in with her present (the code comes with the request),
a demo ADMIN approves it (econ/security/approvals.py: the login exists only from then on),
and the code sets her sign-in name and passphrase on it.
"""

from __future__ import annotations

from econ.participants import enrolment, services
from econ.security import approvals

# Published with the demo (README, `make run`); never her name.
SIGN_IN = ("sunrise-demo", "demo sunrise passphrase")
COUNSELOR = "counselor@demo.econ"
APPROVER = "admin@demo.econ"


def load(ctx) -> None:
    counselor = ctx.actor(COUNSELOR)
    lina = next(p for p in ctx.participants if p.preferred_name == "Lina")
    code, request = enrolment.issue_code(counselor, lina.id)
    approvals.approve(ctx.actor(APPROVER), request.id, participant_links=services.login_link)
    _, user = enrolment.redeem_code(code, *SIGN_IN)
    ctx.users[SIGN_IN[0]] = user
