"""The matching pages' words: opportunity types, pay periods, referral stages, the score's
parts with their weights, and the messages of the referral and consent forms."""

from __future__ import annotations

from econ.statements.i18n import N_
from econ.web.environment import nodes

OPPORTUNITY_TYPES = {
    "FULL_TIME": N_("Full time"),
    "PART_TIME": N_("Part time"),
    "INTERNSHIP": N_("Internship"),
    "APPRENTICESHIP": N_("Apprenticeship"),
    "SHORT_TERM": N_("Short term"),
}
PAY_PERIODS = {"HOURLY": N_("an hour"), "MONTHLY": N_("a month")}
REFERRAL_STATUS = {
    "PROPOSED": N_("Proposed (not shared yet)"),
    "SHARED": N_("Shared with the employer"),
    "INTERVIEW": N_("Interview"),
    "OFFERED": N_("Job offered"),
    "HIRED": N_("Hired"),
    "DECLINED": N_("Declined"),
    "WITHDRAWN": N_("Withdrawn"),
}
# Why a referral ended (econ/employers/models.py REASON_CODES), as her counselor reads it.
REFERRAL_REASONS = {
    "DECLINED_BY_EMPLOYER": N_("Another reason"),
    "NOT_A_FIT_SKILLS": N_("Skills do not match yet"),
    "NOT_A_FIT_AVAILABILITY": N_("Hours or start date do not match"),
    "NOT_A_FIT_LANGUAGES": N_("Languages do not match"),
    "DECLINED_BY_PARTICIPANT": N_("She declined"),
    "WITHDRAWN_BY_COUNSELOR": N_("Withdrawn by her counselor"),
    "CONSENT_REVOKED": N_("She withdrew her consent"),
    "OPPORTUNITY_CLOSED": N_("The opening closed"),
    "EMPLOYER_SUSPENDED": N_("The company was suspended"),
    "OTHER": N_("No longer available"),
}
# the score's parts, in the order and with the weights of docs/employers.md
PARTS = (
    ("requiredSkills", N_("Required skills"), 50),
    ("optionalSkills", N_("Other skills"), 15),
    ("languageFit", N_("Languages"), 20),
    ("scheduleFit", N_("Hours"), 15),
)
MESSAGES = {
    "CONSENT_REQUIRED": N_(
        "She has not given consent for this employer to see her profile. "
        "Record it with her present first."
    ),
    "NOT_PRESENT": N_("Tick the box only when she is here with you and agrees."),
    "PARTICIPANT_NOT_PRESENT": N_("Tick the box only when she is here with you and agrees."),
    "ALREADY_REFERRED": N_("She was already referred to this opportunity."),
    "ALREADY_GIVEN": N_("She already gave this consent."),
    "OPPORTUNITY_NOT_OPEN": N_("This opportunity is no longer open."),
    "EMPLOYER_NOT_ACTIVE": N_("This employer is not an active partner at the moment."),
    "PARTICIPANT_NOT_ACTIVE": N_("Only a participant whose status is active can be referred."),
    "NOT_FOUND": N_("Not found, or not in your caseload."),
}
FALLBACK = N_("This did not work. Check the form and try again.")
DONE = {
    "consent": N_("Her consent is recorded: you can refer her now."),
    "referred": N_("Referred: the employer sees her anonymous profile."),
}


def percent(share: float | None) -> int:
    return round((share or 0) * 100)


SHARED_DONE = N_("Done: she is recorded as consenting, or the referral is shared.")


def work_notice(params, _) -> dict:
    """The work tab's answer to a consent or share form: {referral id: (ok, words)}."""
    referral = params.get("referral", "") or params.get("unticked", "")
    if not referral.isdigit() or len(referral) > 12:
        return {}
    if params.get("unticked"):
        return {referral: (False, _(MESSAGES["NOT_PRESENT"]))}
    result = params.get("result", "")
    if result == "done":
        return {referral: (True, _(SHARED_DONE))}
    return {referral: (False, _(MESSAGES.get(result, FALLBACK)))}


def profile_consented(her: dict, employer_id: str) -> bool:
    """Whether she has a current PROFILE consent for this employer (her record's consents)."""
    return any(
        c["current"] and c["scope"] == "PROFILE" and c["employer"]["id"] == employer_id
        for c in nodes(her.get("consents"))
    )
