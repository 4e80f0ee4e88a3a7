"""The `cms` command: serve, migrate, demo, create-user, create-token, export-schema.

Commands import what they need when they run, so `--help` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from cms.config import ConfigError, Settings
from cms.services.errors import InputError, Problems
from cms.vocabulary import Role


class CommandError(Exception):
    """Stops the command with one line for the operator."""


def _settings() -> Settings:
    return Settings.from_env()


async def _with_engine(settings: Settings, action: Callable[[Any], Awaitable[Any]]) -> Any:
    from cms.db.engine import database_url, make_engine

    engine = make_engine(database_url(settings))
    try:
        return await action(engine)
    except OSError as exc:
        raise CommandError(f"cannot reach the database: {exc}") from None
    finally:
        await engine.dispose()


async def _in_transaction(settings: Settings, action: Callable[[Any], Awaitable[Any]]) -> Any:
    from cms.db.engine import make_sessionmaker
    from cms.db.migrate import is_up_to_date

    async def run(engine: Any) -> Any:
        if not await is_up_to_date(engine):
            raise CommandError("the database is not migrated: run `cms migrate` first")
        async with make_sessionmaker(engine)() as session, session.begin():
            return await action(session)

    return await _with_engine(settings, run)


def cmd_migrate(args: argparse.Namespace) -> None:
    from cms.db.migrate import current_revision, upgrade

    async def migrate(engine: Any) -> tuple[str | None, str | None]:
        before = await current_revision(engine)
        await upgrade(engine)
        return before, await current_revision(engine)

    before, after = asyncio.run(_with_engine(_settings(), migrate))
    print(
        "database already up to date" if before == after else f"database migrated from {before or 'empty'} to {after}"
    )


def cmd_demo(args: argparse.Namespace) -> None:
    from cms.demo import load_demo

    created = asyncio.run(_in_transaction(_settings(), load_demo))
    print(f"demo newsroom loaded ({created} new articles)")


def cmd_create_user(args: argparse.Namespace) -> None:
    from cms.services import users

    password = _settings().password
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError("set CMS_PASSWORD or run in a terminal to be asked for the password")
        password = getpass.getpass("Password (at least 12 characters): ")
        if getpass.getpass("Again: ") != password:
            raise CommandError("the passwords differ")

    async def create(session: Any) -> Any:
        return await users.create_user(
            session, Problems(), email=args.email, name=args.name, role=args.role, password=password
        )

    user = asyncio.run(_in_transaction(_settings(), create))
    print(f"created {user.role} user {user.email}")


def cmd_create_token(args: argparse.Namespace) -> None:
    from cms.services import users

    async def create(session: Any) -> Any:
        return await users.create_token(session, Problems(), name=args.name, role=args.role)

    token, secret = asyncio.run(_in_transaction(_settings(), create))
    print(f"created {token.role} token '{token.name}'; it is shown once:")
    print(secret)


def cmd_export_schema(args: argparse.Namespace) -> None:
    from cms.graphql.schema import make_schema

    print(make_schema().as_str())


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from cms.app import create_app
    from cms.db.migrate import is_up_to_date, upgrade

    settings = _settings()
    if settings.database_url is None:
        # The embedded database is ours to keep current and, when empty, to fill with the demo.
        from cms.db.engine import embedded_url
        from cms.demo import load_demo

        settings = dataclasses.replace(settings, database_url=embedded_url(settings.data_dir))
        asyncio.run(_with_engine(settings, upgrade))
        asyncio.run(_in_transaction(settings, lambda s: load_demo(s, only_if_empty=True)))
    elif not asyncio.run(_with_engine(settings, is_up_to_date)):
        raise CommandError("the database is not migrated: run `cms migrate` first")
    print(f"CMS serving GraphQL on http://{args.host}:{args.port}/graphql", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning", access_log=False)


def _role(value: str) -> Role:
    try:
        return Role(value.upper())
    except ValueError:
        raise argparse.ArgumentTypeError(f"choose a role from {', '.join(r.value for r in Role)}") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cms", description="A headless CMS for newsrooms.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the GraphQL server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    sub.add_parser("demo", help="load the demo newsroom (again: adds nothing twice)").set_defaults(run=cmd_demo)
    user = sub.add_parser("create-user", help="create a user; password from CMS_PASSWORD or a prompt")
    user.add_argument("email")
    user.add_argument("--name", required=True)
    user.add_argument("--role", required=True, type=_role)
    user.set_defaults(run=cmd_create_user)
    token = sub.add_parser("create-token", help="create an API token and print it on the last line")
    token.add_argument("--name", required=True)
    token.add_argument("--role", required=True, type=_role)
    token.set_defaults(run=cmd_create_token)
    sub.add_parser("export-schema", help="print the GraphQL schema (SDL)").set_defaults(run=cmd_export_schema)
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        level = Settings.from_env().log_level
    except ConfigError:
        level = "INFO"
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Alembic narrates its plugin set-up at INFO; `migrate` says what changed itself.
    for chatty in ("alembic", "pgserver"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    try:
        args.run(args)
    except (CommandError, ConfigError) as exc:
        sys.exit(f"cms: {exc}")
    except InputError as exc:
        sys.exit(f"cms: {exc.message}")
    except KeyboardInterrupt:
        sys.exit(130)
