"""The migrations alone build the database the models describe."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator

import asyncpg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from cms.db import Base
from cms.db.engine import make_engine
from cms.db.migrate import alembic_config, current_revision, head_revision, is_up_to_date, upgrade


async def test_upgrading_an_empty_database_leaves_nothing_to_autogenerate(scratch_url):
    engine = make_engine(scratch_url)
    try:
        assert await current_revision(engine) is None
        assert not await is_up_to_date(engine)

        await upgrade(engine)
        await upgrade(engine)  # a second run is a no-op

        assert await current_revision(engine) == head_revision()
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True, "compare_server_default": True}),
                    Base.metadata,
                )
            )
        assert diff == []
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        ("INSERT INTO articles (slug, title, status) VALUES ('a', 'A', 'BOGUS')", "ck_articles_status_valid"),
        ("INSERT INTO articles (slug, title, status) VALUES ('a', 'A', 'PUBLISHED')", "ck_articles_published_has_time"),
        ("INSERT INTO article_authors (article_id, author_id, position) VALUES (999, 999, 0)", "fk_article_authors"),
        (
            "INSERT INTO users (email, name, role, password_hash) VALUES ('A@x.com', 'a', 'ADMIN', 'h')",
            "ck_users_email_lowercase",
        ),
        ("INSERT INTO api_tokens (name, role, secret_hash) VALUES ('t', 'ROOT', 'x')", "ck_api_tokens_role_valid"),
        ("INSERT INTO sections (slug, name) VALUES ('w', 'W'), ('w', 'W2')", "uq_sections_slug"),
    ],
    ids=["status", "publish-time", "foreign-key", "email-case", "role", "unique-slug"],
)
async def test_database_holds_the_rules(connection, statement, constraint):
    """Constraints live in PostgreSQL, not only in Python."""
    with pytest.raises(DBAPIError, match=constraint):
        await connection.execute(text(statement))


FOUNDATION_DATA = """
INSERT INTO media (id, url, mime_type, credit) VALUES (1, 'https://img.example.com/a.jpg', 'image/jpeg', 'Reuters');
INSERT INTO authors (id, slug, name, avatar_id) VALUES (1, 'jane-doe', 'Jane Doe', 1), (2, 'joe-bloggs', 'Joe Bloggs', NULL);
INSERT INTO sections (id, slug, name) VALUES (1, 'world', 'World');
INSERT INTO tags (id, slug, name) VALUES (1, 'city-hall', 'city hall'), (2, 'eu', 'EU');
INSERT INTO articles (id, slug, title, standfirst, status, published_at, version, body, word_count, hero_image_id,
                      section_id, sources, seo_title)
VALUES
  (1, 'live', 'Live story', 'Summary', 'PUBLISHED', now() - interval '1 day', 3,
   '[{"type": "paragraph", "html": "Words here."}]', 2, 1, 1, '[{"name": "AFP", "url": null}]', 'SEO'),
  (2, 'later', 'Scheduled story', NULL, 'PUBLISHED', now() + interval '1 day', 2, '[]', 0, NULL, NULL, '[]', NULL),
  (3, 'draft', 'A draft', NULL, 'DRAFT', NULL, 1, '[]', 0, NULL, NULL, '[]', NULL);
