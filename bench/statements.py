"""Monthly statements generated per second in one worker process, with real data.

Measured: `econ.statements.services.generate(participant, period)` for N participants
(assemble from every domain, render, store the file, record the version): each has a
stipend line of a disbursed run; about 10 % a loan, 10 % a completed training, 5 % a
placement. Baseline, same process: a bare reportlab Platypus one-page document with one
20-row table, set in the same embedded TrueType font (the Helvetica figure is printed
too), taking turns with econ on slices of 20 statements so both see the same load.
Target: >= 0.5 x the baseline's pages per second.

    python -m bench.statements [--size N] [--db sqlite|postgres] [--runs R]
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import statistics
import time

from bench import common, domains

AS_OF = dt.date(2026, 7, 20)
SLICE = 20  # statements per turn in `interleaved`
BASELINE_PER_SLICE = 8  # baseline documents per turn (of each font)


def baseline_page(embedded: bool = False) -> bytes:
    """One page, a title and a 20-row table; `embedded` sets it in the DejaVu TrueType font
    the statements embed (their names and languages need more than Helvetica's Latin-1)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    rows = [["Month", "Description", "Amount"]] + [
        [f"2026-{k % 12 + 1:02d}", f"Línea {k} ă ș", f"{100 + k}.00"] for k in range(19)
    ]
    table = Table(rows)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]
    title = getSampleStyleSheet()["Title"]
    if embedded:
        regular, bold = bare_fonts()
        style.append(("FONTNAME", (0, 0), (-1, -1), regular))
        title = title.clone("EmbeddedTitle", fontName=bold)
    table.setStyle(TableStyle(style))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph("Statement", title), table])
    return out.getvalue()


@functools.cache
def bare_fonts() -> tuple[str, str]:
    """econ's DejaVu files registered under names of their own as plain reportlab
    `TTFont`s, so the baseline gets none of the work econ's font registration saves."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from econ.statements.render.fonts import _FILES, BOLD, REGULAR, font_dir

    names = {REGULAR: "BareDejaVuSans", BOLD: "BareDejaVuSans-Bold"}
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(names[name], str(font_dir() / filename)))
    return names[REGULAR], names[BOLD]


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def build_world(size: int) -> tuple[common.Population, list[int]]:
    """Population, a disbursed run for the period, and the other domains on subsets."""
    from bench.payment_run import calculate
    from bench.streaming import approve_and_export

    pop = common.generate_population(size)
    run = calculate(pop)
    approve_and_export(run.id, pop)
    ids = list(range(pop.first_participant, pop.first_participant + size))
    admin = common.staff("ADMIN", "admin@bench.econ")[1]
    finance = pop.finance[0][1]
    employer, hr, opening = domains.employer_with_opportunity()
    for block, (index, members) in enumerate(pop.caseloads(ids).items()):
        counselor = pop.counselors[index][1]
        active = [pid for pid in members if _active(pid)]
        domains.add_loans(counselor, finance, active[0:5])
        domains.add_training(admin, counselor, active[5:10], cohort_size=5)
        if block and block % 40 == 0:  # two hires per caseload: 80 of its 100 places
            opening = domains.open_position(hr[1])
        domains.refer(counselor, opening, employer.id, active[10:12], hire=True)
    return pop, ids


def _active(pid: int) -> bool:
    from econ.participants.models import Participant

    return Participant.get_by_id(pid).status == "ACTIVE"


def generate_all(ids: list[int], period: str) -> list[int]:
    from econ.statements.services import generate

    return [generate(pid, period, as_of=AS_OF).id for pid in ids]


def baseline_docs(statements: int) -> int:
    """Baseline documents per run: BASELINE_PER_SLICE for each slice of statements."""
    return -(-statements // SLICE) * BASELINE_PER_SLICE


def interleaved(ids: list[int], period: str) -> tuple[float, float, float, list[int]]:
    """One run: (econ s for every statement, embedded baseline s, Helvetica baseline s,
    the statement ids). The three take turns on slices, so a change of the machine's load
    between them falls on all three (the other helpers' tests share these two cores).
    The process CPU time of econ and of the embedded baseline goes to `CPU_SPENT`."""
    spent, statement_ids = [0.0, 0.0, 0.0], []
    for lo in range(0, len(ids), SLICE):
        cpu = time.process_time()
        seconds, made = common.timed(lambda lo=lo: generate_all(ids[lo : lo + SLICE], period))
        CPU_SPENT[0] += time.process_time() - cpu
        spent[0] += seconds
        statement_ids += made
        for k, embedded in ((1, True), (2, False)):
            cpu = time.process_time()
            spent[k] += common.timed(
                lambda embedded=embedded: [
                    baseline_page(embedded) for _ in range(BASELINE_PER_SLICE)
                ]
            )[0]
            if embedded:
                CPU_SPENT[1] += time.process_time() - cpu
    return spent[0], spent[1], spent[2], statement_ids


CPU_SPENT = [0.0, 0.0]  # econ, embedded baseline: process CPU seconds over all runs


def stored_pages(statement_ids: list[int]) -> int:
    from econ.statements import storage
    from econ.statements.models import Statement

    rows = Statement.select(Statement.path).where(Statement.id.in_(statement_ids))
    return sum(page_count(storage.read(row.path)) for row in rows)


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], 2_000)
    common.setup_database(args.db)
    from econ.worker import ensure_configured

    ensure_configured()
    print(f"statements: N={args.size:,} statements, db={args.db}, runs={args.runs}")
    gen_s, (pop, ids) = common.timed(lambda: build_world(args.size))
    common.note(f"world built in {gen_s:.1f} s (not timed)")
    base_pages = page_count(baseline_page())
    baseline_page(True)  # warm-up, not timed: imports, font registration, first parses
    generate_all(ids[:1], pop.period)
    base_times, helvetica_times, econ_times, ratios, pages = [], [], [], [], 0
    for _ in range(args.runs):
        econ_s, base_s, helvetica_s, statement_ids = interleaved(ids, pop.period)
        econ_times.append(econ_s)
        base_times.append(base_s)
        helvetica_times.append(helvetica_s)
        pages = stored_pages(statement_ids)
        ratios.append((pages / econ_s) / (baseline_docs(len(ids)) * base_pages / base_s))
    docs = baseline_docs(len(ids))
    base_rate = docs * base_pages / statistics.median(base_times)
    econ_s = statistics.median(econ_times)
    helvetica_rate = docs * base_pages / statistics.median(helvetica_times)
    common.figure("baseline Platypus page, 20-row table, DejaVu", base_rate, "pages/s")
    common.figure("same baseline in Helvetica (not embedded)", helvetica_rate, "pages/s")
    common.figure("econ statements", args.size / econ_s, "statements/s")
    common.figure("econ pages (all statements)", pages, "pages")
    common.figure("econ pages/s", pages / econ_s, "pages/s")
    common.figure("peak RSS", common.peak_rss_mb(), "MB")
    common.figure("econ / Helvetica baseline", pages / econ_s / helvetica_rate)
    cpu_ratio = (CPU_SPENT[1] / (docs * base_pages * args.runs)) / (
        CPU_SPENT[0] / (pages * args.runs)
    )
    common.figure("same ratio in CPU time (pages per CPU s)", cpu_ratio)
    common.note(f"ratio per run: {', '.join(f'{r:.3f}' for r in ratios)}")
    common.note("ratio = econ pages/s / embedded-font baseline pages/s (target >= 0.5),")
    common.note(f"median of the runs; each run alternates them in slices of {SLICE} statements")
    common.print_ratio(statistics.median(ratios))


if __name__ == "__main__":
    main()
