"""econ.db.PreparedShape: a batch reader's SQL built once per shape must answer exactly
what the peewee query built for those arguments answers, whatever the ids and the
parameters of the call (a cached statement bound with another call's values would show
one counselor another's caseload)."""

from __future__ import annotations

import datetime as dt

import pytest

from econ.db import Ids, PreparedShape, utcnow
from econ.security.models import Session, User


def _sessions(ids: Ids, since: dt.datetime, active: bool):
    query = Session.select(Session.user, Session.created_at).join(User)
    return (
        query.where(Session.user.in_(ids) & (Session.created_at >= since) & (User.active == active))
        .order_by(Session.id)
        .tuples()
    )


@pytest.fixture
def users(people):
    found = [people.admin()[0], people.counselor()[0], people.finance()[0]]
    found += [people.counselor()[0] for _ in range(4)]
    now = utcnow()
    for age, user in enumerate(found):  # one session each, a day older per user
        Session.create(
            user=user.id,
            token_hash=f"test-{user.id}",
            created_at=now - dt.timedelta(days=age),
            expires_at=now + dt.timedelta(days=1),
        )
    return found


def test_each_call_answers_what_the_query_built_for_it_answers(users):
    prepared = PreparedShape(_sessions)
    now = utcnow()
    calls = [
        ([u.id for u in users[:3]], now - dt.timedelta(days=10), True),
        ([u.id for u in users[3:6]], now - dt.timedelta(days=10), True),  # same shape
        ([u.id for u in users[:3]], now - dt.timedelta(days=1, hours=1), True),  # new date
        ([u.id for u in users], now - dt.timedelta(days=10), False),  # new constant
        ([u.id for u in users], now - dt.timedelta(days=10), True),
        ([], now, True),  # no ids: no rows
        ([10**9], now - dt.timedelta(days=10), True),  # an id no row has
    ]
    for ids, since, active in calls * 2:  # the second round from the kept shapes
        expected = list(_sessions(Ids(ids), since, active))
        assert prepared.rows(Ids(ids), since, active) == expected


def test_an_id_list_given_twice_is_bound_in_both_places(users):
    prepared = PreparedShape(
        lambda a, b: User.select(User.id).where(User.id.in_(a) & User.id.in_(b)).tuples()
    )
    ids = [u.id for u in users]
    assert prepared.rows(Ids(ids[:4]), Ids(ids[2:6])) == [(i,) for i in sorted(ids[2:4])]
    assert prepared.rows(Ids(ids[3:7]), Ids(ids[0:4])) == [(i,) for i in sorted(ids[3:4])]


def test_past_many_ids_the_query_is_built_as_it_comes(users, monkeypatch):
    monkeypatch.setattr(PreparedShape, "MANY", 2)
    prepared = PreparedShape(lambda ids: User.select(User.id).where(User.id.in_(ids)).tuples())
    ids = sorted(u.id for u in users)
    assert sorted(prepared.rows(Ids(ids))) == [(i,) for i in ids]
    assert prepared._shapes == {}  # nothing kept for a long list


def test_a_parameter_peewee_would_convert_is_refused():
    # A Money-like conversion would bind another value than the one given: refuse to
    # prepare rather than bind it unconverted.
    prepared = PreparedShape(
        lambda amount: User.select(User.id).where(User.id == User.id.db_value(amount) + 1)
    )
    with pytest.raises(RuntimeError):
        prepared.rows(5)


def test_a_value_peewee_converts_is_never_bound_unconverted(users):
    # A DateTimeField given a date, a DateField given a datetime: peewee converts some of
    # these; whatever it binds, the prepared reader binds the same.
    prepared = PreparedShape(
        lambda since: Session.select(Session.user).where(Session.created_at >= since).tuples()
    )
    today = utcnow().date()
    for since in (today, today - dt.timedelta(days=3), utcnow() - dt.timedelta(days=2)):
        expected = list(Session.select(Session.user).where(Session.created_at >= since).tuples())
        assert sorted(prepared.rows(since)) == sorted(expected)
