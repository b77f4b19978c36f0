"""`econ audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import argparse

from econ.console import connect
from econ.security.audit import verify_chain


def cmd_verify(args: argparse.Namespace) -> int:
    connect()
    report = verify_chain()
    if report.intact:
        print(f"audit log intact: {report.entries} entries")
        return 0
    print(f"audit log TAMPERED: {len(report.problems)} problem(s) in {report.entries} entries")
    for problem in report.problems[:50]:
        print(f"  {problem}")
    return 1


def register(subparsers) -> None:
    audit = subparsers.add_parser("audit", help="audit log tools")
    sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = sub.add_parser("verify", help="detect edited, inserted or deleted entries")
    verify.set_defaults(func=cmd_verify)
