"""The demo newsroom, as a reader and an editor see it through the API."""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cms.app import create_app
from cms.config import Settings
from cms.db import ApiToken, Article, Author, Media, Section, Tag, TrendingList
from cms.db.engine import make_engine, make_sessionmaker
from cms.db.migrate import upgrade
from cms.demo import load_demo
from cms.demo.articles import ARTICLES, TRENDING_NOW, science, world
from cms.demo.authors import AUTHORS
from cms.demo.media import REEF_SURVEY
from cms.demo.sources import AGENCIES
from cms.services.tokens import digest
from cms.storage import StorageError
from cms.storage.local import LocalStorage
from cms.vocabulary import Role
from tests.conftest import Api, scratch_database

ARTICLES_QUERY = """
query {
  articles(first: 100) {
    totalCount
    edges { node {
      slug title standfirst status publishedAt wordCount
      section { slug name }
      authors { slug name bio avatar { url alt } }
      heroImage { url alt caption credit }
      tags { slug name }
      sources { name url }
      body {
        __typename
        ... on HeadingBlock { text }
        ... on ParagraphBlock { text }
        ... on QuoteBlock { text }
        ... on ImageBlock { caption media { url credit } }
      }
    } }
  }
}
"""
UPLOAD_URL = re.compile(r"^http://cms\.test/media/originals/[0-9a-f]{32}\.jpg$")
DATELINE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ .'-]+ — \S")


@dataclass
class Demo:
    api: Api
    created: int
    sessionmaker: async_sessionmaker[AsyncSession]
    storage: LocalStorage
    settings: Settings


@pytest.fixture(scope="module")
async def demo(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Demo]:
    """The demo loaded once, committed in a database of its own, read by the module's tests
    through the API as an editor (and anonymously)."""
    async with scratch_database(server_url, "cms_demo") as url:
        engine = make_engine(url)
        try:
            await upgrade(engine)
            sessionmaker = make_sessionmaker(engine)
            storage = LocalStorage(tmp_path_factory.mktemp("demo-media"))
            settings = Settings(database_url="postgresql://unused")
            secret = f"cms_test_editor_{secrets.token_hex(8)}"
            async with sessionmaker() as session, session.begin():
                created = await load_demo(session, storage, settings)
                await session.execute(
                    insert(ApiToken).values(name="editor", role="EDITOR", secret_hash=digest(secret), kind="api")
                )
            app = create_app(settings, sessionmaker=sessionmaker, engine=engine, storage=storage)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as client:
                yield Demo(Api(client, {Role.EDITOR: secret}), created, sessionmaker, storage, settings)
        finally:
            await engine.dispose()


async def _articles(api) -> dict[str, dict[str, Any]]:
    body = await api(ARTICLES_QUERY, role=Role.EDITOR)
    assert "errors" not in body, body
    edges = body["data"]["articles"]["edges"]
    assert body["data"]["articles"]["totalCount"] == len(edges)
    return {edge["node"]["slug"]: edge["node"] for edge in edges}


