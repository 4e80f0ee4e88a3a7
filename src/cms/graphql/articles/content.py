"""What an article says, as one GraphQL interface: the article itself and every revision's
snapshot answer the same fields the same way, from their own data."""

from __future__ import annotations

from typing import Any

import strawberry

from cms.db import Author as AuthorRow
from cms.db import Tag as TagRow
from cms.graphql.articles.blocks import Block, Source, to_block
from cms.graphql.authors.types import Author
from cms.graphql.context import Info
from cms.graphql.media.types import Media
from cms.graphql.taxonomy.types import Section, Tag
from cms.services import blocks
from cms.services.media.links import original_url


@strawberry.interface(description="What an article says: the article's own fields, also on each revision's snapshot.")
class ArticleContent:
    slug: str = strawberry.field(description="URL-safe key, unique in its language.")
    title: str = strawberry.field(description="The headline.")
    standfirst: str | None = strawberry.field(description="The summary under the headline.")
    locale: str = strawberry.field(description="BCP 47 language tag, e.g. en or ko.")
    word_count: int = strawberry.field(description="Words in the body.")
    seo_title: str | None = strawberry.field(description="Title for search engines, if not the headline.")
    seo_description: str | None = strawberry.field(description="Description for search engines.")
    canonical_url: str | None = strawberry.field(description="The canonical URL, when it lives elsewhere.")
    _hero_image_id: strawberry.Private[int | None]
    _section_id: strawberry.Private[int | None]
    _sources: strawberry.Private[list[dict[str, Any]]]

    async def _blocks(self, info: Info) -> list[dict[str, Any]]:
        raise NotImplementedError

    async def _bylines(self, info: Info) -> list[AuthorRow]:
        raise NotImplementedError

    async def _tag_rows(self, info: Info) -> list[TagRow]:
        raise NotImplementedError

    @strawberry.field(description="Minutes to read the body, rounded up.")
    def reading_time_minutes(self) -> int:
        return blocks.reading_time_minutes(self.word_count)

    @strawberry.field(description="The bylines, in order.")
    async def authors(self, info: Info) -> list[Author]:
        return [Author.from_row(a) for a in await self._bylines(info)]

    @strawberry.field(description="The lead photo.")
    async def hero_image(self, info: Info) -> Media | None:
        if self._hero_image_id is None:
            return None
        row = await info.context.loaders.media.by_id.load(self._hero_image_id)
        return Media.from_row(row) if row else None

    @strawberry.field(description="The section it belongs to.")
    async def section(self, info: Info) -> Section | None:
        if self._section_id is None:
            return None
        row = await info.context.loaders.articles.section.load(self._section_id)
        return Section.from_row(row) if row else None

    @strawberry.field(description="Its tags, in order.")
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_row(t) for t in await self._tag_rows(info)]

    @strawberry.field(description="Where the report came from, in order.")
    def sources(self) -> list[Source]:
        return [Source(name=s["name"], url=s.get("url")) for s in self._sources]

    @strawberry.field(description="The body as typed blocks.")
    async def body(self, info: Info) -> list[Block]:
        return [to_block(b) for b in await self._blocks(info)]

    @strawberry.field(description="The body rendered as HTML.")
    async def body_html(self, info: Info) -> str:
        body = await self._blocks(info)
        media = await info.context.loaders.media.by_id.load_many(blocks.image_ids(body))
        files = info.context.media_files()
        shown = {m.id: blocks.ShownImage(original_url(files, m), m.alt, m.credit) for m in media if m is not None}
        return blocks.render_html(body, shown)

    @strawberry.field(description="The body as plain text.")
    async def body_text(self, info: Info) -> str:
        return blocks.body_text(await self._blocks(info))
