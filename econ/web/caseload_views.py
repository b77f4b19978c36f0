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
