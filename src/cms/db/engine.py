"""The engine and sessions, and the embedded PostgreSQL used when no URL is configured."""

from __future__ import annotations

import atexit
import importlib.util
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from cms.config import ConfigError, Settings, to_async_url

log = logging.getLogger(__name__)

NOT_INSTALLED = (
    "no database: set CMS_DATABASE_URL to a postgresql:// URL, "
    "or install the embedded PostgreSQL with `pip install 'cms[embedded]'`"
)


@dataclass
class EmbeddedPostgres:
    """The embedded PostgreSQL of one data dir, as this process uses it.

    Every cms process using the data dir shares one server: pgserver lists their PIDs in the
    data dir and the last one to let go stops it.
    """

    url: str
    pgdata: Path
    _server: Any = field(repr=False)
    _released: bool = field(default=False, repr=False)

    def release(self) -> None:
        """Stop using the server, and stop it unless another live process still uses it."""
        if self._released:
            return
        self._released = True
        _running.pop(self.pgdata, None)
        _, users, _ = _forget_ended_users(self.pgdata)
        self._server.cleanup()
        others = [pid for pid in users if pid != os.getpid()]
        if not (self.pgdata / "postmaster.pid").exists():
            log.info("embedded PostgreSQL stopped")
        elif others:
            log.info("embedded PostgreSQL left running for the cms %s still using it", _pids(others))
        else:
            log.warning("embedded PostgreSQL did not stop; its log is %s", self.pgdata / "log")


_running: dict[Path, EmbeddedPostgres] = {}


def start_embedded(data_dir: Path) -> EmbeddedPostgres:
    """Start the embedded PostgreSQL keeping its data in `data_dir`, or join the one running there.

    It is stopped by `release()`, at the latest when the process exits normally; a process that
    died without that is forgotten by the next one, so it cannot keep the server running.
    Raises ConfigError when pgserver is not installed or the server does not start.
    """
    data_dir = data_dir.resolve()
    pgdata = data_dir / "pgdata"
    if (known := _running.get(pgdata)) is not None:
        return known
    if importlib.util.find_spec("pgserver") is None:
        raise ConfigError(NOT_INSTALLED)
    data_dir.mkdir(parents=True, exist_ok=True)
    pgserver = _import_pgserver(data_dir)
    running, users, ended = _forget_ended_users(pgdata)
    try:
        server: Any = pgserver.get_server(pgdata, cleanup_mode="stop")
    except RuntimeError as exc:  # no socket path short enough
        raise ConfigError(f"the embedded PostgreSQL did not start: {exc}; set a shorter CMS_DATA_DIR") from None
    except (OSError, subprocess.SubprocessError):
        raise ConfigError(f"the embedded PostgreSQL did not start; its log is {pgdata / 'log'}") from None
    embedded = EmbeddedPostgres(url=server.get_uri(), pgdata=pgdata, _server=server)
    _running[pgdata] = embedded
    # Before pgserver's own exit hook (atexit runs last-registered first), so that ended
    # processes are forgotten before it decides whether this process is the last user.
    atexit.register(embedded.release)
    if not running:
        log.info("embedded PostgreSQL started; its data is in %s", pgdata)
    elif users:
        log.info("embedded PostgreSQL already running for %s; its data is in %s", _pids(users), pgdata)
    else:
        left = f"left by {_pids(ended)}, which ended without stopping it" if ended else "with no cms process using it"
        log.info("embedded PostgreSQL found running, %s; its data is in %s", left, pgdata)
    return embedded


def database_url(settings: Settings) -> str:
    """The standard `postgresql://` URL to use: the configured one, or the embedded server's."""
    return settings.database_url or start_embedded(settings.data_dir).url


def make_engine(url: str, *, statement_timeout_ms: int | None = None, **kwargs: Any) -> AsyncEngine:
    """An engine for `url`; with `statement_timeout_ms`, PostgreSQL cancels any statement of its
    connections that runs longer (the server's budget; migrations and commands run without)."""
    server_settings = {"application_name": "cms", "timezone": "UTC"}
    if statement_timeout_ms is not None:
        server_settings["statement_timeout"] = str(statement_timeout_ms)
    # No pre-ping: it would cost a round trip on every checkout. A connection found dead fails
    # its one request, and SQLAlchemy then drops every connection opened before it.
    return create_async_engine(to_async_url(url), connect_args={"server_settings": server_settings}, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def _import_pgserver(data_dir: Path) -> ModuleType:
    # pgserver asks platformdirs for the user's runtime directory as it is imported, for its lock
    # file (and for the socket when the data dir's path is too long for one). Sessions without a
    # login manager (containers, CI, cron, ssh without systemd) have no XDG_RUNTIME_DIR, and
    # platformdirs then warns and falls back to a directory in /tmp. The data dir is ours and
    # private, so its run/ serves instead: set for the import only, the one time pgserver reads it.
    if (imported := sys.modules.get("pgserver")) is not None:
        return imported
    previous = os.environ.get("XDG_RUNTIME_DIR")
    lend = not previous
    if lend:
        runtime = data_dir / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        runtime.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    try:
        import pgserver
    finally:
        if lend and previous is None:
            del os.environ["XDG_RUNTIME_DIR"]
        elif lend:
            os.environ["XDG_RUNTIME_DIR"] = previous or ""
    return pgserver


def _forget_ended_users(pgdata: Path) -> tuple[bool, list[int], list[int]]:
    """Drop the processes that ended without letting go from pgserver's list of the server's
    users; return whether the server runs, the users alive and the ones dropped."""
    import psutil
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList, PostmasterInfo

    def alive(pid: int) -> bool:
        try:
            return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
        except psutil.NoSuchProcess:
            return False
        except psutil.AccessDenied:  # another user's process: it exists
            return True

    # The lock pgserver holds while it starts, joins or stops a server and edits the list.
    with PostgresServer._lock:
        users = DiskList(pgdata / ".handle_pids.json")
        listed: list[int] = users.get()
        living = [pid for pid in listed if alive(pid)]
        if living != listed:
            users.put(living)
        info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.is_dir() else None
        ended = [pid for pid in listed if pid not in living]
        return info is not None and info.is_running(), living, ended


def _pids(pids: list[int]) -> str:
    return ("process " if len(pids) == 1 else "processes ") + ", ".join(map(str, pids))
