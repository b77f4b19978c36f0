"""A participant's sign-in without an e-mail address: her code and her sign-in name.

Her counselor, with her present, asks for her sign-in and reads her the code that comes
with the request (shown once, stored only as a keyed hash). Like every login, hers is
granted, not made (econ/security/grants.py): the login exists only once a second person,
an ADMIN, approves the request; until then her code answers "not approved yet". She
redeems it on the start page: she chooses a sign-in name (never her legal name: a name
anyone watching her phone, or a trafficker searching, would not connect to her) and a
passphrase (the zxcvbn rule of every password). The code is single use and expires
`ECON_ENROLMENT_CODE_HOURS` after the approval; a new code ends her unused ones. A code
when she already has a login (a forgotten passphrase) is a NEW_CODE request, approved
the same way; redeeming it sets the new name and passphrase and ends every session of
hers. There is no recovery channel: a new code, in person, is the only way back in.

The codes are those of every login (econ/security/enrolment.py, table `login_code`);
this module adds only what is hers: who may ask (her own counselor) and the sign-in name.
"""

from __future__ import annotations

import re
import unicodedata

from econ.db import db, utcnow
from econ.errors import CommonCode, DomainError, PermissionDenied
from econ.participants.errors import ParticipantCode
from econ.participants.models import Participant, ParticipantPII
from econ.participants.services import get_participant, login_link
from econ.security import audit, grants
from econ.security import enrolment as login_codes
from econ.security import services as security
from econ.security.crypto import decrypt
from econ.security.grants import LoginRequest
from econ.security.passwords import check_new_password
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.security.services import User

SIGN_IN_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,29}$")


def issue_code(actor: Actor | None, participant_id: int) -> tuple[str, LoginRequest]:
    """Her counselor asks for her sign-in; returns the code in clear, this once, and the
    request a second person must approve before it works. Never an ADMIN (issue 14: an
    ADMIN neither asks for a participant's login nor links one to her)."""
    actor = require_role(actor, Role.COUNSELOR)
    participant = get_participant(actor, participant_id)  # NotFound outside her caseload
    if participant.counselor_id != actor.user_id:
        raise PermissionDenied("only her counselor issues her codes")
    with db.atomic():  # the request, its code and this entry together, or none of them
        request, code = grants.request_participant_code(
            actor, login_link(participant.id), participant_links=login_link
        )
        audit.record(actor, "issue_enrolment_code", "Participant", participant.id,
                     participant_id=participant.id, detail=f"request={request.id}")  # fmt: skip
    return code, request


def normalise_sign_in_name(name: str) -> str:
    return unicodedata.normalize("NFKC", (name or "").strip()).lower()


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() or ch.isspace())


def _check_sign_in_name(name: str, participant: Participant) -> None:
    if not SIGN_IN_NAME.match(name):
        raise DomainError(
            ParticipantCode.INVALID_SIGN_IN_NAME,
            "use 3 to 30 letters (a-z), digits, dots, dashes or underscores, no spaces",
            "signInName",
        )
    if "@" in name:  # never mistaken for an e-mail login
        raise DomainError(
            ParticipantCode.INVALID_SIGN_IN_NAME, "a sign-in name has no @", "signInName"
        )
    legal = _legal_name(participant)
    words = [w for w in _fold(legal).split() if len(w) >= 3]
    folded = _fold(name)
    if any(word in folded for word in words):
        raise DomainError(
            ParticipantCode.NAME_TOO_CLOSE,
            "choose a sign-in name that is not your name: anyone could guess it",
            "signInName",
        )


def _legal_name(participant: Participant) -> str:
    """Her legal name, only to refuse it as a sign-in name (audited as that check)."""
    pii = ParticipantPII.get_or_none(ParticipantPII.participant == participant.id)
    if pii is None or pii.legal_name is None:
        return participant.preferred_name
    legal = decrypt(pii.legal_name, f"participant_pii.legal_name.{participant.id}") or ""
    audit.record(None, "check_sign_in_name", "Participant", participant.id,
                 participant_id=participant.id, fields=("legal_name",))  # fmt: skip
    return f"{legal} {participant.preferred_name}"


def _invalid() -> DomainError:
    return DomainError(
        CommonCode.INVALID_CODE, "the code is not valid: ask your counselor for a new one", "code"
    )


def redeem_code(
    code: str, sign_in_name: str, passphrase: str, client: str = ""
) -> tuple[str, User]:
    """Her chosen name and passphrase on her approved login; returns (token, user), signed in."""
    now = utcnow()
    row, user = login_codes.claim(code, client, now)  # NEEDS_APPROVAL, INVALID_CODE
    if user.role != Role.PARTICIPANT.value or user.participant_id is None:
        raise _invalid()  # a staff code belongs on the staff enrolment page
    participant = Participant.get_by_id(user.participant_id)
    name = normalise_sign_in_name(sign_in_name)
    _check_sign_in_name(name, participant)
    try:
        check_new_password(passphrase, (name, participant.preferred_name))
    except DomainError as exc:
        raise DomainError(exc.code, exc.message.replace("password", "passphrase"),
                          "passphrase") from None  # fmt: skip
    if security.sign_in_name_taken(name, but=user.id):
        raise DomainError(
            ParticipantCode.NAME_TAKEN, "this sign-in name is taken: choose another", "signInName"
        )
    user = login_codes.enrol(row, user, passphrase, now, sign_in_name=name)
    return security.start_session(user, now)
