"""The compiled read path: an anonymous query answered by one SQL statement whose result is the
response body, built in PostgreSQL (`compiler`), instead of a resolver per field.

`CompiledReads.plan` says whether a request compiles (None: the resolver path answers, as it
does every error), and keeps the answer for the next such request; `run` executes a statement
on a pooled connection in one round trip, through the driver: no transaction is opened for a
single read-only statement. The SQL text depends on the document and the shape of its arguments only (values
are bound), so each connection's prepared statement cache serves it.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any, NamedTuple

import asyncpg
from graphql.execution.values import get_variable_values
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from cms.db.faults import Fault, fault_of
from cms.graphql.compiled.compiler import Compiler, Statement, Unsupported
from cms.graphql.cost import operation_cost
from cms.graphql.limits import has_unstorable
from cms.metrics import Metrics
from graphql import DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode

__all__ = ["CompiledReads", "Plan", "Statement"]


class Plan(NamedTuple):
    statement: Statement
    cost: int


class CompiledReads:
    def __init__(
        self,
        schema: GraphQLSchema,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        default_locale: str,
        max_cost: int,
        connections: int,
        metrics: Metrics | None = None,
        max_plans: int = 2048,
    ) -> None:
        self.schema, self.sessionmaker, self.default_locale = schema, sessionmaker, default_locale
        self.max_cost, self.max_plans, self.metrics = max_cost, max_plans, metrics
        # Compiled reads wait for one of the pool's kept connections rather than open an
        # overflow one, which is closed when given back: a new backend per request, its
        # statements prepared again (measured: a third of the homepage's throughput under load).
        self._connections = asyncio.Semaphore(connections)
        # Plans by request (document, operation, variables; the files' base): a request seen
        # before is neither compiled nor costed again. None: the resolvers answer it.
        self._plans: OrderedDict[tuple[str, str], Plan | None] = OrderedDict()

    def plan(
        self,
        key: str,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        *,
        files: str,
    ) -> Plan | None:
        """The statement of an anonymous request (`key` names its document, operation and
        variables) and its estimated cost; None when the resolvers should answer it: it does not
        compile, or they would refuse it (unstorable strings, over the anonymous cost budget)."""
        if (key, files) in self._plans:
            self._plans.move_to_end((key, files))
            return self._plans[key, files]
        plan = None
        if not has_unstorable(variables):
            cost = operation_cost(self.schema, document, operation_name, variables)
            if cost <= self.max_cost:
                statement = self.statement(document, operation_name, variables, files=files)
                plan = Plan(statement, cost) if statement is not None else None
        self._plans[key, files] = plan
        if len(self._plans) > self.max_plans:
            self._plans.popitem(last=False)
        return plan

    def statement(
        self, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None, *, files: str
    ) -> Statement | None:
        """The operation as one statement, or None when the resolver path should answer it."""
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
        if len(chosen) != 1:
            return None
        coerced = get_variable_values(self.schema, chosen[0].variable_definitions or (), variables or {})
        if isinstance(coerced, list):  # the resolver path reports the variables' errors
            return None
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        compiler = Compiler(self.schema, fragments, coerced, files=files, default_locale=self.default_locale)
        try:
            return compiler.operation(chosen[0])
        except Unsupported:
            return None

    async def run(self, statement: Statement) -> bytes:
        """The response body. Raises the driver's errors (db.faults tells a fault from a bug)."""
        started = time.perf_counter()
        bind = self.sessionmaker.kw["bind"]
        if isinstance(bind, AsyncConnection):  # a connection lent for a test's transaction
            text = await _fetch(bind, statement, pooled=False)
        else:
            assert isinstance(bind, AsyncEngine)
            async with self._connections:
                try:
                    async with bind.connect() as conn:
                        text = await _fetch(conn, statement, pooled=True)
                except _STALE:
                    # The pool gave a connection the server has closed or is closing (it was
                    # restarted, or ended the backend): that one is invalidated, and the read is
                    # sent again, once, on another (a new one if the server is back).
                    async with bind.connect() as conn:
                        text = await _fetch(conn, statement, pooled=True)
        if self.metrics is not None:
            self.metrics.statements.observe(time.perf_counter() - started)
            self.metrics.compiled_reads.inc()
        return text.encode()


# What a pooled connection that the server closed, or is closing, raises at its next use:
# "connection is closed", "another operation is in progress" (the server's closing error still
# being read), "connection was closed in the middle of operation". A read is safe to send again.
_STALE = (
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
)


async def _fetch(conn: AsyncConnection, statement: Statement, *, pooled: bool) -> str:
    """The statement's one value, through the driver: one round trip, no transaction (asyncpg
    runs a statement outside a transaction in autocommit), none of SQLAlchemy's result handling;
    a pooled connection left in doubt is invalidated, not given back to the pool."""
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    try:
        text: str = await driver.fetchval(statement.sql, *statement.args)
    except BaseException as exc:
        # An error the server reported leaves the connection as it was; anything else (the
        # connection broken, the request cancelled mid-statement) leaves it in a state nobody
        # knows, and the next request to take it would find "another operation in progress".
        reported = isinstance(exc, asyncpg.PostgresError) and fault_of(exc) is not Fault.UNAVAILABLE
        if pooled and not reported:
            await conn.invalidate()
        raise
    return text
