"""The `cms` command: serve, migrate, demo, create-user, create-token, export-schema, export, import.

Commands import what they need when they run, so `--help` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import getpass
import logging
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from types import FrameType
from typing import Any

from cms import logs
from cms.auth import Viewer
from cms.config import ConfigError, Settings
from cms.services.errors import InputError, Problems
from cms.vocabulary import Role

log = logging.getLogger("cms")
# Whoever runs a command: the operator, with no account; the audit log names no actor for them.
OPERATOR = Viewer(role=Role.ADMIN)


class CommandError(Exception):
    """Stops the command with one line for the operator."""


class Stopped(BaseException):
    """SIGTERM, SIGINT or SIGHUP arrived. A BaseException, as KeyboardInterrupt is, so that it passes
    `except Exception` and every `finally` on its way out runs: the embedded PostgreSQL is let go
    however the process is told to stop (Python's default for SIGTERM and SIGHUP ends it on the
    spot, leaving the server running)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


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
    from cms.storage import make_storage

    settings = _settings()
    storage = make_storage(settings)
    created = asyncio.run(_in_transaction(settings, lambda session: load_demo(session, storage, settings)))
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
            session, Problems(), OPERATOR, email=args.email, name=args.name, role=args.role, password=password
        )

    user = asyncio.run(_in_transaction(_settings(), create))
    print(f"created {user.role} user {user.email}")


def cmd_create_token(args: argparse.Namespace) -> None:
    from cms.services import tokens

    async def create(session: Any) -> Any:
        return await tokens.create_token(session, Problems(), OPERATOR, name=args.name, role=args.role)

    token, secret = asyncio.run(_in_transaction(_settings(), create))
    print(f"created {token.role} token '{token.name}'; it is shown once:")
    print(secret)


def cmd_media_gc(args: argparse.Namespace) -> None:
    from cms.services.media.gc import collect
    from cms.storage import StorageError, make_storage

    settings = _settings()
    storage = make_storage(settings)

    async def gc(session: Any) -> Any:
        return await collect(session, storage, grace=timedelta(minutes=args.grace), dry_run=args.dry_run)

    try:
        done = asyncio.run(_in_transaction(settings, gc))
    except StorageError as exc:
        raise CommandError(str(exc)) from None
    for stored in done.removed:
        print(f"{'would remove' if args.dry_run else 'removed'} {stored.key} ({stored.size} bytes)")
    verb = "would remove" if args.dry_run else "removed"
    print(f"{verb} {len(done.removed)} files that no media names; kept {done.kept}")


def cmd_export_schema(args: argparse.Namespace) -> None:
    from cms.graphql.schema import make_schema

    print(make_schema().as_str())


def cmd_export(args: argparse.Namespace) -> None:
    from cms.services.transfer import Progress, TransferError, export_content, streams

    settings = _settings()
    progress = Progress(sys.stderr)
    try:
        with streams.output(args.output) as out:
            counts = asyncio.run(
                _in_transaction(
                    settings,
                    lambda session: export_content(
                        session, out, with_password_hashes=args.with_password_hashes, progress=progress
                    ),
                )
            )
    except TransferError as exc:
        raise CommandError(str(exc)) from None
    # With the export on stdout, what was done is said on stderr.
    to_stdout = args.output == "-"
    where = "" if to_stdout else f" to {args.output}"
    print(f"exported {_rows(counts)}{where}", file=sys.stderr if to_stdout else sys.stdout)


def cmd_import(args: argparse.Namespace) -> None:
    from cms.services.transfer import Progress, TransferError, import_content, streams

    settings = _settings()
    progress = Progress(sys.stderr)
    try:
        with streams.source(args.input) as (lines, size):
            counts = asyncio.run(
                _in_transaction(settings, lambda session: import_content(session, lines, size=size, progress=progress))
            )
    except TransferError as exc:
        raise CommandError(str(exc)) from None
    print(f"imported {_rows(counts)}")


