"""Counting reads: exact, deduplicated per reader, bots and unreadable articles left out, old
buckets rolled up and pruned; nothing that identifies a reader is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, text

from cms.db import Article, ArticleViews, ViewDedupe, ViewSalt
from cms.services import views
from cms.services.views import ViewRecorder, is_bot

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


async def article(session, status="PUBLISHED", published_at=None, slug=None) -> int:
    values = {"title": "A story", "slug": slug or f"story-{datetime.now().timestamp()}", "status": status, "body": []}
    if status == "PUBLISHED":
        values["published_at"] = published_at or datetime(2020, 1, 1, tzinfo=UTC)
    return (await session.execute(insert(Article).values(**values).returning(Article.id))).scalar_one()


async def counts(session) -> dict[int, int]:
    rows = await session.execute(
        select(ArticleViews.article_id, func.sum(ArticleViews.count)).group_by(ArticleViews.article_id)
    )
    return {a: int(n) for a, n in rows}


@pytest.fixture
def recorder(sessionmaker) -> ViewRecorder:
    return ViewRecorder(sessionmaker, dedupe_minutes=30)


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        (BROWSER, False),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", False),
        ("NewsApp/4.2 (Android 14) okhttp/4.12.0", False),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) HeadlessChrome/120.0.0.0 Safari/537.36", True),
        ("curl/8.5.0", True),
        ("python-httpx/0.28.1", True),
        ("", True),
        (None, True),
    ],
    ids=["chrome", "iphone", "app", "googlebot", "facebook", "headless", "curl", "httpx", "empty", "none"],
)
def test_bots_are_told_from_readers(agent, bot):
    assert is_bot(agent) is bot


async def test_each_reader_counts_once_per_article(session, recorder):
    a, b = await article(session, slug="a"), await article(session, slug="b")
    await session.commit()
    for client in ("10.0.0.1", "10.0.0.2", "10.0.0.1"):
        recorder.record(a, client, BROWSER)
    recorder.record(a, "10.0.0.1", BROWSER + " Edge")  # another browser on the same address
    recorder.record(b, "10.0.0.1", BROWSER)

    assert await recorder.flush() == 4
    recorder.record(a, "10.0.0.2", BROWSER)  # a reload, in a later batch
    assert await recorder.flush() == 0

    assert await counts(session) == {a: 3, b: 1}


async def test_a_reader_counts_again_once_the_window_has_passed(session, recorder):
    a = await article(session)
    await session.commit()
    recorder.record(a, "10.0.0.1", BROWSER)
    await recorder.flush()

    await session.execute(text("UPDATE view_dedupe SET expires_at = statement_timestamp() - interval '1 second'"))
    await session.commit()
    recorder.record(a, "10.0.0.1", BROWSER)

    assert await recorder.flush() == 1
    assert await counts(session) == {a: 2}


async def test_bots_drafts_archived_scheduled_and_unknown_articles_are_not_counted(session, recorder):
    live = await article(session, slug="live")
    draft = await article(session, status="DRAFT", slug="draft")
    archived = await article(session, status="ARCHIVED", slug="archived")
    scheduled = await article(session, published_at=datetime(2999, 1, 1, tzinfo=UTC), slug="scheduled")
    await session.commit()
    recorder.record(live, "10.0.0.1", "Googlebot/2.1")
    for article_id in (draft, archived, scheduled, 999_999_999):
        recorder.record(article_id, "10.0.0.1", BROWSER)

    assert await recorder.flush() == 0
    assert await counts(session) == {}
    assert await session.scalar(select(func.count()).select_from(ViewDedupe)) == 0


async def test_no_address_or_user_agent_is_stored(session, recorder):
    a = await article(session)
    await session.commit()
    recorder.record(a, "203.0.113.77", BROWSER)
    await recorder.flush()

    dump = repr(
        [
            tuple(r)
            for t in ("view_dedupe", "view_salts", "article_views")
            for r in await session.execute(text(f"SELECT * FROM {t}"))  # noqa: S608 - table names of ours
        ]
    )
    assert "203.0.113.77" not in dump
    assert "Chrome" not in dump
    key = (await session.scalars(select(ViewDedupe.key))).one()
    assert len(key) == 16


async def test_a_failed_flush_keeps_the_reads_for_the_next(session, sessionmaker):
    a = await article(session)
    await session.commit()
    broken = ViewRecorder(sessionmaker, dedupe_minutes=30)
    broken.record(a, "10.0.0.1", BROWSER)
    broken.pending.append(views.Read(a, "10.0.0.2", BROWSER))
    real_add = broken._add

    async def fail(batch):
        raise ConnectionError("the database is away")

    broken._add = fail  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await broken.flush()
    assert len(broken.pending) == 2

    broken._add = real_add  # type: ignore[method-assign]
    assert await broken.flush() == 2


async def test_maintenance_rolls_up_prunes_and_forgets_old_salts(session):
    a = await article(session)
    now = (await session.execute(select(func.date_trunc("hour", func.now())))).scalar_one()
    await views.add_counts(
        session,
        [
            (a, now - timedelta(hours=3) + timedelta(minutes=5), 2),  # minutes, rolled up into their hour
            (a, now - timedelta(hours=3) + timedelta(minutes=40), 3),
            (a, now - timedelta(hours=3), 1),  # the hour's own bucket
            (a, now - timedelta(minutes=5), 4),  # recent minutes stay
            (a, now - timedelta(days=40), 9),  # beyond retention
        ],
    )
    await session.execute(insert(ViewSalt).values(day=datetime(2020, 1, 1).date(), salt=b"x" * 32))
    await session.execute(insert(ViewDedupe).values(key=b"k" * 16, expires_at=datetime(2020, 1, 1, tzinfo=UTC)))

    assert await views.maintain(session, retention_days=30) is True

    rows = dict(
        (await session.execute(select(ArticleViews.bucket, ArticleViews.count).order_by(ArticleViews.bucket))).all()
    )
    assert rows == {now - timedelta(hours=3): 6, now - timedelta(minutes=5): 4}
    assert await session.scalar(select(func.count()).select_from(ViewSalt)) == 0
    assert await session.scalar(select(func.count()).select_from(ViewDedupe)) == 0
