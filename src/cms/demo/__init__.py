"""A demo newsroom that reads like one, loaded through the CMS's own services; written for this
project, every person and quote in it invented.

Loading it again adds nothing that is already there: sections and authors are matched by slug,
articles by language and slug, media by URL, and a trending list that exists is left as the
editors keep it.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import ANONYMOUS, Viewer
from cms.config import Settings
from cms.db import Article, Media, Section
from cms.db.base import db_now
from cms.demo import pictures
from cms.demo.articles import ARTICLES, TRENDING_NOW
from cms.demo.authors import AUTHORS
from cms.demo.media import PHOTOS
from cms.demo.sections import SECTIONS
from cms.demo.spec import ArticleSpec, PhotoSpec
from cms.services import UNSET, authors, media, taxonomy, trending, trending_scores, views
from cms.services.articles import commands, inputs, workflow
from cms.services.articles.visibility import visible_to
from cms.services.errors import Problems
from cms.services.media.work import in_pool
from cms.storage import Storage
from cms.vocabulary import Role, TrendingWindow

EDITOR = Viewer(role=Role.EDITOR)
TRENDING_SLUG = "trending-now"


async def load_demo(session: AsyncSession, storage: Storage, settings: Settings, *, only_if_empty: bool = False) -> int:
    """Load the demo newsroom, its photos into `storage`; returns how many articles it added.
    Should the load fail, the photos it stored are removed again.

    Raises InputError should the demo's own content break a rule of the services."""
    if only_if_empty and await session.scalar(select(func.count()).select_from(Article)):
        return 0
    stored: list[Callable[[], Awaitable[None]]] = []
    try:
        return await _load(session, storage, settings, stored.append)
    except BaseException:
        for undo in stored:
            await undo()
        raise


async def _load(
    session: AsyncSession,
    storage: Storage,
    settings: Settings,
    on_rollback: Callable[[Callable[[], Awaitable[None]]], None],
) -> int:
    section_ids = {spec.slug: await _section(session, spec.name, spec.slug, spec.description) for spec in SECTIONS}
    # Every photo first, portraits included: bodies show a photo by its URL.
    specs = [*PHOTOS, *(a.avatar for a in AUTHORS)]
    photos = {spec.name: await _photo(session, storage, settings, spec, on_rollback) for spec in specs}
    media_ids = {name: photo.id for name, photo in photos.items()}
    # Markdown shows an upload by the path it is served at, wherever the CMS runs.
    sources = {spec.src: f"/media/{photos[spec.name].storage_key}" for spec in specs}
    author_ids: dict[str, int] = {}
    for spec in AUTHORS:
        author = await authors.get_author(session, slug=spec.slug) or await authors.create_author(
            session,
            Problems(),
            EDITOR,
            authors.AuthorFields(name=spec.name, slug=spec.slug, bio=spec.bio, avatar_id=media_ids[spec.avatar.name]),
        )
        author_ids[spec.slug] = author.id
    # Publish times follow the database's clock, the one visibility is decided by.
    now = (await session.execute(select(db_now()))).scalar_one()
    created = 0
    for story in ARTICLES:
        if await _article_id(session, story) is None:
            await _story(session, story, author_ids, media_ids, sources, section_ids[story.section.slug], now)
            created += 1
    await _trending_now(session)
    return created


async def _article_id(session: AsyncSession, story: ArticleSpec) -> int | None:
    found: int | None = await session.scalar(
        select(Article.id).where(Article.locale == story.locale, Article.slug == story.slug)
    )
    return found