def _rows(counts: dict[str, int]) -> str:
    each = ", ".join(f"{n:,} {table}" for table, n in counts.items() if n)
    return f"{sum(counts.values()):,} rows ({each or 'no content'})"


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from cms import tracing
    from cms.app import create_app
    from cms.db.migrate import is_up_to_date

    settings = _settings()
    try:
        tracing.configure(settings)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    sock = _bind(args.host, args.port)
    embedded = None
    try:
        if settings.database_url is None:
            from cms.db.engine import start_embedded

            embedded = start_embedded(settings.data_dir)
            settings = dataclasses.replace(settings, database_url=embedded.url)
            _prepare_embedded(settings)
        elif not asyncio.run(_with_engine(settings, is_up_to_date)):
            raise CommandError("the database is not migrated: run `cms migrate` first")
        config = uvicorn.Config(
            create_app(settings),
            log_level="warning",
            access_log=False,
            # Client addresses (the login throttle, the log) from X-Forwarded-For, but only
            # when the connection comes from a proxy trusted with it.
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            timeout_graceful_shutdown=args.graceful_timeout,
        )
        server = uvicorn.Server(config)
        # What the process built to serve (the schema, the mappers, the modules) lives as long as
        # it does: out of the collector's sight, a full collection takes a few milliseconds, not
        # a hundred, when a large operation triggers one.
        gc.collect()
        gc.freeze()

        def hang_up(signum: int, frame: FrameType | None) -> None:
            # A closed terminal stops the server as SIGTERM does (uvicorn listens to SIGTERM and
            # SIGINT only); _stop is back in place for when uvicorn raises it again.
            signal.signal(signal.SIGHUP, _stop)
            server.handle_exit(signum, frame)

        signal.signal(signal.SIGHUP, hang_up)
        sock.listen(2048)
        url = f"http://{_display_host(args.host)}:{args.port}/graphql"
        log.info("ready at %s (open it in a browser for GraphiQL)" if settings.graphiql else "ready at %s", url)
        # uvicorn stops accepting on SIGTERM or SIGINT, lets the requests in flight finish, runs
        # the lifespan's shutdown, then raises the signal again: _stop turns it into Stopped.
        server.run(sockets=[sock])
    except Stopped as stop:
        log.info("stopped on %s", stop)
    finally:
        if embedded is not None:
            embedded.release()


def _prepare_embedded(settings: Settings) -> None:
    """Migrate the embedded database and, while it has no articles, load the demo newsroom."""
    from alembic.script import ScriptDirectory

    from cms.db.engine import make_sessionmaker
    from cms.db.migrate import alembic_config, current_revision, upgrade
    from cms.demo import load_demo
    from cms.storage import make_storage

    async def prepare(engine: Any) -> tuple[str | None, str | None, int]:
        before = await current_revision(engine)
        await upgrade(engine)
        after = await current_revision(engine)
        async with make_sessionmaker(engine)() as session, session.begin():
            created: int = await load_demo(session, make_storage(settings), settings, only_if_empty=True)
        return before, after, created

    before, after, created = asyncio.run(_with_engine(settings, prepare))
    if before == after:
        log.info("database up to date (migration %s)", after)
    else:
        script = ScriptDirectory.from_config(alembic_config())
        applied = [r.revision for r in script.iterate_revisions(after, before or "base")]
        log.info("migrations applied: %s", ", ".join(reversed(applied)))
    if created:
        log.info("demo newsroom loaded (%d articles)", created)
    else:
        log.info("demo newsroom skipped: the database already has articles")


def _bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port for uvicorn, made before anything else so that a taken port
    stops the command at once, with one line; it listens once the server is about to serve."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def _display_host(host: str) -> str:
    """The host as a URL names it; every interface includes this machine's loopback."""
    if host in {"", "0.0.0.0"}:  # noqa: S104 (compared, not bound)
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _seconds(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"a whole number, not {value!r}")
    return int(value)


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
    serve.add_argument(
        "--graceful-timeout",
        type=_seconds,
        default=5,
        metavar="SECONDS",
        # Under docker stop's 10 s, so that the process ends on its own before it is killed.
        help="on SIGTERM or SIGINT, how long requests in flight may take to finish (default: 5)",
    )
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
    media = sub.add_parser("media", help="look after the media storage").add_subparsers(
        dest="media_command", required=True, metavar="COMMAND"
    )
    gc = media.add_parser("gc", help="remove stored files that no media names (left by a crash)")
    gc.add_argument("--dry-run", action="store_true", help="list them, remove nothing")
    gc.add_argument(
        "--grace",
        type=_seconds,
        default=60,
        metavar="MINUTES",
        help="leave files younger than this alone: uploads in flight (default: 60)",
    )
    gc.set_defaults(run=cmd_media_gc)
    export = sub.add_parser("export", help="write the whole content as JSON Lines (not the media files)")
    export.add_argument(
        "--output", "-o", default="-", metavar="FILE", help="the file to write, or - for stdout (default: -)"
    )
    export.add_argument(
        "--with-password-hashes",
        action="store_true",
        help="include the users' password hashes (left out by default: imported users then cannot sign in)",
    )
    export.set_defaults(run=cmd_export)
    load = sub.add_parser("import", help="read an export into an empty database migrated to the same revision")
    load.add_argument(
        "--input", "-i", default="-", metavar="FILE", help="the file to read, or - for stdin (default: -)"
    )
    load.set_defaults(run=cmd_import)
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        level, form = settings.log_level, settings.log_format
    except ConfigError:  # said by the command that reads the settings
        level, form = "INFO", "text"
    logs.configure(level, form)
    # Alembic narrates its plugin set-up at INFO; `migrate` says what changed itself.
    for chatty in ("alembic", "pgserver"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _stop)
    try:
        args.run(args)
    except (CommandError, ConfigError) as exc:
        sys.exit(f"cms: {exc}")
    except InputError as exc:
        sys.exit(f"cms: {exc.message}")
    except Stopped as stop:
        sys.exit(128 + stop.signum)
