"""The content of a database, streamed out as JSON Lines (`cms export`)."""

from __future__ import annotations

from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from cms.services.transfer.codecs import dumps
from cms.services.transfer.format import TablePlan, end, header, migration_of, plan
from cms.services.transfer.progress import Progress

# Rows fetched per round trip from the server-side cursor: what is held in memory at once.
BATCH = 1000
# Every table read from one snapshot, and nothing written: a consistent export of a live server.
SNAPSHOT = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}


async def export_content(
    session: AsyncSession, out: BinaryIO, *, with_password_hashes: bool = False, progress: Progress | None = None
) -> dict[str, int]:
    """Write the whole content to `out`, one snapshot of it; returns the rows written per table.

    The session must not have used a connection yet, so that its transaction is made a
    read-only snapshot. Users' password hashes are left out unless `with_password_hashes`."""
    progress = progress or Progress()
    conn = await session.connection(execution_options=SNAPSHOT)
    tables = plan(with_password_hashes=with_password_hashes)
    revision = await conn.run_sync(migration_of)
    if progress.active:
        progress.start("exporting", await _total(conn, tables), "rows")
    try:
        out.write(dumps(header(revision, password_hashes=with_password_hashes)))
        counts = {table.name: await _write_table(conn, table, out, progress) for table in tables}
        out.write(dumps(end(counts)))
        out.flush()
    finally:
        progress.finish()
    return counts


async def _write_table(conn: AsyncConnection, table: TablePlan, out: BinaryIO, progress: Progress) -> int:
    written = 0
    # One dict for every row: the same keys each time, so in the same order.
    line: dict[str, Any] = {"type": table.name}
    result = await conn.stream(table.rows().execution_options(yield_per=BATCH))
    async for rows in result.partitions():
        for row in rows:
            line.update(zip(table.names, row, strict=True))
            out.write(dumps(line))
        written += len(rows)
        progress.advance(len(rows))
    return written


async def _total(conn: AsyncConnection, tables: list[TablePlan]) -> int:
    """Every row to be written, counted in the snapshot: only for the progress bar."""
    total = 0
    for table in tables:
        total += await conn.scalar(select(func.count()).select_from(table.table)) or 0
    return total
