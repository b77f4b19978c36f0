"""Her details: the form that changes her record (`updateParticipant`), and the form on
her history tab that moves her status (`setParticipantStatus`).

Her preferred name, languages and skills are shown as they are (her skills are ticked from
the program's vocabulary, the keys employers ask for, beside any she has from elsewhere).
Restricted fields are never read to fill the form (every read is audited and appears in
her "who read my data"): each one is empty, what the counselor writes replaces what is
recorded, and a ticked "remove" clears it. Only what changed is sent, so the API's audit
entry names exactly the fields changed. Every error comes back at once, beside its field,
with everything she typed. New bank details count for payments only once a FINANCE user
other than her confirms them, when earlier details were already used
(econ/stipends/payees.py): the page says so.

Her status offers only the moves the service allows from where she is (pausing, leaving
and coming back are all moves of a path); the form names the status she saw, so a status
changed meanwhile is said, not overwritten.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from econ.security.roles import Role
from econ.statements.i18n import N_
from econ.web import counselor_views as views
from econ.web.desk import Desk
from econ.web.employer_views import skill_label
from econ.web.environment import nodes
from econ.web.handlers import page
from econ.web.i18n import gettext_for

COUNSELOR = (Role.COUNSELOR,)
DOCUMENT = "counselor/details"


def _with_bic(fields):
    for name, label, kind, _restricted in fields:
        yield name, label, kind
        if name == "bankAccount":
            yield "bankBic", N_("Bank's BIC (needed outside the euro area)"), "text"


# (API input name, label, input type): the restricted fields of `updateParticipant`, in the
# new participant form's order and words, with her bank's BIC after her IBAN.
RESTRICTED_INPUTS = tuple(_with_bic(views.NEW_FIELDS[1:]))
SHOWN = (
    "preferredName",
    "preferredLanguage",
    "languages",
    "skills",
    *(n for n, *_ in RESTRICTED_INPUTS),
)
BANK_FIELDS = ("bankAccount", "bankBic")
FORM_FIELDS = 5 + 2 * len(RESTRICTED_INPUTS)
LANGUAGES_MAX = 20


def spoken(value: str) -> list[str]:
    """ "es, en" as ["es", "en"] (the API checks each code)."""
    codes = [code.strip() for code in value.replace(";", ",").split(",")]
    return [code[:12] for code in codes if code][: LANGUAGES_MAX + 1]


def skill_choices(her: dict, vocabulary: list[dict], language: str) -> list[tuple[str, str]]:
    """(key, label) of every skill the form offers: hers first, then the vocabulary's."""
    labels = {t["key"]: skill_label(t, language) for t in vocabulary}
    hers = [(s["key"], labels.get(s["key"], s["label"])) for s in her.get("skills") or []]
    mine = {key for key, _ in hers}
    return hers + [(t["key"], labels[t["key"]]) for t in vocabulary if t["key"] not in mine]


def chosen_skills(fields: dict[str, str], her: dict, vocabulary: list[dict]) -> list[dict] | None:
    """Her skills as ticked (only keys the form offered), or None when they did not change."""
    kept = {s["key"]: s["label"] for s in her.get("skills") or []}
    offered = {**{t["key"]: skill_label(t, "en") for t in vocabulary}, **kept}
    ticked = [key for key in offered if fields.get(f"skill:{key}")]
    if set(ticked) == set(kept):
        return None
    return [{"key": key, "label": offered[key]} for key in ticked]


def details_input(fields: dict[str, str], her: dict, vocabulary: list[dict]) -> dict:
    """The fields she changed, as the API's input (an empty dict: nothing changed)."""
    changes: dict = {}
    name = fields.get("preferredName", "").strip()[: views.NEW_FIELD_MAX]
    if name != her["preferredName"]:
        changes["preferredName"] = name
    language = fields.get("preferredLanguage", "")[:12]
    if language != (her.get("preferredLanguage") or ""):
        changes["preferredLanguage"] = language
    languages = spoken(fields.get("languages", ""))
    if languages != list(her.get("languages") or []):
        changes["languages"] = languages
    skills = chosen_skills(fields, her, vocabulary)
    if skills is not None:
        changes["skills"] = skills
    for field, *_ in RESTRICTED_INPUTS:
        value = fields.get(field, "").strip()[: views.NEW_FIELD_MAX]
        if value:
            changes[field] = value
        elif fields.get(f"clear-{field}") == "yes":
            changes[field] = ""  # the API records an empty value as none
    return changes


