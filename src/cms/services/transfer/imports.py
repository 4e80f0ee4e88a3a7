"""An export read back into an empty database (`cms import`), in the caller's one transaction.

Lines are checked as they are read (JSON, type, fields, each value against its column) and their
rows sent a batch at a time with COPY, the fastest way into PostgreSQL; what only the database
can tell (a duplicate key, a reference to nothing, a CHECK) is traced back to the line it came
from. Any error raises TransferError and leaves the transaction to be rolled back: nothing of the
file is kept. The database's own triggers run as for any write: search vectors are computed,
and running servers are told the content changed when the transaction commits. Those triggers
are most of an import's time (each article's vector is computed as it goes in, then again after
its bylines and after its tags, as psql restoring a pg_dump does); switching them off for the
import would copy their knowledge here, and need the tables' owner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import orjson
from sqlalchemy import ForeignKey, Integer, bindparam, cast, exists, func, literal, select, text, union_all, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from cms.services.transfer.codecs import shown
from cms.services.transfer.format import END, HEADER, TablePlan, TransferError, migration_of, plan, read_header
from cms.services.transfer.progress import Progress

# A batch is sent when it holds this many rows or bytes of lines, whichever comes first.
BATCH_ROWS = 2000
BATCH_BYTES = 4_000_000
# Where PostgreSQL says which row of a COPY it refused (its English message; else the batch is named).
_COPY_LINE = re.compile(r"COPY \S+, line (\d+)")
_KEY_DETAIL = {"23505", "23P01"}  # unique_violation, exclusion_violation


async def import_content(
    session: AsyncSession, lines: Iterable[bytes], *, size: int | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Read an export's `lines` into the session's database, which must be migrated and hold no
    content; keeps every id, then sets each sequence past the highest. Returns the rows per table.

    Raises TransferError for a database with content, a file of another format or migration, or
    a line that is wrong or that the database refuses, naming the line; the caller rolls back."""
    progress = progress or Progress()
    conn = await session.connection()
    await _lock_and_check_empty(conn, plan(with_password_hashes=False))
    revision = await conn.run_sync(migration_of)
    progress.start("importing", size, "bytes")
    try:
        loader = await _read(conn, lines, revision, progress)
    finally:
        progress.finish()
    await loader.set_late_references()
    await _reset_sequences(conn, loader.tables)
    # Fresh statistics for the planner, which would otherwise guess until autovacuum comes by.
    await conn.execute(text(f"ANALYZE {_names(conn, loader.tables)}"))
    return loader.counts


async def _read(conn: AsyncConnection, lines: Iterable[bytes], revision: str | None, progress: Progress) -> _Loader:
    raw = (await conn.get_raw_connection()).driver_connection
    # COPY goes to asyncpg's connection itself: it must be inside SQLAlchemy's transaction (begun by
    # the statements before), or each batch's savepoint would be a transaction of its own, committed.
    if raw is None or not raw.is_in_transaction():
        raise RuntimeError("the import must run inside a transaction that has begun")
    loader: _Loader | None = None
    number = 0
    for number, line in enumerate(lines, start=1):
        progress.advance(len(line))
        parsed = _parse(number, line)
        if loader is None:
            hashes = read_header(parsed, revision)
            loader = _Loader(conn, raw, plan(with_password_hashes=hashes))
        else:
            await loader.take(number, parsed, len(line))
    if loader is None:
        raise TransferError("the file is empty: a cms export starts with its header line")
    if loader.ended is None:
        raise TransferError(f"the file ends at line {number} without its end line: it was cut short")
    return loader


@dataclass
class _Batch:
    table: TablePlan
    records: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    size: int = 0


@dataclass
class _Late:
    """References held back until the rows they name are in: (id, reference, line)."""

    table: TablePlan
    column: str
    rows: list[tuple[Any, Any, int]] = field(default_factory=list)

    @property
    def at(self) -> int:
        return self.table.names.index(self.column)

    @property
    def key(self) -> int:
        (key,) = self.table.table.primary_key.columns
        return self.table.names.index(key.name)


