"""The run page's lines, kept rendered while the run's lines cannot change.

A page of 50 lines with their breakdowns is most of what the run detail costs: graphql-core
completing some 1,500 result values, then Jinja writing 50 rows (docs/performance.md).
While a run is CALCULATED or APPROVED with its job done, its lines change only with its
version, and the API names that state of them with `linesKey` (the same key, the same
lines, codes, attempts and amounts; null while they may change). So the rendered section
is kept per (run, filters, page, language) with the key it was read under, and a request
that finds one asks the API for the run without its lines and shows what was kept only
if the key the API gives now is the same. Otherwise (a new version, a run at work, no
key) the lines are read and written again.

What is kept is only what any FINANCE user of the run would be shown: the lines are the
same for each of them (no payee name, no account: codes and amounts), and the section
holds no form token. Every request still runs the run's document with her own session,
so the API's rules decide first whether she may see the run at all: a run she cannot see
is "not found" before anything kept is looked at.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from markupsafe import Markup

from econ.web.finance_views import LineChoice

KEPT = 128  # sections kept per process (a run's first pages and filters in a few languages)


@dataclass(frozen=True)
class Section:
    key: str  # the run's linesKey when it was read
    html: Markup


class KeptSections:
    """A small LRU of rendered line sections, safe across the server's threads."""

    def __init__(self, size: int = KEPT):
        self._size = size
        self._kept: OrderedDict[tuple, Section] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, run_id: int, choice: LineChoice, language: str) -> Section | None:
        with self._lock:
            found = self._kept.get((run_id, choice, language))
            if found is not None:
                self._kept.move_to_end((run_id, choice, language))
            return found

    def put(self, run_id: int, choice: LineChoice, language: str, section: Section) -> None:
        with self._lock:
            self._kept[(run_id, choice, language)] = section
            self._kept.move_to_end((run_id, choice, language))
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
