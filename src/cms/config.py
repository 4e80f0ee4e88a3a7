"""Typed settings, read once from the environment; the only module that reads it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is one line for the operator."""


def _mask_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def to_async_url(url: str) -> str:
    """Turn a standard `postgresql://` URL into the one SQLAlchemy needs for asyncpg."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in {"postgres", "postgresql", "postgresql+asyncpg"}:
        raise ConfigError("CMS_DATABASE_URL must be a postgresql:// URL, e.g. postgresql://user@localhost/cms")
    return f"postgresql+asyncpg://{rest}"


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, not {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if not value > 0:
        raise ConfigError(f"{name} must be positive, not {raw}")
    return value


def _base_url(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name) or None
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"{name} must be an http(s) URL without a query, e.g. https://cdn.example.com/media")
    return raw.rstrip("/")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = (env.get(name) or choices[0]).lower()
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def _retention(env: Mapping[str, str]) -> int:
    days = _int(env, "CMS_VIEW_RETENTION_DAYS", 30)
    if days < 7:
        raise ConfigError("CMS_VIEW_RETENTION_DAYS must be at least 7: the WEEK trending window reads a week of reads")
    return days


def _s3(env: Mapping[str, str]) -> S3Settings | None:
    bucket = env.get("CMS_S3_BUCKET") or None
    if bucket is None:
        return None
    return S3Settings(
        bucket=bucket,
        endpoint_url=_base_url(env, "CMS_S3_ENDPOINT_URL"),
        region=env.get("CMS_S3_REGION") or None,
        access_key_id=env.get("CMS_S3_ACCESS_KEY_ID") or None,
        secret_access_key=env.get("CMS_S3_SECRET_ACCESS_KEY") or None,
    )


@dataclass(frozen=True)
class S3Settings:
    """An S3-compatible bucket for media (AWS S3, MinIO, R2, ...). Credentials may also come the
    usual AWS ways (environment, profile, instance role) when left out here."""

    bucket: str
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Settings:
    """Everything the CMS can be told; built from the environment by `from_env`."""

    # None means: start the embedded PostgreSQL in `data_dir`.
    database_url: str | None = field(default=None, repr=False)
    data_dir: Path = Path(".cms-data")
    debug: bool = False
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 1_048_576
    # Multipart requests (uploads) have a limit of their own.
    max_upload_bytes: int = 26_214_400
    max_query_depth: int = 12
    max_query_tokens: int = 3000
    max_aliases: int = 30
    # The estimated cost (graphql.cost) an operation may have: anonymous callers, signed-in ones.
    max_cost_anonymous: int = 10_000
    max_cost: int = 100_000
    login_token_days: int = 30
    # How long browsers (max-age) and shared caches such as a CDN (s-maxage) may keep an
    # anonymous GET response, and serve it stale while they fetch it again.
    public_max_age: int = 30
    shared_max_age: int = 60
    stale_while_revalidate: int = 30
    # Connections each server process keeps open to PostgreSQL (opened as needed), and how many
    # more it may open under load; a request waits at most `db_pool_timeout` seconds for one.
    # An overflow connection is closed as soon as it is given back, so the next request pays for
    # a new backend and prepares its statements again: size the pool for the usual concurrency
    # (measured: a pool of 10 under 32 connections halved the compiled homepage's throughput).
    db_pool_size: int = 20
    db_pool_overflow: int = 10
    db_pool_timeout: float = 5.0
    # Requests per minute one caller may make (anonymous: per client address; signed in: per
    # token), reads and writes (mutations) apart; shared by every server process. Off for
    # benchmarks and trusted networks.
    rate_limits: bool = True
    rate_limit_reads_anonymous: int = 1200
    rate_limit_reads: int = 6000
    rate_limit_writes_anonymous: int = 120
    rate_limit_writes: int = 600
    # PostgreSQL cancels any statement of the server's that runs longer (answered TIMEOUT, 503).
    statement_timeout_ms: int = 5000
    # Whether each process keeps anonymous answers (graphql.response_cache); off to measure or
    # debug the path behind it.
    response_cache: bool = True
    # Whether anonymous queries that compile to one SQL statement are answered that way
    # (graphql.compiled) rather than by the resolvers; off to measure or debug the resolvers.
    compiled_reads: bool = True
    # OpenTelemetry traces (cms.tracing), exported over OTLP; needs `pip install 'cms[otel]'`.
    otel_traces: bool = False
    # Redis, when given, shares rate counts and anonymous responses between server processes.
    redis_url: str | None = field(default=None, repr=False)
    log_level: str = "INFO"
    # "text" (one readable line per event) or "json" (one JSON object per line, for collectors).
    log_format: str = "text"
    # The bearer token that reads /metrics; without one, /metrics is not served.
    metrics_token: str | None = field(default=None, repr=False)
    # The password `cms create-user` sets, for scripts that cannot answer a prompt.
    password: str | None = field(default=None, repr=False)
    # Developer mode (the default with the embedded database, as `make run` runs it): GraphiQL
    # at /graphql and introspection for everyone. Production (CMS_DATABASE_URL set) turns both
    # off for anonymous callers unless they are enabled on their own.
    developer_mode: bool = False
    graphiql: bool = False
    public_introspection: bool = False
    # Sign-in throttling, counted in the database so that it holds across server processes:
    # within `login_window_seconds`, failures beyond `login_slow_after` for one account are
    # answered slowly, and `login_lock_failures` for one account (or
    # `login_lock_address_failures` from one client address) lock it for `login_lock_seconds`.
    login_window_seconds: int = 900
    login_slow_after: int = 3
    login_lock_failures: int = 10
    login_lock_address_failures: int = 100
    login_lock_seconds: int = 900
    # Proxies whose X-Forwarded-For is believed for the client address (uvicorn's setting).
    forwarded_allow_ips: str = "127.0.0.1"
    # Signs preview links; when not set, a key made on first use is kept in the database, so that
    # every server process shares it.
    secret_key: str | None = field(default=None, repr=False)
    preview_link_seconds: int = 3600
    # The language of articles created without one (BCP 47).
    default_locale: str = "en"
    # How often a server process looks for scheduled publishes and embargo ends that came due,
    # to record them (visibility itself needs no job: it reads the clock).
    scheduler_interval: float = 5.0
    # Media files: in a folder (`media_dir`, else `data_dir`/media) or, with `s3` set, in a bucket.
    # `media_base_url` is where clients fetch stored files (a CDN, or the bucket's public URL);
    # without it the CMS serves them at /media/ itself. Renditions are always made by the CMS.
    media_dir: Path | None = None
    s3: S3Settings | None = None
    # The CMS's own address as clients reach it (behind a proxy or a CDN), for the URLs of
    # uploads and renditions it hands out; without it, the address each request was made to.
    public_url: str | None = None
    media_base_url: str | None = None
    # Images larger than this are refused before they are decoded (decompression bombs).
    max_image_pixels: int = 60_000_000
    # The widths renditions are clamped to.
    rendition_min_width: int = 16
    rendition_max_width: int = 4096

    # Reads: counted in memory and added to the database at least every `view_flush_seconds`
    # (and on shutdown); one reader's reloads of an article count once per `view_dedupe_minutes`;
    # counts are kept for `view_retention_days` (a week at least: the WEEK window reads them).
    view_flush_seconds: float = 1.0
    view_dedupe_minutes: int = 30
    view_retention_days: int = 30
    # How often the precomputed trending scores are refreshed (by one server process at a time).
    trending_refresh_seconds: float = 10.0

    @property
    def media_folder(self) -> Path:
        return self.media_dir if self.media_dir is not None else self.data_dir / "media"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        url = env.get("CMS_DATABASE_URL") or None
        if url is not None:
            to_async_url(url)  # fail early and clearly on a malformed URL
        origins = tuple(o.strip() for o in env.get("CMS_CORS_ORIGINS", "").split(",") if o.strip())
        developer = _bool(env, "CMS_DEVELOPER_MODE", url is None)
        level = env.get("CMS_LOG_LEVEL", "INFO").upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(f"CMS_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
        return cls(
            database_url=url,
            data_dir=Path(env.get("CMS_DATA_DIR") or ".cms-data"),
            debug=_bool(env, "CMS_DEBUG", False),
            cors_origins=origins,
            max_body_bytes=_int(env, "CMS_MAX_BODY_BYTES", 1_048_576),
            max_upload_bytes=_int(env, "CMS_MAX_UPLOAD_BYTES", 26_214_400),
            max_cost_anonymous=_int(env, "CMS_MAX_COST_ANONYMOUS", 10_000),
            max_cost=_int(env, "CMS_MAX_COST", 100_000),
            login_token_days=_int(env, "CMS_LOGIN_TOKEN_DAYS", 30),
            public_max_age=_int(env, "CMS_PUBLIC_MAX_AGE", 30),
            shared_max_age=_int(env, "CMS_SHARED_MAX_AGE", 60),
            stale_while_revalidate=_int(env, "CMS_STALE_WHILE_REVALIDATE", 30),
            response_cache=_bool(env, "CMS_RESPONSE_CACHE", True),
            compiled_reads=_bool(env, "CMS_COMPILED_READS", True),
            redis_url=env.get("CMS_REDIS_URL") or None,
            otel_traces=_bool(env, "CMS_OTEL_TRACES", False),
            db_pool_size=_int(env, "CMS_DB_POOL_SIZE", 20),
            db_pool_overflow=_int(env, "CMS_DB_POOL_OVERFLOW", 10),
            db_pool_timeout=_float(env, "CMS_DB_POOL_TIMEOUT", 5.0),
            statement_timeout_ms=_int(env, "CMS_STATEMENT_TIMEOUT_MS", 5000),
            rate_limits=_bool(env, "CMS_RATE_LIMITS", True),
            log_format=_choice(env, "CMS_LOG_FORMAT", ("text", "json")),
            metrics_token=env.get("CMS_METRICS_TOKEN") or None,
            rate_limit_reads_anonymous=_int(env, "CMS_RATE_LIMIT_READS_ANONYMOUS", 1200),
            rate_limit_reads=_int(env, "CMS_RATE_LIMIT_READS", 6000),
            rate_limit_writes_anonymous=_int(env, "CMS_RATE_LIMIT_WRITES_ANONYMOUS", 120),
            rate_limit_writes=_int(env, "CMS_RATE_LIMIT_WRITES", 600),
            log_level=level,
            password=env.get("CMS_PASSWORD"),
            developer_mode=developer,
            graphiql=_bool(env, "CMS_GRAPHIQL", developer),
            public_introspection=_bool(env, "CMS_PUBLIC_INTROSPECTION", developer),
            login_window_seconds=_int(env, "CMS_LOGIN_WINDOW_SECONDS", 900),
            login_slow_after=_int(env, "CMS_LOGIN_SLOW_AFTER", 3),
            login_lock_failures=_int(env, "CMS_LOGIN_LOCK_FAILURES", 10),
            login_lock_address_failures=_int(env, "CMS_LOGIN_LOCK_ADDRESS_FAILURES", 100),
            login_lock_seconds=_int(env, "CMS_LOGIN_LOCK_SECONDS", 900),
            forwarded_allow_ips=env.get("CMS_FORWARDED_ALLOW_IPS") or "127.0.0.1",
            secret_key=env.get("CMS_SECRET_KEY") or None,
            preview_link_seconds=_int(env, "CMS_PREVIEW_LINK_SECONDS", 3600),
            default_locale=env.get("CMS_DEFAULT_LOCALE") or "en",
            scheduler_interval=_float(env, "CMS_SCHEDULER_INTERVAL", 5.0),
            media_dir=Path(env["CMS_MEDIA_DIR"]) if env.get("CMS_MEDIA_DIR") else None,
            public_url=_base_url(env, "CMS_PUBLIC_URL"),
            s3=_s3(env),
            media_base_url=_base_url(env, "CMS_MEDIA_BASE_URL"),
            max_image_pixels=_int(env, "CMS_MAX_IMAGE_PIXELS", 60_000_000),
            rendition_min_width=_int(env, "CMS_RENDITION_MIN_WIDTH", 16),
            rendition_max_width=_int(env, "CMS_RENDITION_MAX_WIDTH", 4096),
            view_flush_seconds=_float(env, "CMS_VIEW_FLUSH_SECONDS", 1.0),
            view_dedupe_minutes=_int(env, "CMS_VIEW_DEDUPE_MINUTES", 30),
            view_retention_days=_retention(env),
            trending_refresh_seconds=_float(env, "CMS_TRENDING_REFRESH_SECONDS", 10.0),
        )

    def __repr__(self) -> str:
        url = _mask_password(self.database_url) if self.database_url else "embedded"
        return f"Settings(database={url!r}, debug={self.debug}, cors_origins={self.cors_origins})"
