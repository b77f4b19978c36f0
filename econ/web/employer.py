"""The partner employer's portal under /employer: openings, candidates, hires, company.

Each page renders one named document (templates/employer/<page>.graphql) run with her
session's token, so the API's rules decide what she sees: her company's openings only,
candidates without identity unless the woman gave IDENTITY consent, another company's
opening and a made-up id the same "not found" page.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.web import employer_views as views
from econ.web import page_api
from econ.web.caseload_views import page_cursors
from econ.web.counselor_views import beside_fields
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.pages import PageRequest, Site

EMPLOYER = (Role.EMPLOYER,)
DOC = "employer/opening"


def form_fields(vocabulary: list) -> int:
    """Fields the opening form may send: a checkbox per skill of the vocabulary, twice."""
    return 20 + 2 * len(vocabulary) + len(views.LANGUAGE_CODES)


def first_message(current: PageRequest, codes: dict[str, str]) -> str:
    """A one-button form's error: the first code, in her words."""
    return views.messages(dict(list(codes.items())[:1]), gettext_for(current.language)).popitem()[1]


def routes(site: Site) -> list[Route]:
    async def query(
        current: PageRequest, document: str, operation: str | None = None, **variables
    ) -> dict:
        return await page_api.read(site, current, document, operation, variables)

    async def mutate(
        current: PageRequest, operation: str, name: str, variables: dict, document: str = DOC
    ) -> tuple[dict, dict[str, str]]:
        """(the payload, {field: code} of what went wrong; empty: done)."""
        return await page_api.write(site, current, document, operation, name, variables)

    def show(current: PageRequest, template: str, **context) -> Response:
        return site.render(current, template, views=views, **context)

    def pages(current: PageRequest) -> dict:
        return page_cursors(current.request.query_params, ("after",))

    def path_id(request: Request, name: str) -> str:
        value = request.path_params[name]
        if not id_in_range(value):
            raise HTTPException(404)
        return str(value)

    async def opening_of(current: PageRequest, operation: str = "Opening") -> dict:
        oid = path_id(current.request, "opening_id")
        data = await query(current, DOC, operation, id=oid, **pages(current))
        if data.get("opportunity") is None:  # another company's, or none: the same page
            raise HTTPException(404)
        return data

    @page(site)
    async def home(request: Request) -> Response:
        current = await site.begin(request, roles=EMPLOYER)
        return site.redirect(current, "/employer/openings")

    @page(site)
    async def openings(request: Request) -> Response:
        current = await site.begin(request, roles=EMPLOYER)
        data = await query(current, "employer/openings", **pages(current))
        found = data.get("opportunities") or {}
        return show(
            current, "employer/openings.html", rows=nodes(found), found=found, pages=pages(current)
        )

    async def opening_form(
        current: PageRequest, data: dict, values: dict, errors: dict, opening: dict | None
    ) -> Response:
        return show(
            current,
            "employer/opening_form.html",
            vocabulary=nodes(data.get("skillVocabulary")),
            minimum=data.get("minimumWage"),
            values=values,
            errors=errors,
            opening=opening,
        )

    def form_errors(current: PageRequest, codes: dict[str, str]) -> dict[str, str]:
        shown = (*views.OPENING_FIELDS, "payAmount")
        return views.messages(beside_fields(codes, shown), gettext_for(current.language))

    @page(site)
    async def new_opening(request: Request) -> Response:
        current = await site.begin(request, roles=EMPLOYER)
        data = await query(current, DOC, "Form")
        if request.method == "GET":
            return await opening_form(current, data, {"openings": "1"}, {}, None)
        vocabulary = nodes(data.get("skillVocabulary"))
        fields = await site.form(current, max_fields=form_fields(vocabulary))
        if fields is None:
            return site.forbidden_form(current)
        values = views.opening_input(fields, vocabulary)
        payload, codes = await mutate(current, "Create", "createOpportunity", {"input": values})
        if not codes:
            return site.redirect(current, f"/employer/openings/{payload['opportunity']['id']}")
        return await opening_form(current, data, fields, form_errors(current, codes), None)

    @page(site)
    async def edit_opening(request: Request) -> Response:
        current = await site.begin(request, roles=EMPLOYER)
        data = await opening_of(current, "Edit")
        opening = data["opportunity"]
        if request.method == "GET":
            return await opening_form(current, data, views.form_of(opening), {}, opening)
        vocabulary = nodes(data.get("skillVocabulary"))
        fields = await site.form(current, max_fields=form_fields(vocabulary))
        if fields is None:
            return site.forbidden_form(current)
        values = views.opening_input(fields, vocabulary)
        if not values["closesOn"]:
            values.pop("closesOn")  # left empty: unchanged (the API cannot clear it)
        variables = {"input": {"opportunityId": opening["id"], **values}}
        _, codes = await mutate(current, "Update", "updateOpportunity", variables)
        if not codes:
            return site.redirect(current, f"/employer/openings/{opening['id']}?saved=1")
        return await opening_form(current, data, fields, form_errors(current, codes), opening)

    async def show_opening(current: PageRequest, errors: dict) -> Response:
        data = await opening_of(current)
        opening = data["opportunity"]
        return site.render(
            current,
            "employer/opening.html",
            views=views,
            opening=opening,
            pages=pages(current),
            labels=views.skill_labels(nodes(data.get("skillVocabulary")), current.language),
            errors=errors,
            saved=current.request.query_params.get("saved") == "1",
        )

    @page(site)
    async def opening(request: Request) -> Response:
        current = await site.begin(request, roles=EMPLOYER)
        return await show_opening(current, {})

    @page(site)
    async def opening_status(request: Request) -> Response:
        """Publish a draft or close an opening (one button each), then back to it."""
        current = await site.begin(request, roles=EMPLOYER)
        oid = path_id(request, "opening_id")
        if request.method == "GET":
            return site.redirect(current, f"/employer/openings/{oid}")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        operation, name = (
            ("Publish", "publishOpportunity")
            if fields.get("action") == "publish"
            else ("Close", "closeOpportunity")
        )
        _, codes = await mutate(current, operation, name, {"input": {"opportunityId": oid}})
        if not codes:
            return site.redirect(current, f"/employer/openings/{oid}?saved=1")
        return await show_opening(current, {"": first_message(current, codes)})

    @page(site)
    async def feedback(request: Request) -> Response:
        """Feedback on one candidate: interview yes / no, an offer, the hire, or not a fit."""
        current = await site.begin(request, roles=EMPLOYER)
        oid = path_id(request, "opening_id")
        rid = path_id(request, "referral_id")
        if request.method == "GET":
            return site.redirect(current, f"/employer/openings/{oid}")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        variables = {"input": views.move_input(rid, fields)}
        _, codes = await mutate(current, "Advance", "advanceReferral", variables)
        if not codes:
            return site.redirect(current, f"/employer/openings/{oid}?saved=1#referral-{rid}")
        return await show_opening(current, {rid: first_message(current, codes)})

    async def show_hires(current: PageRequest, errors: dict) -> Response:
        data = await query(current, "employer/hires", "Hires", **pages(current))
        found = data.get("placements") or {}
        return show(
            current,
            "employer/hires.html",
            rows=nodes(found),
            found=found,
            pages=pages(current),
            due=views.due_checks(nodes(data.get("due"))),
            errors=errors,
            saved=current.request.query_params.get("saved") == "1",
        )

    @page(site)
    async def hires(request: Request) -> Response:
        current = await site.begin(request, roles=EMPLOYER)
        return await show_hires(current, {})

    @page(site)
    async def confirm(request: Request) -> Response:
        """She is still employed here: confirm one due check (the API refuses an early one)."""
        current = await site.begin(request, roles=EMPLOYER)
        if request.method == "GET":
            return site.redirect(current, "/employer/hires")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        cid = path_id(request, "checkpoint_id")
        variables = {
            "input": {
                "checkpointId": cid,
                "outcome": "CONFIRMED_EMPLOYED",
                "evidence": fields.get("evidence", "")[:500],
            }
        }
        _, codes = await mutate(
            current, "Confirm", "confirmRetention", variables, document="employer/hires"
        )
        if not codes:
            return site.redirect(current, "/employer/hires?saved=1")
        # On top: a check that is not due yet has no card of its own in the list.
        return await show_hires(current, {"": first_message(current, codes)})

    @page(site)
    async def company(request: Request) -> Response:
        current = await site.begin(request, roles=EMPLOYER)
        data = await query(current, "employer/company")
        edges = (data.get("employers") or {}).get("edges", [])
        return show(current, "employer/company.html", company=edges[0]["node"] if edges else None)

    opening_path = "/employer/openings/{opening_id:int}"
    return [
        Route("/employer", home, methods=["GET"]),
        Route("/employer/openings", openings, methods=["GET"]),
        Route("/employer/openings/new", new_opening, methods=["GET", "POST"]),
        Route(opening_path, opening, methods=["GET"]),
        Route(opening_path + "/edit", edit_opening, methods=["GET", "POST"]),
        Route(opening_path + "/status", opening_status, methods=["GET", "POST"]),
        Route(opening_path + "/referrals/{referral_id:int}", feedback, methods=["GET", "POST"]),
        Route("/employer/hires", hires, methods=["GET"]),
        Route("/employer/checks/{checkpoint_id:int}", confirm, methods=["GET", "POST"]),
        Route("/employer/company", company, methods=["GET"]),
    ]
