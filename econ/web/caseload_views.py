"""The caseload page's choices read from the address: search, status, pathway, signal and
sorting, each checked against a fixed list so a page never passes a made-up value on to
the API."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from econ.statements.i18n import N_

STATUSES = (
    ("ACTIVE", N_("Active")),
    ("PAUSED", N_("Paused")),
    ("EXITED", N_("Left the program")),
    ("GRADUATED", N_("Graduated")),
)
STATUS_LABELS = dict(STATUSES)
PATHWAYS = (
    ("EMPLOYMENT", N_("Employment")),
    ("ENTREPRENEURSHIP", N_("Own business")),
    ("EDUCATION", N_("Education")),
)
# signal -> the caseload filter it sets
PATHWAY_LABELS = dict(PATHWAYS)
SIGNALS: dict[str, tuple[str, dict]] = {
    "overdue": (N_("Plan steps overdue"), {"hasOverdueMilestones": True}),
    "arrears": (N_("Loan in arrears"), {"inArrears": True}),
    "stipend-ending": (N_("Stipend ends within 2 months"), {"stipendMonthsLeftAtMost": 2}),
}
SORTS = (
    ("NAME", N_("Name")),
    ("STATUS", N_("Status")),
    ("INDEPENDENCE", N_("Progress to independence")),
    ("NEXT_MILESTONE", N_("Next plan step")),
    ("OVERDUE_MILESTONES", N_("Overdue plan steps")),
    ("STIPEND_MONTHS_LEFT", N_("Stipend months left")),
    ("DAYS_PAST_DUE", N_("Days past due")),
)
SEARCH_MAX = 60
CURSOR_MAX = 40


@dataclass(frozen=True)
class CaseloadChoice:
    """The caseload page's choices, each one of the fixed options (or empty)."""

    search: str = ""
    status: str = ""
    pathway: str = ""
    signal: str = ""
    sort: str = "NAME"
    descending: bool = False
    after: str = ""

    @classmethod
    def from_query(cls, params) -> CaseloadChoice:
        def pick(name: str, allowed) -> str:
            value = params.get(name, "")
            return value if value in allowed else ""

        return cls(
            search=" ".join(params.get("q", "").split())[:SEARCH_MAX],
            status=pick("status", {s for s, _ in STATUSES}),
            pathway=pick("pathway", {p for p, _ in PATHWAYS}),
            signal=pick("signal", SIGNALS),
            sort=pick("sort", {s for s, _ in SORTS}) or "NAME",
            descending=params.get("order") == "desc",
            after=cursor(params.get("after")),
        )

    def variables(self) -> dict:
        filters: dict = {}
        if self.search:
            filters["search"] = self.search
        if self.status:
            filters["status"] = self.status
        if self.pathway:
            filters["pathway"] = self.pathway
        if self.signal:
            filters.update(SIGNALS[self.signal][1])
        return {
            "filter": filters or None,
            "sort": {"field": self.sort, "descending": self.descending},
            "after": self.after or None,
        }

    def query(self, **changes) -> str:
        """The address of this choice with some parts changed (links keep the others)."""
        values = {
            "q": self.search,
            "status": self.status,
            "pathway": self.pathway,
            "signal": self.signal,
            "sort": "" if self.sort == "NAME" else self.sort,
            "order": "desc" if self.descending else "",
            "after": "",
        }
        values.update(changes)
        kept = {k: v for k, v in values.items() if v}
        return "/staff/caseload" + ("?" + urlencode(kept) if kept else "")

    @property
    def filtered(self) -> bool:
        return bool(self.search or self.status or self.pathway or self.signal)


def cursor(value: str | None) -> str:
    """A page cursor as the API writes them (base64), else none."""
    value = (value or "")[:CURSOR_MAX]
    return (
        value if value and all(c.isalnum() or c in "+/=" for c in value) and value.isascii() else ""
    )


def page_cursors(params, names) -> dict[str, str | None]:
    """{name: the address's cursor of that list, or None for its first page}: the page
    cursors a page's lists take (`?after=`, `?referralsAfter=`), read as `cursor` reads."""
    return {name: cursor(params.get(name)) or None for name in names}


# Saved filters (econ/outcomes/saved_filters.py): the caseload's choice kept under a name.
FILTER_NAME_MAX = 60
# The save form's errors (its own words: the codes mean other things on other forms)
FILTER_MESSAGES = {
    "REQUIRED": N_("Give the filter a name."),
    "TOO_LONG": N_("At most 60 characters."),
    "INVALID_FORMAT": N_("Use letters, digits, spaces and punctuation only."),
    "TOO_MANY": N_("You have 20 saved filters already: delete one first."),
    "NOT_FOUND": N_("Not found: it may be deleted already."),
}
FILTER_FALLBACK = N_("This did not work. Check the form and try again.")
FILTER_NOTICES = {
    "saved": N_("Filter saved. It is listed under “Your saved filters”."),
    "deleted": N_("Saved filter deleted."),
}


def saved_choice(node: dict) -> CaseloadChoice:
    """A saved filter as the page's choice; a signal the page does not offer is left out."""
    signal = next(
        (
            key
            for key, (_, wanted) in SIGNALS.items()
            if all(node.get(name) == value for name, value in wanted.items())
        ),
        "",
    )
    return CaseloadChoice(
        search=node.get("search") or "",
        status=node.get("status") or "",
        pathway=node.get("pathway") or "",
        signal=signal,
        sort=node.get("sort") or "NAME",
        descending=bool(node.get("descending")),
    )


def choice_words(choice: CaseloadChoice, _) -> str:
    """What a saved filter chooses, in words ("Everyone" when it chooses nothing)."""
    parts = []
    if choice.search:
        parts.append(f"“{choice.search}”")
    if choice.status:
        parts.append(_(STATUS_LABELS[choice.status]))
    if choice.pathway:
        parts.append(_(PATHWAY_LABELS[choice.pathway]))
    if choice.signal:
        parts.append(_(SIGNALS[choice.signal][0]))
    parts.append(_("sorted by %(sort)s") % {"sort": _(dict(SORTS)[choice.sort]).lower()})
    return " · ".join(parts) if len(parts) > 1 else _("Everyone") + " · " + parts[0]


def save_input(name: str, choice: CaseloadChoice) -> dict:
    """The save form as `saveCaseloadFilter`'s input (the API checks the name)."""
    variables = choice.variables()
    return {"name": name[: FILTER_NAME_MAX * 2], "filter": variables["filter"],
            "sort": variables["sort"]}  # fmt: skip
