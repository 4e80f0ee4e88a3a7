"""The export format, and what it holds: which tables, which columns, in which order.

JSON Lines: a header, one line per row, and an end line. Rows come table after table in the order
the foreign keys need (a table's rows after the rows they refer to), each table's by primary key;
each row is an object of its `type` (the table) and its columns by name, in the models' order:

    {"type": "header", "format": "cms-export", "version": 1, "revision": "0010", "password_hashes": false}
    {"type": "media", "id": 1, "url": null, "storage_key": "originals/3f2a....jpg", "sha256": "9f86...", ...}
    ...
    {"type": "end", "rows": {"media": 24, "sections": 5, ...}}

The end line's counts let an import tell a whole file from a cut one. Every table of the models
is named below, as content or as never exported, and `plan` refuses a table named in neither: a
table added without that decision would otherwise be left out of every export without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Connection, Select, Table, select
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.types import String

import cms.db  # noqa: F401 - every model registered on Base.metadata
from cms.db.base import Base
from cms.services.transfer.codecs import Decode, decoder

FORMAT = "cms-export"
VERSION = 1
HEADER = "header"
END = "end"

# The newsroom's content and its history: what a move to another server takes along.
CONTENT = frozenset(
    {
        "articles",
        "article_authors",  # bylines
        "article_revisions",
        "article_slugs",  # slug history: old links keep working
        "article_tags",
        "audit_events",  # who did what: the log has to survive a move to mean anything
        "authors",
        "media",  # the rows (key, URL, checksum, sizes, focal point, blurhash), never the files
        "scheduled_changes",  # publishes and embargo ends still to come, and those recorded
        "sections",
        "tags",
        "trending_lists",
        "trending_pins",
        "users",  # without password hashes unless asked (WITHHELD)
    }
)

# Never exported, and why.
NEVER = {
    "api_tokens": "credentials, sign-in sessions included: made again on the new server",
    "article_views": "read counts: operational, rolled up and expired by the server",
    "trending_scores": "computed from the read counts",
    "view_dedupe": "operational, and they expire within minutes",
    "view_salts": "secrets that exist so that dedupe keys cannot be traced back",
    "login_throttle": "operational, and they expire",
    "rate_counts": "requests counted per minute: operational, and they expire",
    "server_secrets": "secrets of the server (the preview link key): the new one makes its own",
    "persisted_queries": "a cache of GraphQL documents: clients register them again",
}

# `!`, as /etc/shadow marks a locked account: not an Argon2 hash, so no password verifies against
# it (an empty one would not do: sign-in verifies a missing hash against a dummy one).
NO_PASSWORD = "!"  # noqa: S105 - the mark of no password, not one
# Credentials exported only when asked, and what a row without one gets on import.
WITHHELD = {("users", "password_hash"): NO_PASSWORD}


class TransferError(Exception):
    """An export or import that cannot go on, in one line for the operator; nothing was written."""


@dataclass(frozen=True)
class Field:
    name: str
    decode: Decode


@dataclass(frozen=True)
class TablePlan:
    """How one table is written and read back."""

    table: Table
    fields: tuple[Field, ...]
    # Foreign keys to a table that comes later (the cycle media -> users -> authors -> media):
    # imported as null, then set once every row is in.
    late: tuple[str, ...]
    # Columns the import fills because the file holds none: {"password_hash": NO_PASSWORD}.
    fill: dict[str, Any]

    @property
    def name(self) -> str:
        # A plain str, not SQLAlchemy's quoted_name: orjson takes only plain str for keys.
        return str(self.table.name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def rows(self) -> Select[Any]:
        """The table's exported columns, ordered by primary key, text compared byte by byte: the
        same order whatever the collation of the database it is read from."""
        order = [c.collate("C") if isinstance(c.type, String) else c for c in self.table.primary_key.columns]
        return select(*(self.table.c[name] for name in self.names)).order_by(*order)


def plan(*, with_password_hashes: bool) -> list[TablePlan]:
    """The content's tables in the order they are written and read, with their columns.

    Raises RuntimeError for a table of the models that is neither CONTENT nor NEVER."""
    undecided = set(Base.metadata.tables) - CONTENT - set(NEVER)
    if undecided:
        raise RuntimeError(f"the export does not know the tables {sorted(undecided)}: add them to CONTENT or NEVER")
    tables = [t for t in Base.metadata.sorted_tables if t.name in CONTENT]
    order = {t.name: i for i, t in enumerate(tables)}
    return [_table_plan(t, order, with_password_hashes=with_password_hashes) for t in tables]


def _table_plan(table: Table, order: dict[str, int], *, with_password_hashes: bool) -> TablePlan:
    fields: list[Field] = []
    late: list[str] = []
    for column in table.columns:
        if column.name == "type":
            raise RuntimeError(f"{table.name}.type would clash with the `type` of the export's lines")
        if _derived(column):
            continue
        referred = {fk.column.table.name for fk in column.foreign_keys}
        if referred - CONTENT:
            # A reference to what is not exported (an audit event's token) is left out, as if
            # that row had been deleted: such keys are all ON DELETE SET NULL.
            _require_nullable(column, "refers to a table that is not exported")
            continue
        if any(order[name] >= order[table.name] for name in referred):
            _require_nullable(column, "closes a cycle of foreign keys")
            late.append(column.name)
        if (table.name, column.name) in WITHHELD and not with_password_hashes:
            continue
        fields.append(Field(str(column.name), decoder(column)))
    if late and len(table.primary_key.columns) != 1:
        raise RuntimeError(f"{table.name}: a late foreign key needs a one-column primary key")
    withheld = {} if with_password_hashes else WITHHELD
    fill = {str(column): value for (name, column), value in withheld.items() if name == table.name}
    return TablePlan(table, tuple(fields), tuple(late), fill)


def _derived(column: Column[Any]) -> bool:
    """Computed by the database from other columns, so recomputed on import, never written: a
    generated column, or a search vector (kept by triggers, migration 0008)."""
    return column.computed is not None or isinstance(column.type, TSVECTOR)


def _require_nullable(column: Column[Any], why: str) -> None:
    if not column.nullable:
        raise RuntimeError(f"{column.table.name}.{column.name} {why} but cannot be null")


def migration_of(connection: Connection) -> str | None:
    """The Alembic revision the database is at: an export is read back only at the same one."""
    return MigrationContext.configure(connection).get_current_revision()


def header(revision: str | None, *, password_hashes: bool) -> dict[str, Any]:
    return {
        "type": HEADER,
        "format": FORMAT,
        "version": VERSION,
        "revision": revision,
        "password_hashes": password_hashes,
    }


def end(rows: dict[str, int]) -> dict[str, Any]:
    return {"type": END, "rows": rows}


def read_header(line: Any, revision: str | None) -> bool:
    """Check the first line against this format and the database's migration; returns whether
    the file holds password hashes.

    Raises TransferError saying what does not match."""
    if not isinstance(line, dict) or line.get("type") != HEADER or line.get("format") != FORMAT:
        raise TransferError(f"line 1: not a cms export (its first line is no {FORMAT} header)")
    if line.get("version") != VERSION:
        raise TransferError(f"line 1: the file is format version {line.get('version')!r}; this cms reads {VERSION}")
    if line.get("revision") != revision:
        raise TransferError(
            f"line 1: the file was exported at migration {line.get('revision')!r} and the database is at "
            f"{revision!r}: import it into a database at the same migration"
        )
    hashes = line.get("password_hashes")
    if not isinstance(hashes, bool):
        raise TransferError("line 1: the header's password_hashes is not true or false")
    unknown = set(line) - {"type", "format", "version", "revision", "password_hashes"}
    if unknown:
        raise TransferError(f"line 1: the header has unknown fields {sorted(unknown)}")
    return hashes
