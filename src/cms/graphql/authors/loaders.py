"""DataLoaders of authors, and of every author's page of articles at once."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from cms.auth import Viewer
from cms.db import Article, Author
from cms.graphql.batch import SessionGuard, loader
from cms.services import authors
from cms.services.articles import listing
from cms.services.pagination import Page

# An author, and the page of their articles asked for: (author id, first, after).
PageKey = tuple[int, int | None, str | None]


class AuthorLoaders:
    def __init__(self, db: SessionGuard, viewer: Viewer) -> None:
        self.by_id: DataLoader[int, Author | None] = loader(db, authors.authors_by_ids)

        async def article_pages(keys: list[PageKey]) -> list[Page[Article]]:
            # Keys asking for the same page (size and cursor) share one windowed query.
            groups: dict[tuple[int | None, str | None], list[int]] = {}
            for author_id, first, after in keys:
                groups.setdefault((first, after), []).append(author_id)
            pages: dict[PageKey, Page[Article]] = {}
            async with db() as session:
                for (first, after), author_ids in groups.items():
                    found = await listing.pages_by_author(session, viewer, author_ids, first=first, after=after)
                    pages.update({(a, first, after): p for a, p in zip(author_ids, found, strict=True)})
            return [pages[k] for k in keys]

        self.articles: DataLoader[PageKey, Page[Article]] = DataLoader(load_fn=article_pages)
