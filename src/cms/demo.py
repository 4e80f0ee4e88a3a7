"""A small newsroom to show the CMS with real-looking content at once; written for this project.

Loading it again adds nothing that is already there (matched by slug or URL).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import Viewer
from cms.db import Article, Media, Section, TrendingList
from cms.services import authors, media, taxonomy, trending
from cms.services.articles import commands, inputs
from cms.services.errors import Problems
from cms.vocabulary import Role

EDITOR = Viewer(role=Role.EDITOR)

SECTIONS = [("World", "world"), ("Business", "business"), ("Science", "science"), ("Culture", "culture")]

AUTHORS = [
    ("Mara Lindqvist", "mara-lindqvist", "Europe correspondent, based in Brussels. Covers the EU and energy policy."),
    ("Daniel Okafor", "daniel-okafor", "Business editor. Writes about markets, trade and the companies behind them."),
    ("Ji-woo Han", "ji-woo-han", "Science reporter covering climate, oceans and space."),
    ("Lucía Ferrer", "lucia-ferrer", "Culture writer and critic: film, books and the people who make them."),
]

PHOTOS = {
    "harbour": (
        "https://images.example-news.com/2026/11/harbour-cranes.jpg",
        "Container cranes at dusk in a North Sea port",
        "Cranes idle at the port after the strike vote.",
        "Shutterstock.com",
    ),
    "turbines": (
        "https://images.example-news.com/2026/11/offshore-turbines.jpg",
        "Offshore wind turbines in grey sea",
        "Turbines off the Danish coast.",
        "Shutterstock.com",
    ),
    "reef": (
        "https://images.example-news.com/2026/11/coral-reef.jpg",
        "Bleached coral beside healthy coral",
        "Survey divers recorded bleaching at 40 sites.",
        "Reuters",
    ),
    "telescope": (
        "https://images.example-news.com/2026/11/radio-telescope.jpg",
        "A radio telescope dish under stars",
        None,
        "AFP",
    ),
    "cinema": (
        "https://images.example-news.com/2026/11/festival-crowd.jpg",
        "A crowd outside a festival cinema at night",
        "Queues formed hours before the premiere.",
        "Shutterstock.com",
    ),
    "market": (
        "https://images.example-news.com/2026/11/trading-floor.jpg",
        "Traders watching screens",
        None,
        "Bloomberg",
    ),
}

ARTICLES: list[dict[str, Any]] = [
    {
        "slug": "eu-agrees-grid-deal-after-all-night-talks",
        "title": "EU agrees grid deal after all-night talks",
        "standfirst": "Ministers back a shared fund to link national power grids, ending a two-year stand-off.",
        "section": "world",
        "authors": ["mara-lindqvist"],
        "hero": "turbines",
        "tags": ["energy", "european-union"],
        "hours_ago": 3,
        "sources": [("Reuters", "https://www.reuters.com"), ("AFP", None)],
        "markdown": (
            "Energy ministers agreed early on Friday to a **€40bn fund** for cross-border power lines, "
            "after talks that ran through the night in Brussels.\n\n"
            "## What the deal does\n\n"
            "- Links the Baltic grids to the Nordic market by 2030\n"
            "- Sets a shared price cap for emergencies\n"
            "- Pays for storage in member states without sea access\n\n"
            "> We have moved from arguing about cables to building them.\n\n"
            "The deal still needs the approval of the European Parliament, expected in the spring."
        ),
    },
    {
        "slug": "port-workers-vote-to-strike-over-automation",
        "title": "Port workers vote to strike over automation",
        "standfirst": "Dockers at three of Europe's busiest ports back a 48-hour walkout.",
        "section": "business",
        "authors": ["daniel-okafor", "mara-lindqvist"],
        "hero": "harbour",
        "tags": ["labour", "shipping"],
        "hours_ago": 7,
        "sources": [("Associated Press", "https://apnews.com")],
        "markdown": (
            "Unions said 87% of members who voted supported the strike, the first coordinated action "
            "across the three ports in two decades.\n\n"
            "Operators say automated cranes are needed to compete with Asian hubs. Unions want "
            "guarantees that no jobs will be cut before 2030."
        ),
    },
    {
        "slug": "markets-rally-as-inflation-cools",
        "title": "Markets rally as inflation cools faster than expected",
        "standfirst": "Shares rose across Europe after prices grew at the slowest pace in three years.",
        "section": "business",
        "authors": ["daniel-okafor"],
        "hero": "market",
        "tags": ["markets", "inflation"],
        "hours_ago": 26,
        "sources": [("Bloomberg", "https://www.bloomberg.com"), ("Eurostat", "https://ec.europa.eu/eurostat")],
        "markdown": (
            "Annual inflation fell to 1.9% in October, below the central bank's target for the first "
            "time since 2023.\n\nBond yields fell and the euro slipped against the dollar."
        ),
    },
    {
        "slug": "reef-survey-finds-widest-bleaching-on-record",
        "title": "Reef survey finds widest bleaching on record",
        "standfirst": "Scientists found damaged coral at four in five sites surveyed this year.",
        "section": "science",
        "authors": ["ji-woo-han"],
        "hero": "reef",
        "tags": ["climate", "oceans"],
        "hours_ago": 30,
        "sources": [("Yonhap", "https://en.yna.co.kr"), ("Reuters", "https://www.reuters.com")],
        "markdown": (
            "The survey covered 50 sites across the Pacific and Indian oceans.\n\n"
            "Researchers said water temperatures stayed above the bleaching threshold for *eleven "
            "weeks*, the longest stretch they have measured.\n\n"
            "## Can reefs recover?\n\nSome can, if temperatures fall within months. Others will not."
        ),
    },
    {
        "slug": "radio-telescope-picks-up-repeating-signal",
        "title": "Radio telescope picks up a repeating signal from a distant galaxy",
        "standfirst": "Astronomers say the bursts repeat every 16 days, and they do not yet know why.",
        "section": "science",
        "authors": ["ji-woo-han"],
        "hero": "telescope",
        "tags": ["space"],
        "hours_ago": 50,
        "sources": [("AFP", None)],
        "markdown": (
            "The fast radio bursts last a few milliseconds each. A regular cycle suggests the source "
            "orbits a companion star.\n\nThe findings were published in a peer-reviewed journal on Wednesday."
        ),
    },
    {
        "slug": "festival-opens-with-a-film-shot-on-a-phone",
        "title": "Festival opens with a film shot entirely on a phone",
        "standfirst": "The director spent less on cameras than on catering, and the audience stood to applaud.",
        "section": "culture",
        "authors": ["lucia-ferrer"],
        "hero": "cinema",
        "tags": ["film", "festivals"],
        "hours_ago": 5,
        "sources": [],
        "markdown": (
            "The opening-night film was shot over 19 days in Lisbon with two phones and a borrowed drone.\n\n"
            "> I wanted the camera to be small enough that people forgot about it.\n\n"
            "The festival runs until 8 December."
        ),
    },
    {
        "slug": "books-of-the-year-our-critics-choose",
        "title": "Books of the year: our critics choose",
        "standfirst": "Ten books that stayed with us, from a debut novel to a history of salt.",
        "section": "culture",
        "authors": ["lucia-ferrer", "ji-woo-han"],
        "hero": None,
        "tags": ["books"],
        "hours_ago": -48,
        "sources": [],
        "markdown": (
            "1. *The Quiet Harbour*, a debut about a lighthouse keeper's daughter\n"
            "2. *Salt: A World History*, revisited and expanded\n"
            "3. *Signals*, essays on listening to the universe"
        ),
    },
    {
        "slug": "draft-energy-prices-explainer",
        "title": "Explainer: why your energy bill is still high",
        "standfirst": "Wholesale prices fell a year ago. Bills did not. Here is why.",
        "section": "business",
        "authors": ["daniel-okafor"],
        "hero": None,
        "tags": ["energy", "explainer"],
        "hours_ago": None,
        "sources": [],
        "markdown": "Draft in progress: network charges, hedging, and the price cap.",
    },
]


async def load_demo(session: AsyncSession, *, only_if_empty: bool = False) -> int:
    """Load the demo newsroom; returns how many articles it added."""
    if only_if_empty and await session.scalar(select(func.count()).select_from(Article)):
        return 0
    section_ids: dict[str, int] = {}
    for name, slug in SECTIONS:
        section = (await session.scalars(select(Section).where(Section.slug == slug))).one_or_none()
        section = section or await taxonomy.create_section(session, Problems(), name=name, slug=slug)
        section_ids[slug] = section.id
    media_ids: dict[str, int] = {}
    for key, (url, alt, caption, credit) in PHOTOS.items():
        photo = (await session.scalars(select(Media).where(Media.url == url))).first()
        photo = photo or await media.create_media(
            session,
            Problems(),
            EDITOR,
            media.MediaFields(url=url, width=1600, height=900, alt=alt, caption=caption, credit=credit),
        )
        media_ids[key] = photo.id
    author_ids: dict[str, int] = {}
    for name, slug, bio in AUTHORS:
        author = await authors.get_author(session, slug=slug)
        author = author or await authors.create_author(
            session, Problems(), authors.AuthorFields(name=name, slug=slug, bio=bio)
        )
        author_ids[slug] = author.id
    created = 0
    now = datetime.now(UTC).replace(microsecond=0)
    for spec in ARTICLES:
        if await session.scalar(select(Article.id).where(Article.slug == spec["slug"])):
            continue
        fields = inputs.ArticleFields(
            title=spec["title"],
            slug=spec["slug"],
            standfirst=spec["standfirst"],
            body_markdown=spec["markdown"],
            author_ids=[author_ids[a] for a in spec["authors"]],
            hero_image_id=media_ids[spec["hero"]] if spec["hero"] else None,
            section_id=section_ids[spec["section"]],
            tag_slugs=spec["tags"],
            sources=[{"name": n, "url": u} for n, u in spec["sources"]],
        )
        article = await commands.create_article(session, Problems(), EDITOR, fields)
        if spec["hours_ago"] is not None:
            # Negative hours: scheduled for later.
            when = now - timedelta(hours=spec["hours_ago"])
            await commands.publish_article(session, EDITOR, article.id, when)
        created += 1
    trending_list = (
        await session.scalars(select(TrendingList).where(TrendingList.slug == "trending-now"))
    ).one_or_none()
    if trending_list is None:
        await trending.create_list(session, Problems(), title="Trending Now", slug="trending-now")
        pins = [
            "port-workers-vote-to-strike-over-automation",
            "eu-agrees-grid-deal-after-all-night-talks",
            "festival-opens-with-a-film-shot-on-a-phone",
            "reef-survey-finds-widest-bleaching-on-record",
        ]
        ids = [await session.scalar(select(Article.id).where(Article.slug == s)) for s in pins]
        await trending.set_pins(session, Problems(), slug="trending-now", article_ids=[i for i in ids if i])
    return created
