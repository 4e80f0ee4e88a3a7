from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from cms.db import Article as ArticleRow
from cms.graphql.authors.types import Author
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError
from cms.graphql.ids import to_global_id
from cms.graphql.media.types import Media
from cms.graphql.taxonomy.types import Section, Tag
from cms.services import blocks
from cms.vocabulary import ArticleStatus


@strawberry.type(description="Where a report came from, e.g. a news agency.")
class Source:
    name: str = strawberry.field(description="e.g. Reuters.")
    url: str | None = strawberry.field(description="A link to the source, if any.")


@strawberry.type(description="A paragraph of text.")
class ParagraphBlock:
    html: str = strawberry.field(description="Sanitized inline HTML: links and emphasis only.")

    @strawberry.field(description="The paragraph as plain text.")
    def text(self) -> str:
        return blocks.block_text({"type": "paragraph", "html": self.html})


@strawberry.type(description="A subheading.")
class HeadingBlock:
    level: int = strawberry.field(description="2 to 6; the title is level 1.")
    text: str = strawberry.field(description="Plain text.")


@strawberry.type(description="A photo in the body.")
class ImageBlock:
    caption: str | None = strawberry.field(description="Caption for this use of the image.")
    _media_id: strawberry.Private[int]

    @strawberry.field(description="The image; null when it was deleted.")
    async def media(self, info: Info) -> Media | None:
        row = await info.context.loaders.media.by_id.load(self._media_id)
        return Media.from_row(row) if row else None


@strawberry.type(description="A pull quote.")
class QuoteBlock:
    text: str = strawberry.field(description="Plain text.")
    attribution: str | None = strawberry.field(description="Who said it.")


@strawberry.type(description="A bulleted or numbered list.")
class ListBlock:
    ordered: bool = strawberry.field(description="Numbered when true.")
    items: list[str] = strawberry.field(description="Sanitized inline HTML, one string per item.")


@strawberry.type(description="Third-party content shown in the body, e.g. a video.")
class EmbedBlock:
    url: str = strawberry.field(description="The embedded page.")
    provider: str | None = strawberry.field(description="e.g. YouTube, when recognised.")


Block = Annotated[
    ParagraphBlock | HeadingBlock | ImageBlock | QuoteBlock | ListBlock | EmbedBlock,
    strawberry.union("Block", description="One block of an article body."),
]


def _block(b: dict[str, Any]) -> Any:
    kind = b["type"]
    if kind == "paragraph":
        return ParagraphBlock(html=b["html"])
    if kind == "heading":
        return HeadingBlock(level=b["level"], text=b["text"])
    if kind == "image":
        return ImageBlock(caption=b.get("caption"), _media_id=b["mediaId"])
    if kind == "quote":
        return QuoteBlock(text=b["text"], attribution=b.get("attribution"))
    if kind == "list":
        return ListBlock(ordered=b["ordered"], items=list(b["items"]))
    return EmbedBlock(url=b["url"], provider=b.get("provider"))


@strawberry.type(description="A news article.")
class Article(Node):
    slug: str = strawberry.field(description="URL-safe key, unique.")
    title: str = strawberry.field(description="The headline.")
    standfirst: str | None = strawberry.field(description="The summary under the headline.")
    published_at: datetime | None = strawberry.field(description="When it went or goes live; null for drafts.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it was last changed.")
    version: int = strawberry.field(description="Incremented by every saved change; pass it back as expectedVersion.")
    word_count: int = strawberry.field(description="Words in the body.")
    seo_title: str | None = strawberry.field(description="Title for search engines, if not the headline.")
    seo_description: str | None = strawberry.field(description="Description for search engines.")
    canonical_url: str | None = strawberry.field(description="The canonical URL, when it lives elsewhere.")
    _row: strawberry.Private[ArticleRow]

    @classmethod
    def from_row(cls, a: ArticleRow) -> Article:
        return cls(
            id=strawberry.ID(to_global_id("Article", a.id)),
            slug=a.slug,
            title=a.title,
            standfirst=a.standfirst,
            published_at=a.published_at,
            created_at=a.created_at,
            updated_at=a.updated_at,
            version=a.version,
            word_count=a.word_count,
            seo_title=a.seo_title,
            seo_description=a.seo_description,
            canonical_url=a.canonical_url,
            _row=a,
        )

    @strawberry.field(description="Where the article stands; SCHEDULED until its publish time.")
    def status(self) -> ArticleStatus:
        return ArticleStatus(self._row.shown_status)

    @strawberry.field(description="Minutes to read the body, rounded up.")
    def reading_time_minutes(self) -> int:
        return blocks.reading_time_minutes(self.word_count)

    @strawberry.field(description="The bylines, in order.")
    async def authors(self, info: Info) -> list[Author]:
        return [Author.from_row(a) for a in await info.context.loaders.articles.authors.load(self._row.id)]

    @strawberry.field(description="The lead photo.")
    async def hero_image(self, info: Info) -> Media | None:
        if self._row.hero_image_id is None:
            return None
        row = await info.context.loaders.media.by_id.load(self._row.hero_image_id)
        return Media.from_row(row) if row else None

    @strawberry.field(description="The section it belongs to.")
    async def section(self, info: Info) -> Section | None:
        if self._row.section_id is None:
            return None
        row = await info.context.loaders.articles.section.load(self._row.section_id)
        return Section.from_row(row) if row else None

    @strawberry.field(description="Its tags, in order.")
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_row(t) for t in await info.context.loaders.articles.tags.load(self._row.id)]

    @strawberry.field(description="Where the report came from, in order.")
    def sources(self) -> list[Source]:
        return [Source(name=s["name"], url=s.get("url")) for s in self._row.sources]

    async def _blocks(self, info: Info) -> list[dict[str, Any]]:
        return await info.context.loaders.articles.body.load(self._row.id)

    @strawberry.field(description="The body as typed blocks.")
    async def body(self, info: Info) -> list[Block]:
        return [_block(b) for b in await self._blocks(info)]

    @strawberry.field(description="The body rendered as HTML.")
    async def body_html(self, info: Info) -> str:
        body = await self._blocks(info)
        ids = blocks.image_ids(body)
        media = await info.context.loaders.media.by_id.load_many(ids)
        return blocks.render_html(body, {m.id: m for m in media if m is not None})

    @strawberry.field(description="The body as plain text.")
    async def body_text(self, info: Info) -> str:
        return blocks.body_text(await self._blocks(info))


@strawberry.type(description="The result of an article mutation.")
class ArticlePayload:
    article: Article | None = strawberry.field(description="The article as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
