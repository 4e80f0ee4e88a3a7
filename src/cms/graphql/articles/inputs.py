"""What clients send to write and to narrow lists of articles, and its translation for the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from cms.graphql.ids import decode_field, decode_list
from cms.services import UNSET
from cms.services.articles.inputs import ArticleFields
from cms.services.articles.listing import ArticleFilter as FilterFields
from cms.services.articles.listing import Ordering
from cms.services.errors import Problems
from cms.vocabulary import ArticleOrderField, ArticleStatus, OrderDirection


@strawberry.input(description="A source to cite.")
class SourceInput:
    name: str = strawberry.field(description="e.g. Reuters.")
    url: str | None = strawberry.field(default=None, description="A link, if any.")


@strawberry.input(description="A paragraph.")
class ParagraphInput:
    html: str = strawberry.field(description="Inline HTML; everything but links and emphasis is removed.")


@strawberry.input(description="A subheading.")
class HeadingInput:
    level: int = strawberry.field(description="2 to 6.")
    text: str = strawberry.field(description="Plain text.")


@strawberry.input(description="A photo.")
class ImageBlockInput:
    media_id: strawberry.ID = strawberry.field(description="A Media ID.")
    caption: str | None = strawberry.field(default=None, description="Caption for this use.")


@strawberry.input(description="A pull quote.")
class QuoteInput:
    text: str = strawberry.field(description="Plain text.")
    attribution: str | None = strawberry.field(default=None, description="Who said it.")


@strawberry.input(description="A list.")
class ListInput:
    ordered: bool = strawberry.field(description="Numbered when true.")
    items: list[str] = strawberry.field(description="Inline HTML, one string per item.")


@strawberry.input(description="Third-party content by URL.")
class EmbedInput:
    url: str = strawberry.field(description="Absolute http(s) URL.")


@strawberry.input(one_of=True, description="Exactly one member is given.")
class BlockInput:
    paragraph: ParagraphInput | None = strawberry.field(default=strawberry.UNSET, description="A paragraph.")
    heading: HeadingInput | None = strawberry.field(default=strawberry.UNSET, description="A subheading.")
    image: ImageBlockInput | None = strawberry.field(default=strawberry.UNSET, description="A photo.")
    quote: QuoteInput | None = strawberry.field(default=strawberry.UNSET, description="A pull quote.")
    list: ListInput | None = strawberry.field(default=strawberry.UNSET, description="A list.")
    embed: EmbedInput | None = strawberry.field(default=strawberry.UNSET, description="An embed.")


def _block(problems: Problems, i: int, b: BlockInput) -> dict[str, Any] | None:
    if b.paragraph:
        return {"type": "paragraph", "html": b.paragraph.html}
    if b.heading:
        return {"type": "heading", "level": b.heading.level, "text": b.heading.text}
    if b.image:
        path = ("input", "body", str(i), "image", "mediaId")
        media_id = decode_field(problems, path, b.image.media_id, "Media")
        return {"type": "image", "mediaId": media_id, "caption": b.image.caption} if media_id else None
    if b.quote:
        return {"type": "quote", "text": b.quote.text, "attribution": b.quote.attribution}
    if b.list:
        return {"type": "list", "ordered": b.list.ordered, "items": b.list.items}
    assert b.embed
    return {"type": "embed", "url": b.embed.url}


def _given(value: Any) -> Any:
    return UNSET if value is strawberry.UNSET else value


def to_fields(problems: Problems, data: CreateArticleInput | UpdateArticleInput) -> ArticleFields:
    """Service input from a create or update input; ID problems are recorded, not raised."""
    f = ArticleFields()
    for name in ("title", "slug", "standfirst", "seo_title", "seo_description", "canonical_url"):
        setattr(f, name, _given(getattr(data, name)))
    f.body_markdown = _given(data.body_markdown)
    if data.body is not strawberry.UNSET:
        f.body = (
            None
            if data.body is None
            else [blk for i, b in enumerate(data.body) if (blk := _block(problems, i, b)) is not None]
        )
    if data.author_ids is not strawberry.UNSET:
        f.author_ids = (
            None
            if data.author_ids is None
            else decode_list(problems, ("input", "authorIds"), data.author_ids, "Author")
        )
    for name, path, kind in (("hero_image_id", "heroImageId", "Media"), ("section_id", "sectionId", "Section")):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            setattr(f, name, decode_field(problems, ("input", path), value, kind))
    f.tag_slugs = _given(data.tag_slugs)
    f.tag_names = _given(data.tag_names)
    if isinstance(data, CreateArticleInput):
        f.locale = _given(data.locale)
        if data.translation_of_id is not strawberry.UNSET:
            f.translation_of_id = decode_field(
                problems, ("input", "translationOfId"), data.translation_of_id, "Article"
            )
    if data.sources is not strawberry.UNSET:
        f.sources = None if data.sources is None else [{"name": s.name, "url": s.url} for s in data.sources]
    return f


@strawberry.input(description="A new article, saved as a draft.")
class CreateArticleInput:
    title: str = strawberry.field(description="The headline.")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="Derived from the title when left out.")
    standfirst: str | None = strawberry.field(default=strawberry.UNSET, description="The summary under the headline.")
    body: list[BlockInput] | None = strawberry.field(default=strawberry.UNSET, description="The body as blocks.")
    body_markdown: str | None = strawberry.field(
        default=strawberry.UNSET, description="Alternative to body: Markdown, converted to blocks."
    )
    author_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Bylines in order; an AUTHOR's own byline when left out."
    )
    hero_image_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="A Media ID.")
    section_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="A Section ID.")
    tag_slugs: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Tags are created on first use."
    )
    tag_names: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Alternative to tagSlugs: tags by name, e.g. 'City Hall'; created with that name on first use.",
    )
    sources: list[SourceInput] | None = strawberry.field(default=strawberry.UNSET, description="Sources, in order.")
    seo_title: str | None = strawberry.field(default=strawberry.UNSET, description="Title for search engines.")
    seo_description: str | None = strawberry.field(default=strawberry.UNSET, description="Search description.")
    canonical_url: str | None = strawberry.field(default=strawberry.UNSET, description="The canonical URL.")
    locale: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="BCP 47 language tag, e.g. en, ko or pt-BR; the default language if left out.",
    )
    translation_of_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Makes the new article a translation of this one (one per language)."
    )


@strawberry.input(description="Only the fields given are changed; null clears an optional one.")
class UpdateArticleInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="The headline.")
    slug: str | None = strawberry.field(default=strawberry.UNSET, description="A new slug.")
    standfirst: str | None = strawberry.field(default=strawberry.UNSET, description="The summary under the headline.")
    body: list[BlockInput] | None = strawberry.field(default=strawberry.UNSET, description="The body as blocks.")
    body_markdown: str | None = strawberry.field(
        default=strawberry.UNSET, description="Alternative to body: Markdown, converted to blocks."
    )
    author_ids: list[strawberry.ID] | None = strawberry.field(default=strawberry.UNSET, description="Bylines in order.")
    hero_image_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="A Media ID.")
    section_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="A Section ID.")
    tag_slugs: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Replaces the tags.")
    tag_names: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Alternative to tagSlugs: replaces the tags, by name."
    )
    sources: list[SourceInput] | None = strawberry.field(default=strawberry.UNSET, description="Replaces the sources.")
    seo_title: str | None = strawberry.field(default=strawberry.UNSET, description="Title for search engines.")
    seo_description: str | None = strawberry.field(default=strawberry.UNSET, description="Search description.")
    canonical_url: str | None = strawberry.field(default=strawberry.UNSET, description="The canonical URL.")


@strawberry.input(description="Narrows a list of articles; all conditions given must hold.")
class ArticleFilter:
    status: list[ArticleStatus] | None = strawberry.field(default=None, description="Any of these statuses.")
    author_slug: str | None = strawberry.field(default=None, description="With this byline.")
    section_slug: str | None = strawberry.field(default=None, description="In this section.")
    tag_slugs: list[str] | None = strawberry.field(default=None, description="Articles carrying all of these tags.")
    published_after: datetime | None = strawberry.field(default=None, description="Published at or after.")
    published_before: datetime | None = strawberry.field(default=None, description="Published before.")
    locale: str | None = strawberry.field(default=None, description="In this language (BCP 47), e.g. en.")

    def to_fields(self) -> FilterFields:
        return FilterFields(
            statuses=tuple(self.status) if self.status is not None else None,
            author_slug=self.author_slug,
            section_slug=self.section_slug,
            tag_slugs=tuple(self.tag_slugs) if self.tag_slugs is not None else None,
            published_after=self.published_after,
            published_before=self.published_before,
            locale=self.locale,
        )


@strawberry.input(description="Sort order of a list of articles; ties are broken by ID.")
class ArticleOrder:
    field: ArticleOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(description="Which way.")

    def to_ordering(self) -> Ordering:
        return Ordering(self.field, self.direction is OrderDirection.DESC)
