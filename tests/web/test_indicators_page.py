"""The indicators page over HTTP (issue 19, administration item 6): the API's figures for
the same period, definitions and counts beside them, a server-drawn SVG chart, a suppressed
cell that shows no number anywhere, and the PDF one click away for ADMIN."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from econ.web import indicators_views as views
from tests.outcomes.dataset import make
from tests.support.people import PASSWORD
from tests.web.counselor_client import PageClient

PERIOD = "from=2026-01-01&to=2026-06-30"
API = """query O($from: Date!, $to: Date!, $g: OutcomeGrouping) {
  outcomes(from: $from, to: $to, groupBy: $g) {
    rows { edges { node { key cells { name value numerator denominator suppressed } } } } } }"""


@pytest.fixture
def world(people):
    return make(people)


def _cells_on_page(text: str) -> dict[str, dict]:
    """{indicator: {"value", "numerator", "denominator"} or {"suppressed"}} of the first group."""
    first = text.split("<tbody>")[1].split("</tbody>")[0]
    found = {}
    for row in re.findall(r"<tr data-indicator.*?</tr>", first, re.S):
        name = re.search(r'data-indicator="(\w+)"', row).group(1)
        if "data-suppressed" in row:
            found[name] = {"suppressed": True}
            continue
        nums = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row)
        value = re.search(r'data-value="([^"]*)"', row).group(1)
        found[name] = {"numerator": nums[0], "denominator": nums[1], "value": value}
    return found


def _api_cells(api, token: str, group: str = "OVERALL") -> dict[str, dict]:
    variables = {"from": "2026-01-01", "to": "2026-06-30", "g": group}
    row = api.query(API, variables, token)["outcomes"]["rows"]["edges"][0]["node"]
    shown = {}
    for c in row["cells"]:
        if c["suppressed"]:
            shown[c["name"]] = {"suppressed": True}
        else:
            shown[c["name"]] = {
                "numerator": _written(c, "numerator"),
                "denominator": _written(c, "denominator"),
                "value": c["value"] or "",
            }
    return shown


def _written(cell: dict, which: str) -> str:
    """The API's count as the English page writes it: PAR30's are cents, shown as money."""
    value = cell[which]
    if value is None:
        return ""
    return f"{Decimal(value) / 100:,.2f}" if cell["name"] == "par30" else str(value)


@pytest.mark.parametrize("group", ["OVERALL", "PROGRAM"])
def test_admin_page_shows_the_apis_figures(app, http, api, people, world, group):
    admin_user, _ = people.admin()
    client = PageClient(app).sign_in(admin_user.email)
    page = client.get(f"/staff/indicators?{PERIOD}&group={group}")
    assert page.status_code == 200
    token = api.login(admin_user.email, PASSWORD)
    assert _cells_on_page(page.text) == _api_cells(api, token, group)
    assert "<svg" in page.text and 'role="img"' in page.text
    assert "Of the enrolments with a seat that ended in the period, those completed." in page.text
    assert "P1" not in page.text  # no one named
    report = client.get(f"/staff/indicators/report.pdf?{PERIOD}")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")


def test_a_counselor_sees_her_caseload_and_a_small_cell_nowhere(app, http, api, people, world):
    client = PageClient(app).sign_in(world.c1_user.email)
    page = client.get(f"/staff/indicators?{PERIOD}")
    assert page.status_code == 200
    token = api.login(world.c1_user.email, PASSWORD)
    cells = _api_cells(api, token)
    assert _cells_on_page(page.text) == cells
    hidden = [name for name, cell in cells.items() if cell.get("suppressed")]
    assert "retention30" in hidden  # 3 placements under the threshold of 5
    row = re.search(r'<tr data-indicator="retention30".*?</tr>', page.text, re.S).group(0)
    shown = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert shown == ["not shown: a small group"] and not re.search(r"\d", html.unescape(shown[0]))
    svg = re.search(r'<svg xmlns[^>]*class="chart".*?</svg>', page.text, re.S).group(0)
    label = re.search(r"Retention at 30 days</text>.*?<text[^>]*>([^<]*)</text>", svg, re.S)
    assert label.group(1) == "not shown: a small group"
    # no PDF for a counselor (ADMIN only, as in the API)
    assert "report.pdf" not in page.text
    refused = client.get(f"/staff/indicators/report.pdf?{PERIOD}", follow_redirects=False)
    assert refused.status_code == 303 and not refused.content.startswith(b"%PDF")


def test_bad_ranges_and_roles(app, http, people, world):
    admin_user, _ = people.admin()
    client = PageClient(app).sign_in(admin_user.email)
    for query in ("from=x&to=y", "from=2026-06-30&to=2026-01-01", "from=0001-01-01&to=2026-01-01",
                  "group=EVERYONE"):  # fmt: skip
        answer = client.get(f"/staff/indicators?{query}")
        assert answer.status_code == 200 and 'role="alert"' in answer.text, query
    assert client.get("/staff/indicators/report.pdf?from=x&to=y").status_code == 404
    finance_user, _ = people.finance()
    other = PageClient(app).sign_in(finance_user.email)
    assert other.get("/staff/indicators", follow_redirects=False).status_code == 303


def test_par30_counts_are_written_as_money_not_cents():
    """The API gives PAR30's numerator and denominator in cents; the page showed 123456."""
    par30 = {"name": "par30", "numerator": 123456, "denominator": 1000000}
    assert views.count_text(par30, "numerator", "en") == "1,234.56"
    assert views.count_text(par30, "denominator", "es") == "10.000,00"
    assert views.count_text({"name": "placement_rate", "numerator": 7}, "numerator", "en") == "7"
    assert views.count_text({"name": "par30", "numerator": None}, "numerator", "en") == ""
