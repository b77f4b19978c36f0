"""A cohort's class list: enrol one of her participants (a seat, or her place on the waiting
list, said in words), complete an enrolment with its credential.

Each form runs one mutation, then back to the class list (POST-redirect-GET); the answer
names the enrolment, and the list read again says where she stands (seat or place N).
"""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.statements.i18n import N_
from econ.web import page_api
from econ.web.desk import Desk, in_words
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for

COUNSELOR = (Role.COUNSELOR,)
DOCUMENT = "counselor/cohort"
TEXT_MAX = 200
MESSAGES = {
    "ALREADY_ENROLLED": N_("She is already in this cohort or on its waiting list."),
    "ALREADY_COMPLETED": N_("This enrolment is already completed."),
    "COHORT_CANCELLED": N_("This cohort was cancelled."),
    "COHORT_ENDED": N_("This cohort has ended."),
    "PROGRAM_INACTIVE": N_("This training is no longer offered."),
    "PARTICIPANT_NOT_ACTIVE": N_("Only a participant whose status is active can be enrolled."),
    "INVALID_TRANSITION": N_("Only a participant who is attending can complete."),
    "INVALID_DATE": N_("The date lies between the cohort's start and today."),
    "REQUIRED": N_("Please fill this in."),
    "TOO_LONG": N_("This is too long."),
    "NOT_FOUND": N_("Not found, or not in your caseload."),
}
FALLBACK = N_("This did not work. Check the form and try again.")
# The class list shows every enrolment she may see (a cohort holds up to 1,000 seats and
# its waiting list), read 100 a page.
CLASS_ROWS = 1000


def enrolled_where(cohort: dict, enrollment_id: str) -> tuple[str, int | None]:
    """("seat" | "waitlist" | "", her place in the queue) of an enrolment just made."""
    for entry in nodes(cohort.get("waitlist")):
        if entry["enrollment"]["id"] == enrollment_id:
            return "waitlist", entry["position"]
    rows = (cohort.get("enrollments") or {}).get("edges", [])
    if any(edge["node"]["id"] == enrollment_id for edge in rows):
        return "seat", None
    return "", None


def not_in_cohort(cohort: dict, caseload: list[dict]) -> list[dict]:
    """Her active participants who are neither seated nor waiting here, by name."""
    inside = {edge["node"]["participant"]["id"] for edge in cohort["enrollments"]["edges"]}
    inside |= {entry["enrollment"]["participant"]["id"] for entry in nodes(cohort["waitlist"])}
    people = [p for p in caseload if p["id"] not in inside]
    return sorted(people, key=lambda p: (p["preferredName"].casefold(), p["id"]))


def completion_input(fields: dict[str, str], enrollment_id: str) -> dict:
    """The completion form as the API's input; an empty credential name: no credential."""
    day = fields.get("completedOn", "").strip()[:10] or dt.date.today().isoformat()
    name = " ".join(fields.get("credentialName", "").split())[:TEXT_MAX]
    issuer = " ".join(fields.get("credentialIssuer", "").split())[:TEXT_MAX]
    values: dict = {"enrollmentId": enrollment_id, "completedOn": day}
    if name:
        values["credential"] = {"name": name, **({"issuer": issuer} if issuer else {})}
    return values


def routes(desk: Desk) -> list[Route]:
    site, mutate, show = desk.site, desk.mutate, desk.show

    @page(site)
    async def cohort(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        cohort_id = request.path_params["cohort_id"]
        if not id_in_range(cohort_id):
            raise HTTPException(404)
        found, caseload = await _class(current, cohort_id)
        codes: dict[str, str] = {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            target, codes = await _act(current, found, fields)
            if not codes:
                return site.redirect(current, f"/staff/cohorts/{cohort_id}?{target}")
        rows = [edge["node"] for edge in found["enrollments"]["edges"]]
        shown = {row["id"] for row in rows} | {"enrol"}
        codes = {(key if key in shown else ""): code for key, code in codes.items()}
        _ = gettext_for(current.language)
        where, position = enrolled_where(found, request.query_params.get("enrolled", "")[:20])
        return show(
            current,
            "counselor/cohort.html",
            cohort=found,
            rows=rows,
            to_enrol=not_in_cohort(found, caseload),
            where=where,
            position=position,
            completed=request.query_params.get("completed") == "1",
            today=dt.date.today().isoformat(),
            errors=in_words(codes, MESSAGES, FALLBACK, _),
        )

    async def _class(current, cohort_id) -> tuple[dict, list[dict]]:
        variables, path = {"id": str(cohort_id)}, ("cohort", "enrollments")
        data = await page_api.read_whole(
            desk.site, current, DOCUMENT, "Class", variables, path, CLASS_ROWS
        )
        if data is None:
            raise HTTPException(404)
        caseload = [edge["node"]["participant"] for edge in data["caseload"]["edges"]]
        return data["cohort"], caseload

    async def _act(current, found: dict, fields: dict[str, str]) -> tuple[str, dict[str, str]]:
        """(the address's query after it worked, {form or "": code})."""
        if fields.get("action") == "complete":
            enrollment_id = fields.get("enrollment", "")[:20]
            variables = {"input": completion_input(fields, enrollment_id)}
            _, codes = await mutate(current, DOCUMENT, "Complete", "completeEnrollment", variables)
            return "completed=1", {enrollment_id: next(iter(codes.values()))} if codes else {}
        variables = {
            "input": {"cohortId": found["id"], "participantId": fields.get("participant", "")[:20]}
        }
        made, codes = await mutate(current, DOCUMENT, "Enrol", "enrollParticipant", variables)
        if codes:
            return "", {"enrol": next(iter(codes.values()))}
        return f"enrolled={made['enrollment']['id']}", {}

    return [Route("/staff/cohorts/{cohort_id:int}", cohort, methods=["GET", "POST"])]
