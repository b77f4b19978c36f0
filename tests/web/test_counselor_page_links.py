"""Lists on the counselor's pages that go on past one page (issue 14 item 6, issue 17): her
record's tabs and Today link to the next page and back to the first, and an edited page
address shows the first page or "not found", never another list."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from econ.participants import services as participants
from econ.participants.models import StatusChange
from econ.training.models import Cohort
from tests.outcomes import build as b
from tests.web.counselor_client import PageClient

NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def _next_href(page) -> str:
    found = NEXT.search(page.text)
    assert found, "the page has no next-page link"
    return html.unescape(found.group(1))


@pytest.fixture
def counselor_desk(app, people):
    user, counselor = people.counselor()
    her = people.participant(counselor, preferred_name="Lena")
    return PageClient(app).sign_in(user.email), counselor, her


def test_her_history_tab_pages_through_every_move_once(counselor_desk):
    client, _, her = counselor_desk
    StatusChange.insert_many(
        [
            {"participant": her.id, "to_status": "ACTIVE", "reason": f"move {i:02d}"}
            for i in range(60)
        ]
    ).execute()
    path = f"/staff/participants/{her.id}/history"
    first = client.get(path)
    assert first.status_code == 200
    second = client.get(path + _next_href(first))
    assert second.status_code == 200
    seen = [re.findall(r"move \d\d", page.text) for page in (first, second)]
    assert len(seen[0]) == 49  # her first page of 50 also holds her registration
    assert not set(seen[0]) & set(seen[1])
    assert sorted(seen[0] + seen[1]) == [f"move {i:02d}" for i in range(60)]
    assert 'rel="next"' not in second.text and ">First page</a>" in second.text
    assert ">First page</a>" not in first.text


def test_today_says_how_many_wait_and_pages_through_them(counselor_desk, people):
    client, counselor, her = counselor_desk
    another = people.participant(counselor, preferred_name="Rita")
    for person, letter in ((her, "A"), (another, "B")):  # a plan holds at most 100 steps
        steps = [
            {"title": f"Step {letter}{i:02d}", "category": "BANKING", "due_date": "2026-01-01"}
            for i in range(60)
        ]
        participants.revise_plan(
            counselor, person.id, pathways=["EMPLOYMENT"], target_monthly_income="1400.00",
            milestones=steps,
        )  # fmt: skip
    first = client.get("/staff/today")
    text = html.unescape(first.text)
    total = int(re.search(r"Waiting for you: (\d+)", text).group(1))
    assert total >= 122  # 120 steps overdue and two plans waiting for her agreement
    assert "This page shows 100 of them." in text
    second = client.get("/staff/today" + _next_href(first))
    steps_seen = [re.findall(r"Step [AB]\d\d", page.text) for page in (first, second)]
    assert not set(steps_seen[0]) & set(steps_seen[1])
    assert len(set(steps_seen[0]) | set(steps_seen[1])) == 120
    # Each group's count is of every page; a page that shows only some says how many.
    for page, seen in zip((first, second), steps_seen, strict=True):
        group = re.search(
            r'id="kind-MILESTONE_OVERDUE">.*?<span class="count">(\d+)</span>(.*?)</section>',
            html.unescape(page.text),
            re.S,
        )
        assert group and int(group.group(1)) == 120
        assert f"{len(seen)} of them on this page." in group.group(2)


@pytest.mark.parametrize(
    ("edited", "status"),
    [
        ("?statusAfter=%3Cscript%3E", 200),  # not a cursor at all: the first page
        ("?statusAfter=Zm9vYmFy", 404),  # looks like one, is none: not found
        ("?consentsAfter=YXJyYXljb25uZWN0aW9uOjU%3D", 200),  # another tab's word: ignored
    ],
)
def test_an_edited_page_address_shows_the_first_page_or_not_found(counselor_desk, edited, status):
    client, _, her = counselor_desk
    page = client.get(f"/staff/participants/{her.id}/history{edited}")
    assert page.status_code == status
    assert "<script>" not in page.text


def test_another_counselors_participant_is_not_found_whatever_the_cursor(counselor_desk, people):
    client, _, _ = counselor_desk
    _, other = people.counselor()
    theirs = people.participant(other, preferred_name="Zoe")
    StatusChange.insert_many(
        [{"participant": theirs.id, "to_status": "ACTIVE", "reason": f"z {i}"} for i in range(60)]
    ).execute()
    mine_first = client.get(f"/staff/participants/{theirs.id}/history")
    assert mine_first.status_code == 404 and "z 1" not in mine_first.text


def test_every_cohort_pages_and_keeps_the_choice_of_ended_ones(counselor_desk):
    """105 ended cohorts: "also the ended ones" lists 100, and its next page keeps that
    choice (`?all=1&after=`) to show the other 5."""
    client, _, _ = counselor_desk
    program = b.program("Sewing")
    for i in range(105):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        Cohort.create(
            program=program, start_date=start, end_date=start + dt.timedelta(days=5),
            capacity=10, session_days=["MON"], location=f"Room {i:03d}",
        )  # fmt: skip
    assert "Room" not in client.get("/staff/training").text  # ended: not by default
    first = client.get("/staff/training?all=1")
    href = _next_href(first)
    assert href.startswith("?all=1&after=")
    second = client.get("/staff/training" + href)
    rooms = [set(re.findall(r"Room \d{3}", page.text)) for page in (first, second)]
    assert len(rooms[0]) == 100 and len(rooms[1]) == 5 and not rooms[0] & rooms[1]
