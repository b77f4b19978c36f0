"""Matching and referral: open opportunities, and for one her participants ranked with the
score's parts and each one's consent state.

Referring is gated by consent in the service (`referWithConsent` refuses without a current
PROFILE consent). Where it is missing the row says so and offers to record it with her
present (a box she ticks only when the participant is beside her and agrees); there is no
"refer anyway". Each form runs one mutation, then back to the ranking (POST-redirect-GET).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.web import match_views as mv
from econ.web.caseload_views import page_cursors
from econ.web.desk import Desk, in_words
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for

COUNSELOR = (Role.COUNSELOR,)
DOCUMENT = "counselor/match"


def routes(desk: Desk) -> list[Route]:
    site, query, mutate, show = desk.site, desk.query, desk.mutate, desk.show
    """The pages, on the counselor module's own query, mutation and render helpers."""

    @page(site)
    async def opportunities(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        pages = page_cursors(request.query_params, ("after",))
        data = await query(current, "counselor/opportunities", "Opportunities", pages)
        found = data.get("opportunities") or {}
        return show(
            current,
            "counselor/opportunities.html",
            opportunities=nodes(found),
            found=found,
            pages=pages,
            match=mv,
        )

    @page(site)
    async def match(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        opportunity_id = request.path_params["opportunity_id"]
        if not id_in_range(opportunity_id):
            raise HTTPException(404)
        found = await _ranking(current, opportunity_id)
        codes: dict[str, str] = {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            done, codes = await _act(current, found, fields)
            if not codes:
                target = f"/staff/opportunities/{opportunity_id}?done={done}"
                return site.redirect(current, target)
            found = await _ranking(current, opportunity_id)
            rows = {c["participant"]["id"] for c in found["candidates"]}
            codes = {(row if row in rows else ""): code for row, code in codes.items()}
        _ = gettext_for(current.language)
        done = request.query_params.get("done", "")
        return show(
            current,
            "counselor/match.html",
            opportunity=found["opportunity"],
            candidates=found["candidates"],
            match=mv,
            done=_(mv.DONE[done]) if done in mv.DONE else "",
            errors=in_words(codes, mv.MESSAGES, mv.FALLBACK, _),
        )

    async def _ranking(current, opportunity_id) -> dict:
        data = await query(current, DOCUMENT, "Match", {"id": str(opportunity_id)})
        found = data.get("opportunityCandidates")
        if found is None:  # not an opportunity she may see, or no such one: the same page
            raise HTTPException(404)
        return found

    async def _act(current, found: dict, fields: dict[str, str]) -> tuple[str, dict[str, str]]:
        """Record her consent, or refer her: ("consent" | "referred", {row or "": code})."""
        participant = fields.get("participant", "")[:20]
        opportunity = found["opportunity"]
        if fields.get("action") == "consent":
            if fields.get("present") != "yes":
                return "", {participant: "NOT_PRESENT"}
            variables = {
                "input": {
                    "participantId": participant,
                    "employerId": opportunity["employer"]["id"],
                    "scope": "PROFILE",
                    "participantPresent": True,
                }
            }
            _, codes = await mutate(current, DOCUMENT, "Consent", "giveConsent", variables)
            return "consent", _beside(participant, codes)
        variables = {"input": {"opportunityId": opportunity["id"], "participantId": participant}}
        _, codes = await mutate(current, DOCUMENT, "Refer", "referWithConsent", variables)
        return "referred", _beside(participant, codes)

    def _beside(participant: str, codes: dict[str, str]) -> dict[str, str]:
        return {participant: next(iter(codes.values()))} if codes else {}

    @page(site)
    async def proposed(request: Request) -> Response:
        """A proposed referral on her work tab: record her consent (she is here), then share."""
        current = await site.begin(request, roles=COUNSELOR)
        participant_id = request.path_params["participant_id"]
        if not id_in_range(participant_id):
            raise HTTPException(404)
        work = f"/staff/participants/{participant_id}/work"
        if request.method == "GET":
            return site.redirect(current, work)
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        data = await query(current, "counselor/record", "Work", {"id": str(participant_id)})
        her = data.get("participant")
        wanted = str(request.path_params["referral_id"])
        referral = next((r for r in nodes((her or {}).get("referrals")) if r["id"] == wanted), None)
        if referral is None or referral["status"] != "PROPOSED":
            raise HTTPException(404)
        if fields.get("action") == "consent":
            if fields.get("present") != "yes":
                return site.redirect(current, f"{work}?unticked={wanted}")
            variables = {
                "input": {
                    "participantId": her["id"],
                    "employerId": referral["opportunity"]["employer"]["id"],
                    "scope": "PROFILE",
                    "participantPresent": True,
                }
            }
            _, codes = await mutate(
                current, "counselor/referral", "Consent", "giveConsent", variables
            )
        else:
            variables = {"input": {"referralId": wanted, "status": "SHARED"}}
            _, codes = await mutate(
                current, "counselor/referral", "Share", "advanceReferral", variables
            )
        code = next(iter(codes.values()), "")
        return site.redirect(current, f"{work}?referral={wanted}&result={code or 'done'}")

    return [
        Route(
            "/staff/participants/{participant_id:int}/referrals/{referral_id:int}",
            proposed,
            methods=["GET", "POST"],
        ),
        Route("/staff/opportunities", opportunities, methods=["GET"]),
        Route("/staff/opportunities/{opportunity_id:int}", match, methods=["GET", "POST"]),
    ]
