"""Export and import (services.transfer), on databases of their own: the demo newsroom, with a
user, a renamed article, a gap in the ids and media registered by that user, exported, read back
into an empty database and exported again; and every way a file can be refused."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from sqlalchemy import Executable, func, insert, literal, select, text, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.config import Settings
from cms.db import Article, AuditEvent, Base, Media
from cms.db.engine import make_engine, make_sessionmaker
from cms.db.migrate import head_revision, upgrade
from cms.demo import load_demo
from cms.services import tokens, users
from cms.services.articles import commands, inputs
from cms.services.errors import InputError, Problems
from cms.services.transfer import Progress, TransferError, export_content, import_content
from cms.services.transfer.codecs import dumps
from cms.services.transfer.format import CONTENT, NEVER, NO_PASSWORD, plan
from cms.storage.local import LocalStorage
from cms.vocabulary import Role
from tests.conftest import scratch_database

ADMIN = Viewer(role=Role.ADMIN)
PASSWORD = "correct horse battery staple"
TABLES = [t.name for t in plan(with_password_hashes=False)]


async def _in(url: str, action: Callable[[AsyncSession], Any]) -> Any:
    """Run `action` in one committed transaction on the database at `url`."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            return await action(session)
    finally:
        await engine.dispose()


async def export(url: str, *, with_password_hashes: bool = False) -> bytes:
    out = io.BytesIO()
    await _in(url, lambda session: export_content(session, out, with_password_hashes=with_password_hashes))
    return out.getvalue()


async def load(url: str, data: bytes) -> Any:
    return await _in(url, lambda session: import_content(session, io.BytesIO(data)))


async def fetch(url: str, query: str | Executable) -> list[tuple[Any, ...]]:
    async def run(session: AsyncSession) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await session.execute(text(query) if isinstance(query, str) else query)]

    return await _in(url, run)


async def migrated(url: str) -> str:
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    return url


async def _newsroom(session: AsyncSession) -> None:
    """What the demo lacks: a user who edits (and renames a published article), media registered
    by that user, an event by a token (not exported), and a gap in the articles' ids."""
    user = await users.create_user(
        session, Problems(), ADMIN, email="desk@example.com", name="Desk", role=Role.EDITOR, password=PASSWORD
    )
    editor = Viewer(role=Role.EDITOR, user_id=user.id)
    live = await session.scalar(select(func.min(Article.id)).where(Article.status == "PUBLISHED"))
    assert live is not None
    await commands.update_article(session, Problems(), editor, live, inputs.ArticleFields(slug="renamed-story"))
    await session.execute(update(Media).where(Media.id == 1).values(created_by_id=user.id))
    token, _ = await tokens.create_token(session, Problems(), ADMIN, name="desk", role=Role.EDITOR)
    await session.execute(
        insert(AuditEvent).values(actor_token_id=token.id, actor_name="desk", action="article.update")
    )
    last = await session.scalar(select(func.max(Article.id)))
    await commands.delete_article(session, editor, (last or 0) - 1)


@pytest.fixture(scope="module")
async def source(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """The demo newsroom and the rest of `_newsroom`, committed in a database of its own."""
    async with scratch_database(server_url, "cms_transfer_source") as url:
        storage = LocalStorage(tmp_path_factory.mktemp("transfer-media"))
        settings = Settings(database_url="postgresql://unused")
        await migrated(url)
        await _in(url, lambda session: load_demo(session, storage, settings))
        await _in(url, _newsroom)
        yield url


@pytest.fixture(scope="module")
async def exported(source: str) -> bytes:
    return await export(source)


@pytest.fixture(scope="module")
async def empty(server_url: str) -> AsyncIterator[str]:
    """A migrated database that every refused import leaves as empty as it found it."""
    async with scratch_database(server_url, "cms_transfer_empty") as url:
        yield await migrated(url)


@pytest.fixture
async def target(scratch_url: str) -> str:
    return await migrated(scratch_url)


async def assert_nothing_written(url: str) -> None:
    tables = plan(with_password_hashes=False)
    counts = await fetch(url, union_all(*(select(literal(t.name), func.count()).select_from(t.table) for t in tables)))
    assert [(t, n) for t, n in counts if n] == []
    # Not a single id drawn either: every sequence as migrations left it.
    assert await fetch(url, "SELECT sequencename FROM pg_sequences WHERE last_value IS NOT NULL") == []


def lines_of(data: bytes) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in data.splitlines()]


