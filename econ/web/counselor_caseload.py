"""Her caseload page and her saved filters: save the page's choice under a name, apply one
(a link to the caseload with that choice), delete one.

The filters are hers alone in the API (econ/outcomes/saved_filters.py): the page reads
them with the caseload in one document and changes them through `saveCaseloadFilter` and
`deleteCaseloadFilter`, each a POST with CSRF, then back to the caseload (POST-redirect-GET).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.web import caseload_views as views
from econ.web.desk import Desk, in_words
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.pages import PageRequest

COUNSELOR = (Role.COUNSELOR,)
DOCUMENT = "counselor/saved_filters"


def routes(desk: Desk) -> list[Route]:
    async def _page(current: PageRequest, choice, errors=None, name: str = "") -> Response:
        try:
            data = await desk.query(current, "counselor/caseload", variables=choice.variables())
        except HTTPException:  # a cursor that is no cursor: the first page of the same choice
            return desk.site.redirect(current, choice.query())
        found = data.get("caseload") or {}
        info = found.get("pageInfo") or {}
        saved = [e["node"] for e in (data.get("savedCaseloadFilters") or {}).get("edges", [])]
        _ = gettext_for(current.language)
        done = current.request.query_params.get("done", "")
        return desk.show(
            current,
            "counselor/caseload.html",
            choice=choice,
            rows=[edge["node"] for edge in found.get("edges", [])],
            total=found.get("totalCount", 0),
            next_page=choice.query(after=info["endCursor"]) if info.get("hasNextPage") else None,
            saved=[(node, views.saved_choice(node)) for node in saved],
            notice=_(views.FILTER_NOTICES[done]) if done in views.FILTER_NOTICES else "",
            filter_errors=errors or {},
            filter_name=name,
        )

    @page(desk.site)
    async def caseload(request: Request) -> Response:
        current = await desk.site.begin(request, roles=COUNSELOR)
        return await _page(current, views.CaseloadChoice.from_query(request.query_params))

    @page(desk.site)
    async def save_filter(request: Request) -> Response:
        """Keep the choice the form carries under the name she typed."""
        current = await desk.site.begin(request, roles=COUNSELOR)
        if request.method == "GET":
            return desk.site.redirect(current, "/staff/caseload")
        fields = await desk.site.form(current)
        if fields is None:
            return desk.site.forbidden_form(current)
        choice = views.CaseloadChoice.from_query(fields)
        name = fields.get("name", "")
        variables = {"input": views.save_input(name, choice)}
        _, codes = await desk.mutate(current, DOCUMENT, "Save", "saveCaseloadFilter", variables)
        if not codes:
            return desk.site.redirect(current, choice.query(done="saved"))
        _ = gettext_for(current.language)
        shown = {("name" if field == "name" else ""): code for field, code in codes.items()}
        errors = in_words(shown, views.FILTER_MESSAGES, views.FILTER_FALLBACK, _)
        return await _page(current, choice, errors, name[: views.FILTER_NAME_MAX * 2])

    @page(desk.site)
    async def delete_filter(request: Request) -> Response:
        current = await desk.site.begin(request, roles=COUNSELOR)
        if request.method == "GET":
            return desk.site.redirect(current, "/staff/caseload")
        filter_id = request.path_params["filter_id"]
        if not id_in_range(filter_id):
            raise HTTPException(404)
        fields = await desk.site.form(current)
        if fields is None:
            return desk.site.forbidden_form(current)
        variables = {"input": {"id": str(filter_id)}}
        _, codes = await desk.mutate(current, DOCUMENT, "Delete", "deleteCaseloadFilter", variables)
        if codes:  # another user's filter, or one deleted meanwhile: the same answer
            raise HTTPException(404)
        return desk.site.redirect(current, "/staff/caseload?done=deleted")

    return [
        Route("/staff/caseload", caseload, methods=["GET"]),
        Route("/staff/caseload/filters", save_filter, methods=["GET", "POST"]),
        Route(
            "/staff/caseload/filters/{filter_id:int}/delete",
            delete_filter,
            methods=["GET", "POST"],
        ),
    ]
