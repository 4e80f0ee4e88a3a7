"""Metrics in the Prometheus exposition format, at /metrics for whoever holds CMS_METRICS_TOKEN.

Each server process keeps its own (Prometheus scrapes every instance and adds them up):
requests by route, operation, status and duration; the estimated cost of operations; SQL
statements and their durations; the connection pool; the response cache; refusals by the rate
limits. Operation names are the clients' choice: the first MAX_OPERATIONS names seen are labels,
any further ones count as "other", so a client cannot grow the metrics without bound.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from cms.http import refusal
from cms.vocabulary import RequestErrorCode

MAX_OPERATIONS = 200
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_ROUTES = ("/graphql", "/views", "/media", "/healthz", "/readyz", "/metrics")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "cms_requests", "HTTP requests answered.", ["route", "operation", "status"], registry=self.registry
        )
        self.duration = Histogram(
            "cms_request_duration_seconds",
            "Time to answer an HTTP request.",
            ["route", "operation"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.cost = Histogram(
            "cms_operation_cost",
            "Estimated cost of the GraphQL operations run.",
            buckets=(10, 50, 100, 500, 1000, 2500, 5000, 10_000, 50_000, 100_000),
            registry=self.registry,
        )
        self.statements = Histogram(
            "cms_sql_statement_duration_seconds",
            "Time of each SQL statement (its count is the number of statements).",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5),
            registry=self.registry,
        )
        self.compiled_reads = Counter(
            "cms_compiled_reads",
            "Anonymous queries answered by one compiled SQL statement (graphql.compiled), not the resolvers.",
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "cms_rate_limited", "Requests refused by the rate limits.", ["kind"], registry=self.registry
        )
        self._operations: set[str] = set()
        self._sources = _Sources()
        self.registry.register(self._sources)

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "-"
        if name in self._operations:
            return name
        if len(self._operations) < MAX_OPERATIONS:
            self._operations.add(name)
            return name
        return "other"

    def observe_request(self, path: str, operation: str | None, status: int, seconds: float) -> None:
        route = next((r for r in _ROUTES if path == r or path.startswith(r + "/")), "other")
        label = self.operation_label(operation) if route == "/graphql" else "-"
        self.requests.labels(route, label, str(status)).inc()
        self.duration.labels(route, label).observe(seconds)

    def watch_engine(self, engine: AsyncEngine) -> None:
        """Time every statement of `engine`, and report its pool."""
        sync = engine.sync_engine

        def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            conn.info["cms_started"] = time.perf_counter()

        def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            started = conn.info.pop("cms_started", None)
            if started is not None:
                self.statements.observe(time.perf_counter() - started)

        event.listen(sync, "before_cursor_execute", before)
        event.listen(sync, "after_cursor_execute", after)
        self._sources.pool = sync.pool

    def watch_cache(self, cache: Any) -> None:
        self._sources.cache = cache


class _Sources(Collector):
    """What other objects count: read when scraped."""

    def __init__(self) -> None:
        self.pool: Any = None
        self.cache: Any = None

    def collect(self) -> Iterator[Any]:
        if self.pool is not None:
            gauge = GaugeMetricFamily("cms_db_pool_connections", "Pooled PostgreSQL connections.", labels=["state"])
            gauge.add_metric(["in_use"], self.pool.checkedout())
            gauge.add_metric(["idle"], self.pool.checkedin())
            gauge.add_metric(["overflow"], max(self.pool.overflow(), 0))
            yield gauge
        if self.cache is not None:
            lookups = CounterMetricFamily(
                "cms_response_cache_lookups", "Response cache lookups by result.", labels=["result"]
            )
            lookups.add_metric(["hit"], self.cache.hits)
            lookups.add_metric(["miss"], self.cache.misses)
            yield lookups
            entries = GaugeMetricFamily("cms_response_cache_entries", "Responses the cache holds.")
            entries.add_metric([], len(self.cache))
            yield entries


def endpoint(metrics: Metrics, token: str | None) -> Any:
    """The /metrics route: the exposition for a bearer of `token`; absent (404) without a token set."""

    async def serve(request: Request) -> Response:
        if token is None:
            return refusal(404, "not found", RequestErrorCode.NOT_FOUND)
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return refusal(
                401,
                "metrics need the bearer token CMS_METRICS_TOKEN",
                "UNAUTHENTICATED",
                {"WWW-Authenticate": "Bearer"},
            )
        return Response(generate_latest(metrics.registry), 200, {"Cache-Control": "no-store"}, CONTENT_TYPE)

    return serve
