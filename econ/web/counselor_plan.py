"""The plan editor's page: her steps in one form, the change shown against the current
revision, then saved as the next revision (only what changed is sent: patch semantics;
what the form means is econ/web/plan_editor.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.security.roles import Role
from econ.web import counselor_views as views
from econ.web import plan_editor as editor
from econ.web.desk import Desk
from econ.web.handlers import page
from econ.web.i18n import gettext_for

COUNSELOR = (Role.COUNSELOR,)


def routes(desk: Desk) -> list[Route]:
    @page(desk.site)
    async def plan_editor(request: Request) -> Response:
        """Change her plan: the form, then the change shown against the current revision,
        then the new revision (only what changed is sent: patch semantics)."""
        current = await desk.site.begin(request, roles=COUNSELOR)
        her = await desk.her_record(current, "Plan")
        plan = her.get("plan") or {}
        revision = plan.get("revision") or 0
        if request.method == "GET":
            return _editor(current, her, editor.form_fields(plan), {})
        posted = await desk.site.form(current, max_fields=editor.MAX_FIELDS)
        if posted is None:
            return desk.site.forbidden_form(current)
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
        _, codes = await desk.mutate(current, "counselor/plan", "Change", "changePlan", variables)
        if not codes:
            return desk.site.redirect(current, f"/staff/participants/{her['id']}/plan?saved=1")
        return _editor(current, her, posted, editor.beside(codes, change))

    def _editor(current, her, values, codes, change=None) -> Response:
        _ = gettext_for(current.language)
        return desk.show(
            current,
            "counselor/plan_editor.html",
            her=her,
            tab="plan",
            values=values,
            change=change,
            kept=editor.kept_fields(values) if change else {},
            errors=views.staff_messages(codes, _),
        )

    return [
        Route(
            "/staff/participants/{participant_id:int}/plan/edit",
            plan_editor,
            methods=["GET", "POST"],
        )
    ]