def _blocks(article: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [b for b in article["body"] if b["__typename"] == kind]


async def test_loads_a_dozen_or_more_articles(demo):
    articles = await _articles(demo.api)
    assert demo.created == len(ARTICLES) >= 12
    assert sorted(articles) == sorted(a.slug for a in ARTICLES)


async def test_every_section_has_stories(demo):
    articles = await _articles(demo.api)
    sections = {a["section"]["name"] for a in articles.values()}
    assert {"World", "Business", "Science", "Culture"} <= sections


async def test_bodies_are_of_realistic_length_with_subheadings(demo):
    articles = await _articles(demo.api)
    words = {slug: a["wordCount"] for slug, a in articles.items()}
    assert all(300 <= n <= 900 for n in words.values()), words
    assert all(_blocks(a, "HeadingBlock") for a in articles.values())
    assert all(a["standfirst"] for a in articles.values())
    with_quotes = [slug for slug, a in articles.items() if _blocks(a, "QuoteBlock")]
    assert len(with_quotes) > len(articles) / 2


async def test_published_over_several_days_with_one_scheduled_a_draft_and_one_in_review(demo):
    articles = await _articles(demo.api)
    by_status: dict[str, list[dict[str, Any]]] = {}
    for a in articles.values():
        by_status.setdefault(a["status"], []).append(a)
    assert len(by_status["SCHEDULED"]) >= 1
    assert [a["slug"] for a in by_status["IN_REVIEW"]] == [world.GRID_ANALYSIS.slug]
    assert len(by_status["DRAFT"]) >= 1
    assert set(by_status) == {"PUBLISHED", "SCHEDULED", "DRAFT", "IN_REVIEW"}
    assert all(a["publishedAt"] is None for a in by_status["DRAFT"] + by_status["IN_REVIEW"])
    days = {datetime.fromisoformat(a["publishedAt"]).date() for a in by_status["PUBLISHED"]}
    assert len(days) >= 5


async def test_the_foreign_report_has_dateline_agency_photo_and_sources(demo):
    report = (await _articles(demo.api))[world.GRID_DEAL.slug]
    first = _blocks(report, "ParagraphBlock")[0]["text"]
    assert first.startswith("BRUSSELS — ")
    assert [a["name"] for a in report["authors"]] == ["Mara Lindqvist"]
    assert report["heroImage"]["credit"] in {"Reuters", "AFP", "AP"}
    assert report["heroImage"]["alt"]
    assert report["heroImage"]["caption"]
    assert report["sources"]
    assert all(s["name"] in AGENCIES and s["url"].startswith("https://") for s in report["sources"])


async def test_a_story_has_its_french_translation(demo):
    body = await demo.api(
        """query($slug: String!) { article(slug: $slug) { locale
             translations { locale slug title status } } }""",
        {"slug": science.REPEATING_SIGNAL.slug},
    )
    assert body["data"]["article"] == {
        "locale": "en",
        "translations": [
            {
                "locale": "fr",
                "slug": science.REPEATING_SIGNAL_FR.slug,
                "title": science.REPEATING_SIGNAL_FR.title,
                "status": "PUBLISHED",
            }
        ],
    }


async def test_a_corrected_story_keeps_its_first_version_in_its_history(demo):
    body = await demo.api(
        """query($slug: String!) { article(slug: $slug) { bodyText
             revisions { edges { node { version changedFields snapshot { bodyText } } } } } }""",
        {"slug": science.REEF_BLEACHING.slug},
        role=Role.EDITOR,
    )
    article = body["data"]["article"]
    corrected, first = (e["node"] for e in article["revisions"]["edges"])
    assert article["bodyText"].endswith(science.REEF_BLEACHING.correction)
    assert corrected["changedFields"] == ["body"]
    assert not first["snapshot"]["bodyText"].endswith(science.REEF_BLEACHING.correction)


async def test_world_reports_open_with_a_dateline(demo):
    articles = await _articles(demo.api)
    world_reports = [a for a in articles.values() if a["section"]["slug"] == "world"]
    assert len(world_reports) >= 3
    for report in world_reports:
        assert DATELINE.match(_blocks(report, "ParagraphBlock")[0]["text"]), report["slug"]


async def test_every_hero_photo_is_described_and_credited(demo):
    heroes = [a["heroImage"] for a in (await _articles(demo.api)).values() if a["heroImage"]]
    assert len(heroes) >= 12
    assert all(h["alt"] and h["credit"] for h in heroes)


async def test_a_body_shows_an_uploaded_photo(demo):
    articles = await _articles(demo.api)
    images = [b for a in articles.values() for b in _blocks(a, "ImageBlock")]
    assert [(i["caption"], i["media"]["credit"]) for i in images] == [
        ("A survey diver records a bleached colony on an outer reef.", REEF_SURVEY.credit)
    ]
    assert UPLOAD_URL.match(images[0]["media"]["url"])


async def test_the_photos_are_uploads_of_our_own_with_renditions(demo):
    body = await demo.api(
        """query($slug: String!) { article(slug: $slug) { heroImage {
             url width height blurhash srcset(widths: [320, 640], format: WEBP) } } }""",
        {"slug": world.GRID_DEAL.slug},
    )
    hero = body["data"]["article"]["heroImage"]
    assert UPLOAD_URL.match(hero["url"])
    assert (hero["width"], hero["height"]) == (1600, 900)
    assert hero["blurhash"]
    original = await demo.api.client.get(hero["url"])
    assert (original.status_code, original.headers["content-type"]) == (200, "image/jpeg")
    small = hero["srcset"].split(", ")[0].rsplit(" ", 1)
    rendition = await demo.api.client.get(small[0])
    image = Image.open(io.BytesIO(rendition.content))
    assert (small[1], image.format, image.width) == ("320w", "WEBP", 320)


async def test_every_author_has_a_bio_and_an_avatar(demo):
    bylines = {a["slug"]: a for article in (await _articles(demo.api)).values() for a in article["authors"]}
    assert sorted(bylines) == sorted(a.slug for a in AUTHORS)
    for author in bylines.values():
        assert author["bio"]
        assert author["avatar"]["alt"] == f"Portrait of {author['name']}"
        assert UPLOAD_URL.match(author["avatar"]["url"])


async def test_several_articles_have_two_bylines(demo):
    articles = await _articles(demo.api)
    assert len([a for a in articles.values() if len(a["authors"]) == 2]) >= 3


async def test_tags_keep_the_names_they_were_given(demo):
    tags = {t["slug"]: t["name"] for a in (await _articles(demo.api)).values() for t in a["tags"]}
    assert tags["european-union"] == "European Union"
    assert tags["city-hall"] == "City Hall"
    assert set(tags.values()) == {name for a in ARTICLES for name in a.tags}


async def test_trending_now_shows_its_pins_then_the_most_read(demo):
    body = await demo.api(
        'query { trendingList(slug: "trending-now") { title window entries { rank pinned score article { slug status } } } }'
    )
    trending = body["data"]["trendingList"]
    pins, computed = trending["entries"][: len(TRENDING_NOW)], trending["entries"][len(TRENDING_NOW) :]
    assert (trending["title"], trending["window"]) == ("Trending Now", "DAY")
    assert [e["article"]["slug"] for e in pins] == [a.slug for a in TRENDING_NOW]
    assert all(e["pinned"] and e["score"] is None for e in pins)
    assert len(computed) == 10 - len(TRENDING_NOW)
    assert all(not e["pinned"] for e in computed)
    scores = [e["score"] for e in computed]
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] > 0
    assert {e["article"]["status"] for e in trending["entries"]} == {"PUBLISHED"}
    assert len({e["article"]["slug"] for e in trending["entries"]}) == 10


