"""The counselor's workspace under /staff: Today and a participant's record (its tabs, the
reveal) here, with the helpers every page module of the workspace shares (`Desk`); the
other pages are in the counselor_* modules whose routes this one gathers.

Each page renders one named document (templates/counselor/<page>.graphql) run with her
session's token, so the API's rules decide what she sees: another counselor's participant,
a made-up id and a deleted record all read as the same "not found" page. Restricted fields
are read only when she asks for them (POST .../reveal), and the API audits that read.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.web import (
    counselor_caseload,
    counselor_cohort,
    counselor_details,
    counselor_documents,
    counselor_followups,
    counselor_income,
    counselor_match,
    counselor_plan,
    counselor_register,
    counselor_training,
    match_views,
    page_api,
)
from econ.web import counselor_views as views
from econ.web import plan_editor as editor
from econ.web.desk import Desk
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.pages import PageRequest, Site

COUNSELOR = (Role.COUNSELOR,)


def routes(site: Site) -> list[Route]:
    async def query(
        current: PageRequest,
        document: str,
        operation: str | None = None,
        variables: dict | None = None,
    ) -> dict:
        return await page_api.read(site, current, document, operation, variables)

    def show(current: PageRequest, template: str, **context) -> Response:
        return site.render(current, template, views=views, editor=editor, **context)

    @page(site)
    async def today(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        pages = views.page_cursors(request.query_params, ("after",))
        data = await query(current, "counselor/today", variables=pages)
        today = data.get("counselorToday") or {}
        items = nodes(today)
        return show(
            current,
            "counselor/today.html",
            items=items,
            groups=views.today_groups(items),
            kind_counts={c["kind"]: c["count"] for c in today.get("kindCounts") or ()},
            today=today,
            total=today.get("totalCount", len(items)),
            pages=pages,
        )

    async def her_record(
        current: PageRequest, operation: str, document: str = "counselor/record", **variables
    ) -> dict:
        participant_id = current.request.path_params["participant_id"]
        if not id_in_range(participant_id):
            raise HTTPException(404)
        data = await query(current, document, operation, {"id": str(participant_id), **variables})
        her = data.get("participant")
        if her is None:  # not in her caseload, or no such participant: the same page
            raise HTTPException(404)
        return her

    @page(site)
    async def record(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        tab = request.path_params.get("tab", "overview")
        if tab not in views.TAB_OPERATIONS:
            raise HTTPException(404)
        pages = views.page_cursors(request.query_params, views.TAB_PAGES.get(tab, ()))
        her = await her_record(current, views.TAB_OPERATIONS[tab], **pages)
        saved = request.query_params.get("saved") == "1"
        corrected = request.query_params.get("corrected") == "1"
        _ = gettext_for(current.language)
        notice = match_views.work_notice(request.query_params, _)
        return show(
            current,
            f"counselor/record_{tab}.html",
            her=her,
            tab=tab,
            pages=pages,
            revealed=None,
            saved=saved,
            corrected=corrected,
            notice=notice,
            answered=counselor_followups.answered(request.query_params, _),
            followups=counselor_followups,
            match=match_views,
        )

    @page(site)
    async def reveal(request: Request) -> Response:
        """Her restricted fields, shown once on this answer (never kept, never in a link)."""
        current = await site.begin(request, roles=COUNSELOR)
        if request.method == "GET":  # e.g. the language links of the revealed page
            return site.redirect(current, request.url.path.removesuffix("/reveal"))
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        revealed = await her_record(current, "Reveal")
        her = await her_record(current, "Overview")
        response = show(
            current, "counselor/record_overview.html", her=her, tab="overview", revealed=revealed
        )
        return response

    async def mutate(
        current: PageRequest, document: str, operation: str, name: str, variables: dict
    ) -> tuple[dict, dict[str, str]]:
        """(the payload, {field: code} of what went wrong; empty: done)."""
        return await page_api.write(site, current, document, operation, name, variables)

    desk = Desk(site, query, mutate, show, her_record)
    return [
        *counselor_match.routes(desk),
        *counselor_cohort.routes(desk),
        *counselor_details.routes(desk),
        *counselor_documents.routes(desk),
        *counselor_followups.routes(desk),
        *counselor_register.routes(desk),
        *counselor_training.routes(desk),
        *counselor_income.routes(desk),
        *counselor_plan.routes(desk),
        *counselor_caseload.routes(desk),
        Route("/staff/today", today, methods=["GET"]),
        Route("/staff/participants/{participant_id:int}", record, methods=["GET"]),
        Route("/staff/participants/{participant_id:int}/reveal", reveal, methods=["GET", "POST"]),
        # last: any other word after her id is a tab (an unknown one is "not found")
        Route("/staff/participants/{participant_id:int}/{tab:str}", record, methods=["GET"]),
    ]
