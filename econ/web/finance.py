"""The finance workspace under /staff/runs: payment runs, a run's detail with its approval,
files and the bank's answer. The approvals inbox and her payment details are in
finance_inbox.py, the loan book in loan_book.py; `routes` here gathers them.

Each page renders one named document (templates/finance/<page>.graphql) run with her
session's token, so the API's rules decide: the four eyes of an approval, what a state
allows, the audit of a file download. Each form POSTs to its run and runs one mutation;
success redirects back (POST-redirect-GET) with what was done, a refusal shows the
service's reason in her words beside the form she used.
"""

from __future__ import annotations

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.web import finance_inbox, loan_book, page_api
from econ.web import finance_views as views
from econ.web.handlers import page
from econ.web.i18n import Formats, gettext_for
from econ.web.pages import PageRequest, Site
from econ.web.run_lines import KeptSections, Section

FINANCE = (Role.FINANCE,)
RESULT_FILE_LIMIT = 4 * 1024 * 1024  # bytes: a month's pain.002 for 20,000 lines fits


def routes(site: Site) -> list[Route]:
    async def query(
        current: PageRequest, document: str, operation: str, variables: dict | None = None
    ) -> dict:
        return await page_api.read(site, current, document, operation, variables)

    async def mutate(
        current: PageRequest, document: str, operation: str, name: str, variables: dict
    ) -> tuple[dict, dict[str, str]]:
        return await page_api.write(site, current, document, operation, name, variables)

    def show(current: PageRequest, template: str, **context) -> Response:
        return site.render(current, template, views=views, **context)

    # --- the runs -----------------------------------------------------------------------

    @page(site)
    async def runs(request: Request) -> Response:
        current = await site.begin(request, roles=FINANCE)
        errors: dict[str, str] = {}
        period = ""
        if request.method == "POST":
            fields = await site.form(current)
            if fields is None:
                return site.forbidden_form(current)
            period = views.period_of(fields.get("period"))
            created, codes = await mutate(
                current,
                "finance/runs",
                "Create",
                "createPaymentRun",
                {"input": {"period": period or fields.get("period", "")[:10]}},
            )
            if not codes:
                return site.redirect(current, f"/staff/runs/{created['run']['id']}?done=created")
            errors = views.finance_messages({"period": next(iter(codes.values()))}, _for(current))
        after = views.cursor(request.query_params.get("after")) or None
        try:
            data = await query(current, "finance/runs", "Runs", {"after": after})
        except HTTPException:
            return site.redirect(current, "/staff/runs")
        found = data.get("paymentRuns") or {}
        info = found.get("pageInfo") or {}
        return show(
            current,
            "finance/runs.html",
            rows=[edge["node"] for edge in found.get("edges", [])],
            total=found.get("totalCount", 0),
            next_page=f"?after={info['endCursor']}" if info.get("hasNextPage") else None,
            errors=errors,
            period=period,
        )

    # --- one run ------------------------------------------------------------------------

    def run_id_of(request: Request) -> int:
        run_id = request.path_params["run_id"]
        if not id_in_range(run_id):
            raise HTTPException(404)
        return run_id

    kept = KeptSections()

    async def read_run(
        current: PageRequest, run_id: int, choice: views.LineChoice, lines: bool = True
    ) -> dict:
        """The run's document (without its lines when `lines` is false: see lines_section)."""
        variables = {"id": str(run_id), **choice.variables(), "lines": lines}
        if current.request.query_params.get("exceptions") == "all":
            variables["exceptions"] = views.EXCEPTIONS_ALL
        changes = views.cursor(current.request.query_params.get("changes"))
        if changes:
            variables["changesAfter"] = changes
        run = (await query(current, "finance/run", "Run", variables)).get("paymentRun")
        if run is None:  # no such run, or not hers to see: the same page
            raise HTTPException(404)
        return run

    async def lines_section(
        current: PageRequest, run_id: int, choice: views.LineChoice, run: dict
    ) -> Markup:
        """The lines as kept under the run's linesKey of now, else read and written (and
        kept when the API names them with a key)."""
        found = kept.get(run_id, choice, current.language)
        if found is not None and run.get("linesKey") and found.key == run["linesKey"]:
            return found.html
        if "lines" not in run:  # kept under an older key: read them now
            variables = {"id": str(run_id), **choice.variables()}
            read = (await query(current, "finance/run", "Lines", variables)).get("paymentRun")
            if read is None:
                raise HTTPException(404)
            run = {**run, **read}
        lines = run["lines"]
        info = lines.get("pageInfo") or {}
        after = info["endCursor"] if info.get("hasNextPage") else None
        html = Markup(
            site.env.get_template("finance/run_lines.html").render(
                _=_for(current),
                fmt=Formats(current.language),
                views=views,
                run_id=run_id,
                choice=choice,
                total=lines.get("totalCount", 0),
                lines=[edge["node"] for edge in lines.get("edges", [])],
                next_page=choice.query(after=after) if after else None,
            )
        )
        if run.get("linesKey"):
            kept.put(run_id, choice, current.language, Section(run["linesKey"], html))
        return html

    async def show_run(
        current: PageRequest,
        run_id: int,
        errors: dict[str, str] | None = None,
        form: str = "",
        values: dict | None = None,
        summary: dict | None = None,
        checked: bool = False,
        status: int = 200,
    ) -> Response:
        choice = views.LineChoice.from_query(current.request.query_params)
        keeps = kept.get(run_id, choice, current.language) is not None
        try:
            run = await read_run(current, run_id, choice, lines=not keeps)
            section = await lines_section(current, run_id, choice, run)
        except HTTPException:  # a made-up cursor: the same page from its start
            changes = current.request.query_params.get("changes")
            if not choice.after and not changes:
                raise
            return site.redirect(current, f"/staff/runs/{run_id}{choice.query()}")
        form = views.form_shown(form, run)
        done = current.request.query_params.get("done", "")
        return site.render(
            current,
            "finance/run.html",
            status,
            views=views,
            run=run,
            choice=choice,
            lines_section=section,
            done=views.DONE.get(done, ""),
            errors=errors or {},
            form=form,
            values=values or {},
            summary=summary,
            checked=checked,
            me=str(current.actor.user_id),
            all_exceptions=current.request.query_params.get("exceptions") == "all",
            changes_after=views.cursor(current.request.query_params.get("changes")),
        )

    @page(site)
    async def run(request: Request) -> Response:
        current = await site.begin(request, roles=FINANCE)
        return await show_run(current, run_id_of(request))

    @page(site)
    async def progress(request: Request) -> Response:
        """The job's done/total as JSON for the page's own small script (static/progress.js);
        without it, the page's refresh link does the same."""
        current = await site.begin(request, roles=FINANCE)
        run_id = run_id_of(request)
        data = await query(current, "finance/run", "Progress", {"id": str(run_id)})
        found = data.get("paymentRun")
        if found is None:
            raise HTTPException(404)
        job = found["job"]
        return JSONResponse(
            {"state": found["state"], "running": views.running(found), **job},
            headers={"Cache-Control": "no-store"},
        )

    @page(site)
    async def act(request: Request) -> Response:
        """One form of the run page: its action names the one mutation it runs."""
        current = await site.begin(request, roles=FINANCE)
        run_id = run_id_of(request)
        if request.method == "GET":  # the language links of a page with an error
            return site.redirect(current, f"/staff/runs/{run_id}")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        action = fields.get("action", "")
        if action not in views.OPERATIONS:
            raise HTTPException(404)
        variables = _input(action, run_id, fields)
        if action == "followup":
            found = await read_run(current, run_id, views.LineChoice(), lines=False)
            variables = {"input": {"period": found["period"]}}
        operation, name = views.OPERATIONS[action]
        done, codes = await mutate(current, "finance/run", operation, name, variables)
        if not codes:
            target = run_id
            if action == "followup":
                target = done["run"]["id"]
            return site.redirect(current, f"/staff/runs/{target}?done={action}")
        shown = {"": next(iter(codes.values()))}
        return await show_run(
            current,
            run_id,
            views.finance_messages(shown, _for(current)),
            form=action + ":" + fields.get("key", fields.get("lineId", "")),
            values=fields,
            status=409,
        )

    @page(site)
    async def results(request: Request) -> Response:
        """The bank's result file, uploaded as a file; the summary of what it changed."""
        current = await site.begin(request, roles=FINANCE)
        run_id = run_id_of(request)
        if request.method == "GET":
            return site.redirect(current, f"/staff/runs/{run_id}")
        posted = await site.upload(current, "file", RESULT_FILE_LIMIT)
        if posted is None:
            return site.forbidden_form(current)
        fields, content = posted
        check = fields.get("mode") == "check"  # the summary before applying: nothing changes
        codes: dict[str, str] = {}
        summary = None
        if not content:
            codes = {"": "REQUIRED"}
        elif len(content) > RESULT_FILE_LIMIT:
            codes = {"": "FILE_TOO_LARGE"}
        else:
            text = content.decode("utf-8", errors="replace")
            variables = {"input": {"runId": str(run_id), "file": text, "dryRun": check}}
            done, codes = await mutate(
                current, "finance/run", "Import", "importPaymentResults", variables
            )
            summary = done.get("result")
        errors = views.finance_messages(codes, _for(current)) if codes else {}
        return await show_run(
            current,
            run_id,
            errors,
            form="results",
            summary=summary,
            checked=check and not codes,
            status=409 if codes else 200,
        )

    @page(site)
    async def download(request: Request) -> Response:
        """A payment file, downloaded by a POST (CSRF; the API audits the read)."""
        current = await site.begin(request, roles=FINANCE)
        file_id = request.path_params["file_id"]
        if not id_in_range(file_id):
            raise HTTPException(404)
        if request.method == "GET":
            raise HTTPException(404)
        if await site.form(current) is None:
            return site.forbidden_form(current)
        data = await query(current, "finance/run", "File", {"id": str(file_id)})
        found = data.get("paymentFile")
        if found is None or found.get("content") is None:
            raise HTTPException(404)
        kind = "application/xml" if found["format"] == "SEPA" else "text/csv"
        return Response(
            found["content"],
            media_type=kind,
            headers={"Content-Disposition": f'attachment; filename="payment-file-{file_id}.'
                     f'{"xml" if found["format"] == "SEPA" else "csv"}"'},
        )  # fmt: skip

    return [
        Route("/staff/runs", runs, methods=["GET", "POST"]),
        Route("/staff/runs/{run_id:int}", run, methods=["GET"]),
        Route("/staff/runs/{run_id:int}/progress", progress, methods=["GET"]),
        Route("/staff/runs/{run_id:int}/act", act, methods=["GET", "POST"]),
        Route("/staff/runs/{run_id:int}/results", results, methods=["GET", "POST"]),
        Route("/staff/files/{file_id:int}", download, methods=["GET", "POST"]),
        *finance_inbox.routes(site),
        *loan_book.routes(site),
    ]


