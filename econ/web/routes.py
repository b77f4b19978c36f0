"""Every page route, the pages' static files, and the HTML error handlers (econ/app.py)."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from econ.config import Settings
from econ.schema.endpoint import GraphQLEndpoint
from econ.web import (
    admin,
    catalogue,
    counselor,
    employer,
    finance,
    indicators,
    participant,
    public,
    staff,
)
from econ.web.handlers import exception_handlers
from econ.web.pages import Site

STATIC = Path(__file__).parent / "static"


def build(endpoint: GraphQLEndpoint, settings: Settings) -> tuple[list[BaseRoute], dict]:
    """(routes, exception handlers) of the pages, on the API's own endpoint."""
    site = Site(endpoint, settings)
    routes: list[BaseRoute] = [
        *public.routes(site),
        *participant.routes(site),
        *counselor.routes(site),
        *finance.routes(site),
        *staff.routes(site),
        *employer.routes(site),
        *catalogue.routes(site),
        *admin.routes(site),
        *indicators.routes(site),
        Mount("/static/web", StaticFiles(directory=str(STATIC)), name="web-static"),
    ]
    return routes, exception_handlers(site)
