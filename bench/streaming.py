"""Streaming money: approval and disbursement of one large run, each in a child process.

Measured, for a run of N schedules calculated first (not timed here; bench.payment_run
measures the calculation): approval (control totals, hash, the journal entry's postings)
and disbursement (attempts, one SEPA pain.001 for the bank transfers, CSV and cash list
for the others, the send entries), each in a fresh child process, so that each peak RSS
(`VmHWM`, whole process, imports included) is its own. Target: under 300 MB each at
N = 100,000.

Baseline, in the export's child after the export: bare lxml writing the same XML, the
tree built with `SubElement` and serialised with `tostring(pretty_print=True)` from plain
tuples read back from the stored file (checked byte for byte against it). The ratio is the
export's SEPA file step (`SepaAdapter.write` inside the real export: the attempts read
back in reference order, their payee details decrypted, screened, written and sealed) to
that baseline. Target: <= 2.

    python -m bench.streaming [--size N] [--db sqlite|postgres]
"""

from __future__ import annotations

import io
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

from lxml import etree

from bench import common

NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


def in_child(phase: str, *args: object) -> dict:
    """Run `phase` in a fresh process (spawned: nothing inherited but the environment)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_child, phase, *args).result()


def _child(phase: str, *args: object) -> dict:
    from econ.config import load_settings, use_settings
    from econ.db import db, init_database
    from econ.worker import ensure_configured

    init_database(use_settings(load_settings()))
    db.connect(reuse_if_open=True)
    ensure_configured()
    common.reset_peak_rss()
    start = common.current_rss_mb()
    result = PHASES[phase](*args)
    result.update(peak_mb=common.peak_rss_mb(), start_mb=start)
    if phase == "export":
        result.update(bare_lxml(args[0]))
    return result


def approve(run_id: int, checker) -> dict:
    from econ.stipends.approval import approve_run, payable_total
    from econ.stipends.models import PaymentRun

    run = PaymentRun.get_by_id(run_id)
    total = payable_total(run).total
    seconds, _ = common.timed(lambda: approve_run(checker, run_id, run.version, total))
    return {"seconds": seconds}


def export(run_id: int, maker) -> dict:
    from econ.stipends import adapters

    spent: list[float] = []
    write = adapters.SepaAdapter.write

    def timed_write(self, out, batch, payees) -> None:  # the real call, timed
        began = time.perf_counter()
        write(self, out, batch, payees)
        spent.append(time.perf_counter() - began)

    adapters.SepaAdapter.write = timed_write

    seconds, _ = common.timed(lambda: _export(run_id, maker))
    adapters.SepaAdapter.write = write
    return {"seconds": seconds, "sepa_write_s": sum(spent)}


def _export(run_id: int, maker) -> None:
    from econ.stipends import tasks
    from econ.stipends.runs import disburse_run

    disburse_run(maker, run_id, "SEPA", run_tasks=False)
    if tasks.disburse_payment_run.apply(args=(run_id,)).get() != "done":
        raise RuntimeError("disbursement did not finish")


def approve_and_export(run_id: int, pop: common.Population) -> None:
    """Approve (the second FINANCE user) and export the run in this process, unmeasured:
    for benchmarks that need a disbursed run in their world (bench.statements)."""
    approve(run_id, pop.finance[1][1])
    _export(run_id, pop.finance[0][1])


PHASES = {"approve": approve, "export": export}


def _sepa_file(run_id: int):

    from econ.stipends.models import PaymentFile

    return PaymentFile.get((PaymentFile.run == run_id) & (PaymentFile.format == "SEPA"))


def bare_lxml(run_id: int) -> dict:
    """Seconds for bare lxml to write the stored SEPA file again (median of 3), checked
    byte for byte against it, and econ's writer alone on the same screened transfers."""
    from econ.stipends.file_store import read_content
    from econ.stipends.files.sepa import write_pain001
    from econ.stipends.files.types import Payer, Transfer

    stored = _sepa_file(run_id)
    content = read_content(stored).encode()
    header, transfers = read_back(content)
    times = []
    for _ in range(3):
        seconds, written = common.timed(lambda: write_bare(header, transfers))
        times.append(seconds)
    if written != content:
        raise RuntimeError("bare lxml did not write the same bytes")
    payer = Payer(
        name=header["Dbtr/Nm"], iban=header["DbtrAcct/Id/IBAN"], display_name=header["prefix"]
    )
    # Every remittance econ writes is "<display name> <period>".
    screened = [
        Transfer(e2e, name, iban, amount, "EUR", text.rsplit(" ", 1)[1], bic)
        for e2e, amount, bic, name, iban, text in transfers
    ]
    from datetime import date, datetime
    from decimal import Decimal

    def econ_writer() -> bytes:
        out = io.BytesIO()
        write_pain001(
            out,
            header["MsgId"],
            datetime.fromisoformat(header["CreDtTm"]),
            payer,
            screened,
            date.fromisoformat(header["ReqdExctnDt"]),
            Decimal(header["CtrlSum"]),
            int(header["NbOfTxs"]),
        )
        return out.getvalue()

    writer_s, again = common.timed(econ_writer)
    if again != content:
        raise RuntimeError("econ's writer did not write the same bytes again")
    return {
        "bare_lxml_s": sorted(times)[1],
        "writer_s": writer_s,
        "sepa_transfers": len(transfers),
        "sepa_mb": len(content) / 1e6,
    }


