"""Bringing her in: a new participant (search before create, then the form) and her
enrolment code (issued with her present, shown once, printable as a discreet slip)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.config import get_settings
from econ.security.roles import Role
from econ.web import counselor_views as views
from econ.web.desk import Desk
from econ.web.handlers import page
from econ.web.i18n import LANGUAGE_NAMES, Formats, gettext_for

COUNSELOR = (Role.COUNSELOR,)


def routes(desk: Desk) -> list[Route]:
    @page(desk.site)
    async def enrolment_code(request: Request) -> Response:
        """Issue (or reissue) her code with her present; the code is on this answer only."""
        current = await desk.site.begin(request, roles=COUNSELOR)
        her = await desk.her_record(current, "Head", document="counselor/enrolment_code")
        issued: dict = {}
        errors: dict[str, str] = {}
        if request.method == "POST":
            if await desk.site.form(current) is None:
                return desk.site.forbidden_form(current)
            issued, errors = await desk.mutate(
                current,
                "counselor/enrolment_code",
                "Issue",
                "issueEnrolmentCode",
                {"input": {"participantId": her["id"]}},
            )
        _ = gettext_for(current.language)
        if issued.get("request"):
            sign_in = issued["request"]
        else:
            found = await desk.query(
                current, "counselor/enrolment_code", "SignIn", {"id": her["id"]}
            )
            edges = (found.get("loginRequests") or {}).get("edges") or []
            sign_in = edges[0]["node"] if edges else None
        return desk.show(
            current,
            "counselor/enrolment_code.html",
            her=her,
            tab="code",
            sign_in=sign_in,
            code_hours=get_settings().enrolment_code_hours,
            issued=issued if not errors else {},
            errors=views.staff_messages(errors, _),
            # the slip is hers: in her language, whatever the counselor reads
            her_=gettext_for(her["preferredLanguage"]),
            her_fmt=Formats(her["preferredLanguage"]),
        )

    @page(desk.site)
    async def new_participant(request: Request) -> Response:
        """Search before create (her caseload, code and preferred name only), then the form."""
        current = await desk.site.begin(request, roles=COUNSELOR)
        errors: dict[str, str] = {}
        search = " ".join(request.query_params.get("search", "").split())[: views.SEARCH_MAX]
        values = {"preferredName": search} if search else {}
        if request.method == "POST":
            fields = await desk.site.form(current)
            if fields is None:
                return desk.site.forbidden_form(current)
            values = views.new_participant_input(fields, LANGUAGE_NAMES)
            search = values.get("preferredName", "") or "-"
            created, errors = await desk.mutate(
                current,
                "counselor/new_participant",
                "Create",
                "createParticipant",
                {"input": values},
            )
            if not errors and created.get("participant"):
                return desk.site.redirect(
                    current, f"/staff/participants/{created['participant']['id']}"
                )
        possible = []
        if search:
            data = await desk.query(
                current, "counselor/new_participant", "Possible", {"search": search}
            )
            edges = (data.get("caseload") or {}).get("edges", [])
            possible = [edge["node"]["participant"] for edge in edges]
        _ = gettext_for(current.language)
        return desk.show(
            current,
            "counselor/new_participant.html",
            search=search,
            possible=possible,
            values=values,
            errors=views.staff_messages(errors, _),
        )

    return [
        Route("/staff/participants/new", new_participant, methods=["GET", "POST"]),
        Route(
            "/staff/participants/{participant_id:int}/code", enrolment_code, methods=["GET", "POST"]
        ),
    ]
