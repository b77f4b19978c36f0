"""The counselor's workspace under /staff: today, her caseload, a participant's record.

Each page renders one named document (templates/counselor/<page>.graphql) run with her
session's token, so the API's rules decide what she sees: another counselor's participant,
a made-up id and a deleted record all read as the same "not found" page. Restricted fields
are read only when she asks for them (POST .../reveal), and the API audits that read.
"""

from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.config import get_settings
from econ.security.roles import Role
from econ.web import (
    counselor_cohort,
    counselor_details,
    counselor_documents,
    counselor_followups,
    counselor_match,
    match_views,
)
from econ.web import counselor_views as views
from econ.web import plan_editor as editor
from econ.web.desk import Desk
from econ.web.handlers import page
from econ.web.i18n import LANGUAGE_NAMES, Formats, gettext_for
from econ.web.pages import PageRequest, SignInRequired, Site

COUNSELOR = (Role.COUNSELOR,)


def routes(site: Site) -> list[Route]:
    async def query(
        current: PageRequest,
        document: str,
        operation: str | None = None,
        variables: dict | None = None,
    ) -> dict:
        result = await site.documents.run(
            document, variables, token=current.token, client=current.client, operation=operation
        )
        if result.status == 401 or _code(result) == "UNAUTHENTICATED":
            raise SignInRequired(current.request.url.path, expired=True)
        if _code(result) == "BAD_REQUEST":  # an edited address (a made-up page cursor)
            raise HTTPException(404)
        if result.errors and not result.data:
            raise RuntimeError(f"{document} {operation}: {result.errors[:1]}")
        return result.data

    def show(current: PageRequest, template: str, **context) -> Response:
        return site.render(current, template, views=views, editor=editor, **context)

    @page(site)
    async def today(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        data = await query(current, "counselor/today")
        items = data.get("counselorToday") or []
        return show(current, "counselor/today.html", items=items, groups=views.today_groups(items))

    @page(site)
    async def caseload(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        choice = views.CaseloadChoice.from_query(request.query_params)
        try:
            data = await query(current, "counselor/caseload", variables=choice.variables())
        except HTTPException:  # a cursor that is no cursor: the first page of the same choice
            return site.redirect(current, choice.query())
        found = data.get("caseload") or {}
        rows = [edge["node"] for edge in found.get("edges", [])]
        info = found.get("pageInfo") or {}
        return show(
            current,
            "counselor/caseload.html",
            choice=choice,
            rows=rows,
            total=found.get("totalCount", 0),
            next_page=choice.query(after=info["endCursor"]) if info.get("hasNextPage") else None,
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
        variables = {}
        if tab == "access":
            variables["after"] = views.cursor(request.query_params.get("after")) or None
        her = await her_record(current, views.TAB_OPERATIONS[tab], **variables)
        saved = request.query_params.get("saved") == "1"
        corrected = request.query_params.get("corrected") == "1"
        _ = gettext_for(current.language)
        notice = match_views.work_notice(request.query_params, _)
        return show(
            current,
            f"counselor/record_{tab}.html",
            her=her,
            tab=tab,
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
        result = await site.documents.run(
            document, variables, token=current.token, client=current.client, operation=operation
        )
        if result.errors and not result.data.get(name):
            return {}, {"": _code(result) or "INVALID"}
        return result.payload(name), result.field_errors(name)

    @page(site)
    async def income(request: Request) -> Response:
        """Record a month of her income, or verify a record; then back to the money tab."""
        current = await site.begin(request, roles=COUNSELOR)
        if request.method == "GET":  # the language links of a page with an error
            return site.redirect(current, request.url.path.removesuffix("/income") + "/money")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        her = await her_record(current, "Money")
        if fields.get("verify"):
            # The version she read: verifying a record changed since is refused (STALE_VERSION).
            version = fields.get("version", "")
            variables = {
                "input": {
                    "incomeRecordId": fields["verify"][:20],
                    "version": int(version) if version.isdigit() and len(version) < 10 else 0,
                }
            }
            _, codes = await mutate(
                current, "counselor/income", "VerifyIncome", "verifyIncome", variables
            )
        else:
            values = views.income_input(fields)
            variables = {"input": {"participantId": her["id"], **values}}
            _, codes = await mutate(
                current, "counselor/income", "RecordIncome", "recordIncome", variables
            )
        if not codes:
            return site.redirect(current, f"/staff/participants/{her['id']}/money?saved=1")
        her = await her_record(current, "Money")
        _ = gettext_for(current.language)
        return show(
            current,
            "counselor/record_money.html",
            her=her,
            tab="money",
            revealed=None,
            income_errors=views.staff_messages(views.beside_fields(codes, ("month", "amount")), _),
            income_values=fields,
        )

    @page(site)
    async def plan_editor(request: Request) -> Response:
        """Change her plan: the form, then the change shown against the current revision,
        then the new revision (only what changed is sent: patch semantics)."""
        current = await site.begin(request, roles=COUNSELOR)
        her = await her_record(current, "Plan")
        plan = her.get("plan") or {}
        revision = plan.get("revision") or 0
        if request.method == "GET":
            return _editor(current, her, editor.form_fields(plan), {})
        posted = await site.form(current, max_fields=editor.MAX_FIELDS)
        if posted is None:
            return site.forbidden_form(current)
        change = editor.read_change(posted, plan)
        if change.empty:
            return _editor(current, her, posted, {"": "NOTHING_CHANGED"})
        if posted.get("action") == "edit":  # back from the preview, her edits kept
            return _editor(current, her, posted, {})
        if posted.get("action") != "save":
            return _editor(current, her, posted, {}, change=change)
        if posted.get("base") != str(revision):  # written meanwhile: show her the new one
            return _editor(current, her, editor.form_fields(plan), {"": "REVISION_CHANGED"})
        variables = {
            "input": {"participantId": her["id"], "baseRevision": revision, **change.input}
        }
        _, codes = await mutate(current, "counselor/plan", "Change", "changePlan", variables)
        if not codes:
            return site.redirect(current, f"/staff/participants/{her['id']}/plan?saved=1")
        return _editor(current, her, posted, editor.beside(codes, change))

    def _editor(current, her, values, codes, change=None) -> Response:
        _ = gettext_for(current.language)
        return show(
            current,
            "counselor/plan_editor.html",
            her=her,
            tab="plan",
            values=values,
            change=change,
            kept=editor.kept_fields(values) if change else {},
            errors=views.staff_messages(codes, _),
        )

    @page(site)
    async def correct_income(request: Request) -> Response:
        """Correct a verified record: the new amount and why; it counts once a second person
        verifies it (then the next payment run pays the difference)."""
        current = await site.begin(request, roles=COUNSELOR)
        her = await her_record(current, "Money")
        record = views.income_record(her, request.path_params["record_id"])
        if record is None or not record["verified"]:
            raise HTTPException(404)
        codes: dict[str, str] = {}
        fields: dict[str, str] = {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            variables = {
                "input": {"incomeRecordId": record["id"], **views.correction_input(fields)}
            }
            _, codes = await mutate(
                current, "counselor/income", "CorrectIncome", "correctIncome", variables
            )
            if not codes:
                target = f"/staff/participants/{her['id']}/money?corrected=1"
                return site.redirect(current, target)
        _ = gettext_for(current.language)
        return show(
            current,
            "counselor/income_correction.html",
            her=her,
            tab="money",
            record=record,
            values=fields,
            errors=views.staff_messages(views.beside_fields(codes, ("amount", "reason")), _),
        )

    @page(site)
    async def training(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        every = request.query_params.get("all") == "1"
        variables = {"endingFrom": None if every else dt.date.today().isoformat()}
        data = await query(current, "counselor/training", variables=variables)
        cohorts = [e["node"] for e in (data.get("cohorts") or {}).get("edges", [])]
        return show(current, "counselor/training.html", cohorts=cohorts, every=every)

    @page(site)
    async def attendance(request: Request) -> Response:
        """One session day of a cohort: the whole class list of her caseload in one form."""
        current = await site.begin(request, roles=COUNSELOR)
        cohort_id = request.path_params["cohort_id"]
        if not id_in_range(cohort_id):
            raise HTTPException(404)
        errors: dict = {}
        fields: dict[str, str] = {}
        asked = request.query_params.get("date")
        if request.method == "POST":
            posted = await site.form(current, max_fields=views.SHEET_ROWS + 5)
            if posted is None:
                return site.forbidden_form(current)
            fields, asked = posted, posted.get("date")
        cohort, days, day = await _sheet(current, cohort_id, asked)
        rows = views.sheet_rows(cohort)
        if request.method == "POST":
            errors = await _save_sheet(current, cohort_id, day, asked, rows, fields)
            if not errors:
                target = f"/staff/cohorts/{cohort_id}/attendance?date={day}&saved=1"
                return site.redirect(current, target)
        _ = gettext_for(current.language)
        return show(
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
        cohort = (await query(current, "counselor/attendance", "Sheet", variables)).get("cohort")
        if cohort is None:
            raise HTTPException(404)
        return cohort

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
        _, codes = await mutate(
            current, "counselor/attendance", "Record", "recordAttendance", variables
        )
        return views.entry_errors(codes, rows)

    @page(site)
    async def enrolment_code(request: Request) -> Response:
        """Issue (or reissue) her code with her present; the code is on this answer only."""
        current = await site.begin(request, roles=COUNSELOR)
        her = await her_record(current, "Head", document="counselor/enrolment_code")
        issued: dict = {}
        errors: dict[str, str] = {}
        if request.method == "POST":
            if await site.form(current) is None:
                return site.forbidden_form(current)
            issued, errors = await mutate(
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
            found = await query(current, "counselor/enrolment_code", "SignIn", {"id": her["id"]})
            edges = (found.get("loginRequests") or {}).get("edges") or []
            sign_in = edges[0]["node"] if edges else None
        return show(
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

    @page(site)
    async def new_participant(request: Request) -> Response:
        """Search before create (her caseload, code and preferred name only), then the form."""
        current = await site.begin(request, roles=COUNSELOR)
        errors: dict[str, str] = {}
        search = " ".join(request.query_params.get("search", "").split())[: views.SEARCH_MAX]
        values = {"preferredName": search} if search else {}
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            values = views.new_participant_input(fields, LANGUAGE_NAMES)
            search = values.get("preferredName", "") or "-"
            created, errors = await mutate(
                current,
                "counselor/new_participant",
                "Create",
                "createParticipant",
                {"input": values},
            )
            if not errors and created.get("participant"):
                return site.redirect(current, f"/staff/participants/{created['participant']['id']}")
        possible = []
        if search:
            data = await query(current, "counselor/new_participant", "Possible", {"search": search})
            edges = (data.get("caseload") or {}).get("edges", [])
            possible = [edge["node"]["participant"] for edge in edges]
        _ = gettext_for(current.language)
        return show(
            current,
            "counselor/new_participant.html",
            search=search,
            possible=possible,
            values=values,
            errors=views.staff_messages(errors, _),
        )

    desk = Desk(site, query, mutate, show, her_record)
    return [
        *counselor_match.routes(desk),
        *counselor_cohort.routes(desk),
        *counselor_details.routes(desk),
        *counselor_documents.routes(desk),
        *counselor_followups.routes(desk),
        Route("/staff/today", today, methods=["GET"]),
        Route("/staff/participants/new", new_participant, methods=["GET", "POST"]),
        Route("/staff/training", training, methods=["GET"]),
        Route("/staff/cohorts/{cohort_id:int}/attendance", attendance, methods=["GET", "POST"]),
        Route(
            "/staff/participants/{participant_id:int}/code", enrolment_code, methods=["GET", "POST"]
        ),
        Route("/staff/caseload", caseload, methods=["GET"]),
        Route("/staff/participants/{participant_id:int}", record, methods=["GET"]),
        Route("/staff/participants/{participant_id:int}/income", income, methods=["GET", "POST"]),
        Route(
            "/staff/participants/{participant_id:int}/income/{record_id:int}/correct",
            correct_income,
            methods=["GET", "POST"],
        ),
        Route("/staff/participants/{participant_id:int}/reveal", reveal, methods=["GET", "POST"]),
        Route(
            "/staff/participants/{participant_id:int}/plan/edit",
            plan_editor,
            methods=["GET", "POST"],
        ),
        Route("/staff/participants/{participant_id:int}/{tab:str}", record, methods=["GET"]),
    ]


def _code(result) -> str:
    return ((result.errors or [{}])[0].get("extensions") or {}).get("code", "")
