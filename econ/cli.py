"""The `econ` command: serve, migrate, create-user, demo, and the domains' own commands.

The composition root of the command line: a domain's commands are in `econ/<domain>/cli.py`
(`register(subparsers)`), listed in DOMAIN_CLIS. Commands that act as a user take `--as
EMAIL` (password prompted) or ECON_USER and ECON_PASSWORD from the environment
(`econ.console.login_from_cli`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import fields
from importlib import metadata

from econ import demo
from econ.config import VARIABLES, ConfigError, get_settings, markdown_table
from econ.console import connect
from econ.db import init_database
from econ.errors import DomainError
from econ.microcredit import cli as microcredit_cli
from econ.migrations import apply_all, status
from econ.operations import cli as operations_cli
from econ.outcomes import cli as outcomes_cli
from econ.schema_root import build_schema
from econ.security import cli as security_cli
from econ.security import services as security
from econ.security.filemodes import restrict_files
from econ.security.roles import SYSTEM
from econ.statements import cli as statements_cli
from econ.stipends import cli as stipends_cli

# The domains' own commands, in the order `econ --help` lists them.
DOMAIN_CLIS = (
    stipends_cli,
    microcredit_cli,
    statements_cli,
    outcomes_cli,
    security_cli,
    operations_cli,
)


def cmd_serve(args: argparse.Namespace) -> int:
    # Importing econ.app builds the ASGI app from the settings (uvicorn serves `econ.app:app`),
    # so only the command that serves may import it.
    from econ.app import main as serve  # noqa: PLC0415

    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    init_database(get_settings())
    if args.status:
        return _migration_status()
    done = apply_all(print)
    print(f"{len(done)} migration(s) applied; database is up to date")
    return 0


def _migration_status() -> int:
    """List every migration; exit 1 while any is pending (for deploy scripts)."""
    rows = status()
    for row in rows:
        when = row.applied_at.strftime("%Y-%m-%d %H:%M:%S UTC") if row.applied_at else "pending"
        note = "" if row.known else "  (not in this version: applied by a newer one?)"
        print(f"{row.name:<40} {when}{note}")
    waiting = sum(1 for row in rows if row.applied_at is None)
    print(f"{waiting} pending" if waiting else "database is up to date")
    return 1 if waiting else 0


def cmd_create_user(args: argparse.Namespace) -> int:
    """The console's bootstrap: the first ADMINs, audited as such. Every other login is
    requested in the application and approved by a second ADMIN (econ/security/grants.py);
    a program needs two ADMINs before anything can be approved."""
    connect()
    password = args.password or os.environ.get("ECON_NEW_PASSWORD")
    if not password:
        password = getpass.getpass("password for the new user: ")
    user = security.create_user(
        SYSTEM, email=args.email, password=password, role=args.role, display_name=args.name or ""
    )
    print(f"created {user.role} {user.email} (id {user.id}), audited as a console bootstrap")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    connect()
    demo.load(if_empty=args.if_empty, force=args.force)
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    if args.markdown:
        print(markdown_table())
        return 0
    get_settings()  # raises with every problem named
    settings = get_settings()  # already validated: show what is in force, never a secret
    hidden = {f.name for f in fields(settings) if not f.repr}
    for var in VARIABLES:
        value = getattr(settings, var.attr)
        shown = ("(set)" if var.attr in hidden else value) if value not in ("", ()) else "(not set)"
        if isinstance(shown, str):  # a URL's password
            shown = re.sub(r"//([^:/@]+):[^@/]+@", r"//\1:***@", shown)
        print(f"{var.name:<26} {shown}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """The GraphQL schema (SDL) for client code generation: `econ schema > schema.graphql`."""
    print(str(build_schema()).rstrip())
    return 0


def version() -> str:
    try:
        return metadata.version("econ")
    except metadata.PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="econ", description="econ service and tools")
    parser.add_argument("--version", action="version", version=f"econ {version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="apply pending database migrations")
    migrate.add_argument(
        "--status",
        action="store_true",
        help="list applied and pending migrations, change nothing (exit 1 if any is pending)",
    )
    migrate.set_defaults(func=cmd_migrate)

    create = sub.add_parser(
        "create-user",
        help="bootstrap an ADMIN login on the server (others: requested and approved in the app)",
    )
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=["ADMIN"])
    create.add_argument("--password", help="prompted when omitted (or ECON_NEW_PASSWORD)")
    create.add_argument("--name", help="display name")
    create.set_defaults(func=cmd_create_user)

    demo = sub.add_parser("demo", help="load the demo data set and print the demo logins")
    demo.add_argument("--if-empty", action="store_true", help="quietly skip a database with data")
    demo.add_argument(
        "--force", action="store_true", help="add it to a database with data (never production)"
    )
    demo.set_defaults(func=cmd_demo)

    settings = sub.add_parser("settings", help="check the ECON_* settings and show them")
    settings.add_argument(
        "--markdown", action="store_true", help="print the README's table of every variable"
    )
    settings.set_defaults(func=cmd_settings, needs_settings=False)

    schema = sub.add_parser("schema", help="print the GraphQL schema (SDL) for client codegen")
    schema.set_defaults(func=cmd_schema, needs_settings=False)

    for module in DOMAIN_CLIS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "needs_settings", True):
            # Every ECON_* checked before any work, whatever the command; then files private
            # before anything is written.
            restrict_files(get_settings().data_dir)
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"econ: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        where = f" ({exc.field})" if exc.field else ""
        print(f"econ: {exc.message}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
