"""The engine and sessions, and the embedded PostgreSQL used when no URL is configured."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from cms.config import ConfigError, Settings, to_async_url

log = logging.getLogger(__name__)


def embedded_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL keeping its data in `data_dir`; return its URL.

    The data survives restarts. pgserver counts the processes using the server and stops it
    when the last of them exits, so nothing is left running behind the CMS.
    """
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ConfigError("the embedded PostgreSQL needs the pgserver package") from exc
    data_dir = data_dir.resolve() / "pgdata"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # pgserver re-exports get_server without declaring it.
    server: Any = pgserver.get_server(str(data_dir), cleanup_mode="stop")  # type: ignore[attr-defined]
    uri: str = server.get_uri()
    log.info("embedded PostgreSQL running with data in %s", data_dir)
    return uri


def database_url(settings: Settings) -> str:
    """The standard `postgresql://` URL to use: the configured one, or the embedded server's."""
    return settings.database_url or embedded_url(settings.data_dir)


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    return create_async_engine(
        to_async_url(url),
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": "cms", "timezone": "UTC"}},
        **kwargs,
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
