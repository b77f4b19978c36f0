"""The indicators page (/staff/indicators): the program's outcome indicators for a period,
per program or cohort, each with its definition, numerator and denominator, a chart drawn
by the server as SVG, and for ADMIN the PDF report one click away.

ADMIN sees the whole program, unsuppressed aggregates (docs/indicators.md: no individual
row); a counselor the same page over her own caseload, small cells suppressed. Both read
the API's `outcomes` with their own session, so the page shows exactly the API's figures;
the PDF comes from the report service with the same rule and audit as /outcomes/report.pdf.
"""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import parse_date
from econ.db import db
from econ.errors import DomainError
from econ.outcomes.report import outcomes_report_pdf
from econ.security.roles import Role
from econ.web import indicators_views as views
from econ.web.charts import bar_chart
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.pages import PageRequest, Site

READERS = (Role.ADMIN, Role.COUNSELOR)
GROUPS = {key for key, _ in views.GROUPS}


def _period(request: Request) -> tuple[dt.date, dt.date, str, bool]:
    """(from, to, grouping, whether what was asked for was refused and replaced)."""
    start, end = views.default_range(dt.date.today())
    q = request.query_params
    group = q.get("group", "OVERALL")
    refused = group not in GROUPS
    group = "OVERALL" if refused else group
    if q.get("from") or q.get("to"):
        try:
            asked = parse_date(q.get("from"), "from"), parse_date(q.get("to"), "to")
        except DomainError:
            return start, end, group, True
        if asked[1] < asked[0]:
            return start, end, group, True
        start, end = asked
    return start, end, group, refused


def routes(site: Site) -> list[Route]:
    @page(site)
    async def indicators(request: Request) -> Response:
        current = await site.begin(request, roles=READERS)
        start, end, group, refused = _period(request)
        variables = {"from": start.isoformat(), "to": end.isoformat(), "groupBy": group}
        result = await site.documents.run(
            "indicators/indicators", variables, token=current.token, client=current.client
        )
        rows = nodes((result.data.get("outcomes") or {}).get("rows"))
        _ = gettext_for(current.language)
        hidden = _("not shown: a small group")
        charts = [
            bar_chart(
                _("Rates, %(group)s") % {"group": row["key"]},
                views.bars(row, _, hidden),
                f"chart-{index}",
            )
            for index, row in enumerate(rows)
        ]
        admin = current.actor.role == Role.ADMIN
        return site.render(
            current,
            "indicators/indicators.html",
            layout="admin/layout.html" if admin else "counselor/layout.html",
            views=views,
            rows=rows,
            charts=charts,
            hidden=hidden,
            start=start,
            end=end,
            group=group,
            refused=refused,
            failed=bool(result.errors),
            admin=admin,
        )

    @page(site)
    async def report(request: Request) -> Response:
        current = await site.begin(request, roles=(Role.ADMIN,))
        start, end, _group, refused = _period(request)
        if refused:
            raise HTTPException(404)
        pdf = await run_in_threadpool(_report, current, start, end)
        if pdf is None:
            raise HTTPException(404)
        name = f"indicators-{start.isoformat()}-{end.isoformat()}.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return [
        Route("/staff/indicators", indicators, methods=["GET"]),
        Route("/staff/indicators/report.pdf", report, methods=["GET"]),
    ]


def _report(current: PageRequest, start: dt.date, end: dt.date) -> bytes | None:
    """The report PDF through the outcomes service (same rule and audit as the API's)."""
    with db.connection_context():
        try:
            return outcomes_report_pdf(current.actor, start, end)
        except DomainError:
            return None
