"""Her statements from her record's documents tab: a download is the statements service's
(its rule and audit, as on her own page), and only of a statement her record lists, so an
id from another record, another caseload or nowhere is the same "not found"."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.security.roles import Role
from econ.web import pdfs
from econ.web.desk import Desk
from econ.web.environment import nodes
from econ.web.handlers import page

COUNSELOR = (Role.COUNSELOR,)


def routes(desk: Desk) -> list[Route]:
    site = desk.site

    @page(site)
    async def statement_pdf(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        her = await desk.her_record(current, "Documents")
        wanted = str(request.path_params["statement_id"])
        if all(s["id"] != wanted for s in nodes(her.get("statements"))):
            raise HTTPException(404)
        return await pdfs.statement(
            current, request.path_params["statement_id"], request.query_params.get("version")
        )

    path = "/staff/participants/{participant_id:int}/documents/{statement_id:int}.pdf"
    return [Route(path, statement_pdf, methods=["GET"])]