async def _counts(session) -> list[int]:
    return [
        await session.scalar(select(func.count()).select_from(model))
        for model in (Article, Author, Media, Section, Tag, TrendingList)
    ]


async def test_loading_twice_adds_nothing(demo):
    files = sorted([f.key async for f in demo.storage.files()])
    async with demo.sessionmaker() as session, session.begin():
        before = await _counts(session)
        assert await load_demo(session, demo.storage, demo.settings) == 0
        assert await _counts(session) == before
        await session.rollback()
    assert sorted([f.key async for f in demo.storage.files()]) == files


async def test_only_if_empty_loads_into_an_empty_database(session, media_storage, settings):
    assert await load_demo(session, media_storage, settings, only_if_empty=True) == len(ARTICLES)


async def test_only_if_empty_leaves_a_database_with_articles_alone(session, media_storage, settings):
    await session.execute(insert(Article).values(title="Ours", slug="ours", status="DRAFT", body=[]))
    before = await _counts(session)
    assert await load_demo(session, media_storage, settings, only_if_empty=True) == 0
    assert await _counts(session) == before
    assert [f async for f in media_storage.files()] == []


class FailingStorage(LocalStorage):
    """A folder that fails on the fifth file stored."""

    stored = 0

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.stored += 1
        if self.stored == 5:
            raise StorageError("the disk is full")
        await super().put(key, data, content_type)


async def test_a_failed_load_takes_its_photos_with_it(session, tmp_path, settings):
    storage = FailingStorage(tmp_path / "media")

    with pytest.raises(StorageError):
        await load_demo(session, storage, settings)

    assert storage.stored == 5
    assert [f async for f in storage.files()] == []