def _for(current: PageRequest):
    return gettext_for(current.language)


def _input(action: str, run_id: int, fields: dict[str, str]) -> dict:
    """The one mutation's input from the form's fields (each bounded or checked)."""
    run = {"runId": str(run_id)}
    version = fields.get("version", "")
    number = int(version) if version.isdigit() and len(version) < 10 else 0
    note = views.note_of(fields.get("note"))
    if action == "approve":
        total = fields.get("controlTotal", "")[:20]
        chosen = {"input": {**run, "version": number, "controlTotal": total}}
        if note:
            chosen["input"]["comment"] = note
        return chosen
    if action == "reject":
        return {"input": {**run, "version": number, "comment": note}}
    if action == "cancel":
        return {"input": {**run, "reason": note}}
    if action == "disburse":
        chosen = fields.get("format", "")
        return {"input": {**run, "format": chosen if chosen in ("SEPA", "CSV") else "SEPA"}}
    if action == "resolve":
        status = fields.get("status", "")
        status = status if status in views.RESOLUTION_LABELS else ""
        return {"input": {"key": fields.get("key", "")[:80], "status": status, "note": note}}
    if action == "retry":
        line = fields.get("lineId", "")
        return {"input": {"lineId": line if line.isdigit() and len(line) < 19 else "0"}}
    return {"input": run}