REASON_MAX = 500


def status_codes(fields: dict[str, str], her: dict) -> dict[str, str]:
    """What the page itself refuses before asking: a move not offered, or from a status
    that is no longer hers (changed meanwhile)."""
    if fields.get("from") != her["status"]:
        return {"": "CONFLICT"}
    if fields.get("status") not in views.STATUS_MOVES.get(her["status"], ()):
        return {"status": "INVALID_CHOICE"}
    return {}


def form_values(her: dict) -> dict[str, str]:
    """The form before she types: what is not restricted, as recorded."""
    return {
        "preferredName": her["preferredName"],
        "preferredLanguage": her.get("preferredLanguage") or "",
        "languages": ", ".join(her.get("languages") or []),
        **{f"skill:{s['key']}": "on" for s in her.get("skills") or []},
    }


def routes(desk: Desk) -> list[Route]:
    site, query, mutate, show = desk.site, desk.query, desk.mutate, desk.show

    @page(site)
    async def details(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        her = await desk.her_record(current, "Details", document=DOCUMENT)
        vocabulary = nodes((await query(current, DOCUMENT, "Vocabulary")).get("skillVocabulary"))
        skills = skill_choices(her, vocabulary, current.language)
        values = form_values(her)
        codes: dict[str, str] = {}
        if request.method == "POST":
            # one field a restricted value and its "remove" box, one a skill
            fields = await site.form(current, max_fields=FORM_FIELDS + len(skills))
            if fields is None:
                return site.forbidden_form(current)
            changes = details_input(fields, her, vocabulary)
            if not changes:
                codes = {"": "NOTHING_TO_SAVE"}
            else:
                variables = {"input": {"participantId": her["id"], **changes}}
                _, codes = await mutate(current, DOCUMENT, "Update", "updateParticipant", variables)
            if not codes:
                bank = "&bank=1" if set(BANK_FIELDS) & set(changes) else ""
                return site.redirect(current, f"/staff/participants/{her['id']}/edit?saved=1{bank}")
            values = fields  # nothing she typed is lost
        if codes.get("dateOfBirth") == "INVALID_DATE":  # a bad form or an unlikely year
            codes = {**codes, "dateOfBirth": "INVALID_BIRTH_DATE"}
        _ = gettext_for(current.language)
        return show(
            current,
            "counselor/details.html",
            her=her,
            tab="details",
            values=values,
            fields=RESTRICTED_INPUTS,
            skills=skills,
            saved=request.query_params.get("saved") == "1",
            bank_changed=request.query_params.get("bank") == "1",
            errors=views.staff_messages(views.beside_fields(codes, SHOWN), _),
        )

    @page(site)
    async def status(request: Request) -> Response:
        current = await site.begin(request, roles=COUNSELOR)
        history = f"/staff/participants/{request.path_params['participant_id']}/history"
        if request.method == "GET":  # e.g. the language links of a page with an error
            return site.redirect(current, history)
        fields = await site.form(current)
        if fields is None:
            return site.forbidden_form(current)
        her = await desk.her_record(current, "History")
        codes = status_codes(fields, her)
        if not codes:
            variables = {
                "input": {
                    "participantId": her["id"],
                    "status": fields["status"],
                    "reason": " ".join(fields.get("reason", "").split())[:REASON_MAX],
                }
            }
            _, codes = await mutate(current, DOCUMENT, "Status", "setParticipantStatus", variables)
        if not codes:
            return site.redirect(current, f"{history}?saved=1")
        _ = gettext_for(current.language)
        return show(
            current,
            "counselor/record_history.html",
            her=await desk.her_record(current, "History"),
            tab="history",
            saved=False,
            status_values=fields,
            status_errors=views.staff_messages(views.beside_fields(codes, ("status", "reason")), _),
        )

    base = "/staff/participants/{participant_id:int}"
    return [
        Route(base + "/edit", details, methods=["GET", "POST"]),
        Route(base + "/status", status, methods=["GET", "POST"]),
    ]