async def _story(
    session: AsyncSession,
    story: ArticleSpec,
    author_ids: dict[str, int],
    media_ids: dict[str, int],
    sources: dict[str, str],
    section_id: int,
    now: datetime,
) -> None:
    """One story through the desk's own steps: written, then reviewed, published or corrected."""
    markdown = story.markdown
    for src, url in sources.items():
        markdown = markdown.replace(f"]({src})", f"]({url})")
    fields = inputs.ArticleFields(
        title=story.title,
        slug=story.slug,
        standfirst=story.standfirst,
        body_markdown=markdown,
        author_ids=[author_ids[a.slug] for a in story.authors],
        hero_image_id=media_ids[story.hero.name] if story.hero else None,
        section_id=section_id,
        tag_names=list(story.tags),
        sources=[{"name": s.name, "url": s.url} for s in story.sources],
        locale=story.locale,
        translation_of_id=await _article_id(session, story.translation_of) if story.translation_of else UNSET,
    )
    article = await commands.create_article(session, Problems(), EDITOR, fields)
    if story.in_review:
        await workflow.submit_for_review(session, EDITOR, article.id)
    if story.published is not None:
        await workflow.publish_article(session, EDITOR, article.id, story.published.resolve(now))
    if story.correction is not None:
        corrected = inputs.ArticleFields(body_markdown=f"{markdown}\n{story.correction}\n")
        await commands.update_article(session, Problems(), EDITOR, article.id, corrected)


async def _section(session: AsyncSession, name: str, slug: str, description: str) -> int:
    section = (await session.scalars(select(Section).where(Section.slug == slug))).one_or_none()
    section = section or await taxonomy.create_section(
        session, Problems(), EDITOR, name=name, slug=slug, description=description
    )
    return section.id


async def _photo(
    session: AsyncSession,
    storage: Storage,
    settings: Settings,
    spec: PhotoSpec,
    on_rollback: Callable[[Callable[[], Awaitable[None]]], None],
) -> Media:
    """The photo, uploaded as an editor uploads one; drawn the same every time, it is found
    (by its bytes) when it was uploaded before."""
    data = await in_pool(pictures.draw, spec)
    return await media.upload_media(
        session,
        Problems(),
        EDITOR,
        storage,
        data,
        media.UploadFields(alt=spec.alt, caption=spec.caption, credit=spec.credit, focal_point=spec.focal),
        max_pixels=settings.max_image_pixels,
        on_rollback=on_rollback,
    )


async def _trending_now(session: AsyncSession) -> None:
    """Create "Trending Now" with its pins, unless it exists: then it is the editors' to keep."""
    if await trending.get_list(session, TRENDING_SLUG) is not None:
        return
    await trending.create_list(
        session,
        Problems(),
        EDITOR,
        trending.ListFields(
            title="Trending Now",
            slug=TRENDING_SLUG,
            description="The stories readers are following most: the homepage editor's picks, then the most read.",
            read_window=TrendingWindow.DAY,
        ),
    )
    slugs = [story.slug for story in TRENDING_NOW]
    # Only what readers can see may be pinned: an article of the same slug made unpublished
    # since an earlier load stays off the list.
    live = dict(
        (
            await session.execute(
                select(Article.slug, Article.id).where(Article.slug.in_(slugs), visible_to(ANONYMOUS))
            )
        ).all()
    )
    await trending.set_pins(
        session, Problems(), EDITOR, slug=TRENDING_SLUG, article_ids=[live[s] for s in slugs if s in live]
    )
    await _reads(session)


async def _reads(session: AsyncSession) -> None:
    """A day of reads for the published stories, so that "Trending Now" has computed entries
    under its pins: a few stories read a lot, most a little, more in the last hours."""
    rng = random.Random(2026)  # noqa: S311 - a plausible spread, not a secret
    now = (await session.execute(select(func.date_trunc("hour", db_now())))).scalar_one()
    published = list(
        (await session.scalars(select(Article.id).where(visible_to(ANONYMOUS)).order_by(Article.id))).all()
    )
    rng.shuffle(published)
    counts = []
    for place, article_id in enumerate(published, start=1):
        per_hour = 400 / place  # Zipf: the second story half as read as the first
        for hours_ago in range(24):
            recent = 2.0 if hours_ago < 4 else 1.0
            counts.append(
                (article_id, now - timedelta(hours=hours_ago), int(per_hour * recent * rng.uniform(0.6, 1.4)))
            )
    await views.add_counts(session, counts)
    await trending_scores.refresh(session)
