"""A demo newsroom that reads like one, loaded through the CMS's own services; written for this
project, every person and quote in it invented.

Loading it again adds nothing that is already there: sections and authors are matched by slug,
articles by language and slug, media by URL, and a trending list that exists is left as the
editors keep it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cms.auth import ANONYMOUS, Viewer
from cms.db import Article, Media, Section
from cms.db.base import db_now
from cms.demo.articles import ARTICLES, TRENDING_NOW
from cms.demo.authors import AUTHORS
from cms.demo.media import PHOTOS
from cms.demo.sections import SECTIONS
from cms.demo.spec import ArticleSpec, PhotoSpec
from cms.services import UNSET, authors, media, taxonomy, trending
from cms.services.articles import commands, inputs, workflow
from cms.services.articles.visibility import visible_to
from cms.services.errors import Problems
from cms.vocabulary import Role

EDITOR = Viewer(role=Role.EDITOR)
TRENDING_SLUG = "trending-now"


async def load_demo(session: AsyncSession, *, only_if_empty: bool = False) -> int:
    """Load the demo newsroom; returns how many articles it added.

    Raises InputError should the demo's own content break a rule of the services."""
    if only_if_empty and await session.scalar(select(func.count()).select_from(Article)):
        return 0
    section_ids = {spec.slug: await _section(session, spec.name, spec.slug, spec.description) for spec in SECTIONS}
    # Every photo first, avatars included: bodies may show a registered photo by its URL.
    media_ids = {spec.url: await _photo(session, spec) for spec in [*PHOTOS, *(a.avatar for a in AUTHORS)]}
    author_ids: dict[str, int] = {}
    for spec in AUTHORS:
        author = await authors.get_author(session, slug=spec.slug) or await authors.create_author(
            session,
            Problems(),
            EDITOR,
            authors.AuthorFields(name=spec.name, slug=spec.slug, bio=spec.bio, avatar_id=media_ids[spec.avatar.url]),
        )
        author_ids[spec.slug] = author.id
    # Publish times follow the database's clock, the one visibility is decided by.
    now = (await session.execute(select(db_now()))).scalar_one()
    created = 0
    for story in ARTICLES:
        if await _article_id(session, story) is None:
            await _story(session, story, author_ids, media_ids, section_ids[story.section.slug], now)
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
    section_id: int,
    now: datetime,
) -> None:
    """One story through the desk's own steps: written, then reviewed, published or corrected."""
    fields = inputs.ArticleFields(
        title=story.title,
        slug=story.slug,
        standfirst=story.standfirst,
        body_markdown=story.markdown,
        author_ids=[author_ids[a.slug] for a in story.authors],
        hero_image_id=media_ids[story.hero.url] if story.hero else None,
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
        corrected = inputs.ArticleFields(body_markdown=f"{story.markdown}\n{story.correction}\n")
        await commands.update_article(session, Problems(), EDITOR, article.id, corrected)


async def _section(session: AsyncSession, name: str, slug: str, description: str) -> int:
    section = (await session.scalars(select(Section).where(Section.slug == slug))).one_or_none()
    section = section or await taxonomy.create_section(
        session, Problems(), EDITOR, name=name, slug=slug, description=description
    )
    return section.id


async def _photo(session: AsyncSession, spec: PhotoSpec) -> int:
    photo = (await session.scalars(select(Media).where(Media.url == spec.url).order_by(Media.id))).first()
    photo = photo or await media.create_media(
        session,
        Problems(),
        EDITOR,
        media.MediaFields(
            url=spec.url, width=spec.width, height=spec.height, alt=spec.alt, caption=spec.caption, credit=spec.credit
        ),
    )
    return photo.id


async def _trending_now(session: AsyncSession) -> None:
    """Create "Trending Now" with its pins, unless it exists: then it is the editors' to keep."""
    if await trending.get_list(session, TRENDING_SLUG) is not None:
        return
    await trending.create_list(
        session,
        Problems(),
        EDITOR,
        title="Trending Now",
        slug=TRENDING_SLUG,
        description="The stories readers are following most, picked by the homepage editor.",
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
