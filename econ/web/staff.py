"""Staff and employer sign-in lands here until their own pages come (later issues)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.security.roles import Role
from econ.web.handlers import page
from econ.web.pages import Site

STAFF = (Role.ADMIN, Role.COUNSELOR, Role.FINANCE, Role.EMPLOYER)


def routes(site: Site) -> list[Route]:
    @page(site)
    async def home(request: Request) -> Response:
        current = await site.begin(request, roles=STAFF)
        if current.actor.role == Role.COUNSELOR:  # her workspace starts with what waits today
            return site.redirect(current, "/staff/today")
        if current.actor.role == Role.FINANCE:  # the month's payment runs
            return site.redirect(current, "/staff/runs")
        if current.actor.role == Role.EMPLOYER:  # the partner's portal starts with her openings
            return site.redirect(current, "/employer/openings")
        if current.actor.role == Role.ADMIN:  # hers starts with the requests waiting for her
            return site.redirect(current, "/staff/people")
        return site.render(current, "staff/home.html")

    return [Route("/staff", home, methods=["GET"])]