# The group header and batch fields, in document order (PmtInf fields after GrpHdr).
GROUP = ("MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty/Nm")
BATCH = (
    "PmtInfId", "PmtMtd", "BtchBookg", "NbOfTxs", "CtrlSum", "PmtTpInf/SvcLvl/Cd",
    "ReqdExctnDt", "Dbtr/Nm", "DbtrAcct/Id/IBAN", "DbtrAgt/FinInstnId/Othr/Id", "ChrgBr",
)  # fmt: skip


def read_back(content: bytes) -> tuple[dict, list[tuple]]:
    """The header values and (end-to-end id, amount, BIC, name, IBAN, remittance) of each
    transfer of a file econ wrote (for a payer without BIC, as the benchmark's)."""
    from decimal import Decimal

    root = etree.fromstring(content)
    p = {"p": NS}
    header = {
        path: root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/" + _q(path), namespaces=p)
        for path in GROUP
    }
    batch = root.find("p:CstmrCdtTrfInitn/p:PmtInf", p)
    header.update({path: batch.findtext(_q(path), namespaces=p) for path in BATCH})
    transfers = []
    for item in batch.iterfind("p:CdtTrfTxInf", p):
        remittance = item.findtext("p:RmtInf/p:Ustrd", namespaces=p) or ""
        transfers.append(
            (
                item.findtext("p:PmtId/p:EndToEndId", namespaces=p),
                Decimal(item.findtext("p:Amt/p:InstdAmt", namespaces=p)),
                item.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=p),
                item.findtext("p:Cdtr/p:Nm", namespaces=p),
                item.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=p),
                remittance,
            )
        )
    header["prefix"] = transfers[0][5].rsplit(" ", 1)[0]  # the payer's display name
    return header, transfers


def _q(path: str) -> str:
    return "/".join(f"p:{name}" for name in path.split("/"))


def write_bare(header: dict, transfers: list[tuple]) -> bytes:
    """The document as anyone would write it with lxml: one tree, one tostring."""
    sub = etree.SubElement

    def add(parent, path: str, text: str) -> None:
        for name in path.split("/"):
            parent = sub(parent, f"{{{NS}}}{name}")
        parent.text = text

    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    initiation = sub(root, f"{{{NS}}}CstmrCdtTrfInitn")
    group = sub(initiation, f"{{{NS}}}GrpHdr")
    for path in GROUP:
        add(group, path, header[path])
    batch = sub(initiation, f"{{{NS}}}PmtInf")
    for path in BATCH:
        add(batch, path, header[path])
    for e2e, amount, bic, name, iban, remittance in transfers:
        item = sub(batch, f"{{{NS}}}CdtTrfTxInf")
        add(item, "PmtId/EndToEndId", e2e)
        amt = sub(sub(item, f"{{{NS}}}Amt"), f"{{{NS}}}InstdAmt")
        amt.text = f"{amount:.2f}"
        amt.set("Ccy", "EUR")
        if bic:
            add(item, "CdtrAgt/FinInstnId/BIC", bic)
        add(item, "Cdtr/Nm", name)
        add(item, "CdtrAcct/Id/IBAN", iban)
        add(item, "RmtInf/Ustrd", remittance)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def measure(run_id: int, pop: common.Population) -> tuple[dict, dict]:
    """(approval, export) figures, each from its own child process."""
    approval = in_child("approve", run_id, pop.finance[1][1])
    disbursed = in_child("export", run_id, pop.finance[0][1])
    return approval, disbursed


def report(approval: dict, disbursed: dict) -> float:
    """Print the figures; returns the ratio (SEPA file step / bare lxml)."""
    common.figure("approval (control totals, hash, journal)", approval["seconds"], "s")
    common.figure("approval: peak RSS of its process", approval["peak_mb"], "MB")
    common.figure("approval: RSS of its process before it", approval["start_mb"], "MB")
    common.figure("disbursement (attempts, files, journal)", disbursed["seconds"], "s")
    common.figure("disbursement: peak RSS of its process", disbursed["peak_mb"], "MB")
    common.figure("disbursement: RSS of its process before it", disbursed["start_mb"], "MB")
    common.figure(
        f"SEPA file of {disbursed['sepa_transfers']:,} transfers", disbursed["sepa_mb"], "MB"
    )
    common.figure("export's SEPA file step (read, decrypt, screen, write, seal)",
                  disbursed["sepa_write_s"], "s")  # fmt: skip
    common.figure("econ's writer alone, same transfers", disbursed["writer_s"], "s")
    common.figure("baseline: bare lxml tree + tostring, same bytes", disbursed["bare_lxml_s"], "s")
    return disbursed["sepa_write_s"] / disbursed["bare_lxml_s"]


def main() -> None:
    from bench.payment_run import calculate, check_run

    args = common.parse_args(__doc__.splitlines()[0], 20_000)
    where = common.setup_database(args.db)
    from econ.worker import ensure_configured

    ensure_configured()
    print(f"streaming: N={args.size:,} schedules, db={args.db} ({where})")
    gen_seconds, pop = common.timed(lambda: common.generate_population(args.size))
    common.note(f"data generated in {gen_seconds:.1f} s (not timed below)")
    run = calculate(pop)
    counts = check_run(run.id, pop)
    common.note(f"run calculated: {counts['lines']:,} lines (not timed here)")
    from econ.db import db

    db.close()  # the children open their own connections
    approval, disbursed = measure(run.id, pop)
    ratio = report(approval, disbursed)
    common.note("ratio = export's SEPA file step / bare lxml writing the same bytes (target <= 2)")
    common.print_ratio(ratio)


if __name__ == "__main__":
    main()
