"""The migrations alone build the database the models describe."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cms.db import Base
from cms.db.engine import make_engine
from cms.db.migrate import current_revision, head_revision, is_up_to_date, upgrade


async def test_upgrading_an_empty_database_leaves_nothing_to_autogenerate(server_url):
    name = f"cms_migrate_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(urlunsplit(urlsplit(server_url)._replace(path=f"/{name}")))
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
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


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