def test_every_table_is_decided_once() -> None:
    assert set(CONTENT) | set(NEVER) == set(Base.metadata.tables)
    assert set(CONTENT) & set(NEVER) == set()


async def test_the_demo_newsroom_round_trips_to_the_same_bytes(source, exported, target):
    counts = await load(target, exported)

    again = await export(target)

    assert again == exported
    parsed = lines_of(exported)
    assert parsed[0] == {
        "type": "header",
        "format": "cms-export",
        "version": 1,
        "revision": head_revision(),
        "password_hashes": False,
    }
    assert parsed[-1] == {"type": "end", "rows": counts}
    assert list(counts) == TABLES
    assert sum(counts.values()) == len(parsed) - 2
    # A row of every table, the cycle media -> users -> authors -> media included.
    assert all(counts[t] > 0 for t in TABLES)
    slugs = "SELECT locale, slug, article_id FROM article_slugs"
    assert len(await fetch(target, slugs)) == 1
    assert await fetch(target, slugs) == await fetch(source, slugs)
    assert await fetch(target, "SELECT created_by_id FROM media WHERE id = 1") == [(1,)]


async def test_ids_and_derived_search_vectors_are_those_of_the_source(source, exported, target):
    await load(target, exported)

    for table in plan(with_password_hashes=False):
        keys = table.table.primary_key.columns
        query = select(*keys).order_by(*keys)
        assert await fetch(target, query) == await fetch(source, query), table.name
    ids = [i for (i,) in await fetch(target, "SELECT id FROM articles ORDER BY id")]
    assert len(ids) == ids[-1] - 1  # the gap left by the deleted article is kept
    vectors = "SELECT id, search_vector::text FROM articles ORDER BY id"
    assert await fetch(target, vectors) == await fetch(source, vectors)
    # The audit log keeps the token's event, without the token, which is not exported.
    by_token = "SELECT actor_token_id IS NULL FROM audit_events WHERE actor_name = 'desk'"
    assert await fetch(source, by_token) == [(False,)]
    assert await fetch(target, by_token) == [(True,)]


async def test_every_sequence_continues_past_the_highest_imported_id(exported, target):
    await load(target, exported)
    [(highest,)] = await fetch(target, "SELECT max(id) FROM articles")

    async def write(session: AsyncSession) -> int:
        fields = inputs.ArticleFields(title="After the move", tag_names=["Moving day"])
        return (await commands.create_article(session, Problems(), ADMIN, fields)).id

    assert await _in(target, write) == highest + 1
    # Every other table's too (the article's revision, tag and audit event took the next ids).
    for table in plan(with_password_hashes=False):
        key = table.table.autoincrement_column
        if key is None:
            continue
        [(top,)] = await fetch(target, select(func.coalesce(func.max(key), 0)))
        next_id = await fetch(target, select(func.nextval(func.pg_get_serial_sequence(table.name, key.name))))
        assert next_id == [(top + 1,)], table.name


async def test_an_import_into_a_database_with_content_is_refused(source, exported):
    with pytest.raises(TransferError) as refused:
        await load(source, exported)

    assert str(refused.value) == (
        f"the database is not empty (it has {', '.join(TABLES)}): "
        "import only into a new database, made ready with `cms migrate`"
    )
    assert await export(source) == exported


async def test_an_import_that_fails_half_way_writes_nothing(exported, empty):
    lines = exported.splitlines()
    pin = orjson.loads(lines[-2])
    assert pin["type"] == "trending_pins"
    # The last row of the last table: every table before it has been sent by then.
    lines[-2] = dumps({**pin, "article_id": 999_999}).rstrip()

    with pytest.raises(TransferError) as refused:
        await load(empty, b"\n".join(lines) + b"\n")

    assert str(refused.value) == (
        f"line {len(lines) - 1}: trending_pins.article_id is 999999, but no articles row has that id"
    )
    await assert_nothing_written(empty)


