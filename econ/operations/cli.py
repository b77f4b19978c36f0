"""`econ keys status|rotate|verify|generate`, `econ backup DIR`, `econ restore BACKUP`."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from econ.config import get_settings
from econ.console import connect
from econ.db import db, init_database
from econ.migrations import applied
from econ.operations.backup import backup, restore
from econ.operations.keys import inventory, new_key, pending, rotate, verify
from econ.security.audit import verify_chain
from econ.security.crypto import current_key_id


def cmd_keys_status(args: argparse.Namespace) -> int:
    connect()
    current = current_key_id()
    totals: dict[str, int] = {}
    for label, counts in inventory().items():
        shown = ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())) or "empty"
        print(f"{label:<32} {shown}")
        for key_id, n in counts.items():
            totals[key_id] = totals.get(key_id, 0) + n
    old = {k: n for k, n in totals.items() if k != current}
    print(f"current key: {current}")
    if old:
        print("still under other keys: " + ", ".join(f"{k} ({n})" for k, n in sorted(old.items())))
        print("run `econ keys rotate` before removing any of them from the ring")
        return 1
    print("every value is under the current key: older keys can leave the ring")
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    if args.chunk < 1:
        raise SystemExit("econ: --chunk must be at least 1")
    connect()
    total = pending()
    with Progress(
        TextColumn(f"re-sealing under key {current_key_id()}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
    ) as bar:
        task = bar.add_task("", total=total)
        changed = rotate(
            chunk=args.chunk,
            pause=args.pause,
            progress=lambda label, n: bar.update(task, advance=n, description=label),
        )
    print(f"re-sealed {changed} value(s); {pending()} left under other keys")
    return 0


def cmd_keys_verify(args: argparse.Namespace) -> int:
    connect()
    read, problems = verify()
    for problem in problems[:50]:
        print(problem)
    print(f"{read} value(s) read, {len(problems)} unreadable")
    return 1 if problems else 0


def cmd_keys_generate(args: argparse.Namespace) -> int:
    print(f"{args.id}:{new_key()}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    connect()
    key_ids = sorted({key_id for counts in inventory().values() for key_id in counts})
    report = backup(get_settings(), Path(args.directory), sorted(applied()), key_ids)
    print(f"backup written to {report.path} ({report.database}, {report.files} file(s))")
    print(
        f"the keys are NOT in it: it needs key id(s) {', '.join(report.key_ids) or '(none)'} "
        "and the hashing key, kept somewhere else"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    settings = get_settings()
    init_database(settings)
    has_data = any(
        db.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
        for table in db.get_tables()
        if table != "schema_migration"
    )
    db.close()
    manifest = restore(settings, Path(args.backup), has_data=has_data, force=args.force)
    connect()  # applies migrations newer than the backup, if any
    report = verify_chain()
    print(f"restored the backup of {manifest['created_at']} ({manifest['database']})")
    print(f"audit log {'intact' if report.intact else 'TAMPERED'}: {report.entries} entries")
    return 0 if report.intact else 1


def register(subparsers) -> None:
    keys = subparsers.add_parser("keys", help="field-encryption keys: status, rotate, generate")
    sub = keys.add_subparsers(dest="keys_command", required=True)
    status = sub.add_parser("status", help="how many values each key holds (exit 1 if any old)")
    status.set_defaults(func=cmd_keys_status)
    rotate = sub.add_parser("rotate", help="re-seal every value under the current key (resumable)")
    rotate.add_argument("--chunk", type=int, default=200, help="values per transaction")
    rotate.add_argument("--pause", type=float, default=0.0, help="seconds between chunks")
    rotate.set_defaults(func=cmd_keys_rotate)
    verify = sub.add_parser(
        "verify", help="open every sealed value with the ring (exit 1 if any fails)"
    )
    verify.set_defaults(func=cmd_keys_verify)
    generate = sub.add_parser("generate", help="print a new `id:secret` ring entry")
    generate.add_argument("--id", required=True, help="its key id, e.g. 2027a")
    generate.set_defaults(func=cmd_keys_generate, needs_settings=False)  # before any config

    back = subparsers.add_parser(
        "backup", help="snapshot the database and files into DIR (no keys)"
    )
    back.add_argument("directory", metavar="DIR")
    back.set_defaults(func=cmd_backup)
    restore = subparsers.add_parser("restore", help="restore a backup folder made by econ backup")
    restore.add_argument("backup", metavar="BACKUP")
    restore.add_argument("--force", action="store_true", help="replace a database that has data")
    restore.set_defaults(func=cmd_restore)
