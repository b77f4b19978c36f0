"""The ADMIN's catalogue page, /admin/catalogue: training programs and the skills vocabulary.

One document (templates/catalogue/catalogue.graphql) run with her session's token; the
API decides (only ADMIN keeps the vocabulary; programs are read without any cohort's
class list, so the page holds no case data).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.bounds import id_in_range
from econ.security.roles import Role
from econ.statements.i18n import N_
from econ.web.employer_views import messages
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for
from econ.web.page_api import code_of
from econ.web.pages import PageRequest, SignInRequired, Site

ADMIN = (Role.ADMIN,)
DOC = "catalogue/catalogue"
LABELS = {"En": N_("Label in English"), "Es": N_("Label in Spanish"), "Fr": N_("Label in French")}
TERM_FIELDS = ("key", "labelEn", "labelEs", "labelFr")


def routes(site: Site) -> list[Route]:
    async def run(current: PageRequest, operation: str, variables: dict | None = None):
        result = await site.documents.run(
            DOC, variables, token=current.token, client=current.client, operation=operation
        )
        if result.status == 401 or code_of(result) == "UNAUTHENTICATED":
            raise SignInRequired(current.request.url.path, expired=True)
        return result

    async def show(current: PageRequest, errors: dict, values: dict) -> Response:
        result = await run(current, "Catalogue")
        if result.errors and not result.data:
            raise RuntimeError(f"{DOC}: {result.errors[:1]}")
        vocabulary = nodes(result.data.get("skillVocabulary"))
        programs = [e["node"] for e in (result.data.get("trainingPrograms") or {}).get("edges", [])]
        return site.render(
            current,
            "catalogue/catalogue.html",
            vocabulary=vocabulary,
            terms={t["key"] for t in vocabulary},
            programs=programs,
            labels=LABELS,
            errors=errors,
            values=values,
            saved=current.request.query_params.get("saved") == "1",
        )

    async def mutate(current: PageRequest, operation: str, name: str, data: dict) -> dict:
        result = await run(current, operation, {"input": data})
        if result.errors and not result.data.get(name):
            return {"": code_of(result) or "INVALID"}
        return result.field_errors(name)

    async def after(current: PageRequest, codes: dict, fields: dict, anchor: str = "") -> Response:
        """Done: back to the page (POST-redirect-GET); else the page with her words."""
        if not codes:
            return site.redirect(current, f"/admin/catalogue?saved=1{anchor}")
        return await show(current, messages(codes, gettext_for(current.language)), fields)

    @page(site)
    async def catalogue(request: Request) -> Response:
        current = await site.begin(request, roles=ADMIN)
        return await show(current, {}, {})

    @page(site)
    async def save_skill(request: Request) -> Response:
        """Add a term, change its labels, retire it or offer it again (one form each)."""
        current = await site.begin(request, roles=ADMIN)
        if request.method == "GET":
            return site.redirect(current, "/admin/catalogue")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        data = {name: fields.get(name, "").strip() for name in TERM_FIELDS}
        data["active"] = bool(fields.get("active"))
        codes = await mutate(current, "SaveSkill", "saveSkillTerm", data)
        return await after(current, codes, fields, "#skills")

    @page(site)
    async def program_active(request: Request) -> Response:
        current = await site.begin(request, roles=ADMIN)
        program_id = request.path_params["program_id"]
        if request.method == "GET" or not id_in_range(program_id):
            return site.redirect(current, "/admin/catalogue")
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        data = {"programId": str(program_id), "active": bool(fields.get("active"))}
        codes = await mutate(current, "SetProgramActive", "updateTrainingProgram", data)
        return await after(current, codes, {})

    return [
        Route("/admin/catalogue", catalogue, methods=["GET"]),
        Route("/admin/catalogue/skills", save_skill, methods=["GET", "POST"]),
        Route(
            "/admin/catalogue/programs/{program_id:int}", program_active, methods=["GET", "POST"]
        ),
    ]
