"""Her income on the money tab: record a month, verify a record she saw the proof of,
correct a verified record (a superseding record with a reason; it counts once a second
person verifies it, then the next payment run pays the difference)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.security.roles import Role
from econ.web import counselor_views as views
from econ.web.desk import Desk
from econ.web.handlers import page
from econ.web.i18n import gettext_for

COUNSELOR = (Role.COUNSELOR,)


def routes(desk: Desk) -> list[Route]:
    @page(desk.site)
    async def income(request: Request) -> Response:
        """Record a month of her income, or verify a record; then back to the money tab."""
        current = await desk.site.begin(request, roles=COUNSELOR)
        if request.method == "GET":  # the language links of a page with an error
            return desk.site.redirect(current, request.url.path.removesuffix("/income") + "/money")
        fields = await desk.site.form(current)
        if fields is None:
            return desk.site.forbidden_form(current)
        her = await desk.her_record(current, "Money")
        if fields.get("verify"):
            # The version she read: verifying a record changed since is refused (STALE_VERSION).
            version = fields.get("version", "")
            variables = {
                "input": {
                    "incomeRecordId": fields["verify"][:20],
                    "version": int(version) if version.isdigit() and len(version) < 10 else 0,
                }
            }
            _, codes = await desk.mutate(
                current, "counselor/income", "VerifyIncome", "verifyIncome", variables
            )
        else:
            values = views.income_input(fields)
            variables = {"input": {"participantId": her["id"], **values}}
            _, codes = await desk.mutate(
                current, "counselor/income", "RecordIncome", "recordIncome", variables
            )
        if not codes:
            return desk.site.redirect(current, f"/staff/participants/{her['id']}/money?saved=1")
        her = await desk.her_record(current, "Money")
        _ = gettext_for(current.language)
        return desk.show(
            current,
            "counselor/record_money.html",
            her=her,
            tab="money",
            revealed=None,
            income_errors=views.staff_messages(views.beside_fields(codes, ("month", "amount")), _),
            income_values=fields,
        )

    @page(desk.site)
    async def correct_income(request: Request) -> Response:
        """Correct a verified record: the new amount and why; it counts once a second person
        verifies it (then the next payment run pays the difference)."""
        current = await desk.site.begin(request, roles=COUNSELOR)
        her = await desk.her_record(current, "Money")
        record = views.income_record(her, request.path_params["record_id"])
        if record is None or not record["verified"]:
            raise HTTPException(404)
        codes: dict[str, str] = {}
        fields: dict[str, str] = {}
        if request.method == "POST":
            fields = await desk.site.form(current)
            if fields is None:
                return desk.site.forbidden_form(current)
            variables = {
                "input": {"incomeRecordId": record["id"], **views.correction_input(fields)}
            }
            _, codes = await desk.mutate(
                current, "counselor/income", "CorrectIncome", "correctIncome", variables
            )
            if not codes:
                target = f"/staff/participants/{her['id']}/money?corrected=1"
                return desk.site.redirect(current, target)
        _ = gettext_for(current.language)
        return desk.show(
            current,
            "counselor/income_correction.html",
            her=her,
            tab="money",
            record=record,
            values=fields,
            errors=views.staff_messages(views.beside_fields(codes, ("amount", "reason")), _),
        )

    base = "/staff/participants/{participant_id:int}/income"
    return [
        Route(base, income, methods=["GET", "POST"]),
        Route(base + "/{record_id:int}/correct", correct_income, methods=["GET", "POST"]),
    ]
