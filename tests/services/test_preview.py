"""The preview token itself, and the key it is signed with (`services.preview`, `services.secrets`)."""

from __future__ import annotations

import asyncio
import base64
import re
import string
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, insert, select

from cms.auth import Viewer
from cms.config import Settings
from cms.db import Article, AuditEvent, ServerSecret
from cms.db.engine import make_engine, make_sessionmaker
from cms.services import preview, secrets
from cms.services.preview import InvalidLink, Link
from cms.vocabulary import Role

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
EDITOR = Viewer(role=Role.EDITOR)
ALPHABET = string.ascii_letters + string.digits + "-_"


def soon() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)


async def an_article(session, **values) -> int:
    values.setdefault("slug", f"a-{uuid.uuid4().hex}")
    values.setdefault("title", "A draft")
    article_id: int = await session.scalar(insert(Article).values(**values).returning(Article.id))
    return article_id


async def db_now(session) -> datetime:
    now: datetime = await session.scalar(select(func.statement_timestamp()))
    return now


# The token


def test_a_token_reads_back_as_the_link_it_was_made_from():
    link = Link(article_id=42, epoch=3, expires_at=soon())

    token = preview.sign(KEY, link)

    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert len(token) == preview.TOKEN_LENGTH == 71
    assert preview.read(KEY, token) == link


def test_the_expiry_is_kept_to_the_whole_second():
    at = datetime(2030, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)
    assert preview.read(KEY, preview.sign(KEY, Link(1, 0, at))).expires_at == at.replace(microsecond=0)


def test_every_byte_flipped_in_turn_fails():
    token = preview.sign(KEY, Link(7, 0, soon()))
    raw = base64.urlsafe_b64decode(token + "=")

    for i in range(len(raw)):
        for mask in (0x01, 0x80, 0xFF):
            flipped = bytearray(raw)
            flipped[i] ^= mask
            tampered = base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode()
            with pytest.raises(InvalidLink):
                preview.read(KEY, tampered)


def test_every_character_changed_in_turn_fails():
    # Includes the spare bits of the last character: the same bytes spelled another way.
    token = preview.sign(KEY, Link(7, 0, soon()))

    for i, char in enumerate(token):
        for other in ALPHABET.replace(char, ""):
            with pytest.raises(InvalidLink):
                preview.read(KEY, token[:i] + other + token[i + 1 :])


def test_a_token_signed_with_another_key_fails():
    with pytest.raises(InvalidLink):
        preview.read(KEY, preview.sign(OTHER_KEY, Link(7, 0, soon())))


def test_another_articles_token_cannot_be_turned_into_this_ones():
    mine = base64.urlsafe_b64decode(preview.sign(KEY, Link(7, 0, soon())) + "=")
    theirs = base64.urlsafe_b64decode(preview.sign(KEY, Link(8, 0, soon())) + "=")
    # Their body with my signature.
    spliced = base64.urlsafe_b64encode(theirs[:21] + mine[21:]).rstrip(b"=").decode()

    with pytest.raises(InvalidLink):
        preview.read(KEY, spliced)


def _valid() -> str:
    return preview.sign(KEY, Link(7, 0, soon()))


GARBAGE = {
    "empty": lambda: "",
    "one character": lambda: "A",
    "10000 characters": lambda: "A" * 10_000,
    "10000 characters of the right alphabet": lambda: _valid() * 141,
    "non-ASCII of the right length": lambda: "é" * preview.TOKEN_LENGTH,
    "an emoji inside": lambda: _valid()[:-1] + "\N{PILE OF POO}",
    "NUL bytes": lambda: "\x00" * preview.TOKEN_LENGTH,
    "a NUL inside": lambda: _valid()[:-1] + "\x00",
    "padded": lambda: _valid() + "=",
    "standard base64 alphabet": lambda: _valid().replace("-", "+").replace("_", "/")[:-1] + "+",
    "a trailing newline": lambda: _valid() + "\n",
    "a leading space": lambda: " " + _valid()[1:],
    "truncated": lambda: _valid()[:-1],
    "one too many": lambda: _valid() + "A",
    "a lone surrogate": lambda: "\ud800" * preview.TOKEN_LENGTH,
    "a global ID": lambda: "QXJ0aWNsZTox",
}