def _at(lines: list[bytes], kind: str, nth: int = 0) -> int:
    """The index in `lines` of the nth row of a type."""
    found = [i for i, line in enumerate(lines) if orjson.loads(line)["type"] == kind]
    return found[nth]


def _change(lines: list[bytes], index: int, **values: object) -> None:
    row = orjson.loads(lines[index])
    row.update(values)
    lines[index] = orjson.dumps({k: v for k, v in row.items() if v is not ...})


def malformed(lines: list[bytes]) -> str:
    lines[4] = lines[4][:22]
    return "line 5: not valid JSON (unexpected end of data, at column 23)"


def not_an_object(lines: list[bytes]) -> str:
    lines[2] = b"[1, 2]"
    return "line 3: expected a JSON object, not [1,2]"


def empty_line(lines: list[bytes]) -> str:
    lines.insert(3, b"")
    return "line 4: an empty line"


def unknown_type(lines: list[bytes]) -> str:
    _change(lines, 2, type="gadgets")
    return f'line 3: unknown type "gadgets" (expected one of {", ".join(TABLES)})'


def missing_field(lines: list[bytes]) -> str:
    at = _at(lines, "articles")
    _change(lines, at, title=...)
    return f"line {at + 1}: the articles row has no field 'title'"


def unknown_field(lines: list[bytes]) -> str:
    at = _at(lines, "sections")
    _change(lines, at, colour="red")
    return f"line {at + 1}: the sections row has unknown fields ['colour']"


def password_hash_not_announced(lines: list[bytes]) -> str:
    at = _at(lines, "users")
    _change(lines, at, password_hash="$argon2id$...")
    return f"line {at + 1}: the users row has unknown fields ['password_hash']"


def wrong_value(lines: list[bytes]) -> str:
    at = _at(lines, "tags", 1)
    _change(lines, at, id="seven")
    return f'line {at + 1}: tags.id: expected a whole number, not "seven"'


def null_where_required(lines: list[bytes]) -> str:
    at = _at(lines, "authors")
    _change(lines, at, name=None)
    return f"line {at + 1}: authors.name: cannot be null"


def not_a_time(lines: list[bytes]) -> str:
    at = _at(lines, "sections", 2)
    _change(lines, at, created_at="yesterday")
    return f'line {at + 1}: sections.created_at: expected an ISO 8601 time, not "yesterday"'


def out_of_order(lines: list[bytes]) -> str:
    moved = lines.pop(1)
    at = _at(lines, "sections")
    lines.insert(at + 1, moved)
    return f"line {at + 2}: media after sections: each table's rows come before those of the tables that refer to it"


def duplicate_id(lines: list[bytes]) -> str:
    at = _at(lines, "sections", 1)
    _change(lines, at, id=1)
    return (
        f"line {at + 1}: the database refused the sections row: duplicate key value violates unique constraint "
        '"pk_sections" (Key (id)=(1) already exists.)'
    )


def broken_check(lines: list[bytes]) -> str:
    at = _at(lines, "users")
    _change(lines, at, email="Desk@Example.com")
    return (
        f"line {at + 1}: the database refused the users row: new row for relation "
        '"users" violates check constraint "ck_users_email_lowercase"'
    )


def reference_to_nothing(lines: list[bytes]) -> str:
    at = _at(lines, "article_authors", 3)
    _change(lines, at, author_id=999_999)
    return f"line {at + 1}: article_authors.author_id is 999999, but no authors row has that id"


def late_reference_to_nothing(lines: list[bytes]) -> str:
    _change(lines, 1, created_by_id=999_999)
    return "line 2: media.created_by_id is 999999, but no users row has that id"


def cut_short(lines: list[bytes]) -> str:
    del lines[-1]
    return f"the file ends at line {len(lines)} without its end line: it was cut short"


def a_row_missing(lines: list[bytes]) -> str:
    # An audit event: no other row refers to one.
    del lines[_at(lines, "audit_events", -1)]
    count = orjson.loads(lines[-1])["rows"]["audit_events"]
    return f"line {len(lines)}: the end line counts {count} audit_events rows, but the file holds {count - 1}: it is not whole"


def more_after_the_end(lines: list[bytes]) -> str:
    lines.append(lines[1])
    return f"line {len(lines)}: more after the end line (line {len(lines) - 1})"


