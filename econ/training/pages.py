"""Her enrolments, requests and credentials a page at a time, for many participants at once
(a class list shows each woman's). INTERNAL, no permission check: the callers pass ids
they resolved through a checked call (`sees_training_of`, or a profile shown to an
employer). Each page is read in SQL (`econ.paging.keyset_pages`), never the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable

from econ.paging import Page, keyset_pages
from econ.training.models import Credential, Enrollment, EnrollmentRequest


def enrollment_pages(ids: Iterable[int], size: int, after: int | None) -> dict[int, Page]:
    """Her enrolments, newest first."""
    query = Enrollment.select()
    return keyset_pages(query, Enrollment.participant, Enrollment.id, ids, size, after, True)


def request_pages(ids: Iterable[int], size: int, after: int | None) -> dict[int, Page]:
    """Her enrolment requests, newest first."""
    query = EnrollmentRequest.select()
    key = EnrollmentRequest.id
    return keyset_pages(query, EnrollmentRequest.participant, key, ids, size, after, True)


def credential_pages(
    ids: Iterable[int], size: int, after: int | None = None, skip: int = 0
) -> dict[int, Page]:
    """Her credentials in the order they were recorded (one per completion); `skip` for an
    offset page (an employer's cursor must not carry a credential's id: the same id on two
    referrals would tell it they are one woman)."""
    query = Credential.select()
    return keyset_pages(query, Credential.participant, Credential.id, ids, size, after, skip=skip)
