"""Training pages of the workspace: every cohort by start date, and a cohort's attendance
sheet (one session day for the whole class list of her caseload, in one form and one
batch mutation)."""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.web import counselor_views as views
from econ.web import page_api
from econ.web.desk import Desk
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.pages import PageRequest

COUNSELOR = (Role.COUNSELOR,)


def routes(desk: Desk) -> list[Route]:
    @page(desk.site)
    async def training(request: Request) -> Response:
        current = await desk.site.begin(request, roles=COUNSELOR)
        every = request.query_params.get("all") == "1"
        pages = views.page_cursors(request.query_params, ("after",))
        variables = {"endingFrom": None if every else dt.date.today().isoformat(), **pages}
        data = await desk.query(current, "counselor/training", variables=variables)
        found = data.get("cohorts") or {}
        return desk.show(
            current,
            "counselor/training.html",
            cohorts=nodes(found),
            found=found,
            pages=pages,
            every=every,
        )

    @page(desk.site)
    async def attendance(request: Request) -> Response:
        """One session day of a cohort: the whole class list of her caseload in one form."""
        current = await desk.site.begin(request, roles=COUNSELOR)
        cohort_id = request.path_params["cohort_id"]
        if not id_in_range(cohort_id):
            raise HTTPException(404)
        errors: dict = {}
        fields: dict[str, str] = {}
        asked = request.query_params.get("date")
        if request.method == "POST":
            posted = await desk.site.form(current, max_fields=views.SHEET_ROWS + 5)
            if posted is None:
                return desk.site.forbidden_form(current)
            fields, asked = posted, posted.get("date")
        cohort, days, day = await _sheet(current, cohort_id, asked)
        rows = views.sheet_rows(cohort)
        if request.method == "POST":
            errors = await _save_sheet(current, cohort_id, day, asked, rows, fields)
            if not errors:
                target = f"/staff/cohorts/{cohort_id}/attendance?date={day}&saved=1"
                return desk.site.redirect(current, target)
        _ = gettext_for(current.language)
        return desk.show(
            current,
            "counselor/attendance.html",
            cohort=cohort,
            days=days,
            day=day,
            rows=rows,
            posted=fields,
            errors=views.staff_messages(errors, _),
            saved=request.query_params.get("saved") == "1",
        )

    async def _sheet(current: PageRequest, cohort_id: int, asked: str | None):
        """(the cohort read for the chosen day, its session days so far, the chosen day)."""
        today = dt.date.today()
        cohort = await _cohort(current, cohort_id, views.iso_day(asked) or today)
        days = views.session_days(cohort, today)
        day = views.chosen_day(asked, days)
        if day is not None and day != (views.iso_day(asked) or today):
            cohort = await _cohort(current, cohort_id, day)  # read again for the day shown
        return cohort, days, day

    async def _cohort(current: PageRequest, cohort_id: int, day: dt.date) -> dict:
        variables = {"id": str(cohort_id), "date": day.isoformat()}
        path, rows = ("cohort", "enrollments"), views.SHEET_ROWS
        document = "counselor/attendance"
        data = await page_api.read_whole(
            desk.site, current, document, "Sheet", variables, path, rows
        )
        if data is None:
            raise HTTPException(404)
        return data["cohort"]

    async def _save_sheet(current, cohort_id, day, asked, rows, fields) -> dict:
        """Every row needs a choice; then one batch mutation for the whole list."""
        if day is None or asked != day.isoformat():
            return {"date": "NOT_A_SESSION_DAY"}
        entries = [
            {"enrollmentId": r["id"], "status": fields.get(f"status-{r['id']}", "")} for r in rows
        ]
        missing = {
            e["enrollmentId"]: "REQUIRED"
            for e in entries
            if e["status"] not in views.ATTENDANCE_VALUES
        }
        if missing or not entries:
            return missing or {"": "REQUIRED"}
        variables = {
            "input": {"cohortId": str(cohort_id), "date": day.isoformat(), "entries": entries}
        }
        _, codes = await desk.mutate(
            current, "counselor/attendance", "Record", "recordAttendance", variables
        )
        return views.entry_errors(codes, rows)

    return [
        Route("/staff/training", training, methods=["GET"]),
        Route("/staff/cohorts/{cohort_id:int}/attendance", attendance, methods=["GET", "POST"]),
    ]
