"""DataLoaders, fresh for every request, so each relation costs one query per page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import ApiToken, Article, Author, Media, Section, Tag, TrendingList, User
from cms.services import articles, authors, media, taxonomy, trending, users
from cms.services.blocks import Block
from cms.services.pagination import Page

if TYPE_CHECKING:
    from cms.graphql.context import SessionGuard

K = TypeVar("K")
V = TypeVar("V")


class Loaders:
    """One loader per relation; batch functions live in services and return in key order."""

    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        def make(fn: Callable[[Any, Sequence[K]], Awaitable[Sequence[V]]]) -> DataLoader[K, V]:
            async def batch(keys: list[K]) -> Sequence[V]:
                async with db() as session:
                    return await fn(session, keys)

            return DataLoader(load_fn=batch)

        def visible(fn: Any) -> Any:
            return lambda session, keys: fn(session, viewer, keys)

        self.article: DataLoader[int, Article | None] = make(visible(articles.articles_by_ids))
        self.article_body: DataLoader[int, list[Block]] = make(articles.bodies)
        self.article_authors: DataLoader[int, list[Author]] = make(articles.authors_for_articles)
        self.article_tags: DataLoader[int, list[Tag]] = make(taxonomy.tags_for_articles)
        self.author: DataLoader[int, Author | None] = make(authors.authors_by_ids)
        self.media: DataLoader[int, Media | None] = make(media.media_by_ids)
        self.section: DataLoader[int, Section | None] = make(taxonomy.sections_by_ids)
        self.tag: DataLoader[int, Tag | None] = make(taxonomy.tags_by_ids)
        self.trending_list: DataLoader[int, TrendingList | None] = make(trending.lists_by_ids)
        self.trending_pins: DataLoader[int, list[Article]] = make(visible(trending.pinned_articles))
        self.user: DataLoader[int, User | None] = make(users.users_by_ids)
        self.token: DataLoader[int, ApiToken | None] = make(users.tokens_by_ids)

        async def author_pages(keys: list[tuple[int, int | None, str | None]]) -> list[Page[Article]]:
            # Keys asking for the same page (size and cursor) share one windowed query.
            groups: dict[tuple[int | None, str | None], list[int]] = {}
            for author_id, first, after in keys:
                groups.setdefault((first, after), []).append(author_id)
            pages: dict[tuple[int, int | None, str | None], Page[Article]] = {}
            async with db() as session:
                for (first, after), author_ids in groups.items():
                    found = await articles.pages_by_author(session, viewer, author_ids, first=first, after=after)
                    pages.update({(a, first, after): p for a, p in zip(author_ids, found, strict=True)})
            return [pages[k] for k in keys]

        self.author_articles: DataLoader[tuple[int, int | None, str | None], Page[Article]] = DataLoader(
            load_fn=author_pages
        )

    def clear_all(self) -> None:
        """Forget everything loaded so far; mutations call it after they write."""
        for loader in vars(self).values():
            if isinstance(loader, DataLoader):
                loader.clear_all()
