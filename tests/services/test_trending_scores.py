"""Computed trending: time-decayed scores per window, refreshed as of a given clock; the best
published articles of a list's window and section, pins left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from cms.db import Article, Section, TrendingList, TrendingPin, TrendingScore
from cms.services import trending_scores, views

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


async def article(session, slug: str, section_id: int | None = None, status: str = "PUBLISHED") -> int:
    values = {"title": slug, "slug": slug, "status": status, "body": [], "section_id": section_id}
    if status == "PUBLISHED":
        values["published_at"] = LONG_AGO
    return (await session.execute(insert(Article).values(**values).returning(Article.id))).scalar_one()


async def scores(session, window: str) -> dict[int, float]:
    rows = await session.execute(
        select(TrendingScore.article_id, TrendingScore.score).where(TrendingScore.read_window == window)
    )
    return dict(rows.all())


async def test_newer_reads_weigh_more_halving_every_quarter_window(session):
    fresh, stale = await article(session, "fresh"), await article(session, "stale")
    await views.add_counts(session, [(fresh, NOW - timedelta(minutes=1), 10), (stale, NOW - timedelta(minutes=46), 16)])

    await trending_scores.refresh(session, now=NOW)

    hour = await scores(session, "HOUR")
    assert hour[fresh] == pytest.approx(10 * 0.5 ** (1 / 15))
    assert hour[stale] == pytest.approx(16 * 0.5 ** (46 / 15))
    assert hour[fresh] > hour[stale]  # 16 reads 46 minutes ago weigh less than 10 just now
    day = await scores(session, "DAY")
    assert day[stale] > day[fresh]  # over a day, with a 6-hour half-life, the 16 reads win


async def test_reads_outside_a_window_do_not_count_in_it(session):
    a = await article(session, "a")
    await views.add_counts(session, [(a, NOW - timedelta(hours=2), 5), (a, NOW - timedelta(days=3), 7)])

    await trending_scores.refresh(session, now=NOW)

    assert await scores(session, "HOUR") == {}
    assert set(await scores(session, "DAY")) == {a}
    assert (await scores(session, "WEEK"))[a] == pytest.approx(5 * 0.5 ** (2 / 42) + 7 * 0.5 ** (72 / 42))


async def test_a_refresh_replaces_the_scores(session):
    a = await article(session, "a")
    await views.add_counts(session, [(a, NOW - timedelta(minutes=5), 5)])
    await trending_scores.refresh(session, now=NOW)

    await trending_scores.refresh(session, now=NOW + timedelta(days=8))

    assert await scores(session, "WEEK") == {}


async def lists(session, **values) -> int:
    values.setdefault("read_window", "DAY")
    slug = f"list-{values['read_window'].lower()}-{values.get('section_id')}"
    stmt = insert(TrendingList).values(title="T", slug=slug, **values).returning(TrendingList.id)
    return (await session.execute(stmt)).scalar_one()


async def test_the_best_of_each_lists_window_and_section_without_its_pins(session):
    world = (
        await session.execute(insert(Section).values(name="World", slug="world").returning(Section.id))
    ).scalar_one()
    a = await article(session, "a", section_id=world)
    b = await article(session, "b", section_id=world)
    c = await article(session, "c")
    draft = await article(session, "draft", status="DRAFT")
    await views.add_counts(
        session,
        [(article_id, NOW - timedelta(minutes=2), n) for article_id, n in ((a, 30), (b, 20), (c, 10), (draft, 99))],
    )
    await trending_scores.refresh(session, now=NOW)
    everything = await lists(session)
    in_world = await lists(session, section_id=world, read_window="HOUR")
    await session.execute(insert(TrendingPin).values(list_id=everything, article_id=a, position=0))

    found = await trending_scores.computed(session, [(everything, 10), (in_world, 1), (everything, 1)])

    assert [[row.slug for row, _ in entries] for entries in found] == [["b", "c"], ["a"], ["b"]]
    assert found[1][0][1] == pytest.approx(30 * 0.5 ** (2 / 15))


async def test_an_unpublished_article_drops_out_at_once(session):
    a = await article(session, "a")
    await views.add_counts(session, [(a, NOW - timedelta(minutes=2), 30)])
    await trending_scores.refresh(session, now=NOW)
    listed = await lists(session)

    await session.execute(update(Article).where(Article.id == a).values(status="DRAFT", published_at=None))

    assert await trending_scores.computed(session, [(listed, 5)]) == [[]]
