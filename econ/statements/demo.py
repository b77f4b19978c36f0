"""Demo statements: one for every line of each completed payment run (the demo has no
worker running while it loads, so they are generated here, as the run's task would)."""

from __future__ import annotations

from econ.statements import services
from econ.stipends import services as stipends

FINANCE = "finance@demo.econ"


def load(ctx) -> None:
    finance = ctx.actor(FINANCE)
    for run in stipends.list_runs(finance):
        if run.state in services.COMPLETED:
            services.generate_for_run(run.id)
