"""The plan editor's form, read as a change to the current revision.

The form shows every step of the current plan with its values; what she edits is compared
with the plan as it was read, and only what differs goes to `changePlan` (patch semantics:
a step she did not touch is never re-sent, so it can never be lost). The same comparison
gives the preview: the revision she is about to make, as a change against the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from econ.statements.i18n import N_
from econ.web.counselor_views import iso_day
from econ.web.sessions import CSRF_FIELD

CATEGORIES = (
    ("TRAINING", N_("Training")),
    ("EMPLOYMENT", N_("Employment")),
    ("INCOME", N_("Income")),
    ("BANKING", N_("Banking")),
    ("ID_DOCUMENTS", N_("Identity documents")),
    ("ENTREPRENEURSHIP", N_("Own business")),
    ("EDUCATION", N_("Education")),
    ("OTHER", N_("Other")),
)
CATEGORY_LABELS = dict(CATEGORIES)
MILESTONE_STATUS = {
    "OPEN": N_("To do"),
    "IN_PROGRESS": N_("Started"),
    "DONE": N_("Done"),
    "DROPPED": N_("Dropped"),
}
PATHWAY_CHOICES = ("EMPLOYMENT", "ENTREPRENEURSHIP", "EDUCATION")
TEXT_MAX = 200
NEW = "new"
MAX_FIELDS = 4 * 100 + 20  # four fields a step (econ.participants.plans.MAX_MILESTONES)


def live_steps(plan: dict | None) -> list[dict]:
    """The steps the form edits: every step not dropped, in the plan's order."""
    return [m for m in (plan or {}).get("milestones", []) if m["status"] != "DROPPED"]


def form_fields(plan: dict | None) -> dict[str, str]:
    """The form's fields filled with the plan as it stands (what an unedited form posts)."""
    plan = plan or {}
    fields = {"target": (plan.get("targetMonthlyIncome") or {}).get("amount", "")}
    fields.update({f"pathway-{p}": "on" for p in plan.get("pathways", [])})
    for m in live_steps(plan):
        fields.update(
            {
                f"title-{m['id']}": m["title"],
                f"category-{m['id']}": m["category"],
                f"due-{m['id']}": m.get("dueDate") or "",
            }
        )
    return fields


@dataclass
class Change:
    """The change the posted form makes: the API's input and the lines of the preview."""

    input: dict = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)
    # the form field of each error the API may report ("update.0.dueDate" -> "due-17")
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.lines


def read_change(posted: dict[str, str], plan: dict | None) -> Change:
    """Compare the posted form with the plan as it stands."""
    change = Change(fields={"targetMonthlyIncome": "target", "pathways": "pathways"})
    _pathways(posted, plan or {}, change)
    _target(posted, plan or {}, change)
    for m in live_steps(plan):
        _step(posted, m, change)
    _new_step(posted, change)
    return change


def _value(posted: dict[str, str], name: str) -> str:
    return " ".join(posted.get(name, "").split())[:TEXT_MAX]


def _pathways(posted, plan, change: Change) -> None:
    chosen = [p for p in PATHWAY_CHOICES if posted.get(f"pathway-{p}")]
    if set(chosen) != set(plan.get("pathways", [])):
        change.input["pathways"] = chosen
        change.lines.append(
            {"kind": "pathways", "before": plan.get("pathways", []), "after": chosen}
        )


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _target(posted, plan, change: Change) -> None:
    before = (plan.get("targetMonthlyIncome") or {}).get("amount", "")
    after = _value(posted, "target").replace(",", ".")[:20]
    if not after and before:
        change.input["clearTargetMonthlyIncome"] = True
    elif after and (_amount(after) is None or before == "" or _amount(after) != _amount(before)):
        change.input["targetMonthlyIncome"] = after
    else:
        return
    change.lines.append({"kind": "target", "before": before, "after": after})


def _step(posted, m: dict, change: Change) -> None:
    key = m["id"]
    if posted.get(f"drop-{key}"):
        index = len(change.input.setdefault("drop", []))
        change.input["drop"].append(key)
        change.fields[f"drop.{index}"] = f"drop-{key}"
        change.lines.append({"kind": "dropped", "before": m, "after": None})
        return
    after = {
        "title": _value(posted, f"title-{key}"),
        "category": posted.get(f"category-{key}", m["category"]),
        "dueDate": _value(posted, f"due-{key}"),
    }
    before = {"title": m["title"], "category": m["category"], "dueDate": m.get("dueDate") or ""}
    patch = {name: value for name, value in after.items() if value != before[name]}
    if not patch:
        return
    if patch.get("dueDate") == "":
        patch = {k: v for k, v in patch.items() if k != "dueDate"} | {"clearDueDate": True}
    index = len(change.input.setdefault("update", []))
    change.input["update"].append({"id": key, **patch})
    for name, form_name in (("title", "title"), ("category", "category"), ("dueDate", "due")):
        change.fields[f"update.{index}.{name}"] = f"{form_name}-{key}"
    change.lines.append({"kind": "changed", "before": before, "after": after})


def _new_step(posted, change: Change) -> None:
    added = {
        "title": _value(posted, f"title-{NEW}"),
        "category": posted.get(f"category-{NEW}", "OTHER"),
        "dueDate": _value(posted, f"due-{NEW}"),
    }
    if not added["title"] and not added["dueDate"]:
        return  # the empty "add a step" row
    change.input["add"] = [{k: v for k, v in added.items() if v}]
    for name, form_name in (("title", "title"), ("category", "category"), ("dueDate", "due")):
        change.fields[f"add.0.{name}"] = f"{form_name}-{NEW}"
    change.lines.append({"kind": "added", "before": None, "after": added})


def beside(codes: dict[str, str], change: Change) -> dict[str, str]:
    """The API's errors by the form field they belong to ("" for the top of the form)."""
    placed: dict[str, str] = {}
    for name, code in codes.items():
        placed.setdefault(change.fields.get(name, ""), code)
    return placed


def kept_fields(posted: dict[str, str]) -> dict[str, str]:
    """The posted form to carry through the preview as hidden fields."""
    return {k: v for k, v in posted.items() if k not in (CSRF_FIELD, "action", "base")}


def is_date(value: str | None) -> bool:
    """Whether a posted date can be shown formatted (else the preview shows it as typed)."""
    return iso_day(value) is not None