def second_header(lines: list[bytes]) -> str:
    lines.insert(2, lines[0])
    return "line 3: a second header"


def not_an_export(lines: list[bytes]) -> str:
    lines[0] = b'{"hello": "world"}'
    return "line 1: not a cms export (its first line is no cms-export header)"


def other_version(lines: list[bytes]) -> str:
    _change(lines, 0, version=2)
    return "line 1: the file is format version 2; this cms reads 1"


def other_revision(lines: list[bytes]) -> str:
    _change(lines, 0, revision="0001")
    return (
        f"line 1: the file was exported at migration '0001' and the database is at {head_revision()!r}: "
        "import it into a database at the same migration"
    )


def nothing(lines: list[bytes]) -> str:
    lines.clear()
    return "the file is empty: a cms export starts with its header line"


@pytest.mark.parametrize(
    "spoil",
    [
        malformed,
        not_an_object,
        empty_line,
        unknown_type,
        missing_field,
        unknown_field,
        password_hash_not_announced,
        wrong_value,
        null_where_required,
        not_a_time,
        out_of_order,
        duplicate_id,
        broken_check,
        reference_to_nothing,
        late_reference_to_nothing,
        cut_short,
        a_row_missing,
        more_after_the_end,
        second_header,
        not_an_export,
        other_version,
        other_revision,
        nothing,
    ],
    ids=lambda spoil: spoil.__name__.replace("_", " "),
)
async def test_a_bad_file_is_refused_naming_its_line(exported, empty, spoil):
    lines = exported.splitlines()
    expected = spoil(lines)

    with pytest.raises(TransferError) as refused:
        await load(empty, b"".join(line + b"\n" for line in lines))

    assert str(refused.value) == expected
    await assert_nothing_written(empty)


async def test_password_hashes_are_left_out_by_default_and_the_users_locked(exported, target):
    (user,) = [line for line in lines_of(exported) if line["type"] == "users"]
    assert "password_hash" not in user

    await load(target, exported)

    assert await fetch(target, "SELECT email, password_hash FROM users") == [("desk@example.com", NO_PASSWORD)]
    with pytest.raises(InputError) as refused:
        await _in(target, sign_in)
    assert refused.value.message == "the email or password is wrong"


async def test_password_hashes_are_exported_when_asked_for_and_come_back(source, target):
    [(stored,)] = await fetch(source, "SELECT password_hash FROM users")

    with_hashes = await export(source, with_password_hashes=True)
    await load(target, with_hashes)

    assert lines_of(with_hashes)[0]["password_hashes"] is True
    (user,) = [line for line in lines_of(with_hashes) if line["type"] == "users"]
    assert user["password_hash"] == stored
    assert stored.startswith("$argon2")
    assert await fetch(target, "SELECT password_hash FROM users") == [(stored,)]
    assert await export(target, with_password_hashes=True) == with_hashes
    user, _ = await _in(target, sign_in)
    assert user.email == "desk@example.com"


async def sign_in(session: AsyncSession) -> Any:
    return await users.login(session, Problems(), email="desk@example.com", password=PASSWORD, days=1)


def test_times_are_written_in_one_format() -> None:
    whole = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    seoul = datetime(2026, 11, 29, 21, 0, 0, 250, tzinfo=timezone(timedelta(hours=9)))

    assert dumps({"a": whole, "b": seoul, "c": b"\x9f\x86"}) == (
        b'{"a":"2026-11-29T12:00:00.000000+00:00","b":"2026-11-29T12:00:00.000250+00:00","c":"9f86"}\n'
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_the_progress_bar_is_drawn_on_a_terminal_only(source, exported):
    terminal, log = Terminal(), io.StringIO()

    async def run(session: AsyncSession) -> None:
        await export_content(session, io.BytesIO(), progress=Progress(terminal))

    await _in(source, run)
    await _in(source, lambda session: export_content(session, io.BytesIO(), progress=Progress(log)))

    rows = len(exported.splitlines()) - 2
    assert terminal.getvalue().startswith(f"\rexporting [{' ' * 24}]   0%  0 of {rows} rows")
    assert terminal.getvalue().endswith(f"\rexporting [{'#' * 24}] 100%  {rows} of {rows} rows\n")
    assert log.getvalue() == ""
