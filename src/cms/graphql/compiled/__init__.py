"""The compiled read path: an anonymous query answered by one SQL statement whose result is the
response body, built in PostgreSQL (`compiler`), instead of a resolver per field.

`CompiledReads.statement` says whether an operation compiles (None: the resolver path answers,
as it does every error); `run` executes it on a pooled connection in one round trip: no
transaction is opened for a single read-only statement. The SQL text depends on
the document and the shape of its arguments only (values are bound), so each connection's
prepared statement cache serves it.
"""

from __future__ import annotations

from typing import Any

from graphql.execution.values import get_variable_values
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from cms.graphql.compiled.compiler import Compiler, Statement, Unsupported
from graphql import DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode

__all__ = ["CompiledReads", "Statement"]


class CompiledReads:
    def __init__(
        self, schema: GraphQLSchema, sessionmaker: async_sessionmaker[AsyncSession], *, default_locale: str
    ) -> None:
        self.schema, self.sessionmaker, self.default_locale = schema, sessionmaker, default_locale

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
        bind = self.sessionmaker.kw["bind"]
        if isinstance(bind, AsyncConnection):  # a connection lent for a test's transaction
            return await _fetch(bind, statement)
        assert isinstance(bind, AsyncEngine)
        async with bind.connect() as conn:
            # One statement that only reads: no BEGIN and COMMIT around it.
            return await _fetch(await conn.execution_options(isolation_level="AUTOCOMMIT"), statement)


async def _fetch(conn: AsyncConnection, statement: Statement) -> bytes:
    result = await conn.exec_driver_sql(statement.sql, tuple(statement.args))
    text: str = result.scalar_one()
    return text.encode()
