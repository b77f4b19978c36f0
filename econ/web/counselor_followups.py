"""Two kinds of Today item she answers on her record: a placement's retention check (work
tab: she still works there, no longer, or nobody could be reached) and her request for a
training seat (training tab: enrol her, which answers the request, or decline with a reason
she reads).

Each form runs one mutation, then back to the tab with the answer named in the address
(POST-redirect-GET) and said beside the item; the address only ever names an answer from
the tables below, never words of its own. A check or request that is not on her record
(another caseload, a made-up id) is "not found", like every record out of reach.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.statements.i18n import N_
from econ.web import counselor_cohort
from econ.web.desk import Desk
from econ.web.environment import nodes
from econ.web.handlers import page

COUNSELOR = (Role.COUNSELOR,)
DOCUMENT = "counselor/followups"
TEXT_MAX = 500
OUTCOMES = (
    ("CONFIRMED_EMPLOYED", N_("She still works there")),
    ("CONFIRMED_NOT_EMPLOYED", N_("She no longer works there")),
    ("UNREACHABLE", N_("Neither she nor the employer could be reached")),
)
CHECK_STATUS = {
    "DUE": N_("not confirmed yet"),
    "CONFIRMED_EMPLOYED": N_("still works there"),
    "CONFIRMED_NOT_EMPLOYED": N_("no longer works there"),
    "UNREACHABLE": N_("could not be reached"),
}
REQUEST_STATUS = {
    "PENDING": N_("waits for your answer"),
    "ACCEPTED": N_("enrolled"),
    "DECLINED": N_("declined"),
}
DONE = {
    "checked": N_("The check is recorded."),
    "seat": N_("Enrolled: she has a seat."),
    "waitlist": N_("The cohort is full: she is on its waiting list."),
    "declined": N_("Declined: she reads your reason on her training page."),
}
MESSAGES = {
    **counselor_cohort.MESSAGES,
    "NOT_YET_DUE": N_("This check is not due yet."),
    "ALREADY_CONFIRMED": N_("This check is already confirmed."),
    "NO_CHANGE": N_("This changes nothing."),
    "CONFLICT": N_("It changed meanwhile. Look again, then try again."),
    "INVALID_CHOICE": N_("Choose one of the options."),
    "ALREADY_DECIDED": N_("This request was already answered."),
    "REQUIRED": N_("Please write why: she reads it."),
}
FALLBACK = counselor_cohort.FALLBACK


def answered(params, _) -> dict[str, tuple[bool, str]]:
    """The tab's answer to one of these forms: {"check-12" | "request-5": (done, words)}."""
    for kind in ("check", "request"):
        key = params.get(kind, "")
        if key.isdigit() and len(key) <= 12:
            result = params.get("result", "")
            if result in DONE:
                return {f"{kind}-{key}": (True, _(DONE[result]))}
            return {f"{kind}-{key}": (False, _(MESSAGES.get(result, FALLBACK)))}
    return {}


def _text(fields: dict[str, str], name: str) -> str:
    return " ".join(fields.get(name, "").split())[:TEXT_MAX]


def routes(desk: Desk) -> list[Route]:
    site, mutate = desk.site, desk.mutate

    async def _answer(request: Request, tab: str, kind: str, act) -> Response:
        """Sign-in, CSRF, her record, the item on it; then `act` and back to the tab."""
        current = await site.begin(request, roles=COUNSELOR)
        item_id = request.path_params["item_id"]
        if not id_in_range(item_id):
            raise HTTPException(404)
        back = f"/staff/participants/{request.path_params['participant_id']}/{tab}"
        if request.method == "GET":  # e.g. the language links: the tab shows the item
            return site.redirect(current, back)
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        her = await desk.her_record(current, tab.capitalize())
        result = await act(current, her, str(item_id), fields)
        return site.redirect(current, f"{back}?{kind}={item_id}&result={result}#{kind}-{item_id}")

    async def _check(current, her: dict, checkpoint_id: str, fields: dict[str, str]) -> str:
        checks = {
            c["id"]: c for p in nodes(her.get("placements")) for c in p["retentionCheckpoints"]
        }
        if checkpoint_id not in checks:
            raise HTTPException(404)
        outcome = fields.get("outcome", "")
        if outcome not in {value for value, _ in OUTCOMES}:
            return "INVALID_CHOICE"
        variables = {
            "input": {
                "checkpointId": checkpoint_id,
                "outcome": outcome,
                "evidence": _text(fields, "evidence"),
            }
        }
        _, codes = await mutate(current, DOCUMENT, "Check", "confirmRetention", variables)
        return next(iter(codes.values()), "checked")

    async def _request(current, her: dict, request_id: str, fields: dict[str, str]) -> str:
        requests = nodes(her.get("enrollmentRequests"))
        asked = next((r for r in requests if r["id"] == request_id), None)
        if asked is None:
            raise HTTPException(404)
        if asked["status"] != "PENDING":
            return "ALREADY_DECIDED"
        if fields.get("action") == "decline":
            variables = {"input": {"requestId": request_id, "reason": _text(fields, "reason")}}
            _, codes = await mutate(
                current, DOCUMENT, "Decline", "declineEnrollmentRequest", variables
            )
            return next(iter(codes.values()), "declined")
        variables = {"input": {"cohortId": asked["cohort"]["id"], "participantId": her["id"]}}
        made, codes = await mutate(current, DOCUMENT, "Enrol", "enrollParticipant", variables)
        if codes:
            return next(iter(codes.values()))
        return "waitlist" if made["enrollment"]["status"] == "WAITLISTED" else "seat"

    @page(site)
    async def check(request: Request) -> Response:
        return await _answer(request, "work", "check", _check)

    @page(site)
    async def training_request(request: Request) -> Response:
        return await _answer(request, "training", "request", _request)

    base = "/staff/participants/{participant_id:int}"
    return [
        Route(base + "/checks/{item_id:int}", check, methods=["GET", "POST"]),
        Route(base + "/requests/{item_id:int}", training_request, methods=["GET", "POST"]),
    ]
