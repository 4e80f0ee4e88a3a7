"""Trending lists as clients read them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.db import TrendingList as TrendingListRow
from cms.graphql.articles.types import Article
from cms.graphql.common import Node
from cms.graphql.context import Info
from cms.graphql.errors import UserError, api_error
from cms.graphql.ids import to_global_id
from cms.graphql.taxonomy.types import Section
from cms.services.trending import MAX_PINS
from cms.vocabulary import ErrorCode, TrendingWindow

# Entries a list gives when not told how many: its pins, then computed ones up to this many.
DEFAULT_ENTRIES = 10


@strawberry.type(description="One place on a trending list.")
class TrendingEntry:
    rank: int = strawberry.field(description="1 for the top.")
    article: Article = strawberry.field(description="The article at this rank.")
    pinned: bool = strawberry.field(description="Placed by an editor rather than computed.")
    score: float | None = strawberry.field(
        description="Time-decayed reads in the list's window (see the README); null for pinned entries."
    )


@strawberry.type(description='A list of articles such as "Trending Now": the editors\' pins, then the most read.')
class TrendingList(Node):
    slug: str = strawberry.field(description="URL-safe key, e.g. 'trending-now'.")
    title: str = strawberry.field(description="Shown title.")
    description: str | None = strawberry.field(description="What the list is, for editors and frontends.")
    updated_at: datetime = strawberry.field(description="When its title, pins or settings last changed.")
    window: TrendingWindow = strawberry.field(description="The reading window that computed entries are ranked over.")
    _pk: strawberry.Private[int]
    _section_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, t: TrendingListRow) -> TrendingList:
        return cls(
            id=strawberry.ID(to_global_id("TrendingList", t.id)),
            slug=t.slug,
            title=t.title,
            description=t.description,
            updated_at=t.updated_at,
            window=TrendingWindow(t.read_window),
            _pk=t.id,
            _section_id=t.section_id,
        )

    @strawberry.field(description="Limits computed entries to one section when set.")
    async def section(self, info: Info) -> Section | None:
        if self._section_id is None:
            return None
        row = await info.context.loaders.taxonomy.section.load(self._section_id)
        return Section.from_row(row) if row else None

    @strawberry.field(
        description=(
            "Its pins the caller may see, in pin order, then the published articles most read in its "
            "window (and section), best first; never an article twice."
        )
    )
    async def entries(
        self,
        info: Info,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=(
                    f"How many, at most {MAX_PINS}; by default every pin, and computed entries up to "
                    f"{DEFAULT_ENTRIES} in all."
                )
            ),
        ] = None,
    ) -> list[TrendingEntry]:
        if first is not None and not 0 <= first <= MAX_PINS:
            raise api_error(ErrorCode.INVALID, f"first must be between 0 and {MAX_PINS}", field=["first"])
        loaders = info.context.loaders.trending
        pins = await loaders.pins.load(self._pk)
        size = max(DEFAULT_ENTRIES, len(pins)) if first is None else first
        pins = pins[:size]
        entries = [TrendingEntry(rank=0, article=Article.from_row(a), pinned=True, score=None) for a in pins]
        if len(entries) < size:
            computed = await loaders.computed.load((self._pk, size))
            entries += [
                TrendingEntry(rank=0, article=Article.from_row(a), pinned=False, score=score)
                for a, score in computed[: size - len(entries)]
            ]
        for rank, entry in enumerate(entries, start=1):
            entry.rank = rank
        return entries


@strawberry.type(description="The result of a trending list mutation.")
class TrendingListPayload:
    trending_list: TrendingList | None = strawberry.field(description="The list as saved; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why the input was refused.")