INSERT INTO article_authors (article_id, author_id, position) VALUES (1, 2, 0), (1, 1, 1), (3, 1, 0);
INSERT INTO article_tags (article_id, tag_id, position) VALUES (1, 2, 0), (1, 1, 1);
INSERT INTO trending_lists (id, slug, title) VALUES (1, 'trending-now', 'Trending Now');
INSERT INTO trending_pins (list_id, article_id, position) VALUES (1, 1, 0);
INSERT INTO users (id, email, name, role, password_hash, author_id) VALUES (1, 'ed@example.com', 'Ed', 'EDITOR', 'h', 1);
INSERT INTO api_tokens (id, name, role, secret_hash, user_id, kind) VALUES (1, 'login', 'EDITOR', 'x', 1, 'login');
"""


@contextlib.asynccontextmanager
async def migrated_to(url: str, at: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the database at `url`, migrated up to revision `at`."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), at))
        yield engine
    finally:
        await engine.dispose()


async def test_upgrading_a_foundation_database_keeps_all_of_it(scratch_url):
    async with migrated_to(scratch_url, "0001") as engine:
        data = await asyncpg.connect(scratch_url)
        try:
            await data.execute(FOUNDATION_DATA)
            before = {t: await data.fetch(f"SELECT * FROM {t} ORDER BY 1, 2") for t in FOUNDATION_TABLES}  # noqa: S608
        finally:
            await data.close()

        await upgrade(engine)

        data = await asyncpg.connect(scratch_url)
        try:
            after = {t: await data.fetch(f"SELECT * FROM {t} ORDER BY 1, 2") for t in FOUNDATION_TABLES}  # noqa: S608
            revisions = await data.fetch("SELECT article_id, version, snapshot FROM article_revisions ORDER BY 1")
            scheduled = await data.fetch("SELECT article_id, kind FROM scheduled_changes WHERE done_at IS NULL")
            articles = await data.fetch("SELECT id, locale, preview_epoch FROM articles ORDER BY id")
            tags = await data.fetch("SELECT slug, name FROM tags ORDER BY id")
        finally:
            await data.close()

    # Every value each foundation column held is still there (new columns may have joined them).
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            expected = dict(old)
            if table == "tags":
                expected.pop("name")  # renamed as shown, below
            assert {k: new[k] for k in expected} == expected, table
    assert [dict(t) for t in tags] == [{"slug": "city-hall", "name": "City Hall"}, {"slug": "eu", "name": "EU"}]
    assert [(a["id"], a["locale"], a["preview_epoch"]) for a in articles] == [(1, "en", 0), (2, "en", 0), (3, "en", 0)]
    first = {r["article_id"]: (r["version"], json.loads(r["snapshot"])) for r in revisions}
    assert sorted(first) == [1, 2, 3]
    version, snapshot = first[1]
    assert version == 3
    assert snapshot == {
        "title": "Live story",
        "slug": "live",
        "locale": "en",
        "standfirst": "Summary",
        "body": [{"type": "paragraph", "html": "Words here."}],
        "word_count": 2,
        "hero_image_id": 1,
        "section_id": 1,
        "sources": [{"name": "AFP", "url": None}],
        "seo_title": "SEO",
        "seo_description": None,
        "canonical_url": None,
        "author_ids": [2, 1],
        "tag_ids": [2, 1],
    }
    assert [(r["article_id"], r["kind"]) for r in scheduled] == [(2, "publish")]


async def test_audit_events_written_before_actor_names_take_them_from_their_actors(scratch_url):
    async with migrated_to(scratch_url, "0004") as engine:
        data = await asyncpg.connect(scratch_url)
        try:
            await data.execute(
                """
                INSERT INTO users (id, email, name, role, password_hash) VALUES (1, 'ed@example.com', 'Ed', 'EDITOR', 'h');
                INSERT INTO api_tokens (id, name, role, secret_hash, user_id, kind)
                  VALUES (1, 'login', 'EDITOR', 'x', 1, 'login'), (2, 'Importer', 'EDITOR', 'y', NULL, 'api');
                INSERT INTO audit_events (actor_id, actor_token_id, action) VALUES
                  (1, 1, 'tag.create'), (NULL, 2, 'tag.create'), (NULL, NULL, 'article.published');
                """
            )
        finally:
            await data.close()

        await upgrade(engine)

        data = await asyncpg.connect(scratch_url)
        try:
            names = [r["actor_name"] for r in await data.fetch("SELECT actor_name FROM audit_events ORDER BY id")]
        finally:
            await data.close()

    assert names == ["Ed", "Importer", None]


FOUNDATION_TABLES = (
    "media",
    "authors",
    "sections",
    "tags",
    "articles",
    "article_authors",
    "article_tags",
    "trending_lists",
    "trending_pins",
    "users",
    "api_tokens",
)