class _Loader:
    """The rows of one file, checked line by line and copied in a batch at a time."""

    def __init__(self, conn: AsyncConnection, raw: Any, tables: list[TablePlan]) -> None:
        self.conn = conn
        self.raw = raw
        self.tables = tables
        self.by_name = {t.name: (i, t) for i, t in enumerate(tables)}
        self.counts = {t.name: 0 for t in tables}
        self.position = 0
        self.batch = _Batch(tables[0])
        self.late = [_Late(t, c) for t in tables for c in t.late]
        self.ended: int | None = None

    async def take(self, number: int, line: dict[str, Any], size: int) -> None:
        if self.ended is not None:
            raise TransferError(f"line {number}: more after the end line (line {self.ended})")
        kind = line.get("type")
        if kind == END:
            await self.flush()
            self._check_end(number, line)
            self.ended = number
            return
        if kind == HEADER:
            raise TransferError(f"line {number}: a second header")
        if not isinstance(kind, str) or kind not in self.by_name:
            known = ", ".join(t.name for t in self.tables)
            raise TransferError(f"line {number}: unknown type {shown(kind)} (expected one of {known})")
        position, table = self.by_name[kind]
        if position < self.position:
            raise TransferError(
                f"line {number}: {kind} after {self.tables[self.position].name}: "
                "each table's rows come before those of the tables that refer to it"
            )
        if position != self.position or len(self.batch.records) >= BATCH_ROWS or self.batch.size >= BATCH_BYTES:
            await self.flush()
            self.position = position
            self.batch = _Batch(table)
        self.batch.records.append(self._record(number, table, line))
        self.batch.lines.append(number)
        self.batch.size += size
        self.counts[kind] += 1

    def _record(self, number: int, table: TablePlan, line: dict[str, Any]) -> tuple[Any, ...]:
        values: list[Any] = []
        for f in table.fields:
            if f.name not in line:
                raise TransferError(f"line {number}: the {table.name} row has no field {f.name!r}")
            try:
                values.append(f.decode(line[f.name]))
            except ValueError as exc:
                raise TransferError(f"line {number}: {table.name}.{f.name}: {exc}") from None
        if len(line) != len(table.fields) + 1:
            unknown = sorted(set(line) - set(table.names) - {"type"})
            raise TransferError(f"line {number}: the {table.name} row has unknown fields {unknown}")
        for late in self.late:
            if late.table is table and values[late.at] is not None:
                late.rows.append((values[late.key], values[late.at], number))
                values[late.at] = None
        return (*values, *table.fill.values())

    async def flush(self) -> None:
        batch = self.batch
        if not batch.records:
            return
        columns = [*batch.table.names, *batch.table.fill]
        try:
            # In a savepoint, so that a refused reference can be looked for afterwards.
            async with self.raw.transaction():
                await self.raw.copy_records_to_table(batch.table.name, records=batch.records, columns=columns)
        except asyncpg.ForeignKeyViolationError as exc:
            raise await self._missing_reference(batch, columns) or _refused(batch, exc) from None
        except asyncpg.PostgresError as exc:
            raise _refused(batch, exc) from None
        except asyncpg.InterfaceError as exc:  # a value asyncpg cannot encode, or the connection lost
            raise TransferError(
                f"lines {batch.lines[0]} to {batch.lines[-1]}: the {batch.table.name} rows could not be sent: {exc}"
            ) from None
        batch.records, batch.lines, batch.size = [], [], 0

    def _check_end(self, number: int, line: dict[str, Any]) -> None:
        rows = line.get("rows")
        if not isinstance(rows, dict) or set(line) != {"type", "rows"}:
            raise TransferError(f"line {number}: the end line has no counts of rows")
        for name, count in self.counts.items():
            if rows.get(name) != count:
                raise TransferError(
                    f"line {number}: the end line counts {shown(rows.get(name))} {name} rows, "
                    f"but the file holds {count}: it is not whole"
                )
        if unknown := sorted(set(rows) - set(self.counts)):
            raise TransferError(f"line {number}: the end line counts rows of unknown types {unknown}")

    async def _missing_reference(self, batch: _Batch, columns: list[str]) -> TransferError | None:
        """The first line of a refused batch that names a row that is not there."""
        for fk in batch.table.table.foreign_keys:
            if fk.parent.name not in columns:
                continue
            at = columns.index(fk.parent.name)
            refs = [record[at] for record in batch.records]
            if (index := await _first_missing(self.conn, fk, refs)) is not None:
                return _dangling(batch.lines[index], batch.table.name, fk, refs[index])
        return None

    async def set_late_references(self) -> None:
        """Fill in the references held back, now that every row they may name is in."""
        for late in self.late:
            if not late.rows:
                continue
            ids, refs, lines = zip(*late.rows, strict=True)
            column = late.table.table.c[late.column]
            fk = next(iter(column.foreign_keys))
            if (index := await _first_missing(self.conn, fk, refs)) is not None:
                raise _dangling(lines[index], late.table.name, fk, refs[index])
            (key,) = late.table.table.primary_key.columns
            given = (
                func.unnest(
                    cast(bindparam("ids", list(ids)), ARRAY(key.type)),
                    cast(bindparam("refs", list(refs)), ARRAY(column.type)),
                )
                .table_valued("id", "ref")
                .render_derived()
            )
            await self.conn.execute(update(late.table.table).where(key == given.c.id).values({column: given.c.ref}))