@pytest.mark.parametrize("make", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_fails_with_the_one_error(make):
    with pytest.raises(InvalidLink) as caught:
        preview.read(KEY, make())
    assert caught.value.code == "INVALID"
    assert caught.value.message == "the preview link is invalid, expired or revoked"


# Against the database


async def test_a_valid_token_opens_its_article_whatever_its_status(session):
    article_id = await an_article(session, status="ARCHIVED")
    token = preview.sign(KEY, Link(article_id, 0, soon()))

    article = await preview.article_for(session, KEY, token)

    assert (article.id, article.status) == (article_id, "ARCHIVED")


async def test_an_expired_token_fails_by_the_database_clock(session):
    article_id = await an_article(session)
    now = await db_now(session)
    past = preview.sign(KEY, Link(article_id, 0, now - timedelta(seconds=1)))
    future = preview.sign(KEY, Link(article_id, 0, now + timedelta(seconds=30)))

    with pytest.raises(InvalidLink):
        await preview.article_for(session, KEY, past)
    assert (await preview.article_for(session, KEY, future)).id == article_id


async def test_a_link_lasts_the_seconds_asked_for_by_the_database_clock(session):
    article_id = await an_article(session)
    before = await db_now(session)

    token, expires_at = await preview.create_link(session, EDITOR, article_id, KEY, 90)

    after = await db_now(session)
    assert before + timedelta(seconds=90) <= expires_at < after + timedelta(seconds=91)
    assert preview.read(KEY, token) == Link(article_id, 0, expires_at)


async def test_revoking_fails_every_earlier_token_and_not_later_ones(session):
    article_id = await an_article(session)
    first, _ = await preview.create_link(session, EDITOR, article_id, KEY, 600)
    second, _ = await preview.create_link(session, EDITOR, article_id, KEY, 600)

    article = await preview.revoke_links(session, EDITOR, article_id)
    after, _ = await preview.create_link(session, EDITOR, article_id, KEY, 600)

    assert article.preview_epoch == 1
    for token in (first, second):
        with pytest.raises(InvalidLink):
            await preview.article_for(session, KEY, token)
    assert (await preview.article_for(session, KEY, after)).id == article_id


async def test_a_token_opens_only_its_own_article(session):
    mine, other = await an_article(session), await an_article(session)

    token, _ = await preview.create_link(session, EDITOR, mine, KEY, 600)

    assert (await preview.article_for(session, KEY, token)).id == mine != other


async def test_a_token_of_a_deleted_article_fails_like_any_other(session):
    article_id = await an_article(session)
    token, _ = await preview.create_link(session, EDITOR, article_id, KEY, 600)
    await session.execute(delete(Article).where(Article.id == article_id))

    with pytest.raises(InvalidLink) as caught:
        await preview.article_for(session, KEY, token)
    assert caught.value.message == "the preview link is invalid, expired or revoked"


async def test_a_token_for_an_id_never_used_fails(session):
    with pytest.raises(InvalidLink):
        await preview.article_for(session, KEY, preview.sign(KEY, Link(2**63 - 1, 0, soon())))


@pytest.mark.parametrize("make", GARBAGE.values(), ids=GARBAGE.keys())
async def test_garbage_fails_before_anything_is_read(session, statements, make):
    with pytest.raises(InvalidLink):
        await preview.article_for(session, KEY, make())
    assert statements == []


# The key


async def test_the_key_is_made_once_and_kept_in_the_database(sessionmaker, session, statements):
    settings = Settings()

    first = await secrets.master_key(settings, sessionmaker)
    queried = len(statements)
    again = await secrets.master_key(settings, sessionmaker)

    assert len(first) == 32
    assert again == first
    assert len(statements) == queried  # read once, then cached in the process
    stored = await session.scalars(select(ServerSecret.value).where(ServerSecret.name == secrets.MASTER))
    assert stored.all() == [first]


async def test_an_operator_key_is_used_as_it_is_and_nothing_is_stored(sessionmaker, session):
    settings = Settings(secret_key="an operator's secret")

    key = await secrets.master_key(settings, sessionmaker)

    assert key == b"an operator's secret"
    assert (await session.scalars(select(ServerSecret))).all() == []


async def test_each_use_signs_with_a_key_of_its_own(sessionmaker):
    settings = Settings(secret_key="an operator's secret")

    links = await secrets.key_for(settings, sessionmaker, "preview-links")

    assert links == await preview.signing_key(settings, sessionmaker)
    assert links != await secrets.key_for(settings, sessionmaker, "something-else")
    assert links != await secrets.key_for(Settings(secret_key="another secret"), sessionmaker, "preview-links")


async def test_two_processes_starting_at_once_agree_on_the_key(database_url, engine):
    # Two engines are two processes' connection pools; their sessionmakers have no cache yet.
    other_engine = make_engine(database_url)
    settings = Settings()
    try:
        keys = await asyncio.gather(
            *(secrets.key_for(settings, make_sessionmaker(e), "preview-links") for e in (engine, other_engine, engine))
        )
        async with make_sessionmaker(other_engine)() as session:
            stored = (await session.scalars(select(ServerSecret))).all()
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(ServerSecret))
        await other_engine.dispose()

    assert keys[0] == keys[1] == keys[2]
    assert len(stored) == 1


async def test_a_token_made_by_one_process_opens_on_another(database_url, engine):
    other_engine = make_engine(database_url)
    settings = Settings()
    one, two = make_sessionmaker(engine), make_sessionmaker(other_engine)
    try:
        async with one() as session, session.begin():
            article_id = await an_article(session)
            token, _ = await preview.create_link(
                session, EDITOR, article_id, await preview.signing_key(settings, one), 600
            )
        async with two() as session:
            opened = await preview.article_for(session, await preview.signing_key(settings, two), token)
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(Article))
            await conn.execute(delete(AuditEvent))
            await conn.execute(delete(ServerSecret))
        await other_engine.dispose()

    assert opened.id == article_id
