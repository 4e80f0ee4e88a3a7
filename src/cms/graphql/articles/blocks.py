"""The blocks of an article body as clients read them, and where a report came from."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from cms.graphql.context import Info
from cms.graphql.media.types import Media
from cms.services import blocks


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


def to_block(b: dict[str, Any]) -> Any:
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