def _parse(number: int, line: bytes) -> dict[str, Any]:
    if not line.strip():
        raise TransferError(f"line {number}: an empty line")
    try:
        parsed = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        # Past its last character when the line ends too soon (orjson sees its newline as a line 2).
        column = exc.colno if exc.lineno == 1 else len(line.rstrip()) + 1
        raise TransferError(f"line {number}: not valid JSON ({exc.msg}, at column {column})") from None
    if not isinstance(parsed, dict):
        raise TransferError(f"line {number}: expected a JSON object, not {shown(parsed)}")
    return parsed


async def _first_missing(conn: AsyncConnection, fk: ForeignKey, refs: Sequence[Any]) -> int | None:
    """The index of the first of `refs` that names no row of the table `fk` points to; None if each names one."""
    given = (
        func.unnest(cast(bindparam("refs", list(refs)), ARRAY(fk.parent.type)))
        .table_valued("ref", with_ordinality="n")
        .render_derived()
    )
    query = (
        select(given.c.n)
        .where(given.c.ref.is_not(None), ~exists().where(fk.column == given.c.ref))
        .order_by(given.c.n)
        .limit(1)
    )
    found: int | None = await conn.scalar(query)
    return None if found is None else found - 1


def _dangling(number: int, table: str, fk: ForeignKey, value: Any) -> TransferError:
    return TransferError(
        f"line {number}: {table}.{fk.parent.name} is {shown(value)}, "
        f"but no {fk.column.table.name} row has that {fk.column.name}"
    )


def _refused(batch: _Batch, exc: Any) -> TransferError:
    # The detail of a duplicate names the key ("Key (id)=(1) already exists."); others repeat the row.
    detail = f" ({exc.detail})" if exc.sqlstate in _KEY_DETAIL and exc.detail else ""
    match = _COPY_LINE.search(exc.context or "")
    if match and 0 < int(match[1]) <= len(batch.lines):
        where = f"line {batch.lines[int(match[1]) - 1]}"
    else:
        where = f"lines {batch.lines[0]} to {batch.lines[-1]}"
    return TransferError(f"{where}: the database refused the {batch.table.name} row: {exc.message}{detail}")


def _names(conn: AsyncConnection, tables: Sequence[TablePlan]) -> str:
    quote = conn.dialect.identifier_preparer.quote
    return ", ".join(quote(t.name) for t in tables)


async def _lock_and_check_empty(conn: AsyncConnection, tables: list[TablePlan]) -> None:
    """Raises TransferError when any content table has a row. The tables stay locked against
    writes (not reads) until the import ends, so none can be added meanwhile."""
    await conn.execute(text(f"LOCK TABLE {_names(conn, tables)} IN EXCLUSIVE MODE"))
    filled = union_all(*(select(literal(t.name)).where(exists().select_from(t.table)) for t in tables))
    names = (await conn.scalars(filled)).all()
    if names:
        raise TransferError(
            f"the database is not empty (it has {', '.join(names)}): "
            "import only into a new database, made ready with `cms migrate`"
        )


async def _reset_sequences(conn: AsyncConnection, tables: list[TablePlan]) -> None:
    """Each table's id sequence set to give the next id past the highest imported one."""
    for table in tables:
        key = table.table.autoincrement_column
        if key is None or not isinstance(key.type, Integer):
            continue
        sequence = func.pg_get_serial_sequence(table.name, key.name)
        await conn.execute(select(func.setval(sequence, func.coalesce(func.max(key), 0) + 1, False)))
